"""Where the live count of a link comes from (optional, per tenant).

Without a count source the decision engine forwards refills with an unknown drop, as
rules.md says. With one, it can answer "no drop" or "below start count" by itself. The
contract is small so any scraper service can sit behind it:
`GET {url}?link=<order link>` → `{"current_count": 1234}` (or `{"count": 1234}`).
"""

from __future__ import annotations

from typing import Protocol

import httpx


class CountSource(Protocol):
    async def current_count(self, link: str) -> int | None:
        """The link's count now, or None when it cannot be read."""
        ...


class HttpCountSource:
    def __init__(self, client: httpx.AsyncClient, url: str, timeout: float = 5.0) -> None:
        self._client = client
        self._url = url
        self._timeout = timeout

    async def current_count(self, link: str) -> int | None:
        try:
            response = await self._client.get(self._url, params={"link": link}, timeout=self._timeout)
            if response.status_code != 200:
                return None
            body = response.json()
            value = body.get("current_count", body.get("count"))
            return int(value) if value is not None else None
        except (httpx.HTTPError, ValueError, TypeError, AttributeError):
            return None  # an unreadable count is an unknown count, never an error
