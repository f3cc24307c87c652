"""Which payment gateway an owner pays through; the gateways themselves come from `runtime.clients`."""

from __future__ import annotations

from supportai.errors import InvalidInput, NotConfigured
from supportai.integrations.payments import PaymentGateway
from supportai.runtime import Runtime

WEBHOOK_PATHS = {"cryptomus": "/payments/webhook", "nowpayments": "/payments/nowpayments/webhook"}


def gateway_names(runtime: Runtime) -> list[str]:
    """Configured gateways, the default first. Billing is enforced when there is one."""
    return runtime.clients.payment_gateway_names()


def billing_enforced(runtime: Runtime) -> bool:
    return bool(gateway_names(runtime))


def chosen_gateway(runtime: Runtime, name: str | None) -> PaymentGateway:
    """The gateway the owner picked, or the server's default one."""
    names = gateway_names(runtime)
    if not names:
        # Owners read this: how the operator configures gateways is in the README, not here.
        raise NotConfigured("Payments are not set up on this server yet. Please contact its operator.")
    if name is not None and name not in names:
        raise InvalidInput(f"No payment gateway {name!r} here (one of: {', '.join(names)}).", field="gateway")
    return runtime.clients.payment_gateway(name or names[0])
