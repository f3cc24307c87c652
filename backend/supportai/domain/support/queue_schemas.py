from __future__ import annotations

import uuid
from typing import Annotated, Literal

import msgspec

from supportai.domain.auth.schemas import Input

Ids = Annotated[list[uuid.UUID], msgspec.Meta(max_length=200)]


class QueueCount(msgspec.Struct):
    total: int  # what needs the owner: escalated + quota-blocked requests + failed messages
    escalated: int
    blocked_quota: int
    failed_messages: int
    by_reason: dict[str, int]  # queued requests per reason (the `reason` filter of the queue)


class BulkActionIn(Input):
    request_ids: Annotated[list[uuid.UUID], msgspec.Meta(min_length=1, max_length=200)]
    action: Literal["resolve", "close"]
    note: Annotated[str, msgspec.Meta(max_length=500)] | None = None


class BulkResult(msgspec.Struct):
    updated: list[uuid.UUID]
    skipped: list[uuid.UUID]  # not found, or already resolved or closed


class RerunIn(Input):
    request_ids: Ids = []  # quota-blocked requests
    message_ids: Ids = []  # failed messages


class RerunResult(msgspec.Struct):
    requests: list[uuid.UUID]  # blocked requests taken back into processing
    messages: list[uuid.UUID]  # failed messages queued again
    queued: int  # message runs queued
    skipped: list[uuid.UUID]  # not found, not blocked or not failed
