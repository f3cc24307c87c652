"""Multilingual lexicons: one TOML file per language, compiled once into fast lookups.

A language is added by adding `lexicons/<code>.toml`; no code changes. The file format is
described in `lexicons/README.md`. In short, every list holds terms:

- `word`        the token must equal the word ("no", "ok");
- `stem*`       the token must start with the stem ("cancel*" = cancel, cancelled,
                 cancelling; "sipariş*" = siparişim, siparişimde): suffix morphology;
- `*part*`      the token must contain the part (for languages that inflect with
                 prefixes, e.g. Swahili "imepungua" for "*pungu*"); only checked when the
                 language was detected in the message;
- `two words`   a phrase: consecutive tokens, each written as above ("speed up",
                 "не запущ*").

Terms are normalised with the same function as messages (`text.normalise`), so they are
written naturally, with or without accents. Scripts written without spaces (Thai,
Chinese, Japanese) are segmented by longest match against the lexicon vocabulary.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, NamedTuple

from supportai.engine.understanding.text import (
    NUMBER,
    SCRIPT_NAMES,
    SYMBOL,
    WORD,
    fold_case,
    is_continuous_script,
    match_units,
    normalise,
    script_of,
    tokenise,
)

# --- Categories --------------------------------------------------------------------------

INTENTS = ("refill", "cancel", "speed_up", "other")
OTHER = "other"
ACTIONS = frozenset(INTENTS) - {OTHER}  # the intents that ask for something to be done
REPLY_LABELS = ("confirm", "decline", "ambiguous")

MARKER = "marker"  # a frequent word that points to its language
NEGATION_BEFORE = "negation_before"  # negates a cue that follows ("don't cancel")
NEGATION_AFTER = "negation_after"  # negates a cue that precedes ("refill nahi")
CONTRAST = "contrast"  # "but", "just": what follows is what the customer wants
CONJUNCTION = "conjunction"  # "and", "or": joins order IDs into one list
ORDER_LABEL = "order_label"  # "order", "заказ": the number next to it is an order ID
NUMBER_LABEL = "number_label"  # "#", "ID", "No": a number, of whatever the word before says
SERVICE_LABEL = "service_label"
PAYMENT_LABEL = "payment_label"
TICKET_LABEL = "ticket_label"
PHONE_LABEL = "phone_label"
USER_LABEL = "user_label"
COUNT_LABEL = "count_label"  # "was", "now", "left": counts in the customer's story
PANEL_FIELD = "panel_field"  # "start count", "remains", "charge": columns pasted from the panel
QUANTITY_UNIT = "quantity_unit"  # "followers", "likes" after a number
TIME_UNIT = "time_unit"  # "hours", "din", "saat" after a number
CURRENCY = "currency"
PERCENT = "percent"
MULTIPLIER = "multiplier"  # "k", "mil", "bin", "rb": the weight holds the factor

# Labels that say the number beside them is something other than an order ID.
NOT_ORDER_LABELS = frozenset(
    {SERVICE_LABEL, PAYMENT_LABEL, TICKET_LABEL, PHONE_LABEL, USER_LABEL, COUNT_LABEL, PANEL_FIELD}
)
_GRAMMAR = (NEGATION_BEFORE, NEGATION_AFTER, CONTRAST, CONJUNCTION)
_NUMBER_WORDS = (
    ORDER_LABEL,
    NUMBER_LABEL,
    *sorted(NOT_ORDER_LABELS),
    QUANTITY_UNIT,
    TIME_UNIT,
    CURRENCY,
    PERCENT,
)
# Function words are short and collide across languages ("no", "ne", "la", "mat"), so
# they only count in languages the message is written in.
GATED_CATEGORIES = frozenset(_GRAMMAR + _NUMBER_WORDS + (MULTIPLIER,))
SHORT_TERM_LENGTH = 3  # single words this short are gated too, whatever their category

# Language evidence of a term: a marker (frequent function word) says more about the
# language than a domain cue; labels and units travel between languages and say nothing.
MARKER_EVIDENCE = 1.0
CUE_EVIDENCE = 0.5

INTENT_TIER_WEIGHTS = {"strong": 3.0, "medium": 2.0, "weak": 1.0}
# Cues at least this strong are requests or symptoms; below are hints ("still", "asap").
CLEAR_CUE_WEIGHT = INTENT_TIER_WEIGHTS["medium"]
REPLY_TIER_WEIGHTS = {"strong": 3.0, "weak": 1.0}
COMMON_LANGUAGE = "*"  # code of `common.toml`: symbols and emoji every language shares


def reply_category(label: str) -> str:
    return f"reply_{label}"


class Sense(NamedTuple):
    """One meaning of a term: what it signals, in which language, how strongly."""

    category: str
    lang: str
    weight: float = 0.0
    gated: bool = False


class Term(NamedTuple):
    text: str
    prefix: bool


class Entry(NamedTuple):
    """A term indexed by its first unit; `rest` holds the following units of a phrase."""

    rest: tuple[Term, ...]
    senses: tuple[Sense, ...]
    # What finding this term says about the message's language: (language, weight).
    evidence: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class LanguageProfile:
    code: str
    name: str
    scripts: frozenset[str]
    default_for_script: bool = False
    letters: str = ""
    verb_final: bool = False  # SOV: the action word and labels follow the order ID
    clitic_prefixes: tuple[str, ...] = ()
    negative_suffix: re.Pattern[str] | None = None


@dataclass
class Lexicon:
    profiles: dict[str, LanguageProfile]
    exact: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    prefix: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    contains: dict[str, tuple[re.Pattern[str], dict[str, tuple[Sense, ...]]]] = field(
        default_factory=dict
    )
    segment_vocabulary: set[str] = field(default_factory=set)
    letter_languages: dict[str, tuple[str, ...]] = field(default_factory=dict)
    letters_pattern: re.Pattern[str] | None = None
    # Stem lengths present per first letter, longest first: keeps prefix lookups few.
    stem_lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)
    max_segment: int = 1
    # What the matcher worked out per word, kept because words repeat across messages.
    word_matches: dict[str, Any] = field(default_factory=dict)

    def entries(self, unit: str) -> list[tuple[Entry, int]]:
        """Entries whose first term matches `unit`, with the matched stem length."""
        found = [(entry, len(unit)) for entry in self.exact.get(unit, ())]
        for length in self.stem_lengths.get(unit[:1], ()):
            if length <= len(unit):
                found.extend((entry, length) for entry in self.prefix.get(unit[:length], ()))
        return found

    def default_language(self, script: str) -> str | None:
        for profile in self.profiles.values():
            if profile.default_for_script and script in profile.scripts:
                return profile.code
        return None


# --- Term parsing ----------------------------------------------------------------------


def parse_term(raw: str) -> tuple[Term, ...]:
    """The units of a term as written in a lexicon file (see the module docstring)."""
    terms: list[Term] = []
    for part in raw.split():
        prefix = part.endswith("*") and len(part) > 1
        body = part[:-1] if prefix else part
        tokens = [t for t in tokenise(normalise(body)) if t.kind in (WORD, SYMBOL, NUMBER)]
        units = [unit.text for unit in match_units(tokens)]
        if not units:
            raise ValueError(f"lexicon term {raw!r} has no letters, digits or symbols")
        terms.extend(Term(unit, False) for unit in units[:-1])
        terms.append(Term(units[-1], prefix))
    return tuple(terms)


# --- Loading ---------------------------------------------------------------------------

_PROFILE_KEYS = {
    "code",
    "name",
    "scripts",
    "default_for_script",
    "letters",
    "verb_final",
    "clitic_prefixes",
    "negative_suffix",
    "markers",
    "intent",
    "grammar",
    "numbers",
    "reply",
}


def _check_keys(table: dict[str, Any], allowed: set[str] | tuple[str, ...], where: str) -> None:
    unknown = set(table) - set(allowed)
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")


class _Builder:
    def __init__(self) -> None:
        self.lexicon = Lexicon(profiles={})
        self.codes: set[str] = set()
        self.contains_terms: dict[str, dict[str, list[Sense]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self.phrases: dict[tuple[bool, str, tuple[Term, ...]], list[Sense]] = defaultdict(list)

    def add(self, raw: str, category: str, lang: str, weight: float = 0.0) -> None:
        if not isinstance(raw, str) or not raw.strip():
            raise ValueError(f"{lang}: empty or non-text term in {category}")
        raw = raw.strip()
        if raw.startswith("*") and raw.endswith("*") and len(raw) > 2:
            stem = normalise(raw[1:-1])
            self.contains_terms[lang][stem].append(Sense(category, lang, weight, True))
            return
        terms = parse_term(raw)
        gated = category in GATED_CATEGORIES or (
            len(terms) == 1
            and not terms[0].prefix
            and len(terms[0].text) <= SHORT_TERM_LENGTH
            and lang != COMMON_LANGUAGE
        )
        if lang == COMMON_LANGUAGE:
            gated = False
        first, rest = terms[0], terms[1:]
        self.phrases[(first.prefix, first.text, rest)].append(Sense(category, lang, weight, gated))
        for term in terms:
            if term.text and is_continuous_script(script_of(term.text[0]) or ""):
                self.lexicon.segment_vocabulary.add(term.text)

    def load(self, lang_file: dict[str, Any], source: str) -> None:
        _check_keys(lang_file, _PROFILE_KEYS, source)
        code = lang_file["code"]
        if code in self.codes:
            raise ValueError(f"{source}: language code {code!r} is already defined")
        self.codes.add(code)
        if code != COMMON_LANGUAGE:
            scripts = frozenset(lang_file["scripts"])
            if not scripts <= SCRIPT_NAMES:
                raise ValueError(f"{source}: unknown scripts {sorted(scripts - SCRIPT_NAMES)}")
            suffix = lang_file.get("negative_suffix")
            self.lexicon.profiles[code] = LanguageProfile(
                code=code,
                name=lang_file["name"],
                scripts=scripts,
                default_for_script=bool(lang_file.get("default_for_script", False)),
                # ASCII cannot tell languages apart (and "ß" folds to "ss").
                letters="".join(
                    c for c in fold_case(lang_file.get("letters", "")) if not c.isascii()
                ),
                verb_final=bool(lang_file.get("verb_final", False)),
                clitic_prefixes=tuple(normalise(p) for p in lang_file.get("clitic_prefixes", ())),
                negative_suffix=re.compile(suffix) if suffix else None,
            )
        for raw in lang_file.get("markers", ()):
            self.add(raw, MARKER, code)
        for intent, tiers in lang_file.get("intent", {}).items():
            if intent not in INTENTS:
                raise ValueError(f"{source}: unknown intent {intent!r}")
            _check_keys(tiers, INTENT_TIER_WEIGHTS, f"{source} [intent.{intent}]")
            for tier, raws in tiers.items():
                for raw in raws:
                    self.add(raw, intent, code, INTENT_TIER_WEIGHTS[tier])
        for label, tiers in lang_file.get("reply", {}).items():
            if label not in REPLY_LABELS:
                raise ValueError(f"{source}: unknown reply label {label!r}")
            _check_keys(tiers, REPLY_TIER_WEIGHTS, f"{source} [reply.{label}]")
            for tier, raws in tiers.items():
                for raw in raws:
                    self.add(raw, reply_category(label), code, REPLY_TIER_WEIGHTS[tier])
        grammar = lang_file.get("grammar", {})
        _check_keys(grammar, _GRAMMAR, f"{source} [grammar]")
        for category, raws in grammar.items():
            for raw in raws:
                self.add(raw, category, code)
        numbers = dict(lang_file.get("numbers", {}))
        multipliers = numbers.pop("multiplier", {})
        _check_keys(numbers, _NUMBER_WORDS, f"{source} [numbers]")
        for category, raws in numbers.items():
            for raw in raws:
                self.add(raw, category, code)
        for raw, factor in multipliers.items():
            self.add(raw, MULTIPLIER, code, float(factor))

    def finish(self) -> Lexicon:
        lexicon = self.lexicon
        for (is_prefix, text, rest), senses in self.phrases.items():
            index = lexicon.prefix if is_prefix else lexicon.exact
            index[text].append(Entry(rest, tuple(senses), _evidence(senses)))
        lengths_by_letter: dict[str, set[int]] = defaultdict(set)
        for stem in lexicon.prefix:
            lengths_by_letter[stem[:1]].add(len(stem))
        lexicon.stem_lengths = {
            letter: tuple(sorted(lengths, reverse=True))
            for letter, lengths in lengths_by_letter.items()
        }
        if lexicon.segment_vocabulary:
            lexicon.max_segment = max(len(word) for word in lexicon.segment_vocabulary)
        for lang, stems in self.contains_terms.items():
            alternation = "|".join(re.escape(stem) for stem in sorted(stems, key=len, reverse=True))
            lexicon.contains[lang] = (
                re.compile(alternation),
                {stem: tuple(senses) for stem, senses in stems.items()},
            )
        letter_languages: dict[str, list[str]] = defaultdict(list)
        for profile in lexicon.profiles.values():
            for letter in profile.letters:
                letter_languages[letter].append(profile.code)
        lexicon.letter_languages = {k: tuple(v) for k, v in letter_languages.items()}
        if letter_languages:
            lexicon.letters_pattern = re.compile(
                "[" + "".join(re.escape(letter) for letter in letter_languages) + "]"
            )
        return lexicon


def _evidence(senses: list[Sense]) -> tuple[tuple[str, float], ...]:
    cue_categories = set(INTENTS) | {reply_category(label) for label in REPLY_LABELS}
    markers = {s.lang for s in senses if s.category == MARKER}
    cues = {s.lang for s in senses if s.category in cue_categories} - markers - {COMMON_LANGUAGE}
    return tuple(
        [(lang, MARKER_EVIDENCE / len(markers)) for lang in sorted(markers)]
        + [(lang, CUE_EVIDENCE / len(cues)) for lang in sorted(cues)]
    )


def read_lexicon_files() -> list[tuple[str, dict[str, Any]]]:
    """(file name, parsed TOML) of every `lexicons/*.toml` shipped inside the package."""
    folder = resources.files("supportai.engine.understanding") / "lexicons"
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)
    if not files:
        raise RuntimeError("no lexicon files found in the package")
    tables = []
    for lang_file in files:
        with lang_file.open("rb") as handle:
            try:
                tables.append((lang_file.name, tomllib.load(handle)))
            except tomllib.TOMLDecodeError as error:
                raise ValueError(f"lexicons/{lang_file.name}: {error}") from error
    return tables


def build_lexicon(tables: list[tuple[str, dict[str, Any]]]) -> Lexicon:
    """Compile parsed lexicon files; raises ValueError on unknown keys or categories."""
    builder = _Builder()
    for name, table in tables:
        builder.load(table, name)
    return builder.finish()


LEXICON = build_lexicon(read_lexicon_files())
