"""Score `supportai classify` and `classify-reply` on the labelled dev corpora.

Usage: python scripts/evaluate_understanding.py [--corpus DIR]
Prints intent accuracy, order-ID precision/recall/F1, per-order intent accuracy,
per-language accuracy, provider-reply accuracy, and every error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import msgspec

from supportai.engine.understanding.evaluation import (
    LabelledMessage,
    LabelledReply,
    score_messages,
    score_replies,
)
from supportai.engine.understanding.jsonl import classify_lines, classify_reply_lines

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def _read(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    corpus = parser.parse_args().corpus

    message_lines = _read(corpus / "messages-dev.jsonl")
    messages = [msgspec.json.decode(line, type=LabelledMessage) for line in message_lines]
    report = score_messages(messages, classify_lines(message_lines))
    print(f"Messages ({report.total})")
    print(f"  intent accuracy      {report.intent_accuracy:7.2%}")
    print(f"  order-ID precision   {report.order_precision:7.2%}")
    print(f"  order-ID recall      {report.order_recall:7.2%}")
    print(f"  order-ID F1          {report.order_f1:7.2%}")
    print(f"  per-order intent     {report.per_order_accuracy:7.2%}")
    print(f"  language detection   {report.language_detection:7.2%}  (messages not labelled mixed)")
    print("  per language:")
    for lang, (correct, total) in report.per_language.items():
        print(f"    {lang:8} {correct:3}/{total:<3} {correct / total:7.2%}")

    reply_lines = _read(corpus / "provider-replies-dev.jsonl")
    replies = [msgspec.json.decode(line, type=LabelledReply) for line in reply_lines]
    reply_report = score_replies(replies, classify_reply_lines(reply_lines))
    print(f"\nProvider replies ({reply_report.total})")
    print(f"  label accuracy       {reply_report.accuracy:7.2%}")
    print(f"  order-ID F1          {reply_report.order_f1:7.2%}")
    print("  per language:")
    for lang, (correct, total) in reply_report.per_language.items():
        print(f"    {lang:8} {correct:3}/{total:<3} {correct / total:7.2%}")

    print(f"\nErrors ({len(report.errors)} messages, {len(reply_report.errors)} replies)")
    for error in report.errors + reply_report.errors:
        print(f"  {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
