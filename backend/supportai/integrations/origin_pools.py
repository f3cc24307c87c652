"""One small connection pool per remote origin, for the one HTTP client a process shares.

A worker calls hundreds of tenants' panels and providers. In one shared pool every
request scans every connection (an expiry check with a socket poll each), and past the
pool's keep-alive size httpcore closes idle connections although they would be reused a
moment later (its count of idle connections counts them all), so each call to a panel
opened a new connection. A pool per origin keeps each scan short and each panel's
connection alive between the calls of a run; idle pools of origins not called lately are
closed, least recently used first, so the number of open sockets stays bounded.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

import httpx

Origin = tuple[str, str, int | None]


class PerOriginTransport(httpx.AsyncBaseTransport):
    """Routes each request to its origin's own transport, made by `make_transport`."""

    def __init__(self, make_transport: Callable[[], httpx.AsyncHTTPTransport], *, max_idle_origins: int = 64) -> None:
        self._make_transport = make_transport
        self._max_idle_origins = max_idle_origins
        self._transports: OrderedDict[Origin, httpx.AsyncHTTPTransport] = OrderedDict()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        origin = (request.url.scheme, request.url.host, request.url.port)
        transport = self._transports.get(origin)
        if transport is None:
            transport = self._transports[origin] = self._make_transport()
            await self._close_idle_origins(keep=origin)
        else:
            self._transports.move_to_end(origin)
        return await transport.handle_async_request(request)

    def open_connections(self) -> dict[Origin, int]:
        """The connections each origin's pool holds, least recently used origin first."""
        return {origin: len(transport._pool.connections) for origin, transport in self._transports.items()}

    async def _close_idle_origins(self, keep: Origin) -> None:
        """Close the least recently used pools beyond the limit, only those with no request
        in flight (a connection being made or answering is not idle)."""
        surplus = len(self._transports) - self._max_idle_origins
        idle = [
            origin for origin, transport in self._transports.items() if origin != keep and _is_idle(transport)
        ][: max(surplus, 0)]
        # Out of the table before the first await: a concurrent request must not find them.
        for transport in [self._transports.pop(origin) for origin in idle]:
            await transport.aclose()

    async def aclose(self) -> None:
        while self._transports:
            await self._transports.popitem()[1].aclose()


def _is_idle(transport: httpx.AsyncHTTPTransport) -> bool:
    return all(connection.is_idle() for connection in transport._pool.connections)
