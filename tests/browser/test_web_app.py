"""The web app in a real browser: Debian's Chromium, driven by Playwright
(`frontend/e2e/flows.mjs`), against the API serving the built app, a worker and the
simulator (with the payment gateways' stand-ins), each a process of its own on a free port,
on a fresh PostgreSQL database and the suite's Redis DB. Screenshots of every page at
1366 and 390 px land in `frontend/e2e/screenshots/`."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from supportai.ready import wait_for_health
from supportai.simulator.payments import gateway_env, stand_in_gateway
from supportai.simulator.processes import free_port, running, settings_env, wait_until_ready
from tests.conftest import fresh_database, make_settings

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
FLOWS = ROOT / "frontend" / "e2e" / "flows.mjs"
SCREENSHOTS = ROOT / "frontend" / "e2e" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium "
                       "(`apt-get install chromium`; .ci/run installs it)"),
]


def tail(path: Path, lines: int = 40) -> str:
    return f"--- {path.name} ---\n" + "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


async def run_flows(env: dict[str, str]) -> tuple[int, str]:
    node = await asyncio.create_subprocess_exec(
        "node", str(FLOWS), env=env, cwd=ROOT / "frontend",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(node.communicate(), timeout=1200)
    return node.returncode or 0, output.decode(errors="replace")


@asynccontextmanager
async def running_stack(redis_url: str, logs: Path) -> AsyncIterator[dict[str, str]]:
    """The simulator (and payment stand-ins), the API and a worker, each its own process, on a
    fresh database; yields the addresses flows.mjs reads. Each process's output is in `logs`."""
    sim_port, payments_port, api_port = free_port(), free_port(), free_port()
    sim_url, payments_url, api_url = (f"http://127.0.0.1:{port}" for port in (sim_port, payments_port, api_port))
    simulate = ["simulate", "--seed", "browser", "--port", str(sim_port), "--payments",
                "--payments-port", str(payments_port)]
    async with fresh_database() as database_url:
        env = {
            **settings_env(make_settings(database_url, redis_url, public_base_url=api_url)),
            **gateway_env(stand_in_gateway(), payments_url),
        }
        with ((logs / "simulator.log").open("wb") as sim_log, (logs / "api.log").open("wb") as api_log,
              (logs / "worker.log").open("wb") as worker_log,
              running(simulate, env, sim_log) as simulator,
              running(["serve", "--port", str(api_port)], env, api_log) as api,
              running(["worker"], env, worker_log)):
            async with httpx.AsyncClient(base_url=sim_url) as sim_http, httpx.AsyncClient(base_url=api_url) as api_http:
                await wait_until_ready(sim_http, simulator, "/_sim/info")
                await wait_until_ready(api_http, api)
            health = await asyncio.to_thread(wait_for_health, api_url, 120)
            assert health and health["status"] == "ok", health  # the worker's heartbeat is in
            yield {"SUPPORTAI_URL": api_url, "SIM_URL": sim_url}


@pytest.mark.timeout(1500)
async def test_an_owner_works_through_the_web_app_in_chromium(redis_url, tmp_path):
    # The build is skipped when frontend/dist is current (scripts/test has just built it).
    build = await asyncio.to_thread(subprocess.run, [ROOT / "scripts" / "build-web"], capture_output=True, text=True)
    assert build.returncode == 0, build.stdout + build.stderr
    # The worker started here takes every queued job: none may be left from other tests.
    redis = Redis.from_url(redis_url)
    await redis.flushdb()
    await redis.aclose()
    async with running_stack(redis_url, tmp_path) as addresses:
        status, output = await run_flows({
            **os.environ, **addresses, "CHROMIUM": str(CHROMIUM), "SCREENSHOTS": str(SCREENSHOTS), "NO_COLOR": "1",
        })
    print(output)  # each step, and what axe found on each page
    logs = "\n".join(tail(path) for path in sorted(tmp_path.glob("*.log")))
    assert status == 0, f"the flows failed (their output is above; screenshots in {SCREENSHOTS})\n{logs}"
