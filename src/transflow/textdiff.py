"""Word diffs, for showing a reviewer what changed between two sentences.

A memory match was made for a slightly different English sentence, and an
edited source sentence keeps the English its translation was made for
(``#| msgid``); in both cases the reviewer needs to see which *words* differ,
as OmegaT and Poedit show them. ``difflib`` over word tokens (punctuation and
whitespace are tokens of their own) gives that without a dependency.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["DiffPart", "changed", "word_diff"]

_TOKEN = re.compile(r"\s+|\w+(?:[’'\-]\w+)*|[^\w\s]")
Op = Literal["equal", "insert", "delete"]


@dataclass(frozen=True, slots=True)
class DiffPart:
    """A run of text that both sentences share, or only the new (insert) or old (delete) one."""

    op: Op
    text: str


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[DiffPart]:
    """How ``new`` differs from ``old``, word by word, in reading order.

    Joining the ``equal`` and ``delete`` parts gives ``old``; joining the
    ``equal`` and ``insert`` parts gives ``new``. A replaced run is its
    deletion followed by its insertion.
    """
    a, b = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    parts: list[DiffPart] = []

    def add(op: Op, tokens: list[str]) -> None:
        if not tokens:
            return
        text = "".join(tokens)
        if parts and parts[-1].op == op:
            parts[-1] = DiffPart(op, parts[-1].text + text)
        else:
            parts.append(DiffPart(op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", a[i1:i2])
        else:
            add("delete", a[i1:i2])
            add("insert", b[j1:j2])
    return parts


def changed(parts: list[DiffPart]) -> bool:
    """Whether a diff has any change that is more than whitespace."""
    return any(p.op != "equal" and p.text.strip() for p in parts)
