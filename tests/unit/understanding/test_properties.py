"""Properties that hold for any text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from supportai.engine.understanding import (
    MAX_ORDERS_PER_MESSAGE,
    analyse_provider_reply,
    understand,
)
from supportai.engine.understanding.fuzzy import within_one_edit
from supportai.engine.understanding.text import normalise

INTENTS = {"refill", "cancel", "speed_up", "other"}
texts = st.text(max_size=300) | st.lists(
    st.sampled_from(
        [
            "refill",
            "cancel",
            "order",
            "5531907",
            "1000",
            "#",
            "не",
            "заказ",
            "?",
            ",",
            "\n",
            "$",
            "%",
            "10k",
            "14:30",
            "٥٥٣١٩٠٧",
            "📉",
            "|",
            "speed up",
        ]
    ),
    max_size=40,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_understanding_is_well_formed_and_deterministic(text: str) -> None:
    result = understand(text)
    assert result == understand(text)
    assert result.intent in INTENTS
    assert 0.0 <= result.confidence <= 1.0
    assert len(result.orders) <= MAX_ORDERS_PER_MESSAGE
    assert len(set(result.order_ids)) == len(result.order_ids)
    digit_runs = set(re.findall(r"\d+", normalise(text)))
    for order in result.orders:
        assert order.id.isascii() and order.id.isdigit() and order.id in digit_runs
        assert order.intent in INTENTS


@settings(max_examples=200, deadline=None)
@given(texts)
def test_provider_replies_are_well_formed(text: str) -> None:
    reply = analyse_provider_reply(text)
    assert reply.label in {"confirm", "decline", "ambiguous"}
    assert all(order_id.isdigit() for order_id in reply.order_ids)


@given(st.text(alphabet="abcde", min_size=1, max_size=8), st.integers(min_value=0, max_value=8))
def test_one_deletion_is_within_one_edit(word: str, position: int) -> None:
    position %= len(word)
    assert within_one_edit(word, word[:position] + word[position + 1 :])


def test_two_edits_are_not_within_one_edit() -> None:
    assert within_one_edit("cancel", "cancle")  # a swap of neighbours is one edit
    assert not within_one_edit("cancel", "cnacle")
    assert not within_one_edit("refill", "ref")
