"""Subscription billing end to end: our API under uvicorn with both gateways configured, the
gateway stand-ins over real HTTP (signed requests, signed webhooks, repeats and orders of
statuses as the gateways send them), a simulated panel for the pipeline, and the billing
cron run with `now` moved along instead of waiting."""

from __future__ import annotations

import asyncio
import json
import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from supportai.app import create_app
from supportai.config import Settings
from supportai.domain.auth.principal import Principal
from supportai.domain.billing.cycle import run_billing
from supportai.domain.billing.models import CreditEntry
from supportai.domain.billing.service import consume_requests, current_subscription
from supportai.domain.billing.subscriptions import change_plan
from supportai.domain.requests.intake import receive_message
from supportai.domain.requests.models import Source
from supportai.engine.billing import add_months
from supportai.integrations.nowpayments import ipn_signature
from supportai.runtime import open_runtime
from supportai.simulator.app import create_simulator_app
from supportai.simulator.payments import PaymentGatewaySim, create_payments_app
from supportai.simulator.server import bound_socket, serve_in_thread
from supportai.simulator.wiring import wire_tenant
from supportai.simulator.world import World, build_world
from tests.conftest import fresh_database, make_settings, run_queued_jobs

MERCHANT, KEY = "3f0c1f55-0c77-4c1e-9d7c-5d1b1a2b3c4d", "cryptomus-api-key"
NOW_KEY, IPN_SECRET = "nowpayments-api-key", "nowpayments-ipn-secret"


def parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


@dataclass
class Owner:
    headers: dict[str, str]
    tenant_id: uuid.UUID
    user_id: uuid.UUID


@dataclass
class Billing:
    api: httpx.AsyncClient
    gateway: httpx.AsyncClient
    sim: PaymentGatewaySim
    settings: Settings
    world: World
    panel_url: str

    async def sign_up(self, name: str = "Billed panel") -> Owner:
        answer = await self.api.post("/api/auth/signup", json={
            "email": f"billing-{uuid.uuid4().hex[:8]}@example.com", "password": "billing test password",
            "panel_name": name})
        assert answer.status_code == 201, answer.text
        body = answer.json()
        return Owner({"Authorization": f"Bearer {body['access_token']}"}, uuid.UUID(body["tenant_id"]),
                     uuid.UUID(body["user_id"]))

    async def get(self, owner: Owner, path: str) -> Any:
        answer = await self.api.get(path, headers=owner.headers)
        assert answer.status_code == 200, answer.text
        return answer.json()

    async def subscription(self, owner: Owner) -> dict[str, Any]:
        return await self.get(owner, "/api/subscription")

    async def pay(self, owner: Owner, invoice_id: str, gateway: str = "cryptomus") -> dict[str, Any]:
        answer = await self.api.post(f"/api/invoices/{invoice_id}/pay", json={"gateway": gateway},
                                     headers=owner.headers)
        assert answer.status_code == 200, answer.text
        return answer.json()

    async def play(self, payment_url: str, outcome: str, **options: Any) -> list[dict[str, Any]]:
        [invoice] = [i for i in self.sim.invoices.values() if i.url == payment_url]
        answer = await self.gateway.post(f"/_pay/invoices/{invoice.uuid}/play", json={"outcome": outcome, **options})
        assert answer.status_code == 200, answer.text
        return answer.json()

    async def pay_open(self, owner: Owner, kind: str, gateway: str = "cryptomus") -> list[dict[str, Any]]:
        """Pay the owner's open invoice of this kind in full on the gateway."""
        [invoice] = [i for i in (await self.subscription(owner))["open_invoices"] if i["kind"] == kind]
        attempt = await self.pay(owner, invoice["id"], gateway)
        return await self.play(attempt["payment_url"], "paid")

    async def tick(self, now: datetime) -> dict[str, int]:
        async with open_runtime(self.settings) as runtime:
            return await run_billing(runtime, now)

    async def use_requests(self, owner: Owner, count: int) -> int:
        """Consume requests through the product's quota path, as the pipeline does."""
        async with open_runtime(self.settings) as runtime, runtime.db.tenant_session(owner.tenant_id) as session:
            return await consume_requests(session, await current_subscription(session), count)

    async def ledger(self, owner: Owner) -> list[tuple[str, str, int]]:
        async with open_runtime(self.settings) as runtime, runtime.db.tenant_session(owner.tenant_id) as session:
            rows = await session.execute(sa.select(CreditEntry.kind, CreditEntry.pool, CreditEntry.amount)
                                         .order_by(CreditEntry.created_at, CreditEntry.id))
            return [tuple(row) for row in rows]  # type: ignore[misc]

    async def active_on(self, plan: str, gateway: str = "cryptomus") -> Owner:
        """A new account that chose `plan` during its trial and paid for it."""
        owner = await self.sign_up()
        if plan != "starter":
            chosen = await self.api.post("/api/subscription/change", json={"plan": plan}, headers=owner.headers)
            assert chosen.status_code == 200 and chosen.json()["change"] == "trial_plan", chosen.text
        played = await self.pay_open(owner, "subscription", gateway)
        assert played[-1]["answer"] == {"result": "paid"}, played
        return owner


@pytest.fixture(scope="module")
async def billing_database():
    """Its own database: the billing cron here bills every account it finds, and the
    suite's other accounts live on a server without a gateway."""
    async with fresh_database() as url:
        yield url


@pytest.fixture(scope="module")
async def shop(billing_database, redis_url):
    sim = PaymentGatewaySim(MERCHANT, KEY, nowpayments_key=NOW_KEY, ipn_secret=IPN_SECRET)
    world = build_world(f"billing-{uuid.uuid4().hex[:6]}", tickets=0, orders=10)
    listener = bound_socket()
    api_url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    with serve_in_thread(create_payments_app(sim)) as gateway_url, \
            serve_in_thread(create_simulator_app(world)) as panel_url:
        settings = make_settings(
            billing_database, redis_url, public_base_url=api_url, payments_api_base=gateway_url,
            payments_merchant=MERCHANT, payments_api_key=KEY, nowpayments_api_base=gateway_url,
            nowpayments_api_key=NOW_KEY, nowpayments_ipn_secret=IPN_SECRET,
        )
        with serve_in_thread(create_app(settings), listener=listener):
            async with httpx.AsyncClient(base_url=api_url) as api, httpx.AsyncClient(base_url=gateway_url) as gateway:
                yield Billing(api, gateway, sim, settings, world, panel_url)


async def test_plans_are_listed_without_signing_in(shop):
    plans = (await shop.api.get("/api/plans")).json()
    assert [(p["code"], p["price_cents"], p["requests_per_cycle"], p["base_credits"]) for p in plans] == [
        ("starter", 2900, 50, 500), ("growth", 6900, 200, 2000), ("scale", 14900, 500, 6000),
        ("enterprise", 29900, 1000, 20000)]
    assert plans[-1]["overage"] == {"block_requests": 500, "block_price_cents": 7900}
    assert plans[0]["overage"] is None


async def test_a_trial_then_the_first_payment_starts_the_first_cycle(shop):
    owner = await shop.sign_up()
    trial = await shop.subscription(owner)
    signed_up = parse(trial["cycle_start"])
    assert (trial["status"], trial["billing_enforced"], trial["gateways"]) == (
        "trialing", True, ["cryptomus", "nowpayments"])
    assert parse(trial["trial_ends_at"]) == signed_up + timedelta(days=7)
    assert (trial["plan"]["code"], trial["requests_limit"], trial["blocked_reason"]) == ("starter", 50, None)
    [first] = trial["open_invoices"]
    assert (first["kind"], first["total"], first["status"], first["lines"][0]["kind"]) == (
        "subscription", "29.00", "open", "plan")
    assert trial["next_renewal"] == {"at": trial["trial_ends_at"], "plan": "starter", "amount_cents": 2900}

    attempt = await shop.pay(owner, first["id"], "cryptomus")
    assert attempt["status"] == "pending" and attempt["payment_url"].startswith(str(shop.gateway.base_url))
    assert (await shop.pay(owner, first["id"], "cryptomus"))["id"] == attempt["id"]  # the same page again
    played = await shop.play(attempt["payment_url"], "paid")
    assert [p["answer"]["result"] for p in played] == ["pending", "paid"]

    active = await shop.subscription(owner)
    paid_on = parse(active["cycle_start"])
    assert active["status"] == "active" and active["open_invoices"] == [] and active["trial_ends_at"] is None
    assert paid_on > signed_up and parse(active["cycle_end"]) == add_months(paid_on, 1)  # the anniversary
    assert [e[:2] for e in await shop.ledger(owner)] == [("grant", "base"), ("expire", "base"), ("grant", "base")]
    [invoice] = await shop.get(owner, "/api/invoices?status=paid")
    assert invoice["id"] == first["id"] and invoice["paid_at"] and invoice["attempts"][0]["status"] == "paid"
    actions = {e["action"] for e in (await shop.get(owner, "/api/audit?limit=50"))["items"]}
    assert {"invoice.issued", "payment.started", "invoice.paid", "subscription.invoice_applied"} <= actions
    [confirmed] = await notified(shop, owner, "payment_confirmed")
    assert confirmed["title"] == f"Payment received for {invoice['number']}" and "29.00" in confirmed["body"]


async def test_an_unpaid_trial_lapses_at_its_end(shop):
    owner = await shop.sign_up()
    ends = parse((await shop.subscription(owner))["trial_ends_at"])
    await shop.tick(ends - timedelta(minutes=1))
    assert (await shop.subscription(owner))["status"] == "trialing"
    await shop.tick(ends)
    lapsed = await shop.subscription(owner)
    assert (lapsed["status"], lapsed["blocked_reason"]) == ("lapsed", "lapsed")
    assert (await shop.get(owner, "/api/usage"))["blocked_reason"] == "lapsed"


async def test_an_upgrade_mid_cycle_on_nowpayments_carries_the_unused_requests_over(shop):
    owner = await shop.active_on("starter", gateway="nowpayments")
    assert await shop.use_requests(owner, 45) == 45
    before = await shop.subscription(owner)
    start, end = parse(before["cycle_start"]), parse(before["cycle_end"])
    now = start + timedelta(days=10, hours=5)
    async with open_runtime(shop.settings) as runtime:
        principal = Principal(kind="user", id=owner.user_id, tenant_id=owner.tenant_id, role="owner")
        change = await change_plan(runtime, principal, "growth", "nowpayments", now=now)
    assert change.change == "upgrade" and change.invoice is not None and change.payment_url
    # Independently: $40 difference × days left (a started day counts) ÷ days in the cycle, half-up.
    days_total = (end - start).days
    days_left = math.ceil((end - now).total_seconds() / 86400)
    assert change.invoice.total_cents == math.floor(Fraction(4000 * days_left, days_total) + Fraction(1, 2))
    still = await shop.subscription(owner)
    assert (still["plan"]["code"], still["requests_left"]) == ("starter", 5)  # nothing before payment

    played = await shop.play(change.payment_url, "paid")
    assert [p["answer"]["result"] for p in played] == ["pending", "pending", "paid"]
    upgraded = await shop.subscription(owner)
    assert (upgraded["plan"]["code"], upgraded["requests_used"], upgraded["requests_limit"],
            upgraded["requests_left"]) == ("growth", 45, 250, 205)
    assert upgraded["cycle_end"] == before["cycle_end"]  # the anniversary does not move
    credits = await shop.get(owner, "/api/credits")
    assert credits["base"] == 500 + 2000  # unused Starter base on top of Growth's


async def test_a_downgrade_waits_for_the_anniversary_and_can_be_cancelled(shop):
    owner = await shop.active_on("growth")
    downgrade = await shop.api.post("/api/subscription/change", json={"plan": "starter"}, headers=owner.headers)
    assert downgrade.status_code == 200, downgrade.text
    body = downgrade.json()
    assert (body["change"], body["invoice"], body["payment_url"]) == ("downgrade", None, None)
    anniversary = body["subscription"]["cycle_end"]
    assert body["subscription"]["scheduled_change"] == {"plan": "starter", "effective_at": anniversary}
    assert body["subscription"]["next_renewal"] == {"at": anniversary, "plan": "starter", "amount_cents": 2900}
    cancelled = await shop.api.delete("/api/subscription/scheduled-change", headers=owner.headers)
    assert cancelled.json()["scheduled_change"] is None
    again = await shop.api.post("/api/subscription/change", json={"plan": "starter"}, headers=owner.headers)
    assert again.status_code == 200
    same = await shop.api.post("/api/subscription/change", json={"plan": "growth"}, headers=owner.headers)
    assert same.status_code == 409

    await shop.tick(parse(anniversary) - timedelta(seconds=1))
    assert (await shop.subscription(owner))["plan"]["code"] == "growth"  # nothing changes before
    # Run twice: one renewal invoice. (The cron's counts cover every account in this
    # module's database, so the test reads this owner's invoices instead.)
    await shop.tick(parse(anniversary))
    await shop.tick(parse(anniversary))
    due = await shop.subscription(owner)
    [renewal] = due["open_invoices"]
    assert (due["status"], renewal["kind"], renewal["total"], due["plan"]["code"]) == (
        "past_due", "renewal", "29.00", "growth")
    await shop.pay_open(owner, "renewal")
    renewed = await shop.subscription(owner)
    assert (renewed["status"], renewed["plan"]["code"], renewed["requests_limit"]) == ("active", "starter", 50)
    assert renewed["cycle_start"] == anniversary and renewed["scheduled_change"] is None


async def test_the_enterprise_renewal_bills_the_overage_counted_before_the_reset(shop):
    owner = await shop.active_on("enterprise")
    assert await shop.use_requests(owner, 1300) == 1300  # Enterprise is never refused
    anniversary = parse((await shop.subscription(owner))["cycle_end"])
    await asyncio.gather(shop.tick(anniversary), shop.tick(anniversary))  # two crons at once: one invoice
    [renewal] = (await shop.subscription(owner))["open_invoices"]
    assert [(line["kind"], line["amount_cents"]) for line in renewal["lines"]] == [("plan", 29900), ("overage", 7900)]
    assert (renewal["total_cents"], renewal["total"]) == (37800, "378.00")
    assert (await shop.subscription(owner))["requests_used"] == 1300  # not reset until paid
    await shop.pay_open(owner, "renewal", gateway="nowpayments")
    assert (await shop.subscription(owner))["requests_used"] == 0


async def test_an_unpaid_renewal_lapses_after_the_grace_and_blocks_new_requests(shop):
    owner = await shop.active_on("starter")
    await wire_tenant(shop.api, owner.headers, shop.world, shop.panel_url)
    anniversary = parse((await shop.subscription(owner))["cycle_end"])
    await shop.tick(anniversary)
    assert (await shop.subscription(owner))["status"] == "past_due"
    [renewal] = await notified(shop, owner, "renewal_due")
    assert "is due" in renewal["title"] and renewal["link"] == "/billing"
    assert (await customer_writes(shop, owner))["status"] != "blocked_quota"  # grace: requests still work
    await shop.tick(anniversary + timedelta(days=3) - timedelta(seconds=1))
    assert (await shop.subscription(owner))["status"] == "past_due"
    await shop.tick(anniversary + timedelta(days=3))
    assert (await shop.subscription(owner))["status"] == "lapsed"
    await shop.tick(anniversary + timedelta(days=3, minutes=10))  # a second pass tells nothing twice
    assert [n["title"] for n in await notified(shop, owner, "subscription_lapsing")] == ["Your subscription has lapsed"]

    blocked = await customer_writes(shop, owner)
    assert (blocked["status"], blocked["outcome"], blocked["reason"]) == (
        "blocked_quota", "subscription_lapsed", "subscription lapsed: an invoice is unpaid")

    await shop.pay_open(owner, "renewal")
    back = await shop.subscription(owner)
    paid_on = parse(back["cycle_start"])
    assert (back["status"], back["blocked_reason"], back["requests_used"]) == ("active", None, 0)
    assert abs(paid_on - datetime.now(UTC)) < timedelta(minutes=5)  # a new cycle from the payment day
    assert parse(back["cycle_end"]) == add_months(paid_on, 1)
    assert (await customer_writes(shop, owner))["status"] != "blocked_quota"


async def notified(shop: Billing, owner: Owner, event: str) -> list[dict[str, Any]]:
    """The owner's notifications of one event, newest first."""
    return [n for n in (await shop.get(owner, "/api/notifications?limit=200"))["items"] if n["event"] == event]


async def customer_writes(shop: Billing, owner: Owner) -> dict[str, Any]:
    """A customer asks about one completed order; returns the request SupportAI made."""
    customer = next(iter(shop.world.users))
    service = next(s for s in shop.world.services.values() if "[R30]" in s.name and s.provider is not None)
    order = shop.world.create_order(user=customer, service_id=service.id, quantity=1000,
                                    link=f"https://instagram.com/p/{uuid.uuid4().hex[:10]}", status="Completed",
                                    start_count=500, remains=0, current_count=1500,
                                    created=int(shop.world.now() - 3 * 86400))
    async with open_runtime(shop.settings) as runtime:
        await receive_message(runtime, owner.tenant_id, source=Source.API, external_id=None, customer=customer,
                              text=f"refill {order.id} please")
    await run_queued_jobs(shop.settings)
    [request] = (await shop.get(owner, f"/api/requests?order_id={order.id}"))["items"]
    return request


async def test_the_same_paid_webhook_five_times_at_once_applies_once(shop):
    owner = await shop.active_on("starter")
    before = (await shop.get(owner, "/api/credits"))["prepaid"]
    bought = await shop.api.post("/api/credits/purchases", json={"pack": "small"}, headers=owner.headers)
    assert bought.status_code == 201, bought.text
    played = await shop.play(bought.json()["payment_url"], "paid", repeat=5, concurrent=True)
    results = sorted(p["answer"]["result"] for p in played if p["status"] == "paid")
    assert results == ["already paid"] * 4 + ["paid"]
    assert (await shop.get(owner, "/api/credits"))["prepaid"] == before + 1000
    assert [e for e in await shop.ledger(owner) if e[0] == "purchase"] == [("purchase", "prepaid", 1000)]


async def test_out_of_order_statuses_never_undo_a_payment(shop):
    owner = await shop.active_on("starter")
    bought = (await shop.api.post("/api/credits/purchases", json={"pack": "small", "gateway": "nowpayments"},
                                  headers=owner.headers)).json()
    played = await shop.play(bought["payment_url"], "paid", reverse=True)  # finished first, then waiting
    assert [p["answer"]["result"] for p in played] == ["paid", "already paid", "already paid"]
    [purchase] = await shop.get(owner, "/api/credits/purchases")
    assert purchase["status"] == "paid"


async def test_an_expired_attempt_is_paid_again_through_a_new_one_and_applies_once(shop):
    owner = await shop.active_on("starter")
    bought = (await shop.api.post("/api/credits/purchases", json={"pack": "medium"}, headers=owner.headers)).json()
    assert bought["expires_at"] and bought["invoice_id"] == bought["id"]
    await shop.tick(parse(bought["expires_at"]))
    [expired] = await shop.get(owner, "/api/credits/purchases")
    assert expired["status"] == "expired"
    assert (await shop.get(owner, f"/api/invoices/{bought['invoice_id']}"))["status"] == "expired"

    retry = await shop.pay(owner, bought["invoice_id"])
    assert retry["status"] == "pending" and retry["payment_url"] != bought["payment_url"]
    assert (await shop.play(retry["payment_url"], "paid"))[-1]["answer"] == {"result": "paid"}
    late = await shop.play(bought["payment_url"], "paid")  # the first page paid after all
    assert late[-1]["answer"] == {"result": "already paid"}
    assert [e for e in await shop.ledger(owner) if e[0] == "purchase"] == [("purchase", "prepaid", 5000)]
    paid_again = await shop.api.post(f"/api/invoices/{bought['invoice_id']}/pay", json={}, headers=owner.headers)
    assert paid_again.status_code == 409


async def test_a_partial_payment_is_not_applied(shop):
    owner = await shop.active_on("starter")
    for gateway in ("cryptomus", "nowpayments"):
        bought = (await shop.api.post("/api/credits/purchases", json={"pack": "large", "gateway": gateway},
                                      headers=owner.headers)).json()
        played = await shop.play(bought["payment_url"], "partial")
        assert played[-1]["answer"] == {"result": "short"}
    assert (await shop.get(owner, "/api/credits"))["prepaid"] == 0
    short = await notified(shop, owner, "payment_failed")
    assert len(short) == 2 and all("arrived short and was not applied" in n["title"] for n in short)


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity", "nine"])
async def test_non_numeric_amounts_are_refused_with_400(shop, amount):
    owner = await shop.active_on("starter")
    bought = (await shop.api.post("/api/credits/purchases", json={"pack": "small"}, headers=owner.headers)).json()
    [invoice] = [i for i in shop.sim.invoices.values() if i.url == bought["payment_url"]]
    cryptomus = await shop.gateway.post(f"/_pay/invoices/{invoice.uuid}/notify",
                                        json={"status": "paid", "amount": amount})
    assert cryptomus.json()["status_code"] == 400
    nowpayments = (await shop.api.post("/api/credits/purchases", json={"pack": "small", "gateway": "nowpayments"},
                                       headers=owner.headers)).json()
    [ipn] = [i for i in shop.sim.invoices.values() if i.url == nowpayments["payment_url"]]
    body, _ = shop.sim.notice(ipn, "finished")
    fields = {**json.loads(body), "price_amount": amount}  # signed as the gateway would sign it
    refused = await shop.api.post("/payments/nowpayments/webhook", content=json.dumps(fields),
                                  headers={"x-nowpayments-sig": ipn_signature(fields, IPN_SECRET)})
    assert refused.status_code == 400 and refused.headers["content-type"].startswith("application/problem+json")
    assert (await shop.get(owner, "/api/credits"))["prepaid"] == 0


async def test_without_a_gateway_plans_renew_as_if_paid_and_change_at_once(client, sign_up, settings):
    """On the suite's server, which has no gateway."""
    owner = await sign_up("Self-hosted panel")
    headers = owner.headers
    shown = (await client.get("/api/subscription", headers=headers)).json()
    assert (shown["status"], shown["billing_enforced"], shown["gateways"], shown["open_invoices"]) == (
        "active", False, [], [])
    upgraded = (await client.post("/api/subscription/change", json={"plan": "scale"}, headers=headers)).json()
    assert (upgraded["change"], upgraded["invoice"], upgraded["subscription"]["plan"]["code"]) == (
        "upgrade", None, "scale")
    assert upgraded["subscription"]["requests_left"] == 500 + 50
    downgraded = (await client.post("/api/subscription/change", json={"plan": "growth"}, headers=headers)).json()
    assert downgraded["subscription"]["scheduled_change"]["plan"] == "growth"
    async with open_runtime(settings) as runtime, runtime.db.tenant_session(uuid.UUID(owner.tenant_id)) as session:
        anniversary = (await current_subscription(session)).cycle_end
        rolled = await current_subscription(session, now=anniversary)
        assert (rolled.plan, rolled.requests_limit, rolled.cycle_start) == ("growth", 200, anniversary)
    assert (await client.get("/api/invoices", headers=headers)).json() == []


async def test_staff_read_billing_and_only_owners_change_or_pay(shop):
    owner = await shop.sign_up()
    invitation = await shop.api.post("/api/users/invitations", headers=owner.headers,
                                     json={"email": f"staff-{uuid.uuid4().hex[:8]}@example.com"})
    joined = await shop.api.post("/api/auth/accept-invitation",
                                 json={"token": invitation.json()["token"], "password": "staff password 1"})
    staff = Owner({"Authorization": f"Bearer {joined.json()['access_token']}"}, owner.tenant_id, owner.user_id)
    [invoice] = (await shop.subscription(staff))["open_invoices"]
    assert (await shop.get(staff, f"/api/invoices/{invoice['id']}"))["kind"] == "subscription"
    for method, path, body in (("POST", "/api/subscription/change", {"plan": "growth"}),
                               ("DELETE", "/api/subscription/scheduled-change", None),
                               ("POST", f"/api/invoices/{invoice['id']}/pay", {}),
                               ("POST", "/api/credits/purchases", {"pack": "small"})):
        refused = await shop.api.request(method, path, json=body, headers=staff.headers)
        assert refused.status_code == 403, (path, refused.text)
