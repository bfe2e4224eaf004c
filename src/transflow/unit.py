"""Translation units and their review states.

A unit is one sentence, heading, salutation, list item or signature line of a
source document. Its state lives in the PO entry's flags (see ``catalog``);
states are ordered like translate-toolkit's workflow states, so "at least
translated" is a comparison.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import IntEnum

__all__ = ["BlockKind", "State", "Unit", "word_count"]


class State(IntEnum):
    """Review state of a unit in one locale, from least to most finished."""

    NEW = 0  # no target
    MACHINE = 1  # fuzzy, machine: an MT suggestion
    MEMORY = 2  # fuzzy, memory: a fuzzy translation-memory match
    NEEDS_REVIEW = 3  # fuzzy alone: e.g. the source changed under a translation
    TRANSLATED = 4  # no fuzzy flag
    REVIEWED = 5  # approved by a reviewer; the only state published by default

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", " ")


class BlockKind:
    """Names of block kinds, as written in ``#.`` comments and JSON."""

    TITLE = "title"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list-item"
    SALUTATION = "salutation"
    ADDRESS = "address"
    DATELINE = "dateline"
    SIGNATURE = "signature"
    SEPARATOR = "separator"

    ALL = (
        TITLE,
        HEADING,
        PARAGRAPH,
        LIST_ITEM,
        SALUTATION,
        ADDRESS,
        DATELINE,
        SIGNATURE,
        SEPARATOR,
    )


_WORD = re.compile(r"\w+(?:[’'.\-]\w+)*", re.UNICODE)


def word_count(text: str) -> int:
    """Count words the way translators quote work: runs of letters/digits.

    "Euro-integration", "Aliyev’s" and "2.5" count as one word each.
    """
    return len(_WORD.findall(text))


@dataclass(frozen=True)
class Unit:
    """One translatable piece of a source document.

    ``id`` is stable across re-segmentation (see ``segment``); ``line`` is the
    1-based line in the source file where the unit's block starts; ``block`` is
    the index of the block in the document skeleton; ``terms`` are glossary
    entry ids found in ``text``.
    """

    id: str
    kind: str
    text: str
    doc: str
    line: int
    block: int
    terms: tuple[str, ...] = field(default=())

    @property
    def words(self) -> int:
        return word_count(self.text)
