"""Saving next to other writers: this session's edits re-applied on top of the file on disk.

A catalog is read, edited (a reviewer in the review UI, ``pretranslate``,
``import``) and saved. If another writer saved the same file meanwhile, the
edits of both are kept by a three-way merge keyed on unit id: *base* (the file
as this session read it), *mine* (the catalog in memory) and *theirs* (the file
on disk now). A unit changed on one side only takes that side; a unit changed
on both sides to the same result is fine; a unit changed on both sides
differently is a conflict, which is never resolved silently: the caller gets
both versions (``Conflict``) and says which one wins, unit by unit.

Edits are merged *into* the catalog in memory, so entry objects a caller holds
for units nobody else touched stay valid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import polib

from transflow.notes import format_notes, parse_notes

__all__ = ["Conflict", "Snapshot", "entry_key", "entry_keys", "fingerprint", "reapply"]

# (obsolete, msgctxt, msgid): live entries are keyed on their unit id alone, so an
# edited source is a change of the unit, not a new one; obsolete entries and entries
# without a context also need the source to be told apart.
EntryKey = tuple[bool, str, str]
Side = Literal["mine", "theirs"]

_FIELDS = (
    "msgid",
    "msgid_plural",
    "msgstr",
    "msgctxt",
    "obsolete",
    "comment",
    "tcomment",
    "occurrences",
    "flags",
    "previous_msgctxt",
    "previous_msgid",
    "previous_msgid_plural",
)


def entry_key(entry: polib.POEntry) -> EntryKey:
    if entry.obsolete or entry.msgctxt is None:
        return (bool(entry.obsolete), entry.msgctxt or "", entry.msgid)
    return (False, entry.msgctxt, "")


def entry_keys(entries: Iterable[polib.POEntry]) -> list[EntryKey]:
    """The key of each entry; a second live entry with an id already used also needs its source.

    Two entries may share an id in a hand-edited file (``msgfmt`` accepts it):
    keyed on the id alone, one would overwrite the other in a merge.
    """
    keys: list[EntryKey] = []
    seen: set[EntryKey] = set()
    for entry in entries:
        key = entry_key(entry)
        if key in seen:
            key = (key[0], key[1], entry.msgid)
        seen.add(key)
        keys.append(key)
    return keys


def fingerprint(entry: polib.POEntry) -> tuple[Any, ...]:
    """Everything about an entry that a save writes (its line number aside)."""
    return (
        entry.msgid,
        entry.msgid_plural,
        entry.msgstr,
        tuple(sorted((entry.msgstr_plural or {}).items())),
        entry.msgctxt,
        bool(entry.obsolete),
        entry.comment or "",
        entry.tcomment or "",
        tuple(tuple(o) for o in entry.occurrences),
        tuple(entry.flags),
        entry.previous_msgctxt,
        entry.previous_msgid,
        entry.previous_msgid_plural,
    )


_COMMENT = fingerprint(polib.POEntry(comment="\0")).index("\0")  # its place in a fingerprint


def _unwrapped(print_: tuple[Any, ...] | None) -> tuple[Any, ...] | None:
    """A fingerprint with its ``#.`` notes as they read, however their lines were wrapped."""
    if print_ is None or not print_[_COMMENT]:
        return print_
    notes = format_notes(parse_notes(print_[_COMMENT]))
    return (*print_[:_COMMENT], notes, *print_[_COMMENT + 1 :])


@dataclass(frozen=True)
class Snapshot:
    """What a catalog held when it was read (or last saved): the *base* of a merge."""

    order: tuple[EntryKey, ...]
    entries: dict[EntryKey, tuple[Any, ...]]
    metadata: dict[str, str]
    header: str

    @classmethod
    def of(cls, po: polib.POFile) -> Snapshot:
        order = tuple(entry_keys(po))
        entries = {key: fingerprint(e) for key, e in zip(order, po, strict=True)}
        return cls(order, entries, dict(po.metadata), po.header or "")


@dataclass(frozen=True)
class Conflict:
    """A unit both this session and another writer changed, differently (None = removed)."""

    unit: str
    mine: polib.POEntry | None
    theirs: polib.POEntry | None

    @property
    def mine_target(self) -> str | None:
        return None if self.mine is None else self.mine.msgstr

    @property
    def theirs_target(self) -> str | None:
        return None if self.theirs is None else self.theirs.msgstr


def _unit_name(key: EntryKey) -> str:
    return key[1] or key[2]


def _copy_into(target: polib.POEntry, source: polib.POEntry) -> None:
    for name in _FIELDS:
        value = getattr(source, name)
        if isinstance(value, list):
            value = [tuple(v) if isinstance(v, tuple) else v for v in value]
        setattr(target, name, value)
    target.msgstr_plural = dict(source.msgstr_plural or {})


def reapply(
    base: Snapshot,
    mine: polib.POFile,
    theirs: polib.POFile,
    prefer: Mapping[str, Side] | None = None,
) -> tuple[list[Conflict], set[str]]:
    """Bring ``theirs``'s changes since ``base`` into ``mine``, keeping ``mine``'s own.

    Returns the conflicts (units changed differently on both sides that
    ``prefer`` does not settle; ``mine`` is left untouched if there are any)
    and the units whose content now comes from ``theirs``.
    """
    prefer = prefer or {}
    my_order = entry_keys(mine)
    their_order = entry_keys(theirs)
    my_entries = dict(zip(my_order, mine, strict=True))
    their_entries = dict(zip(their_order, theirs, strict=True))
    keys = list(dict.fromkeys([*my_entries, *their_entries, *base.order]))
    take: list[EntryKey] = []  # keys whose entry comes from theirs (None there: removed)
    conflicts: list[Conflict] = []
    for key in keys:
        b = base.entries.get(key)
        m_entry, t_entry = my_entries.get(key), their_entries.get(key)
        m = None if m_entry is None else fingerprint(m_entry)
        t = None if t_entry is None else fingerprint(t_entry)
        if t != b and m != t:  # a tool that wraps ``#.`` lines (polib) changed no note
            b, m, t = _unwrapped(b), _unwrapped(m), _unwrapped(t)
        if t == b or m == t:
            continue  # they changed nothing here, or the same thing
        if m == b:
            take.append(key)
            continue
        side = prefer.get(_unit_name(key))
        if side == "theirs":
            take.append(key)
        elif side != "mine":
            conflicts.append(Conflict(_unit_name(key), m_entry, t_entry))
    if conflicts:
        return conflicts, set()
    # The entries, in an order that keeps both sides' structure.
    if tuple(my_order) == base.order:
        order = their_order + [k for k in my_order if k not in their_entries]
    else:
        added = [k for k in their_order if k not in my_entries and k not in base.entries]
        order = my_order + added
    taken = set(take)
    result: list[polib.POEntry] = []
    for key in dict.fromkeys(order):
        if key in taken:
            entry = their_entries.get(key)
            if entry is None:
                continue  # they removed it
            own = my_entries.get(key)
            if own is not None:
                _copy_into(own, entry)
                entry = own
            result.append(entry)
        elif key in my_entries:
            result.append(my_entries[key])
    live = [e for e in result if not e.obsolete]
    mine[:] = live + [e for e in result if e.obsolete]
    # The header: their changes to fields this session left alone.
    for name, value in theirs.metadata.items():
        if base.metadata.get(name) != value and mine.metadata.get(name) == base.metadata.get(name):
            mine.metadata[name] = value
    if (theirs.header or "") != base.header and (mine.header or "") == base.header:
        mine.header = theirs.header
    return [], {_unit_name(k) for k in take}
