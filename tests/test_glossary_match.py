"""The phrase matcher finds exactly what tokenising the whole text would find.

``PhraseMatcher.find_all`` scans a text with one regex for the tokens that can
start a hit instead of splitting it into all its words. ``_reference_find_all``
below is the straightforward algorithm it replaced (every word, in order); the
two must agree on every text, for the source matcher and every locale's target
matcher of the shipped glossary.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transflow.glossary import Glossary, load_glossary
from transflow.glossary_match import Hit, PhraseMatcher, _norm_sep, fold

SHIPPED = Path(__file__).resolve().parents[1] / "glossary.yaml"
SOURCES = Path(__file__).resolve().parents[1] / "source"
_SPLIT = re.compile(r"([\w\u0300-\u036f\u0483-\u0489]+)")
_OPENERS = "\"'«»„“”‚‘’([{-–—*"
_BLANK = " \t\r\n\u00a0"


def _reference_find_all(matcher: PhraseMatcher[Any], text: str) -> list[Hit[Any]]:
    """Every hit, found by splitting the text into words and trying each one in turn."""
    if not matcher._index or not text:
        return []
    folded = fold(text, matcher.ignore_case)
    parts = _SPLIT.split(folded)
    words = parts[1::2]
    starts = [sum(map(len, parts[: 2 * i + 1])) for i in range(len(words))]
    ends = [start + len(word) for start, word in zip(starts, words, strict=True)]
    hits: list[Hit[Any]] = []

    def rest_end(p: Any, i: int) -> int | None:
        if i + len(p.rest) >= len(words):
            return None
        end = ends[i]
        for k, (sep, word) in enumerate(p.rest):
            j = i + k + 1
            if words[j] == word:
                found = ends[j]
            elif k == len(p.rest) - 1 and words[j] == word + "s" and folded[ends[j] :][:1] == "'":
                found = ends[j] - 1
            else:
                return None
            if _norm_sep(folded[ends[j - 1] : starts[j]]) != sep:
                return None
            end = found
        return end

    def prefix_ok(p: Any, start: int) -> bool:
        return not p.prefix or folded[max(0, start - len(p.prefix)) : start] == p.prefix

    def attempt(phrases: list[Any], i: int) -> None:
        for p in phrases:
            end = rest_end(p, i) if p.rest else ends[i]
            if end is None or not prefix_ok(p, starts[i]):
                continue
            if p.suffix:
                if folded[end : end + len(p.suffix)] != p.suffix:
                    continue
                end += len(p.suffix)
            hits.append(Hit(starts[i] - len(p.prefix), end, p.payload, p.phrase))

    def sentence_start(i: int) -> bool:
        before = folded[ends[i - 1] : starts[i]] if i else folded[: starts[0]]
        if i == 0:
            return not before.strip(_OPENERS + _BLANK)
        core = before.rstrip(_OPENERS + _BLANK)
        return any(c.isspace() for c in before) and bool(core) and core[-1] in ".!?…"

    for i, word in enumerate(words):
        if word in matcher._index:
            attempt(matcher._index[word], i)
        if word in matcher._flipped and sentence_start(i):
            attempt(matcher._flipped[word], i)
        if word.endswith("s") and folded[ends[i] :][:1] == "'":
            for p in matcher._index.get(word[:-1], ()):
                if not p.rest and not p.suffix and prefix_ok(p, starts[i]):
                    hits.append(Hit(starts[i], ends[i] - 1, p.payload, p.phrase))
    return hits


@functools.cache
def _shipped() -> Glossary:
    return load_glossary(SHIPPED)


@pytest.fixture(scope="module")
def shipped() -> Glossary:
    return _shipped()


def _matchers(glossary: Glossary) -> list[PhraseMatcher[Any]]:
    return [glossary._source, *(glossary.target_matcher(loc) for loc in glossary.locales)]


def _vocabulary() -> list[str]:
    """Words of every form of the shipped glossary, in several cases, and some others."""
    glossary = _shipped()
    words: set[str] = {"the", "der", "Der", "and", "x", "İ", "i", "s", "Europe", "EU", "TV"}
    for entry in glossary:
        forms = [entry.en, *(v.form for v in entry.variants)]
        for lf in entry.locales.values():
            forms += [*lf.allowed, *lf.forbidden, *lf.cases.values()]
        for form in forms:
            for word in re.findall(r"\w+", form):
                words.update({word, word.lower(), word.upper(), word.capitalize(), word + "s"})
    return sorted(words)


_SEPARATORS = [" ", " ", " ", "  ", "\n", "\u00a0", "-", " - ", "'", "’", "s' ", "'s "]
_SEPARATORS += [". ", "! ", "? ", "… ", ", ", ": ", "(", ") ", "/", " / ", ".", "«", "„", "\u0301"]
_texts = st.lists(
    st.tuples(st.sampled_from(_vocabulary()), st.sampled_from(_SEPARATORS)), max_size=14
).map(lambda pairs: "".join(word + sep for word, sep in pairs))


@settings(max_examples=400, deadline=None)
@given(_texts, st.sampled_from(["", " ", "(", "“", ". "]))
def test_find_all_agrees_with_tokenising_every_word(text: str, lead: str) -> None:
    for matcher in _matchers(_shipped()):
        assert matcher.find_all(lead + text) == _reference_find_all(matcher, lead + text)


def test_find_all_agrees_on_the_real_sources(shipped: Glossary) -> None:
    lines = [line for path in sorted(SOURCES.glob("*.md")) for line in path.read_text().split("\n")]
    assert len(lines) > 50
    found = 0
    for matcher in _matchers(shipped):
        for line in lines:
            hits = matcher.find_all(line)
            assert hits == _reference_find_all(matcher, line), line
            found += len(hits)
    assert found > 20  # the sources do name glossary terms


def test_a_phrase_added_later_is_found() -> None:
    matcher: PhraseMatcher[str] = PhraseMatcher([("Meydan TV", "meydan")])
    assert [h.payload for h in matcher.find_all("Meydan TV and Toplum TV")] == ["meydan"]
    matcher.add("Toplum TV", "toplum")
    assert [h.payload for h in matcher.find_all("Meydan TV and Toplum TV")] == ["meydan", "toplum"]


def test_a_word_inside_a_longer_word_is_no_hit() -> None:
    matcher: PhraseMatcher[str] = PhraseMatcher([("EU", "eu"), ("UN", "un")])
    assert matcher.find_all("milieu fun run-up, Europe") == []
    assert [(h.start, h.end) for h in matcher.find_all("the EU, the UN's")] == [(4, 6), (12, 14)]
