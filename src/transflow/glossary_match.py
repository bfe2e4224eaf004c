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
from typing import Any, Generic, NamedTuple, TypeVar

__all__ = ["Hit", "PhraseMatcher", "fold", "longest_non_overlapping"]

T = TypeVar("T")

# Letters, digits, underscore, and combining marks (decomposed accents stay inside a word).
_WORD = re.compile(r"[\w\u0300-\u036f\u0483-\u0489]+")
_WORD_CHAR = r"[\w\u0300-\u036f\u0483-\u0489]"
_IS_WORD = re.compile(_WORD_CHAR).match  # (text, position): whether a word character is there
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


def fold(text: str, ignore_case: bool) -> str:
    """Normalise apostrophes and hyphens (and, with ``ignore_case``, lower-case) in place.

    The result has exactly the length of ``text``. Python lower-cases "İ" to
    two characters; it is kept as it is, which also keeps it distinct from "I".
    """
    if text.isascii():  # no typographic mark and no "İ" (isascii costs nothing)
        return text.lower() if ignore_case else text
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


def _hit(start: int, end: int, payload: T, phrase: str) -> Hit[T]:
    """``Hit(start, end, payload, phrase)`` without the named tuple's ``__new__`` in Python
    (a quarter of the cost of a hit)."""
    return tuple.__new__(Hit, (start, end, payload, phrase))


@dataclass(frozen=True)
class _Phrase(Generic[T]):
    phrase: str
    first: str
    rest: tuple[tuple[str, str], ...]  # (separator, word) after the first word
    prefix: str  # non-word text before the first word ("(" in "(PACE)"), usually ""
    suffix: str  # non-word text after the last word ("." in "U.S."), usually ""
    payload: T
    one_word: bool  # a bare word (most forms): its hit is the scanned word itself


# What the scanner's word can start: (phrases whose first word it is, phrases whose first
# word it is with another first-letter case — at a sentence start only —, one-word phrases
# it is the plural possessive of — before an apostrophe only). Each may be empty.
_Starts = tuple[tuple[_Phrase[T], ...], tuple[_Phrase[T], ...], tuple[_Phrase[T], ...]]


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
        self._scan: re.Pattern[str] | None = None
        self._starts: dict[str, _Starts[T]] = {}  # built with the scanner
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
        prefix = folded[: words[0].start()]
        suffix = folded[words[-1].end() :]
        compiled = _Phrase(
            phrase=phrase,
            first=words[0].group(),
            rest=rest,
            prefix=prefix,
            suffix=suffix,
            payload=payload,
            one_word=not rest and not prefix and not suffix,
        )
        self._scan = None  # the scanner is rebuilt with the new first word
        self._index.setdefault(compiled.first, []).append(compiled)
        if self.sentence_case:
            for variant in _first_letter_variants(compiled.first):
                self._flipped.setdefault(variant, []).append(compiled)
        return True

    # -- matching ------------------------------------------------------------------------
    def _scanner(self) -> re.Pattern[str]:
        """One regex finding every token that can start a hit, built on first use.

        Those tokens are the first words of the phrases (and, with
        ``sentence_case``, their first-letter variants) and the plural
        possessive forms of the first words ("aliyevs" of "aliyev"), as whole
        words. The words are laid out as a trie, so at each word start the
        regex engine follows one branch per letter instead of trying every word.
        """
        scanner = self._scan
        if scanner is None:
            words = set(self._index) | set(self._flipped)
            words |= {word + "s" for word in self._index}
            pattern = f"(?<!{_WORD_CHAR})(?:{_trie(words)})(?!{_WORD_CHAR})"
            scanner = self._scan = re.compile(pattern)
            index, flipped = self._index, self._flipped
            self._starts = {
                word: (
                    tuple(index.get(word, ())),
                    tuple(flipped.get(word, ())),
                    tuple(
                        p
                        for p in index.get(word[:-1], ())
                        if word[-1:] == "s" and not p.rest and not p.suffix
                    ),
                )
                for word in words
            }
        return scanner

    def find_all(self, text: str) -> list[Hit[T]]:
        """Every occurrence of every phrase, overlapping ones included, in text order."""
        if not self._index or not text:
            return []
        folded = fold(text, self.ignore_case)
        # One regex pass (in C) finds the few words that may start a hit; most texts have
        # none, and the text is never split into all its words.
        scanner = self._scanner()
        starts = self._starts
        hits: list[Hit[T]] = []
        for match in scanner.finditer(folded):
            start, end = match.span()
            own, flipped, possessive = starts[match.group()]
            for p in own:
                if p.one_word:  # most forms: the scanned word is the hit
                    hits.append(_hit(start, end, p.payload, p.phrase))
                else:
                    self._try(p, start, end, folded, hits)
            if flipped and self._sentence_start(start, folded):
                for p in flipped:
                    self._try(p, start, end, folded, hits)
            # "Aliyevs'" — a plural possessive of a one-word phrase.
            if possessive and folded.startswith("'", end):
                for p in possessive:
                    if self._prefix_ok(p, folded, start):
                        hits.append(_hit(start, end - 1, p.payload, p.phrase))
        return hits

    def find(self, text: str) -> list[Hit[T]]:
        """Occurrences with overlaps resolved: the longest match wins (then the earliest)."""
        return longest_non_overlapping(self.find_all(text))

    @staticmethod
    def _prefix_ok(p: _Phrase[T], folded: str, start: int) -> bool:
        return not p.prefix or folded[max(0, start - len(p.prefix)) : start] == p.prefix

    def _try(
        self, p: _Phrase[T], start: int, first_end: int, folded: str, hits: list[Hit[T]]
    ) -> None:
        """The hit of phrase ``p``, whose first word is ``folded[start:first_end]``, if any."""
        end = self._rest_end(p, first_end, folded) if p.rest else first_end
        if end is None or (p.prefix and not self._prefix_ok(p, folded, start)):
            return
        if p.suffix:
            if folded[end : end + len(p.suffix)] != p.suffix:
                return
            end += len(p.suffix)
        hits.append(_hit(start - len(p.prefix), end, p.payload, p.phrase))

    @staticmethod
    def _rest_end(p: _Phrase[T], end: int, folded: str) -> int | None:
        """Where phrase ``p``, its first word ending at ``end``, ends; None if it is not there."""
        last = len(p.rest) - 1
        for k, (sep, word) in enumerate(p.rest):
            # The common case without a regex: the separator in its normal form (" " mostly),
            # then a word. ``sep`` holds no word character, so that word starts right after it.
            after = end + len(sep)
            if folded.startswith(sep, end) and _IS_WORD(folded, after):
                if not folded.startswith(word, after):
                    return None  # another word (neither ``word`` nor its possessive)
                w_end = after + len(word)
                if not _IS_WORD(folded, w_end):
                    end = w_end
                    continue
            match = _WORD.search(folded, end)  # the next word
            if match is None:  # fewer words left than the phrase has
                return None
            w_start, w_end = match.span()
            w = match.group()
            # The word first (most candidates fail there), then the separator before it:
            # a separator already in normal form needs no normalising.
            if w == word:
                found_end = w_end
            elif k == last and w == word + "s" and folded.startswith("'", w_end):
                found_end = w_end - 1  # "Radio Liberty's" / "Human Rights Watchs'"
            else:
                return None
            between = folded[end:w_start]
            if between != sep and _norm_sep(between) != sep:
                return None
            end = found_end
        return end

    @staticmethod
    def _sentence_start(start: int, folded: str) -> bool:
        """Whether the word at ``start`` starts a sentence (text start, or after . ! ? … and a
        space)."""
        begin = start  # the end of the word before, if any
        while begin and not _IS_WORD(folded, begin - 1):
            begin -= 1
        before = folded[begin:start]
        if not begin:  # the first word of the text
            return not before.strip(_OPENERS + _BLANK)
        core = before.rstrip(_OPENERS + _BLANK)
        has_space = any(c.isspace() for c in before)
        return has_space and bool(core) and core[-1] in _SENTENCE_END


def _trie(words: Iterable[str]) -> str:
    """A regex alternation matching exactly ``words``, with common prefixes factored out."""
    root: dict[str, dict[str, Any]] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(root) or "(?!)"


def _trie_pattern(node: dict[str, dict[str, Any]]) -> str:
    branches = [
        re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:  # a word ends here and longer ones go on
        return f"(?:{body})?"
    return body


def longest_non_overlapping(hits: list[Hit[T]]) -> list[Hit[T]]:
    """Keep the longest hits that do not overlap a longer (or earlier equal) one; text order."""
    if len(hits) < 2:
        return list(hits)
    # The common case: hits in text order, none overlapping the next, so all are kept.
    if all(a.end <= b.start for a, b in itertools.pairwise(hits)):
        return list(hits)
    chosen: list[Hit[T]] = []
    for hit in sorted(hits, key=lambda h: (h.start - h.end, h.start)):
        if all(hit.end <= c.start or hit.start >= c.end for c in chosen):
            chosen.append(hit)
    chosen.sort(key=lambda h: h.start)
    return chosen
