"""Buying a credit pack end to end: our API under uvicorn, the gateway stand-in over real
HTTP creating the invoice (signed request) and calling back with signed webhooks, as the
Cryptomus / Heleket API does. Credits land once, on the full payment only."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx
import pytest

from supportai.app import create_app
from supportai.simulator.payments import PaymentGatewaySim, create_payments_app
from supportai.simulator.server import bound_socket, serve_in_thread
from tests.conftest import make_settings

MERCHANT, KEY = "8b03432e-385b-4670-8d06-064591096795", "gateway-api-key"


@dataclass
class Shop:
    api: httpx.AsyncClient
    gateway: httpx.AsyncClient
    sim: PaymentGatewaySim
    owner: dict[str, str]

    async def credits(self) -> dict:
        return (await self.api.get("/api/credits", headers=self.owner)).json()

    async def buy(self, pack: str) -> dict:
        bought = await self.api.post("/api/credits/purchases", json={"pack": pack}, headers=self.owner)
        assert bought.status_code == 201, bought.text
        return bought.json()

    async def pay(self, purchase: dict, status: str, amount: str | None = None) -> dict:
        invoice_id = purchase["payment_url"].rsplit("/", 1)[1]
        answer = await self.gateway.post(f"/_pay/invoices/{invoice_id}/notify",
                                         json={"status": status, **({"amount": amount} if amount else {})})
        assert answer.status_code == 200, answer.text
        return answer.json()


@pytest.fixture(scope="module")
async def shop(pg_database, redis_url):
    sim = PaymentGatewaySim(MERCHANT, KEY)
    listener = bound_socket()
    api_url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    with serve_in_thread(create_payments_app(sim)) as gateway_url:
        settings = make_settings(pg_database, redis_url, public_base_url=api_url, payments_api_base=gateway_url,
                                 payments_merchant=MERCHANT, payments_api_key=KEY)
        with serve_in_thread(create_app(settings), listener=listener):
            async with httpx.AsyncClient(base_url=api_url) as api, httpx.AsyncClient(base_url=gateway_url) as gateway:
                signup = (await api.post("/api/auth/signup", json={
                    "email": f"buyer-{uuid.uuid4().hex[:6]}@example.com", "password": "credit buyer pw",
                    "panel_name": "Buyer"})).json()
                yield Shop(api, gateway, sim, {"Authorization": f"Bearer {signup['access_token']}"})


async def test_a_paid_pack_adds_prepaid_credits_once(shop):
    before = await shop.credits()
    purchase = await shop.buy("small")
    assert (purchase["credits"], purchase["amount"], purchase["currency"], purchase["status"]) == (
        1000, "9.00", "USD", "pending")
    assert purchase["payment_url"].startswith(str(shop.gateway.base_url))
    invoice = (await shop.api.get(f"/api/invoices/{purchase['invoice_id']}", headers=shop.owner)).json()
    assert (invoice["kind"], invoice["total"], invoice["payment_url"]) == ("credits", "9.00", purchase["payment_url"])
    assert purchase["expires_at"] == invoice["attempts"][0]["expires_at"]

    assert (await shop.pay(purchase, "check"))["answer"] == {"result": "pending"}  # in progress: nothing yet
    assert (await shop.pay(purchase, "paid"))["answer"] == {"result": "paid"}
    assert (await shop.pay(purchase, "paid"))["answer"] == {"result": "already paid"}  # delivered twice
    after = await shop.credits()
    assert after["prepaid"] == before["prepaid"] + 1000
    assert after["entries"][0]["kind"] == "purchase" and after["entries"][0]["amount"] == 1000
    [listed, *_] = (await shop.api.get("/api/credits/purchases", headers=shop.owner)).json()
    assert listed["id"] == purchase["id"] and listed["status"] == "paid" and listed["paid_at"]


async def test_a_short_payment_is_not_applied_and_a_failure_closes_the_purchase(shop):
    before = (await shop.credits())["prepaid"]
    purchase = await shop.buy("medium")
    assert (await shop.pay(purchase, "paid", amount="38.99"))["answer"] == {"result": "short"}
    assert (await shop.pay(purchase, "wrong_amount"))["answer"] == {"result": "failed"}
    assert (await shop.credits())["prepaid"] == before


async def test_forged_or_unsigned_notices_are_refused(shop):
    purchase = await shop.buy("large")
    [invoice] = [i for i in shop.sim.invoices.values() if i.url == purchase["payment_url"]]
    fields = {"type": "payment", "uuid": invoice.uuid, "order_id": invoice.order_id, "amount": "99.00",
              "currency": "USD", "status": "paid"}
    forged = shop.sim.php_json({**fields, "sign": "0" * 32})
    refused = await shop.api.post("/payments/webhook", content=forged)
    assert refused.status_code == 401
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert (await shop.api.post("/payments/webhook", content=shop.sim.php_json(fields))).status_code == 401
    assert (await shop.credits())["prepaid"] == 1000  # only the first test's pack


async def test_unknown_packs_are_refused(shop):
    wrong = await shop.api.post("/api/credits/purchases", json={"pack": "huge"}, headers=shop.owner)
    assert wrong.status_code == 400 and "small, medium, large, xl" in wrong.json()["detail"]


async def test_a_gateway_that_refuses_the_invoice_leaves_a_closed_attempt(shop):
    shop.sim.merchant = "another-merchant"  # the gateway no longer knows our merchant id
    try:
        refused = await shop.api.post("/api/credits/purchases", json={"pack": "xl"}, headers=shop.owner)
    finally:
        shop.sim.merchant = MERCHANT
    assert refused.status_code == 502 and "did not create the invoice" in refused.json()["detail"]
    [latest, *_] = (await shop.api.get("/api/credits/purchases", headers=shop.owner)).json()
    assert (latest["pack"], latest["status"], latest["payment_url"]) == ("xl", "failed", None)
