"""The composition root: the one place that builds the shared resources.

The API (app lifespan) and the worker (arq startup) both open a `Runtime`, so jobs and
handlers use the same database, Redis, HTTP client, queue, secret box and client factory
(the adapters for panels, providers and payment gateways, `integrations/clients.py`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import httpx
from arq.connections import ArqRedis
from redis.asyncio import Redis

from supportai.config import Settings
from supportai.db.database import Database
from supportai.integrations.clients import ClientFactory, HttpClients
from supportai.integrations.origin_pools import PerOriginTransport
from supportai.integrations.urls import outbound_transport
from supportai.queues import SESSION_QUEUE_KEY
from supportai.security import AccessTokens, SecretBox


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    db: Database
    redis: Redis
    queue: ArqRedis
    http: httpx.AsyncClient
    secrets: SecretBox
    access_tokens: AccessTokens
    clients: ClientFactory
    # Write batchers shared by this process's callers, by name (see supportai.db.batching).
    group_commits: dict[str, Any] = field(default_factory=dict)


@asynccontextmanager
async def open_runtime(settings: Settings) -> AsyncIterator[Runtime]:
    db = Database(settings.database_url)
    redis = Redis.from_url(settings.redis_url, decode_responses=True)
    # Lazy clients: the API starts (and /health reports it) even while Redis is down.
    queue = ArqRedis.from_url(settings.redis_url)
    db.session_info[SESSION_QUEUE_KEY] = queue  # for jobs queued after a commit (domain/webhooks)
    # Only tenants' URLs are called through it: internal addresses are refused on connect.
    http = httpx.AsyncClient(
        timeout=httpx.Timeout(10.0, connect=5.0),
        transport=PerOriginTransport(partial(
            outbound_transport, httpx.Limits(max_connections=20, max_keepalive_connections=4),
            allow_private=settings.allow_private_urls, ssl_context=httpx.create_ssl_context(),
        )),
        headers={"User-Agent": "SupportAI/0.1"},
    )
    try:
        yield Runtime(
            settings=settings,
            db=db,
            redis=redis,
            queue=queue,
            http=http,
            secrets=SecretBox(settings.encryption_keys),
            access_tokens=AccessTokens(
                settings.jwt_secret,
                settings.jwt_issuer,
                settings.jwt_audience,
                settings.access_token_ttl_s,
            ),
            clients=HttpClients(http, redis, settings),
        )
    finally:
        await http.aclose()
        await queue.aclose()
        await redis.aclose()
        await db.dispose()
