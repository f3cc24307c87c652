"""The simulator as one ASGI app: the panel's admin API v2 (`/adminapi/v2/...`),
the panel's user API v2 (`/api/v2`, for `action=services`), one SMM API v2 per
provider (`/providers/{name}/api/v2`) and the control endpoints (`/_sim/...`,
see `control.py`) that tests and demos use to steer the world.

Protocol requests pass through `Simulator.intercept` (state.py) first: request
log, latency and fault injection. Control endpoints skip it.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar, Request, Response
from litestar.di import Provide

from supportai.simulator.control import SimulatorControl
from supportai.simulator.panel_api import admin_api_router
from supportai.simulator.smm_api import smm_api_router
from supportai.simulator.state import Simulator, SimulatorConfig
from supportai.simulator.world import SimRefusal, World


def create_simulator_app(world: World, latency_ms: int = 0, error_rate: float = 0.0) -> Litestar:
    simulator = Simulator(world, SimulatorConfig(latency_ms=latency_ms, error_rate=error_rate))
    app = Litestar(
        route_handlers=[admin_api_router, smm_api_router, SimulatorControl],
        dependencies={"sim": Provide(lambda: simulator, sync_to_thread=False)},
        exception_handlers={SimRefusal: _refusal_as_json},
        openapi_config=None,
        # Litestar's default logging setup reconfigures the root logger; the simulator
        # runs inside tests and demos that own their logging.
        logging_config=None,
    )
    app.state.simulator = simulator
    return app


def _refusal_as_json(_: Request[Any, Any, Any], exc: SimRefusal) -> Response[dict[str, str]]:
    return Response({"error": exc.message}, status_code=400)
