"""Calls the simulator's `/_sim/` control endpoints (see control.py) over HTTP,
for tests and demo scripts. Answers are the endpoints' JSON, as dicts."""

from __future__ import annotations

from typing import Any

import httpx


class SimulatorControlClient:
    def __init__(self, http: httpx.AsyncClient, base_url: str) -> None:
        self._http = http
        self._base = f"{base_url.rstrip('/')}/_sim"

    async def info(self) -> dict[str, Any]:
        return await self._call("GET", "/info")

    async def reset(self) -> None:
        await self._call("POST", "/reset")

    async def configure(self, **changes: float) -> dict[str, Any]:
        """latency_ms, error_rate, fail_next, malformed_next, html_next."""
        return await self._call("POST", "/config", json=changes)

    async def advance(self, seconds: float) -> float:
        return (await self._call("POST", "/advance", params={"seconds": seconds}))["now"]

    async def requests(
        self, *, path: str | None = None, action: str | None = None
    ) -> list[dict[str, Any]]:
        filters = {name: value for name, value in (("path", path), ("action", action)) if value}
        return (await self._call("GET", "/requests", params=filters))["requests"]

    async def clear_requests(self) -> None:
        await self._call("DELETE", "/requests")

    async def create_ticket(self, *, user: str, subject: str, message: str) -> dict[str, Any]:
        return await self._call(
            "POST", "/tickets", json={"user": user, "subject": subject, "message": message}
        )

    async def add_ticket_message(
        self, ticket_id: int, message: str, *, author: str = "customer"
    ) -> dict[str, Any]:
        return await self._call(
            "POST", f"/tickets/{ticket_id}/messages", json={"message": message, "author": author}
        )

    async def create_order(self, **fields: Any) -> dict[str, Any]:
        """user, service_id, quantity; optional link, status, start_count, remains,
        current_count, age_seconds, behaviour."""
        return await self._call("POST", "/orders", json=fields)

    async def order(self, order_id: int) -> dict[str, Any]:
        return await self._call("GET", f"/orders/{order_id}")

    async def change_order(self, order_id: int, **changes: Any) -> dict[str, Any]:
        """status, start_count, remains, current_count, drop={amount, recover_after},
        behaviour={refill, refill_delay, cancel, cancel_delay}."""
        return await self._call("PATCH", f"/orders/{order_id}", json=changes)

    async def current_count(self, link: str) -> int:
        return (await self._call("GET", "/counts", params={"link": link}))["current_count"]

    async def _call(self, method: str, path: str, **options: Any) -> Any:
        response = await self._http.request(method, self._base + path, **options)
        response.raise_for_status()
        return response.json() if response.content else None
