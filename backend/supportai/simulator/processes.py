"""SupportAI's own commands (`supportai serve`, `worker`, `simulate`) run as separate
processes on free ports, as production runs them: for the tests and benchmarks that need
a real stack (the browser test, the intake benchmark).

    with running(["serve", "--port", str(port)], settings_env(settings), log) as api:
        await wait_until_ready(http, api)
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

import httpx

from supportai.config import ENVIRONMENT, Settings


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment a `supportai` process reads `settings` back from (`Settings.from_env`),
    on top of this process's own."""
    env = dict(os.environ)
    for field, (name, _) in ENVIRONMENT.items():
        value = getattr(settings, field)
        if value is None:
            env.pop(name, None)
        elif isinstance(value, tuple):
            env[name] = ",".join(value)
        elif isinstance(value, bool):
            env[name] = "true" if value else "false"
        else:
            env[name] = str(value)
    return env


@contextmanager
def running(command: list[str], env: dict[str, str], log: IO[bytes] | int = subprocess.DEVNULL,
            ) -> Iterator[subprocess.Popen[bytes]]:
    """`supportai <command>` until the block exits (then terminated, killed if it hangs);
    its output goes to `log`."""
    process = subprocess.Popen([sys.executable, "-m", "supportai.cli", *command], env=env, stdout=log,
                               stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def wait_until_ready(http: httpx.AsyncClient, server: subprocess.Popen[bytes], path: str = "/health",
                           limit_s: float = 300) -> float:
    """Wait for the started process to answer `path` with 200 (however slow the machine is
    to start it), failing at once if the process died. Returns the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < limit_s:
        if server.poll() is not None:
            raise RuntimeError(f"{server.args} exited with code {server.returncode} before it was ready")
        try:
            if (await http.get(path)).status_code == 200:
                return time.monotonic() - started
        except httpx.TransportError:
            pass  # not listening yet
        await asyncio.sleep(0.1)
    raise RuntimeError(f"{server.args} did not answer {path} within {limit_s:.0f} s")
