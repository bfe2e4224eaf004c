"""PO catalogs: the single source of truth for translations and their review state.

One catalog per locale and source document, ``locales/<locale>/<doc>.po``, plus
a template ``locales/<doc>.pot`` that records the unit ids (and lets Weblate or
Poedit start a new language). Conventions (see the design):

* ``msgctxt`` = unit id, ``msgid`` = source text, ``#:`` = ``source/<doc>.md:<line>``;
* ``#.`` holds ``key: value`` notes, one per line and never wrapped (an id, a
  path or a URL is never broken): ``kind``, ``terms`` (glossary ids, for the
  tools), ``glossary`` (one per term: the approved spelling in the catalog's
  locale, for the translator), and the provenance of suggestions (``machine``,
  ``memory``);
* the state is in the flags — none and no target = new; ``fuzzy, machine`` = MT
  suggestion; ``fuzzy, memory`` = fuzzy memory match; ``fuzzy`` = needs review;
  no ``fuzzy`` = translated; ``reviewed`` = approved.

Reading goes through ``transflow.poread``, the one PO syntax policy of every
command (linear, strict, with file and line in every error); writing through
polib, except that comment lines are written as they are, as GNU gettext does.

Saving is atomic (temporary file in the same directory, fsync, rename) and
refuses to overwrite a file that changed on disk since it was read, under an
exclusive lock on the directory, so two writers can never silently lose each
other's edits. A save that would not change the file writes nothing, so
re-running a command on unchanged input leaves every byte as it was.
"""

from __future__ import annotations

import contextlib
import copy
import errno
import fcntl
import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
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
from transflow.errors import CatalogError, ConcurrentEditError, EditConflict, WriteError
from transflow.locale import display_name, plural_forms
from transflow.notes import PROVENANCE_KEYS, format_notes, note, parse_notes
from transflow.poread import PoEntry, read_po_text
from transflow.reapply import Side, Snapshot, reapply
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
    "get_notes",
    "locked_directory",
    "merge_units",
    "migrate_legacy_approval",
    "reject",
    "remove_stale_temporaries",
    "set_note",
    "set_state",
    "set_target",
    "state_of",
    "unapprove",
    "unwritable_reason",
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


def get_notes(entry: polib.POEntry, key: str) -> list[str]:
    """The values of every ``key: value`` line (``glossary`` has one per term)."""
    return [v for k, v in parse_notes(entry.comment or "") if k == key]


def set_note(entry: polib.POEntry, key: str, value: str | Sequence[str] | None) -> None:
    """Set (or, with None, remove) ``key: value`` lines in the ``#.`` comment.

    A sequence gives one line per value, in order (an empty one removes the key).
    When the notes mean what they meant, the lines are left as they are (another
    tool may have wrapped them), so re-running a command changes no byte.
    """
    _set_notes(entry, {key: value})


def _set_notes(entry: polib.POEntry, values: Mapping[str, str | Sequence[str] | None]) -> None:
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
    A file that cannot be written is a ``WriteError`` (one line, and an OSError);
    temporary files an earlier, killed write left beside ``path`` are removed.
    """
    try:
        _atomic_write(path, data, expected_digest)
    except (WriteError, ConcurrentEditError):
        raise
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            reason += " (read-only or immutable)"
        error = WriteError(f"cannot write: {reason}", path)
        error.errno = exc.errno
        raise error from exc


def _atomic_write(path: Path, data: bytes, expected_digest: str | bool | None) -> None:
    with locked_directory(path.parent):
        if expected_digest is not False:
            current = _digest(_read_bytes(path))
            if current != expected_digest:
                raise ConcurrentEditError(
                    "changed on disk since transflow read it (another run or an editor saved it); "
                    "nothing was overwritten — run the command again",
                    path,
                )
        _remove_stale(path.parent, path.name)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            # Held until the rename: a later run's cleanup leaves a live writer's file alone.
            fcntl.flock(fd, fcntl.LOCK_EX)
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


# ``atomic_write``'s temporary files: "." + the target's name + "." + mkstemp's 8 characters.
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp$")


def remove_stale_temporaries(directory: Path) -> list[Path]:
    """Remove what killed writes left in ``directory`` (``.NAME.XXXXXXXX.tmp``); return them.

    Only transflow's own temporary files, and only stale ones: a writer holds the
    directory's lock and a lock on its temporary file until the rename, so a file
    that can be locked (under the directory's lock) belongs to no live writer.
    """
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return []
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        return _remove_stale(directory, None)
    finally:
        os.close(fd)


def _remove_stale(directory: Path, name: str | None) -> list[Path]:
    """``remove_stale_temporaries`` for a caller already holding the directory's lock."""
    removed: list[Path] = []
    try:
        names = os.listdir(directory)
    except OSError:
        return removed
    for entry in names:
        match = _TEMPORARY.match(entry)
        if match is None or (name is not None and match.group("name") != name):
            continue
        path = directory / entry
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.unlink(path)
            removed.append(path)
        except OSError:
            continue  # a live writer holds it, or it cannot be removed: leave it
        finally:
            os.close(fd)
    return removed


def unwritable_reason(path: Path) -> str | None:
    """Why ``atomic_write`` could not write ``path`` (None: it can), checked without writing.

    Commands check every file they will write before writing the first, so an
    unwritable one stops the run with nothing half done.
    """
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # the folders in between will be made here
    if not folder.is_dir():
        return f"{folder} is not a folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"the folder {folder.name or folder} is read-only or immutable"
    if path.is_dir():
        return "it is a folder"
    if path.exists() and not os.access(path, os.W_OK):
        return "the file is read-only or immutable"
    return None


def _metadata(msgstr: str) -> dict[str, str]:
    """The header's fields, as polib reads them (a line without a colon continues the last)."""
    metadata: dict[str, str] = {}
    key = None
    for line in msgstr.splitlines():
        name, colon, value = line.partition(":")
        if colon:
            key = name
            metadata[key] = value.strip()
        elif key is not None:
            metadata[key] += "\n" + line.strip()
    return metadata


def _occurrences(references: str) -> list[tuple[str, str]]:
    """``#:`` text as polib's (file, line) pairs; a reference with no line keeps ''."""
    out = []
    for token in references.split():
        name, colon, line = token.rpartition(":")
        out.append((name, line) if colon and line.isdigit() else (token, ""))
    return out


def _po_entry(e: PoEntry) -> polib.POEntry:
    plural = e.msgstr_plural is not None
    return polib.POEntry(
        msgctxt=e.msgctxt,
        msgid=e.msgid,
        msgstr="" if plural else e.msgstr,
        msgid_plural=e.msgid_plural or "",
        msgstr_plural=dict(e.msgstr_plural or {}),
        obsolete=e.obsolete,
        comment=e.comment,
        tcomment=e.tcomment,
        occurrences=_occurrences(e.references) if e.references else [],
        flags=list(e.flags),
        previous_msgctxt=e.previous_msgctxt,
        previous_msgid=e.previous_msgid,
        previous_msgid_plural=e.previous_msgid_plural,
        linenum=e.line,
    )


def _parse_po(path: Path, text: str) -> polib.POFile:
    """polib objects built from ``transflow.poread``'s entries: one policy, linear time."""
    po = _POFile(wrapwidth=WRAP_WIDTH)
    entries: list[polib.POEntry] = []
    header_seen = False
    for e in read_po_text(text, path):
        if not header_seen and e.is_header and not e.obsolete:
            header_seen = True
            po.header = e.tcomment
            po.metadata = _metadata(e.msgstr)
            po.metadata_is_fuzzy = "fuzzy" in e.flags
        else:
            entries.append(_po_entry(e))
    list.extend(po, entries)  # polib's append would look for duplicates: poread did
    return po


def _render_entry(entry: polib.POEntry, width: int) -> str:
    """polib's rendering of one entry, with its comment lines as they are (never wrapped)."""
    lines = [("# ", c) for c in entry.tcomment.split("\n")] if entry.tcomment else []
    if entry.comment and not entry.obsolete:
        lines += [("#. ", c) for c in entry.comment.split("\n")]
    if width <= 0 or all(len(prefix) + len(c) <= width for prefix, c in lines):
        return str(entry.__unicode__(width))
    bare = copy.copy(entry)  # polib writes comments first: write them, then the rest
    bare.tcomment = bare.comment = ""
    return "\n".join([*(prefix + c for prefix, c in lines), bare.__unicode__(width)])


class _POFile(polib.POFile):  # type: ignore[misc]
    """polib's POFile, writing comment lines unwrapped as GNU gettext does.

    polib wraps ``#`` and ``#.`` lines at 78 columns and breaks words at hyphens,
    so a note such as ``memory: 80% from locales/de/bonn-2025-appeal-committee-of-
    ministers.po#990c0e47`` came out in two pieces; msgcat, msgmerge and Poedit
    keep comment lines whole, and so does transflow. Everything else is polib's.
    """

    def __unicode__(self) -> str:
        head = "".join(
            "#\n" if not line else f"#{line}\n" if line[:1] in ",:" else f"# {line}\n"
            for line in self.header.split("\n")
        )
        width = self.wrapwidth
        entries = [
            self.metadata_as_entry(),
            *(e for e in self if not e.obsolete),
            *(e for e in self if e.obsolete),
        ]
        return head + "\n".join(_render_entry(e, width) for e in entries)


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
        # Units whose content came from another writer's save, for a caller to show again.
        self.from_disk: set[str] = set()

    @classmethod
    def load(cls, path: Path, locale: str | None = None, *, missing_ok: bool = False) -> Catalog:
        """Read a catalog; with ``missing_ok`` a missing file gives an empty catalog."""
        try:
            data = _read_bytes(path)
        except IsADirectoryError:
            raise CatalogError("is a directory, not a PO file", path) from None
        if data is None:
            if not missing_ok:
                raise CatalogError("no such catalog; run `transflow segment` first", path)
            po = _POFile(wrapwidth=WRAP_WIDTH)
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
        self.from_disk |= taken
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
    obsoleted: int = 0  # translated or commented units whose sentence left the source (#~)
    dropped: int = 0  # untranslated units whose sentence left the source
    revived: int = 0  # obsolete translations brought back because their sentence returned
    # (line, what was done): entries sharing one id, repaired without losing either
    repairs: list[tuple[int, str]] = field(default_factory=list)


def _has_work(entry: polib.POEntry) -> bool:
    """Whether an entry holds something a person wrote: a translation or a comment."""
    return bool(
        entry.msgstr.strip()
        or any(v.strip() for v in (entry.msgstr_plural or {}).values())
        or entry.tcomment.strip()
    )


def _by_id(
    entries: Sequence[polib.POEntry], units: dict[str, Unit]
) -> tuple[dict[str, polib.POEntry], list[tuple[polib.POEntry, polib.POEntry]]]:
    """Live entries by id, and the (displaced, kept) pairs where two share an id.

    A merge or a hand edit can leave two entries with one ``msgctxt`` (msgfmt
    accepts it). The one whose source is the unit's keeps the id, else the first;
    the other is displaced: ``merge_units`` gives it back to the unit whose
    sentence it translates, or keeps it as obsolete.
    """
    kept: dict[str, polib.POEntry] = {}
    displaced: list[tuple[polib.POEntry, polib.POEntry]] = []
    for entry in entries:
        if entry.obsolete or entry.msgctxt is None:
            continue
        first = kept.setdefault(entry.msgctxt, entry)
        if first is entry:
            continue
        unit = units.get(entry.msgctxt)
        if unit is not None and entry.msgid == unit.text and first.msgid != unit.text:
            kept[entry.msgctxt] = entry
            displaced.append((first, entry))
        else:
            displaced.append((entry, first))
    return kept, displaced


def _revivals(
    missing: Sequence[Unit], candidates: Sequence[polib.POEntry]
) -> dict[str, polib.POEntry]:
    """For units with no live entry, the earlier entry to bring back, by unit id.

    Obsolete entries are keyed by id: one with the unit's id and sentence comes
    back first; then any with the same sentence, in file order. Each is used once,
    so two translations of one repeated sentence never collapse into one.
    """
    exact: dict[tuple[str | None, str], polib.POEntry] = {}
    by_source: dict[str, list[polib.POEntry]] = {}
    for entry in candidates:
        exact.setdefault((entry.msgctxt, entry.msgid), entry)
        by_source.setdefault(entry.msgid, []).append(entry)
    used: set[int] = set()
    chosen: dict[str, polib.POEntry] = {}
    for unit in missing:
        found = exact.get((unit.id, unit.text))
        if found is not None:
            chosen[unit.id] = found
            used.add(id(found))
    positions: dict[str, int] = {}
    for unit in missing:
        if unit.id in chosen:
            continue
        queue = by_source.get(unit.text, [])
        at = positions.get(unit.text, 0)
        while at < len(queue) and id(queue[at]) in used:
            at += 1
        positions[unit.text] = at + 1
        if at < len(queue):
            chosen[unit.id] = queue[at]
            used.add(id(queue[at]))
    return chosen


def merge_units(
    catalog: Catalog,
    units: Sequence[Unit],
    reference: str,
    *,
    glossary_notes: Callable[[str], str | None] | None = None,
) -> MergeReport:
    """Bring a catalog in line with a document's units, as msgmerge would.

    Existing translations are never lost: an edited source keeps its
    translation marked ``fuzzy`` with the old source as ``#| msgid``; a removed
    sentence's translation (or translator comment) becomes obsolete (``#~``); an
    obsolete translation whose sentence returns is revived. ``glossary_notes``
    gives the ``glossary:`` note of a term id for this catalog's locale (none in
    the template).
    """
    report = MergeReport()
    by_unit = {u.id: u for u in units}
    existing, displaced = _by_id(catalog.po, by_unit)
    losers = {id(loser) for loser, _ in displaced}
    candidates = [loser for loser, _ in displaced] + [e for e in catalog.po if e.obsolete]
    revivals = _revivals([u for u in units if u.id not in existing], candidates)
    new_entries: list[polib.POEntry] = []
    for unit in units:
        entry = existing.get(unit.id)
        if entry is None:
            entry = revivals.get(unit.id)
            if entry is not None:
                report.revived += bool(entry.obsolete)
                entry.obsolete = False
                entry.msgctxt = unit.id
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
        notes = [glossary_notes(t) for t in unit.terms] if glossary_notes else []
        _set_notes(
            entry,
            {
                "kind": unit.kind,
                "terms": ", ".join(unit.terms) if unit.terms else None,
                "glossary": [n for n in notes if n],
            },
        )
        new_entries.append(entry)
    placed = {id(e) for e in new_entries}
    wanted = by_unit.keys()
    obsolete: list[polib.POEntry] = []
    for e in catalog.po:
        if id(e) in placed:
            continue
        if e.obsolete:
            obsolete.append(e)
        elif id(e) in losers or e.msgctxt not in wanted:
            if _has_work(e):
                e.obsolete = True
                e.occurrences = []
                obsolete.append(e)
                report.obsoleted += 1
            else:
                report.dropped += 1
    for loser, winner in displaced:
        both = (
            f"two entries with id {winner.msgctxt} (line {winner.linenum} and line {loser.linenum})"
        )
        if id(loser) in placed:
            outcome = f"went back to the unit of its own sentence ({loser.msgctxt})"
        elif loser.obsolete:
            outcome = "is kept as obsolete (#~): its sentence is not in the source"
        else:
            outcome = "had no translation or comment and was removed"
        if id(winner) in placed:
            done = (
                f"line {winner.linenum} keeps the id; the entry of line {loser.linenum} {outcome}"
            )
        else:
            done = "the id left the source: each is kept as obsolete if it has a translation"
        report.repairs.append((loser.linenum or 0, f"{both}; {done}"))
    catalog.po[:] = new_entries + obsolete
    return report
