"""Opening an account: the tenant, its owner, their settings and subscription, at once.

It spans areas (auth's users and tokens, billing's subscription), so it lives with the
tenant it creates, above them: auth and billing know nothing of tenants' sign-up.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.domain.audit.service import record
from supportai.domain.auth.models import Role, User
from supportai.domain.auth.schemas import TokensOut
from supportai.domain.auth.service import (
    as_principal,
    ensure_strong_password,
    issue_tokens,
    normalise_email,
)
from supportai.domain.auth.throttle import limit_signups
from supportai.domain.billing.service import open_subscription
from supportai.domain.billing.subscriptions import start_trial
from supportai.domain.tenants.models import Tenant, TenantSettings
from supportai.errors import Conflict
from supportai.runtime import Runtime
from supportai.security import hash_password


async def sign_up(
    runtime: Runtime, session: AsyncSession, *, email: str, password: str, panel_name: str, ip: str | None
) -> TokensOut:
    email = normalise_email(email)
    ensure_strong_password(password, email, panel_name)
    if await session.scalar(sa.select(User.id).where(User.email == email)):
        raise Conflict("An account with this email already exists.")
    await limit_signups(runtime, ip)  # counts accounts about to be made, not refused tries
    tenant = Tenant(name=panel_name.strip())
    session.add(tenant)
    await session.flush()
    user = User(tenant_id=tenant.id, email=email, password_hash=hash_password(password), role=Role.OWNER)
    session.add_all([user, TenantSettings(tenant_id=tenant.id)])
    subscription = open_subscription(session, datetime.now(UTC), tenant_id=tenant.id)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent sign-up took the email
        raise Conflict("An account with this email already exists.") from exc
    await start_trial(runtime, session, subscription, datetime.now(UTC))
    record(session, "tenant.signup", actor=as_principal(user), target=email, ip=ip, panel_name=tenant.name)
    return await issue_tokens(runtime, session, user, family_id=uuid.uuid4())
