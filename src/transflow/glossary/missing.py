"""``transflow glossary missing``: names in ``source/`` that no glossary entry covers.

A name is a capitalised word that does not start a sentence (its capital says
nothing there), or an acronym ("NATO", "OSCE") anywhere. It is covered when it
lies inside a glossary match (the approved English form or any variant) or in
an occurrence of a phrase on the glossary's top-level ``ignore`` list
(matched with its case: "Dear" is no licence for "DEAR"). Adjacent uncovered
words are one name ("Jane Doe"). Sentences are split with the segmenter's own
rules, so "Mr. Aliyev" is not a sentence start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from transflow.glossary.model import Glossary, outside_urls
from transflow.glossary_match import PhraseMatcher

if TYPE_CHECKING:
    from transflow.config import Project

__all__ = ["MissingName", "missing_names", "uncovered_names"]

# A run of letters/digits starting with a letter: apostrophes, hyphens and slashes split
# words, so "Aliyev’s" gives "Aliyev" + "s" and "Aliyev-affiliated" gives "Aliyev" + "affiliated".
_WORD = re.compile(r"[^\W\d_]\w*")
# What may stand between two words of one name, for grouping the report.
_NAME_GAP = re.compile(r"[\s\-/’']*")


class _Span(NamedTuple):
    start: int
    end: int


def _sentence_starts(text: str) -> set[int]:
    """Offsets of the first word of each sentence of ``text`` (split as ``segment`` does)."""
    from transflow.segment import split_sentences

    starts, pos = set(), 0
    for sentence in split_sentences(text):
        offset = text.find(sentence, pos)
        first = _WORD.search(sentence)
        if offset >= 0 and first:
            starts.add(offset + first.start())
            pos = offset + len(sentence)
    return starts


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def uncovered_names(glossary: Glossary, text: str) -> list[str]:
    """The names of ``text`` that nothing in ``glossary`` covers, in order (see the module doc)."""
    ignore: PhraseMatcher[str] = PhraseMatcher(ignore_case=False)
    for phrase in glossary.ignore:
        ignore.add(phrase, phrase)
    covered = [(m.start, m.end) for m in glossary.match(text)]
    covered += [(h.start, h.end) for h in ignore.find_all(text)]
    starts = _sentence_starts(text)
    names: list[tuple[int, int]] = []
    words = [_Span(*m.span()) for m in _WORD.finditer(text)]
    for word in outside_urls(text, words):
        start, end = word.start, word.end
        token = text[start:end]
        if not token[0].isupper() or (start in starts and not _is_acronym(token)):
            continue
        if any(a <= start and end <= b for a, b in covered):
            continue
        if names and _NAME_GAP.fullmatch(text[names[-1][1] : start]):
            names[-1] = (names[-1][0], end)
        else:
            names.append((start, end))
    return [text[a:b] for a, b in names]


@dataclass(frozen=True)
class MissingName:
    """A name no entry covers, and where it occurs (``source/doc.md``, line)."""

    name: str
    places: tuple[tuple[str, int], ...]

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "count": len(self.places),
            "places": [{"path": path, "line": line} for path, line in self.places],
        }


def missing_names(project: Project, glossary: Glossary) -> list[MissingName]:
    """Every uncovered name of the project's sources, most frequent first, then by name."""
    from transflow.document import parse_document
    from transflow.segment import segment_document

    found: dict[str, list[tuple[str, int]]] = {}
    for doc in project.docs():
        path = project.source_file(doc)
        units, _ = segment_document(parse_document(path, doc))
        shown = project.relative(path)
        for unit in units:
            for name in uncovered_names(glossary, unit.text):
                found.setdefault(" ".join(name.split()), []).append((shown, unit.line))
    ordered = sorted(found.items(), key=lambda item: (-len(item[1]), item[0].casefold()))
    return [MissingName(name, tuple(places)) for name, places in ordered]
