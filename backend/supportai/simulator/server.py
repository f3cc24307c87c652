"""Serve a stand-in (or any ASGI app) over real HTTP on a free local port.

    async with running_simulator(build_world("test")) as base_url:
        ...  # e.g. PerfectPanelClient(client, panel_url=base_url, api_key=world.admin_key)

`serve_asgi` runs inside the caller's event loop. `serve_in_thread` gives the app its own
thread and loop: use it when the code under test may block the caller's loop while it
waits for the stand-in (Litestar's test client runs the API through a blocking portal).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import uvicorn

from supportai.simulator.app import create_simulator_app
from supportai.simulator.world import World


def _bound_socket(host: str, port: int = 0) -> socket.socket:
    # Bind before serving so the port is ours: no race with other tests picking ports.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a port just freed is free again
    listener.bind((host, port))
    return listener


def bound_socket(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A socket on `port` (0: a free one), for an app that must know its own URL before it
    serves (e.g. to register a webhook): read the port, build the app, then `serve_in_thread`."""
    return _bound_socket(host, port)


def _server(app: Any) -> uvicorn.Server:
    return uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on"))


@asynccontextmanager
async def serve_asgi(app: Any, host: str = "127.0.0.1") -> AsyncIterator[str]:
    """Serves `app` until the block exits; yields the base URL."""
    listener = _bound_socket(host)
    server = _server(app)
    serving = asyncio.create_task(server.serve(sockets=[listener]))
    try:
        while not server.started:
            if serving.done():
                serving.result()  # startup failed: raise its error
                raise RuntimeError("the server stopped before it started")
            await asyncio.sleep(0.01)
        yield f"http://{host}:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        await serving
        listener.close()


@contextmanager
def serve_in_thread(app: Any, host: str = "127.0.0.1", listener: socket.socket | None = None) -> Iterator[str]:
    """Serves `app` from its own thread and event loop; yields the base URL."""
    listener = listener or _bound_socket(host)
    server = _server(app)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.01)
    try:
        yield f"http://{host}:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()


@asynccontextmanager
async def running_simulator(
    world: World, *, latency_ms: int = 0, error_rate: float = 0.0, host: str = "127.0.0.1"
) -> AsyncIterator[str]:
    """The panel/provider simulator for `world`, in this event loop; yields the base URL."""
    async with serve_asgi(create_simulator_app(world, latency_ms=latency_ms, error_rate=error_rate), host) as url:
        yield url
