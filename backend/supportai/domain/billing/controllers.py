from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from litestar import Controller, Request, delete, get, post
from litestar.params import FromPath, JSONBody, QueryParameter

from supportai.api.dependencies import PrincipalDep, RuntimeDep, TenantSession
from supportai.domain.billing import invoices, purchases, service, subscriptions
from supportai.domain.billing.plans import PLANS
from supportai.domain.billing.schemas import (
    CreditsOut,
    InvoiceOut,
    PayIn,
    PaymentAttemptOut,
    PlanChangeIn,
    PlanChangeOut,
    PlanOut,
    PurchaseIn,
    PurchaseOut,
    SubscriptionOut,
    UsageOut,
)
from supportai.domain.billing.webhooks import apply_notice
from supportai.domain.requests.automation import automation_figure
from supportai.domain.requests.service import blocked_this_cycle
from supportai.errors import AuthenticationFailed, InvalidInput, NotConfigured, NotFound
from supportai.integrations.payments import InvalidNotice
from supportai.runtime import Runtime


class UsageController(Controller):
    path = "/api/usage"
    tags = ["billing"]

    @get(operation_id="getUsage", summary="This billing cycle's request quota and usage")
    async def usage(self, db_session: TenantSession) -> UsageOut:
        subscription = await service.current_subscription(db_session)
        automation = await automation_figure(db_session, subscription.cycle_start, subscription.cycle_end)
        return await service.usage(db_session, await blocked_this_cycle(db_session, subscription.cycle_start),
                                   automation)


@get("/api/plans", operation_id="listPlans", summary="The plans, their prices and allowances", tags=["billing"],
     opt={"exclude_from_auth": True})
async def list_plans() -> list[PlanOut]:
    return [PlanOut.of(plan) for plan in PLANS.values()]


class SubscriptionController(Controller):
    path = "/api/subscription"
    tags = ["billing"]

    @get(operation_id="getSubscription", summary="The plan, its cycle, status, next renewal and open invoices")
    async def subscription(self, runtime: RuntimeDep, db_session: TenantSession) -> SubscriptionOut:
        return await subscriptions.read_subscription(runtime, db_session)

    @post("/change", operation_id="changePlan", status_code=200, opt={"owner_only": True},
          summary="Upgrade (a prorated invoice and its payment page), downgrade (at the anniversary) or, "
                  "during the trial, choose the plan to pay for")
    async def change(
        self, data: JSONBody[PlanChangeIn], principal: PrincipalDep, runtime: RuntimeDep
    ) -> PlanChangeOut:
        return await subscriptions.change_plan(runtime, principal, data.plan, data.gateway)

    @delete("/scheduled-change", operation_id="cancelScheduledChange", status_code=200, opt={"owner_only": True},
            summary="Cancel a downgrade scheduled for the anniversary")
    async def cancel_change(
        self, principal: PrincipalDep, runtime: RuntimeDep, db_session: TenantSession
    ) -> SubscriptionOut:
        return await subscriptions.cancel_scheduled_change(runtime, db_session, principal)


class InvoiceController(Controller):
    path = "/api/invoices"
    tags = ["billing"]

    @get(operation_id="listInvoices", summary="Invoices, newest first")
    async def list(
        self, db_session: TenantSession,
        status: Annotated[Literal["open", "paid", "expired", "void"] | None, QueryParameter()] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> list[InvoiceOut]:
        return await invoices.list_invoices(db_session, status, limit)

    @get("/{invoice_id:uuid}", operation_id="getInvoice", summary="One invoice with its payment attempts")
    async def get(self, invoice_id: FromPath[uuid.UUID], db_session: TenantSession) -> InvoiceOut:
        return await invoices.get_invoice(db_session, invoice_id)

    @post("/{invoice_id:uuid}/pay", operation_id="payInvoice", status_code=200, opt={"owner_only": True},
          summary="The invoice's current payment page on a gateway, or a new one")
    async def pay(
        self, invoice_id: FromPath[uuid.UUID], principal: PrincipalDep, runtime: RuntimeDep,
        data: JSONBody[PayIn | None] = None,
    ) -> PaymentAttemptOut:
        attempt = await invoices.pay(runtime, principal, invoice_id, data.gateway if data else None)
        return PaymentAttemptOut.of(attempt)


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
        self, data: JSONBody[PurchaseIn], principal: PrincipalDep, runtime: RuntimeDep
    ) -> PurchaseOut:
        return await purchases.start_purchase(runtime, principal, data.pack, data.gateway)

    @get("/purchases", operation_id="listCreditPurchases", summary="Credit packs bought or being paid, newest first",
         opt={"owner_only": True})
    async def purchases(
        self, db_session: TenantSession, limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50
    ) -> list[PurchaseOut]:
        return await purchases.purchases(db_session, limit)


async def _webhook(request: Request[Any, Any, Any], runtime: Runtime, name: str) -> dict[str, str]:
    """Verified on the raw body; the same notice may come many times and applies once."""
    try:
        verifier = runtime.clients.payment_gateway(name)
    except NotConfigured as exc:
        raise NotFound("Payments are not set up on this server.") from exc
    try:
        notice = verifier.verify(await request.body(), request.headers)
    except InvalidNotice as exc:
        raise InvalidInput(f"The payment notice cannot be read: {exc}") from exc
    if notice is None:
        raise AuthenticationFailed("The payment notice's signature does not verify.")
    return {"result": await apply_notice(runtime, name, notice)}


@post("/payments/webhook", operation_id="paymentWebhook", status_code=200, tags=["billing"],
      summary="Payment notices from Cryptomus / Heleket (signed)", opt={"exclude_from_auth": True})
async def payment_webhook(request: Request[Any, Any, Any], runtime: RuntimeDep) -> dict[str, str]:
    return await _webhook(request, runtime, "cryptomus")


@post("/payments/nowpayments/webhook", operation_id="nowpaymentsWebhook", status_code=200, tags=["billing"],
      summary="Payment notices (IPN) from NOWPayments (signed)", opt={"exclude_from_auth": True})
async def nowpayments_webhook(request: Request[Any, Any, Any], runtime: RuntimeDep) -> dict[str, str]:
    return await _webhook(request, runtime, "nowpayments")
