"""schemathesis against the real API: every operation, as the owner, as a staff member and
with an API key, fails on any 500, and on any answer the OpenAPI document does not describe
(status, so also a 502/503 the route does not declare; content type, body schema, headers).

The API runs under uvicorn on a free port against this session's PostgreSQL database;
its rate limits are raised so the run tests the routes, not the limiter. Bounded for a
2-core CI machine: a fixed seed, a few examples per operation, no deadline.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.core.failures import ServerError
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from supportai.app import create_app
from supportai.simulator.server import serve_in_thread
from tests.conftest import make_settings
from tests.integration.openapi_walk import ALL_SCOPES


@schemathesis.check
def no_internal_error(ctx, response, case) -> None:
    """A 500 is always a bug. The other 5xx are answers the API gives on purpose when an
    upstream is down or not set up here (the userbot worker, Telegram, the payment
    gateway); `status_code_conformance` fails them unless the route documents them."""
    if response.status_code == 500:
        raise ServerError(operation=case.operation.label, status_code=500)


CHECKS = [
    no_internal_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
EXAMPLES_PER_OPERATION = 5  # fuzzing; the coverage phase adds its own boundary and negative cases
SEED = 20260101
GENEROUS = 1_000_000


@pytest.fixture(scope="module")
def live_api(pg_database: str, redis_url: str) -> Iterator[str]:
    settings_ = make_settings(
        pg_database, redis_url,
        login_attempts_per_account=GENEROUS, api_requests_per_key=GENEROUS,
        # Nothing outside this machine: Bot API calls are refused at once (a 502 problem).
        telegram_api_base="http://127.0.0.1:9",
    )
    with serve_in_thread(create_app(settings_)) as url:
        yield url


@pytest.fixture(scope="module")
def role_headers(live_api: str) -> dict[str, dict[str, str]]:
    """Owner, staff and API-key credentials of one tenant, made through the API."""
    with httpx.Client(base_url=live_api) as api:
        signup = api.post("/api/auth/signup", json={
            "email": f"fuzz-{uuid.uuid4().hex[:8]}@example.com", "password": "correct horse battery",
            "panel_name": "Fuzzed panel",
        })
        assert signup.status_code == 201, signup.text
        owner = {"Authorization": f"Bearer {signup.json()['access_token']}"}
        invitation = api.post("/api/users/invitations", headers=owner,
                              json={"email": f"staff-{uuid.uuid4().hex[:8]}@example.com"})
        joined = api.post("/api/auth/accept-invitation",
                          json={"token": invitation.json()["token"], "password": "staff password 1"})
        assert joined.status_code == 200, joined.text
        key = api.post("/api/api-keys", headers=owner, json={"name": "fuzz", "scopes": ALL_SCOPES})
        assert key.status_code == 201, key.text
    return {
        "owner": owner,
        "staff": {"Authorization": f"Bearer {joined.json()['access_token']}"},
        "api_key": {"X-API-Key": key.json()["key"]},
    }


# The document the API serves, taken from the app itself (building it connects to nothing);
# the calls go to the live server.
schema = schemathesis.openapi.from_dict(
    create_app(make_settings("postgresql+asyncpg://127.0.0.1/unused", "redis://127.0.0.1/0")).openapi_schema.to_schema()
)
schema.config.seed = SEED


@pytest.mark.parametrize("role", ["owner", "staff", "api_key"])
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_documented(case, role, role_headers, live_api):
    # The first call of a route may import its integration's library (aiogram takes seconds
    # on a busy 2-core machine): a generous timeout, so slowness is not reported as a failure.
    case.call_and_validate(base_url=live_api, headers=role_headers[role], checks=CHECKS, timeout=60)
