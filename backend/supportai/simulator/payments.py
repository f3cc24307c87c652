"""Stand-ins for the payment gateways (spec/integrations.md §4), on one server.

- Cryptomus / Heleket: `POST /v1/payment` checks the `merchant` and `sign` headers (a
  reused order_id returns the same invoice); webhooks are signed over the PHP encoding
  (`\\/` escapes).
- NOWPayments: `POST /v1/invoice` checks `x-api-key`; IPNs carry `x-nowpayments-sig`,
  HMAC-SHA512 of the sorted-keys JSON.

Playing the payer, over real HTTP to the invoice's callback:
`POST /_pay/invoices/{id}/play {"outcome": "paid"|"partial"|"failed"|"expired", "repeat": n,
"concurrent": bool, "reverse": bool}` sends the statuses that outcome goes through (each
`repeat` times, at once if `concurrent`, in reverse order if `reverse`);
`POST /_pay/invoices/{id}/notify {"status", "amount"?}` sends one Cryptomus status as given.
Each invoice has a payment page (`/pay/{id}`) with buttons that play the payer.
"""

from __future__ import annotations

import asyncio
import html
import json
import uuid
from typing import Any
from urllib.parse import parse_qs

import httpx
import msgspec
from litestar import Litestar, MediaType, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from supportai.integrations.nowpayments import ipn_signature
from supportai.integrations.payments import sign

# The statuses a payment goes through, per gateway, for each way the payer can act.
_SEQUENCES = {
    "cryptomus": {"paid": ["check", "paid"], "partial": ["check", "wrong_amount_waiting"],
                  "failed": ["check", "fail"], "expired": ["cancel"]},
    "nowpayments": {"paid": ["waiting", "confirming", "finished"], "partial": ["waiting", "partially_paid"],
                    "failed": ["waiting", "failed"], "expired": ["expired"]},
}


class SimInvoice(msgspec.Struct):
    gateway: str  # cryptomus | nowpayments
    uuid: str
    order_id: str
    amount: str
    currency: str
    url_callback: str
    url: str
    statuses: list[str] = msgspec.field(default_factory=list)  # sent so far


class PaymentGatewaySim:
    """Both gateways' state. Cryptomus: `merchant`, `api_key`; NOWPayments: `nowpayments_key`,
    `ipn_secret` (None: that gateway answers 401)."""

    def __init__(self, merchant: str, api_key: str, *, nowpayments_key: str | None = None,
                 ipn_secret: str | None = None) -> None:
        self.merchant, self.api_key = merchant, api_key
        self.nowpayments_key, self.ipn_secret = nowpayments_key, ipn_secret
        self.invoices: dict[str, SimInvoice] = {}  # by order_id
        self.notices_sent: list[bytes] = []

    def php_json(self, fields: dict[str, Any]) -> bytes:
        """Compact JSON with escaped slashes, as PHP's json_encode writes it."""
        return json.dumps(fields, separators=(",", ":")).replace("/", "\\/").encode()

    def signed(self, fields: dict[str, Any]) -> bytes:
        body = self.php_json(fields)
        return body[:-1] + b',"sign":"' + sign(body, self.api_key).encode() + b'"}'

    def by_id(self, invoice_id: str) -> SimInvoice | None:
        return next((i for i in self.invoices.values() if i.uuid == invoice_id), None)

    def notice(self, invoice: SimInvoice, status: str, amount: str | None = None) -> tuple[bytes, dict[str, str]]:
        """The signed webhook body and headers for one status of the invoice."""
        paid = amount or (invoice.amount if status not in {"wrong_amount_waiting", "partially_paid"} else
                          f"{float(invoice.amount) / 2:.2f}")
        if invoice.gateway == "nowpayments":
            fields = {"payment_id": int(invoice.uuid), "invoice_id": int(invoice.uuid), "payment_status": status,
                      "pay_address": "bc1qsimulatedaddress", "price_amount": float(invoice.amount),
                      "price_currency": invoice.currency.lower(), "pay_amount": float(paid) / 40000,
                      "actually_paid": float(paid) / 40000, "pay_currency": "btc", "order_id": invoice.order_id,
                      "order_description": None, "outcome_amount": float(paid), "outcome_currency": "usd"}
            body = json.dumps(fields).encode()
            return body, {"content-type": "application/json",
                          "x-nowpayments-sig": ipn_signature(fields, self.ipn_secret or "")}
        body = self.signed({
            "type": "payment", "uuid": invoice.uuid, "order_id": invoice.order_id, "amount": amount or invoice.amount,
            "payment_amount": paid, "currency": invoice.currency, "status": status,
            "is_final": status not in {"check", "process", "confirm_check", "wrong_amount_waiting"}, "url": invoice.url,
        })
        return body, {"content-type": "application/json"}

    async def send(self, invoice: SimInvoice, status: str, amount: str | None = None) -> dict[str, Any]:
        body, headers = self.notice(invoice, status, amount)
        self.notices_sent.append(body)
        invoice.statuses.append(status)
        async with httpx.AsyncClient() as client:
            answer = await client.post(invoice.url_callback, content=body, headers=headers)
        return {"status": status, "status_code": answer.status_code, "answer": answer.json()}

    async def play(self, invoice: SimInvoice, outcome: str, *, repeat: int = 1, concurrent: bool = False,
                   reverse: bool = False) -> list[dict[str, Any]]:
        statuses = _SEQUENCES[invoice.gateway][outcome]
        answers = []
        for status in reversed(statuses) if reverse else statuses:
            if concurrent:
                answers += await asyncio.gather(*(self.send(invoice, status) for _ in range(repeat)))
            else:
                for _ in range(repeat):
                    answers.append(await self.send(invoice, status))
        return answers


def _new_invoice(gateway: PaymentGatewaySim, kind: str, base_url: str, order_id: str, **fields: str) -> SimInvoice:
    invoice = gateway.invoices.get(order_id)
    if invoice is None:
        invoice_id = str(uuid.uuid4()) if kind == "cryptomus" else str(4_000_000_000 + len(gateway.invoices))
        page = f"{base_url}pay/{invoice_id}" if kind == "cryptomus" else f"{base_url}payment/{invoice_id}"
        invoice = gateway.invoices[order_id] = SimInvoice(gateway=kind, uuid=invoice_id, order_id=order_id,
                                                          url=page, **fields)
    return invoice


@post("/v1/payment", status_code=200)
async def create_payment(
    request: Request[Any, Any, Any], gateway: NamedDependency[PaymentGatewaySim]
) -> Response[dict[str, Any]]:
    body = await request.body()
    signed = request.headers.get("sign") == sign(body, gateway.api_key)
    if request.headers.get("merchant") != gateway.merchant or not signed:
        return Response({"state": 1, "message": "Unauthorized"}, status_code=401)
    data = json.loads(body)
    invoice = _new_invoice(gateway, "cryptomus", str(request.base_url), data["order_id"], amount=data["amount"],
                           currency=data["currency"], url_callback=data["url_callback"])
    result = {k: v for k, v in msgspec.to_builtins(invoice).items() if k not in {"gateway", "statuses"}}
    return Response({"state": 0, "result": {**result, "payment_status": "check"}})


@post("/v1/invoice", status_code=200)
async def create_nowpayments_invoice(
    request: Request[Any, Any, Any], data: dict[str, Any], gateway: NamedDependency[PaymentGatewaySim]
) -> Response[dict[str, Any]]:
    if gateway.nowpayments_key is None or request.headers.get("x-api-key") != gateway.nowpayments_key:
        return Response({"status": False, "statusCode": 403, "message": "Invalid api key"}, status_code=403)
    invoice = _new_invoice(gateway, "nowpayments", str(request.base_url), data["order_id"],
                           amount=f"{data['price_amount']:.2f}", currency=str(data["price_currency"]).upper(),
                           url_callback=data["ipn_callback_url"])
    return Response({"id": invoice.uuid, "order_id": invoice.order_id, "price_amount": str(data["price_amount"]),
                     "price_currency": data["price_currency"], "invoice_url": invoice.url,
                     "ipn_callback_url": invoice.url_callback})


@post("/_pay/invoices/{invoice_id:str}/play", status_code=200)
async def play(
    invoice_id: FromPath[str], data: dict[str, Any], gateway: NamedDependency[PaymentGatewaySim]
) -> Response[Any]:
    invoice = gateway.by_id(invoice_id)
    if invoice is None or data.get("outcome") not in _SEQUENCES["cryptomus"]:
        return Response({"error": "no such invoice or outcome"}, status_code=404)
    return Response(await gateway.play(invoice, data["outcome"], repeat=int(data.get("repeat", 1)),
                                       concurrent=bool(data.get("concurrent")), reverse=bool(data.get("reverse"))))


@post("/_pay/invoices/{invoice_id:str}/notify", status_code=200)
async def notify(
    invoice_id: FromPath[str], data: dict[str, Any], gateway: NamedDependency[PaymentGatewaySim]
) -> Response[Any]:
    """One Cryptomus status as given: `status` and optionally `amount` (default: the invoice's)."""
    invoice = gateway.by_id(invoice_id)
    if invoice is None:
        return Response({"error": "no such invoice"}, status_code=404)
    return Response(await gateway.send(invoice, data["status"], data.get("amount")))


_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Pay {amount} {currency}</title></head>
<body style="font-family:sans-serif;max-width:28rem;margin:3rem auto">
<h1>{gateway} (simulated)</h1><p>Invoice {uuid}: <strong>{amount} {currency}</strong></p>
<p>Statuses sent: {statuses}</p>
<form method="post">{buttons}</form></body></html>"""


async def _page(invoice_id: str, gateway: PaymentGatewaySim, request: Request[Any, Any, Any]) -> Response[str]:
    invoice = gateway.by_id(invoice_id)
    if invoice is None:
        return Response("No such invoice", status_code=404, media_type=MediaType.TEXT)
    if request.method == "POST":
        outcome = parse_qs((await request.body()).decode()).get("outcome", [""])[0]
        if outcome in _SEQUENCES[invoice.gateway]:
            await gateway.play(invoice, outcome)
    buttons = "".join(f'<button name="outcome" value="{o}">{o.capitalize()}</button> '
                      for o in _SEQUENCES[invoice.gateway])
    return Response(_PAGE.format(gateway=invoice.gateway, uuid=html.escape(invoice.uuid), amount=invoice.amount,
                                 currency=invoice.currency, statuses=html.escape(", ".join(invoice.statuses) or "none"),
                                 buttons=buttons), media_type=MediaType.HTML)


@get(["/pay/{invoice_id:str}", "/payment/{invoice_id:str}"])
async def payment_page(
    invoice_id: FromPath[str], gateway: NamedDependency[PaymentGatewaySim], request: Request[Any, Any, Any]
) -> Response[str]:
    return await _page(invoice_id, gateway, request)


@post(["/pay/{invoice_id:str}", "/payment/{invoice_id:str}"], status_code=200)
async def pay_on_page(
    invoice_id: FromPath[str], gateway: NamedDependency[PaymentGatewaySim], request: Request[Any, Any, Any]
) -> Response[str]:
    return await _page(invoice_id, gateway, request)


def stand_in_gateway() -> PaymentGatewaySim:
    """Both gateways with fixed credentials: the demo's and `supportai simulate --payments`'s."""
    return PaymentGatewaySim("sim-merchant", "sim-payments-key", nowpayments_key="sim-nowpayments-key",
                             ipn_secret="sim-ipn-secret")


def gateway_env(gateway: PaymentGatewaySim, url: str) -> dict[str, str]:
    """The SUPPORTAI_* variables that point SupportAI at these stand-ins."""
    env = {"SUPPORTAI_PAYMENTS_API": url, "SUPPORTAI_PAYMENTS_MERCHANT": gateway.merchant,
           "SUPPORTAI_PAYMENTS_API_KEY": gateway.api_key}
    if gateway.nowpayments_key and gateway.ipn_secret:
        env |= {"SUPPORTAI_NOWPAYMENTS_API": url, "SUPPORTAI_NOWPAYMENTS_API_KEY": gateway.nowpayments_key,
                "SUPPORTAI_NOWPAYMENTS_IPN_SECRET": gateway.ipn_secret}
    return env


def create_payments_app(gateway: PaymentGatewaySim) -> Litestar:
    return Litestar(
        route_handlers=[create_payment, create_nowpayments_invoice, play, notify, payment_page, pay_on_page],
        dependencies={"gateway": Provide(lambda: gateway, sync_to_thread=False)},
        openapi_config=None,
        logging_config=None,
    )
