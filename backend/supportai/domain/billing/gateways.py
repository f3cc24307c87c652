"""The payment gateways this server is configured with, built in one place."""

from __future__ import annotations

from supportai.config import Settings
from supportai.errors import InvalidInput, NotConfigured
from supportai.integrations.nowpayments import NowPaymentsGateway
from supportai.integrations.payments import CryptomusGateway, PaymentGateway
from supportai.runtime import Runtime

WEBHOOK_PATHS = {"cryptomus": "/payments/webhook", "nowpayments": "/payments/nowpayments/webhook"}


def gateway_names(settings: Settings) -> list[str]:
    """Configured gateways, the default first. Billing is enforced when there is one."""
    names = []
    if settings.payments_merchant and settings.payments_api_key:
        names.append("cryptomus")
    if settings.nowpayments_api_key and settings.nowpayments_ipn_secret:
        names.append("nowpayments")
    return names


def billing_enforced(settings: Settings) -> bool:
    return bool(gateway_names(settings))


def gateway(runtime: Runtime, name: str) -> PaymentGateway:
    settings = runtime.settings
    if name == "cryptomus" and name in gateway_names(settings):
        return CryptomusGateway(runtime.http, base_url=settings.payments_api_base,
                                merchant=settings.payments_merchant or "", api_key=settings.payments_api_key or "")
    if name == "nowpayments" and name in gateway_names(settings):
        return NowPaymentsGateway(runtime.http, base_url=settings.nowpayments_api_base,
                                  api_key=settings.nowpayments_api_key or "",
                                  ipn_secret=settings.nowpayments_ipn_secret or "")
    raise NotConfigured(f"The payment gateway {name!r} is not set up on this server.")


def chosen_gateway(runtime: Runtime, name: str | None) -> PaymentGateway:
    """The gateway the owner picked, or the server's default one."""
    names = gateway_names(runtime.settings)
    if not names:
        raise NotConfigured("Payments are not set up on this server (SUPPORTAI_PAYMENTS_MERCHANT and _API_KEY, "
                            "or SUPPORTAI_NOWPAYMENTS_API_KEY and _IPN_SECRET).")
    if name is not None and name not in names:
        raise InvalidInput(f"No payment gateway {name!r} here (one of: {', '.join(names)}).", field="gateway")
    return gateway(runtime, name or names[0])
