"""Who is calling: a user with a bearer JWT or an API key, checked against the database.

The HTTP side (reading the headers, the app-wide guard) is `supportai.api.auth`; this is
what a caller is and how a credential becomes one, so services can take a `Principal`.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, datetime
from typing import Literal

import msgspec
import sqlalchemy as sa
from redis.exceptions import RedisError

from supportai.domain.auth.models import ApiKey, Role, User
from supportai.domain.auth.throttle import api_key_failures, limit_api_key_calls
from supportai.errors import AuthenticationFailed, RateLimited
from supportai.runtime import Runtime
from supportai.security import AccessTokenError, token_hash


class Principal(msgspec.Struct, frozen=True):
    kind: Literal["user", "api_key"]
    id: uuid.UUID
    tenant_id: uuid.UUID
    role: str | None = None
    scopes: frozenset[str] = frozenset()

    @property
    def is_owner(self) -> bool:
        return self.kind == "user" and self.role == Role.OWNER


class UserState(msgspec.Struct, frozen=True):
    """What a bearer token is checked against on every request."""

    active: bool
    role: str
    token_version: int


USER_STATE_CACHE_TTL_S = 60


def user_state_cache_key(user_id: uuid.UUID) -> str:
    return f"supportai:user-state:{user_id}"


async def authenticate_bearer(runtime: Runtime, token: str) -> Principal:
    """A valid signature is not enough: the user must still exist and be active, and the
    token must carry the user's current version (removal, role and password changes bump
    it). The role is the current one, not the one the token was issued with."""
    try:
        claims = runtime.access_tokens.verify(token)
        user_id, tenant_id, version = uuid.UUID(claims["sub"]), uuid.UUID(claims["tid"]), int(claims["ver"])
    except (AccessTokenError, KeyError, ValueError, TypeError) as exc:
        raise AuthenticationFailed("The access token is invalid or expired.") from exc
    state = await _user_state(runtime, user_id, tenant_id)
    if state is None or not state.active or state.token_version != version:
        raise AuthenticationFailed("The access token is no longer valid; sign in again.")
    return Principal(kind="user", id=user_id, tenant_id=tenant_id, role=state.role)


async def _user_state(runtime: Runtime, user_id: uuid.UUID, tenant_id: uuid.UUID) -> UserState | None:
    """Cached in Redis briefly; whatever changes the state deletes the entry (forget_user)."""
    key = user_state_cache_key(user_id)
    try:
        cached = await runtime.redis.get(key)
    except RedisError:
        cached = None  # Redis is down: the database still answers
    if cached:
        return msgspec.json.decode(cached, type=UserState)
    async with runtime.db.unit_of_work(tenant_id) as uow:
        user = await uow.session.get(User, user_id)
        if user is None:
            return None
        state = UserState(active=user.is_active, role=user.role, token_version=user.token_version)
    with contextlib.suppress(RedisError):
        await runtime.redis.set(key, msgspec.json.encode(state), ex=USER_STATE_CACHE_TTL_S)
    return state


async def forget_user(runtime: Runtime, user_id: uuid.UUID) -> None:
    """Call after committing a change to the user's state, so the next request sees it."""
    await runtime.redis.delete(user_state_cache_key(user_id))


API_KEY_CACHE_TTL_S = 60  # also how often `last_used_at` is stamped, at most


def api_key_cache_key(key_hash: str) -> str:
    return f"supportai:api-key:{key_hash}"


async def authenticate_api_key(runtime: Runtime, raw_key: str, ip: str | None) -> Principal:
    """Wrong keys are counted per address, so keys cannot be guessed at speed; each key
    has a request rate. Redis being down lifts both rather than the public API."""
    failures = api_key_failures(runtime)
    address = ip or "unknown"
    with contextlib.suppress(RedisError):
        if wait_s := await failures.retry_after(address):
            raise RateLimited("Too many wrong API keys from this address; try again later.", retry_after_s=wait_s)
    try:
        principal = await _principal_of_api_key(runtime, raw_key)
    except AuthenticationFailed:
        with contextlib.suppress(RedisError):
            await failures.record(address)
        raise
    with contextlib.suppress(RedisError):
        await limit_api_key_calls(runtime, principal.id)
    return principal


async def _principal_of_api_key(runtime: Runtime, raw_key: str) -> Principal:
    """Keys are looked up by hash; a hit is cached in Redis so a busy integration does not
    cost a database transaction per call. Revoking a key deletes its cache entry."""
    key_hash = token_hash(raw_key)
    try:
        cached = await runtime.redis.get(api_key_cache_key(key_hash))
    except RedisError:
        cached = None  # Redis is down: the database still answers
    if cached:
        return msgspec.json.decode(cached, type=Principal)
    # Looked up before the tenant is known: the one unscoped read, by unique hash.
    async with runtime.db.unit_of_work(None) as uow:
        key = await uow.session.scalar(
            sa.select(ApiKey).where(ApiKey.key_hash == key_hash, ApiKey.revoked_at.is_(None))
        )
        if key is None:
            raise AuthenticationFailed("The API key is invalid or revoked.")
        key.last_used_at = datetime.now(UTC)
        principal = Principal(kind="api_key", id=key.id, tenant_id=key.tenant_id, scopes=frozenset(key.scopes))
        await uow.commit()
    with contextlib.suppress(RedisError):
        await runtime.redis.set(api_key_cache_key(key_hash), msgspec.json.encode(principal), ex=API_KEY_CACHE_TTL_S)
    return principal
