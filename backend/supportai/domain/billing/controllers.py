from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter

from supportai.api.dependencies import TenantSession
from supportai.domain.billing import service
from supportai.domain.billing.schemas import CreditsOut, UsageOut
from supportai.domain.requests.service import blocked_this_cycle


class UsageController(Controller):
    path = "/api/usage"
    tags = ["billing"]

    @get(operation_id="getUsage", summary="This billing cycle's request quota and usage")
    async def usage(self, db_session: TenantSession) -> UsageOut:
        subscription = await service.current_subscription(db_session)
        return await service.usage(db_session, await blocked_this_cycle(db_session, subscription.cycle_start))


class CreditsController(Controller):
    path = "/api/credits"
    tags = ["billing"]

    @get(operation_id="getCredits", summary="Tracking credits: balances and the latest ledger entries")
    async def credits(
        self, db_session: TenantSession, limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50
    ) -> CreditsOut:
        return await service.credits(db_session, limit)
