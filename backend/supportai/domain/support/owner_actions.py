"""What the owner does to a request that goes through the pipeline again: send it to its
provider again, or reply to the customer by hand on the message's channel."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.base import utcnow
from supportai.domain.auth.principal import Principal
from supportai.domain.dispatch.customer import reply_bot, send_to_customer
from supportai.domain.dispatch.models import DispatchItem
from supportai.domain.dispatch.provider_calls import PROVIDER_ACTION, call_provider_apis
from supportai.domain.dispatch.scheduling import schedule_dispatch
from supportai.domain.requests.events import log_event
from supportai.domain.requests.models import Message, Source, SupportRequest
from supportai.domain.requests.schemas import RequestOut
from supportai.domain.requests.service import get_request
from supportai.domain.requests.sla import sla_targets
from supportai.domain.setup.service import panel_clients
from supportai.domain.tenants.service import get_settings
from supportai.engine.decisions import RequestStatus
from supportai.errors import InvalidInput, UpstreamUnavailable
from supportai.runtime import Runtime


async def reforward(runtime: Runtime, actor: Principal, request_id: uuid.UUID) -> RequestOut:
    """Send the request to its provider again. Its new state is committed in a unit of work
    of its own before the provider step, which reads and writes in its own."""
    async with runtime.db.unit_of_work(actor.tenant_id) as uow:
        request = await get_request(uow.session, request_id)
        if request.outcome not in PROVIDER_ACTION:
            raise InvalidInput("Only requests that were forwarded to a provider can be forwarded again.")
        await _reset_for_forwarding(runtime, uow.session, actor, request)
        await uow.commit()
    await call_provider_apis(runtime, request.tenant_id, request.message_id)
    await schedule_dispatch(runtime, request.tenant_id)  # if it goes out over Telegram
    async with runtime.db.unit_of_work(actor.tenant_id) as uow:
        return RequestOut.of(await get_request(uow.session, request_id), await sla_targets(uow.session))


async def _reset_for_forwarding(
    runtime: Runtime, session: AsyncSession, actor: Principal, request: SupportRequest
) -> None:
    await session.execute(sa.delete(DispatchItem).where(DispatchItem.request_id == request.id))
    request.status = RequestStatus.FORWARDED
    request.provider_call = None
    request.reason = None
    # Tracked afresh: a new window before any reminder, and the reminders counted again.
    tracking_interval = (await get_settings(session)).tracking_interval / runtime.settings.time_scale
    request.next_check_at, request.follow_ups, request.followed_up_at = utcnow() + tracking_interval, 0, None
    log_event(session, request, "reforwarded", by=str(actor.id))


async def reply_manually(
    runtime: Runtime, session: AsyncSession, actor: Principal, request_id: uuid.UUID, text: str
) -> RequestOut:
    request = await get_request(session, request_id)
    message = await session.get_one(Message, request.message_id)
    clients = await panel_clients(runtime, session) if message.source == Source.TICKET else None
    bot = await reply_bot(session, message) if message.source == Source.TELEGRAM else None
    error = await send_to_customer(runtime, message, text, clients, bot)
    if error is not None:
        raise UpstreamUnavailable(f"The reply could not be sent: {error}")
    log_event(session, request, "manual_reply", by=str(actor.id), text=text)
    return RequestOut.of(request, await sla_targets(session))
