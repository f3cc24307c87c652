"""The team's labelled training corpus (`data/messages/*.jsonl`, `data/replies/*.jsonl`).

Same schema as the dev corpus. `check_corpus_file` lists what is wrong with a file so
that a mistake in the labels fails a test instead of teaching the model something false:
`python -m supportai.engine.understanding.corpus FILE...` prints the problems.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from importlib import resources
from pathlib import Path

import msgspec

from supportai.engine.understanding.evaluation import LabelledMessage, LabelledReply

INTENTS = ("refill", "cancel", "speed_up", "other")
REPLY_LABELS = ("confirm", "decline", "ambiguous")
CHANNELS = ("ticket", "telegram", "api")
_LANG = re.compile(r"^(mixed|[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?)$")
DATA = resources.files("supportai.engine.understanding") / "data"


def ascii_digits(text: str) -> str:
    """Digits of every script as ASCII ("۹۲۰۱۳۴" -> "920134"), everything else kept."""
    return "".join(
        str(unicodedata.digit(char)) if char.isdigit() and unicodedata.digit(char, None) is not None else char
        for char in text
    )


def message_intent(orders: list[tuple[str, str]], fallback: str) -> str:
    """The message's intent: its orders' majority, on a tie the first order's."""
    if not orders:
        return fallback
    votes = Counter(intent for _, intent in orders)
    first_seen = [intent for _, intent in orders]
    return max(votes, key=lambda intent: (votes[intent], -first_seen.index(intent)))


def load_messages(path: Path) -> list[LabelledMessage]:
    return [msgspec.json.decode(line, type=LabelledMessage) for line in _lines(path)]


def load_replies(path: Path) -> list[LabelledReply]:
    return [msgspec.json.decode(line, type=LabelledReply) for line in _lines(path)]


def training_files(kind: str) -> list[Path]:
    """`kind` is "messages" or "replies": the corpus files shipped in the package."""
    folder = Path(str(DATA / kind))
    return sorted(folder.glob("*.jsonl"))


def check_corpus_file(path: Path) -> list[str]:
    is_reply = path.parent.name == "replies"
    problems: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(_lines(path), start=1):
        where = f"{path.name}:{number}"
        try:
            record = msgspec.json.decode(line, type=LabelledReply if is_reply else LabelledMessage)
        except msgspec.DecodeError as error:
            problems.append(f"{where}: {error}")
            continue
        if record.id in seen:
            problems.append(f"{where}: id {record.id} repeated")
        seen.add(record.id)
        if not _LANG.match(record.lang):
            problems.append(f"{where}: lang {record.lang!r} is not BCP-47-like or 'mixed'")
        if not record.text.strip():
            problems.append(f"{where}: empty text")
        problems.extend(f"{where}: {p}" for p in (_check_reply(record) if is_reply else _check_message(record)))
    return problems


def _check_message(record: LabelledMessage) -> list[str]:
    problems = []
    digits = ascii_digits(record.text)
    if record.channel not in CHANNELS:
        problems.append(f"channel {record.channel!r} not in {CHANNELS}")
    if record.intent not in INTENTS:
        problems.append(f"intent {record.intent!r} not in {INTENTS}")
    ids = [order.id for order in record.orders]
    if len(ids) != len(set(ids)):
        problems.append("an order id is listed twice")
    for order in record.orders:
        if order.intent not in INTENTS:
            problems.append(f"order {order.id}: intent {order.intent!r}")
        if not order.id.isascii() or not order.id.isdigit():
            problems.append(f"order id {order.id!r} must be ASCII digits")
        elif not re.search(rf"(?<!\d){order.id}(?!\d)", digits):
            problems.append(f"order id {order.id} does not stand in the text")
    expected = message_intent([(o.id, o.intent) for o in record.orders], record.intent)
    if record.orders and expected != record.intent:
        problems.append(f"intent {record.intent} but its orders' majority is {expected}")
    return problems


def _check_reply(record: LabelledReply) -> list[str]:
    problems = []
    if record.label not in REPLY_LABELS:
        problems.append(f"label {record.label!r} not in {REPLY_LABELS}")
    digits = ascii_digits(record.text)
    for order_id in record.order_ids:
        if not re.search(rf"(?<!\d){re.escape(order_id)}(?!\d)", digits):
            problems.append(f"order id {order_id} does not stand in the text")
    return problems


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main(paths: list[str]) -> int:
    total = 0
    for name in paths:
        problems = check_corpus_file(Path(name))
        total += len(problems)
        print("\n".join(problems) or f"{name}: ok")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
