"""The ``#.`` notes of one PO entry, read and written through ``transflow.notes``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polib

from transflow.notes import format_notes, note, parse_notes

# -- extracted-comment notes ----------------------------------------------------------


def get_note(entry: polib.POEntry, key: str) -> str | None:
    """The value of a ``key: value`` line in the entry's ``#.`` comment."""
    return note(entry.comment or "", key)


def get_notes(entry: polib.POEntry, key: str) -> list[str]:
    """The values of every ``key: value`` line (``glossary`` has one per term)."""
    return [v for k, v in parse_notes(entry.comment or "") if k == key]


def set_note(entry: polib.POEntry, key: str, value: str | Sequence[str] | None) -> None:
    """Set (or, with None, remove) ``key: value`` lines in the ``#.`` comment.

    A sequence gives one line per value, in order (an empty one removes the key).
    When the notes mean what they meant, the lines are left as they are (another
    tool may have wrapped them), so re-running a command changes no byte.
    """
    set_notes(entry, {key: value})


def set_notes(entry: polib.POEntry, values: Mapping[str, str | Sequence[str] | None]) -> None:
    """``set_note`` for several keys at once, reading the comment once."""
    old = parse_notes(entry.comment or "")
    notes = [(k, v) for k, v in old if k not in values]
    for key, value in values.items():
        if isinstance(value, str):
            notes.append((key, value))
        elif value is not None:
            notes.extend((key, v) for v in value)
    comment = format_notes(notes)
    if comment != entry.comment and parse_notes(comment) != old:
        entry.comment = comment
