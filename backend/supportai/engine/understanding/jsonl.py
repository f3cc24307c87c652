"""The `supportai classify` and `classify-reply` contracts: JSON Lines in, JSON Lines out.

One output line per non-blank input line, in order. A line that is not a JSON object
with an `id` (string or integer) and a `text` (string) yields an error line naming the
id, or `line:N` when there is none, and processing continues.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import msgspec

from supportai.engine.understanding.model import ProviderReply, Understanding
from supportai.engine.understanding.replies import analyse_provider_reply
from supportai.engine.understanding.weighing import understand

TOO_MANY_ORDERS_NOTE = "more than 100 order IDs in one message; ask the customer to split it"


class _Order(msgspec.Struct):
    id: str
    intent: str


class _Classified(msgspec.Struct, omit_defaults=True):
    id: str | int
    intent: str
    confidence: float
    lang: str
    orders: list[_Order]
    too_many_orders: bool = False
    note: str | None = None


class _ClassifiedReply(msgspec.Struct):
    id: str | int
    label: str
    order_ids: list[str]


class _Error(msgspec.Struct):
    id: str | int
    error: str


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder()


def classify_lines(
    lines: Iterable[str], reader: Callable[[str], Understanding] = understand
) -> Iterator[str]:
    """`{"id", "text"}` lines to `{"id", "intent", "confidence", "lang", "orders"}` lines."""
    return _map_lines(lines, lambda record_id, text: _classified(record_id, reader(text)))


def classify_reply_lines(
    lines: Iterable[str], reader: Callable[[str], ProviderReply] = analyse_provider_reply
) -> Iterator[str]:
    """`{"id", "text"}` lines to `{"id", "label", "order_ids"}` lines."""
    return _map_lines(lines, lambda record_id, text: _classified_reply(record_id, reader(text)))


def _classified(record_id: str | int, understanding: Understanding) -> msgspec.Struct:
    return _Classified(
        id=record_id,
        intent=understanding.intent,
        confidence=understanding.confidence,
        lang=understanding.lang,
        orders=[_Order(order.id, order.intent) for order in understanding.orders],
        too_many_orders=understanding.too_many_orders,
        note=TOO_MANY_ORDERS_NOTE if understanding.too_many_orders else None,
    )


def _classified_reply(record_id: str | int, reply: ProviderReply) -> msgspec.Struct:
    return _ClassifiedReply(id=record_id, label=reply.label, order_ids=list(reply.order_ids))


def _map_lines(
    lines: Iterable[str], classify: Callable[[str | int, str], msgspec.Struct]
) -> Iterator[str]:
    for line_number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        yield _encoder.encode(_process(line, line_number, classify)).decode()


def _process(
    line: str, line_number: int, classify: Callable[[str | int, str], msgspec.Struct]
) -> msgspec.Struct:
    fallback_id = f"line:{line_number}"
    try:
        record = _decoder.decode(line)
    except msgspec.DecodeError:
        return _Error(fallback_id, "not valid JSON")
    if not isinstance(record, dict):
        return _Error(fallback_id, "expected a JSON object")
    record_id = record.get("id")
    if isinstance(record_id, bool) or not isinstance(record_id, (str, int)):
        return _Error(fallback_id, "`id` must be a string or an integer")
    text = record.get("text")
    if not isinstance(text, str):
        return _Error(record_id, "`text` must be a string")
    return classify(record_id, text)
