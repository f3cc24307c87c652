"""What a newcomer meets first: the web app at `/`, documentation that needs no internet,
a `/health` that tells the truth about the worker, and errors a person can act on."""

from __future__ import annotations

import re
import time

import pytest
from litestar.testing import AsyncTestClient

from supportai.app import create_app
from supportai.health import WORKER_HEARTBEAT_KEY, WORKER_LATE_AFTER_S
from supportai.runtime import open_runtime
from tests.conftest import make_settings

PROBLEM = "application/problem+json"


@pytest.fixture
async def heartbeat(settings):
    """Sets the worker's heartbeat stamp to an age (None: no stamp); removed afterwards."""
    async with open_runtime(settings) as runtime:
        async def stamp(age_s: float | None) -> None:
            if age_s is None:
                await runtime.redis.delete(WORKER_HEARTBEAT_KEY)
            else:
                await runtime.redis.set(WORKER_HEARTBEAT_KEY, time.time() - age_s)

        yield stamp
        await runtime.redis.delete(WORKER_HEARTBEAT_KEY)


@pytest.mark.parametrize("age_s", [WORKER_LATE_AFTER_S + 24, None], ids=["late", "missing"])
async def test_health_is_degraded_without_a_live_worker(client, heartbeat, age_s):
    await heartbeat(age_s)
    response = await client.get("/health")
    assert response.status_code == 200  # the API itself serves
    body = response.json()
    assert body["status"] == "degraded"
    assert body["worker"]["ok"] is False and body["worker"]["detail"]


async def test_health_is_ok_with_a_fresh_heartbeat(client, heartbeat):
    await heartbeat(1)
    body = (await client.get("/health")).json()
    assert body["status"] == "ok" and body["worker"]["ok"] is True


async def test_a_bad_sign_up_lists_every_field_in_words(client):
    response = await client.post("/api/auth/signup", json={"email": "not an email", "password": "short", "surprise": 1})
    assert response.status_code == 400 and response.headers["content-type"].startswith(PROBLEM)
    problem = response.json()
    messages = {error["key"]: error["message"] for error in problem["errors"]}
    assert set(messages) == {"email", "password", "panel_name", "surprise"}
    assert messages["email"] == "Email must be an email address, like name@example.com."
    assert messages["password"] == "Password must be text of 10 to 200 characters."
    assert messages["panel_name"] == "Panel name is required."
    assert "not a field" in messages["surprise"]
    assert all("regex" not in message and "`" not in message for message in messages.values())
    assert "email" in problem["detail"] and "panel_name" in problem["detail"]


async def test_numbers_and_choices_are_explained(client, sign_up):
    account = await sign_up()
    response = await client.patch(
        "/api/tenant/settings", json={"follow_up_hours": 0, "dispatch_mode": "pigeon"}, headers=account.headers
    )
    messages = {error["key"]: error["message"] for error in response.json()["errors"]}
    assert messages == {
        "follow_up_hours": "Follow up hours must be a whole number from 1 to 720.",
        "dispatch_mode": "Dispatch mode must be one of bot, both, userbot.",
    }


async def test_sync_from_the_panel_is_refused_at_once_without_a_panel(client, sign_up):
    account = await sign_up()
    response = await client.post("/api/services/sync", headers=account.headers)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(PROBLEM)
    assert "Connect your panel first" in response.json()["detail"]


async def test_the_documentation_page_loads_nothing_from_elsewhere(client):
    page = await client.get("/schema")
    assert page.status_code == 200
    addresses = re.findall(r"""(?:src|href)=["']([^"']+)""", page.text)
    assert addresses and all(address.startswith("/schema/assets/") for address in addresses)
    assert "http://" not in page.text and "https://" not in page.text.replace("https://json-schema.org", "")
    for address in addresses:
        asset = await client.get(address)
        assert asset.status_code == 200 and len(asset.content) > 1000, address
    assert (await client.get("/schema/openapi.json")).json()["openapi"].startswith("3.")


@pytest.fixture(scope="module")
def web_dir(tmp_path_factory):
    """A built web app as Vite lays it out."""
    root = tmp_path_factory.mktemp("dist")
    (root / "assets").mkdir()
    (root / "index.html").write_text("<!doctype html><div id=root></div>")
    (root / "assets" / "index-abc123.js").write_text("console.log('app')")
    (root / "favicon.svg").write_text("<svg/>")
    return root


@pytest.fixture(scope="module")
async def web_client(pg_database, redis_url, web_dir):
    async with AsyncTestClient(app=create_app(make_settings(pg_database, redis_url, web_dir=str(web_dir)))) as client:
        yield client


async def test_the_api_serves_the_web_app_and_its_routes(web_client):
    for page in ("/", "/requests", "/requests/2f1c3a4b", "/settings/panel"):
        response = await web_client.get(page)
        assert response.status_code == 200 and response.text.startswith("<!doctype html>"), page
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["cache-control"] == "no-cache"
    asset = await web_client.get("/assets/index-abc123.js")
    assert asset.text == "console.log('app')" and "immutable" in asset.headers["cache-control"]
    assert (await web_client.get("/favicon.svg")).text == "<svg/>"
    assert (await web_client.get("/assets/index-gone.js")).status_code == 404


async def test_the_api_its_docs_and_webhooks_keep_their_addresses(web_client):
    assert (await web_client.get("/health")).headers["content-type"].startswith("application/json")
    assert (await web_client.get("/schema")).text != (await web_client.get("/")).text
    missing = await web_client.get("/api/nothing-here")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith(PROBLEM)
    assert (await web_client.get("/telegram/nothing")).status_code == 404
    assert (await web_client.get("/../../etc/passwd")).text.startswith("<!doctype html>")


async def test_without_a_build_unknown_addresses_are_plain_404s(pg_database, redis_url, tmp_path):
    async with AsyncTestClient(app=create_app(make_settings(pg_database, redis_url, web_dir=str(tmp_path)))) as client:
        response = await client.get("/requests")
    assert response.status_code == 404 and response.headers["content-type"].startswith(PROBLEM)
