"""The owner's own Telegram account (the "userbot"): what the web app's login steps and the
userbot worker share (the queue, the step jobs and their answer).

A Telethon client is a long-lived connection, so clients live in one long-running
process, `supportai userbot`: an arq worker on USERBOT_QUEUE that holds one client per
connected tenant (userbot_worker.py), hands provider replies to `handle_provider_reply`,
and runs every provider dispatch job (batching.py). API handlers never touch Telethon:
each login step is a job on that queue, and the handler waits for its answer
(userbot_login.py).

Run exactly one userbot worker: Telegram refuses a session used from two connections at
once. The StringSession (a full account credential) and the phone_code_hash are stored
encrypted; login codes and passwords travel through Redis encrypted and are never stored.
"""

from __future__ import annotations

import msgspec

USERBOT_QUEUE = "supportai:userbot"
USERBOT_HEARTBEAT_KEY = "supportai:userbot:heartbeat"
USERBOT_HEARTBEAT_TTL_S = 90  # the worker stamps it every 30 s

# Job names, as workers/jobs.py defines them.
SEND_CODE_JOB = "userbot_send_code"
SUBMIT_CODE_JOB = "userbot_submit_code"
SUBMIT_PASSWORD_JOB = "userbot_submit_password"
FORGET_JOB = "userbot_forget"


class LoginAnswer(msgspec.Struct, frozen=True):
    """A login job's answer to the API: the account's state now, or why the step failed."""

    state: str
    error: str | None = None
    problem: str | None = None  # invalid | conflict | rate_limited | unavailable
    retry_after_s: int | None = None
