"""Crypto payments through NOWPayments (spec/integrations.md §4).

Invoices: `POST /v1/invoice` with the `x-api-key` header; the answer's `invoice_url` is the
payment page. IPN: the header `x-nowpayments-sig` is HMAC-SHA512 (the IPN secret) of the
body re-encoded as NOWPayments' own Node code does: `JSON.stringify` of the object with its
keys sorted, no spaces. So numbers are written as JavaScript writes them (25.5, 0.00029,
1e-7, 25 for 25.0) and strings keep their non-ASCII characters and slashes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx

from supportai.integrations.http import DEFAULT_RETRY, ErrorKinds, JsonHttp
from supportai.integrations.payments import (
    InvalidNotice,
    Invoice,
    PaymentError,
    PaymentNotice,
    money,
)

_ERRORS = ErrorKinds(
    auth=PaymentError, not_found=PaymentError, rejected=PaymentError, unavailable=PaymentError,
    protocol=PaymentError,
)

_STATES = {"finished": "paid", "partially_paid": "short", "failed": "failed", "refunded": "failed",
           "expired": "expired"}  # waiting, confirming, confirmed, sending: still pending


def js_number(value: float) -> str:
    """A double as JavaScript's Number.prototype.toString writes it (ECMA-262 §6.1.6.1.20)."""
    if value == 0:
        return "0"
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    assert isinstance(exponent, int)
    text = "".join(map(str, digits))
    k, n = len(text), len(text) + exponent  # value = 0.text × 10^n
    if k <= n <= 21:
        body = text + "0" * (n - k)
    elif 0 < n <= 21:
        body = f"{text[:n]}.{text[n:]}"
    elif -6 < n <= 0:
        body = "0." + "0" * -n + text
    else:
        mantissa = text[0] + (f".{text[1:]}" if k > 1 else "")
        body = f"{mantissa}e{'+' if n - 1 >= 0 else '-'}{abs(n - 1)}"
    return ("-" if sign else "") + body


def _refuse_constant(name: str) -> Any:
    raise InvalidNotice(f"{name} is not a JSON number")


def sorted_json(value: Any) -> str:
    """JSON.stringify of `value` with every object's keys sorted, as the IPN is signed."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{sorted_json(str(k))}:{sorted_json(v)}" for k, v in sorted(value.items())) + "}"
    if isinstance(value, list):
        return "[" + ",".join(sorted_json(item) for item in value) + "]"
    if isinstance(value, float):
        return js_number(value)
    return json.dumps(value, ensure_ascii=False)  # str, int, bool, None


def ipn_signature(fields: Any, secret: str) -> str:
    return hmac.new(secret.encode(), sorted_json(fields).encode(), hashlib.sha512).hexdigest()


def verify_ipn(raw_body: bytes, signature: str | None, secret: str) -> dict[str, Any] | None:
    """The IPN's fields if the signature holds, else None (InvalidNotice: unreadable JSON)."""
    if not signature:
        return None
    try:
        fields = json.loads(raw_body, parse_constant=_refuse_constant)
    except ValueError:
        return None  # not JSON: nothing was signed that we can re-encode
    if not isinstance(fields, dict):
        return None
    if not hmac.compare_digest(ipn_signature(fields, secret), signature.strip().lower()):
        return None
    return fields


class NowPaymentsGateway:
    name = "nowpayments"
    lifetime = timedelta(days=7)  # NOWPayments' invoices stay payable for a week

    def __init__(self, client: httpx.AsyncClient, *, base_url: str, api_key: str, ipn_secret: str) -> None:
        self._http = JsonHttp(client, errors=_ERRORS, timeout=15.0, retry=DEFAULT_RETRY, limiter=None)
        self._base_url = base_url.rstrip("/")
        self._api_key = api_key
        self._ipn_secret = ipn_secret

    async def create_invoice(
        self, *, order_id: str, amount: Decimal, currency: str, callback_url: str, return_url: str
    ) -> Invoice:
        answer = await self._http.request(
            "POST", f"{self._base_url}/v1/invoice", idempotent=False, headers={"x-api-key": self._api_key},
            json={"price_amount": float(amount), "price_currency": currency.lower(), "order_id": order_id,
                  "ipn_callback_url": callback_url, "success_url": return_url, "cancel_url": return_url},
        )
        try:
            return Invoice(uuid=str(answer["id"]), url=str(answer["invoice_url"]))
        except (KeyError, TypeError) as exc:
            raise PaymentError(f"unexpected invoice answer: {str(answer)[:200]}") from exc

    def verify(self, raw_body: bytes, headers: Mapping[str, str]) -> PaymentNotice | None:
        fields = verify_ipn(raw_body, headers.get("x-nowpayments-sig"), self._ipn_secret)
        if fields is None:
            return None
        status = str(fields.get("payment_status", ""))
        if not isinstance(fields.get("order_id"), str):
            raise InvalidNotice("the notice names no order_id")
        return PaymentNotice(
            uuid=str(fields.get("invoice_id") or fields.get("payment_id") or ""), order_id=fields["order_id"],
            status=status, state=_STATES.get(status, "pending"), amount=money(fields.get("price_amount")),
            currency=str(fields.get("price_currency", "")).upper(),
        )
