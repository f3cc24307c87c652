"""NOWPayments' IPN signature against the test vector in spec/integrations.md §4."""

from __future__ import annotations

import json
from decimal import Decimal

import httpx
import pytest

from supportai.integrations.nowpayments import (
    NowPaymentsGateway,
    ipn_signature,
    js_number,
    verify_ipn,
)
from supportai.integrations.payments import InvalidNotice

SECRET = "test-ipn-secret"
BODY = (b'{"payment_id":5077125051,"payment_status":"finished","pay_address":"bc1qexampleaddress",'
        b'"price_amount":25.5,"price_currency":"usd","pay_amount":0.00029,"actually_paid":0.00029,'
        b'"pay_currency":"btc","order_id":"order-42","order_description":null,"purchase_id":"5234123456",'
        b'"outcome_amount":25.5,"outcome_currency":"usd","created_at":"2025-01-15T10:30:00.000Z",'
        b'"updated_at":"2025-01-15T10:35:00.000Z"}')
VECTOR = ("5db9651cfdbadfa487591bd840662263b78b459f77833423def94135c836e155"
          "a69ffcc6a0908b78d479d90d23eaa11ba3bd9aa41d98fdbd371fcdb7fbc4df49")


def gateway() -> NowPaymentsGateway:
    return NowPaymentsGateway(httpx.AsyncClient(), base_url="https://api.nowpayments.io", api_key="k",
                              ipn_secret=SECRET)


def test_the_vector():
    assert ipn_signature(json.loads(BODY), SECRET) == VECTOR
    assert verify_ipn(BODY, VECTOR, SECRET) is not None
    # The body as sent, pretty-printed in another key order, still verifies: it is re-encoded.
    assert verify_ipn(json.dumps(json.loads(BODY), indent=2).encode(), VECTOR, SECRET) is not None


def test_forged_or_missing_signatures_do_not_verify():
    assert verify_ipn(BODY, None, SECRET) is None
    assert verify_ipn(BODY, "0" * 128, SECRET) is None
    assert verify_ipn(BODY.replace(b"finished", b"failed"), VECTOR, SECRET) is None
    assert verify_ipn(BODY, VECTOR, "another-secret") is None


def test_numbers_are_written_as_javascript_writes_them():
    assert [js_number(x) for x in (25.5, 0.00029, 1e-7, 25.0, 0.000001, 1e21, 123456789.125)] == [
        "25.5", "0.00029", "1e-7", "25", "0.000001", "1e+21", "123456789.125"]


def test_the_gateway_reads_a_finished_notice_as_paid():
    notice = gateway().verify(BODY, {"x-nowpayments-sig": VECTOR})
    assert notice is not None
    assert (notice.order_id, notice.status, notice.state, notice.amount, notice.currency) == (
        "order-42", "finished", "paid", Decimal("25.5"), "USD")


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity", "lots", True, None])
def test_unreadable_amounts_are_refused(amount):
    fields = {**json.loads(BODY), "price_amount": amount}
    with pytest.raises(InvalidNotice):
        gateway().verify(json.dumps(fields).encode(), {"x-nowpayments-sig": ipn_signature(fields, SECRET)})
