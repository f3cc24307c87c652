"""What the demo prints: each customer message once SupportAI has handled it (channel,
language, text, each order's decision, the reply sent), then what happens to its requests
later (forwarded, the provider's answer and how it was read, follow-ups, resolved, the
customer told), read from the requests' timelines as they grow."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from supportai.db.base import utcnow
from supportai.demo.clock import FastClock
from supportai.domain.requests.models import (
    Message,
    MessageStatus,
    RequestEvent,
    SideEffect,
    SupportRequest,
)
from supportai.engine.decisions import RequestStatus
from supportai.runtime import Runtime

MARGIN = timedelta(minutes=2)  # a transaction may commit a little after its rows were stamped
INDENT = " " * 4


def shorten(text: str, limit: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class Narrator:
    def __init__(
        self, runtime: Runtime, tenant_id: uuid.UUID, clock: FastClock, report: Callable[[str], object]
    ) -> None:
        self.runtime, self.tenant_id, self.clock, self.report = runtime, tenant_id, clock, report
        self.told_messages: set[uuid.UUID] = set()
        self.told_events: set[uuid.UUID] = set()
        self.outcomes = Counter[str]()

    def say(self, line: str) -> None:
        self.report(f"[{self.clock.label()}] {line}")

    async def step(self) -> None:
        since = utcnow() - MARGIN
        async with self.runtime.db.unit_of_work(self.tenant_id) as uow:
            messages = [m for m in await uow.session.scalars(
                sa.select(Message)
                .where(Message.status == MessageStatus.PROCESSED, Message.processed_at >= since)
                .order_by(Message.processed_at)
            ) if m.id not in self.told_messages]
            requests = list(await uow.session.scalars(
                sa.select(SupportRequest).where(SupportRequest.message_id.in_([m.id for m in messages]))
            )) if messages else []
            events = list(await uow.session.execute(
                sa.select(RequestEvent, SupportRequest).join(SupportRequest)
                .where(RequestEvent.created_at >= since).order_by(RequestEvent.created_at)
            ))
            self._tell(messages, requests, events)

    def _tell(
        self,
        messages: list[Message],
        requests: list[SupportRequest],
        events: list[sa.Row[tuple[RequestEvent, SupportRequest]]],
    ) -> None:
        for message in messages:
            if not message.customer.startswith("provider:"):  # a provider's answer: told as an event
                self._tell_message(message, [r for r in requests if r.message_id == message.id])
            self.told_messages.add(message.id)
        # What a message's requests did up to now was told with it.
        told_with_message = {r.id for r in requests}
        self.told_events |= {event.id for event, request in events if request.id in told_with_message}
        said: set[str] = set()
        for event, request in events:
            if event.id in self.told_events or request.message_id not in self.told_messages:
                continue
            self.told_events.add(event.id)
            line = describe(event.kind, event.detail, request)
            if line is not None and line not in said:  # a reminder can share its message with the request
                said.add(line)
                self.say(line)

    def _tell_message(self, message: Message, requests: list[SupportRequest]) -> None:
        where = f"ticket #{message.ticket_id}" if message.ticket_id else message.source
        self.say(f"{where} from {message.customer} [{message.lang or '?'}]: \"{shorten(message.text)}\"")
        for request in sorted(requests, key=lambda r: r.created_at):
            self.outcomes[request.outcome or "pending"] += 1
            order = f"order {request.order_id}" if request.order_id else "no order"
            reason = f" ({request.reason})" if request.reason else ""
            self.report(f"{INDENT}{order}: {request.intent} → {request.outcome} [{request.status}]"
                        f"{reason}{_how(request)}")
        if message.reply_text:
            channel = "the ticket" if message.source == "ticket" else f"{message.source} result"
            self.report(f"{INDENT}reply on {channel}: \"{shorten(message.reply_text, 140)}\"")
        self.outcomes["_messages"] += 1


def _how(request: SupportRequest) -> str:
    """How a forwarded request went to its provider, when the decision was told."""
    if request.provider_call == SideEffect.DONE:
        return f", sent to {request.provider} through its API"
    if request.status == RequestStatus.FORWARDED and request.provider_call is None:
        return f", for {request.provider} on Telegram"
    return ""


def describe(kind: str, detail: dict[str, Any], request: SupportRequest) -> str | None:
    """A timeline step worth telling, in a line; None for the routine ones."""
    order = f"order {request.order_id}"
    provider = detail.get("provider") or request.provider
    match kind:
        case "provider_call_done":
            return f"{order}: {detail.get('action')} sent to {provider} through its API"
        case "provider_call_failed":
            return f"{order}: {provider}'s API failed: {detail.get('error')}"
        case "declined":
            return f"{order}: {provider}'s API refused it: {detail.get('error')}"
        case "dispatch_queued" if detail.get("follow_up"):
            return f"{order}: no progress yet: reminder #{detail['follow_up']} to {provider} queued"
        case "provider_message_sent":
            return (f"{order}: sent to {provider} on Telegram ({detail.get('channel')}): "
                    f"\"{shorten(detail.get('text', ''))}\"")
        case "provider_confirmed" | "provider_declined" | "provider_replied":
            reading = {"provider_confirmed": "confirm", "provider_declined": "decline"}.get(kind, detail.get("label"))
            return f"{order}: {provider} replied \"{shorten(detail.get('text', ''))}\", read as {reading}"
        case "resolved":
            return f"{order}: resolved: the order shows {provider} acted"
        case "customer_notified":
            return f"{order}: customer told: \"{shorten(detail.get('text', ''), 140)}\""
        case "customer_told":
            return f"{order}: customer told, with the {detail.get('template')} reply"
        case "notify_failed" | "customer_not_told":
            return f"{order}: the customer could not be told: {detail.get('error')}"
        case "escalated":
            return f"{order}: to the owner's review queue: {detail.get('reason')}"
    return None
