from __future__ import annotations

from litestar import Controller, get

from supportai.api.dependencies import TenantSession
from supportai.domain.billing import service
from supportai.domain.billing.schemas import UsageOut
from supportai.domain.requests.service import blocked_this_cycle


class UsageController(Controller):
    path = "/api/usage"
    tags = ["billing"]

    @get(operation_id="getUsage", summary="This billing cycle's request quota and usage")
    async def usage(self, db_session: TenantSession) -> UsageOut:
        subscription = await service.current_subscription(db_session)
        return await service.usage(db_session, await blocked_this_cycle(db_session, subscription.cycle_start))
