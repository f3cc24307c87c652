"""The API's own limits: sign-ups per address, calls per API key, wrong keys per address,
failed sign-ins per account-and-address (no lock-out of the owner from elsewhere), and
X-Forwarded-For believed only from the configured proxy."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from litestar import Litestar

from supportai.app import create_app
from supportai.runtime import open_runtime
from tests.conftest import make_settings

PROXY = "10.9.0.1"
PASSWORD = "correct horse battery"


@pytest.fixture
async def app(pg_database, redis_url) -> AsyncIterator[Litestar]:
    settings = make_settings(
        pg_database, redis_url, login_attempts_per_account=3, login_attempts_per_ip=5, signups_per_ip=2,
        api_requests_per_key=3, api_key_failures_per_ip=3, trusted_proxies=(PROXY,),
    )
    app = create_app(settings)
    # What the lifespan does, in this test's event loop: httpx's ASGI transport (which can
    # set the client address) sends no lifespan events.
    async with open_runtime(settings) as runtime:
        app.state.runtime = runtime
        yield app


def new_address() -> str:
    return f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"


def client_from(app: Litestar, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def _sign_up(client: httpx.AsyncClient) -> httpx.Response:
    email = f"rl-{uuid.uuid4().hex[:10]}@example.com"
    return await client.post("/api/auth/signup", json={"email": email, "password": PASSWORD, "panel_name": "RL"})


def _assert_429(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    assert int(response.headers["retry-after"]) > 0
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_sign_ups_are_limited_per_address(app):
    async with client_from(app, new_address()) as first, client_from(app, new_address()) as second:
        assert [(await _sign_up(first)).status_code for _ in range(2)] == [201, 201]
        _assert_429(await _sign_up(first))
        assert (await _sign_up(second)).status_code == 201


async def test_the_public_api_is_limited_per_key(app):
    async with client_from(app, new_address()) as client:
        owner = {"Authorization": f"Bearer {(await _sign_up(client)).json()['access_token']}"}
        keys = [
            (await client.post("/api/api-keys", json={"name": f"k{n}", "scopes": ["messages:write"]},
                               headers=owner)).json()["key"]
            for n in range(2)
        ]
        message = {"customer": "anna", "text": "refill 1"}
        statuses = [
            (await client.post("/api/v1/messages", json=message, headers={"X-API-Key": keys[0]})).status_code
            for _ in range(3)
        ]
        assert statuses == [202, 202, 202]
        _assert_429(await client.post("/api/v1/messages", json=message, headers={"X-API-Key": keys[0]}))
        assert (await client.post("/api/v1/messages", json=message, headers={"X-API-Key": keys[1]})).status_code == 202


async def test_wrong_api_keys_are_limited_per_address(app):
    async with client_from(app, new_address()) as guesser, client_from(app, new_address()) as honest:
        owner = {"Authorization": f"Bearer {(await _sign_up(honest)).json()['access_token']}"}
        key = (await honest.post("/api/api-keys", json={"name": "k", "scopes": ["messages:read"]},
                                 headers=owner)).json()["key"]
        guesses = [(await guesser.get("/api/auth/me", headers={"X-API-Key": f"sai_{n}"})).status_code for n in range(3)]
        assert guesses == [401, 401, 401]
        _assert_429(await guesser.get("/api/auth/me", headers={"X-API-Key": key}))
        assert (await honest.get("/api/auth/me", headers={"X-API-Key": key})).status_code == 200


async def test_failed_sign_ins_elsewhere_do_not_lock_the_owner_out(app):
    async with client_from(app, new_address()) as attacker, client_from(app, new_address()) as owner:
        email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
        await owner.post("/api/auth/signup", json={"email": email, "password": PASSWORD, "panel_name": "O"})
        wrong = {"email": email, "password": "guess guess guess"}
        assert [(await attacker.post("/api/auth/login", json=wrong)).status_code for _ in range(3)] == [401] * 3
        _assert_429(await attacker.post("/api/auth/login", json={"email": email, "password": PASSWORD}))

        assert (await owner.post("/api/auth/login", json={"email": email, "password": PASSWORD})).status_code == 200
        # The attacker's address runs out for every account (5 failures per address).
        other = {"email": f"other-{uuid.uuid4().hex[:8]}@example.com", "password": "guess guess guess"}
        assert [(await attacker.post("/api/auth/login", json=other)).status_code for _ in range(2)] == [401, 401]
        _assert_429(await attacker.post("/api/auth/login", json=other))


async def test_a_successful_sign_in_clears_the_accounts_failures_from_that_address(app):
    async with client_from(app, new_address()) as client:
        email = f"forgetful-{uuid.uuid4().hex[:8]}@example.com"
        await client.post("/api/auth/signup", json={"email": email, "password": PASSWORD, "panel_name": "F"})
        for _ in range(2):
            for password in ("typo typo typo", PASSWORD):
                response = await client.post("/api/auth/login", json={"email": email, "password": password})
            assert response.status_code == 200


async def _audited_login_ip(app, peer: str, forwarded_for: str) -> str:
    # Signed up from an address of its own: other tests' sign-ups from 127.0.0.1 may have
    # used up that address's sign-up allowance.
    async with client_from(app, new_address()) as newcomer:
        signup = (await _sign_up(newcomer)).json()
    async with client_from(app, peer) as client:
        headers = {"Authorization": f"Bearer {signup['access_token']}"}
        me = (await client.get("/api/auth/me", headers=headers)).json()
        login = await client.post("/api/auth/login", json={"email": me["email"], "password": PASSWORD},
                                  headers={"X-Forwarded-For": forwarded_for})
        assert login.status_code == 200
        entries = (await client.get("/api/audit", params={"action": "user.login"}, headers=headers)).json()["items"]
        return entries[0]["ip"]


async def test_x_forwarded_for_is_believed_only_from_the_configured_proxy(app):
    client_behind_proxy = new_address()
    assert await _audited_login_ip(app, PROXY, f"198.51.100.9, {client_behind_proxy}") == client_behind_proxy
    direct = new_address()
    assert await _audited_login_ip(app, direct, "198.51.100.9") == direct
    assert await _audited_login_ip(app, "127.0.0.1", "198.51.100.9") == "127.0.0.1"
