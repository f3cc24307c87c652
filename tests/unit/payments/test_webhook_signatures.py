"""The gateway's signature scheme, against the test vectors in spec/integrations.md."""

from __future__ import annotations

from decimal import Decimal

import httpx

from supportai.integrations.payments import CryptomusGateway, sign, verify_webhook

KEY = "webhook-secret"
BODY = rb'{"type":"payment","uuid":"u1","status":"paid","url":"https:\/\/pay.heleket.com\/pay\/abc"}'
REENCODED = b'{"type":"payment","uuid":"u1","status":"paid","url":"https://pay.heleket.com/pay/abc"}'


def with_sign(body: bytes, signature: str) -> bytes:
    return body[:-1] + b',"sign":"' + signature.encode() + b'"}'


def test_the_published_vector():
    assert sign(BODY, KEY) == "bdf7e32a86759ab3fea2e56efa67d178"
    assert sign(REENCODED, KEY) == "f31533eec6d55d8e9506b7e30b1545e2"


def test_a_webhook_verifies_on_its_raw_bytes_escapes_included():
    fields = verify_webhook(with_sign(BODY, "bdf7e32a86759ab3fea2e56efa67d178"), KEY)
    assert fields is not None and fields["url"] == "https://pay.heleket.com/pay/abc"


def test_a_webhook_re_encoded_without_the_escapes_does_not_verify():
    assert verify_webhook(with_sign(REENCODED, "bdf7e32a86759ab3fea2e56efa67d178"), KEY) is None
    assert verify_webhook(with_sign(BODY, "f31533eec6d55d8e9506b7e30b1545e2"), KEY) is None


def test_forged_missing_or_wrong_key_signatures_do_not_verify():
    assert verify_webhook(BODY, KEY) is None  # no sign at all
    assert verify_webhook(with_sign(BODY, "0" * 32), KEY) is None
    assert verify_webhook(with_sign(BODY, "bdf7e32a86759ab3fea2e56efa67d178"), "another-key") is None
    tampered = with_sign(BODY.replace(b'"paid"', b'"paid_over"'), "bdf7e32a86759ab3fea2e56efa67d178")
    assert verify_webhook(tampered, KEY) is None


def test_the_sign_field_may_stand_first():
    body = b'{"uuid":"u2","status":"paid"}'
    first = b'{"sign":"' + sign(body, KEY).encode() + b'",' + body[1:]
    assert verify_webhook(first, KEY) == {"sign": sign(body, KEY), "uuid": "u2", "status": "paid"}


def test_the_gateway_reads_the_fields_it_acts_on():
    gateway = CryptomusGateway(httpx.AsyncClient(), base_url="https://api.heleket.com", merchant="m", api_key=KEY)
    body = (b'{"type":"payment","uuid":"u9","order_id":"p-1","amount":"9.00","currency":"USD",'
            b'"status":"paid","is_final":true}')
    notice = gateway.verify(with_sign(body, sign(body, KEY)), {})
    assert notice is not None
    assert (notice.uuid, notice.order_id, notice.status, notice.amount, notice.state) == (
        "u9", "p-1", "paid", Decimal("9.00"), "paid")
    assert gateway.verify(with_sign(body, "0" * 32), {}) is None
