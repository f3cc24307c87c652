"""`supportai demo` end to end: its own simulator, Bot API stand-in, API and workers, on
SQLite in a temporary data dir and the test Redis. It must tell each customer message and
what followed it, keep its tenant within quota, stop on Ctrl-C or SIGTERM within 5 s and
leave nothing running behind."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
import threading
from pathlib import Path

import httpx
import pytest
from arq.constants import default_queue_name, job_key_prefix
from redis.asyncio import Redis

from supportai.demo import run_demo
from supportai.domain.dispatch.userbot import USERBOT_QUEUE

MESSAGE = re.compile(r"^\[day \d+ \d\d:\d\d\] (ticket #\d+|api) from \S+ \[[a-zA-Z-]+\]: \".+\"$")
# What must have happened before the run is stopped: every kind of step the demo tells.
WANTED = {
    "a decision": re.compile(r"^ {4}order \d+: \w+ → forward_\w+ \[forwarded\]"),
    "a reply": re.compile(r"^ {4}reply on (the ticket|api result): \".+\""),
    "an API forward": re.compile(r"through its API"),
    "a Telegram forward": re.compile(r"sent to \S+ on Telegram \(bot\): \"\d+"),
    "a provider's reply, read": re.compile(r"replied \".+\", read as (confirm|decline|ambiguous)"),
    "a reminder": re.compile(r"reminder #1 to \S+ queued"),
    "a resolution": re.compile(r"resolved: the order shows \S+ acted"),
    "the customer told": re.compile(r"customer told"),
}
STOP_WITHIN_S = 5


async def _drop_queued_jobs(redis_url: str) -> None:
    """The demo stops its workers with jobs still queued: drop them, or the next tests'
    workers would run them against their own database."""
    redis = Redis.from_url(redis_url)
    try:
        for queue in (default_queue_name, USERBOT_QUEUE):
            for job_id in await redis.zrange(queue, 0, -1):
                await redis.delete(job_key_prefix + job_id.decode())
            await redis.delete(queue)
    finally:
        await redis.aclose()


def _missing(lines: list[str]) -> list[str]:
    return [name for name, pattern in WANTED.items() if not any(pattern.search(line) for line in lines)]


@pytest.fixture(scope="module")
async def demo(redis_url, tmp_path_factory):
    """The demo, run until it has shown every kind of step (at most two minutes), then stopped."""
    data_dir = tmp_path_factory.mktemp("demo")
    lines: list[str] = []
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("REDIS_URL", redis_url)
        environment.delenv("DATABASE_URL", raising=False)  # the demo's default: SQLite in its data dir
        threads_before = set(threading.enumerate())
        running = asyncio.create_task(
            run_demo(every_s=0.5, port=0, hour_s=0.25, data_dir=str(data_dir), report=lines.append)
        )
        for _ in range(240):
            if running.done() or not _missing(lines):
                break
            await asyncio.sleep(0.5)
        running.cancel()
        with pytest.raises(asyncio.CancelledError):
            await running
        threads_started = set(threading.enumerate()) - threads_before
    await _drop_queued_jobs(redis_url)
    return lines, data_dir, threads_started


async def test_the_demo_announces_where_to_go(demo):
    lines, data_dir, _ = demo
    banner = "\n".join(lines[:6])
    assert re.search(r"web app +(http://127\.0\.0\.1:\d+/|not built)", banner)
    assert re.search(r"demo login +demo-\w+@supportai\.local / .+", banner)
    assert (data_dir / "supportai.db").exists()


async def test_the_demo_tells_each_message_and_what_followed(demo):
    lines, _, _ = demo
    assert _missing(lines) == []
    told = [line for line in lines if MESSAGE.match(line)]
    assert len(told) >= 5
    assert {re.search(r"\[([a-zA-Z-]+)\]:", line).group(1) for line in told} >= {"en", "ru"}
    assert not any("quota_exceeded" in line for line in lines)  # its plan lasts the demo


async def test_the_demo_shuts_its_servers_down(demo):
    lines, _, threads_started = demo
    announced = {match.group(0) for line in lines[:6] for match in re.finditer(r"http://127\.0\.0\.1:\d+", line)}
    assert len(announced) >= 3  # the API, the panel simulator, the Telegram stand-in
    for url in announced:
        with pytest.raises(httpx.ConnectError):
            httpx.get(url, timeout=2)
    # The event loop's own `to_thread` workers are not the demo's.
    assert [thread.name for thread in threads_started if not thread.name.startswith("asyncio_")] == []


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
async def test_the_demo_command_stops_within_seconds_of_a_signal(stop, redis_url, tmp_path):
    environment = {**os.environ, "REDIS_URL": redis_url}
    environment.pop("DATABASE_URL", None)
    process = await asyncio.create_subprocess_exec(
        Path(sys.executable).with_name("supportai"), "demo", "--port", "0", "--data-dir", str(tmp_path),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, env=environment,
    )
    assert process.stdout is not None
    try:
        async with asyncio.timeout(120):
            while b"demo login" not in (line := await process.stdout.readline()):
                assert line, "the demo ended before it started"
        process.send_signal(stop)
        async with asyncio.timeout(STOP_WITHIN_S):
            rest = await process.stdout.read()
            await process.wait()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await _drop_queued_jobs(redis_url)
    assert process.returncode == 0
    assert b"demo stopped" in rest
