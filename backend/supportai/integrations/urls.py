"""Outbound URL safety: tenants must not make our servers call internal hosts (SSRF)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import typing
from urllib.parse import urlsplit

import httpcore
import httpx

from supportai.errors import InvalidInput

_INTERNAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa")


# Ranges `is_global` lets through (or, in some Python versions, does) that are no public
# unicast destination: carrier-grade NAT, the deprecated 6to4 relay anycast, local-use
# NAT64 and the deprecated IPv4-compatible IPv6 addresses.
_NOT_GLOBAL = tuple(
    ipaddress.ip_network(network)
    for network in ("100.64.0.0/10", "192.88.99.0/24", "64:ff9b:1::/48", "::/96")
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # the last 32 bits are the IPv4 destination


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """A global unicast address, and so is any IPv4 address an IPv6 one carries
    (IPv4-mapped, 6to4, NAT64): those reach the IPv4 host they embed."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None and not is_public_address(embedded):
            return False
    return (
        address.is_global
        and not address.is_multicast
        and not any(address in network for network in _NOT_GLOBAL)
    )


async def ensure_public_url(url: str, *, allow_private: bool, field: str = "url") -> str:
    """Return the URL without a trailing slash, or raise InvalidInput.

    Literal IPs and names that resolve to anything but global unicast addresses are
    refused unless the deployment allows them (demo, tests).
    A name that does not resolve is accepted: calls to it simply fail.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InvalidInput(f"`{field}` must be an http(s) URL with a host.", field=field)
    if parts.username or parts.password:
        raise InvalidInput(f"`{field}` must not carry credentials.", field=field)
    if not allow_private:
        host = parts.hostname.lower().rstrip(".")
        if (
            host == "localhost"
            or host.endswith(_INTERNAL_SUFFIXES)
            or await _resolves_internal(host)
        ):
            raise InvalidInput(
                f"`{field}` must point at a public address, not a private, shared, loopback, "
                "link-local or otherwise internal one.",
                field=field,
            )
    return url.strip().rstrip("/")


async def _resolves_internal(host: str) -> bool:
    try:
        return not is_public_address(ipaddress.ip_address(host))
    except ValueError:
        pass
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return False
    return any(not is_public_address(ipaddress.ip_address(info[4][0])) for info in infos)


class PublicAddressesOnly(httpcore.AsyncNetworkBackend):
    """Connects to public addresses only, checked when connecting. The check when a tenant
    saves a URL is not enough alone: the name may resolve elsewhere later (DNS rebinding).
    The connection goes to the very address that was checked; TLS still verifies the name."""

    def __init__(self) -> None:
        self._backend = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise httpcore.ConnectError(f"{host} does not resolve: {exc}") from exc
        addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
        if not addresses or not all(is_public_address(address) for address in addresses):
            raise httpcore.ConnectError(f"refused to connect to {host}: it resolves to an internal address")
        return await self._backend.connect_tcp(
            str(addresses[0]), port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: typing.Iterable[typing.Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not outbound destinations")

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


def outbound_transport(
    limits: httpx.Limits, *, allow_private: bool, ssl_context: ssl.SSLContext
) -> httpx.AsyncHTTPTransport:
    """The transport for calls to tenant-supplied URLs (panels, providers, count sources,
    LLMs): internal addresses refused at connect time unless the deployment allows them.
    `ssl_context` is shared: loading the CA bundle costs more than a request."""
    transport = httpx.AsyncHTTPTransport(limits=limits, verify=ssl_context)
    if not allow_private:
        # httpx builds its pool without a way to pass a network backend: build it again
        # with the same settings and ours (covered by tests/integration/test_outbound_urls.py).
        transport._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=PublicAddressesOnly(),
        )
    return transport
