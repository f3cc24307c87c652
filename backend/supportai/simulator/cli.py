"""`supportai simulate`: serve a simulated panel and its providers (and, with
`--telegram`, a Bot API stand-in; with `--payments`, the payment gateways' stand-ins)
for demos and manual tests."""

from __future__ import annotations

import argparse
import asyncio


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--seed", default="demo", help="same seed, same world")
    parser.add_argument("--latency-ms", type=int, default=0, help="added to every API request")
    parser.add_argument(
        "--error-rate", type=float, default=0.0, help="share of API requests answered 502 with an HTML page (0..1)"
    )
    parser.add_argument("--telegram", action="store_true", help="also serve the Telegram Bot API stand-in")
    parser.add_argument("--telegram-port", type=int, default=8091)
    parser.add_argument("--payments", action="store_true", help="also serve the payment gateways' stand-ins")
    parser.add_argument("--payments-port", type=int, default=8092)


def run(args: argparse.Namespace) -> None:
    import uvicorn

    from supportai.simulator.app import create_simulator_app
    from supportai.simulator.payments import create_payments_app, gateway_env, stand_in_gateway
    from supportai.simulator.telegram import create_telegram_app
    from supportai.simulator.world import build_world

    world = build_world(args.seed)
    servers = [
        uvicorn.Server(uvicorn.Config(
            create_simulator_app(world, latency_ms=args.latency_ms, error_rate=args.error_rate),
            host=args.host, port=args.port, log_level="warning",
        ))
    ]
    base_url = f"http://{args.host}:{args.port}"
    print(f"Simulated panel (seed {args.seed!r}) at {base_url}")
    print(f"  admin API v2  {base_url}/adminapi/v2   X-Api-Key: {world.admin_key}")
    print(f"  user API v2   {base_url}/api/v2        key: {world.user_key}")
    for provider in world.providers.values():
        print(f"  provider {provider.name:<12} {base_url}/providers/{provider.name}/api/v2   key: {provider.key}")
    print(
        f"  {len(world.users)} users, {len(world.services)} services, "
        f"{len(world.orders)} orders, {len(world.tickets)} tickets"
    )
    print(f"  control: {base_url}/_sim/info (see supportai/simulator/control.py)")
    if args.telegram:
        servers.append(uvicorn.Server(uvicorn.Config(
            create_telegram_app(), host=args.host, port=args.telegram_port, log_level="warning"
        )))
        print(f"Telegram Bot API stand-in at http://{args.host}:{args.telegram_port} (control: /_tg/...)")
    if args.payments:
        gateway, payments_url = stand_in_gateway(), f"http://{args.host}:{args.payments_port}"
        servers.append(uvicorn.Server(uvicorn.Config(
            create_payments_app(gateway), host=args.host, port=args.payments_port, log_level="warning"
        )))
        print(f"Payment gateways' stand-ins at {payments_url} (invoice pages: /pay/<id>); point the API at them with")
        for name, value in gateway_env(gateway, payments_url).items():
            print(f"  {name}={value}")

    async def serve_all() -> None:
        await asyncio.gather(*(server.serve() for server in servers))

    asyncio.run(serve_all())
