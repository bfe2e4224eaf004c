"""Approval: a reviewer's sign-off on one translation, kept where every gettext tool keeps it.

``msgcat``, ``msgmerge`` and ``msgattrib`` drop flags they do not know, and
Poedit and Weblate never show them, so an approval stored as a ``#, reviewed``
flag is lost by the first standard tool a catalog goes through. A translator
comment survives all of them (and polib), so the approval is one::

    # approved: Anna Schmidt <anna@example.org> 2026-12-02T10:15Z 3f2a9c0b1d4e

the reviewer, the time (UTC) and the first 12 hex digits of the SHA-256 of
the approved source and target. The approval counts only while that digest
still matches the entry: a target edited later in Poedit, or a source edited
in ``source/``, voids it (the unit reads as *translated*, and ``check``
reports ``approval-stale``). Nothing else can forge or carry it over.

The legacy ``#, reviewed`` flag of earlier transflow versions is still read
(it cannot be verified against the text, so it is migrated to a comment with
the current digest on the next save, see ``catalog``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

__all__ = [
    "APPROVAL_KEY",
    "LEGACY_FLAG",
    "Approval",
    "approval_line",
    "find_approval",
    "is_approved",
    "now_iso",
    "split_approval",
    "strip_approval",
    "text_digest",
]

APPROVAL_KEY = "approved:"
LEGACY_FLAG = "reviewed"  # the flag earlier versions wrote; read, never written
DIGEST_LENGTH = 12
_DIGEST = re.compile(r"^[0-9a-f]{12}$")
_WHEN = re.compile(r"^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?Z)?$")
# A whole well-formed approval line, as ``_parse`` reads one (reviewer, when, digest).
_ONE_LINE = re.compile(
    r"approved:\s*(\S.*) (\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?Z)?) ([0-9a-f]{12})"
)


@dataclass(frozen=True, slots=True)
class Approval:
    """Who approved a unit, when, and whether the approval still holds.

    ``current`` is False when the text changed since it was approved (or the
    comment is not a well-formed approval); ``legacy`` marks an approval read
    from the old ``#, reviewed`` flag, which has no reviewer, date or digest.
    """

    reviewer: str
    when: str
    digest: str
    current: bool
    legacy: bool = False

    @property
    def stale(self) -> bool:
        return not self.current


def text_digest(source: str, target: str) -> str:
    """The short digest an approval binds to: SHA-256 of source and target, 12 hex digits."""
    data = f"{source}\x00{target}".encode()
    return hashlib.sha256(data).hexdigest()[:DIGEST_LENGTH]


def now_iso() -> str:
    """The current time as an approval records it (UTC, minutes)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%MZ")


def approval_line(reviewer: str, source: str, target: str, when: str | None = None) -> str:
    """The translator-comment line (without ``# ``) approving ``target`` for ``source``."""
    name = " ".join(reviewer.split())
    if not name:
        raise ValueError("an approval needs a reviewer's name")
    return f"{APPROVAL_KEY} {name} {when or now_iso()} {text_digest(source, target)}"


_WRAPPED_LINES = 4  # how many lines a wrapping tool may have made of one approval


def _approval_lines(tcomment: str) -> list[tuple[int, int, str]]:
    """``(first, end, text)`` of each approval in a translator comment, by line index.

    polib (like xgettext) wraps comment lines at 78 columns, breaking at spaces,
    so an approval with a long reviewer name may span lines: the lines after
    ``approved:`` are joined until the text ends in a date and a digest.
    """
    lines = tcomment.split("\n")
    found: list[tuple[int, int, str]] = []
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if not stripped.startswith(APPROVAL_KEY):
            i += 1
            continue
        text, end = stripped, i + 1
        while not _complete(text) and end < len(lines) and end - i < _WRAPPED_LINES:
            more = lines[end].strip()
            if not more or more.startswith(APPROVAL_KEY):
                break
            text, end = f"{text} {more}", end + 1
        if not _complete(text):
            end = i + 1  # damaged: only its own line is the approval
            text = stripped
        found.append((i, end, text))
        i = end
    return found


def _complete(text: str) -> bool:
    parts = text.rsplit(" ", 2)
    return len(parts) == 3 and bool(_DIGEST.match(parts[2])) and bool(_WHEN.match(parts[1]))


def _parse(line: str, source: str, target: str) -> Approval:
    rest = line[len(APPROVAL_KEY) :].strip()
    parts = rest.rsplit(" ", 2)
    if len(parts) == 3 and _DIGEST.match(parts[2]) and _WHEN.match(parts[1]) and parts[0]:
        reviewer, when, digest = parts
        return Approval(reviewer, when, digest, digest == text_digest(source, target))
    return Approval(rest, "", "", False)  # hand-written or damaged: never counts


def find_approval(
    tcomment: str, source: str, target: str, flags: tuple[str, ...] | list[str] = ()
) -> Approval | None:
    """The approval recorded in a translator comment (the last one, if several), or None.

    A fuzzy entry or a blank target has no current approval whatever the
    comment says. Without a comment, the legacy ``reviewed`` flag counts as a
    current approval of unknown origin.
    """
    found = _recorded(tcomment, source, target) if APPROVAL_KEY in tcomment else None
    if found is None and LEGACY_FLAG in flags:
        found = Approval("", "", "", True, legacy=True)
    if found is not None and found.current and ("fuzzy" in flags or not target.strip()):
        found = Approval(found.reviewer, found.when, found.digest, False, found.legacy)
    return found


def is_approved(tcomment: str, source: str, target: str, flags: Collection[str]) -> bool:
    """Whether the entry has a current approval: ``find_approval(...).current``, without
    building an ``Approval`` in the common case (one well-formed line; the state of every
    approved unit of every catalog is read this way)."""
    if "\n" not in tcomment and "fuzzy" not in flags:
        match = _ONE_LINE.fullmatch(tcomment.strip())
        if match is not None:
            return bool(target.strip()) and match.group(3) == text_digest(source, target)
    approval = find_approval(tcomment, source, target, tuple(flags))
    return approval is not None and approval.current


@lru_cache(maxsize=256)
def _recorded(tcomment: str, source: str, target: str) -> Approval | None:
    """The last approval line's ``Approval``, memoised: ``check`` asks twice per unit (for
    its state and for ``approval-stale``), and the digest is a SHA-256 of the text."""
    if "\n" not in tcomment:  # one line, the common case: what the general path concludes
        match = _ONE_LINE.fullmatch(tcomment.strip())
        if match is not None:
            reviewer, when, digest = match.groups()
            return Approval(reviewer, when, digest, digest == text_digest(source, target))
    spans = _approval_lines(tcomment)
    return _parse(spans[-1][2], source, target) if spans else None


def split_approval(tcomment: str) -> tuple[str, str]:
    """(what a translator wrote, the approval lines) of a translator comment."""
    if APPROVAL_KEY not in tcomment:
        return tcomment, ""
    lines = tcomment.split("\n")
    taken: set[int] = set()
    for first, end, _ in _approval_lines(tcomment):
        taken.update(range(first, end))
    own = "\n".join(line for i, line in enumerate(lines) if i not in taken)
    approval = "\n".join(line for i, line in enumerate(lines) if i in taken)
    return own, approval


def strip_approval(tcomment: str) -> str:
    """The translator comment without its approval lines (what a translator wrote)."""
    return split_approval(tcomment)[0]
