from __future__ import annotations

import uuid
from typing import Annotated, Literal

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from supportai.api.dependencies import PrincipalDep, RuntimeDep, TenantSession
from supportai.db.pagination import Page
from supportai.domain.webhooks import service
from supportai.domain.webhooks.schemas import (
    DeliveryDetail,
    DeliveryOut,
    EndpointIn,
    EndpointOut,
    EndpointPatch,
    EndpointWithSecret,
    SecretOut,
)

OWNER = {"owner_only": True}


class WebhookEndpointController(Controller):
    path = "/api/webhooks/endpoints"
    tags = ["webhooks"]

    @get(operation_id="listWebhookEndpoints", summary="The account's outbound webhook endpoints")
    async def list_endpoints(self, db_session: TenantSession) -> list[EndpointOut]:
        return await service.list_endpoints(db_session)

    @post(operation_id="createWebhookEndpoint", opt=OWNER,
          summary="Add an endpoint; the answer carries its signing secret")
    async def create(
        self, data: JSONBody[EndpointIn], principal: PrincipalDep, runtime: RuntimeDep, db_session: TenantSession
    ) -> EndpointWithSecret:
        return await service.create_endpoint(runtime, db_session, principal, data)

    @get("/{endpoint_id:uuid}", operation_id="getWebhookEndpoint", summary="One endpoint (never its secret)")
    async def get_endpoint(self, endpoint_id: FromPath[uuid.UUID], db_session: TenantSession) -> EndpointOut:
        return EndpointOut.of(await service.get_endpoint(db_session, endpoint_id))

    @patch("/{endpoint_id:uuid}", operation_id="updateWebhookEndpoint", opt=OWNER,
           summary="Change an endpoint's URL, description, events or switch it on or off")
    async def update(
        self, endpoint_id: FromPath[uuid.UUID], data: JSONBody[EndpointPatch], principal: PrincipalDep,
        runtime: RuntimeDep, db_session: TenantSession,
    ) -> EndpointOut:
        return await service.update_endpoint(runtime, db_session, principal, endpoint_id, data)

    @delete("/{endpoint_id:uuid}", operation_id="deleteWebhookEndpoint", opt=OWNER,
            summary="Remove an endpoint and its delivery log")
    async def remove(self, endpoint_id: FromPath[uuid.UUID], principal: PrincipalDep, runtime: RuntimeDep,
                     db_session: TenantSession) -> None:
        await service.delete_endpoint(runtime, db_session, principal, endpoint_id)

    @get("/{endpoint_id:uuid}/secret", operation_id="getWebhookSecret", opt=OWNER,
         summary="The endpoint's signing secret (`whsec_…`), for the owner's receiver")
    async def secret(self, endpoint_id: FromPath[uuid.UUID], runtime: RuntimeDep,
                     db_session: TenantSession) -> SecretOut:
        return await service.reveal_secret(runtime, db_session, endpoint_id)

    @post("/{endpoint_id:uuid}/rotate-secret", operation_id="rotateWebhookSecret", opt=OWNER, status_code=200,
          summary="A new signing secret; the old one stops at once")
    async def rotate(self, endpoint_id: FromPath[uuid.UUID], principal: PrincipalDep, runtime: RuntimeDep,
                     db_session: TenantSession) -> EndpointWithSecret:
        return await service.rotate_secret(runtime, db_session, principal, endpoint_id)

    @post("/{endpoint_id:uuid}/test", operation_id="sendWebhookTest", opt=OWNER, status_code=202,
          summary="Queue a `webhook.test` event to this endpoint")
    async def test(self, endpoint_id: FromPath[uuid.UUID], runtime: RuntimeDep,
                   db_session: TenantSession) -> DeliveryOut:
        return await service.send_test(runtime, db_session, endpoint_id)


class WebhookDeliveryController(Controller):
    path = "/api/webhooks/deliveries"
    tags = ["webhooks"]

    @get(operation_id="listWebhookDeliveries", summary="The delivery log, newest first")
    async def list_deliveries(
        self,
        db_session: TenantSession,
        endpoint_id: FromQuery[uuid.UUID | None] = None,
        status: FromQuery[Literal["pending", "succeeded", "failed"] | None] = None,
        cursor: FromQuery[str | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> Page[DeliveryOut]:
        return await service.list_deliveries(db_session, endpoint_id=endpoint_id, status=status, cursor=cursor,
                                             limit=limit)

    @get("/{delivery_id:uuid}", operation_id="getWebhookDelivery", summary="One delivery with its payload and attempts")
    async def get_delivery(self, delivery_id: FromPath[uuid.UUID], db_session: TenantSession) -> DeliveryDetail:
        return await service.get_delivery(db_session, delivery_id)

    @post("/{delivery_id:uuid}/redeliver", operation_id="redeliverWebhook", opt=OWNER, status_code=202,
          summary="Queue one more attempt of a past delivery (same id and body)")
    async def redeliver(self, delivery_id: FromPath[uuid.UUID], principal: PrincipalDep, runtime: RuntimeDep,
                        db_session: TenantSession) -> DeliveryOut:
        return await service.redeliver(runtime, db_session, principal, delivery_id)
