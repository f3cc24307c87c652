"""Crypto payments through Cryptomus / Heleket (one API; spec/integrations.md §4).

SupportAI is the merchant: owners pay it for plans, upgrades, renewals and credit packs.
This module holds the `PaymentGateway` port all gateways implement (NOWPayments is in
`nowpayments.py`). The invoice request is signed
`md5(base64(body) + api_key)` over the exact bytes sent; the webhook carries the same kind
of signature over its own raw body without the `sign` field, as the sender (PHP) encoded
it, `\\/` escapes included, so it is verified on the raw bytes, never on re-encoded JSON.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any, Protocol

import httpx
import msgspec

from supportai.integrations.http import DEFAULT_RETRY, ErrorKinds, IntegrationError, JsonHttp


class PaymentError(IntegrationError):
    """The gateway refused or failed the call."""


_ERRORS = ErrorKinds(
    auth=PaymentError, not_found=PaymentError, rejected=PaymentError, unavailable=PaymentError,
    protocol=PaymentError,
)

# Cryptomus / Heleket statuses, read as the states a payment attempt can take.
_CRYPTOMUS_STATES = {
    "paid": "paid", "paid_over": "paid",
    "fail": "failed", "wrong_amount": "failed", "cancel": "failed", "system_fail": "failed",
    "wrong_amount_waiting": "short",  # paid less; the payer may still add the rest
}


class Invoice(msgspec.Struct, frozen=True):
    uuid: str
    url: str  # the payment page to send the owner to


class PaymentNotice(msgspec.Struct, frozen=True):
    """The fields of a verified webhook that SupportAI acts on. `state` is the gateway's
    status read as ours: paid | short | failed | expired | pending."""

    uuid: str
    order_id: str
    status: str  # the gateway's own word
    state: str
    amount: Decimal
    currency: str


class InvalidNotice(PaymentError):
    """A correctly signed notice whose fields cannot be read (e.g. a NaN amount)."""


class PaymentGateway(Protocol):
    name: str  # cryptomus | nowpayments
    lifetime: timedelta  # how long its invoices can be paid

    async def create_invoice(
        self, *, order_id: str, amount: Decimal, currency: str, callback_url: str, return_url: str
    ) -> Invoice: ...

    def verify(self, raw_body: bytes, headers: Mapping[str, str]) -> PaymentNotice | None:
        """The notice if its signature holds, else None; InvalidNotice if it holds but the
        fields are unreadable."""
        ...


def money(value: Any) -> Decimal:
    """A webhook amount as a finite Decimal: "9.00", 9 and 9.5 are read, NaN, Infinity,
    booleans and words are refused."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InvalidNotice(f"amount {value!r} is not a number")
    try:
        amount = Decimal(str(value).strip())
    except ArithmeticError as exc:
        raise InvalidNotice(f"amount {value!r} is not a number") from exc
    if not amount.is_finite():
        raise InvalidNotice(f"amount {value!r} is not a finite number")
    return amount


def sign(body: bytes, api_key: str) -> str:
    return hashlib.md5(base64.b64encode(body) + api_key.encode()).hexdigest()


# `"sign":"<hex>"` with the comma that joins it to its neighbour, in either position.
_SIGN_FIELD = re.compile(rb',\s*"sign"\s*:\s*"([0-9a-fA-F]*)"|"sign"\s*:\s*"([0-9a-fA-F]*)"\s*,?')


def verify_webhook(raw_body: bytes, api_key: str) -> dict[str, Any] | None:
    """The webhook's fields if its signature holds, else None (InvalidNotice: signed, unreadable)."""
    found = _SIGN_FIELD.search(raw_body)
    if found is None:
        return None
    given = (found.group(1) or found.group(2) or b"").decode()
    rest = raw_body[: found.start()] + raw_body[found.end():]
    if not given or not hmac.compare_digest(sign(rest, api_key), given.lower()):
        return None
    try:
        fields = msgspec.json.decode(raw_body)
    except msgspec.DecodeError as exc:  # signed, yet not JSON (e.g. a bare NaN)
        raise InvalidNotice("the notice is not valid JSON") from exc
    if not isinstance(fields, dict):
        raise InvalidNotice("the notice is not a JSON object")
    return fields


class CryptomusGateway:
    """Cryptomus or Heleket, by base URL (`https://api.cryptomus.com`, `https://api.heleket.com`)."""

    name = "cryptomus"
    lifetime = timedelta(hours=1)  # sent as the invoice's `lifetime`

    def __init__(self, client: httpx.AsyncClient, *, base_url: str, merchant: str, api_key: str) -> None:
        self._http = JsonHttp(client, errors=_ERRORS, timeout=15.0, retry=DEFAULT_RETRY, limiter=None)
        self._base_url = base_url.rstrip("/")
        self._merchant = merchant
        self._api_key = api_key

    async def create_invoice(
        self, *, order_id: str, amount: Decimal, currency: str, callback_url: str, return_url: str
    ) -> Invoice:
        """Reusing an order_id returns the same invoice, so a retried call is safe."""
        body = msgspec.json.encode({
            "amount": f"{amount:.2f}", "currency": currency, "order_id": order_id,
            "url_callback": callback_url, "url_return": return_url, "lifetime": int(self.lifetime.total_seconds()),
        })
        answer = await self._http.request(
            "POST", f"{self._base_url}/v1/payment", idempotent=True, content=body,
            headers={"merchant": self._merchant, "sign": sign(body, self._api_key),
                     "content-type": "application/json"},
        )
        try:
            result = answer["result"]
            return Invoice(uuid=str(result["uuid"]), url=str(result["url"]))
        except (KeyError, TypeError) as exc:
            raise PaymentError(f"unexpected invoice answer: {str(answer)[:200]}") from exc

    def verify(self, raw_body: bytes, headers: Mapping[str, str]) -> PaymentNotice | None:
        fields = verify_webhook(raw_body, self._api_key)
        if fields is None:
            return None
        status = str(fields.get("status", ""))
        if not isinstance(fields.get("order_id"), str):
            raise InvalidNotice("the notice names no order_id")
        return PaymentNotice(
            uuid=str(fields.get("uuid", "")), order_id=fields["order_id"], status=status,
            state=_CRYPTOMUS_STATES.get(status, "pending"), amount=money(fields.get("amount")),
            currency=str(fields.get("currency", "")),
        )
