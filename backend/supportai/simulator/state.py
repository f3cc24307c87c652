"""Shared state of one running simulator (world, fault settings, request log) and
the hook every protocol request passes through before its handler.

`Simulator.intercept` records the request, applies due world events, waits the
configured latency, and lets injected faults answer instead of the API: 502
HTML pages, truncated JSON, HTML pages with status 200.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import deque
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.di import NamedDependency
from litestar.enums import MediaType

from supportai.simulator.world import World


class SimulatorConfig(msgspec.Struct):
    latency_ms: int = 0  # added to every protocol request
    error_rate: float = 0.0  # share of protocol requests answered 502 with an HTML page
    fail_next: int = 0  # the next N protocol requests answer 502 with an HTML page
    malformed_next: int = 0  # the next N answer 200 with truncated JSON
    html_next: int = 0  # the next N answer 200 with an HTML page (a captcha wall)


class RecordedRequest(msgspec.Struct):
    method: str
    path: str
    action: str | None  # the SMM API `action`, None for the admin API
    params: dict[str, str]  # query string and form fields
    body: Any  # decoded JSON body, if any
    at: float  # real unix time the request arrived, before any injected latency


BAD_GATEWAY_PAGE = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)
CAPTCHA_PAGE = (
    "<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
    "<body>Checking your browser before accessing the panel.</body></html>"
)
TRUNCATED_JSON = '{"data": {"list": [{"id": 1, "user": "an'


class Simulator:
    """Shared state of one running simulator: the world, fault settings, request log."""

    def __init__(self, world: World, config: SimulatorConfig, log_size: int = 100_000) -> None:
        self.world = world
        self.config = config
        self._initial_config = msgspec.structs.replace(config)
        self.requests: deque[RecordedRequest] = deque(maxlen=log_size)
        self._fault_rng = random.Random(f"{world.recipe.seed}:faults")
        self._resets = 0

    def reset(self) -> None:
        self._resets += 1
        self.world.reset()
        self.config = msgspec.structs.replace(self._initial_config)
        self.requests.clear()
        self._fault_rng = random.Random(f"{self.world.recipe.seed}:faults")

    async def intercept(self, request: Request[Any, Any, Any]) -> Response[str] | None:
        """Runs before every protocol handler; an answer returned here replaces the API's."""
        arrived = time.time()
        params = dict(request.query_params)
        body: Any = None
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("application/x-www-form-urlencoded"):
            params.update(dict(await request.form()))
        elif raw := await request.body():
            body = _json_or_none(raw)
        self.requests.append(
            RecordedRequest(
                method=request.method,
                path=request.url.path,
                action=params.get("action"),
                params=params,
                body=body,
                at=arrived,
            )
        )
        self.world.settle()
        resets_before = self._resets
        if self.config.latency_ms > 0:
            await asyncio.sleep(self.config.latency_ms / 1000)
        if self._resets != resets_before:
            # Reset while this request waited: it must not touch the new world.
            return _page(BAD_GATEWAY_PAGE, 502)
        config = self.config
        if config.fail_next > 0:
            config.fail_next -= 1
            return _page(BAD_GATEWAY_PAGE, 502)
        if config.malformed_next > 0:
            config.malformed_next -= 1
            return Response(TRUNCATED_JSON, status_code=200, media_type=MediaType.JSON)
        if config.html_next > 0:
            config.html_next -= 1
            return _page(CAPTCHA_PAGE, 200)
        if config.error_rate > 0 and self._fault_rng.random() < config.error_rate:
            return _page(BAD_GATEWAY_PAGE, 502)
        return None


def _page(html: str, status: int) -> Response[str]:
    return Response(html, status_code=status, media_type=MediaType.HTML)


def _json_or_none(raw: bytes) -> Any:
    try:
        return msgspec.json.decode(raw)
    except msgspec.DecodeError:
        return None


async def intercept_protocol_request(request: Request[Any, Any, Any]) -> Response[str] | None:
    return await simulator_of(request).intercept(request)


def simulator_of(request: Request[Any, Any, Any]) -> Simulator:
    simulator: Simulator = request.app.state.simulator
    return simulator


# Handlers declare `sim: SimulatorDep` to receive the app's Simulator.
SimulatorDep = NamedDependency[Simulator]
