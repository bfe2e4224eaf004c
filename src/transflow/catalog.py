"""PO catalogs: the single source of truth for translations and their review state.

One catalog per locale and source document, ``locales/<locale>/<doc>.po``, plus
a template ``locales/<doc>.pot`` that records the unit ids (and lets Weblate or
Poedit start a new language). Conventions (see the design):

* ``msgctxt`` = unit id, ``msgid`` = source text, ``#:`` = ``source/<doc>.md:<line>``;
* ``#.`` holds ``key: value`` notes: ``kind``, ``terms``, and the provenance of
  suggestions (``machine``, ``memory``);
* the state is in the flags — none and no target = new; ``fuzzy, machine`` = MT
  suggestion; ``fuzzy, memory`` = fuzzy memory match; ``fuzzy`` = needs review;
  no ``fuzzy`` = translated; ``reviewed`` = approved.

Saving is atomic (temporary file in the same directory, fsync, rename) and
refuses to overwrite a file that changed on disk since it was read, under an
exclusive lock on the directory, so two writers can never silently lose each
other's edits. A save that would not change the file writes nothing, so
re-running a command on unchanged input leaves every byte as it was.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polib

from transflow.approval import (
    LEGACY_FLAG,
    Approval,
    approval_line,
    find_approval,
    strip_approval,
)
from transflow.errors import CatalogError, ConcurrentEditError
from transflow.locale import display_name, plural_forms
from transflow.notes import PROVENANCE_KEYS, format_notes, note, parse_notes
from transflow.reapply import Conflict, Side, Snapshot, reapply
from transflow.unit import State, Unit, review_state

__all__ = [
    "Catalog",
    "EditConflict",
    "MergeReport",
    "approval_of",
    "approve",
    "atomic_write",
    "clear",
    "get_note",
    "locked_directory",
    "merge_units",
    "migrate_legacy_approval",
    "reject",
    "set_note",
    "set_state",
    "set_target",
    "state_of",
    "unapprove",
]

WRAP_WIDTH = 78  # as GNU gettext writes, so msgmerge/Poedit round-trips produce no diff noise
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


def _drop_provenance(entry: polib.POEntry) -> None:
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
        _drop_provenance(entry)
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
    _drop_provenance(entry)
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


# -- extracted-comment notes ----------------------------------------------------------


def get_note(entry: polib.POEntry, key: str) -> str | None:
    """The value of a ``key: value`` line in the entry's ``#.`` comment."""
    return note(entry.comment or "", key)


def set_note(entry: polib.POEntry, key: str, value: str | None) -> None:
    """Set (or, with None, remove) a ``key: value`` line in the ``#.`` comment."""
    notes = [(k, v) for k, v in parse_notes(entry.comment or "") if k != key]
    if value is not None:
        notes.append((key, value))
    entry.comment = format_notes(notes)


# -- files ------------------------------------------------------------------------------


def _digest(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def locked_directory(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on a directory while checking and replacing a file in it."""
    directory.mkdir(parents=True, exist_ok=True)
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def atomic_write(path: Path, data: bytes, *, expected_digest: str | bool | None = False) -> None:
    """Write ``data`` to ``path`` atomically: a crash leaves the old file or the new one.

    With ``expected_digest`` (the SHA-256 of the file as it was read, or None if
    it did not exist), refuse to replace a file someone else changed meanwhile.
    """
    with locked_directory(path.parent):
        if expected_digest is not False:
            current = _digest(_read_bytes(path))
            if current != expected_digest:
                raise ConcurrentEditError(
                    "changed on disk since transflow read it (another run or an editor saved it); "
                    "nothing was overwritten — run the command again",
                    path,
                )
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(FileNotFoundError):
                os.chmod(tmp, path.stat().st_mode & 0o777)
            if not path.exists():
                os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


_POLIB_LINE = re.compile(r"\(line (\d+)\)")
_PO_STRING = r'"(?:[^"\\]|\\.)*"'
_PO_LINE = re.compile(
    rf"^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+{_PO_STRING}|{_PO_STRING})\s*$"
)


def _validate_po_syntax(path: Path, text: str) -> None:
    """Reject what polib would silently misread: stray text, unterminated strings.

    polib is lenient (an unterminated string swallows the next line); a
    translator's hand edit gone wrong must be reported, not half-loaded.
    """
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#~"):
            line = line[2:].lstrip("|").strip()
        elif not line or line.startswith("#"):
            continue
        if line and not _PO_LINE.match(line):
            if line.startswith(("msg", '"')):
                problem = "unterminated or malformed string"
            else:
                problem = f"unexpected text {line[:30]!r}"
            raise CatalogError(f"malformed PO file: {problem}", path, number)


def _parse_po(path: Path, text: str) -> polib.POFile:
    _validate_po_syntax(path, text)
    try:
        return polib.pofile(text, wrapwidth=WRAP_WIDTH, check_for_duplicates=True)
    except (OSError, ValueError) as exc:
        message = str(exc)
        match = _POLIB_LINE.search(message)
        line = int(match.group(1)) if match else None
        message = _POLIB_LINE.sub("", message).strip().rstrip(":")
        raise CatalogError(f"malformed PO file: {message}", path, line) from None


@dataclass
class Catalog:
    """One PO file in memory, remembering what was on disk when it was read.

    ``save`` re-applies this catalog's edits on top of whatever another writer
    saved meanwhile (see ``transflow.reapply``), so callers never hold on to
    entry objects across a save of units they did not edit themselves: look
    units up again by id.
    """

    path: Path
    locale: str | None
    po: polib.POFile
    _digest: str | None = field(default=None, repr=False)
    _base: Snapshot = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._base = Snapshot.of(self.po)

    @classmethod
    def load(cls, path: Path, locale: str | None = None, *, missing_ok: bool = False) -> Catalog:
        """Read a catalog; with ``missing_ok`` a missing file gives an empty catalog."""
        data = _read_bytes(path)
        if data is None:
            if not missing_ok:
                raise CatalogError("no such catalog; run `transflow segment` first", path)
            po = polib.POFile(wrapwidth=WRAP_WIDTH)
            return cls(path=path, locale=locale, po=po, _digest=None)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise CatalogError("not UTF-8", path, line) from None
        po = _parse_po(path, text)
        return cls(path=path, locale=locale, po=po, _digest=_digest(data))

    # -- entries -------------------------------------------------------------------
    @property
    def units(self) -> list[polib.POEntry]:
        """Live (non-obsolete) entries, in document order."""
        return [e for e in self.po if not e.obsolete]

    def entry(self, unit_id: str) -> polib.POEntry | None:
        for e in self.po:
            if e.msgctxt == unit_id and not e.obsolete:
                return e
        return None

    def index(self) -> dict[str, polib.POEntry]:
        return {e.msgctxt: e for e in self.po if not e.obsolete and e.msgctxt is not None}

    def ids_and_sources(self) -> list[tuple[str, str]]:
        return [(e.msgctxt, e.msgid) for e in self.units if e.msgctxt is not None]

    # -- saving --------------------------------------------------------------------
    def render(self) -> bytes:
        return str(self.po).encode("utf-8")

    def changed_on_disk(self) -> bool:
        """Whether the file is no longer what this catalog last read or wrote."""
        return _digest(_read_bytes(self.path)) != self._digest

    def refresh(self, prefer: Mapping[str, Side] | None = None) -> set[str]:
        """Take in what another writer saved since this catalog was read, keeping own edits.

        Returns the ids of the units whose content came from the other writer;
        raises ``EditConflict`` (changing nothing) when a unit was changed on
        both sides differently and ``prefer`` does not say which side wins.
        """
        on_disk = _read_bytes(self.path)
        if on_disk is None or _digest(on_disk) == self._digest:
            return set()
        theirs = Catalog.load(self.path, self.locale)
        conflicts, taken = reapply(self._base, self.po, theirs.po, prefer)
        if conflicts:
            raise EditConflict(self.path, conflicts)
        self._base = Snapshot.of(theirs.po)
        self._digest = theirs._digest
        return taken

    def save(
        self,
        *,
        touch_revision: bool = True,
        translator: str | None = None,
        prefer: Mapping[str, Side] | None = None,
    ) -> bool:
        """Write the catalog if its content changed; return whether it was written.

        If another writer saved the file since it was read, their edits are
        taken in first (``refresh``): both sides' work is kept, and a unit both
        changed differently raises ``EditConflict`` unless ``prefer`` settles
        it. ``translator`` (a person, "Name <email>") goes in ``Last-Translator``.
        Approvals still in the legacy ``#, reviewed`` flag are moved to comments.
        """
        for _ in range(_SAVE_ATTEMPTS):
            self.refresh(prefer)
            self._migrate_legacy_approvals()
            data = self.render()
            on_disk = _read_bytes(self.path)
            if on_disk == data and _digest(on_disk) == self._digest:
                return False
            if touch_revision and "PO-Revision-Date" in self.po.metadata:
                self.po.metadata["PO-Revision-Date"] = now_stamp()
                if translator and self.locale is not None:
                    self.po.metadata["Last-Translator"] = translator
                data = self.render()
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                atomic_write(self.path, data, expected_digest=self._digest)
            except ConcurrentEditError:
                continue  # saved by someone else between our read and our write: merge again
            self._digest = _digest(data)
            self._base = Snapshot.of(self.po)
            return True
        raise ConcurrentEditError(
            f"kept changing on disk during {_SAVE_ATTEMPTS} attempts to save; nothing was "
            "overwritten — run the command again",
            self.path,
        )

    def _migrate_legacy_approvals(self) -> None:
        if self.locale is None or not any(LEGACY_FLAG in e.flags for e in self.po):
            return
        who = self.po.metadata.get("Last-Translator", "").strip()
        if not who or who == "transflow" or "FULL NAME" in who:
            who = "unknown reviewer"
        when = _approval_time(self.po.metadata.get("PO-Revision-Date", ""))
        for entry in self.po:
            migrate_legacy_approval(entry, who, when)


_SAVE_ATTEMPTS = 5
_REVISION_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})\+0000$")


def _approval_time(revision_date: str) -> str | None:
    """A ``PO-Revision-Date`` in UTC as an approval time (None: not one transflow wrote)."""
    match = _REVISION_DATE.match(revision_date.strip())
    return f"{match.group(1)}T{match.group(2)}Z" if match else None


class EditConflict(ConcurrentEditError):
    """Units changed differently by this session and by another writer since it read the file.

    ``conflicts`` has both versions of each; nothing was written. Save again
    with ``prefer={unit_id: "mine" | "theirs"}`` to settle them.
    """

    def __init__(self, path: Path, conflicts: list[Conflict]) -> None:
        units = ", ".join(c.unit for c in conflicts[:5]) + (", …" if len(conflicts) > 5 else "")
        super().__init__(
            f"{len(conflicts)} unit(s) changed here and by another writer since it was read "
            f"({units}); nothing was overwritten",
            path,
        )
        self.conflicts = conflicts


def now_stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")


def header(
    *,
    project_name: str,
    team: str,
    locale: str | None,
    creation_date: str,
    translator: str | None = None,
) -> dict[str, str]:
    """A full gettext header; ``locale`` None makes the template's header.

    ``Last-Translator`` names a person ("Name <email>"), else the team: never
    a program, and never the template's placeholder, which ``msgfmt --check``
    reports in a catalog.
    """
    data = {
        "Project-Id-Version": project_name,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": creation_date,
        "PO-Revision-Date": creation_date,
        "Last-Translator": translator or team or project_name,
        "Language-Team": f"{display_name(locale)} ({team})"
        if locale and team
        else (team or "none"),
        "Language": locale or "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    if locale:
        data["Plural-Forms"] = plural_forms(locale)
    else:
        data["Plural-Forms"] = "nplurals=INTEGER; plural=EXPRESSION;"
        data["Language-Team"] = "LANGUAGE <LL@li.org>"
        data["Last-Translator"] = "FULL NAME <EMAIL@ADDRESS>"
        data["PO-Revision-Date"] = "YEAR-MO-DA HO:MI+ZONE"
    return data


@dataclass
class MergeReport:
    """What merging a document's units into one catalog did."""

    added: int = 0
    changed: int = 0  # source edited under an existing translation (now needs review)
    obsoleted: int = 0  # translated units whose sentence left the source (kept as #~)
    dropped: int = 0  # untranslated units whose sentence left the source
    revived: int = 0  # obsolete translations brought back because their sentence returned


def merge_units(catalog: Catalog, units: Sequence[Unit], reference: str) -> MergeReport:
    """Bring a catalog in line with a document's units, as msgmerge would.

    Existing translations are never lost: an edited source keeps its
    translation marked ``fuzzy`` with the old source as ``#| msgid``; a removed
    sentence's translation becomes obsolete (``#~``); an obsolete translation
    whose sentence returns is revived.
    """
    report = MergeReport()
    existing = catalog.index()
    obsolete_by_source: dict[str, polib.POEntry] = {}
    for e in catalog.po:
        if e.obsolete:
            obsolete_by_source.setdefault(e.msgid, e)
    wanted = {u.id for u in units}
    new_entries: list[polib.POEntry] = []
    for unit in units:
        entry = existing.get(unit.id)
        if entry is None:
            revived = obsolete_by_source.pop(unit.text, None)
            if revived is not None:
                entry = revived
                entry.obsolete = False
                entry.msgctxt = unit.id
                report.revived += 1
            else:
                entry = polib.POEntry(msgctxt=unit.id, msgid=unit.text, msgstr="")
                report.added += 1
        elif entry.msgid != unit.text:
            if entry.msgstr.strip():
                # Keep the source the translation was made for, as msgmerge does.
                if entry.previous_msgid is None:
                    entry.previous_msgid = entry.msgid
                set_state(entry, State.NEEDS_REVIEW)
                _drop_provenance(entry)
                report.changed += 1
            entry.msgid = unit.text
        entry.occurrences = [(reference, str(unit.line))]
        set_note(entry, "kind", unit.kind)
        set_note(entry, "terms", ", ".join(unit.terms) if unit.terms else None)
        new_entries.append(entry)
    obsolete: list[polib.POEntry] = []
    for e in catalog.po:
        if e.obsolete:
            if e.msgid in obsolete_by_source and obsolete_by_source[e.msgid] is e:
                obsolete.append(e)
        elif e.msgctxt not in wanted:
            if e.msgstr.strip():
                e.obsolete = True
                e.occurrences = []
                obsolete.append(e)
                report.obsoleted += 1
            else:
                report.dropped += 1
    catalog.po[:] = new_entries + obsolete
    return report
