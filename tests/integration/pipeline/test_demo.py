"""`supportai demo` end to end: its own simulator, API and worker, on SQLite in a temporary
data dir and the test Redis. It must answer customers and leave nothing running behind."""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from arq.constants import default_queue_name, job_key_prefix
from redis.asyncio import Redis

from supportai.demo import run_demo


@dataclass
class DemoRun:
    outcomes: Counter[str]
    lines: list[str]
    data_dir: Path
    threads_started: set[threading.Thread]  # alive after it returned


@pytest.fixture(scope="module")
async def demo(redis_url, tmp_path_factory) -> DemoRun:
    data_dir = tmp_path_factory.mktemp("demo")
    lines: list[str] = []
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("REDIS_URL", redis_url)
        environment.delenv("DATABASE_URL", raising=False)  # the demo's default: SQLite in its data dir
        threads_before = set(threading.enumerate())
        outcomes = await run_demo(every_s=0.5, duration_s=6, data_dir=str(data_dir), report=lines.append)
        threads_after = set(threading.enumerate())
    await _drop_queued_jobs(redis_url)
    return DemoRun(outcomes, lines, data_dir, threads_after - threads_before)


async def _drop_queued_jobs(redis_url: str) -> None:
    """The demo stops its worker with jobs still queued (polls and messages it had no time
    for): drop them, or the next tests' workers would run them against their own database."""
    redis = Redis.from_url(redis_url)
    try:
        for job_id in await redis.zrange(default_queue_name, 0, -1):
            await redis.delete(job_key_prefix + job_id.decode())
        await redis.delete(default_queue_name)
    finally:
        await redis.aclose()


async def test_the_demo_answers_customers(demo):
    assert (demo.data_dir / "supportai.db").exists()
    assert demo.outcomes["_messages"] > 0
    assert 0 < demo.outcomes["_processed"] <= demo.outcomes["_messages"]
    assert sum(count for outcome, count in demo.outcomes.items() if not outcome.startswith("_")) > 0
    assert any(line.startswith("messages in") for line in demo.lines)


async def test_the_demo_shuts_its_servers_down(demo):
    announced = [match.group(0) for line in demo.lines[:2] if (match := re.search(r"http://127\.0\.0\.1:\d+", line))]
    assert len(announced) == 2  # the API and the panel simulator
    for url in announced:
        with pytest.raises(httpx.ConnectError):
            httpx.get(url, timeout=2)


async def test_the_demo_leaves_no_threads_running(demo):
    # The event loop's own `to_thread` workers are not the demo's.
    assert [thread.name for thread in demo.threads_started if not thread.name.startswith("asyncio_")] == []
