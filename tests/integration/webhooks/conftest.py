"""A local receiver of outbound webhooks, and the simulator-wired tenant of the pipeline tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from litestar import Litestar, Request, Response, post
from litestar.params import FromPath

from supportai.simulator.server import serve_in_thread
from tests.integration.pipeline.conftest import stack  # noqa: F401  (the pipeline's tenant, reused)


@dataclass
class Received:
    body: str
    headers: dict[str, str]


@dataclass
class Receiver:
    """Answers POST /hooks/{name} with the status set for that name (200 unless told), and
    keeps every request: tests use a name each, so they do not see one another's calls."""

    base_url: str = ""
    statuses: dict[str, int] = field(default_factory=dict)
    calls: dict[str, list[Received]] = field(default_factory=dict)

    def url(self, name: str) -> str:
        return f"{self.base_url}/hooks/{name}"

    def app(self) -> Litestar:
        @post("/hooks/{name:str}", status_code=200)
        async def hook(name: FromPath[str], request: Request) -> Response[str]:
            body = (await request.body()).decode()
            self.calls.setdefault(name, []).append(Received(body, dict(request.headers)))
            return Response("thanks" if self.statuses.get(name, 200) < 400 else "broken",
                            status_code=self.statuses.get(name, 200))

        return Litestar([hook], openapi_config=None)


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    with serve_in_thread(receiver.app()) as base_url:
        receiver.base_url = base_url
        yield receiver
