"""One PO file in memory, saved atomically next to other writers; the gettext header."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polib

from transflow.approval import (
    LEGACY_FLAG,
)
from transflow.catalog.pofile import WRAP_WIDTH, PlainCommentPOFile, parse_po
from transflow.catalog.states import migrate_legacy_approval
from transflow.errors import CatalogError, ConcurrentEditError, EditConflict
from transflow.files import atomic_write, digest_of, read_bytes
from transflow.locale import display_name, plural_forms
from transflow.reapply import Side, Snapshot, reapply


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
            data = read_bytes(path)
        except IsADirectoryError:
            raise CatalogError("is a directory, not a PO file", path) from None
        if data is None:
            if not missing_ok:
                raise CatalogError("no such catalog; run `transflow segment` first", path)
            po = PlainCommentPOFile(wrapwidth=WRAP_WIDTH)
            return cls(path=path, locale=locale, po=po, _digest=None)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise CatalogError("not UTF-8", path, line) from None
        po = parse_po(path, text)
        return cls(path=path, locale=locale, po=po, _digest=digest_of(data))

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
        return digest_of(read_bytes(self.path)) != self._digest

    def refresh(self, prefer: Mapping[str, Side] | None = None) -> set[str]:
        """Take in what another writer saved since this catalog was read, keeping own edits.

        Returns the ids of the units whose content came from the other writer;
        raises ``EditConflict`` (changing nothing) when a unit was changed on
        both sides differently and ``prefer`` does not say which side wins.
        """
        on_disk = read_bytes(self.path)
        if on_disk is None or digest_of(on_disk) == self._digest:
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
            on_disk = read_bytes(self.path)
            if on_disk == data and digest_of(on_disk) == self._digest:
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
            self._digest = digest_of(data)
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
