from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import JSONBody, QueryParameter

from supportai.api.dependencies import PrincipalDep, RuntimeDep, TenantSession
from supportai.domain.billing import service
from supportai.domain.billing.schemas import CreditsOut, PurchaseIn, PurchaseOut, UsageOut
from supportai.domain.requests.service import blocked_this_cycle
from supportai.errors import AuthenticationFailed, NotFound


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

    @post("/purchases", operation_id="buyCredits", summary="Start buying a credit pack: returns the payment page",
          opt={"owner_only": True}, status_code=201)
    async def buy(
        self, data: JSONBody[PurchaseIn], principal: PrincipalDep, runtime: RuntimeDep, db_session: TenantSession
    ) -> PurchaseOut:
        return await service.start_purchase(runtime, db_session, principal, data.pack)

    @get("/purchases", operation_id="listCreditPurchases", summary="Credit packs bought or being paid, newest first",
         opt={"owner_only": True})
    async def purchases(
        self, db_session: TenantSession, limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50
    ) -> list[PurchaseOut]:
        return await service.purchases(db_session, limit)


@post("/payments/webhook", operation_id="paymentWebhook", status_code=200, tags=["billing"],
      summary="Payment notices from the crypto gateway (signed)", opt={"exclude_from_auth": True})
async def payment_webhook(request: Request[Any, Any, Any], runtime: RuntimeDep) -> dict[str, str]:
    """Verified on the raw body; the same notice may come many times and applies once."""
    gateway = service.payment_gateway(runtime)
    if gateway is None:
        raise NotFound("Payments are not set up on this server.")
    notice = gateway.verify(await request.body())
    if notice is None:
        raise AuthenticationFailed("The payment notice's signature does not verify.")
    return {"result": await service.apply_payment(runtime, notice)}
