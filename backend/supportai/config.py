"""Settings, read once from environment variables (documented in README.md)."""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
from cryptography.fernet import Fernet


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Everything that differs between deployments. Build it with `Settings.from_env()`."""

    database_url: str
    redis_url: str = "redis://127.0.0.1:6379/0"
    jwt_secret: str
    jwt_issuer: str = "supportai"
    jwt_audience: str = "supportai-api"
    access_token_ttl_s: int = 900
    refresh_token_ttl_s: int = 30 * 24 * 3600
    # Fernet keys, newest first: the first encrypts, all decrypt (rotation).
    encryption_keys: tuple[str, ...]
    max_body_bytes: int = 1_048_576
    # Failed sign-ins counted per account *from one address*, so failures elsewhere
    # cannot lock the owner out, and per address; both in windows of `login_window_s`.
    login_attempts_per_account: int = 5
    login_attempts_per_ip: int = 20
    login_window_s: int = 300
    api_key_failures_per_ip: int = 20  # wrong X-API-Key values per address per login window
    signups_per_ip: int = 5  # per hour
    api_requests_per_key: int = 600  # per minute
    # Proxies (addresses or networks) whose X-Forwarded-For / -Proto are believed.
    trusted_proxies: tuple[str, ...] = ()
    # Lets tenants point integrations at private/loopback hosts (demo, tests only).
    allow_private_urls: bool = False
    public_base_url: str = "http://127.0.0.1:8000"
    telegram_api_base: str = "https://api.telegram.org"
    # The Telegram app the owners' userbots log in as (my.telegram.org); without it, bot only.
    telegram_api_id: int | None = None
    telegram_api_hash: str | None = None
    # The crypto gateways owners pay SupportAI through: Cryptomus or Heleket (one API) and
    # NOWPayments. With neither, billing is not enforced (plans renew as if paid) and buying
    # credits answers 503.
    payments_api_base: str = "https://api.heleket.com"
    payments_merchant: str | None = None
    payments_api_key: str | None = None
    nowpayments_api_base: str = "https://api.nowpayments.io"
    nowpayments_api_key: str | None = None
    nowpayments_ipn_secret: str | None = None
    # The SMTP server owner alerts are sent through (integrations/email.py); no host: no e-mail.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    smtp_from: str = "SupportAI <alerts@localhost>"
    log_level: str = "INFO"
    data_dir: str = "var"
    # Follow-up monitoring (tracking interval, follow-up window) runs this many times faster:
    # for the demo, whose simulated world runs fast. 1 in production.
    time_scale: float = 1.0
    # The built web app the API serves at `/`; None: the source tree's frontend/dist.
    web_dir: str | None = None

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        data_dir = Path(env.get("SUPPORTAI_DATA_DIR", "var"))
        values = {field: parse(env[name]) for field, (name, parse) in ENVIRONMENT.items() if env.get(name)}
        if "database_url" not in values:
            values["database_url"] = f"sqlite+aiosqlite:///{(data_dir / 'supportai.db').resolve()}"
        if "jwt_secret" not in values or "encryption_keys" not in values:
            dev = _DevSecrets(data_dir)
            values.setdefault("jwt_secret", dev.jwt_secret)
            values.setdefault("encryption_keys", (dev.encryption_key,))
        return cls(data_dir=str(data_dir), **values)


class _DevSecrets:
    """Secrets for a local install: generated once and kept in the data dir.

    Production sets SUPPORTAI_JWT_SECRET and SUPPORTAI_ENCRYPTION_KEYS; a laptop should
    not need to, yet restarting must not invalidate tokens or make stored secrets unreadable.
    """

    def __init__(self, data_dir: Path) -> None:
        path = data_dir / "dev-secrets.json"
        if path.exists():
            stored = msgspec.json.decode(path.read_bytes())
        else:
            stored = {
                "jwt_secret": secrets.token_urlsafe(48),
                "encryption_key": Fernet.generate_key().decode(),
            }
            data_dir.mkdir(parents=True, exist_ok=True)
            path.write_bytes(msgspec.json.encode(stored))
            path.chmod(0o600)
        self.jwt_secret: str = stored["jwt_secret"]
        self.encryption_key: str = stored["encryption_key"]


def _async_database_url(url: str) -> str:
    """Accept the usual `postgresql://` / `sqlite://` forms and pick the async drivers."""
    for plain, driver in (
        ("postgresql://", "postgresql+asyncpg://"),
        ("postgres://", "postgresql+asyncpg://"),
        ("sqlite://", "sqlite+aiosqlite://"),
    ):
        if url.startswith(plain):
            return driver + url[len(plain) :]
    return url


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def _networks(value: str) -> tuple[str, ...]:
    """Addresses or networks; a bad entry (or "*": trusting anyone) fails at start-up."""
    entries = _split(value)
    for entry in entries:
        ipaddress.ip_network(entry, strict=False)
    return entries


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


# Settings field -> (environment variable, parser). README.md documents each.
ENVIRONMENT: dict[str, tuple[str, Callable[[str], Any]]] = {
    "database_url": ("DATABASE_URL", _async_database_url),
    "redis_url": ("REDIS_URL", str),
    "jwt_secret": ("SUPPORTAI_JWT_SECRET", str),
    "encryption_keys": ("SUPPORTAI_ENCRYPTION_KEYS", _split),
    "access_token_ttl_s": ("SUPPORTAI_ACCESS_TOKEN_TTL", int),
    "refresh_token_ttl_s": ("SUPPORTAI_REFRESH_TOKEN_TTL", int),
    "max_body_bytes": ("SUPPORTAI_MAX_BODY_BYTES", int),
    "login_attempts_per_account": ("SUPPORTAI_LOGIN_ATTEMPTS_PER_ACCOUNT", int),
    "login_attempts_per_ip": ("SUPPORTAI_LOGIN_ATTEMPTS_PER_IP", int),
    "login_window_s": ("SUPPORTAI_LOGIN_WINDOW", int),
    "api_key_failures_per_ip": ("SUPPORTAI_API_KEY_FAILURES_PER_IP", int),
    "signups_per_ip": ("SUPPORTAI_SIGNUPS_PER_IP", int),
    "api_requests_per_key": ("SUPPORTAI_API_REQUESTS_PER_KEY", int),
    "trusted_proxies": ("FORWARDED_ALLOW_IPS", _networks),
    "allow_private_urls": ("SUPPORTAI_ALLOW_PRIVATE_URLS", _flag),
    "public_base_url": ("SUPPORTAI_PUBLIC_URL", lambda url: url.rstrip("/")),
    "telegram_api_base": ("SUPPORTAI_TELEGRAM_API", str),
    "telegram_api_id": ("SUPPORTAI_TELEGRAM_API_ID", int),
    "telegram_api_hash": ("SUPPORTAI_TELEGRAM_API_HASH", str),
    "payments_api_base": ("SUPPORTAI_PAYMENTS_API", lambda url: url.rstrip("/")),
    "payments_merchant": ("SUPPORTAI_PAYMENTS_MERCHANT", str),
    "payments_api_key": ("SUPPORTAI_PAYMENTS_API_KEY", str),
    "nowpayments_api_base": ("SUPPORTAI_NOWPAYMENTS_API", lambda url: url.rstrip("/")),
    "nowpayments_api_key": ("SUPPORTAI_NOWPAYMENTS_API_KEY", str),
    "nowpayments_ipn_secret": ("SUPPORTAI_NOWPAYMENTS_IPN_SECRET", str),
    "smtp_host": ("SUPPORTAI_SMTP_HOST", str),
    "smtp_port": ("SUPPORTAI_SMTP_PORT", int),
    "smtp_username": ("SUPPORTAI_SMTP_USERNAME", str),
    "smtp_password": ("SUPPORTAI_SMTP_PASSWORD", str),
    "smtp_starttls": ("SUPPORTAI_SMTP_STARTTLS", _flag),
    "smtp_from": ("SUPPORTAI_SMTP_FROM", str),
    "log_level": ("SUPPORTAI_LOG_LEVEL", str.upper),
    "web_dir": ("SUPPORTAI_WEB_DIR", str),
    "time_scale": ("SUPPORTAI_TIME_SCALE", float),
}
