"""The README's first session, run as it stands: its walkthrough block, in bash, against a
real API, worker and simulator (on free ports instead of :8000 and :8090)."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from pathlib import Path

from arq.worker import Worker

from supportai.app import create_app
from supportai.simulator.app import create_simulator_app
from supportai.simulator.server import serve_in_thread
from supportai.simulator.world import build_world
from tests.conftest import make_settings
from workers.settings import worker_options

README = Path(__file__).resolve().parents[2] / "README.md"
WALKTHROUGH = re.compile(r"<!-- walkthrough -->\n```bash\n(.*?)\n```", re.DOTALL)
ADDRESSES = "API=http://127.0.0.1:8000 SIM=http://127.0.0.1:8090"


def walkthrough(api_url: str, sim_url: str) -> str:
    match = WALKTHROUGH.search(README.read_text(encoding="utf-8"))
    assert match, "README.md has no walkthrough block"
    script = match.group(1)
    assert script.startswith(ADDRESSES + "\n")
    return script.replace(ADDRESSES, f"API={api_url} SIM={sim_url}", 1)


async def run_bash(script: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        "bash", "-euo", "pipefail", "-c", script,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    return process.returncode or 0, out.decode(), err.decode()


async def test_the_readme_walkthrough_runs_as_written(pg_database, redis_url):
    settings = make_settings(pg_database, redis_url)  # allows private URLs, as the README's API does
    world = build_world(f"readme-{uuid.uuid4().hex[:6]}", tickets=0)
    with serve_in_thread(create_simulator_app(world)) as sim_url, serve_in_thread(create_app(settings)) as api_url:
        worker = Worker(**{**worker_options(settings), "cron_jobs": []}, poll_delay=0.05, handle_signals=False)
        working = asyncio.create_task(worker.async_run())
        try:
            status, out, err = await run_bash(walkthrough(api_url, sim_url))
        finally:
            working.cancel()
            await worker.close()

    assert status == 0, err
    me, panel, message, requests = (json.loads(line) for line in out.splitlines())
    assert me["tenant_name"] == "My Panel"
    assert panel["url"] == sim_url
    assert message["status"] == "processed" and message["intent"] == "refill" and message["lang"] == "en"
    assert message["reply"]
    [request] = message["requests"]
    order = world.orders[int(request["order_id"])]
    assert order.delivery.status == "Completed"
    [listed] = requests["items"]
    assert listed["id"] == request["id"] and listed["outcome"] == request["outcome"]
