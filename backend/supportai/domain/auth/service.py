"""Login, token rotation, invitations, users and API keys (sign-up is `tenants/signup.py`)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.unit_of_work import after_commit
from supportai.domain.audit.service import record
from supportai.domain.auth.models import ApiKey, Invitation, RefreshToken, Role, User
from supportai.domain.auth.principal import Principal, api_key_cache_key, forget_user
from supportai.domain.auth.schemas import (
    ApiKeyCreatedOut,
    ApiKeyOut,
    InvitationOut,
    TokensOut,
    UserOut,
)
from supportai.domain.auth.throttle import LoginThrottle
from supportai.errors import AuthenticationFailed, Conflict, InvalidInput, NotFound
from supportai.runtime import Runtime
from supportai.security import (
    DUMMY_PASSWORD_HASH,
    hash_password,
    new_token,
    password_weakness,
    token_hash,
    verify_password,
)

INVITATION_TTL = timedelta(days=7)


def _now() -> datetime:
    return datetime.now(UTC)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def ensure_strong_password(password: str, *related: str) -> None:
    weakness = password_weakness(password, *related)
    if weakness:
        raise InvalidInput(weakness, field="password")


async def log_in(
    runtime: Runtime, session: AsyncSession, *, email: str, password: str, ip: str | None
) -> TokensOut:
    email = normalise_email(email)
    throttle = LoginThrottle(runtime, email, ip)
    await throttle.check()
    user = await session.scalar(sa.select(User).where(User.email == email))
    # Verify against a dummy hash for unknown emails so timing does not reveal accounts.
    valid = verify_password(user.password_hash if user else DUMMY_PASSWORD_HASH, password)
    if user is None or not valid or not user.is_active:
        await throttle.failed()
        raise AuthenticationFailed("The email or password is wrong.")
    await throttle.succeeded()
    record(session, "user.login", actor=as_principal(user), target=email, ip=ip)
    return await issue_tokens(runtime, session, user, family_id=uuid.uuid4())


async def refresh(runtime: Runtime, session: AsyncSession, *, refresh_token: str) -> TokensOut:
    token = await session.scalar(
        sa.select(RefreshToken).where(RefreshToken.token_hash == token_hash(refresh_token)).with_for_update()
    )
    if token is None or token.revoked_at or token.expires_at <= _now():
        raise AuthenticationFailed("The refresh token is invalid, expired or revoked.")
    if token.used_at is not None:
        # A rotated token came back: it was stolen or replayed. End the whole family, in a
        # transaction of its own: the error answer rolls the handler's session back.
        family_id = token.family_id
        await session.rollback()  # lets go of the token's row lock first
        async with runtime.db.unit_of_work(None) as uow:
            await _revoke_family(uow.session, family_id)
            await uow.commit()
        raise AuthenticationFailed("The refresh token was already used; sign in again.")
    token.used_at = _now()
    user = await session.get(User, token.user_id)
    if user is None or not user.is_active:
        raise AuthenticationFailed("The account is disabled.")
    return await issue_tokens(runtime, session, user, family_id=token.family_id)


async def log_out(session: AsyncSession, *, refresh_token: str) -> None:
    token = await session.scalar(
        sa.select(RefreshToken).where(RefreshToken.token_hash == token_hash(refresh_token))
    )
    if token is not None:
        await _revoke_family(session, token.family_id)


async def accept_invitation(
    runtime: Runtime, session: AsyncSession, *, token: str, password: str, ip: str | None
) -> TokensOut:
    invitation = await session.scalar(
        sa.select(Invitation).where(Invitation.token_hash == token_hash(token)).with_for_update()
    )
    if invitation is None or invitation.accepted_at or invitation.expires_at <= _now():
        raise NotFound("This invitation does not exist or has expired.")
    if await session.scalar(sa.select(User.id).where(User.email == invitation.email)):
        raise Conflict("An account with this email already exists.")
    ensure_strong_password(password, invitation.email)
    invitation.accepted_at = _now()
    user = User(
        tenant_id=invitation.tenant_id,
        email=invitation.email,
        password_hash=hash_password(password),
        role=invitation.role,
    )
    session.add(user)
    await session.flush()
    record(session, "user.invitation_accepted", actor=as_principal(user), target=user.email, ip=ip)
    return await issue_tokens(runtime, session, user, family_id=uuid.uuid4())


async def invite(session: AsyncSession, actor: Principal, *, email: str, role: str) -> InvitationOut:
    email = normalise_email(email)
    if await session.scalar(sa.select(User.id).where(User.email == email)):
        raise Conflict("This email already belongs to a user.")
    raw = new_token("inv")
    invitation = Invitation(
        email=email, role=role, token_hash=token_hash(raw), invited_by=actor.id, expires_at=_now() + INVITATION_TTL
    )
    session.add(invitation)
    await session.flush()
    record(session, "user.invited", actor=actor, target=email, role=role)
    return InvitationOut(id=invitation.id, email=email, role=role, expires_at=invitation.expires_at, token=raw)


async def list_users(session: AsyncSession) -> list[UserOut]:
    users = await session.scalars(sa.select(User).order_by(User.created_at))
    return [UserOut.of(user) for user in users]


async def deactivate_user(runtime: Runtime, session: AsyncSession, actor: Principal, user_id: uuid.UUID) -> None:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    if user.role == Role.OWNER:
        raise InvalidInput("The owner cannot be removed.")
    user.is_active = False
    record(session, "user.deactivated", actor=actor, target=user.email)
    await end_sessions(runtime, session, user)


async def change_password(
    runtime: Runtime, session: AsyncSession, actor: Principal, *, current_password: str, new_password: str
) -> TokensOut:
    """Every other session of the user ends; the caller gets a fresh pair of tokens."""
    user = await session.get_one(User, actor.id)
    if not verify_password(user.password_hash, current_password):
        raise AuthenticationFailed("The current password is wrong.")
    ensure_strong_password(new_password, user.email)
    user.password_hash = hash_password(new_password)
    record(session, "user.password_changed", actor=actor, target=user.email)
    await end_sessions(runtime, session, user)
    return await issue_tokens(runtime, session, user, family_id=uuid.uuid4())


async def end_sessions(runtime: Runtime, session: AsyncSession, user: User) -> None:
    """End every token of the user at once: removal, role or password change call this."""
    user.token_version += 1
    await session.execute(
        sa.update(RefreshToken)
        .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=_now())
    )
    # Forgotten once committed: a request in between would cache the old state again.
    after_commit(session, lambda: forget_user(runtime, user.id))


async def create_api_key(session: AsyncSession, actor: Principal, *, name: str, scopes: list[str]) -> ApiKeyCreatedOut:
    raw = new_token("sai")
    key = ApiKey(
        name=name, prefix=raw[:10], key_hash=token_hash(raw), scopes=sorted(set(scopes)), created_by=actor.id
    )
    session.add(key)
    await session.flush()
    record(session, "api_key.created", actor=actor, target=key.prefix, name=name, scopes=key.scopes)
    return ApiKeyCreatedOut.created(key, raw)


async def list_api_keys(session: AsyncSession) -> list[ApiKeyOut]:
    keys = await session.scalars(sa.select(ApiKey).order_by(ApiKey.created_at.desc()))
    return [ApiKeyOut.of(key) for key in keys]


async def revoke_api_key(runtime: Runtime, session: AsyncSession, actor: Principal, key_id: uuid.UUID) -> None:
    key = await session.get(ApiKey, key_id)
    if key is None:
        raise NotFound("No such API key.")
    if key.revoked_at is None:
        key.revoked_at = _now()
        record(session, "api_key.revoked", actor=actor, target=key.prefix, name=key.name)
        after_commit(session, lambda: _forget_api_key(runtime, key.key_hash))


async def _forget_api_key(runtime: Runtime, key_hash: str) -> None:
    await runtime.redis.delete(api_key_cache_key(key_hash))


async def issue_tokens(runtime: Runtime, session: AsyncSession, user: User, *, family_id: uuid.UUID) -> TokensOut:
    raw = new_token("rt")
    session.add(
        RefreshToken(
            tenant_id=user.tenant_id,
            user_id=user.id,
            family_id=family_id,
            token_hash=token_hash(raw),
            expires_at=_now() + timedelta(seconds=runtime.settings.refresh_token_ttl_s),
        )
    )
    await session.flush()
    access = runtime.access_tokens.issue(
        user_id=user.id, tenant_id=user.tenant_id, role=user.role, version=user.token_version
    )
    return TokensOut(
        access_token=access,
        refresh_token=raw,
        expires_in=runtime.access_tokens.ttl_s,
        tenant_id=user.tenant_id,
        user_id=user.id,
    )


async def _revoke_family(session: AsyncSession, family_id: uuid.UUID) -> None:
    await session.execute(
        sa.update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=_now())
    )


def as_principal(user: User) -> Principal:
    return Principal(kind="user", id=user.id, tenant_id=user.tenant_id, role=user.role)
