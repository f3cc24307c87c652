"""`supportai health`: wait for a running API to answer `/health`, then say where to go.

`scripts/run` and `supportai demo` print these lines only once the API answers, so every
address they show works when it is read.
"""

from __future__ import annotations

import time
from typing import Any

import httpx


def ask_health(base_url: str) -> dict[str, Any] | None:
    """The API's `/health` answer, or None while nothing answers."""
    try:
        return httpx.get(f"{base_url}/health", timeout=2).json()
    except (httpx.HTTPError, ValueError):
        return None


def wait_for_health(base_url: str, wait_s: float) -> dict[str, Any] | None:
    """Ask until the API says `ok` or `wait_s` passes; the last answer, None if none came."""
    deadline = time.monotonic() + wait_s
    while True:
        health = ask_health(base_url)
        if (health and health.get("status") == "ok") or time.monotonic() >= deadline:
            return health
        time.sleep(0.3)


def where_to_go(base_url: str, health: dict[str, Any]) -> list[str]:
    """The addresses to open, and anything /health says is wrong."""
    try:
        web = httpx.get(f"{base_url}/", timeout=2)
        has_web_app = web.status_code == 200 and web.headers.get("content-type", "").startswith("text/html")
    except httpx.HTTPError:
        has_web_app = False
    lines = [
        f"SupportAI is up: {base_url}/"
        if has_web_app else f"SupportAI API is up: {base_url} (no web app: it needs Node.js to build)",
        f"  API docs          {base_url}/schema   (the OpenAPI document: {base_url}/schema/openapi.json)",
    ]
    if health.get("status") != "ok":
        problems = [f"{name}: {check.get('detail')}" for name in ("database", "redis", "worker")
                    if not (check := health.get(name) or {}).get("ok", True)]
        lines.append(f"  health            {health.get('status')}: {'; '.join(problems)}")
    return lines
