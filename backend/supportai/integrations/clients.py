"""The one place that builds clients for the systems outside: panels, providers, gateways.

`Runtime.clients` holds a `ClientFactory`; domain code asks it for a `Panel`, a `Provider`
or a `PaymentGateway` and never names the adapter behind the port, so a test (or another
deployment) swaps the factory instead of patching modules.
"""

from __future__ import annotations

from typing import Protocol

import httpx
import msgspec
from redis.asyncio import Redis

from supportai.config import Settings
from supportai.errors import NotConfigured
from supportai.integrations.email import Mailer, SmtpMailer
from supportai.integrations.nowpayments import NowPaymentsGateway
from supportai.integrations.panel import Panel, PerfectPanelClient
from supportai.integrations.payments import CryptomusGateway, PaymentGateway
from supportai.integrations.provider import Provider, SmmProviderClient
from supportai.integrations.ratelimit import RedisRateLimiter

# Per provider host, across all processes: what providers' SMM APIs tolerate.
PROVIDER_REQUESTS_PER_S = 10


class PanelClients(msgspec.Struct, frozen=True):
    """The panel's admin API (orders, users, tickets) and its user API (services)."""

    admin: Panel
    user_api: Provider


class ClientFactory(Protocol):
    def panel(self, *, url: str, admin_key: str, user_key: str, requests_per_s: float) -> PanelClients:
        """Both APIs of one panel, sharing its request rate."""
        ...

    def provider(self, *, api_url: str, api_key: str) -> Provider: ...

    def payment_gateway_names(self) -> list[str]:
        """The gateways this server is configured with, the default first."""
        ...

    def payment_gateway(self, name: str) -> PaymentGateway:
        """Raises NotConfigured for a gateway this server is not set up with."""
        ...

    def mailer(self) -> Mailer | None:
        """The SMTP server owner alerts go through; None when e-mail is not configured."""
        ...


class HttpClients:
    """The real adapters, over the runtime's shared HTTP client and Redis rate limits."""

    def __init__(self, http: httpx.AsyncClient, redis: Redis, settings: Settings) -> None:
        self._http = http
        self._redis = redis
        self._settings = settings

    def panel(self, *, url: str, admin_key: str, user_key: str, requests_per_s: float) -> PanelClients:
        requests, period = (int(requests_per_s), 1.0) if requests_per_s >= 1 else (1, 1 / requests_per_s)
        limiter = RedisRateLimiter(self._redis, requests=requests, per_seconds=period)
        return PanelClients(
            admin=PerfectPanelClient(self._http, panel_url=url, api_key=admin_key, limiter=limiter),
            user_api=SmmProviderClient(self._http, api_url=url, api_key=user_key, limiter=limiter),
        )

    def provider(self, *, api_url: str, api_key: str) -> Provider:
        limiter = RedisRateLimiter(self._redis, requests=PROVIDER_REQUESTS_PER_S)
        return SmmProviderClient(self._http, api_url=api_url, api_key=api_key, limiter=limiter)

    def mailer(self) -> Mailer | None:
        s = self._settings
        if not s.smtp_host:
            return None
        return SmtpMailer(s.smtp_host, s.smtp_port, s.smtp_from, username=s.smtp_username,
                          password=s.smtp_password, starttls=s.smtp_starttls)

    def payment_gateway_names(self) -> list[str]:
        settings, names = self._settings, []
        if settings.payments_merchant and settings.payments_api_key:
            names.append("cryptomus")
        if settings.nowpayments_api_key and settings.nowpayments_ipn_secret:
            names.append("nowpayments")
        return names

    def payment_gateway(self, name: str) -> PaymentGateway:
        settings, configured = self._settings, self.payment_gateway_names()
        if name == "cryptomus" and name in configured:
            return CryptomusGateway(
                self._http, base_url=settings.payments_api_base,
                merchant=settings.payments_merchant or "", api_key=settings.payments_api_key or "",
            )
        if name == "nowpayments" and name in configured:
            return NowPaymentsGateway(
                self._http, base_url=settings.nowpayments_api_base,
                api_key=settings.nowpayments_api_key or "", ipn_secret=settings.nowpayments_ipn_secret or "",
            )
        raise NotConfigured(f"The payment gateway {name!r} is not set up on this server.")
