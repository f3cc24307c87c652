from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec

from supportai.domain.auth.schemas import Input
from supportai.domain.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

Url = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
Description = Annotated[str, msgspec.Meta(max_length=200)]
EventName = Literal[
    "message.received", "request.created", "request.forwarded", "request.resolved", "request.escalated",
    "payment.confirmed",
]
Events = Annotated[list[EventName], msgspec.Meta(max_length=20)]


class EndpointIn(Input):
    url: Url
    description: Description = ""
    events: Events = msgspec.field(default_factory=list)  # empty: every event
    enabled: bool = True


class EndpointPatch(Input):
    url: Url | None = None
    description: Description | None = None
    events: Events | None = None
    enabled: bool | None = None


class EndpointOut(msgspec.Struct):
    id: uuid.UUID
    url: str
    description: str
    events: list[str]
    enabled: bool
    created_at: datetime

    @classmethod
    def of(cls, endpoint: WebhookEndpoint) -> EndpointOut:
        return cls(id=endpoint.id, url=endpoint.url, description=endpoint.description, events=list(endpoint.events),
                   enabled=endpoint.enabled, created_at=endpoint.created_at)


class EndpointWithSecret(EndpointOut):
    """On create and rotate: the endpoint with its (new) signing secret."""

    secret: str = ""


class SecretOut(msgspec.Struct):
    """An endpoint's signing secret (`whsec_…`), for the owner to set up the receiver."""

    secret: str


class DeliveryOut(msgspec.Struct):
    id: uuid.UUID
    endpoint_id: uuid.UUID
    event_type: str
    message_id: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    updated_at: datetime | None

    @classmethod
    def of(cls, delivery: WebhookDelivery) -> DeliveryOut:
        return cls(id=delivery.id, endpoint_id=delivery.endpoint_id, event_type=delivery.event_type,
                   message_id=delivery.message_id, status=delivery.status, attempts=delivery.attempts,
                   next_attempt_at=delivery.next_attempt_at, last_status_code=delivery.last_status_code,
                   last_error=delivery.last_error, created_at=delivery.created_at, updated_at=delivery.updated_at)


class AttemptOut(msgspec.Struct):
    id: uuid.UUID
    status_code: int | None
    error: str | None
    response_excerpt: str | None
    duration_ms: int
    created_at: datetime

    @classmethod
    def of(cls, attempt: WebhookAttempt) -> AttemptOut:
        return cls(id=attempt.id, status_code=attempt.status_code, error=attempt.error,
                   response_excerpt=attempt.response_excerpt, duration_ms=attempt.duration_ms,
                   created_at=attempt.created_at)


class DeliveryDetail(DeliveryOut):
    payload: dict[str, Any] = msgspec.field(default_factory=dict)
    attempt_log: list[AttemptOut] = msgspec.field(default_factory=list)

    @classmethod
    def detail(cls, delivery: WebhookDelivery, attempts: list[WebhookAttempt]) -> DeliveryDetail:
        base = msgspec.structs.asdict(DeliveryOut.of(delivery))
        return cls(**base, payload=delivery.payload, attempt_log=[AttemptOut.of(a) for a in attempts])
