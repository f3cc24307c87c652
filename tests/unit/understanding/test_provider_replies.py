"""Provider replies: confirm, decline or ambiguous, with the order IDs they mention."""

from __future__ import annotations

import pytest

from supportai.engine.understanding import analyse_provider_reply

CASES = [
    ("refill started for 5531907 ✅", "confirm", ["5531907"]),
    ("48213, 48214 refill started ✅", "confirm", ["48213", "48214"]),
    ("cancelled 7720193, refunded to balance", "confirm", ["7720193"]),
    ("ok will do", "confirm", []),
    ("this service has no refill", "decline", []),
    ("can't speed up, server overloaded", "decline", []),
    ("order is already completed, cannot cancel", "decline", []),
    ("refill not possible, drop is under 10%", "decline", []),
    ("sorry sir 1193380 is a non-refill service, nothing can be done", "decline", ["1193380"]),
    ("we will check and get back to you", "ambiguous", []),
    ("Which id? 551200 or 551201?", "ambiguous", ["551200", "551201"]),
    ("not done yet, will update", "ambiguous", []),
    ("thanks bro 🙏", "ambiguous", []),
    ("Good morning sir", "ambiguous", []),
    ("Рефилл по 7720193 запущен", "confirm", ["7720193"]),
    ("Отмена невозможна, заказ уже выполнен", "decline", []),
    ("Уточните номер заказа", "ambiguous", []),
    ("ریفیل ۷۷۲۰۱۹۳ انجام شد", "confirm", ["7720193"]),
    ("هذه الخدمة بدون تعويض", "decline", []),
    ("لا يمكن إلغاء الطلب، بدأ التنفيذ", "decline", []),
    ("ارسل رابط الطلب", "ambiguous", []),
    ("refill ho gaya bhai 5531907", "confirm", ["5531907"]),
    ("kaunsa order?", "ambiguous", []),
    ("Tidak bisa cancel kak, orderan sudah jalan", "decline", []),
    ("Sipariş 5531907 iptal edildi, iade yapıldı", "confirm", ["5531907"]),
    ("bu serviste telafi yok hocam", "decline", []),
    ("Não é possível cancelar, já foi concluído", "decline", []),
    ("Listo, ya se hizo el refill del pedido 5531907", "confirm", ["5531907"]),
    ("C'est fait pour la commande 5531907", "confirm", ["5531907"]),
    ("已补 5531907", "confirm", ["5531907"]),
    ("这个服务不能取消", "decline", []),
    ("リフィルを開始しました 5531907", "confirm", ["5531907"]),
    ("이 서비스는 취소 불가합니다", "decline", []),
    ("บริการนี้ยกเลิกไม่ได้ครับ", "decline", []),
    ("Huduma hii haiwezi kughairiwa", "decline", []),
    ("Stornierung nicht möglich", "decline", []),
    ("Zamówienie 5531907 anulowane", "confirm", ["5531907"]),
]


@pytest.mark.parametrize(("text", "label", "order_ids"), CASES)
def test_provider_reply(text: str, label: str, order_ids: list[str]) -> None:
    reply = analyse_provider_reply(text)
    assert (reply.label, list(reply.order_ids)) == (label, order_ids)


def test_a_refusal_beside_a_started_order_is_never_read_as_a_confirmation() -> None:
    # "Cancel won't happen, it has started": the model may leave it to a person
    # (ambiguous), but "started" must not turn the refusal into a confirmation.
    reply = analyse_provider_reply("cancel nahi hoga, 2239102 start ho chuka hai")
    assert reply.label in ("decline", "ambiguous")
    assert list(reply.order_ids) == ["2239102"]
