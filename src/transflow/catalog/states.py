"""The state rules: every change of a target, a state or an approval goes through here.

A unit's state lives in its PO entry: the target, the flags (``fuzzy``,
``machine``, ``memory``) and the approval comment (see ``transflow.approval``).
The functions here are the only ones that change them, so no caller can leave
a stale approval, a suggestion flag on a typed text, or a target on a unit
marked new; each drops the provenance notes that no longer describe the text.
"""

from __future__ import annotations

import polib

from transflow.approval import (
    LEGACY_FLAG,
    Approval,
    approval_line,
    find_approval,
    strip_approval,
)
from transflow.notes import PROVENANCE_KEYS, format_notes, parse_notes
from transflow.unit import State, review_state

STATE_FLAGS = ("fuzzy", "machine", "memory", LEGACY_FLAG)


# -- states ---------------------------------------------------------------------------
#
# The state rules live here, in one place: every change of a target or a state goes
# through these functions (the review API, pretranslate, segment, import), so no
# caller can leave a stale approval, a suggestion flag on a typed text, or a target
# on a unit marked new.


def state_of(entry: polib.POEntry) -> State:
    """The review state of an entry: target, flags and approval (see ``transflow.approval``)."""
    return review_state(entry.msgid, entry.msgstr, entry.flags, entry.tcomment or "")


def approval_of(entry: polib.POEntry) -> Approval | None:
    """The entry's recorded approval (current or stale), or None."""
    return find_approval(entry.tcomment or "", entry.msgid, entry.msgstr, tuple(entry.flags))


def _drop_approval(entry: polib.POEntry) -> None:
    entry.tcomment = strip_approval(entry.tcomment or "")
    entry.flags = [f for f in entry.flags if f != LEGACY_FLAG]


def drop_provenance(entry: polib.POEntry) -> None:
    notes = parse_notes(entry.comment or "")
    kept = [(k, v) for k, v in notes if k not in PROVENANCE_KEYS]
    if len(kept) != len(notes):
        entry.comment = format_notes(kept)


def _set_flags(entry: polib.POEntry, state_flags: list[str]) -> None:
    entry.flags = state_flags + [f for f in entry.flags if f not in STATE_FLAGS]


def set_state(entry: polib.POEntry, state: State) -> None:
    """Put an entry in ``state``, keeping other flags (e.g. c-format); any approval goes.

    ``NEW`` also empties the target (a unit with a target is never new);
    ``REVIEWED`` is refused: only ``approve`` records who approved what.
    """
    if state == State.REVIEWED:
        raise ValueError("a unit becomes reviewed only through approve(), which records who")
    if state == State.NEW:
        clear(entry)
        return
    _drop_approval(entry)
    _set_flags(
        entry,
        {
            State.MACHINE: ["fuzzy", "machine"],
            State.MEMORY: ["fuzzy", "memory"],
            State.NEEDS_REVIEW: ["fuzzy"],
            State.TRANSLATED: [],
        }[state],
    )
    if state >= State.TRANSLATED:
        entry.previous_msgid = None
        entry.previous_msgctxt = None


def set_target(entry: polib.POEntry, text: str) -> bool:
    """Save ``text`` as the unit's translation: translated, or new if it is blank.

    Provenance notes (machine, memory) are dropped when the text differs from the
    suggestion they describe; a suggestion accepted as it is keeps its note. An
    approval survives only a no-op (the same text on a unit already translated).
    Returns whether anything changed.
    """
    if not text.strip():
        return clear(entry)
    state = state_of(entry)
    if text == entry.msgstr and state >= State.TRANSLATED:
        return False
    if text != entry.msgstr:
        drop_provenance(entry)
    entry.msgstr = text
    set_state(entry, State.TRANSLATED)
    return True


def approve(entry: polib.POEntry, reviewer: str, when: str | None = None) -> None:
    """Record ``reviewer``'s approval of the entry's current text.

    Only a translated unit can be approved (re-approving a reviewed one renews
    the record); new units and suggestions still need a translator's decision.
    """
    state = state_of(entry)
    if state < State.TRANSLATED:
        raise ValueError(f"cannot approve a unit in state {state.label!r}")
    _drop_approval(entry)
    line = approval_line(reviewer, entry.msgid, entry.msgstr, when)
    entry.tcomment = f"{entry.tcomment}\n{line}" if entry.tcomment else line


def unapprove(entry: polib.POEntry) -> bool:
    """Take an approval back: the unit stays translated. Returns whether there was one."""
    had = approval_of(entry) is not None
    _drop_approval(entry)
    return had


def reject(entry: polib.POEntry) -> None:
    """Send a unit back to *needs review*, keeping its text; any approval goes."""
    if not entry.msgstr.strip():
        raise ValueError("cannot reject a unit without a target")
    set_state(entry, State.NEEDS_REVIEW)


def clear(entry: polib.POEntry) -> bool:
    """Empty the target: the unit is new again, with no approval and no provenance notes."""
    changed = bool(entry.msgstr) or bool(entry.msgstr_plural) or state_of(entry) != State.NEW
    changed = changed or approval_of(entry) is not None
    entry.msgstr = ""
    if entry.msgstr_plural:
        entry.msgstr_plural = {k: "" for k in entry.msgstr_plural}
    _drop_approval(entry)
    drop_provenance(entry)
    _set_flags(entry, [])
    entry.previous_msgid = None
    entry.previous_msgctxt = None
    return changed


def migrate_legacy_approval(entry: polib.POEntry, reviewer: str, when: str | None) -> bool:
    """Turn an old ``#, reviewed`` flag into an approval comment bound to the current text."""
    if LEGACY_FLAG not in entry.flags:
        return False
    keep = state_of(entry) == State.REVIEWED and "approved:" not in (entry.tcomment or "")
    entry.flags = [f for f in entry.flags if f != LEGACY_FLAG]
    if keep:
        line = approval_line(reviewer, entry.msgid, entry.msgstr, when)
        entry.tcomment = f"{entry.tcomment}\n{line}" if entry.tcomment else line
    return True
