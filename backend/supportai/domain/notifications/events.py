"""The owner-facing events and where each goes unless the owner says otherwise.

In-app is always on (the notification centre is the record); Telegram and e-mail are
chosen per event. The defaults send what needs the owner soon to Telegram (as before
this catalogue existed) and what concerns money to e-mail as well.
"""

from __future__ import annotations

from enum import StrEnum


class OwnerEvent(StrEnum):
    ESCALATION = "escalation"
    PROVIDER_DECLINE = "provider_decline"
    PROVIDER_UNREACHABLE = "provider_unreachable"
    QUOTA_WARNING = "quota_warning"
    QUOTA_EXHAUSTED = "quota_exhausted"
    CREDITS_LOW = "credits_low"
    CREDITS_OUT = "credits_out"
    PAYMENT_CONFIRMED = "payment_confirmed"
    PAYMENT_FAILED = "payment_failed"
    RENEWAL_DUE = "renewal_due"
    SUBSCRIPTION_LAPSING = "subscription_lapsing"
    MESSAGE_FAILED = "message_failed"
    SLA_BREACH = "sla_breach"


class Channel(StrEnum):
    TELEGRAM = "telegram"
    EMAIL = "email"


# event -> (what the owner reads in the settings, the channels on by default)
CATALOGUE: dict[OwnerEvent, tuple[str, frozenset[Channel]]] = {
    OwnerEvent.ESCALATION: ("A request needs a person", frozenset({Channel.TELEGRAM})),
    OwnerEvent.PROVIDER_DECLINE: ("A provider declined a request", frozenset({Channel.TELEGRAM})),
    OwnerEvent.PROVIDER_UNREACHABLE: ("A provider could not be messaged", frozenset({Channel.TELEGRAM})),
    OwnerEvent.QUOTA_WARNING: ("Request quota 80% used", frozenset({Channel.TELEGRAM, Channel.EMAIL})),
    OwnerEvent.QUOTA_EXHAUSTED: ("Request quota used up", frozenset({Channel.TELEGRAM, Channel.EMAIL})),
    OwnerEvent.CREDITS_LOW: ("Tracking credits running low", frozenset({Channel.TELEGRAM, Channel.EMAIL})),
    OwnerEvent.CREDITS_OUT: ("Tracking credits used up", frozenset({Channel.TELEGRAM, Channel.EMAIL})),
    OwnerEvent.PAYMENT_CONFIRMED: ("Payment confirmed", frozenset({Channel.EMAIL})),
    OwnerEvent.PAYMENT_FAILED: ("Payment failed or expired", frozenset({Channel.EMAIL})),
    OwnerEvent.RENEWAL_DUE: ("Renewal invoice issued", frozenset({Channel.EMAIL})),
    OwnerEvent.SUBSCRIPTION_LAPSING: ("Subscription past due or lapsed", frozenset({Channel.TELEGRAM, Channel.EMAIL})),
    OwnerEvent.MESSAGE_FAILED: ("A message could not be processed", frozenset({Channel.TELEGRAM})),
    OwnerEvent.SLA_BREACH: ("A request waited past its SLA target", frozenset({Channel.TELEGRAM})),
}
