"""Sign-up, login, token rotation, logout, forged tokens, API keys and the staff guard."""

from __future__ import annotations

import base64
import json
import time
import uuid

import pytest
from jose import jwt

from supportai.domain.auth.models import Role, User
from supportai.domain.auth.service import end_sessions
from supportai.runtime import open_runtime
from supportai.security import JWT_ALGORITHM


async def test_signup_then_login_gives_working_tokens(client, sign_up):
    account = await sign_up("Rocket Panel")
    me = await client.get("/api/auth/me", headers=account.headers)
    assert me.status_code == 200
    assert me.json()["email"] == account.email
    assert me.json()["role"] == "owner"
    assert me.json()["tenant_name"] == "Rocket Panel"

    login = await client.post("/api/auth/login", json={"email": account.email.upper(), "password": account.password})
    assert login.status_code == 200
    assert login.json()["tenant_id"] == account.tenant_id


async def test_signup_with_taken_email_is_a_conflict(client, sign_up):
    account = await sign_up()
    again = await client.post(
        "/api/auth/signup", json={"email": account.email, "password": "another password", "panel_name": "X"}
    )
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")


async def test_wrong_password_is_refused_like_an_unknown_account(client, sign_up):
    account = await sign_up()
    wrong = await client.post("/api/auth/login", json={"email": account.email, "password": "not the password"})
    unknown = await client.post("/api/auth/login", json={"email": "nobody@example.com", "password": "whatever it is"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]


async def test_refresh_rotates_and_a_reused_token_kills_the_family(client, sign_up):
    account = await sign_up()
    first = await client.post("/api/auth/refresh", json={"refresh_token": account.refresh_token})
    assert first.status_code == 200
    rotated = first.json()["refresh_token"]
    assert rotated != account.refresh_token

    replay = await client.post("/api/auth/refresh", json={"refresh_token": account.refresh_token})
    assert replay.status_code == 401
    # The replay revoked the family: the newest token stops working too.
    after = await client.post("/api/auth/refresh", json={"refresh_token": rotated})
    assert after.status_code == 401


async def test_logout_revokes_the_refresh_token(client, sign_up):
    account = await sign_up()
    assert (await client.post("/api/auth/logout", json={"refresh_token": account.refresh_token})).status_code == 204
    refused = await client.post("/api/auth/refresh", json={"refresh_token": account.refresh_token})
    assert refused.status_code == 401


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


async def test_expired_forged_none_and_wrong_audience_tokens_are_refused(client, sign_up, settings):
    account = await sign_up()
    claims = jwt.get_unverified_claims(account.access_token)
    now = int(time.time())

    expired = jwt.encode({**claims, "exp": now - 10}, settings.jwt_secret, algorithm=JWT_ALGORITHM)
    forged = jwt.encode(claims, "not-the-secret", algorithm=JWT_ALGORITHM)
    wrong_audience = jwt.encode({**claims, "aud": "someone-else"}, settings.jwt_secret, algorithm=JWT_ALGORITHM)
    wrong_issuer = jwt.encode({**claims, "iss": "evil"}, settings.jwt_secret, algorithm=JWT_ALGORITHM)
    alg_none = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
    hs512 = jwt.encode(claims, settings.jwt_secret, algorithm="HS512")

    for token in (expired, forged, wrong_audience, wrong_issuer, alg_none, hs512, "garbage"):
        response = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, token
        assert response.headers["content-type"].startswith("application/problem+json")

    assert (await client.get("/api/auth/me")).status_code == 401


async def test_api_key_is_shown_once_authenticates_and_stops_when_revoked(client, sign_up, pg_database):
    account = await sign_up()
    created = await client.post(
        "/api/api-keys", json={"name": "zapier", "scopes": ["messages:write"]}, headers=account.headers
    )
    assert created.status_code == 201
    key = created.json()["key"]
    assert key.startswith(created.json()["prefix"])

    listed = (await client.get("/api/api-keys", headers=account.headers)).json()
    assert [k["prefix"] for k in listed] == [created.json()["prefix"]]
    assert "key" not in listed[0]

    me = await client.get("/api/auth/me", headers={"X-API-Key": key})
    assert me.status_code == 200
    assert me.json()["kind"] == "api_key"
    assert me.json()["scopes"] == ["messages:write"]

    # A key cannot manage the account: owner routes refuse it.
    assert (await client.get("/api/api-keys", headers={"X-API-Key": key})).status_code == 403

    revoked = await client.delete(f"/api/api-keys/{created.json()['id']}", headers=account.headers)
    assert revoked.status_code == 204
    assert (await client.get("/api/auth/me", headers={"X-API-Key": key})).status_code == 401
    assert (await client.get("/api/auth/me", headers={"X-API-Key": "sai_made_up"})).status_code == 401


async def test_staff_cannot_manage_keys_users_or_settings(client, sign_up):
    owner = await sign_up()
    invitation = await client.post("/api/users/invitations", json={"email": f"staff-{owner.user_id[:8]}@example.com"},
                                   headers=owner.headers)
    assert invitation.status_code == 201
    joined = await client.post(
        "/api/auth/accept-invitation", json={"token": invitation.json()["token"], "password": "staff password 1"}
    )
    assert joined.status_code == 200
    staff = {"Authorization": f"Bearer {joined.json()['access_token']}"}

    assert (await client.get("/api/auth/me", headers=staff)).json()["role"] == "staff"
    assert (await client.get("/api/tenant/settings", headers=staff)).status_code == 200
    assert (await client.get("/api/api-keys", headers=staff)).status_code == 403
    assert (await client.post("/api/api-keys", json={"name": "x", "scopes": ["messages:write"]},
                              headers=staff)).status_code == 403
    assert (await client.patch("/api/tenant/settings", json={"tolerance": 3}, headers=staff)).status_code == 403
    assert (await client.get("/api/users", headers=staff)).status_code == 403

    # The invitation works once.
    again = await client.post(
        "/api/auth/accept-invitation", json={"token": invitation.json()["token"], "password": "staff password 1"}
    )
    assert again.status_code == 404


async def test_audit_log_records_signup_login_keys_and_settings(client, sign_up):
    account = await sign_up()
    await client.post("/api/auth/login", json={"email": account.email, "password": account.password})
    key = await client.post("/api/api-keys", json={"name": "k", "scopes": ["messages:read"]}, headers=account.headers)
    await client.delete(f"/api/api-keys/{key.json()['id']}", headers=account.headers)
    await client.patch("/api/tenant/settings", json={"tolerance": 7}, headers=account.headers)

    entries = (await client.get("/api/audit", headers=account.headers)).json()["items"]
    actions = [entry["action"] for entry in entries]
    assert actions == ["settings.updated", "api_key.revoked", "api_key.created", "user.login", "tenant.signup"]
    assert entries[0]["detail"]["after"] == {"tolerance": 7}
    assert all(entry["actor_id"] == account.user_id for entry in entries)


async def test_audit_log_pages_with_a_cursor(client, sign_up):
    account = await sign_up()
    for tolerance in range(5):
        await client.patch("/api/tenant/settings", json={"tolerance": tolerance}, headers=account.headers)
    first = (await client.get("/api/audit?limit=4", headers=account.headers)).json()
    second = (await client.get(f"/api/audit?limit=4&cursor={first['next_cursor']}", headers=account.headers)).json()
    ids = [e["id"] for e in first["items"]] + [e["id"] for e in second["items"]]
    assert len(ids) == len(set(ids)) == 6
    assert second["next_cursor"] is None
    bad = await client.get("/api/audit?cursor=nonsense", headers=account.headers)
    assert bad.status_code == 400


async def _staff(client, owner) -> dict[str, str]:
    invitation = await client.post(
        "/api/users/invitations", json={"email": f"staff-{uuid.uuid4().hex[:8]}@example.com"}, headers=owner.headers
    )
    joined = (await client.post(
        "/api/auth/accept-invitation", json={"token": invitation.json()["token"], "password": "staff password 1"}
    )).json()
    return {"Authorization": f"Bearer {joined['access_token']}", "user_id": joined["user_id"],
            "refresh_token": joined["refresh_token"]}


async def test_a_removed_staff_members_tokens_stop_at_once(client, sign_up):
    owner = await sign_up()
    staff = await _staff(client, owner)
    bearer = {"Authorization": staff["Authorization"]}
    assert (await client.get("/api/requests", headers=bearer)).status_code == 200

    assert (await client.delete(f"/api/users/{staff['user_id']}", headers=owner.headers)).status_code == 204
    refused = await client.get("/api/requests", headers=bearer)
    assert refused.status_code == 401
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert (await client.post("/api/auth/refresh", json={"refresh_token": staff["refresh_token"]})).status_code == 401
    assert (await client.get("/api/auth/me", headers=owner.headers)).status_code == 200


async def test_a_password_change_ends_every_other_session(client, sign_up):
    account = await sign_up()
    other_device = (await client.post("/api/auth/login",
                                      json={"email": account.email, "password": account.password})).json()
    weak = await client.post("/api/auth/password", headers=account.headers,
                             json={"current_password": account.password, "new_password": "aaaaaaaaaa"})
    assert weak.status_code == 400 and weak.json()["field"] == "password"
    wrong = await client.post("/api/auth/password", headers=account.headers,
                              json={"current_password": "not the password", "new_password": "plum kettle orbit 9"})
    assert wrong.status_code == 401

    changed = await client.post("/api/auth/password", headers=account.headers,
                                json={"current_password": account.password, "new_password": "plum kettle orbit 9"})
    assert changed.status_code == 200, changed.text
    for stale in (account.access_token, other_device["access_token"]):
        assert (await client.get("/api/auth/me", headers={"Authorization": f"Bearer {stale}"})).status_code == 401
    for stale in (account.refresh_token, other_device["refresh_token"]):
        assert (await client.post("/api/auth/refresh", json={"refresh_token": stale})).status_code == 401
    fresh = {"Authorization": f"Bearer {changed.json()['access_token']}"}
    assert (await client.get("/api/auth/me", headers=fresh)).status_code == 200
    assert (await client.post("/api/auth/login", json={"email": account.email,
                                                       "password": account.password})).status_code == 401
    assert (await client.post("/api/auth/login", json={"email": account.email,
                                                       "password": "plum kettle orbit 9"})).status_code == 200


async def test_a_role_change_through_end_sessions_takes_effect_at_once(client, sign_up, settings):
    """No route changes roles yet; whatever does calls `end_sessions`, and the guard reads
    the current role, not the one in the token."""
    owner = await sign_up()
    staff = await _staff(client, owner)
    bearer = {"Authorization": staff["Authorization"]}
    assert (await client.get("/api/auth/me", headers=bearer)).json()["role"] == "staff"
    async with open_runtime(settings) as runtime, runtime.db.tenant_session(uuid.UUID(owner.tenant_id)) as session:
        user = await session.get_one(User, uuid.UUID(staff["user_id"]))
        user.role = Role.OWNER
        await end_sessions(runtime, session, user)
    assert (await client.get("/api/auth/me", headers=bearer)).status_code == 401


@pytest.mark.parametrize("password", ["aaaaaaaaaa", " " * 12, "password123", "qwertyuiop", "1234567890"])
async def test_weak_passwords_are_refused_with_a_reason(client, sign_up, password):
    signup = await client.post("/api/auth/signup", json={
        "email": f"weak-{uuid.uuid4().hex[:8]}@example.com", "password": password, "panel_name": "Weak"})
    assert signup.status_code == 400
    problem = signup.json()
    assert problem["field"] == "password" and problem["detail"].startswith("This password is too easy to guess.")

    owner = await sign_up()
    invitation = await client.post("/api/users/invitations", json={"email": f"w-{uuid.uuid4().hex[:8]}@example.com"},
                                   headers=owner.headers)
    joined = await client.post("/api/auth/accept-invitation",
                               json={"token": invitation.json()["token"], "password": password})
    assert joined.status_code == 400 and joined.json()["field"] == "password"


async def test_a_password_made_of_the_accounts_own_words_is_weak(client):
    email = f"rocketpanel{uuid.uuid4().hex[:4]}@example.com"
    signup = await client.post("/api/auth/signup", json={"email": email, "password": email, "panel_name": "Rocket"})
    assert signup.status_code == 400
