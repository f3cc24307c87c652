"""Throughput and latency of `supportai classify` on one core.

Usage: python benchmarks/classify_throughput.py [--corpus FILE] [--rounds N]

Messages come from the dev corpus (tests/data, a copy of ../shared/corpus) when present,
else from a built-in multilingual sample. The process is pinned to one CPU where the OS
allows it. The shipped classifier (rules + learned model) runs side by side with the rules
alone, today's classifier before the model and the baseline it must keep 80% of.
Printed for each: messages per second through the JSON Lines contract and latency per
message (p50, p99, max); then load time and resident memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "messages-dev.jsonl"
SAMPLE = [
    "refill 48213",
    "Order #61209874 youtube views stuck at 3400/10000 since monday. speed up pls 🙏 https://youtu.be/7pX20931Lk4",
    "Good day sir, please my instagram followers have dropped seriously. I ordered 2000 followers "
    "on order 5531907 and now remaining like 1400. Kindly help me refill it. My whatsapp is 08031234567",
    "отмените заказ 551200, ошибся ссылкой",
    "الطلب ٥٥٢٠٩٨٣ اللايكات نزلت من ٢٠٠٠ إلى ١٢٠٠",
    "bhai 6671530 wala order mat bhejo ab, client ne mana kar diya",
    "min 8801245 sama 8801247 cancel aja ya salah akun, 8801246 tolong dipercepat",
    "订单 5531290 掉粉了，请帮忙补一下",
    "ออเดอร์ 8812234 ยังไม่เริ่มเลยครับ 2 วันแล้ว ช่วยเร่งให้หน่อย",
    "Papara ile 15.03.2024 tarihinde 250 TL yükledim, işlem no 88123456701, bakiye hâlâ 0 görünüyor.",
    "These dropped, need refill:\nID 51206 | Instagram Followers [R30] | 1000 | Completed\n"
    "ID 51211 | Instagram Followers [R30] | 1000 | Completed",
    "hello admin 👋 are you there?",
]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _messages(corpus: Path) -> list[str]:
    if corpus.exists():
        return [
            json.loads(line)["text"]
            for line in corpus.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
    return SAMPLE


def _measure(lines: list[str], texts: list[str], rounds: int, reader) -> dict[str, float]:
    """Messages per second through the JSON Lines contract, and latency per message."""
    from supportai.engine.understanding.jsonl import classify_lines

    for _ in classify_lines(lines, reader):  # warm-up: the first pass fills the word cache
        pass
    start = time.perf_counter()
    for _ in range(rounds):
        for _ in classify_lines(lines, reader):
            pass
    rate = len(lines) * rounds / (time.perf_counter() - start)
    latencies: list[int] = []
    for _ in range(rounds):
        for text in texts:
            begin = time.perf_counter_ns()
            reader(text)
            latencies.append(time.perf_counter_ns() - begin)
    latencies.sort()

    def percentile(share: float) -> float:
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))] / 1e6

    return {"rate": rate, "p50": percentile(0.5), "p99": percentile(0.99), "max": latencies[-1] / 1e6}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rss_before = _rss_mb()
    started = time.perf_counter()
    from supportai.engine.understanding.intents import understand_by_rules
    from supportai.engine.understanding.weighing import intent_model, understand

    rules_loaded_s = time.perf_counter() - started
    rss_rules = _rss_mb()
    intent_model()
    load_s = time.perf_counter() - started
    rss_loaded = _rss_mb()

    texts = _messages(args.corpus)
    lines = [json.dumps({"id": str(n), "text": text}) for n, text in enumerate(texts)]
    # Side by side, alternating, so a change in the machine's load hits both alike.
    results: dict[str, list[dict[str, float]]] = {"baseline": [], "model": []}
    for _ in range(3):
        results["baseline"].append(_measure(lines, texts, max(1, args.rounds // 3), understand_by_rules))
        results["model"].append(_measure(lines, texts, max(1, args.rounds // 3), understand))
    best = {name: max(runs, key=lambda run: run["rate"]) for name, runs in results.items()}

    source = args.corpus if args.corpus.exists() else "built-in sample"
    print(f"messages: {len(texts)} from {source}, {args.rounds} rounds, one core")
    for name, label in (("baseline", "rules alone (baseline)"), ("model", "rules + model (shipped)")):
        run = best[name]
        print(
            f"{label:25} {run['rate']:8.0f} messages/s   latency p50 {run['p50']:.3f} ms  "
            f"p99 {run['p99']:.3f} ms  max {run['max']:.3f} ms"
        )
    kept = best["model"]["rate"] / best["baseline"]["rate"]
    print(f"throughput kept:          {kept:8.1%} of the baseline (target >= 80%)")
    print(
        f"classifier load:          {rules_loaded_s * 1000:.0f} ms rules (+{rss_rules - rss_before:.1f} MB), "
        f"{load_s * 1000:.0f} ms with the model (+{rss_loaded - rss_before:.1f} MB resident)"
    )
    print(f"peak resident memory:     {_rss_mb():.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
