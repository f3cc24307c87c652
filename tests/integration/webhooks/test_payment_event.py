"""`payment.confirmed` from a real gateway notice (the billing tests' gateway stand-in)."""

from __future__ import annotations

from standardwebhooks import Webhook

from tests.conftest import run_queued_jobs
from tests.integration.test_subscription_billing import billing_database, shop  # noqa: F401  (reused fixtures)


async def test_a_confirmed_payment_is_sent_to_the_endpoints_that_take_it(shop, receiver):  # noqa: F811
    owner = await shop.sign_up()
    created = await shop.api.post("/api/webhooks/endpoints", headers=owner.headers,
                                  json={"url": receiver.url("paid"), "events": ["payment.confirmed"]})
    assert created.status_code == 201, created.text
    await shop.api.post("/api/webhooks/endpoints", headers=owner.headers,
                        json={"url": receiver.url("not-paid"), "events": ["request.created"]})

    played = await shop.pay_open(owner, "subscription")
    assert played[-1]["answer"] == {"result": "paid"}, played
    await run_queued_jobs(shop.settings)

    [call] = receiver.calls["paid"]
    body = Webhook(created.json()["secret"]).verify(call.body, call.headers)
    [invoice] = (await shop.api.get("/api/invoices?status=paid", headers=owner.headers)).json()
    assert body["type"] == "payment.confirmed"
    assert (body["data"]["invoice_id"], body["data"]["total_cents"], body["data"]["gateway"]) == (
        invoice["id"], 2900, "cryptomus")
    assert "not-paid" not in receiver.calls
