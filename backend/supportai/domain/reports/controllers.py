from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from typing import Annotated

from litestar import Controller, get
from litestar.params import FromQuery, QueryParameter

from supportai.api.dependencies import TenantSession
from supportai.db.base import utcnow
from supportai.domain.reports.dashboard import dashboard
from supportai.domain.reports.schemas import Dashboard
from supportai.domain.requests.automation import automation_figure
from supportai.domain.requests.schemas import AutomationFigure


class Period(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"  # 30 days


PERIOD_LENGTH = {Period.DAY: timedelta(days=1), Period.WEEK: timedelta(days=7), Period.MONTH: timedelta(days=30)}


class ReportController(Controller):
    path = "/api"
    tags = ["reports"]

    @get("/dashboard", operation_id="getDashboard", summary="Support at a glance: automation, trend, queue, quota")
    async def get_dashboard(
        self, db_session: TenantSession, days: Annotated[int, QueryParameter(ge=1, le=90)] = 14
    ) -> Dashboard:
        return await dashboard(db_session, days)

    @get("/reports/automation", operation_id="getAutomationReport",
         summary="Automated resolution rate per period, newest last (periods end today, UTC)",
         opt={"api_scope": "requests:read"})
    async def automation(
        self, db_session: TenantSession, period: FromQuery[Period] = Period.WEEK,
        periods: Annotated[int, QueryParameter(ge=1, le=26)] = 4,
    ) -> list[AutomationFigure]:
        end = datetime.combine(utcnow().date() + timedelta(days=1), time(), UTC)
        length = PERIOD_LENGTH[period]
        return [await automation_figure(db_session, end - length * n, end - length * (n - 1))
                for n in range(periods, 0, -1)]
