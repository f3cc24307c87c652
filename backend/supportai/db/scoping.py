"""Tenant isolation in one place: session hooks that scope every ORM statement.

A session is opened for exactly one tenant (`tenant_session`) or, explicitly, for the
system (`system_session`: sign-up, login, webhooks, schedulers that fan out per tenant).
In a tenant session every SELECT/UPDATE/DELETE touching a `TenantScoped` model (and the
`TenantRoot`, the tenants table itself) gets a `tenant_id = :current` criterion, and new rows get the
tenant stamped. A session with neither refuses tenant-owned queries instead of leaking.
"""

from __future__ import annotations

import uuid

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from supportai.db.base import TenantRoot, TenantScoped

TENANT_KEY = "tenant_id"
SYSTEM_KEY = "system_scope"


class TenantScopeError(RuntimeError):
    """A tenant-owned row was touched outside a tenant scope, or across tenants."""


def bind_tenant(session: Session, tenant_id: uuid.UUID) -> None:
    session.info[TENANT_KEY] = tenant_id
    session.info.pop(SYSTEM_KEY, None)


def bind_system(session: Session) -> None:
    session.info[SYSTEM_KEY] = True
    session.info.pop(TENANT_KEY, None)


def current_tenant(session: Session) -> uuid.UUID | None:
    return session.info.get(TENANT_KEY)


def _touches_tenant_rows(state: ORMExecuteState) -> bool:
    return any(
        issubclass(mapper.class_, (TenantScoped, TenantRoot))
        for mapper in state.all_mappers
    )


@event.listens_for(Session, "do_orm_execute")
def _scope_statement(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    tenant_id = state.session.info.get(TENANT_KEY)
    if tenant_id is None:
        if state.session.info.get(SYSTEM_KEY) or not _touches_tenant_rows(state):
            return
        raise TenantScopeError("query on tenant-owned rows outside a tenant scope")

    # The root is criteria'd by its mapped class: a plain marker has no `id` to compare.
    roots = {mapper.class_ for mapper in state.all_mappers if issubclass(mapper.class_, TenantRoot)}
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantScoped, lambda cls: cls.tenant_id == tenant_id, include_aliases=True
        ),
        *(with_loader_criteria(root, lambda cls: cls.id == tenant_id, include_aliases=True) for root in roots),
    )


@event.listens_for(Session, "before_flush")
def _stamp_tenant(session: Session, _flush_context: object, _instances: object) -> None:
    tenant_id = session.info.get(TENANT_KEY)
    system = session.info.get(SYSTEM_KEY)
    for obj in (*session.new, *session.dirty):
        if not isinstance(obj, TenantScoped):
            continue
        if tenant_id is None:
            if not system or obj.tenant_id is None:
                raise TenantScopeError(f"{type(obj).__name__} written outside a tenant scope")
        elif obj.tenant_id is None:
            obj.tenant_id = tenant_id
        elif obj.tenant_id != tenant_id:
            raise TenantScopeError(f"{type(obj).__name__} belongs to another tenant")
