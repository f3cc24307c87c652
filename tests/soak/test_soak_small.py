"""The soak (`benchmarks/soak.py`), small: 150 customer messages through the public API
while a worker and the API are killed (`kill -9`) and restarted, then the stack drains and
the database and the simulator's records must show nothing lost and nothing done twice.
Every wait is for a condition with a limit of minutes; every process it started is
stopped, even when it fails."""

from __future__ import annotations

import pytest

from benchmarks import soak


@pytest.mark.timeout(1800)
async def test_nothing_is_lost_or_done_twice_when_processes_are_killed(tmp_path):
    plan = soak.Soak(messages=150, rate=5, kills={"worker": 1, "api": 1, "redis": 0}, workers=2, seed=11)

    result = await soak.run(plan, tmp_path)

    soak.report(plan, result)
    figures = result.figures
    assert figures.violations == []
    assert len(figures.accepted) == 150
    assert result.counts["messages stored"] == 150
    assert figures.kills == {"worker": 1, "api": 1}
    # The run did what it is meant to: requests charged, providers called, tracking checked.
    assert result.counts["quota units"] > 0 and result.counts["provider calls"] > 0
