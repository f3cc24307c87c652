"""Sending one delivery: signed as Standard Webhooks says, retried on its schedule.

Each attempt is its own short transactions around the HTTP call: the delivery is read,
the call made (no transaction open), and the attempt recorded with the next one planned.
A crash between them only repeats an attempt (receivers drop repeats by `webhook-id`);
the sweeper queues every delivery whose attempt is due, so nothing is lost.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import datetime

import httpx
import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from standardwebhooks import Webhook

from supportai.db.base import utcnow
from supportai.domain.webhooks.events import enqueue_deliveries
from supportai.domain.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from supportai.domain.webhooks.schedule import next_attempt_at
from supportai.errors import InvalidInput
from supportai.integrations.urls import ensure_public_url
from supportai.runtime import Runtime

SEND_TIMEOUT_S = 10.0
EXCERPT = 500  # characters of an error or a response body kept in the log
SWEEP_BATCH = 500


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None
    excerpt: str | None
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass(frozen=True)
class Send:
    url: str
    secret: str
    message_id: str
    body: str


async def deliver(runtime: Runtime, tenant_id: uuid.UUID, delivery_id: uuid.UUID) -> str:
    """Make the delivery's due attempt; returns its status afterwards."""
    async with runtime.db.unit_of_work(tenant_id) as uow:
        delivery = await uow.session.get(WebhookDelivery, delivery_id)
        if delivery is None or delivery.status != DeliveryStatus.PENDING:
            return delivery.status if delivery else "missing"
        endpoint = await uow.session.get(WebhookEndpoint, delivery.endpoint_id)
        if endpoint is None or not endpoint.enabled:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
            delivery.last_error = "the endpoint was removed or disabled"
            await uow.commit()
            return delivery.status
        send = Send(endpoint.url, runtime.secrets.decrypt(endpoint.secret_encrypted), delivery.message_id,
                    msgspec.json.encode(delivery.payload).decode())
    outcome = await post(runtime, send)
    async with runtime.db.unit_of_work(tenant_id) as uow:
        delivery = await uow.session.get_one(WebhookDelivery, delivery_id)
        record_attempt(uow.session, delivery, outcome, utcnow())
        await uow.commit()
    return delivery.status


async def post(runtime: Runtime, send: Send) -> Outcome:
    """One signed POST. The URL is checked again now: its name may resolve elsewhere today."""
    started = time.monotonic()
    try:
        url = await ensure_public_url(send.url, allow_private=runtime.settings.allow_private_urls)
    except InvalidInput as exc:
        return Outcome(None, exc.detail, None, 0)
    now = utcnow()
    headers = {
        "content-type": "application/json",
        "webhook-id": send.message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(send.secret).sign(send.message_id, now, send.body),
    }
    try:
        async with runtime.http.stream("POST", url, content=send.body, headers=headers, timeout=SEND_TIMEOUT_S,
                                       follow_redirects=False) as response:
            excerpt = await _start_of(response)
    except httpx.HTTPError as exc:
        return Outcome(None, f"{type(exc).__name__}: {exc}"[:EXCERPT], None, _ms(started))
    error = None if 200 <= response.status_code < 300 else f"answered HTTP {response.status_code}"
    return Outcome(response.status_code, error, excerpt, _ms(started))


async def _start_of(response: httpx.Response) -> str | None:
    """The body's first bytes: a receiver's answer is for the log, never read whole."""
    head = b""
    async for chunk in response.aiter_bytes():
        head += chunk
        if len(head) >= EXCERPT:
            break
    return head[:EXCERPT].decode(errors="replace") or None


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def record_attempt(session: AsyncSession, delivery: WebhookDelivery, outcome: Outcome, now: datetime) -> None:
    """Log the attempt and plan the next one (none once it succeeded or the schedule is spent)."""
    session.add(WebhookAttempt(
        tenant_id=delivery.tenant_id, delivery_id=delivery.id, status_code=outcome.status_code,
        error=outcome.error[:EXCERPT] if outcome.error else None, response_excerpt=outcome.excerpt,
        duration_ms=outcome.duration_ms, created_at=now,
    ))
    delivery.attempts += 1
    delivery.last_status_code, delivery.last_error = outcome.status_code, outcome.error
    delivery.updated_at = now
    delivery.next_attempt_at = None if outcome.ok else next_attempt_at(delivery.attempts, now)
    if outcome.ok:
        delivery.status = DeliveryStatus.SUCCEEDED
    elif delivery.next_attempt_at is None:
        delivery.status = DeliveryStatus.FAILED


async def sweep_due(runtime: Runtime, now: datetime | None = None) -> int:
    """Queue every delivery whose attempt is due at `now` (retries, and any whose job was
    lost). A job id per attempt: one already queued or run for it is not queued twice."""
    now = now or utcnow()
    async with runtime.db.unit_of_work(None) as uow:
        due = (await uow.session.execute(
            sa.select(WebhookDelivery.tenant_id, WebhookDelivery.id, WebhookDelivery.attempts)
            .where(WebhookDelivery.status == DeliveryStatus.PENDING, WebhookDelivery.next_attempt_at <= now)
            .order_by(WebhookDelivery.next_attempt_at).limit(SWEEP_BATCH)
        )).all()
    for tenant_id, delivery_id, attempts in due:
        await enqueue_deliveries(runtime.queue, [(tenant_id, delivery_id)], attempt=attempts)
    return len(due)
