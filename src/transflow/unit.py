"""Translation units and their review states.

A unit is one sentence, heading, salutation, list item or signature line of a
source document. Its state lives in the PO entry's target, flags and
approval comment (see ``catalog`` and ``approval``); states are ordered like
translate-toolkit's workflow states, so "at least translated" is a comparison.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cache
from typing import Any

__all__ = ["BlockKind", "State", "Unit", "control_character", "review_state", "word_count"]

# C0 controls but tab, newline and carriage return, DEL and the C1 controls (0x9b is a
# one-byte CSI): never text, wherever a text comes from (a source, a glossary, an import).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_character(text: str) -> re.Match[str] | None:
    """The first control character in ``text`` (a terminal escape, a NUL), if any."""
    return _CONTROL.search(text)


class State(IntEnum):
    """Review state of a unit in one locale, from least to most finished."""

    NEW = 0  # no target
    MACHINE = 1  # fuzzy, machine: an MT suggestion
    MEMORY = 2  # fuzzy, memory: a fuzzy translation-memory match
    NEEDS_REVIEW = 3  # fuzzy alone: e.g. the source changed under a translation
    TRANSLATED = 4  # no fuzzy flag (an approval voided by a later edit also reads as this)
    REVIEWED = 5  # translated with a current approval; the only state published by default

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", " ")


def review_state(source: str, target: str, flags: Collection[str], tcomment: str) -> State:
    """The state a PO entry stands for: its target, flags and approval (see ``approval``).

    ``REVIEWED`` needs a current approval: one whose digest still matches
    ``source`` and ``target`` (or the legacy ``reviewed`` flag); an approval
    voided by a later edit leaves the unit ``TRANSLATED``.
    """
    if not target.strip():
        return State.NEW
    if "fuzzy" in flags:
        if "machine" in flags:
            return State.MACHINE
        if "memory" in flags:
            return State.MEMORY
        return State.NEEDS_REVIEW
    if ("approved:" in tcomment or "reviewed" in flags) and _is_approved()(
        tcomment, source, target, flags
    ):
        return State.REVIEWED
    return State.TRANSLATED


@cache
def _is_approved() -> Callable[..., Any]:
    """``approval.is_approved``, imported once (a ``from`` import in a function runs
    importlib's machinery on every call: 1.5 % of a cold ``check``)."""
    from transflow.approval import is_approved

    return is_approved


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
    # Front-matter fields shown on a published page (the title is one too).
    RECIPIENT = "recipient"
    PLACE = "place"

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
        RECIPIENT,
        PLACE,
    )
    # Kinds that come from the front matter or the layout, never from a `<!-- kind -->` comment.
    NOT_IN_BODY = (TITLE, SEPARATOR, RECIPIENT, PLACE)


# -- words, as translate-toolkit's pocount counts them -----------------------------------
# translate/tools/pocount.py wordcount() and translate/lang/common.py Common.words():
# <br> → newline, XML tags removed, "x.y" between non-digits → space, split on
# whitespace, strip punctuation from each piece, count what is left.
_BR = re.compile(r"<br\s*?/?>")
_XML_TAG = re.compile(
    r"""<([\w.:]+)(\s([\w.:]+=((".*?")|('.*?')))?)*/?>|</([\w.]+)>""",
)
_ABBREV_DOT = re.compile(r"\D\.\D")
_PUNCTUATION = (
    ".,;:!?-@#$%^*_()[]{}/\\'`\"<>"  # common
    "‘’‛“”„‟′″‴‵‶‷‹›«»"  # quotes
    "¿¡"  # inverted
    "،؟؛÷"  # rtl
    "。、，；！？「」『』【】"  # CJK
    "।॥॰"  # Indic
    "።፤፣"  # Ethiopic
    "…±°¹²³·©®×£¥€"  # misc
)
_PUNCTUATION_ONLY = re.compile(rf"(?<!\S)[{re.escape(_PUNCTUATION)}]+(?!\S)")


def word_count(text: str) -> int:
    """Words as ``pocount`` counts them, so segment, coverage and translate-toolkit agree.

    Whitespace-separated pieces that are not only punctuation: "Aliyev’s",
    "Euro-integration" and "2.5" are one word each; a spaced en or em dash
    counts as a word (translate-toolkit does not list it as punctuation).
    """
    if "<" in text:
        text = _XML_TAG.sub("", _BR.sub("\n", text))
    if "." in text:
        text = _ABBREV_DOT.sub(" ", text)
    # Whitespace-separated pieces, less those made of punctuation only (both counted in C;
    # ``\s`` and ``str.split()`` agree on what whitespace is).
    return len(text.split()) - len(_PUNCTUATION_ONLY.findall(text))


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
