"""A message that arrives before the owner has connected a panel waits for it, quietly,
and is answered once the panel is there."""

from __future__ import annotations

import uuid

from supportai.domain.requests.intake import enqueue_processing
from supportai.runtime import open_runtime
from supportai.simulator.app import create_simulator_app
from supportai.simulator.server import serve_in_thread
from supportai.simulator.wiring import wire_tenant
from supportai.simulator.world import build_world
from tests.conftest import run_queued_jobs


async def test_a_message_waits_for_the_panel_then_is_processed(client, sign_up, settings):
    owner = await sign_up("Not wired yet")
    key = (await client.post("/api/api-keys", json={"name": "k", "scopes": ["messages:write", "messages:read"]},
                             headers=owner.headers)).json()["key"]
    world = build_world(f"late-{uuid.uuid4().hex[:6]}", tickets=0, orders=5)
    order = next(iter(world.orders.values()))
    posted = await client.post("/api/v1/messages", headers={"X-API-Key": key},
                               json={"customer": order.user, "text": f"refill {order.id}"})
    message_id = posted.json()["id"]

    await run_queued_jobs(settings)
    waiting = (await client.get(f"/api/v1/messages/{message_id}", headers={"X-API-Key": key})).json()
    assert (waiting["status"], waiting["requests"]) == ("waiting_panel", [])

    with serve_in_thread(create_simulator_app(world)) as base_url:
        await wire_tenant(client, owner.headers, world, base_url)
        async with open_runtime(settings) as runtime:  # what the sweeper does every 2 minutes
            await enqueue_processing(runtime, uuid.UUID(owner.tenant_id), uuid.UUID(message_id), run="sweep")
        await run_queued_jobs(settings)
    done = (await client.get(f"/api/v1/messages/{message_id}", headers={"X-API-Key": key})).json()
    assert done["status"] == "processed" and len(done["requests"]) == 1
