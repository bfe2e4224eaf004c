"""Notes in a PO entry's extracted comment (``#.``): ``key: value`` lines transflow writes.

One reader for every part of transflow (catalog edits, ``check``, the review
API): ``kind``, ``terms``, and the provenance of suggestions (``machine``,
``memory``, ``protection-failed``). polib (like xgettext) wraps a long ``#.``
line at 78 columns, and other tools may too, so a line that does not start
with a known key continues the note above it; reading only the first line
cut 20 ``terms:`` notes short on the bundled catalogs.
"""

from __future__ import annotations

import re

__all__ = ["NOTE_KEYS", "PROVENANCE_KEYS", "format_notes", "note", "parse_notes"]

# The keys transflow writes.
NOTE_KEYS = frozenset({"kind", "terms", "glossary", "machine", "memory", "protection-failed"})
# Notes that describe where a suggested target came from (dropped when the text changes).
PROVENANCE_KEYS = ("machine", "memory", "protection-failed")
_NOTE = re.compile(r"^([a-z][a-z-]*): ?(.*)$")
_ORDER = {"kind": 0, "terms": 1, "glossary": 2}


def parse_notes(comment: str) -> list[tuple[str, str]]:
    """``(key, value)`` for every note; other lines come as ``("", line)``, in order."""
    out: list[tuple[str, str]] = []
    for line in comment.splitlines():
        match = _NOTE.match(line)
        if match and match.group(1) in NOTE_KEYS:
            out.append((match.group(1), match.group(2)))
        elif out and out[-1][0]:
            key, value = out[-1]
            # textwrap breaks after the hyphen inside "committee-of-ministers"
            glue = "" if value[-2:-1].isalnum() and value.endswith("-") else " "
            out[-1] = (key, f"{value}{glue}{line.strip()}")
        else:
            out.append(("", line))
    return out


def note(comment: str, key: str) -> str | None:
    """The value of the ``key`` note in ``comment`` (wrapped lines joined), or None."""
    if f"{key}:" not in comment:
        return None
    for k, v in parse_notes(comment):
        if k == key:
            return v
    return None


def format_notes(notes: list[tuple[str, str]]) -> str:
    """An extracted comment from notes, in a stable order (kind, terms, glossary, the rest)."""
    ordered = sorted(notes, key=lambda kv: _ORDER.get(kv[0], 3))
    return "\n".join(f"{k}: {v}" if k else v for k, v in ordered)
