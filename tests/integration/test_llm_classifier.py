"""The optional LLM path against a local stand-in of an OpenAI-compatible endpoint.

The stand-in is a real HTTP server (uvicorn, own thread); each test sets what it answers.
Whatever goes wrong (garbage, invalid answers, errors, a slow server) the classifier must
return the offline reading, and within the configured timeout.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from supportai.engine.understanding import OrderIntent, Understanding, understand
from supportai.integrations.llm import (
    LLM_ANSWER_CONFIDENCE,
    LLMConfig,
    classify_with_llm,
    needs_llm,
)
from tests.integration.llm_standin import ChatCompletionsStandIn

MESSAGE = "about 4410293, the client changed his mind maybe, not sure what to do"
API_KEY = "sk-test-key"


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as http_client:
        yield http_client


@pytest.fixture
def offline() -> Understanding:
    reading = understand(MESSAGE)
    assert needs_llm(reading), "the example must be one the offline classifier is unsure about"
    return reading


def _config(base_url: str, timeout_s: float = 5.0) -> LLMConfig:
    return LLMConfig(url=f"{base_url}/v1", model="test-model", api_key=API_KEY, timeout_s=timeout_s)


async def test_a_valid_answer_replaces_the_offline_reading(
    stand_in: tuple[ChatCompletionsStandIn, str], client: httpx.AsyncClient, offline: Understanding
) -> None:
    app, base_url = stand_in
    app.answer_with(
        json.dumps({"intent": "cancel", "orders": [{"id": "4410293", "intent": "cancel"}]})
    )

    result = await classify_with_llm(MESSAGE, offline, _config(base_url), client)

    assert result.intent == "cancel"
    assert result.orders == (OrderIntent("4410293", "cancel"),)
    assert result.confidence == LLM_ANSWER_CONFIDENCE
    assert result.lang == offline.lang
    request = app.requests[-1]
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["authorization"] == f"Bearer {API_KEY}"
    assert request["body"]["model"] == "test-model"
    schema_format = request["body"]["response_format"]
    assert schema_format["type"] == "json_schema"
    assert schema_format["json_schema"]["schema"]["required"] == ["intent", "orders"]
    assert MESSAGE in request["body"]["messages"][-1]["content"]


@pytest.mark.parametrize(
    "content",
    [
        "Sure! The customer wants a refund for 4410293.",  # prose, not JSON
        json.dumps({"intent": "refund", "orders": []}),  # intent outside the set
        json.dumps({"intent": "cancel"}),  # required field missing
        json.dumps(
            {
                "intent": "cancel",
                "orders": [{"id": "4410293", "intent": "cancel"}],
                "reason": "extra field",
            }
        ),
        json.dumps({"intent": "cancel", "orders": [{"id": "9999999", "intent": "cancel"}]}),
    ],
    ids=["prose", "unknown-intent", "missing-field", "extra-field", "invented-order-id"],
)
async def test_garbage_or_invalid_output_falls_back_to_offline(
    stand_in: tuple[ChatCompletionsStandIn, str],
    client: httpx.AsyncClient,
    offline: Understanding,
    content: str,
) -> None:
    app, base_url = stand_in
    app.answer_with(content)

    assert await classify_with_llm(MESSAGE, offline, _config(base_url), client) == offline


async def test_an_http_error_falls_back_to_offline(
    stand_in: tuple[ChatCompletionsStandIn, str], client: httpx.AsyncClient, offline: Understanding
) -> None:
    app, base_url = stand_in
    app.answer_with(json.dumps({"intent": "cancel", "orders": []}), status=500)

    assert await classify_with_llm(MESSAGE, offline, _config(base_url), client) == offline


async def test_a_slow_endpoint_falls_back_to_offline_within_the_timeout(
    stand_in: tuple[ChatCompletionsStandIn, str], client: httpx.AsyncClient, offline: Understanding
) -> None:
    app, base_url = stand_in
    app.answer_with(json.dumps({"intent": "cancel", "orders": []}), delay_s=3.0)

    started = time.monotonic()
    result = await classify_with_llm(MESSAGE, offline, _config(base_url, timeout_s=0.3), client)

    assert result == offline
    assert time.monotonic() - started < 2.0


async def test_an_unreachable_endpoint_falls_back_to_offline(
    client: httpx.AsyncClient, offline: Understanding
) -> None:
    config = LLMConfig(url="http://127.0.0.1:9/v1", model="m", api_key=API_KEY, timeout_s=1.0)

    assert await classify_with_llm(MESSAGE, offline, config, client) == offline


def test_only_unsure_readings_go_to_the_llm() -> None:
    sure = Understanding("refill", 0.9, "en")
    unsure = Understanding("other", 0.5, "en", unsure=True)
    too_many = Understanding("refill", 0.1, "en", too_many_orders=True)

    assert not needs_llm(sure)
    assert needs_llm(unsure)
    assert not needs_llm(too_many)  # answered with a clear message, whatever the LLM says


def test_the_api_key_is_not_in_the_config_repr() -> None:
    assert API_KEY not in repr(LLMConfig(url="http://x/v1", model="m", api_key=API_KEY))
