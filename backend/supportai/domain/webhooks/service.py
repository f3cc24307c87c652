"""The owner's webhook endpoints, and the delivery log."""

from __future__ import annotations

import base64
import secrets
import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.base import utcnow
from supportai.db.pagination import Page, newest_first, page_of
from supportai.db.unit_of_work import after_commit
from supportai.domain.audit.service import record
from supportai.domain.auth.principal import Principal
from supportai.domain.webhooks.events import EventType, enqueue_deliveries, forget_listeners, payload
from supportai.domain.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from supportai.domain.webhooks.schemas import (
    DeliveryDetail,
    DeliveryOut,
    EndpointIn,
    EndpointOut,
    EndpointPatch,
    EndpointWithSecret,
    SecretOut,
)
from supportai.errors import InvalidInput, NotFound
from supportai.integrations.urls import ensure_public_url
from supportai.runtime import Runtime

MAX_ENDPOINTS = 20


def new_secret() -> str:
    """A `whsec_` secret: 32 random bytes, base64, as Standard Webhooks prescribes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _changed(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    forget_listeners(tenant_id)
    after_commit(session, lambda: _forget(tenant_id))


async def _forget(tenant_id: uuid.UUID) -> None:
    forget_listeners(tenant_id)


async def list_endpoints(session: AsyncSession) -> list[EndpointOut]:
    rows = await session.scalars(sa.select(WebhookEndpoint).order_by(WebhookEndpoint.created_at))
    return [EndpointOut.of(row) for row in rows]


async def get_endpoint(session: AsyncSession, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    endpoint = await session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise NotFound("No such webhook endpoint.")
    return endpoint


def _with_secret(endpoint: WebhookEndpoint, secret: str) -> EndpointWithSecret:
    out = EndpointOut.of(endpoint)
    return EndpointWithSecret(**{f: getattr(out, f) for f in out.__struct_fields__}, secret=secret)


async def create_endpoint(
    runtime: Runtime, session: AsyncSession, actor: Principal, data: EndpointIn
) -> EndpointWithSecret:
    count = await session.scalar(sa.select(sa.func.count()).select_from(WebhookEndpoint)) or 0
    if count >= MAX_ENDPOINTS:
        raise InvalidInput(f"At most {MAX_ENDPOINTS} webhook endpoints per account.")
    url = await ensure_public_url(data.url, allow_private=runtime.settings.allow_private_urls)
    secret = new_secret()
    endpoint = WebhookEndpoint(id=uuid.uuid4(), url=url, description=data.description, events=list(data.events),
                               enabled=data.enabled, secret_encrypted=runtime.secrets.encrypt(secret),
                               created_at=utcnow())
    session.add(endpoint)
    await session.flush()
    record(session, "webhooks.endpoint_created", actor=actor, target=url)
    _changed(session, actor.tenant_id)
    return _with_secret(endpoint, secret)


async def update_endpoint(
    runtime: Runtime, session: AsyncSession, actor: Principal, endpoint_id: uuid.UUID, data: EndpointPatch
) -> EndpointOut:
    endpoint = await get_endpoint(session, endpoint_id)
    if data.url is not None:
        endpoint.url = await ensure_public_url(data.url, allow_private=runtime.settings.allow_private_urls)
    if data.description is not None:
        endpoint.description = data.description
    if data.events is not None:
        endpoint.events = list(data.events)
    if data.enabled is not None:
        endpoint.enabled = data.enabled
    await session.flush()
    record(session, "webhooks.endpoint_updated", actor=actor, target=endpoint.url)
    _changed(session, actor.tenant_id)
    return EndpointOut.of(endpoint)


async def rotate_secret(
    runtime: Runtime, session: AsyncSession, actor: Principal, endpoint_id: uuid.UUID
) -> EndpointWithSecret:
    endpoint = await get_endpoint(session, endpoint_id)
    secret = new_secret()
    endpoint.secret_encrypted = runtime.secrets.encrypt(secret)
    record(session, "webhooks.secret_rotated", actor=actor, target=endpoint.url)
    return _with_secret(endpoint, secret)


async def reveal_secret(runtime: Runtime, session: AsyncSession, endpoint_id: uuid.UUID) -> SecretOut:
    """The owner reads the secret whenever a receiver is set up (as Standard Webhooks
    dashboards show it); owner-only, and never in a list or a get of the endpoint. A reading
    changes nothing, so it is not in the audit log (the log is of changes)."""
    endpoint = await get_endpoint(session, endpoint_id)
    return SecretOut(secret=runtime.secrets.decrypt(endpoint.secret_encrypted))


async def delete_endpoint(runtime: Runtime, session: AsyncSession, actor: Principal, endpoint_id: uuid.UUID) -> None:
    endpoint = await get_endpoint(session, endpoint_id)
    await session.execute(sa.delete(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id))
    await session.delete(endpoint)
    record(session, "webhooks.endpoint_deleted", actor=actor, target=endpoint.url)
    _changed(session, actor.tenant_id)


async def send_test(runtime: Runtime, session: AsyncSession, endpoint_id: uuid.UUID) -> DeliveryOut:
    """A `webhook.test` event to this endpoint alone, whatever it subscribes to."""
    endpoint = await get_endpoint(session, endpoint_id)
    delivery = WebhookDelivery(
        id=uuid.uuid4(), endpoint_id=endpoint.id, event_type=EventType.TEST, next_attempt_at=utcnow(),
        payload=payload(EventType.TEST, {"endpoint_id": str(endpoint.id), "message": "SupportAI test event"}),
        status=DeliveryStatus.PENDING, attempts=0, created_at=utcnow(),
    )
    session.add(delivery)
    await session.flush()
    tenant_id = endpoint.tenant_id
    after_commit(session, lambda: enqueue_deliveries(runtime.queue, [(tenant_id, delivery.id)]))
    return DeliveryOut.of(delivery)


async def list_deliveries(
    session: AsyncSession, *, endpoint_id: uuid.UUID | None, status: str | None, cursor: str | None, limit: int
) -> Page[DeliveryOut]:
    statement = sa.select(WebhookDelivery)
    if endpoint_id is not None:
        statement = statement.where(WebhookDelivery.endpoint_id == endpoint_id)
    if status is not None:
        statement = statement.where(WebhookDelivery.status == status)
    rows = list(await session.scalars(newest_first(statement, WebhookDelivery, cursor, limit)))
    return page_of(rows, limit, DeliveryOut.of)


async def get_delivery(session: AsyncSession, delivery_id: uuid.UUID) -> DeliveryDetail:
    delivery = await _delivery(session, delivery_id)
    attempts = list(await session.scalars(
        sa.select(WebhookAttempt).where(WebhookAttempt.delivery_id == delivery.id)
        .order_by(WebhookAttempt.created_at, WebhookAttempt.id)
    ))
    return DeliveryDetail.detail(delivery, attempts)


async def _delivery(session: AsyncSession, delivery_id: uuid.UUID) -> WebhookDelivery:
    delivery = await session.get(WebhookDelivery, delivery_id)
    if delivery is None:
        raise NotFound("No such webhook delivery.")
    return delivery


async def redeliver(runtime: Runtime, session: AsyncSession, actor: Principal, delivery_id: uuid.UUID) -> DeliveryOut:
    """One more attempt of a past delivery, same `webhook-id` and body, queued now."""
    delivery = await _delivery(session, delivery_id)
    if delivery.status == DeliveryStatus.PENDING:
        raise InvalidInput("This delivery is still being attempted.")
    delivery.status, delivery.next_attempt_at, delivery.updated_at = DeliveryStatus.PENDING, utcnow(), utcnow()
    record(session, "webhooks.redelivered", actor=actor, target=str(delivery.id))
    tenant_id, attempt = delivery.tenant_id, delivery.attempts
    after_commit(session, lambda: enqueue_deliveries(runtime.queue, [(tenant_id, delivery.id)], attempt=attempt))
    return DeliveryOut.of(delivery)
