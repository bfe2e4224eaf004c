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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polib

from transflow.errors import CatalogError, ConcurrentEditError
from transflow.locale import display_name, plural_forms
from transflow.unit import State, Unit, review_state

__all__ = [
    "Catalog",
    "MergeReport",
    "atomic_write",
    "get_note",
    "locked_directory",
    "merge_units",
    "set_note",
    "set_state",
    "state_of",
]

WRAP_WIDTH = 78  # as GNU gettext writes, so msgmerge/Poedit round-trips produce no diff noise
STATE_FLAGS = ("fuzzy", "machine", "memory", "reviewed")


# -- states ---------------------------------------------------------------------------


def state_of(entry: polib.POEntry) -> State:
    """The review state of an entry, read from its flags and target."""
    return review_state(entry.msgstr, entry.flags)


def set_state(entry: polib.POEntry, state: State) -> None:
    """Set the flags for ``state``, keeping any other flags (e.g. c-format)."""
    flags = [f for f in entry.flags if f not in STATE_FLAGS]
    extra = {
        State.NEW: [],
        State.MACHINE: ["fuzzy", "machine"],
        State.MEMORY: ["fuzzy", "memory"],
        State.NEEDS_REVIEW: ["fuzzy"],
        State.TRANSLATED: [],
        State.REVIEWED: ["reviewed"],
    }[state]
    entry.flags = extra + flags
    if state >= State.TRANSLATED:
        entry.previous_msgid = None
        entry.previous_msgctxt = None


# -- extracted-comment notes ----------------------------------------------------------

_NOTE = re.compile(r"^([a-z][a-z-]*): ?(.*)$")


# The keys transflow writes. polib wraps a long ``#.`` line at 78 columns, so a
# line that does not start with one of these continues the note above it.
NOTE_KEYS = frozenset({"kind", "terms", "machine", "memory", "protection-failed"})


def _notes(entry: polib.POEntry) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for line in (entry.comment or "").splitlines():
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


def get_note(entry: polib.POEntry, key: str) -> str | None:
    """The value of a ``key: value`` line in the entry's ``#.`` comment."""
    for k, v in _notes(entry):
        if k == key:
            return v
    return None


def set_note(entry: polib.POEntry, key: str, value: str | None) -> None:
    """Set (or, with None, remove) a ``key: value`` line in the ``#.`` comment."""
    notes = [(k, v) for k, v in _notes(entry) if k != key]
    if value is not None:
        notes.append((key, value))
    order = {"kind": 0, "terms": 1}
    notes.sort(key=lambda kv: order.get(kv[0], 2))
    entry.comment = "\n".join(f"{k}: {v}" if k else v for k, v in notes)


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
    """One PO file in memory, remembering what was on disk when it was read."""

    path: Path
    locale: str | None
    po: polib.POFile
    _digest: str | None = field(default=None, repr=False)

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

    def save(self, *, touch_revision: bool = True) -> bool:
        """Write the catalog if its content changed; return whether it was written."""
        data = self.render()
        on_disk = _read_bytes(self.path)
        if on_disk == data and _digest(on_disk) == self._digest:
            return False
        if touch_revision and "PO-Revision-Date" in self.po.metadata:
            self.po.metadata["PO-Revision-Date"] = now_stamp()
            data = self.render()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, data, expected_digest=self._digest)
        self._digest = _digest(data)
        return True


def now_stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")


def header(
    *,
    project_name: str,
    team: str,
    locale: str | None,
    creation_date: str,
) -> dict[str, str]:
    """A full gettext header; ``locale`` None makes the template's header."""
    data = {
        "Project-Id-Version": project_name,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": creation_date,
        "PO-Revision-Date": creation_date,
        "Last-Translator": "transflow",
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


def _clear_suggestion_notes(entry: polib.POEntry) -> None:
    for key in ("machine", "memory"):
        set_note(entry, key, None)


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
                _clear_suggestion_notes(entry)
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
