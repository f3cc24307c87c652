"""Status look-ups for 100,000 provider orders through SmmProviderClient.

The simulator runs in its own process (so it does not share our CPU), serving one
provider with 100,000 orders and 20 ms of latency per request. The client asks for
every status in batches of 100 (`action=status&orders=...`), several batches at a
time. Prints the number of HTTP calls (must be at most 1,000) and the wall time.

    python benchmarks/provider_status_lookup.py [--orders N] [--latency-ms MS] [--concurrency C]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import multiprocessing
import sys
import time
from multiprocessing.connection import Connection

import httpx

from supportai.integrations.provider import ItemError, SmmProviderClient
from supportai.simulator.control_client import SimulatorControlClient
from supportai.simulator.server import running_simulator
from supportai.simulator.world import build_world

IDS_PER_CALL = 100  # what the SMM API v2 takes in one `orders=`


def serve_simulator(orders: int, latency_ms: int, parent: Connection) -> None:
    """Runs in the child process until the parent sends anything."""

    async def serve() -> None:
        world = build_world("benchmark", users=200, orders=orders, providers=1, tickets=0)
        provider = next(iter(world.providers.values()))
        # Orders of hand-made services (custom comments) never reach a provider:
        # top the provider up to exactly `orders`.
        service = next(s for s in world.services.values() if s.provider == provider.name)
        customer = next(iter(world.users))
        while len(provider.orders) < orders:
            world.create_order(
                user=customer,
                service_id=service.id,
                quantity=1000,
                link=f"https://www.instagram.com/benchmark_{len(provider.orders)}/",
                status="Completed",
                remains=0,
            )
        async with running_simulator(world, latency_ms=latency_ms) as base_url:
            parent.send((base_url, provider.name, provider.key, list(provider.orders)))
            await asyncio.to_thread(parent.recv)  # the parent's "stop"

    asyncio.run(serve())


def max_calls(orders: int) -> int:
    return math.ceil(orders / IDS_PER_CALL)


async def look_up(
    base_url: str, provider_name: str, api_key: str, order_ids: list[str], concurrency: int
) -> int:
    calls = 0

    async def count_call(_: httpx.Request) -> None:
        nonlocal calls
        calls += 1

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, event_hooks={"request": [count_call]}) as http:
        provider = SmmProviderClient(
            http,
            api_url=f"{base_url}/providers/{provider_name}",
            api_key=api_key,
            max_concurrency=concurrency,
        )
        started = time.perf_counter()
        statuses = await provider.statuses(order_ids)
        elapsed = time.perf_counter() - started
        client_calls = calls
        # The simulator's own log, to confirm the count from the other side.
        served = len(await SimulatorControlClient(http, base_url).requests(action="status"))

    errors = sum(1 for status in statuses.values() if isinstance(status, ItemError))
    print(f"orders looked up   {len(statuses):,} ({errors} per-order errors)")
    print(
        f"HTTP calls         {client_calls:,} sent, {served:,} served "
        f"(at most {max_calls(len(order_ids)):,})"
    )
    print(f"wall time          {elapsed:.2f} s ({len(statuses) / elapsed:,.0f} orders/s)")
    if len(statuses) != len(order_ids) or errors:
        raise SystemExit("some statuses are missing")
    return max(client_calls, served)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=8, help="batches in flight at once")
    args = parser.parse_args()

    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    simulator = context.Process(
        target=serve_simulator, args=(args.orders, args.latency_ms, theirs), daemon=True
    )
    started = time.perf_counter()
    simulator.start()
    try:
        base_url, provider_name, api_key, order_ids = ours.recv()
        print(
            f"simulator ready in {time.perf_counter() - started:.1f} s: {len(order_ids):,} "
            f"provider orders, {args.latency_ms} ms latency, concurrency {args.concurrency}"
        )
        calls = asyncio.run(look_up(base_url, provider_name, api_key, order_ids, args.concurrency))
    finally:
        ours.send("stop")
        simulator.join(timeout=10)
    if calls > max_calls(len(order_ids)):
        sys.exit("too many HTTP calls")


if __name__ == "__main__":
    main()
