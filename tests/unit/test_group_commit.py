"""GroupCommit: callers arriving during a write share the next one; errors stay with their caller."""

from __future__ import annotations

import asyncio

import pytest

from supportai.db.batching import GroupCommit


class Recorder:
    def __init__(self) -> None:
        self.batches: list[list[int]] = []

    async def write(self, items: list[int]) -> list[int | BaseException]:
        self.batches.append(items)
        await asyncio.sleep(0.01)  # a round trip: whoever arrives meanwhile waits for the next batch
        return [ValueError(f"bad {i}") if i < 0 else i * 10 for i in items]


async def test_a_lone_item_is_written_at_once_and_gets_its_result():
    recorder = Recorder()
    assert await GroupCommit(recorder.write).submit(4) == 40
    assert recorder.batches == [[4]]


async def test_items_arriving_during_a_write_go_together_in_the_next():
    recorder = Recorder()
    commit = GroupCommit(recorder.write)
    first = asyncio.create_task(commit.submit(1))
    await asyncio.sleep(0)  # the first batch is now being written
    rest = [asyncio.create_task(commit.submit(n)) for n in range(2, 12)]
    assert await asyncio.gather(first, *rest) == [n * 10 for n in range(1, 12)]
    assert recorder.batches == [[1], list(range(2, 12))]


async def test_batches_are_capped():
    recorder = Recorder()
    commit = GroupCommit(recorder.write, max_batch=4)
    await asyncio.gather(*(commit.submit(n) for n in range(10)))
    assert [len(batch) for batch in recorder.batches] == [4, 4, 2]


async def test_an_item_error_is_raised_to_its_caller_only():
    commit = GroupCommit(Recorder().write)
    results = await asyncio.gather(commit.submit(1), commit.submit(-1), commit.submit(2), return_exceptions=True)
    assert results[0] == 10 and results[2] == 20
    assert isinstance(results[1], ValueError) and str(results[1]) == "bad -1"


async def test_a_failed_write_fails_its_whole_batch_and_the_next_batch_still_runs():
    calls = 0

    async def write(items: list[int]) -> list[int | BaseException]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionError("database went away")
        return items

    commit = GroupCommit(write)
    failed = await asyncio.gather(commit.submit(1), commit.submit(2), return_exceptions=True)
    assert all(isinstance(result, ConnectionError) for result in failed)
    assert await commit.submit(3) == 3


async def test_cancelling_the_writer_cancels_the_waiting_callers():
    started = asyncio.Event()

    async def write(items: list[int]) -> list[int | BaseException]:
        started.set()
        await asyncio.sleep(10)
        return items

    commit = GroupCommit(write)
    caller = asyncio.create_task(commit.submit(1))
    await started.wait()
    commit._writer.cancel()  # what the event loop does at shutdown
    with pytest.raises(asyncio.CancelledError):
        await caller
