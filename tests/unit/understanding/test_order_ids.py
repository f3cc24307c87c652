"""Order-ID extraction: every order ID, in order, de-duplicated; nothing else."""

from __future__ import annotations

import pytest

from supportai.engine.understanding import MAX_ORDERS_PER_MESSAGE, understand
from supportai.engine.understanding.classifier import LinearModel, ModelFile
from supportai.engine.understanding.numerals import NUMBER_LABELS, numbers_read_by


def ids(text: str) -> list[str]:
    return list(understand(text).order_ids)


@pytest.mark.parametrize(
    "text",
    [
        # quantities
        "refill 5531907, I ordered 1000 followers",
        "order 5531907 10k views",
        "order 5531907 1.5K likes gone",
        "I bought 2,500 followers in order 5531907",
        "заказ 5531907 на 10 тыс подписчиков",
        "sipariş 5531907 10 bin takipçi",
        "pesanan 5531907 10rb followers",
        # prices and currencies
        "paid $15 for order 5531907",
        "paid 1500 INR for 5531907",
        "Fiz um PIX de R$ 50,00 pro pedido 5531907",
        "order 5531907 price 0.45$",
        # dates and times
        "5531907 ordered on 12/03/2024 at 10:45",
        "5531907 placed 2024-03-12 10:45:12",
        "2024 order 5531907",
        # phone numbers
        "whatsapp +234 803 123 4567 order 5531907",
        "my number 08031234567, order 5531907",
        # percentages
        "order 5531907 dropped 35%",
        "order 5531907 dropped %35",
        # start counts, remains and charges in pasted panel rows
        "5531907 | 2024-03-14 | 0.45 | 12450 | 1000 | Completed | 0",
        "5531907 start count 12345 remains 234",
        # labelled service IDs, payment/transaction IDs, ticket numbers
        "service 3412 order 5531907",
        "service id: 3412, order id: 5531907",
        "transaction id 88231920991 for order 5531907",
        "ticket #44123 order 5531907",
        # numeric usernames
        "username: 77889911 order 5531907",
        "order 5531907 for @user12345",
        # numbers inside URLs and addresses
        "instagram.com/p/12345678/ order 5531907",
        "https://t.me/c/12345/67890 order 5531907",
        "mail me test123@gmail.com order 5531907",
    ],
)
def test_only_the_order_id_is_extracted(text: str) -> None:
    assert ids(text) == ["5531907"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hi, I deposited $25 via USDT TRC20. Transaction ID: 44719203.", []),
        ("Chek raqami 4829105736, balansga tushmadi", []),
        ("UTR नंबर 412398765012 है", []),
        ("رقم العملية 19283746", []),
        ("Selam, servis 1452 ile servis 1460 arasındaki fark ne?", []),
        ("my previous ticket #30217 got closed", []),
        ("Call me on +91 98765 43210", []),
        ("12 IDs, all dropped", []),
        ("I have 3 orders", []),
        ("bhai reseller hu, roz 50-60 order deta hu", []),
        ("went down from 50000 to 41200 in a week", []),
    ],
)
def test_messages_without_order_ids(text: str, expected: list[str]) -> None:
    assert ids(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("refill 48213", ["48213"]),
        ("61250 düşüş var telafi lütfen", ["61250"]),
        ("refill 1111 and cancel 2222", ["1111", "2222"]),  # short IDs next to actions
        ("order 512", ["512"]),  # short, but labelled
        ("#3390561", ["3390561"]),
        ("заказ №3381902", ["3381902"]),
        ("6612094 numaralı siparişimde", ["6612094"]),  # label after the number
        ("oda yangu 6630912 wafuasi wamepungua", ["6630912"]),
        ("Order ID 987654 / 987655", ["987654", "987655"]),
        ("7720419,7720420,7720422", ["7720419", "7720420", "7720422"]),
        ("orders 1001,1002,1003 refill", ["1001", "1002", "1003"]),  # a list shares its verdict
        ("- 2210934\n- 2210935\n- 2210941", ["2210934", "2210935", "2210941"]),
        ("ID 51206 | Instagram Followers [R30] | 1000 | Completed", ["51206"]),
    ],
)
def test_order_ids_are_found(text: str, expected: list[str]) -> None:
    assert ids(text) == expected


def test_ids_keep_message_order_and_are_deduplicated() -> None:
    text = "refill 2290471\nrefill 1190322\nrefill 2290471\nand 1190321"
    assert ids(text) == ["2290471", "1190322", "1190321"]


def test_exactly_the_maximum_is_accepted() -> None:
    numbers = [str(7_000_000 + n) for n in range(MAX_ORDERS_PER_MESSAGE)]
    understanding = understand("refill " + ", ".join(numbers))
    assert list(understanding.order_ids) == numbers
    assert not understanding.too_many_orders


def test_more_than_the_maximum_is_flagged_not_truncated() -> None:
    numbers = [str(7_000_000 + n) for n in range(MAX_ORDERS_PER_MESSAGE + 1)]
    understanding = understand("refill " + "\n".join(numbers))
    assert understanding.too_many_orders
    assert understanding.orders == ()
    assert understanding.intent == "refill"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # references a payment, ticket or phone word names, in words no rule lists
        ("Nabayaran ko na ang 500 sa GCash, reference 4418203391, wala pa rin sa balance", []),
        ("Ich habe 20 Euro überwiesen, Verwendungszweck 7731902, Guthaben fehlt", []),
        ("comprobante 4738157271 del 20240320, $15 por oxxo, no veo el saldo", []),
        # a date written as a run of digits beside the order
        ("992458124 zamówione 20240926, z 6000 na 4400", ["992458124"]),
        ("8980277 הזמנתי ב-20250514, מ-6000 ירד ל-4400", ["8980277"]),
        # long panel IDs where the message puts an order number
        ("9920510684 5000 dan faqat 200 keldi", ["9920510684"]),
        ("keep 5439180056 running, cancel 1644689314 and 7557746880",
         ["5439180056", "1644689314", "7557746880"]),
        # IDs laid out as a table are a list, not a panel row with counts
        ("stuck in progress since 06/11:\n5102793 | 5102806 | 5102814\n5102829 | 5102837 | 5102840",
         ["5102793", "5102806", "5102814", "5102829", "5102837", "5102840"]),
        # one or two digits are never a panel's order ID, whatever word stands before
        ("j'ai commandé 2 fois par erreur, la 835319 est en double", ["835319"]),
    ],
)
def test_the_number_model_reads_the_context(text: str, expected: list[str]) -> None:
    assert ids(text) == expected


def test_numbers_are_read_by_the_model_in_force() -> None:
    never = LinearModel(ModelFile(list(NUMBER_LABELS), [-10.0, 10.0], {}))  # nothing is an ID
    text = "5531907 dropped, and order 8812034 too"
    assert ids(text) == ["5531907", "8812034"]
    with numbers_read_by(never):
        assert ids(text) == ["8812034"]  # only the one an order word names
    assert ids(text) == ["5531907", "8812034"]
