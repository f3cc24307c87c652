"""Replies in the customer's language: a panel ticket goes through the whole pipeline and
the reply on the ticket is read, with the tenant's switch on and off."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from supportai.domain.dispatch.customer import tell_customer
from supportai.domain.requests.models import SupportRequest
from supportai.domain.support.tracking import track_requests
from supportai.engine import locales
from supportai.engine.decisions import Outcome
from supportai.engine.templates import DEFAULT_TEMPLATES, Notice
from supportai.runtime import open_runtime

# {id} is replaced by the order's id; each asks to refill an order whose count dropped.
REFILL_ASKS = {
    "ar": "الرجاء إعادة تعبئة الطلب {id} المتابعين نقصوا",
    "ru": "Пополните заказ {id}, пожалуйста, подписчики упали",
    "ja": "注文{id}のフォロワーが減りました。補充してください",
    "und": "#{id} ???",  # no letters: no language, so to staff (escalated) with the acknowledgement
    "en": "refill {id} please, followers dropped",
}


async def _switch(stack, on: bool) -> None:
    response = await stack.client.patch(
        "/api/tenant/settings", json={"reply_in_customer_language": on}, headers=stack.account.headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["reply_in_customer_language"] is on


async def _reply_to(stack, lang: str) -> tuple[str, str]:
    """(the reply on the ticket, the order id) for the refill ask in `lang`."""
    reply, order, _ = await _ask(stack, lang)
    return reply, str(order.id)


async def _ask(stack, lang: str):
    order = stack.order(current_count=1100)
    ticket = stack.ticket(REFILL_ASKS[lang].format(id=order.id))
    await stack.run_jobs()
    [reply] = stack.staff_replies(ticket)
    return reply, order, ticket


def _built_in(code: str, order_id: str, key: str = Outcome.FORWARD_REFILL) -> str:
    locale = locales.resolve(code)
    return locale.templates[key].replace("{orders}", f"{locale.words.order} {order_id}")


ENGLISH_REFILL = "Order {id}: we have asked the provider for a refill and will let you know when it is done."


@pytest.mark.parametrize("lang", ["ar", "ru", "ja"])
async def test_the_reply_is_in_the_customers_language_when_the_switch_is_on(stack, lang):
    await _switch(stack, True)
    reply, order_id = await _reply_to(stack, lang)
    assert reply == _built_in(lang, order_id)
    assert locales.resolve(lang).code == lang  # a real translation, not the English fallback
    assert "provider" not in reply


@pytest.mark.parametrize("on", [True, False])
async def test_a_later_notice_is_in_the_language_of_the_reply(stack, on):
    await _switch(stack, on)
    _, order, ticket = await _ask(stack, "ru")
    [request] = await stack.requests_for(order)
    async with open_runtime(stack.settings) as runtime:
        await tell_customer(runtime, uuid.UUID(stack.account.tenant_id), [uuid.UUID(request["id"])],
                            Notice.PROVIDER_DECLINED)
    notice = stack.staff_replies(ticket)[1]
    expected = _built_in("ru", str(order.id), Notice.PROVIDER_DECLINED) if on else (
        f"Order {order.id}: the provider could not carry out your request. Our team has been told and will "
        "contact you."
    )
    assert notice == expected


async def test_tracking_tells_a_refill_done_in_the_language_of_the_reply(stack):
    await _switch(stack, True)
    _, order, ticket = await _ask(stack, "ar")
    async with stack.tenant_session() as session:
        request = await session.scalar(sa.select(SupportRequest).where(SupportRequest.order_id == str(order.id)))
    stack.world.orders[order.id].delivery.current_count = 1500  # the drop is made good
    async with open_runtime(stack.settings) as runtime:
        run = await track_requests(runtime, uuid.UUID(stack.account.tenant_id), now=request.next_check_at)
    assert run.resolved == 1
    assert stack.staff_replies(ticket)[-1] == _built_in("ar", str(order.id), Notice.REFILL_DONE)


async def test_an_arabic_reply_is_right_to_left_text(stack):
    await _switch(stack, True)
    reply, _ = await _reply_to(stack, "ar")
    letters = [ch for ch in reply if ch.isalpha()]
    assert sum("\u0600" <= ch <= "\u06ff" for ch in letters) > len(letters) / 2
    languages = (await stack.client.get("/api/templates/languages", headers=stack.account.headers)).json()
    [arabic] = [lang for lang in languages if lang["code"] == "ar"]
    assert arabic["direction"] == "rtl"


async def test_a_message_without_a_language_gets_english(stack):
    await _switch(stack, True)
    reply, _ = await _reply_to(stack, "und")
    assert reply == DEFAULT_TEMPLATES[Outcome.ESCALATE]


async def test_english_stays_english_when_the_switch_is_on(stack):
    await _switch(stack, True)
    reply, order_id = await _reply_to(stack, "en")
    assert reply == ENGLISH_REFILL.format(id=order_id)


async def test_with_the_switch_off_every_customer_gets_english(stack):
    await _switch(stack, False)
    reply, order_id = await _reply_to(stack, "ru")
    assert reply == ENGLISH_REFILL.format(id=order_id)


async def test_the_owners_edit_in_a_language_wins_over_the_built_in_one(stack):
    headers = stack.account.headers
    await _switch(stack, True)
    edited = await stack.client.put(
        "/api/templates/forward_refill", params={"language": "ru"},
        json={"text": "{orders}: передали поставщику, ждите."}, headers=headers,
    )
    assert edited.status_code == 200, edited.text
    english_edit = await stack.client.put(
        "/api/templates/forward_refill", json={"text": "{orders}: handed to the provider."}, headers=headers
    )
    assert english_edit.status_code == 200
    try:
        russian, order_id = await _reply_to(stack, "ru")
        assert russian == f"{locales.resolve('ru').words.order} {order_id}: передали поставщику, ждите."
        # Japanese has no owner edit: its translation beats the owner's English edit.
        japanese, order_id = await _reply_to(stack, "ja")
        assert japanese == _built_in("ja", order_id)
        await _switch(stack, False)
        english, order_id = await _reply_to(stack, "ru")
        assert english == f"Order {order_id}: handed to the provider."
        listed = await stack.client.get("/api/templates/languages", headers=headers)
        edited_counts = {lang["code"]: lang["edited"] for lang in listed.json()}
        assert (edited_counts["ru"], edited_counts["en"], edited_counts["ja"]) == (1, 1, 0)
    finally:
        for params in ({"language": "ru"}, {}):
            reset = await stack.client.delete("/api/templates/forward_refill", params=params, headers=headers)
            assert reset.status_code == 204


async def test_templates_api_per_language(stack):
    headers = stack.account.headers
    listed = await stack.client.get("/api/templates", params={"language": "ja"}, headers=headers)
    assert listed.status_code == 200
    by_key = {t["key"]: t for t in listed.json()}
    ja = locales.resolve("ja")
    assert by_key["forward_refill"]["text"] == ja.templates["forward_refill"]
    assert (by_key["forward_refill"]["language"], by_key["forward_refill"]["is_custom"]) == ("ja", False)
    preview = await stack.client.post(
        "/api/templates/within_expected_time/preview", params={"language": "ja"}, json={}, headers=headers
    )
    assert preview.status_code == 200
    rendered = preview.json()["rendered"]
    assert f"{ja.words.order} 48213" in rendered and f"2 {ja.words.hour[1]} 15 {ja.words.minute[1]}" in rendered
    english = await stack.client.post("/api/templates/within_expected_time/preview", json={}, headers=headers)
    assert english.json()["rendered"] == (
        "Order 48213: still within its normal delivery time. Please allow 2 hours 15 minutes more; "
        "if it has not moved by then, write to us again."
    )
    for method, path in (("get", "/api/templates"), ("put", "/api/templates/forward_refill"),
                         ("delete", "/api/templates/forward_refill"), ("post", "/api/templates/escalate/preview")):
        kwargs = {"json": {"text": "{orders}"}} if method in ("put", "post") else {}
        response = await getattr(stack.client, method)(path, params={"language": "sq"}, headers=headers, **kwargs)
        assert response.status_code == 400, (method, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert "sq" in response.json()["detail"]
