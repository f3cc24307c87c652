"""Normalisation, script detection and tokenisation shared by every analysis step.

Normalisation makes spelling variants meet: compatibility forms (full-width letters,
ligatures, Arabic presentation forms) are unified, case is folded, the optional
diacritics of alphabetic scripts are dropped ("não" = "nao", "hủy" = "huy"), digits of
every script become ASCII, and letters that keyboards mix up (Arabic and Persian yeh and
kaf, Turkish dotless i) are merged. Lexicon terms go through the same function, so a cue
written naturally in a data file meets the text however the customer typed it.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from typing import NamedTuple

# --- Scripts ---------------------------------------------------------------------------


class Script(NamedTuple):
    name: str
    ranges: tuple[tuple[int, int], ...]
    continuous: bool = False  # written without spaces between words (Thai, Chinese...)


SCRIPTS: tuple[Script, ...] = (
    Script(
        "Latn",
        (
            (0x41, 0x5A),
            (0x61, 0x7A),
            (0xAA, 0xAA),
            (0xBA, 0xBA),
            (0xC0, 0x2AF),
            (0x1E00, 0x1EFF),
            (0x2C60, 0x2C7F),
            (0xA720, 0xA7FF),
        ),
    ),
    Script("Cyrl", ((0x400, 0x52F), (0x1C80, 0x1C8F), (0x2DE0, 0x2DFF), (0xA640, 0xA69F))),
    Script("Grek", ((0x370, 0x3FF), (0x1F00, 0x1FFF))),
    Script("Armn", ((0x530, 0x58F),)),
    Script("Hebr", ((0x590, 0x5FF),)),
    Script(
        "Arab", ((0x600, 0x6FF), (0x750, 0x77F), (0x8A0, 0x8FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
    ),
    Script("Deva", ((0x900, 0x97F), (0xA8E0, 0xA8FF))),
    Script("Beng", ((0x980, 0x9FF),)),
    Script("Guru", ((0xA00, 0xA7F),)),
    Script("Gujr", ((0xA80, 0xAFF),)),
    Script("Orya", ((0xB00, 0xB7F),)),
    Script("Taml", ((0xB80, 0xBFF),)),
    Script("Telu", ((0xC00, 0xC7F),)),
    Script("Knda", ((0xC80, 0xCFF),)),
    Script("Mlym", ((0xD00, 0xD7F),)),
    Script("Sinh", ((0xD80, 0xDFF),)),
    Script("Thai", ((0xE00, 0xE7F),), continuous=True),
    Script("Laoo", ((0xE80, 0xEFF),), continuous=True),
    Script("Tibt", ((0xF00, 0xFFF),)),
    Script("Mymr", ((0x1000, 0x109F),), continuous=True),
    Script("Geor", ((0x10A0, 0x10FF), (0x1C90, 0x1CBF))),
    Script("Hang", ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF))),
    Script("Ethi", ((0x1200, 0x139F),)),
    Script("Khmr", ((0x1780, 0x17FF),), continuous=True),
    Script("Kana", ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F)), continuous=True),
    Script(
        "Hani",
        (
            (0x2E80, 0x2FDF),
            (0x3005, 0x3007),
            (0x3021, 0x3029),
            (0x3400, 0x4DBF),
            (0x4E00, 0x9FFF),
            (0xF900, 0xFAFF),
            (0x20000, 0x2FFFF),
        ),
        continuous=True,
    ),
)

# A script with no lexicon of its own still gets a language code, so replies can be
# routed and the owner sees what came in. Lexicon files may claim a script instead.
SCRIPT_LANGUAGE_FALLBACK: dict[str, str] = {
    "Latn": "en",
    "Cyrl": "ru",
    "Grek": "el",
    "Armn": "hy",
    "Hebr": "he",
    "Arab": "ar",
    "Deva": "hi",
    "Beng": "bn",
    "Guru": "pa",
    "Gujr": "gu",
    "Orya": "or",
    "Taml": "ta",
    "Telu": "te",
    "Knda": "kn",
    "Mlym": "ml",
    "Sinh": "si",
    "Thai": "th",
    "Laoo": "lo",
    "Tibt": "bo",
    "Mymr": "my",
    "Geor": "ka",
    "Hang": "ko",
    "Ethi": "am",
    "Khmr": "km",
    "Kana": "ja",
    "Hani": "zh",
}

SCRIPT_NAMES = frozenset(script.name for script in SCRIPTS)

# Alphabets whose diacritics people often leave out, and whose letters glued to digits
# make a code ("TRC20", "2FA", "10k"), never an order ID.
ALPHABETIC_SCRIPTS = frozenset({"Latn", "Cyrl", "Grek"})


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


def _char_class(code_points: list[int]) -> str:
    """A regex character class matching exactly these code points, as compact ranges."""
    parts: list[str] = []
    start = previous = code_points[0]
    for code_point in [*code_points[1:], -1]:
        if code_point == previous + 1:
            previous = code_point
            continue
        parts.append(
            re.escape(chr(start))
            if start == previous
            else f"{re.escape(chr(start))}-{re.escape(chr(previous))}"
        )
        start = previous = code_point
    return "[" + "".join(parts) + "]"


def _build_script_tables() -> tuple[dict[int, str], dict[str, str], list[tuple[int, int, str]]]:
    """Letters of each script: a translate table to script tags, regex classes, ranges."""
    tag_table: dict[int, str] = {}
    classes: dict[str, str] = {}
    ranges: list[tuple[int, int, str]] = []
    for index, script in enumerate(SCRIPTS):
        tag = chr(0xF0000 + index)  # private-use plane: never in normalised text
        letters = [
            cp
            for low, high in script.ranges
            for cp in range(low, high + 1)
            if _is_word_char(chr(cp))
        ]
        for code_point in letters:
            tag_table[code_point] = tag
        classes[script.name] = _char_class(letters)
        ranges.extend((low, high, script.name) for low, high in script.ranges)
    ranges.sort()
    return tag_table, classes, ranges


_SCRIPT_TAGS, _SCRIPT_CLASSES, _SCRIPT_RANGES = _build_script_tables()
_TAG_TO_SCRIPT = {chr(0xF0000 + index): script.name for index, script in enumerate(SCRIPTS)}
_CONTINUOUS = frozenset(script.name for script in SCRIPTS if script.continuous)
_RANGE_STARTS = [low for low, _, _ in _SCRIPT_RANGES]


def script_of(char: str) -> str | None:
    """The script of one character, or None for digits, punctuation and symbols."""
    code_point = ord(char)
    position = bisect_right(_RANGE_STARTS, code_point) - 1
    if position >= 0:
        _, high, name = _SCRIPT_RANGES[position]
        if code_point <= high:
            return name
    return None


def count_scripts(text: str) -> Counter[str]:
    """Letters per script. Kanji in a text that has kana are counted as Japanese."""
    if text.isascii():
        return Counter({"Latn": len(text)}) if text else Counter()
    tagged = Counter(text.translate(_SCRIPT_TAGS))
    counts: Counter[str] = Counter(
        {_TAG_TO_SCRIPT[tag]: count for tag, count in tagged.items() if tag in _TAG_TO_SCRIPT}
    )
    if counts.get("Kana") and counts.get("Hani"):
        counts["Kana"] += counts.pop("Hani")
    return counts


def is_continuous_script(script: str) -> bool:
    return script in _CONTINUOUS


# --- Normalisation ---------------------------------------------------------------------

# Combining marks that are optional in everyday typing (accents, Arabic harakat, Hebrew
# points, Indic nukta). Marks that are part of spelling (Devanagari vowel signs, Thai
# vowels) are kept.
_OPTIONAL_MARK_RANGES = (
    (0x300, 0x36F),
    (0x483, 0x489),
    (0x591, 0x5C7),
    (0x610, 0x61A),
    (0x64B, 0x65F),
    (0x670, 0x670),
    (0x6D6, 0x6ED),
    (0x93C, 0x93C),
    (0x9BC, 0x9BC),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
)
# Zero-width and bidi controls, variation selectors, skin tones, Arabic tatweel.
_INVISIBLE_RANGES = (
    (0xAD, 0xAD),
    (0x640, 0x640),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x2069),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0x1F3FB, 0x1F3FF),
)
_LETTER_FOLDS = {
    "ı": "i",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "ø": "o",
    "æ": "ae",
    "œ": "oe",
    "ħ": "h",
    "ə": "e",
    "þ": "th",
    # Arabic-script letters written differently across Arabic, Persian and Urdu keyboards.
    "ي": "ی",
    "ى": "ی",
    "ك": "ک",
    "ة": "ه",
    "ہ": "ه",
    "ھ": "ه",
    "ۃ": "ه",
    "ٱ": "ا",
}
_PUNCTUATION_FOLDS = {
    "،": ",",
    "؛": ";",
    "؟": "?",
    "٪": "%",
    "٫": ".",
    "٬": ",",
    "۔": ".",
    "।": ".",
    "॥": ".",
    "。": ".",
    "、": ",",
    "–": "-",
    "—": "-",
    "‒": "-",
    "−": "-",
}
# Apostrophes split words: "don't" -> "don t", "d'accélérer" -> "d accelerer",
# "so'm" -> "so m". Lexicon terms are split the same way.
_APOSTROPHES = "'’‘ʼʻ`´′"


def _build_fold_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for low, high in _OPTIONAL_MARK_RANGES:
        for code_point in range(low, high + 1):
            if unicodedata.category(chr(code_point))[0] == "M":
                table[code_point] = None
    for low, high in _INVISIBLE_RANGES:
        for code_point in range(low, high + 1):
            table[code_point] = None
    for code_point in range(0x30000):
        value = unicodedata.decimal(chr(code_point), None)
        if value is not None and code_point > 0x7F:
            table[code_point] = str(value)
    for source, target in (_LETTER_FOLDS | _PUNCTUATION_FOLDS).items():
        table[ord(source)] = target
    for apostrophe in _APOSTROPHES:
        table[ord(apostrophe)] = " "
    return table


_FOLD_TABLE = _build_fold_table()
# "№" would become "No" under NFKC and glue to the number; it is a number sign.
_BEFORE_NFKC = str.maketrans({"№": "#"})


def fold_case(text: str) -> str:
    """Compatibility forms unified and case folded; letters otherwise untouched."""
    return unicodedata.normalize("NFKC", text.translate(_BEFORE_NFKC)).casefold()


def normalise(text: str) -> str:
    """The matching form of a text (see the module docstring)."""
    return fold_letters(fold_case(text))


def fold_letters(case_folded: str) -> str:
    """Second half of `normalise`, for text that already went through `fold_case`."""
    stripped = unicodedata.normalize("NFD", case_folded).translate(_FOLD_TABLE)
    return unicodedata.normalize("NFC", stripped)


# --- Tokens ----------------------------------------------------------------------------


class Token(NamedTuple):
    kind: str  # one of the kinds below (the names of the tokeniser's groups)
    text: str
    start: int
    end: int


WORD = "word"  # letters of one script (continuous scripts are segmented later)
NUMBER = "number"  # a bare run of digits: the only kind that can be an order ID
GROUPED = "grouped"  # 2,500 / 50 000 / 1.350: a quantity or a price
DECIMAL = "decimal"  # 37,40 / 1.5 / 13.05
DATE = "date"
TIME = "time"
PHONE = "phone"  # international form: +91 98765 43210
MASKED = "masked"  # a URL, e-mail address or @handle, digits and all
NEWLINE = "newline"
CELL = "cell"  # a table cell separator: | or tab
SYMBOL = "symbol"  # any other single character: punctuation, currency signs, emoji

# Placeholder for masked spans: a private-use character the tokeniser reads as MASKED.
_MASK = "\U000f0fff"

_TOP_LEVEL_DOMAINS = (
    "com|net|org|io|me|be|ly|gl|co|cc|ru|info|xyz|app|link|tv|gg|to|in|pk|id|br|tr|ir|ua|uz"
    "|kz|vn|th|cn|jp|kr|de|fr|it|es|pl|site|store|shop"
)
_DOMAIN_HINT = re.compile(rf"www\.|\.(?:{_TOP_LEVEL_DOMAINS})\b")
_MASKABLE = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|[\w.+-]+@[\w-]+\.[\w.]+"
    r"|(?<![\w@])@[\w.]+"
    rf"|\b[a-z0-9][a-z0-9.-]*\.(?:{_TOP_LEVEL_DOMAINS})(?:/\S*)?\b/?"
)

# Japanese mixes kanji and kana inside one word ("取り消し"), so they form one run.
_SCRIPT_WORD_ALTERNATIVES = "|".join(
    [f"(?:{_SCRIPT_CLASSES['Kana']}|{_SCRIPT_CLASSES['Hani']})+"]
    + [
        f"{_SCRIPT_CLASSES[script.name]}+"
        for script in SCRIPTS
        if script.name not in ("Kana", "Hani")
    ]
)
# Words come first: the commonest token, and no other alternative can start on a letter.
_TOKEN = re.compile(
    rf"(?P<word>{_SCRIPT_WORD_ALTERNATIVES}|(?:[^\W\d_])+)"
    r"|(?P<date>(?<!\d)(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}[./-]\d{1,2}[./-]\d{1,2})(?![\d]))"
    r"|(?P<time>(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d))"
    r"|(?P<phone>\+\d{1,3}(?:[ -]?\(?\d{1,5}\)?){2,6}(?!\d))"
    r"|(?P<grouped>(?<![\d.,])(?:\d{1,2}(?:,\d\d)+,\d{3}|\d{1,3}(?:[., \u00a0\u202f]\d{3})+)"
    r"(?![\d]|[.,]\d))"
    r"|(?P<decimal>(?<![\d.,])\d+[.,]\d{1,2}(?![\d]|[.,]\d))"
    r"|(?P<number>\d+)"
    r"|(?P<newline>\n)"
    r"|(?P<cell>[\t|])"
    r"|(?P<symbol>\S)"
)


def tokenise(normalised: str) -> list[Token]:
    """Tokens of a normalised text, with URLs, e-mails and handles masked first."""
    masked = False
    if "/" in normalised or "@" in normalised or _DOMAIN_HINT.search(normalised):
        normalised, count = _MASKABLE.subn(f" {_MASK} ", normalised)
        masked = count > 0
    # tuple.__new__ skips the NamedTuple constructor's argument handling: this list is the
    # hottest allocation of the classifier.
    tokens = [
        tuple.__new__(Token, (match.lastgroup or SYMBOL, match.group(), match.start(), match.end()))
        for match in _TOKEN.finditer(normalised)
    ]
    if masked:
        tokens = [token._replace(kind=MASKED) if token.text == _MASK else token for token in tokens]
    return tokens


class Unit(NamedTuple):
    """What the lexicon matcher compares: one token, or glued tokens read as one word."""

    text: str
    first: int  # index of the first token it covers
    last: int


def match_units(tokens: list[Token], accept: Callable[[str], bool] = lambda _: True) -> list[Unit]:
    """Tokens as matching units. Single digits glued to letters are read inside the word
    when `accept` knows the result: Arabizi writes letters with digits ("3ayez", "sa7t")."""
    has_glued_digit = any(
        token.kind == NUMBER
        and len(token.text) == 1
        and (
            (index > 0 and tokens[index - 1].end == token.start and tokens[index - 1].kind == WORD)
            or (
                index + 1 < len(tokens)
                and tokens[index + 1].start == token.end
                and tokens[index + 1].kind == WORD
            )
        )
        for index, token in enumerate(tokens)
    )
    if not has_glued_digit:
        return [Unit(token.text, index, index) for index, token in enumerate(tokens)]
    units: list[Unit] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        end = index + 1
        if _is_glueable(token):
            while (
                end < len(tokens)
                and tokens[end - 1].end == tokens[end].start
                and _is_glueable(tokens[end])
            ):
                end += 1
        if end - index > 1:
            run = tokens[index:end]
            merged = "".join(t.text for t in run)
            if (
                any(t.kind == NUMBER for t in run)
                and any(t.kind == WORD for t in run)
                and accept(merged)
            ):
                units.append(Unit(merged, index, end - 1))
                index = end
                continue
        units.append(Unit(token.text, index, index))
        index += 1
    return units


def _is_glueable(token: Token) -> bool:
    return token.kind == WORD or (token.kind == NUMBER and len(token.text) == 1)
