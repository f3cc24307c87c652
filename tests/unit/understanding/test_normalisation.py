"""Normalisation: digits of every script become ASCII, optional accents fold away."""

from __future__ import annotations

import pytest

from supportai.engine.understanding import understand
from supportai.engine.understanding.text import normalise


@pytest.mark.parametrize(
    ("written", "ascii_digits"),
    [
        ("٥٥٢٠٩٨٣", "5520983"),  # Arabic-Indic
        ("۹۲۰۱۳۴", "920134"),  # Persian (Extended Arabic-Indic)
        ("९०५५३१", "905531"),  # Devanagari
        ("৮৮২০১৫৬", "8820156"),  # Bengali
        ("๕๕๓๑๙๐๗", "5531907"),  # Thai
        ("၅၅၃၁၉၀၇", "5531907"),  # Myanmar
        ("５５３１９０７", "5531907"),  # full-width
    ],
)
def test_digits_of_other_scripts_become_ascii(written: str, ascii_digits: str) -> None:
    assert normalise(written) == ascii_digits
    assert understand(f"order {written}").order_ids == (ascii_digits,)


def test_arabic_decimal_and_percent_signs_are_read_as_such() -> None:
    assert normalise("٣٫٥ ٪") == "3.5 %"


@pytest.mark.parametrize(
    ("variant", "plain"),
    [
        ("Não", "nao"),
        ("hủy đơn", "huy don"),
        ("İPTAL", "iptal"),
        ("düşmüyor", "dusmuyor"),
        ("أرجو إلغاء", "ارجو الغاء"),  # hamza forms
        ("كيف", "کیف"),  # Arabic kaf/yeh meet the Persian ones
        ("Ｒｅｆｉｌｌ", "refill"),
    ],
)
def test_spelling_variants_meet(variant: str, plain: str) -> None:
    assert normalise(variant) == normalise(plain) == plain


def test_apostrophes_split_words_the_same_way_in_text_and_lexicon() -> None:
    assert normalise("don't") == normalise("don’t") == "don t"


def test_zero_width_joiners_do_not_split_persian_words() -> None:
    assert normalise("لایک\u200cهای") == normalise("لایکهای")
