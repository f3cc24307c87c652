"""The model registry: imports every area's models so the metadata is complete for
Alembic and the tests. It sits above `domain/`, which `db/` never imports."""

from supportai.db.base import Base
from supportai.domain.audit.models import AuditEntry
from supportai.domain.auth.models import ApiKey, Invitation, RefreshToken, User
from supportai.domain.billing.models import CreditEntry, Invoice, PaymentAttempt, Subscription
from supportai.domain.dispatch.models import DispatchItem, ProviderMessage, UserbotAccount
from supportai.domain.notifications.models import Notification, NotificationChannels
from supportai.domain.requests.models import (
    Message,
    RequestEvent,
    SupportRequest,
    TicketCursor,
)
from supportai.domain.saved_replies.models import SavedReply
from supportai.domain.services.models import Service
from supportai.domain.setup.models import LLMEndpoint, PanelConnection, ProviderAccount
from supportai.domain.telegram.models import CustomerLink, TelegramBot
from supportai.domain.templates.models import ReplyTemplate
from supportai.domain.tenants.models import Tenant, TenantSettings
from supportai.domain.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

__all__ = [
    "ApiKey",
    "AuditEntry",
    "Base",
    "CreditEntry",
    "CustomerLink",
    "DispatchItem",
    "Invitation",
    "Invoice",
    "LLMEndpoint",
    "Message",
    "Notification",
    "NotificationChannels",
    "PanelConnection",
    "PaymentAttempt",
    "ProviderAccount",
    "ProviderMessage",
    "RefreshToken",
    "ReplyTemplate",
    "RequestEvent",
    "SavedReply",
    "Service",
    "Subscription",
    "SupportRequest",
    "TelegramBot",
    "Tenant",
    "TenantSettings",
    "TicketCursor",
    "User",
    "UserbotAccount",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]
