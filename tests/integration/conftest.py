"""Fixtures shared by the integration tests of more than one module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from supportai.simulator.server import serve_in_thread
from tests.integration.llm_standin import ChatCompletionsStandIn


@pytest.fixture(scope="module")
def stand_in() -> Iterator[tuple[ChatCompletionsStandIn, str]]:
    """A tenant's LLM endpoint (OpenAI chat completions), one per test module."""
    app = ChatCompletionsStandIn()
    with serve_in_thread(app) as base_url:
        yield app, base_url
