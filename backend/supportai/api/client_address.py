"""Who is on the other end: the peer's address, or the client's behind a trusted proxy.

`X-Forwarded-For` and `X-Forwarded-Proto` are believed only when the peer is one of the
configured proxies (FORWARDED_ALLOW_IPS); anyone else could write any address there and
dodge the per-address limits. The server runs with its own proxy handling off (cli.py),
so this is the one place that decides.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from litestar.connection import ASGIConnection


@lru_cache(maxsize=16)
def _networks(trusted: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)


def is_trusted_proxy(address: str | None, trusted: tuple[str, ...]) -> bool:
    if not address or not trusted:
        return False
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in _networks(trusted))


def client_address(peer: str | None, forwarded_for: Iterable[str], trusted: tuple[str, ...]) -> str | None:
    """The nearest address in the forwarding chain that is not one of our proxies."""
    if not is_trusted_proxy(peer, trusted):
        return peer
    hops = [hop.strip() for header in forwarded_for for hop in header.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not is_trusted_proxy(hop, trusted):
            return hop
    return peer


def client_ip(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    trusted = connection.app.state.runtime.settings.trusted_proxies
    peer = connection.client.host if connection.client else None
    return client_address(peer, connection.headers.getall("x-forwarded-for", []), trusted)
