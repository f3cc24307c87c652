"""Reply templates: defaults, validation of tenant edits, rendering, combined replies."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from hypothesis import given

from supportai.engine.decisions import DecisionInput, Intent, OrderStatus, Outcome, decide
from supportai.engine.templates import (
    ALLOWED_PLACEHOLDERS,
    DEFAULT_TEMPLATES,
    Notice,
    TemplateError,
    format_duration,
    render,
    render_combined_reply,
    reply_facts,
    validate_template,
)

from ._strategies import decision_inputs
from ._support import T0, make_input, make_order, make_service


class TestDefaults:
    def test_every_template_key_has_a_default_and_the_other_way_round(self) -> None:
        assert set(DEFAULT_TEMPLATES) == set(ALLOWED_PLACEHOLDERS)

    def test_every_customer_facing_outcome_and_notice_has_a_template(self) -> None:
        # Over quota or lapsed nothing is sent to the customer (the owner is alerted instead).
        answered = set(Outcome) - {Outcome.QUOTA_EXCEEDED, Outcome.SUBSCRIPTION_LAPSED}

        assert answered | set(Notice) == set(DEFAULT_TEMPLATES)

    @pytest.mark.parametrize("key", sorted(DEFAULT_TEMPLATES))
    def test_every_default_template_is_valid(self, key: str) -> None:
        assert validate_template(key, DEFAULT_TEMPLATES[key]) == []


class TestValidation:
    def test_a_template_using_allowed_placeholders_is_valid(self) -> None:
        assert (
            validate_template("no_drop", "Order {order_id}: {current_count} of {expected_count}")
            == []
        )

    def test_doubled_braces_are_literal_text(self) -> None:
        assert validate_template("forward_refill", "{{order}} {orders}") == []

    def test_an_unknown_key_is_reported(self) -> None:
        assert validate_template("refill_maybe", "Hello") == ["unknown template key 'refill_maybe'"]

    def test_an_unknown_placeholder_is_reported_with_the_allowed_ones(self) -> None:
        assert validate_template("within_expected_time", "Wait {days}") == [
            "unknown placeholder {days} (allowed: {order_id}, {orders}, {wait})"
        ]

    def test_a_fact_of_another_template_is_not_allowed(self) -> None:
        # The drop is not always known (no count source), so replies cannot promise it.
        errors = validate_template("forward_refill", "Refilling {drop} for {orders}")

        assert errors == ["unknown placeholder {drop} (allowed: {order_id}, {orders})"]

    @pytest.mark.parametrize("text", ["Order {order_id", "Order order_id}", "{order_{id}}"])
    def test_malformed_braces_are_reported(self, text: str) -> None:
        (error,) = validate_template("forward_cancel", text)

        assert error.startswith("malformed braces:")

    @pytest.mark.parametrize("text", ["{}", "{0}", "{orders.__class__}", "{orders[0]}"])
    def test_positional_and_attribute_placeholders_are_unknown(self, text: str) -> None:
        (error,) = validate_template("forward_cancel", text)

        assert error.startswith("unknown placeholder")

    @pytest.mark.parametrize("text", ["{orders!r}", "{orders:>20}"])
    def test_format_options_are_rejected(self, text: str) -> None:
        assert validate_template("forward_cancel", text) == [
            "placeholder {orders} takes no format options"
        ]

    def test_every_problem_is_reported(self) -> None:
        assert len(validate_template("no_drop", "{a} {b} {orders:x}")) == 3


class TestRender:
    def test_placeholders_are_filled(self) -> None:
        facts = {"orders": "Order 7", "current_count": "2,000", "expected_count": "2,000"}

        text = render("no_drop", "{orders}: {current_count}/{expected_count} {{ok}}", facts)

        assert text == "Order 7: 2,000/2,000 {ok}"

    def test_a_missing_fact_is_an_error(self) -> None:
        with pytest.raises(TemplateError, match=re.escape("needs {wait}")):
            render("within_expected_time", "Wait {wait}", {})

    def test_an_invalid_template_is_not_rendered(self) -> None:
        with pytest.raises(TemplateError, match=re.escape("unknown placeholder {drop}")):
            render("forward_refill", "{drop}", {"drop": "5"})


class TestCombinedReply:
    def test_orders_with_the_same_reply_share_one_paragraph(self) -> None:
        reply = render_combined_reply(
            [("forward_refill", "1", {}), ("forward_refill", "2", {}), ("forward_refill", "3", {})],
            {"forward_refill": "{orders}: refill requested."},
        )

        assert reply == "Orders 1, 2 and 3: refill requested."

    def test_a_single_order_reads_in_the_singular(self) -> None:
        reply = render_combined_reply(
            [("order_not_found", "42", {})], {"order_not_found": "{orders} ({order_id}) not found."}
        )

        assert reply == "Order 42 (42) not found."

    def test_different_outcomes_get_paragraphs_in_order_of_first_appearance(self) -> None:
        templates = {
            "forward_refill": "{orders}: refill.",
            "already_canceled": "{orders}: canceled.",
        }

        reply = render_combined_reply(
            [
                ("forward_refill", "1", {}),
                ("already_canceled", "2", {}),
                ("forward_refill", "3", {}),
            ],
            templates,
        )

        assert reply == "Orders 1 and 3: refill.\n\nOrder 2: canceled."

    def test_orders_whose_facts_differ_are_answered_separately(self) -> None:
        templates = {"within_expected_time": "{orders}: wait {wait}."}

        reply = render_combined_reply(
            [
                ("within_expected_time", "1", {"wait": "1 hour"}),
                ("within_expected_time", "2", {"wait": "2 hours"}),
                ("within_expected_time", "3", {"wait": "1 hour"}),
            ],
            templates,
        )

        assert reply == "Orders 1 and 3: wait 1 hour.\n\nOrder 2: wait 2 hours."

    def test_facts_the_template_does_not_use_do_not_split_a_group(self) -> None:
        reply = render_combined_reply(
            [
                ("no_drop", "1", {"current_count": "5", "expected_count": "5"}),
                ("no_drop", "2", {"current_count": "9", "expected_count": "9"}),
            ],
            {"no_drop": "{orders}: no drop."},
        )

        assert reply == "Orders 1 and 2: no drop."

    def test_a_message_level_reply_is_sent_once(self) -> None:
        reply = render_combined_reply(
            [("escalate", None, {}), ("forward_cancel", "8", {}), ("escalate", None, {})]
        )

        assert reply == "\n\n".join(
            [
                DEFAULT_TEMPLATES[Outcome.ESCALATE],
                "Order 8: we have asked the provider to cancel it and will let you know "
                "once it is canceled.",
            ]
        )

    def test_an_order_named_twice_is_listed_once(self) -> None:
        reply = render_combined_reply(
            [("forward_refill", "5", {}), ("forward_refill", "5", {})],
            {"forward_refill": "{orders}."},
        )

        assert reply == "Order 5."

    def test_a_key_without_a_template_is_an_error(self) -> None:
        with pytest.raises(TemplateError, match="no template for 'quota_exceeded'"):
            render_combined_reply([("quota_exceeded", "1", {})])

    def test_a_broken_tenant_template_is_an_error(self) -> None:
        with pytest.raises(TemplateError, match="malformed braces"):
            render_combined_reply([("forward_refill", "1", {})], {"forward_refill": "{orders"})


@given(decision_inputs())
def test_every_decision_renders_with_the_default_templates(case: DecisionInput) -> None:
    decision = decide(case)

    reply = render_combined_reply([(decision.outcome, "123", reply_facts(decision))])

    assert reply
    assert "{" not in reply


def test_a_reply_to_wait_says_how_long() -> None:
    decision = decide(
        make_input(
            Intent.SPEED_UP,
            now=T0 + timedelta(hours=1, minutes=30),
            service=make_service(speed_up_after_hours=6),
            order=make_order(status=OrderStatus.PROCESSING, remains=500),
        )
    )

    reply = render_combined_reply([(decision.outcome, "9", reply_facts(decision))])

    assert reply == (
        "Order 9: still within its normal delivery time. Please allow 4 hours 30 minutes "
        "more; if it has not moved by then, write to us again."
    )


def test_a_no_drop_reply_shows_the_counts() -> None:
    decision = decide(make_input(order=make_order(start_count=250_000, current_count=250_995)))

    reply = render_combined_reply([(decision.outcome, "9", reply_facts(decision))])

    assert "the current count is 250,995, as expected (251,000)" in reply


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (1, "1 minute"),
        (60, "1 minute"),
        (61, "2 minutes"),
        (3_599, "1 hour"),
        (3_601, "1 hour 1 minute"),
        (16_200, "4 hours 30 minutes"),
        (86_400, "1 day"),
        (86_401, "1 day 1 hour"),
        (2 * 86_400 + 3 * 3_600, "2 days 3 hours"),
    ],
)
def test_durations_read_naturally_and_round_up(seconds: int, text: str) -> None:
    assert format_duration(seconds) == text
