"""The support pipeline: one customer message in; for every order in it a reply, a
request forwarded to the provider, or an item in the owner's review queue.

The stages, each in its own file: loading and fetching the facts (here), deciding
(`deciding.py`), the provider calls (`domain/dispatch/provider_calls.py`), replying
(`replying.py`). Telegram updates reach it only as customer requests, routed before
(`domain/telegram/routing.py`).

Each step is idempotent, so a job that crashed anywhere can simply run again:
- requests are unique per (message, order): a re-run finds and skips decided ones;
- quota is charged in the same transaction that records the decision;
- a call to the outside world is marked `pending` and committed before it is made;
  a re-run that finds `pending` never repeats it (a provider call is escalated for a
  human to check; a ticket reply is looked for in the ticket thread first).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.domain.dispatch.provider_calls import (
    call_providers,
    plan_provider_calls,
    record_calls,
)
from supportai.domain.dispatch.scheduling import schedule_dispatch
from supportai.domain.notifications.events import OwnerEvent
from supportai.domain.notifications.service import notify_owner
from supportai.domain.requests.models import Message, MessageStatus, SupportRequest
from supportai.domain.setup.models import PanelConnection
from supportai.domain.setup.service import clients_for, llm_config
from supportai.domain.support.deciding import decide_requests
from supportai.domain.support.replying import review_notice, send_reply, store_reply
from supportai.domain.tenants.models import TenantSettings
from supportai.domain.tenants.service import get_settings
from supportai.engine.understanding import Understanding, understand
from supportai.integrations.clients import PanelClients
from supportai.integrations.counts import HttpCountSource
from supportai.integrations.llm import LLMConfig, classify_with_llm, needs_llm
from supportai.integrations.panel import PanelOrder, PanelUnavailable
from supportai.runtime import Runtime


class PanelDown(Exception):
    """The panel could not be reached; the job retries later. Nothing was charged."""


@dataclass(frozen=True)
class Loaded:
    """A stored message with what every stage needs, read in one short transaction."""

    message: Message  # carried detached from one transaction to the next
    settings: TenantSettings
    clients: PanelClients | None  # None until the owner connects the panel
    understanding: Understanding  # the offline reading while `llm` is set
    llm: LLMConfig | None  # the tenant's LLM, asked (outside any transaction) when unsure


async def process_message(runtime: Runtime, tenant_id: uuid.UUID, message_id: uuid.UUID) -> str:
    """Run (or resume) the pipeline for one stored message; returns the message status.

    The message row is read once and carried (detached) from one short transaction to the
    next; no transaction is held open across a call to the panel, a provider or Telegram.
    A fresh message costs a constant number of statements, however many orders it names:
    rows are written in batches, and the quota is charged for all its orders at once.
    """
    loaded = await _load(runtime, tenant_id, message_id)
    if loaded is None:
        return "missing"
    message = loaded.message
    if message.status in (MessageStatus.PROCESSED, MessageStatus.FAILED):
        status = message.status
        await send_reply(runtime, tenant_id, message, loaded.clients, None)  # a reply a crash left unsent
        return MessageStatus.PROCESSED if status != MessageStatus.FAILED else status
    understanding = loaded.understanding
    if loaded.llm is not None:  # only the tenant's LLM can tell
        understanding = await classify_with_llm(message.text, understanding, loaded.llm, runtime.http)

    facts = await _fetch_facts(runtime, tenant_id, loaded, understanding)
    if facts is None:
        return MessageStatus.WAITING_PANEL
    requests = await _decide_and_forward(runtime, tenant_id, loaded, understanding, *facts)
    escalated = await send_reply(runtime, tenant_id, message, loaded.clients, requests)
    if escalated:
        await notify_owner(runtime, tenant_id, OwnerEvent.ESCALATION, str(message.id),
                           f"Review needed: a message from {message.customer}",
                           review_notice(message.customer, escalated), "/queue")
    return MessageStatus.PROCESSED


async def _load(runtime: Runtime, tenant_id: uuid.UUID, message_id: uuid.UUID) -> Loaded | None:
    async with runtime.db.unit_of_work(tenant_id) as uow:
        row = await _load_message(uow.session, message_id)
        if row is None:
            return None
        message, settings, connection = row
        llm = None
        if message.analysis is not None:  # understood once, then kept: a resume acts on the same reading
            understanding = msgspec.convert(message.analysis, Understanding)
        elif needs_llm(understanding := understand(message.text)):
            llm = await llm_config(runtime, uow.session)
        await uow.commit()  # the settings row, if this was its first use
    clients = clients_for(runtime, connection, settings) if connection else None
    return Loaded(message, settings, clients, understanding, llm)


async def _load_message(
    session: AsyncSession, message_id: uuid.UUID
) -> tuple[Message, TenantSettings, PanelConnection | None] | None:
    """The message with the tenant's settings and panel connection, in one statement."""
    row = (await session.execute(
        sa.select(Message, TenantSettings, PanelConnection)
        .outerjoin(TenantSettings, TenantSettings.tenant_id == Message.tenant_id)
        .outerjoin(PanelConnection, PanelConnection.tenant_id == Message.tenant_id)
        .where(Message.id == message_id)
    )).first()
    if row is None:
        return None
    message, settings, connection = row
    return message, settings or await get_settings(session), connection


async def _fetch_facts(
    runtime: Runtime, tenant_id: uuid.UUID, loaded: Loaded, understanding: Understanding
) -> tuple[dict[str, PanelOrder], dict[str, int]] | None:
    """The named orders from the panel and their live counts; None while no panel is connected."""
    if not understanding.orders:
        return {}, {}
    message, clients = loaded.message, loaded.clients
    if clients is None:  # kept until the owner connects the panel; the sweeper retries it
        await _set_status(runtime, tenant_id, message, MessageStatus.WAITING_PANEL, "no panel connected yet")
        return None
    try:
        found = await clients.admin.orders(int(order.id) for order in understanding.orders)
    except PanelUnavailable as exc:
        await _set_status(runtime, tenant_id, message, MessageStatus.WAITING_PANEL, str(exc))
        raise PanelDown(str(exc)) from exc
    orders = {str(order_id): order for order_id, order in found.items()}
    return orders, await live_counts(runtime, loaded.settings, orders)


async def _set_status(runtime: Runtime, tenant_id: uuid.UUID, message: Message, status: str, error: str) -> None:
    async with runtime.db.unit_of_work(tenant_id) as uow:
        uow.session.add(message)
        message.status, message.last_error = status, error[:500]
        await uow.commit()


async def live_counts(runtime: Runtime, settings: TenantSettings, orders: dict[str, PanelOrder]) -> dict[str, int]:
    url = settings.count_source_url
    if not url:
        return {}
    source = HttpCountSource(runtime.http, url)
    counts = {}
    for order_id, order in orders.items():
        if order.link and (count := await source.current_count(order.link)) is not None:
            counts[order_id] = count
    return counts


async def _decide_and_forward(
    runtime: Runtime, tenant_id: uuid.UUID, loaded: Loaded, understanding: Understanding,
    orders: dict[str, PanelOrder], counts: dict[str, int],
) -> list[SupportRequest]:
    """Decide in one transaction (with the reply, unless a provider is called first), make
    the provider calls and record them in a second, and schedule the Telegram forwards."""
    message = loaded.message
    resumed = message.analysis is not None  # decisions commit with the analysis: none were made before
    async with runtime.db.unit_of_work(tenant_id) as uow:
        session = uow.session
        session.add(message)
        requests = await decide_requests(
            session, message, understanding, orders, counts, loaded.settings, resumed=resumed,
            time_scale=runtime.settings.time_scale,
        )
        calls, dispatch_queued = await plan_provider_calls(runtime, session, requests, resumed=resumed)
        message.analysis = msgspec.to_builtins(understanding)
        message.intent, message.lang = understanding.intent, understanding.lang
        message.confidence = understanding.confidence
        if not calls:
            await store_reply(session, message, understanding, requests, loaded.settings)
        await uow.commit()

    if calls:
        results = await call_providers(calls)
        async with runtime.db.unit_of_work(tenant_id) as uow:
            uow.session.add(message)
            dispatch_queued |= record_calls(uow.session, results)
            await store_reply(uow.session, message, understanding, requests, loaded.settings)
            await uow.commit()
    if dispatch_queued:
        await schedule_dispatch(runtime, tenant_id)  # the Telegram forwards, batched per provider
    return requests
