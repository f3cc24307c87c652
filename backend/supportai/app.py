"""The Litestar application factory."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.exceptions import NotFoundException
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme

from supportai.api.auth import AuthMiddleware, access_guard
from supportai.api.dependencies import DEPENDENCIES
from supportai.api.docs import SCHEMA_PATH, OfflineSwaggerPlugin
from supportai.api.input_guard import input_guard
from supportai.api.logging import configure_logging, request_id_middleware
from supportai.api.openapi import describe_routes
from supportai.api.problems import EXCEPTION_HANDLERS
from supportai.api.security_headers import security_headers
from supportai.api.web import default_web_dir, web_app_fallback
from supportai.config import Settings
from supportai.domain.audit.controllers import AuditController
from supportai.domain.auth.controllers import ApiKeyController, AuthController, UserController
from supportai.domain.billing.controllers import (
    CreditsController,
    InvoiceController,
    SubscriptionController,
    UsageController,
    list_plans,
    nowpayments_webhook,
    payment_webhook,
)
from supportai.domain.dispatch.controllers import SetupStatusController, UserbotSetupController
from supportai.domain.inbox.controllers import InboxController
from supportai.domain.notifications.controllers import NotificationController
from supportai.domain.reports.controllers import ReportController
from supportai.domain.requests.controllers import (
    MessageController,
    PublicMessageController,
    QueueController,
    RequestController,
)
from supportai.domain.saved_replies.controllers import SavedReplyController
from supportai.domain.services.controllers import ServiceController
from supportai.domain.setup.controllers import (
    LLMSetupController,
    PanelSetupController,
    ProviderController,
)
from supportai.domain.support.controllers import QueueToolsController, RequestActionController
from supportai.domain.telegram.controllers import (
    CustomerLinkController,
    TelegramBotController,
    telegram_webhook,
)
from supportai.domain.templates.controllers import TemplateController
from supportai.domain.tenants.controllers import AccountController, TenantController
from supportai.domain.webhooks.controllers import WebhookDeliveryController, WebhookEndpointController
from supportai.health import health
from supportai.integrations.telegram import bot as telegram_bot
from supportai.runtime import open_runtime

ROUTE_HANDLERS = [
    health,
    AccountController,
    AuthController,
    UserController,
    ApiKeyController,
    TenantController,
    AuditController,
    ServiceController,
    TemplateController,
    SavedReplyController,
    SetupStatusController,
    PanelSetupController,
    ProviderController,
    LLMSetupController,
    UserbotSetupController,
    PublicMessageController,
    RequestController,
    RequestActionController,
    QueueController,
    QueueToolsController,
    MessageController,
    InboxController,
    ReportController,
    UsageController,
    CreditsController,
    list_plans,
    SubscriptionController,
    InvoiceController,
    payment_webhook,
    nowpayments_webhook,
    TelegramBotController,
    CustomerLinkController,
    telegram_webhook,
    NotificationController,
    WebhookEndpointController,
    WebhookDeliveryController,
]


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        async with open_runtime(settings) as runtime:
            app.state.runtime = runtime
            asyncio.get_running_loop().run_in_executor(None, telegram_bot.preload)
            yield

    app = Litestar(
        route_handlers=ROUTE_HANDLERS,
        lifespan=[lifespan],
        dependencies=DEPENDENCIES,
        guards=[access_guard],
        middleware=[
            request_id_middleware,
            DefineMiddleware(input_guard, max_body_bytes=settings.max_body_bytes),
            DefineMiddleware(AuthMiddleware, exclude=["^/schema"]),
        ],
        exception_handlers={  # type: ignore[arg-type]
            **EXCEPTION_HANDLERS, NotFoundException: web_app_fallback(settings.web_dir or default_web_dir()),
        },
        before_send=[security_headers(settings.trusted_proxies)],
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="SupportAI",
            version="0.1.0",
            description="Support automation for SMM panels. Owners use bearer tokens; "
            "third parties use API keys (`X-API-Key`).",
            path=SCHEMA_PATH,
            render_plugins=[OfflineSwaggerPlugin()],
            components=Components(
                security_schemes={
                    "BearerToken": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT"),
                    "ApiKey": SecurityScheme(type="apiKey", name="X-API-Key", security_scheme_in="header"),
                }
            ),
            security=[{"BearerToken": []}, {"ApiKey": []}],
        ),
        debug=False,
        logging_config=None,  # configure_logging above; Litestar's own would start a thread per app
    )
    describe_routes(app)
    return app


def openapi_document() -> str:
    """The app's OpenAPI document as sorted, indented JSON: what frontend/openapi.json holds.

    The document depends on the routes alone, so placeholder settings do; nothing connects.
    """
    settings = Settings(database_url="sqlite+aiosqlite://", jwt_secret="unused", encryption_keys=(),
                        log_level="WARNING")
    schema = create_app(settings).openapi_schema.to_schema()
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
