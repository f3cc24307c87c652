"""Tenant B can neither read, list, find, change nor delete tenant A's objects: on any
route, in any body or filter, through the webhooks, or through the worker's jobs.

Both tenants are populated through the real flows (`isolation_tenants`). The route walk
follows the OpenAPI document, so routes added later are covered without editing this
test; every by-id route needs a positive control (A opens its own id there), so a route
whose ids the walk cannot find fails instead of passing on 404s alone. The walk runs
last: its positive controls delete A's objects.
"""

from __future__ import annotations

import inspect
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from supportai.db.base import Base
from supportai.runtime import open_runtime
from tests.conftest import run_queued_jobs
from tests.integration.isolation_tenants import Stack, Tenant, populate, running_stack
from tests.integration.openapi_walk import (
    Examples,
    Operation,
    by_id,
    document_of,
    operations,
    query_parameters,
    uuids_in,
    values_by_field,
)
from workers.settings import worker_process_options

# A filter takes values of the field of the same name, except these.
FILTER_FIELDS = {"search": "name"}
NOT_FILTERS = {"cursor", "limit", "created_from", "created_to", "active"}


@pytest.fixture(scope="module")
async def tenants(pg_database, redis_url):
    async with running_stack(pg_database, redis_url, ("A", "B")) as stack:
        a, b = await populate(stack, "A", 710_000), await populate(stack, "B", 720_000)
        a.ids, b.ids = await ids_of(stack, a), await ids_of(stack, b)
        yield stack, a, b


def walked(stack: Stack) -> list[Operation]:
    return [op for op in operations(stack.app) if not op.public and op.path.startswith("/api/")]


async def views(stack: Stack, tenant: Tenant, ids: set[str]) -> dict[str, Any]:
    """What the tenant's owner sees on every GET: lists, and each id on each by-id route."""
    seen: dict[str, Any] = {}
    for op in walked(stack):
        if op.method != "GET":
            continue
        for url in [op.url(i) for i in sorted(ids)] if op.path_params else [op.path]:
            response = await stack.api.get(url, headers=tenant.credentials(op))
            if response.status_code == 200:
                seen[url] = document_of(response)
    return seen


async def ids_of(stack: Stack, tenant: Tenant) -> set[str]:
    """Every id the tenant's own views show, lists first, then what each by-id route adds."""
    ids = {tenant.tenant_id} | uuids_in(await views(stack, tenant, set()))
    return ids | uuids_in(await views(stack, tenant, ids))


def leaks(document: Any, text: str, victim_ids: set[str], victim: Tenant) -> set[str]:
    return (uuids_in(document) & victim_ids) | {marker for marker in victim.markers if marker in text}


async def test_webhooks_refuse_the_other_tenants_bot_and_credit_only_the_payer(tenants):
    stack, a, b = tenants
    [bot_a] = [bot for bot in stack.telegram_state.bots.values() if bot.id == a.bot_telegram_id]
    [bot_b] = [bot for bot in stack.telegram_state.bots.values() if bot.id == b.bot_telegram_id]
    update = {"update_id": 1, "message": {
        "message_id": 1, "date": 0, "text": f"refill {next(iter(a.world.orders))}",
        "chat": {"id": a.customer_telegram_id, "type": "private"},
        "from": {"id": a.customer_telegram_id, "is_bot": False, "first_name": "x"}}}
    b_secret = {"X-Telegram-Bot-Api-Secret-Token": bot_b.webhook.secret_token}
    a_secret = {"X-Telegram-Bot-Api-Secret-Token": bot_a.webhook.secret_token}
    links_a = (await stack.api.get("/api/telegram/links", headers=a.owner)).json()

    # B's secret on A's bot is refused; A's own secret is the positive control.
    assert (await stack.api.post(bot_a.webhook.url, json=update, headers=b_secret)).status_code == 401
    assert (await stack.api.post(bot_a.webhook.url, json=update | {"update_id": 2},
                                 headers=a_secret)).status_code == 200
    # A's linked customer writing to B's bot is a stranger there: B's views show nothing of A's.
    assert (await stack.api.post(bot_b.webhook.url, json=update | {"update_id": 3},
                                 headers=b_secret)).status_code == 200
    await run_queued_jobs(stack.settings)
    seen_by_b = await views(stack, b, b.ids)
    assert not leaks(seen_by_b, str(seen_by_b), a.ids, a)
    assert (await stack.api.get("/api/telegram/links", headers=a.owner)).json() == links_a

    # A signed payment notice applies to the purchase it names, whatever invoice it carries.
    credits_a = (await stack.api.get("/api/credits", headers=a.owner)).json()["prepaid"]
    credits_b = (await stack.api.get("/api/credits", headers=b.owner)).json()["prepaid"]
    [purchase_a] = (await stack.api.get("/api/credits/purchases", headers=a.owner)).json()
    purchase_b = (await stack.api.post("/api/credits/purchases", headers=b.owner, json={"pack": "small"})).json()
    invoice_a, invoice_b = _invoice(stack, purchase_a["payment_url"]), _invoice(stack, purchase_b["payment_url"])
    for order_id, invoice in ((invoice_a.order_id, invoice_b), (invoice_b.order_id, invoice_a)):
        notice = stack.payments.signed({"type": "payment", "uuid": invoice.uuid, "order_id": order_id,
                                        "amount": invoice.amount, "currency": invoice.currency, "status": "paid"})
        assert (await stack.api.post("/payments/webhook", content=notice)).status_code == 200
    assert (await stack.api.get("/api/credits", headers=a.owner)).json()["prepaid"] == credits_a
    assert (await stack.api.get("/api/credits", headers=b.owner)).json()["prepaid"] == credits_b + purchase_b["credits"]


def _invoice(stack: Stack, payment_url: str) -> Any:
    return next(i for i in stack.payments.invoices.values() if i.url == payment_url)


async def tenant_rows(stack: Stack, tenant_id: str) -> dict[str, list[str]]:
    """Every row of every tenant-owned table that belongs to the tenant, as text."""
    rows: dict[str, list[str]] = {}
    async with open_runtime(stack.settings) as runtime, runtime.db.system_session() as session:
        for table in Base.metadata.sorted_tables:
            if "tenant_id" in table.c and table.name != "tenants":
                found = await session.execute(sa.select(table).where(table.c.tenant_id == uuid.UUID(tenant_id)))
                rows[table.name] = sorted(str(tuple(row)) for row in found)
    return rows


def worker_jobs(stack: Stack) -> dict[str, tuple[Callable[..., Any], str]]:
    """Every job type `supportai worker` runs: its coroutine and the queue it is served from."""
    return {
        job.__name__ if callable(job) else job.name: (job if callable(job) else job.coroutine, options["queue_name"])
        for options in worker_process_options(stack.settings) for job in options["functions"]
    }


async def run_job(stack: Stack, name: str, *args: Any) -> None:
    _, queue = worker_jobs(stack)[name]
    async with open_runtime(stack.settings) as runtime:
        await runtime.queue.enqueue_job(name, *args, _job_id=f"isolation:{name}:{time.time_ns()}", _queue_name=queue)
    await run_queued_jobs(stack.settings)


async def run_scheduler(stack: Stack, job: Callable[..., Any]) -> list[tuple[str, tuple[Any, ...]]]:
    """Run a job that takes no tenant (a schedule), then what it queued, at once (schedules
    spread their jobs over hours). Returns what it queued."""
    queued = []
    async with open_runtime(stack.settings) as runtime:
        await job({"runtime": runtime, "job_try": 1})
        for queue in {queue for _, queue in worker_jobs(stack).values()}:
            for waiting in await runtime.queue.queued_jobs(queue_name=queue):
                queued.append((waiting.function, waiting.args))
                await runtime.queue.zadd(queue, {waiting.job_id: 1}, xx=True)  # due now (arq skips score 0)
    await run_queued_jobs(stack.settings)
    return queued


async def test_jobs_for_one_tenant_neither_read_nor_write_the_others_rows(tenants):
    stack, a, b = tenants
    ran: dict[str, int] = {}
    # Jobs that name a tenant, run for each with the other's rows watched; those that also
    # name a message or another row, with the other tenant's ids too.
    for actor, victim in ((b, a), (a, b)):
        victim_before = await tenant_rows(stack, victim.tenant_id)
        for name, (job, _) in worker_jobs(stack).items():
            parameters = list(inspect.signature(job).parameters)[1:]
            if parameters == ["tenant_id"]:
                calls = [(actor.tenant_id,)]
            elif parameters == ["tenant_id", "message_id"]:
                calls = [(actor.tenant_id, message_id) for message_id in victim.message_ids + actor.message_ids]
            elif len(parameters) == 2 and parameters[0] == "tenant_id" and parameters[1].endswith("_id"):
                # One row of the tenant's (a delivery, a notification): tried with each of the other's ids.
                calls = [(actor.tenant_id, row_id) for row_id in sorted(victim.ids)]
            elif not parameters:
                continue
            else:
                pytest.fail(f"{name}{parameters}: a job type this test does not know how to run")
            for args in calls:
                await run_job(stack, name, *args)
                assert await tenant_rows(stack,
                                         victim.tenant_id) == victim_before, f"{name}{args} changed {victim.label}"
            ran[name] = ran.get(name, 0) + len(calls)

    # Schedules run for every tenant: each job they queue stays within its tenant, and
    # afterwards no row of one tenant names the other's ids.
    ids_a, ids_b = a.ids, b.ids
    for name, (job, _) in worker_jobs(stack).items():
        if name not in ran:
            for function, args in await run_scheduler(stack, job):
                named = {str(arg) for arg in args}
                assert not (a.tenant_id in named and named & ids_b), f"{name} queued {function}{args}"
                assert not (b.tenant_id in named and named & ids_a), f"{name} queued {function}{args}"
            ran[name] = 1
    rows_a, rows_b = str(await tenant_rows(stack, a.tenant_id)), str(await tenant_rows(stack, b.tenant_id))
    assert not {i for i in ids_a if i in rows_b} | {m for m in a.markers if m in rows_b}
    assert not {i for i in ids_b if i in rows_a} | {m for m in b.markers if m in rows_a}
    print(f"\nisolation jobs: {len(ran)} job types, {sum(ran.values())} runs")


async def test_no_route_lets_one_tenant_touch_anothers_objects(tenants):
    stack, a, b = tenants
    examples = Examples(stack.app)
    ids_a = await ids_of(stack, a) - b.ids
    before = await views(stack, a, ids_a)
    targets = [op for op in walked(stack) if by_id(op)]
    calls = await _lists_as_b(stack, a, b, ids_a, before)
    calls += await _bodies_as_b(stack, a, b, examples, ids_a, values_by_field(before))
    calls += await _ids_as_b(stack, b, targets, examples, ids_a, values_by_field(before))
    assert await views(stack, a, ids_a) == before, "B's calls changed what A sees"

    # Positive controls: A's own id gets another answer than an unknown id. Deletions come
    # last, in reverse path order: /api/telegram/links/{link_id} before the bot it came through.
    controls = {}
    keep, delete = [op for op in targets if op.method != "DELETE"], [op for op in targets if op.method == "DELETE"]
    for op in keep + sorted(delete, key=lambda op: op.path, reverse=True):
        body = _with_values(examples.body(op), values_by_field(before))
        controls[op.operation_id] = await _positive_control(stack, a, op, body, before, ids_a)
    missing = sorted(name for name, found in controls.items() if found is None)
    assert not missing, f"no id of A's opens these routes for A: {missing}"
    print(f"\nisolation walk: {len(walked(stack))} operations, {len(targets)} by id, {len(ids_a)} of A's ids, "
          f"{calls} calls as B, 0 leaks, {len(controls)} positive controls")


async def _lists_as_b(stack: Stack, a: Tenant, b: Tenant, ids_a: set[str], views_a: dict[str, Any]) -> int:
    """B's lists, unfiltered and with filters that take A's values, show nothing of A's;
    the same filters find A's objects for A."""
    calls = 0
    for op in walked(stack):
        if op.method != "GET" or op.path_params:
            continue
        for params in [{}, *_filters_with(op, values_by_field(views_a.get(op.path)))]:
            response = await stack.api.get(op.path, params=params, headers=b.credentials(op))
            calls += 1
            assert response.status_code == 200, (op.operation_id, params, response.text)
            assert not leaks(document_of(response), response.text, ids_a,
                             a), f"{op.operation_id} {params} shows A's objects"
            if params and uuids_in(views_a.get(op.path)) & ids_a:  # a list of things with ids (not templates)
                mine = await stack.api.get(op.path, params=params, headers=a.credentials(op))
                assert uuids_in(document_of(mine)) & ids_a, f"{op.operation_id} {params} finds nothing for A either"
    return calls


async def _bodies_as_b(stack, a, b, examples, ids_a, fields_a) -> int:
    """B's bodies carrying A's values (names, customers, emails, URLs, external ids) stay B's."""
    calls = 0
    for op in walked(stack):
        if op.path_params or op.method == "GET" or examples.body(op) is None:
            continue
        body = _with_values(examples.body(op), fields_a)
        response = await stack.api.request(op.method, op.path, json=body, headers=b.credentials(op))
        calls += 1
        assert response.status_code < 500, (op.operation_id, response.text)
        assert not leaks(response.json() if response.content else None, response.text, ids_a, a), op.operation_id
    return calls


async def _ids_as_b(stack, b, targets, examples, ids_a, fields_a) -> int:
    """B tries every by-id route with every one of A's ids, bodies carrying A's values: each
    answer is the one an id that exists nowhere gets (a 404, or the same refusal of the body)."""
    calls = 0
    for op in targets:
        body = _with_values(examples.body(op), fields_a)
        unknown = await _answer(stack, op, str(uuid.uuid4()), body, b.credentials(op))
        assert unknown[0] in {400, 404}, (op.operation_id, unknown)
        for object_id in sorted(ids_a):
            calls += 1
            answer = await _answer(stack, op, object_id, body, b.credentials(op))
            assert answer == unknown, f"{op.method} {op.url(object_id)} as B: {answer}, an unknown id: {unknown}"
    return calls


async def _answer(stack: Stack, op: Operation, object_id: str, body: Any, headers: dict[str, str]) -> tuple[int, str]:
    """Status and body of the call, the id in the body replaced (problems name their path)."""
    response = await stack.api.request(op.method, op.url(object_id), json=body, headers=headers)
    return response.status_code, response.text.replace(object_id, "{id}")


def _filters_with(op: Operation, fields: dict[str, set[str]]) -> list[dict[str, str]]:
    """One query per filter parameter, per value (up to 3) A's unfiltered list shows in that field."""
    found = []
    for name in query_parameters(op):
        if name not in NOT_FILTERS:
            found += [{name: value} for value in sorted(fields.get(FILTER_FIELDS.get(name, name), set()))[:3]]
    return found


def _with_values(body: Any, fields: dict[str, set[str]]) -> Any:
    """The body, with each field A's answers show given A's value."""
    if isinstance(body, dict):
        return {key: min(fields[key]) if key in fields and isinstance(value, str) else _with_values(value, fields)
                for key, value in body.items()}
    if isinstance(body, list):
        return [_with_values(item, fields) for item in body]
    return body


async def _positive_control(stack, a, op, body, views_a, ids_a) -> tuple[str, int] | None:
    """The first of A's ids that A's own call answers otherwise than an unknown id. The ids
    tried: those A's GET on the route's object shows, else those the route's list shows."""
    stem = op.path.split("}", 1)[0] + "}"  # /api/requests/{request_id}/close -> /api/requests/{request_id}
    shown_by_get = [i for i in sorted(ids_a) if re.sub(r"{\w+}", i, stem) in views_a]
    listed = {i for url, doc in views_a.items() if "{" not in url and op.path.startswith(url) for i in uuids_in(doc)}
    unknown, _ = await _answer(stack, op, str(uuid.uuid4()), body, a.credentials(op))
    for object_id in shown_by_get or sorted(listed & ids_a):
        status, _ = await _answer(stack, op, object_id, body, a.credentials(op))
        if status != unknown:
            return object_id, status
    return None
