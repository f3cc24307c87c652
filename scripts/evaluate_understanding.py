"""Honest figures for message understanding, printed in one run.

Usage: python scripts/evaluate_understanding.py [--dev DIR] [--no-lolo] [--lolo-min N]
       [--lolo-langs en,ru,...] [--errors]

1. The dev corpus (tests/data, a copy of ../shared/corpus), read by the shipped models;
   neither model ever trains on it.
2. A held-out split of the team's corpus (a fifth of it, chosen by id hash): models are
   trained, threshold and all, on the other four fifths only (the number model too).
3. Leave one language out: for each language, models trained without it read it (the
   number model too; the other languages' training features are read once, by the
   shipped number model).
Each part shows the rules alone (the classifier before the models) beside the models.
Figures: intent accuracy, per-order intent, order-ID F1, wrong actions per actionable
order, per language; for replies accuracy and declines read as confirmations.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from functools import partial
from pathlib import Path

import msgspec

from supportai.engine.understanding.classifier import LinearModel
from supportai.engine.understanding.corpus import load_messages, load_replies, training_files
from supportai.engine.understanding.evaluation import (
    LabelledMessage,
    LabelledReply,
    MessageReport,
    ReplyReport,
    score_messages,
    score_replies,
)
from supportai.engine.understanding.intents import understand_by_rules
from supportai.engine.understanding.jsonl import classify_lines, classify_reply_lines
from supportai.engine.understanding.lexicon import INTENTS, REPLY_LABELS
from supportai.engine.understanding.numerals import NUMBER_LABELS, numbers_read_by
from supportai.engine.understanding.replies import analyse_provider_reply, analyse_reply_by_rules
from supportai.engine.understanding.training import (
    fit,
    intent_examples,
    number_examples,
    order_examples,
    reply_examples,
    train_intent_model,
    train_number_model,
    train_reply_model,
)
from supportai.engine.understanding.weighing import understand

DEV = Path(__file__).resolve().parents[1] / "tests" / "data"
HELD_OUT_SHARE = 5  # one in five


def _lines(cases: list) -> list[str]:
    return [msgspec.json.encode({"id": case.id, "text": case.text}).decode() for case in cases]


def messages_report(cases: list[LabelledMessage], reader) -> MessageReport:
    return score_messages(cases, classify_lines(_lines(cases), reader))


def replies_report(cases: list[LabelledReply], reader) -> ReplyReport:
    return score_replies(cases, classify_reply_lines(_lines(cases), reader))


def print_messages(title: str, rules: MessageReport, model: MessageReport, per_language: bool) -> None:
    print(f"\n{title} ({model.total} messages)          rules    model")
    for name, attribute in (
        ("intent accuracy", "intent_accuracy"),
        ("per-order intent", "per_order_accuracy"),
        ("order-ID F1", "order_f1"),
        ("order-ID precision", "order_precision"),
        ("wrong-action rate", "wrong_action_rate"),
    ):
        print(f"  {name:22} {getattr(rules, attribute):7.2%}  {getattr(model, attribute):7.2%}")
    print(f"  wrong actions          {rules.wrong_actions:7}  {model.wrong_actions:7}  "
          f"of {model.actionable_orders} actionable orders")
    if per_language:
        print("  per language (intent correct / messages: rules -> model)")
        for lang, (correct, total) in model.per_language.items():
            print(f"    {lang:8} {rules.per_language[lang][0]:4}/{total:<4} -> {correct:4}/{total:<4} "
                  f"{correct / total:7.2%}")


def print_replies(title: str, rules: ReplyReport, model: ReplyReport, per_language: bool) -> None:
    print(f"\n{title} ({model.total} replies)          rules    model")
    print(f"  label accuracy         {rules.accuracy:7.2%}  {model.accuracy:7.2%}")
    print(f"  declines as confirms   {rules.declines_read_as_confirm:7}  {model.declines_read_as_confirm:7}")
    print(f"  order-ID F1            {rules.order_f1:7.2%}  {model.order_f1:7.2%}")
    if per_language:
        for lang, (correct, total) in model.per_language.items():
            print(f"    {lang:8} {rules.per_language[lang][0]:4}/{total:<4} -> {correct:4}/{total:<4} "
                  f"{correct / total:7.2%}")


def held_out(case_id: str) -> bool:
    return int(hashlib.sha256(case_id.encode()).hexdigest(), 16) % HELD_OUT_SHARE == 0


def _trained_without(lang: str, cases: list, examples: list, labels, meta: dict) -> LinearModel:
    """A model trained on every (case id, example) whose case is not in `lang`."""
    other_languages = {case.id for case in cases if case.lang != lang}
    return LinearModel(fit([example for key, example in examples if key in other_languages], labels, meta))


def leave_one_language_out(messages, replies, minimum: int, only: set[str] | None = None) -> None:
    """Per language (of `only`, when given): train without it (the shipped thresholds), read it."""
    message_examples = [(m.id, e) for m, e in zip(messages, intent_examples(messages), strict=True)]
    message_examples += order_examples(messages)
    reply_examples_by_id = [(r.id, e) for r, e in zip(replies, reply_examples(replies), strict=True)]
    number_examples_by_id = [(case.id, e) for case in [*messages, *replies] for e in number_examples([case])]
    kinds = (  # cases, examples, labels, shipped meta, reader, the row's figures
        (messages, message_examples, INTENTS, LinearModel.load("intent").meta, understand, messages_report,
         lambda report: (report.intent_accuracy, f"wrong {report.wrong_actions}/{report.actionable_orders}",
                         report.wrong_actions, report.actionable_orders)),
        (replies, reply_examples_by_id, REPLY_LABELS, LinearModel.load("reply").meta, analyse_provider_reply,
         replies_report,
         lambda report: (report.accuracy, f"d->c {report.declines_read_as_confirm}", report.declines_read_as_confirm,
                         0)),
    )
    totals = [[0, 0, 0, 0] for _ in kinds]
    print("\nLeave one language out: messages (intent, wrong actions) | replies (accuracy, declines as confirms)")
    for lang in sorted({m.lang for m in messages} | {r.lang for r in replies}):
        if only is not None and lang not in only:
            continue
        cells = []
        for total, (cases, examples, labels, meta, reader, report_of, figures) in zip(totals, kinds, strict=True):
            held = [case for case in cases if case.lang == lang]
            if len(held) < minimum:
                cells.append(" " * 36)
                continue
            model = _trained_without(lang, cases, examples, labels, meta)
            numbers = _trained_without(lang, [*messages, *replies], number_examples_by_id, NUMBER_LABELS, {})
            with numbers_read_by(numbers):
                report = report_of(held, partial(reader, model=model))
            accuracy, detail, wrong, actionable = figures(report)
            correct = round(accuracy * report.total)
            cells.append(f"{correct:4}/{report.total:<4} {accuracy:7.2%}  {detail:14}")
            for index, value in enumerate((correct, report.total, wrong, actionable)):
                total[index] += value
        if any(cell.strip() for cell in cells):
            print(f"  {lang:8} " + " | ".join(cells))
    m, r = totals
    print(f"  all      messages {m[0]}/{m[1]} = {m[0] / max(m[1], 1):.2%}, "
          f"wrong actions {m[2]}/{m[3]} = {m[2] / max(m[3], 1):.2%}")
    print(f"           replies {r[0]}/{r[1]} = {r[0] / max(r[1], 1):.2%}, declines read as confirms {r[2]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEV)
    parser.add_argument("--lolo-min", type=int, default=8, help="skip languages with fewer texts")
    parser.add_argument("--no-lolo", action="store_true")
    parser.add_argument("--lolo-langs", help="comma-separated languages to leave out (default: all)")
    parser.add_argument("--errors", action="store_true", help="print every misread text")
    args = parser.parse_args()

    dev_messages = load_messages(args.dev / "messages-dev.jsonl")
    dev_replies = load_replies(args.dev / "provider-replies-dev.jsonl")
    model = messages_report(dev_messages, understand)
    print_messages("Dev corpus, shipped models", messages_report(dev_messages, understand_by_rules), model, True)
    reply_model = replies_report(dev_replies, analyse_provider_reply)
    print_replies("Dev provider replies, shipped models", replies_report(dev_replies, analyse_reply_by_rules),
                  reply_model, True)
    errors = model.errors + reply_model.errors

    messages = [case for path in training_files("messages") for case in load_messages(path)]
    replies = [case for path in training_files("replies") for case in load_replies(path)]
    train_m = [m for m in messages if not held_out(m.id)]
    test_m = [m for m in messages if held_out(m.id)]
    train_r = [r for r in replies if not held_out(r.id)]
    test_r = [r for r in replies if held_out(r.id)]
    with numbers_read_by(LinearModel(train_number_model([*train_m, *train_r]))):
        intent_model = LinearModel(train_intent_model(train_m))
        reply_split_model = LinearModel(train_reply_model(train_r))
        held = messages_report(test_m, partial(understand, model=intent_model))
        print_messages(
            f"Held-out fifth of the team corpus (trained on {len(train_m)}, act at {intent_model.meta['act_at']})",
            messages_report(test_m, understand_by_rules), held, False,
        )
        held_replies = replies_report(test_r, partial(analyse_provider_reply, model=reply_split_model))
        print_replies(
            f"Held-out fifth of the reply corpus (trained on {len(train_r)}, "
            f"confirm at {reply_split_model.meta['act_at']})",
            replies_report(test_r, analyse_reply_by_rules), held_replies, False,
        )
    errors += held.errors + held_replies.errors
    if not args.no_lolo:
        only = set(args.lolo_langs.split(",")) if args.lolo_langs else None
        leave_one_language_out(messages, replies, args.lolo_min, only)
    if args.errors:
        print(f"\nErrors ({len(errors)})")
        for error in errors:
            print(f"  {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
