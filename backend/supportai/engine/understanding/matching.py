"""Finding lexicon terms in a token list."""

from __future__ import annotations

from typing import NamedTuple

from supportai.engine.understanding.lexicon import Entry, Lexicon, Sense
from supportai.engine.understanding.text import (
    WORD,
    Token,
    Unit,
    is_continuous_script,
    match_units,
    script_of,
)


class Hit(NamedTuple):
    """A term found in the text, covering tokens `first`..`last`. Build with `make_hit`."""

    first: int
    last: int
    senses: tuple[Sense, ...]
    categories: frozenset[str]
    # The word carries its own negation after the matched stem (Turkish "düş-mü-yor",
    # Uzbek "tush-ma-di"), per the language's `negative_suffix`.
    negated: bool = False
    evidence: tuple[tuple[str, float], ...] = ()  # language evidence of the matched terms
    gated_languages: frozenset[str] = frozenset()  # languages of the senses that are gated


def make_hit(
    first: int,
    last: int,
    senses: tuple[Sense, ...],
    negated: bool = False,
    evidence: tuple[tuple[str, float], ...] = (),
) -> Hit:
    return Hit(
        first,
        last,
        senses,
        frozenset(sense.category for sense in senses),
        negated,
        evidence,
        frozenset(sense.lang for sense in senses if sense.gated),
    )


# A cue word of a language the message is not written in may mean something else there
# (Romanian "completa" = fill up, Spanish "se completa" = gets done): it counts half.
FOREIGN_CUE_FACTOR = 0.5


def strongest_weights(
    hit: Hit, categories: frozenset[str], languages: frozenset[str]
) -> dict[str, float]:
    """The strongest weight per category among the hit's senses in `categories`, senses of
    languages outside `languages` counting FOREIGN_CUE_FACTOR of theirs."""
    weights: dict[str, float] = {}
    if categories.isdisjoint(hit.categories):
        return weights
    for sense in hit.senses:
        if sense.category in categories:
            weight = sense.weight if sense.lang in languages else sense.weight * FOREIGN_CUE_FACTOR
            if weight > weights.get(sense.category, 0.0):
                weights[sense.category] = weight
    return weights


def keep_languages(hit: Hit, languages: frozenset[str]) -> Hit | None:
    """The hit without the gated senses of other languages; None when nothing is left."""
    if hit.gated_languages <= languages:
        return hit
    senses = tuple(sense for sense in hit.senses if not sense.gated or sense.lang in languages)
    return make_hit(hit.first, hit.last, senses, hit.negated, hit.evidence) if senses else None


def segment(tokens: list[Token], lexicon: Lexicon) -> list[Token]:
    """Split runs of scripts written without spaces (Thai, Chinese, Japanese) into
    lexicon words by longest match; unknown stretches stay together as one token."""
    if not any(
        t.kind == WORD
        and not t.text[0].isascii()
        and is_continuous_script(script_of(t.text[0]) or "")
        for t in tokens
    ):
        return tokens
    result: list[Token] = []
    vocabulary, longest = lexicon.segment_vocabulary, lexicon.max_segment
    for token in tokens:
        if token.kind != WORD or not is_continuous_script(script_of(token.text[0]) or ""):
            result.append(token)
            continue
        text, position, unknown_from = token.text, 0, 0
        while position < len(text):
            for length in range(min(longest, len(text) - position), 0, -1):
                if text[position : position + length] in vocabulary:
                    break
            else:
                position += 1
                continue
            if unknown_from < position:
                result.append(_piece(token, unknown_from, position))
            result.append(_piece(token, position, position + length))
            position += length
            unknown_from = position
        if unknown_from < len(text):
            result.append(_piece(token, unknown_from, len(text)))
    return result


def _piece(token: Token, start: int, end: int) -> Token:
    return Token(WORD, token.text[start:end], token.start + start, token.start + end)


class _WordMatch(NamedTuple):
    """What the lexicon knows about one word: the phrases it may start (longest first)
    and its meaning on its own, as a hit at token 0."""

    phrases: tuple[Entry, ...]
    single: Hit | None


_WORD_CACHE_SIZE = 100_000


def _match_word(word: str, lexicon: Lexicon) -> _WordMatch:
    cache = lexicon.word_matches
    cached = cache.get(word)
    if cached is not None:
        return cached
    phrases: list[Entry] = []
    senses: list[Sense] = []
    evidence: list[tuple[str, float]] = []
    negated = False
    for entry, stem_length in lexicon.entries(word):
        if entry.rest:
            phrases.append(entry)
            continue
        senses.extend(entry.senses)
        evidence.extend(entry.evidence)
        if stem_length < len(word):
            negated = negated or _has_negative_suffix(word[stem_length:], entry, lexicon)
    phrases.sort(key=lambda entry: len(entry.rest), reverse=True)
    single = make_hit(0, 0, tuple(senses), negated, tuple(evidence)) if senses else None
    if len(cache) >= _WORD_CACHE_SIZE:  # bounded: unknown words keep coming
        cache.clear()
    cache[word] = match = _WordMatch(tuple(phrases), single)
    return match


def find_hits(
    tokens: list[Token], lexicon: Lexicon, languages: frozenset[str] | None = None
) -> list[Hit]:
    """Every lexicon term in the tokens, longest first: a phrase hides the words inside it.

    With `languages`, gated senses of other languages are ignored before choosing the
    longest match, so a phrase of an absent language cannot hide a word of a present one.
    """
    units = match_units(tokens, lambda text: bool(lexicon.entries(text)))
    hits: list[Hit] = []
    position = 0
    while position < len(units):
        unit = units[position]
        match = _match_word(unit.text, lexicon)
        if match.phrases:
            phrase, span = _longest_phrase(match.phrases, units, position, languages)
            if phrase is not None:
                hits.append(phrase)
                position += span
                continue
        single = match.single
        if single is not None and languages is not None:
            single = keep_languages(single, languages)
        if single is not None:
            hits.append(Hit(unit.first, unit.last, *single[2:]))  # the word's meaning, placed
        position += 1
    return hits


def _longest_phrase(
    phrases: tuple[Entry, ...], units: list[Unit], position: int, languages: frozenset[str] | None
) -> tuple[Hit | None, int]:
    best_span = 0
    senses: list[Sense] = []
    evidence: list[tuple[str, float]] = []
    for entry in phrases:  # longest first
        span = 1 + len(entry.rest)
        if span < best_span:
            break
        if not _rest_matches(units, position + 1, entry):
            continue
        entry_senses = (
            entry.senses
            if languages is None
            else [sense for sense in entry.senses if not sense.gated or sense.lang in languages]
        )
        if entry_senses:
            best_span = span
            senses.extend(entry_senses)
            evidence.extend(entry.evidence)
    if not best_span:
        return None, 0
    hit = make_hit(
        units[position].first,
        units[position + best_span - 1].last,
        tuple(senses),
        evidence=tuple(evidence),
    )
    return hit, best_span


def _rest_matches(units: list[Unit], start: int, entry: Entry) -> bool:
    if start + len(entry.rest) > len(units):
        return False
    for offset, term in enumerate(entry.rest):
        text = units[start + offset].text
        if not (text.startswith(term.text) if term.prefix else text == term.text):
            return False
    return True


def _has_negative_suffix(remainder: str, entry: Entry, lexicon: Lexicon) -> bool:
    for sense in entry.senses:
        profile = lexicon.profiles.get(sense.lang)
        if profile and profile.negative_suffix and profile.negative_suffix.match(remainder):
            return True
    return False


def find_morphology_hits(
    tokens: list[Token], hits: list[Hit], lexicon: Lexicon, languages: frozenset[str]
) -> list[Hit]:
    """Add what needs the message's languages: words behind clitic prefixes (Arabic
    "ال", Tagalog "paki") and `*part*` terms (prefixing languages such as Swahili).
    Words inside a phrase are left alone; a word matched on its own gains the senses."""
    profiles = [lexicon.profiles[code] for code in languages if code in lexicon.profiles]
    clitics = sorted({c for p in profiles for c in p.clitic_prefixes}, key=len, reverse=True)
    contains = [lexicon.contains[code] for code in languages if code in lexicon.contains]
    if not clitics and not contains:
        return hits
    in_phrase = {i for hit in hits if hit.first != hit.last for i in range(hit.first, hit.last + 1)}
    single = {hit.first: position for position, hit in enumerate(hits) if hit.first == hit.last}
    result = list(hits)
    added = False
    for index, token in enumerate(tokens):
        if token.kind != WORD or index in in_phrase:
            continue
        senses = tuple(
            sense
            for sense in _senses_behind_clitic(token.text, clitics, lexicon)
            if not sense.gated or sense.lang in languages
        ) + tuple(
            sense
            for pattern, senses_by_stem in contains
            for found in [pattern.search(token.text)]
            if found
            for sense in senses_by_stem[found.group()]
        )
        if not senses:
            continue
        if index in single:
            hit = result[single[index]]
            result[single[index]] = make_hit(hit.first, hit.last, hit.senses + senses, hit.negated)
        else:
            result.append(make_hit(index, index, senses))
            added = True
    return sorted(result, key=lambda hit: hit.first) if added else result


def _senses_behind_clitic(word: str, clitics: list[str], lexicon: Lexicon) -> tuple[Sense, ...]:
    for clitic in clitics:
        if word.startswith(clitic) and len(word) - len(clitic) >= 2:
            stripped = word[len(clitic) :]
            senses = tuple(
                sense
                for entry, _ in lexicon.entries(stripped)
                if not entry.rest
                for sense in entry.senses
            )
            if senses:
                return senses
    return ()
