"""Group commit: concurrent writers share one transaction instead of paying for one each."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class GroupCommit(Generic[Item, Result]):
    """Items submitted while a batch is being written wait and go together in the next.

    Nothing waits for a timer: a lone item is written at once, and under load the batches
    grow by themselves to what arrived during the previous write. `write` gets a batch
    and returns one result per item, in order; a result that is an exception is raised
    to that item's caller only. If `write` itself fails, every caller in the batch sees it.
    """

    def __init__(self, write: Callable[[list[Item]], Awaitable[list[Result | BaseException]]], max_batch: int = 100):
        self._write = write
        self._max_batch = max_batch
        self._waiting: list[tuple[Item, asyncio.Future[Result]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def submit(self, item: Item) -> Result:
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[: self._max_batch], self._waiting[self._max_batch :]
            try:
                results = await self._write([item for item, _ in batch])
            except asyncio.CancelledError:  # shutting down: nobody is left to answer
                for _, future in batch + self._waiting:
                    future.cancel()
                raise
            except Exception as exc:  # handed to the callers, who raise it
                results = [exc] * len(batch)
            for (_, future), result in zip(batch, results, strict=True):
                if future.done():  # the caller went away (request cancelled)
                    continue
                if isinstance(result, BaseException):
                    future.set_exception(result)
                else:
                    future.set_result(result)
