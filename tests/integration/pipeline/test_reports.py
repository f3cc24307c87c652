"""The dashboard and the automation figure over requests the pipeline really made:
resolved alone, forwarded, escalated then resolved by the owner, declined by the provider."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from supportai.domain.requests.models import SupportRequest
from supportai.engine.decisions import RequestStatus


async def get(stack, path: str, **params: Any) -> Any:
    response = await stack.client.get(path, params=params, headers=stack.account.headers)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
async def sample(stack) -> dict[str, Any]:
    no_drop, forwarded, declined = (stack.order(current_count=c) for c in (1500, 1100, 1100))
    stack.ticket(f"refill {no_drop.id}")  # answered and resolved alone
    stack.ticket(f"refill {forwarded.id} followers dropped")  # with the provider now
    stack.ticket(f"refill {declined.id} followers dropped")
    stack.ticket("hello, can I pay by card?")  # escalated: no order
    await stack.run_jobs()
    [escalated] = await get(stack, "/api/queue")
    resolved = await stack.client.post(f"/api/requests/{escalated['request']['id']}/resolve", json={},
                                       headers=stack.account.headers)
    assert resolved.status_code == 200
    [declined_request] = await stack.requests_for(declined)
    async with stack.tenant_session() as session:  # as when the provider refuses the refill
        await session.execute(sa.update(SupportRequest).where(SupportRequest.id == declined_request["id"])
                              .values(status=RequestStatus.DECLINED))
    return {"escalated": escalated["request"]["id"]}


async def test_the_dashboard_counts_automation_queue_and_provider_work(stack, sample):
    board = await get(stack, "/api/dashboard", days=7)
    expected = {"requests": 4, "automated_resolved": 1, "automated_resolution_rate": 0.25, "human_touched": 1,
                "wrong_actions": 1}
    for figure in (board["today"], board["period"]):
        assert {key: figure[key] for key in expected} == expected
    assert (board["open_escalations"], board["waiting_for_provider"], board["queue"]) == (0, 1, 0)
    assert len(board["requests_by_day"]) == 7
    today = board["requests_by_day"][-1]
    assert today["day"] == datetime.now(UTC).date().isoformat()
    assert today["by_status"] == {"resolved": 2, "forwarded": 1, "declined": 1}
    assert all(day["by_status"] == {} for day in board["requests_by_day"][:-1])
    assert board["requests_used"] == 3 and board["credits_left"] > 0  # the question costs no quota unit
    by_owner = [a for a in board["recent_activity"] if a["kind"] == "resolved"]
    assert by_owner[0]["request_id"] == sample["escalated"] and by_owner[0]["by_name"] == stack.account.email


async def test_usage_and_the_report_give_the_same_figure(stack, sample):
    usage = await get(stack, "/api/usage")
    assert (usage["automation"]["requests"], usage["automation"]["automated_resolved"]) == (4, 1)
    weeks = await get(stack, "/api/reports/automation", period="week", periods=3)
    assert [w["requests"] for w in weeks] == [0, 0, 4]
    assert weeks[0]["automated_resolution_rate"] is None  # no requests, no rate
    assert weeks[-1]["human_touched"] == 1
