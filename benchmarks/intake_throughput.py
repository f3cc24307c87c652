"""Intake: `POST /api/v1/messages` throughput and latency at concurrency 32.

Runs the API under uvicorn in its own process against a fresh PostgreSQL database and
Redis, then loads it with `wrk` (Debian's `wrk` package: a C load generator, so the
figures are the server's, not a Python client's) or, without wrk, from this process with
httpx (which on 2 cores measures mostly itself). Target: >= 500 msg/s, p95 <= 25 ms.

    .venv/bin/python benchmarks/intake_throughput.py [--seconds 10] [--concurrency 32] [--httpx]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from redis.asyncio import Redis

from supportai.simulator.processes import free_port, settings_env, wait_until_ready

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _stack import benchmark_settings, percentile

# wrk posts the same message over and over (each gets its own id, no external id), and
# prints the percentiles its summary leaves out.
WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = "%(key)s"
wrk.body = '%(body)s'
done = function(summary, latency, requests)
  io.write(string.format("WRK %%d %%d %%d %%.0f %%.0f %%.0f %%.0f\\n", summary.requests, summary.duration,
    summary.errors.status + summary.errors.connect + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def run_wrk(base: str, key: str, seconds: int, concurrency: int) -> dict[str, float]:
    body = json.dumps({"customer": "bench_user", "text": "refill 4810293 please, followers dropped"})
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"key": key, "body": body})
    output = subprocess.run(
        ["wrk", "-t2", f"-c{concurrency}", f"-d{seconds}s", "-s", script.name, f"{base}/api/v1/messages"],
        capture_output=True, text=True, check=True,
    ).stdout
    requests, duration_us, errors, p50, p95, p99, worst = (float(x) for x in output.split("WRK ")[1].split())
    return {"throughput": requests / (duration_us / 1e6), "p50": p50 / 1000, "p95": p95 / 1000,
            "p99": p99 / 1000, "max": worst / 1000, "requests": requests, "errors": errors}


async def run_httpx(http: httpx.AsyncClient, key: str, seconds: int, concurrency: int) -> dict[str, float]:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    body = {"customer": "bench_user", "text": "refill 4810293 please, followers dropped"}

    async def client_loop() -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            response = await http.post("/api/v1/messages", headers={"X-API-Key": key}, json=body)
            latencies.append(time.perf_counter() - started)
            assert response.status_code == 202, response.text

    started = time.perf_counter()
    await asyncio.gather(*(client_loop() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return {"throughput": len(latencies) / elapsed, "p50": percentile(latencies, 0.50) * 1000,
            "p95": percentile(latencies, 0.95) * 1000, "p99": percentile(latencies, 0.99) * 1000,
            "max": max(latencies) * 1000, "requests": len(latencies), "errors": 0}


async def main(seconds: int, concurrency: int, workers: int, use_httpx: bool) -> None:
    load_generator = "httpx" if use_httpx or shutil.which("wrk") is None else "wrk"
    async with benchmark_settings() as settings:
        await Redis.from_url(settings.redis_url).flushdb()
        port = free_port()
        env = {
            **settings_env(settings),
            "SUPPORTAI_API_REQUESTS_PER_KEY": "100000000",  # the benchmark is one key at full speed
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "supportai.cli", "serve", "--port", str(port), "--workers", str(workers)],
            env=env, stdout=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            async with httpx.AsyncClient(base_url=base, timeout=30,
                                         limits=httpx.Limits(max_connections=concurrency)) as http:
                ready_after = await wait_until_ready(http, server)
                signup = (await http.post("/api/auth/signup", json={
                    "email": "bench@example.com", "password": "benchmark password", "panel_name": "Bench"})).json()
                key = (await http.post("/api/api-keys", json={"name": "bench", "scopes": ["messages:write"]},
                                       headers={"Authorization": f"Bearer {signup['access_token']}"})).json()["key"]
                if load_generator == "wrk":
                    run_wrk(base, key, 2, concurrency)  # warm-up: connection pools, caches
                    figures = run_wrk(base, key, seconds, concurrency)
                else:
                    await run_httpx(http, key, 2, concurrency)
                    figures = await run_httpx(http, key, seconds, concurrency)
        finally:
            server.terminate()
            server.wait(timeout=10)
        print(f"intake: {seconds} s at concurrency {concurrency}, {workers} API process(es), PostgreSQL, "
              f"load from {load_generator}")
        print(f"  ready after  {ready_after:8.1f} s     (API start to first /health answer)")
        print(f"  messages     {figures['requests']:8.0f}   (errors {figures['errors']:.0f})")
        print(f"  throughput   {figures['throughput']:8.1f} msg/s   (target >= 500)")
        print(f"  latency p50  {figures['p50']:8.2f} ms")
        print(f"  latency p95  {figures['p95']:8.2f} ms   (target <= 25)")
        print(f"  latency p99  {figures['p99']:8.2f} ms   (max {figures['max']:.1f} ms)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--httpx", action="store_true", help="load from this process even if wrk is installed")
    options = parser.parse_args()
    asyncio.run(main(options.seconds, options.concurrency, options.workers, options.httpx))
