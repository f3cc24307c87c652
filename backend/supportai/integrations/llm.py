"""Optional LLM classification for messages the offline classifier is unsure about.

A tenant may configure an OpenAI-compatible chat-completions endpoint (URL, model, key).
Messages the offline model is unsure of (an action held back below its calibrated
threshold, `Understanding.unsure`) are sent to it with
a JSON-schema-constrained prompt. The answer is validated (known intents only; order IDs
must be ones the offline reading found or digit runs present in the text) and any error,
timeout or invalid answer returns the offline result unchanged: the LLM can improve an
answer, never break the pipeline.
"""

from __future__ import annotations

import asyncio
import re
from typing import Literal

import httpx
import msgspec
import structlog

from supportai.engine.understanding import (
    MAX_ORDERS_PER_MESSAGE,
    OrderIntent,
    Understanding,
)
from supportai.engine.understanding.text import normalise
from supportai.integrations.http import ErrorKinds, IntegrationError, JsonHttp, RetryPolicy

log = structlog.get_logger("supportai.integrations.llm")

LLM_ANSWER_CONFIDENCE = 0.9  # a validated LLM answer
DEFAULT_TIMEOUT_S = 8.0

Intent = Literal["refill", "cancel", "speed_up", "other"]
_INTENTS = ["refill", "cancel", "speed_up", "other"]


class LLMConfig(msgspec.Struct, frozen=True):
    """A tenant's endpoint: the base URL (".../v1") or the full chat-completions URL."""

    url: str
    model: str
    api_key: str
    timeout_s: float = DEFAULT_TIMEOUT_S

    def __repr__(self) -> str:  # the key must not end up in logs or tracebacks
        return f"LLMConfig(url={self.url!r}, model={self.model!r}, timeout_s={self.timeout_s})"


class LLMError(IntegrationError):
    """Any failure talking to the LLM endpoint; always answered with the offline result."""


_ERRORS = ErrorKinds(
    auth=LLMError, not_found=LLMError, rejected=LLMError, unavailable=LLMError, protocol=LLMError
)
_ONE_ATTEMPT = RetryPolicy(attempts=1)  # a retry would not fit the deadline; offline is ready

ANSWER_SCHEMA = {
    "type": "object",
    "properties": {
        "intent": {"type": "string", "enum": _INTENTS},
        "orders": {
            "type": "array",
            "maxItems": MAX_ORDERS_PER_MESSAGE,
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "pattern": "^[0-9]{1,20}$"},
                    "intent": {"type": "string", "enum": _INTENTS},
                },
                "required": ["id", "intent"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["intent", "orders"],
    "additionalProperties": False,
}

SYSTEM_PROMPT = (
    "You read customer support messages sent to an SMM panel (a site selling followers, "
    "likes and views), in any language. Answer with JSON only, following the schema.\n"
    "intent: refill = delivered followers/likes/views dropped or are missing and the "
    "customer wants them restored; cancel = stop the order and/or refund it; speed_up = the "
    "order is pending, not started, stuck or slow; other = anything else (payments, prices, "
    "questions, thanks, complaints without a request).\n"
    "orders: every order ID the customer names, in message order, each with what is asked "
    "for that order. Order IDs are never quantities, prices, dates, times, phone numbers, "
    "percentages, service IDs, payment or transaction IDs, ticket numbers, usernames or "
    "numbers inside links. `offline_order_ids` lists what a rule-based reader found."
)


class _AnsweredOrder(msgspec.Struct, forbid_unknown_fields=True):
    id: str
    intent: Intent


class _Answer(msgspec.Struct, forbid_unknown_fields=True):
    intent: Intent
    orders: list[_AnsweredOrder]


def needs_llm(understanding: Understanding) -> bool:
    """Whether an offline reading is unsure enough to ask a configured LLM."""
    return not understanding.too_many_orders and understanding.unsure


async def classify_with_llm(
    text: str, offline: Understanding, config: LLMConfig, client: httpx.AsyncClient
) -> Understanding:
    """The LLM's validated reading of `text`, or `offline` on any failure."""
    try:
        return await ask_llm(text, offline, config, client)
    except LLMError as exc:
        log.warning("llm_fallback", reason=exc.message, model=config.model)
        return offline


async def ask_llm(
    text: str, offline: Understanding, config: LLMConfig, client: httpx.AsyncClient
) -> Understanding:
    """The LLM's validated reading of `text`; LLMError says why there is none."""
    http = JsonHttp(
        client, errors=_ERRORS, timeout=config.timeout_s, retry=_ONE_ATTEMPT, limiter=None
    )
    payload = {
        "model": config.model,
        "temperature": 0,
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {
                "role": "user",
                "content": msgspec.json.encode(
                    {"message": text, "offline_order_ids": list(offline.order_ids)}
                ).decode(),
            },
        ],
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "support_request", "strict": True, "schema": ANSWER_SCHEMA},
        },
    }
    try:
        # httpx times each phase separately; the deadline covers the whole exchange.
        async with asyncio.timeout(config.timeout_s):
            body = await http.request(
                "POST",
                chat_completions_url(config.url),
                idempotent=True,
                json=payload,
                headers={"Authorization": f"Bearer {config.api_key}"},
            )
    except TimeoutError as exc:
        raise LLMError(f"no answer within {config.timeout_s:g} s") from exc
    try:
        answer = msgspec.json.decode(body["choices"][0]["message"]["content"], type=_Answer)
    except (msgspec.MsgspecError, KeyError, IndexError, TypeError) as exc:
        raise LLMError(f"the answer is not the requested JSON ({exc})") from exc
    validated = _validate(answer, text, offline)
    if validated is None:
        raise LLMError("the answer names order IDs the message does not hold")
    return validated


def chat_completions_url(url: str) -> str:
    url = url.rstrip("/")
    return url if url.endswith("/chat/completions") else f"{url}/chat/completions"


def _validate(answer: _Answer, text: str, offline: Understanding) -> Understanding | None:
    """The answer as an Understanding, or None when it names IDs the text does not hold."""
    allowed = set(offline.order_ids) | set(re.findall(r"\d+", normalise(text)))
    orders: dict[str, str] = {}
    for order in answer.orders:
        if order.id not in allowed:
            return None
        orders.setdefault(order.id, order.intent)
    if len(orders) > MAX_ORDERS_PER_MESSAGE:
        return None
    return Understanding(
        intent=answer.intent,
        confidence=max(offline.confidence, LLM_ANSWER_CONFIDENCE),
        lang=offline.lang,
        orders=tuple(OrderIntent(order_id, intent) for order_id, intent in orders.items()),
    )
