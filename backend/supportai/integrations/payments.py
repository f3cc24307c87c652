"""Crypto payments through Cryptomus / Heleket (one API; spec/integrations.md §4).

SupportAI is the merchant: owners pay it for credit packs. The invoice request is signed
`md5(base64(body) + api_key)` over the exact bytes sent; the webhook carries the same kind
of signature over its own raw body without the `sign` field, as the sender (PHP) encoded
it, `\\/` escapes included, so it is verified on the raw bytes, never on re-encoded JSON.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
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

PAID_STATUSES = frozenset({"paid", "paid_over"})  # credit only on these
FAILED_STATUSES = frozenset({"fail", "wrong_amount", "cancel", "system_fail"})


class Invoice(msgspec.Struct, frozen=True):
    uuid: str
    url: str  # the payment page to send the owner to


class PaymentNotice(msgspec.Struct, frozen=True):
    """The fields of a verified webhook that SupportAI acts on."""

    uuid: str
    order_id: str
    status: str
    amount: Decimal
    currency: str
    is_final: bool = False


class PaymentGateway(Protocol):
    async def create_invoice(
        self, *, order_id: str, amount: Decimal, currency: str, callback_url: str, return_url: str
    ) -> Invoice: ...

    def verify(self, raw_body: bytes) -> PaymentNotice | None: ...


def sign(body: bytes, api_key: str) -> str:
    return hashlib.md5(base64.b64encode(body) + api_key.encode()).hexdigest()


# `"sign":"<hex>"` with the comma that joins it to its neighbour, in either position.
_SIGN_FIELD = re.compile(rb',\s*"sign"\s*:\s*"([0-9a-fA-F]*)"|"sign"\s*:\s*"([0-9a-fA-F]*)"\s*,?')


def verify_webhook(raw_body: bytes, api_key: str) -> dict[str, Any] | None:
    """The webhook's fields if its signature holds, else None."""
    found = _SIGN_FIELD.search(raw_body)
    if found is None:
        return None
    given = (found.group(1) or found.group(2) or b"").decode()
    rest = raw_body[: found.start()] + raw_body[found.end():]
    if not given or not hmac.compare_digest(sign(rest, api_key), given.lower()):
        return None
    try:
        fields = msgspec.json.decode(raw_body)
    except msgspec.DecodeError:
        return None
    return fields if isinstance(fields, dict) else None


class CryptomusGateway:
    """Cryptomus or Heleket, by base URL (`https://api.cryptomus.com`, `https://api.heleket.com`)."""

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
            "url_callback": callback_url, "url_return": return_url, "lifetime": 3600,
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

    def verify(self, raw_body: bytes) -> PaymentNotice | None:
        fields = verify_webhook(raw_body, self._api_key)
        if fields is None:
            return None
        try:
            return msgspec.convert(fields, PaymentNotice, strict=False)
        except msgspec.ValidationError:
            return None
