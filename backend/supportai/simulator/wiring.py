"""Point a SupportAI tenant at a simulated world, through SupportAI's own API.

The demo, the pipeline tests and the benchmarks all start here: the panel (admin and user
API keys), every provider (SMM API and a Telegram chat), the service catalogue and the
simulator's count source. `http` is any httpx-style client on the SupportAI API.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from supportai.simulator.world import World


def _check(response: Any) -> Any:
    if response.status_code >= 300:
        request = response.request
        raise RuntimeError(f"{request.method} {request.url.path}: {response.status_code} {response.text}")
    return response


async def wire_tenant(
    http: Any, headers: Mapping[str, str], world: World, base_url: str,
    *, provider_urls: Mapping[str, str] | None = None,
) -> None:
    """`provider_urls` serves a provider from another simulator address (default: `base_url`)."""
    _check(await http.put("/api/setup/panel", headers=headers, json={
        "url": base_url, "admin_api_key": world.admin_key, "user_api_key": world.user_key,
    }))
    for provider in world.providers.values():
        host = (provider_urls or {}).get(provider.name, base_url)
        _check(await http.post("/api/providers", headers=headers, json={
            "name": provider.name, "api_url": f"{host}/providers/{provider.name}", "api_key": provider.key,
            "telegram_chat": f"@{provider.name.split('.')[0]}_support",
        }))
    catalogue = [
        {"service": s.id, "name": s.name, "category": s.category, "type": s.type, "rate": str(s.rate),
         "min": s.min, "max": s.max, "refill": s.refill, **({} if s.cancel is None else {"cancel": s.cancel})}
        for s in world.services.values()
    ]
    _check(await http.post("/api/services/import", headers=headers, json=catalogue))
    _check(await http.patch("/api/tenant/settings", headers=headers,
                            json={"count_source_url": f"{base_url}/_sim/counts"}))
