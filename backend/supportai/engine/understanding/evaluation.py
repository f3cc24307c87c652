"""Scoring classifier output against labelled corpora (used by the evaluation script and
the dev-target tests). Pure: labelled records and output lines in, figures out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import msgspec

OTHER = "other"
MIXED = "mixed"  # corpus label of code-mixed messages: no single expected language


class LabelledOrder(msgspec.Struct):
    id: str
    intent: str


class LabelledMessage(msgspec.Struct):
    id: str
    lang: str
    text: str
    intent: str
    orders: list[LabelledOrder]
    channel: str = ""


class LabelledReply(msgspec.Struct):
    id: str
    lang: str
    text: str
    label: str
    order_ids: list[str]


class MessageReport(msgspec.Struct):
    total: int
    intent_accuracy: float
    order_precision: float
    order_recall: float
    order_f1: float
    per_order_accuracy: float
    per_language: dict[str, tuple[int, int]]  # lang -> (correct intents, messages)
    language_detection: float  # detected == labelled, over messages not labelled "mixed"
    # An actionable order (labelled refill/cancel/speed_up) given another action, and an
    # order labelled other given any action: what costs the owner money.
    wrong_actions: int
    actionable_orders: int
    errors: list[str]

    @property
    def wrong_action_rate(self) -> float:
        return _ratio(self.wrong_actions, self.actionable_orders) if self.actionable_orders else 0.0


class ReplyReport(msgspec.Struct):
    total: int
    accuracy: float
    order_precision: float
    order_recall: float
    order_f1: float
    per_language: dict[str, tuple[int, int]]
    declines_read_as_confirm: int
    errors: list[str]


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 1.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _by_id(output_lines: Iterable[str]) -> dict[str, dict]:
    return {str(record["id"]): record for record in map(msgspec.json.decode, output_lines)}


def score_messages(cases: list[LabelledMessage], output_lines: Iterable[str]) -> MessageReport:
    predicted = _by_id(output_lines)
    correct = true_ids = predicted_ids = gold_ids = orders_right = orders_total = 0
    languages_right = languages_labelled = wrong_actions = actionable = 0
    per_language: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    errors: list[str] = []
    for case in cases:
        answer = predicted.get(case.id, {})
        intent = answer.get("intent")
        got = {order["id"]: order["intent"] for order in answer.get("orders", [])}
        want = {order.id: order.intent for order in case.orders}
        right = intent == case.intent
        correct += right
        if case.lang != MIXED:
            languages_labelled += 1
            languages_right += answer.get("lang") == case.lang
        per_language[case.lang][0] += right
        per_language[case.lang][1] += 1
        true_ids += len(got.keys() & want.keys())
        predicted_ids += len(got)
        gold_ids += len(want)
        orders_total += len(want)
        orders_right += sum(
            got.get(order_id) == order_intent for order_id, order_intent in want.items()
        )
        actionable += sum(1 for order_intent in want.values() if order_intent != OTHER)
        wrong_actions += sum(
            1
            for order_id, order_intent in want.items()
            if got.get(order_id, OTHER) not in (OTHER, order_intent)
        )
        wrong_orders = {k: v for k, v in got.items() if want.get(k) != v}
        missing = {k: v for k, v in want.items() if got.get(k) != v}
        if not right or wrong_orders or missing:
            errors.append(
                f"{case.id} [{case.lang}] want {case.intent} got {intent} ({answer.get('lang')}, "
                f"{answer.get('confidence')}); orders want {missing or '-'} got {wrong_orders or '-'}"
                f" | {case.text[:160]!r}"
            )
    precision, recall = _ratio(true_ids, predicted_ids), _ratio(true_ids, gold_ids)
    return MessageReport(
        total=len(cases),
        intent_accuracy=_ratio(correct, len(cases)),
        order_precision=precision,
        order_recall=recall,
        order_f1=_f1(precision, recall),
        per_order_accuracy=_ratio(orders_right, orders_total),
        per_language={lang: (c, t) for lang, (c, t) in sorted(per_language.items())},
        language_detection=_ratio(languages_right, languages_labelled),
        wrong_actions=wrong_actions,
        actionable_orders=actionable,
        errors=errors,
    )


def score_replies(cases: list[LabelledReply], output_lines: Iterable[str]) -> ReplyReport:
    predicted = _by_id(output_lines)
    correct = true_ids = predicted_ids = gold_ids = confirmed_declines = 0
    per_language: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    errors: list[str] = []
    for case in cases:
        answer = predicted.get(case.id, {})
        got, want = set(answer.get("order_ids", [])), set(case.order_ids)
        right = answer.get("label") == case.label
        correct += right
        confirmed_declines += case.label == "decline" and answer.get("label") == "confirm"
        per_language[case.lang][0] += right
        per_language[case.lang][1] += 1
        true_ids += len(got & want)
        predicted_ids += len(got)
        gold_ids += len(want)
        if not right or got != want:
            errors.append(
                f"{case.id} [{case.lang}] want {case.label} got {answer.get('label')}; "
                f"ids want {sorted(want)} got {sorted(got)} | {case.text[:160]!r}"
            )
    precision, recall = _ratio(true_ids, predicted_ids), _ratio(true_ids, gold_ids)
    return ReplyReport(
        total=len(cases),
        accuracy=_ratio(correct, len(cases)),
        order_precision=precision,
        order_recall=recall,
        order_f1=_f1(precision, recall),
        per_language={lang: (c, t) for lang, (c, t) in sorted(per_language.items())},
        declines_read_as_confirm=confirmed_declines,
        errors=errors,
    )
