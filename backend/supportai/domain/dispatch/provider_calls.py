"""Provider calls: forwarded requests that go to the provider's own API (SMM API v2
refill/cancel) instead of its Telegram chat.

A call is marked `pending` and committed before it is made; a re-run that finds it
`pending` never repeats it but escalates it for a human to check. An answer lost after the
call may have reached the provider (a 5xx or a timeout) leaves it `uncertain`: tracking
sees whether the provider acted. A provider that cannot be reached at all is asked over
Telegram instead. Calls go in batches of up to 100 orders per provider and action, the
most SMM API v2 takes in one `orders=` list.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.domain.dispatch.models import DispatchItem
from supportai.domain.dispatch.scheduling import queue_dispatch
from supportai.domain.requests.events import escalate, log_event
from supportai.domain.requests.models import SideEffect, SupportRequest
from supportai.domain.setup.models import ProviderAccount
from supportai.domain.setup.service import provider_client
from supportai.engine.decisions import Outcome, RequestStatus
from supportai.integrations.provider import (
    MAX_IDS_PER_CALL,
    ItemError,
    Provider,
    ProviderError,
    ProviderRejected,
)
from supportai.runtime import Runtime

# Outcomes after which the provider is asked to act, and the action they ask for.
PROVIDER_ACTION = {
    Outcome.FORWARD_REFILL: "refill",
    Outcome.FORWARD_CANCEL: "cancel",
    Outcome.FORWARD_SPEED_UP: "speed_up",
}


@dataclass(frozen=True)
class ProviderCall:
    request: SupportRequest
    action: str
    client: Provider


@dataclass(frozen=True)
class CallResult:
    refill_id: str | None = None
    error: str | None = None
    unavailable: bool = False  # down, broken or refusing our key: Telegram may still reach it
    uncertain: bool = False  # the answer was lost after the call may have reached the provider


async def call_provider_apis(runtime: Runtime, tenant_id: uuid.UUID, message_id: uuid.UUID) -> None:
    """Send the message's forwarded requests that are not with their provider yet (a
    re-forward by the owner): each to the provider's API or to the Telegram dispatcher."""
    async with runtime.db.unit_of_work(tenant_id) as uow:
        requests = list(await uow.session.scalars(
            sa.select(SupportRequest).where(SupportRequest.message_id == message_id)
        ))
        calls, _ = await plan_provider_calls(runtime, uow.session, requests, resumed=True)
        await uow.commit()  # the calls are `pending` before they are made
    results = await call_providers(calls)
    if results:
        async with runtime.db.unit_of_work(tenant_id) as uow:
            record_calls(uow.session, results)
            await uow.commit()


async def plan_provider_calls(
    runtime: Runtime, session: AsyncSession, requests: list[SupportRequest], *, resumed: bool
) -> tuple[list[ProviderCall], bool]:
    """Which forwarded requests go to the provider's API (marked `pending` in this
    transaction, before the call) and which become Telegram dispatch items. Returns the
    calls to make and whether anything was queued for Telegram."""
    forwarded = [r for r in requests if r.outcome in PROVIDER_ACTION and r.status == RequestStatus.FORWARDED]
    if not forwarded:
        return [], False
    with session.no_autoflush:  # the new requests are written once, with their final state
        accounts = {a.name.casefold(): a for a in await session.scalars(sa.select(ProviderAccount))}
        dispatched = set(await session.scalars(
            sa.select(DispatchItem.request_id).where(DispatchItem.request_id.in_([r.id for r in forwarded]))
        )) if resumed else set()
    calls, queued = [], False
    for request in forwarded:
        action = PROVIDER_ACTION[Outcome(request.outcome)]
        account = accounts.get((request.provider or "").casefold())
        if request.provider_call == SideEffect.PENDING:
            # A previous run crashed during the call: we cannot know if it went out.
            escalate(session, request, "interrupted while calling the provider; check before retrying")
        elif request.provider_call is not None or request.id in dispatched:
            continue
        elif account is None or not request.external_order_id:
            escalate(session, request, f"no provider settings for {request.provider or 'this order'}")
        elif (client := provider_client(runtime, account)) and _api_allows(account, action):
            request.provider_call = SideEffect.PENDING
            log_event(session, request, "provider_call_started", action=action, provider=account.name)
            calls.append(ProviderCall(request, action, client))
        else:
            queue_dispatch(session, request, action)
            queued = True
    return calls, queued


def _api_allows(account: ProviderAccount, action: str) -> bool:
    return (action == "refill" and account.refill_via_api) or (action == "cancel" and account.cancel_via_api)


async def call_providers(calls: list[ProviderCall]) -> list[tuple[ProviderCall, CallResult]]:
    """Make the planned calls, outside any transaction: one HTTP call per provider, action
    and up to MAX_IDS_PER_CALL orders. Returns each call with what the provider answered
    for its order; a batch whose answer was lost is uncertain for all its orders."""
    batches: dict[tuple[str, str], list[ProviderCall]] = {}
    for call in calls:
        batches.setdefault(((call.request.provider or "").casefold(), call.action), []).append(call)
    results: dict[uuid.UUID, CallResult] = {}
    for batch in batches.values():
        for start in range(0, len(batch), MAX_IDS_PER_CALL):
            results |= await _call_batch(batch[start : start + MAX_IDS_PER_CALL])
    return [(call, results[call.request.id]) for call in calls]


async def _call_batch(batch: list[ProviderCall]) -> dict[uuid.UUID, CallResult]:
    """One provider call for up to MAX_IDS_PER_CALL orders of one action."""
    client, action = batch[0].client, batch[0].action
    order_ids = [call.request.external_order_id or "" for call in batch]
    try:
        if action == "refill" and len(order_ids) == 1:  # the single-order form, which every provider takes
            answers: dict[str, str | ItemError | None] = {order_ids[0]: await client.refill(order_ids[0])}
        elif action == "refill":
            answers = dict(await client.refills(order_ids))
        else:
            answers = dict(await client.cancel(order_ids))
    except ProviderRejected as exc:
        failed = CallResult(error=str(exc))
    except ProviderError as exc:
        failed = CallResult(error=str(exc), unavailable=not exc.outcome_unknown, uncertain=exc.outcome_unknown)
    else:
        return {call.request.id: _order_result(action, answers.get(order_id))
                for call, order_id in zip(batch, order_ids, strict=True)}
    return {call.request.id: failed for call in batch}


def _order_result(action: str, answer: str | ItemError | None) -> CallResult:
    """One order's entry in the answer: a refill ID, None for an accepted cancel, or its error."""
    if isinstance(answer, ItemError):
        return CallResult(error=answer.message)
    return CallResult(refill_id=answer if action == "refill" else None)


def record_calls(session: AsyncSession, results: list[tuple[ProviderCall, CallResult]]) -> bool:
    """Store what the providers' APIs answered; True if a request went to Telegram instead."""
    queued = False
    for call, result in results:
        queued |= _record_call(session, call, result)
    return queued


def _record_call(session: AsyncSession, call: ProviderCall, result: CallResult) -> bool:
    request, action = call.request, call.action
    session.add(request)
    if result.error is None:
        request.provider_call = SideEffect.DONE
        request.provider_refill_id = result.refill_id
        log_event(session, request, "provider_call_done", action=action, refill_id=result.refill_id)
        return False
    error = result.error[:500]
    request.provider_error = error
    if result.uncertain:  # not sent again by any channel: tracking sees whether it acted, then reminds
        request.provider_call = SideEffect.UNCERTAIN
        log_event(session, request, "provider_call_uncertain", action=action, error=error)
        return False
    request.provider_call = SideEffect.FAILED
    log_event(session, request, "provider_call_failed", action=action, error=error)
    if result.unavailable:  # the API is down: Telegram still reaches the provider
        queue_dispatch(session, request, action)
        return True
    request.status = RequestStatus.DECLINED
    log_event(session, request, "declined", by="provider_api", error=error)
    return False
