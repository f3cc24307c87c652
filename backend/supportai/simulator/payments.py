"""A stand-in for the Cryptomus / Heleket payment API (spec/integrations.md §4).

`POST /v1/payment` creates an invoice, checking the `merchant` and `sign` headers as the
gateway does (a reused order_id returns the same invoice). The control endpoint
`POST /_pay/invoices/{uuid}/notify` plays the payer: it sends the signed webhook to the
invoice's `url_callback`, encoded as the gateway's PHP encodes it (`\\/` escapes).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import msgspec
from litestar import Litestar, Request, Response, post
from litestar.di import Provide
from litestar.params import FromPath

from supportai.integrations.payments import sign


class SimInvoice(msgspec.Struct):
    uuid: str
    order_id: str
    amount: str
    currency: str
    url_callback: str
    url: str


class PaymentGatewaySim:
    def __init__(self, merchant: str, api_key: str) -> None:
        self.merchant, self.api_key = merchant, api_key
        self.invoices: dict[str, SimInvoice] = {}  # by order_id
        self.notices_sent: list[bytes] = []

    def php_json(self, fields: dict[str, Any]) -> bytes:
        """Compact JSON with escaped slashes, as PHP's json_encode writes it."""
        return json.dumps(fields, separators=(",", ":")).replace("/", "\\/").encode()

    def signed(self, fields: dict[str, Any]) -> bytes:
        body = self.php_json(fields)
        return body[:-1] + b',"sign":"' + sign(body, self.api_key).encode() + b'"}'


@post("/v1/payment", status_code=200)
async def create_payment(request: Request[Any, Any, Any], gateway: PaymentGatewaySim) -> Response[dict[str, Any]]:
    body = await request.body()
    if request.headers.get("merchant") != gateway.merchant or request.headers.get("sign") != sign(body, gateway.api_key):
        return Response({"state": 1, "message": "Unauthorized"}, status_code=401)
    data = json.loads(body)
    invoice = gateway.invoices.get(data["order_id"])
    if invoice is None:
        invoice_id = str(uuid.uuid4())
        invoice = gateway.invoices[data["order_id"]] = SimInvoice(
            uuid=invoice_id, order_id=data["order_id"], amount=data["amount"], currency=data["currency"],
            url_callback=data["url_callback"], url=f"{request.base_url}pay/{invoice_id}",
        )
    return Response({"state": 0, "result": {**msgspec.to_builtins(invoice), "payment_status": "check"}})


@post("/_pay/invoices/{invoice_id:str}/notify", status_code=200)
async def notify(invoice_id: FromPath[str], data: dict[str, Any], gateway: PaymentGatewaySim) -> dict[str, Any]:
    """Send the webhook: `data` gives `status` and optionally `amount` (default: the invoice's)."""
    invoice = next(i for i in gateway.invoices.values() if i.uuid == invoice_id)
    body = gateway.signed({
        "type": "payment", "uuid": invoice.uuid, "order_id": invoice.order_id, "amount": data.get("amount", invoice.amount),
        "payment_amount": data.get("amount", invoice.amount), "currency": invoice.currency,
        "status": data["status"], "is_final": data["status"] not in {"check", "process", "confirm_check"},
        "url": invoice.url,
    })
    gateway.notices_sent.append(body)
    async with httpx.AsyncClient() as client:
        answer = await client.post(invoice.url_callback, content=body, headers={"content-type": "application/json"})
    return {"status_code": answer.status_code, "answer": answer.json()}


def create_payments_app(gateway: PaymentGatewaySim) -> Litestar:
    return Litestar(
        route_handlers=[create_payment, notify],
        dependencies={"gateway": Provide(lambda: gateway, sync_to_thread=False)},
        openapi_config=None,
        logging_config=None,
    )
