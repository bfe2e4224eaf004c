"""Find glossary phrases in text fast enough to run on every keystroke.

Why a token index and not one big regex: Python's ``re`` tries an alternation
branch by branch at every position, so a pattern of 2,000 forms costs about as
much as 2,000 separate searches; Aho-Corasick (``pyahocorasick``) is fast but
works on characters, so whole words, any-whitespace between words, possessives
and sentence-initial capitals would all need post-filtering, and it is one more
compiled dependency. Instead every phrase is split into words and indexed by
its first word: the text is tokenised once with one regex, each word is one
dict lookup, and only phrases whose first word matched are compared further.
The cost grows with the text, not with the size of the glossary
(``bench/bench_glossary.py`` measures it against one regex per term).

Matching rules (the glossary's):

* whole words only — "EU" never matches inside "Europe"; a hyphen, slash or
  apostrophe is a word boundary, so a phrase may end before "-un" or "'s";
* between two words of a phrase, any run of whitespace (spaces, line breaks,
  no-break spaces) in the text; punctuation inside a phrase (``-``, ``/``)
  must be there too, with optional spaces around it;
* typographic apostrophes and hyphens count as their ASCII forms;
* ``ignore_case`` folds case *without* folding dotted "İ" into "I" (so
  "ASIMKOM" and "ASİMKOM" stay different phrases) — the fold keeps every
  character in place, so match offsets are offsets in the original text;
* ``sentence_case`` (targets): matching is case-sensitive, except that the
  first letter of a phrase may differ in case where a sentence starts;
* a plural possessive ("Aliyevs'") matches the name, and the span covers the
  name only ("Aliyev"); the singular possessive needs no rule ("'" is a boundary).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

__all__ = ["Hit", "PhraseMatcher", "fold", "longest_non_overlapping"]

T = TypeVar("T")

# Letters, digits, underscore, and combining marks (decomposed accents stay inside a word).
_WORD = re.compile(r"[\w\u0300-\u036f\u0483-\u0489]+")
_WORD_SPLIT = re.compile(f"({_WORD.pattern})")
_SPACE = re.compile(r"\s+")
_PUNCT_TABLE = str.maketrans(
    {
        "\u2019": "'",  # right single quotation mark (typographic apostrophe)
        "\u2018": "'",
        "\u02bc": "'",  # modifier letter apostrophe
        "\u2032": "'",  # prime
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
    }
)
_PUNCT_PAIRS = tuple((chr(k), str(v)) for k, v in _PUNCT_TABLE.items())
_SENTENCE_END = ".!?…"
_OPENERS = "\"'«»„“”‚‘’([{-–—*"
_BLANK = " \t\r\n\u00a0"
_NO_WORDS: frozenset[str] = frozenset()


def fold(text: str, ignore_case: bool) -> str:
    """Normalise apostrophes and hyphens (and, with ``ignore_case``, lower-case) in place.

    The result has exactly the length of ``text``. Python lower-cases "İ" to
    two characters; it is kept as it is, which also keeps it distinct from "I".
    """
    for char, ascii_form in _PUNCT_PAIRS:  # str.replace is far faster than str.translate
        if char in text:
            text = text.replace(char, ascii_form)
    if ignore_case:
        if "İ" in text:
            return "İ".join(part.lower() for part in text.split("İ"))
        return text.lower()
    return text


def _norm_sep(sep: str) -> str:
    """The separator between two words, with whitespace runs collapsed; a bare run → ' '."""
    stripped = sep.strip()
    if not stripped:
        return " "
    return _SPACE.sub(" ", stripped)


def _first_letter_variants(word: str) -> set[str]:
    """``word`` with its first letter in another case (for sentence starts)."""
    first, rest = word[:1], word[1:]
    options = {first.upper(), first.lower(), first.title()}
    if first == "i":
        options.add("İ")
    if first == "ı":
        options.add("I")
    return {o + rest for o in options if len(o) == 1 and o != first}


class Hit(NamedTuple, Generic[T]):
    """One occurrence of a phrase: ``text[start:end]``, and what the phrase stands for.

    A named tuple: immutable like a frozen dataclass, and four times cheaper to make.
    """

    start: int
    end: int
    payload: T
    phrase: str


@dataclass(frozen=True)
class _Phrase(Generic[T]):
    phrase: str
    first: str
    rest: tuple[tuple[str, str], ...]  # (separator, word) after the first word
    prefix: str  # non-word text before the first word ("(" in "(PACE)"), usually ""
    suffix: str  # non-word text after the last word ("." in "U.S."), usually ""
    payload: T


class PhraseMatcher(Generic[T]):
    """All phrases compiled into one word index; see the module docstring for the rules."""

    def __init__(
        self,
        phrases: Iterable[tuple[str, T]] = (),
        *,
        ignore_case: bool = True,
        sentence_case: bool = False,
    ) -> None:
        self.ignore_case = ignore_case
        self.sentence_case = sentence_case
        self._index: dict[str, list[_Phrase[T]]] = {}
        self._flipped: dict[str, list[_Phrase[T]]] = {}
        for phrase, payload in phrases:
            self.add(phrase, payload)

    def __len__(self) -> int:
        return sum(len(v) for v in self._index.values())

    def add(self, phrase: str, payload: T) -> bool:
        """Index one phrase; False if it has no word characters (it can never match)."""
        folded = fold(phrase.strip(), self.ignore_case)
        words = list(_WORD.finditer(folded))
        if not words:
            return False
        rest = tuple(
            (_norm_sep(folded[a.end() : b.start()]), b.group())
            for a, b in itertools.pairwise(words)
        )
        compiled = _Phrase(
            phrase=phrase,
            first=words[0].group(),
            rest=rest,
            prefix=folded[: words[0].start()],
            suffix=folded[words[-1].end() :],
            payload=payload,
        )
        self._index.setdefault(compiled.first, []).append(compiled)
        if self.sentence_case:
            for variant in _first_letter_variants(compiled.first):
                self._flipped.setdefault(variant, []).append(compiled)
        return True

    # -- matching ------------------------------------------------------------------------
    def find_all(self, text: str) -> list[Hit[T]]:
        """Every occurrence of every phrase, overlapping ones included, in text order."""
        if not self._index or not text:
            return []
        folded = fold(text, self.ignore_case)
        index, flipped = self._index, self._flipped
        # Pre-filter with one set operation in C: most texts contain no first word of
        # any phrase (and no possessive), and then no word positions are needed.
        # One pass of the regex: separators and words alternate, [sep, word, sep, ..., sep].
        parts = _WORD_SPLIT.split(folded)
        words = parts[1::2]
        candidates = index.keys() & words
        flip = flipped.keys() & words if flipped else _NO_WORDS
        possessive = "'" in folded
        if not candidates and not flip and not possessive:
            return []
        # Offsets from the running lengths of the parts (in C): word i is
        # folded[ends[2 * i] : ends[2 * i + 1]].
        ends = list(itertools.accumulate(map(len, parts)))
        hits: list[Hit[T]] = []
        if not possessive:  # only the positions of candidate first words
            if not flip:
                for i in [i for i, word in enumerate(words) if word in candidates]:
                    self._try(index[words[i]], ends, words, i, folded, hits)
                return hits
            for i in [i for i, word in enumerate(words) if word in candidates or word in flip]:
                word = words[i]
                if word in candidates:
                    self._try(index[word], ends, words, i, folded, hits)
                if word in flip and self._sentence_start(ends, i, folded):
                    self._try(flipped[word], ends, words, i, folded, hits)
            return hits
        for i, word in enumerate(words):
            if word in candidates:
                self._try(index[word], ends, words, i, folded, hits)
            if word in flip and self._sentence_start(ends, i, folded):
                self._try(flipped[word], ends, words, i, folded, hits)
            # "Aliyevs'" — a plural possessive of a one-word phrase.
            if possessive and word[-1:] == "s":
                start, end = ends[2 * i], ends[2 * i + 1]
                if folded.startswith("'", end):
                    found = index.get(word[:-1])
                    if found:
                        for p in found:
                            if not p.rest and not p.suffix and self._prefix_ok(p, folded, start):
                                hits.append(Hit(start, end - 1, p.payload, p.phrase))
        return hits

    def find(self, text: str) -> list[Hit[T]]:
        """Occurrences with overlaps resolved: the longest match wins (then the earliest)."""
        return longest_non_overlapping(self.find_all(text))

    @staticmethod
    def _prefix_ok(p: _Phrase[T], folded: str, start: int) -> bool:
        return not p.prefix or folded[max(0, start - len(p.prefix)) : start] == p.prefix

    def _try(
        self,
        candidates: list[_Phrase[T]],
        ends: list[int],
        words: list[str],
        i: int,
        folded: str,
        hits: list[Hit[T]],
    ) -> None:
        start, first_end = ends[2 * i], ends[2 * i + 1]
        for p in candidates:
            # Most phrases are one word: nothing more to compare before the edges.
            end = self._rest_end(p, ends, words, i, folded) if p.rest else first_end
            if end is None or (p.prefix and not self._prefix_ok(p, folded, start)):
                continue
            if p.suffix:
                if folded[end : end + len(p.suffix)] != p.suffix:
                    continue
                end += len(p.suffix)
            hits.append(Hit(start - len(p.prefix), end, p.payload, p.phrase))

    @staticmethod
    def _rest_end(
        p: _Phrase[T], ends: list[int], words: list[str], i: int, folded: str
    ) -> int | None:
        """Where phrase ``p``, its first word being word ``i``, ends; None if it is not there."""
        last = len(p.rest) - 1
        if i + last + 1 >= len(words):  # fewer words left than the phrase has
            return None
        end = ends[2 * i + 1]
        j = i
        for k, (sep, word) in enumerate(p.rest):
            j += 1
            w = words[j]
            w_end = ends[2 * j + 1]
            # The word first (most candidates fail there), then the separator before it:
            # a separator already in normal form (" " mostly) needs no normalising.
            if w == word:
                found_end = w_end
            elif k == last and w == word + "s" and folded.startswith("'", w_end):
                found_end = w_end - 1  # "Radio Liberty's" / "Human Rights Watchs'"
            else:
                return None
            between = folded[ends[2 * j - 1] : ends[2 * j]]
            if between != sep and _norm_sep(between) != sep:
                return None
            end = found_end
        return end

    @staticmethod
    def _sentence_start(ends: list[int], i: int, folded: str) -> bool:
        """Whether word ``i`` starts a sentence (text start, or after . ! ? … and a space)."""
        before = folded[ends[2 * i - 1] : ends[2 * i]] if i else folded[: ends[0]]
        if i == 0:
            return not before.strip(_OPENERS + _BLANK)
        core = before.rstrip(_OPENERS + _BLANK)
        has_space = any(c.isspace() for c in before)
        return has_space and bool(core) and core[-1] in _SENTENCE_END


def longest_non_overlapping(hits: list[Hit[T]]) -> list[Hit[T]]:
    """Keep the longest hits that do not overlap a longer (or earlier equal) one; text order."""
    if len(hits) < 2:
        return list(hits)
    chosen: list[Hit[T]] = []
    for hit in sorted(hits, key=lambda h: (h.start - h.end, h.start)):
        if all(hit.end <= c.start or hit.start >= c.end for c in chosen):
            chosen.append(hit)
    chosen.sort(key=lambda h: h.start)
    return chosen
