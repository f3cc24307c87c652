"""Outbound URL safety: tenants must not make our servers call internal hosts (SSRF)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from supportai.errors import InvalidInput

_INTERNAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa")


def _is_internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    )


async def ensure_public_url(url: str, *, allow_private: bool, field: str = "url") -> str:
    """Return the URL without a trailing slash, or raise InvalidInput.

    Literal IPs and names that resolve to private, loopback, link-local or otherwise
    internal addresses are refused unless the deployment allows them (demo, tests).
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
                f"`{field}` points at a private, loopback or link-local address.", field=field
            )
    return url.strip().rstrip("/")


async def _resolves_internal(host: str) -> bool:
    try:
        return _is_internal(ipaddress.ip_address(host))
    except ValueError:
        pass
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return False
    return any(_is_internal(ipaddress.ip_address(info[4][0])) for info in infos)
