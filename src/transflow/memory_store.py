"""The project's translation memory on disk: catalogs and memory files, indexed in SQLite.

Two kinds of files feed the memory: every catalog (its translated and
reviewed units) and the project's memory files, TMX files in ``memory/`` that
``transflow memory import`` writes. Both are tracked in git and shared by the
team; the SQLite index in the cache is derived from them and can always be
rebuilt (``make clean`` deletes it).

An import adds only entries the memory does not hold yet (see
``TMEntry.identity``), so importing a file twice, or importing the project's
own export, adds nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from transflow.errors import InputError
from transflow.memory import TMEntry, TranslationMemory, identity
from transflow.unit import State

__all__ = ["ImportReport", "MemoryStore", "SyncReport"]


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What ``MemoryStore.sync`` did."""

    files_read: int  # catalogs (and memory files) parsed because they are new or changed
    files_skipped: int  # unchanged since the cache was written
    entries: int  # entries in the memory after the sync
    files_removed: int = 0  # catalogs no longer present; their entries are gone


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What ``MemoryStore.import_tmx`` did."""

    memory_file: Path  # the project file that holds the import
    units: int  # <tu> elements in the imported file
    added: int  # entries new to the memory, now in ``memory_file``
    duplicates: int  # entries the memory already held (or the file held twice)
    other_languages: tuple[str, ...] = ()  # target languages no project locale matches


_SCHEMA_VERSION = "2"
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (
    name TEXT PRIMARY KEY,      -- path relative to the project root
    kind TEXT NOT NULL,         -- 'po' or 'tmx'
    locale TEXT NOT NULL,       -- a catalog's locale; the locales a memory file was mapped to
    sha256 TEXT NOT NULL
);
CREATE TABLE entries (
    file TEXT NOT NULL REFERENCES files(name) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    locale TEXT NOT NULL,
    origin TEXT NOT NULL,
    reviewed INTEGER NOT NULL,
    created TEXT,
    created_by TEXT,
    changed TEXT,
    changed_by TEXT,
    PRIMARY KEY (file, seq)
);
"""
_COLUMNS = "source, target, locale, origin, reviewed, created, created_by, changed, changed_by"

# name -> (kind, locale or locales, path)
_Wanted = dict[str, tuple[str, str, Path]]


class MemoryStore:
    """The memory built from the catalogs and the project's memory files.

    Imported TMX files become files in ``memory_dir`` (``memory/`` in a
    project): tracked in git and shared with the team like the catalogs. All
    of it is indexed in ``cache_dir/memory.sqlite``, which is derived data:
    ``sync`` re-reads only files whose content hash changed, forgets files that
    are gone, and silently rebuilds a cache it cannot read. Every sync is one
    SQLite transaction, so a crash leaves the old cache.
    """

    def __init__(
        self,
        cache_dir: Path,
        root: Path | None = None,
        *,
        memory_dir: Path | None = None,
        locales: Sequence[str] | None = None,
    ) -> None:
        self.cache_dir = Path(cache_dir)
        self.root = root
        self.memory_dir = Path(memory_dir) if memory_dir is not None else None
        self.locales = tuple(locales) if locales is not None else None
        self.db_path = self.cache_dir / "memory.sqlite"
        self.legacy_tmx_dir = self.cache_dir / "tmx"  # where imports were kept before 0.2
        self._memory: TranslationMemory | None = None
        self._by_locale: dict[str, TranslationMemory] = {}

    def _forget(self) -> None:
        self._memory = None
        self._by_locale = {}

    # connection ---------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        """Open the cache, rebuilding it from nothing if it is unreadable or outdated."""
        if self.db_path.is_dir():  # not a cache file: someone's folder, never deleted
            raise InputError(
                "the memory cache is a folder, not a file; move it away and run again",
                self.db_path,
            )
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        for attempt in (1, 2):
            conn: sqlite3.Connection | None = None
            try:
                conn = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
                conn.execute("PRAGMA foreign_keys = ON")
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
                if not tables:
                    conn.executescript(
                        f"BEGIN; {_SCHEMA} INSERT INTO meta VALUES "
                        f"('schema', '{_SCHEMA_VERSION}'); COMMIT;"
                    )
                row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
                ok = conn.execute("PRAGMA quick_check").fetchone()
                if row == (_SCHEMA_VERSION,) and ok == ("ok",):
                    return conn
            except sqlite3.DatabaseError:
                if attempt == 2:
                    raise
            if conn is not None:
                conn.close()
            self._discard_db()
        raise sqlite3.DatabaseError(f"cannot create {self.db_path}")  # pragma: no cover

    def _discard_db(self) -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{self.db_path}{suffix}")

    # sync -----------------------------------------------------------------------------

    def _name(self, path: Path) -> str:
        if self.root is not None:
            with contextlib.suppress(ValueError):
                return path.resolve().relative_to(self.root.resolve()).as_posix()
        return path.as_posix()

    def _memory_files(self) -> _Wanted:
        if self.memory_dir is None or not self.memory_dir.is_dir():
            return {}
        mapped = ",".join(self.locales or ())  # the same file reads differently for other locales
        return {
            self._name(p): ("tmx", mapped, p)
            for p in sorted(self.memory_dir.glob("*.tmx"))
            if p.is_file()
        }

    def sync(self, catalog_paths: Iterable[tuple[str, Path]]) -> SyncReport:
        """Bring the cache up to date with exactly these catalogs (and the memory files)."""
        self._adopt_legacy_imports()
        wanted: _Wanted = {}
        for locale, path in catalog_paths:
            wanted[self._name(Path(path))] = ("po", locale, Path(path))
        wanted.update(self._memory_files())
        return self._sync_or_rebuild(wanted, {"po", "tmx"})

    def _sync_or_rebuild(self, wanted: _Wanted, prune: set[str]) -> SyncReport:
        try:
            return self._sync(wanted, prune)
        except sqlite3.DatabaseError:  # corrupt in a way quick_check missed: start over
            self._discard_db()
            return self._sync(wanted, prune)

    def _sync(self, wanted: _Wanted, prune: set[str]) -> SyncReport:
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            read, skipped, gone = self._sync_in(conn, wanted, prune)
            (total,) = conn.execute("SELECT COUNT(*) FROM entries").fetchone()
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()
        if read or gone:
            self._forget()
        return SyncReport(read, skipped, int(total), gone)

    def _sync_in(
        self, conn: sqlite3.Connection, wanted: _Wanted, prune: set[str]
    ) -> tuple[int, int, int]:
        """Within an open transaction: (re)index ``wanted``, drop files of ``prune`` kinds gone."""
        cached: dict[str, tuple[str, str]] = {}
        kinds: dict[str, str] = {}
        for name, kind, locale, digest in conn.execute("SELECT * FROM files"):
            cached[name] = (locale, digest)
            kinds[name] = kind
        read = skipped = 0
        present: set[str] = set()
        for name, (kind, locale, path) in wanted.items():
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue  # a file that vanished is treated like a removed one
            present.add(name)
            digest = hashlib.sha256(data).hexdigest()
            if cached.get(name) == (locale, digest):
                skipped += 1
                continue
            if kind == "po":
                found = _po_entries(path, data, locale, name)
            else:
                found = self._read_memory_file(path, data)
            conn.execute("DELETE FROM files WHERE name = ?", (name,))
            conn.execute("INSERT INTO files VALUES (?, ?, ?, ?)", (name, kind, locale, digest))
            conn.executemany(
                "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (name, i, e.source, e.target, e.locale, e.origin, int(e.reviewed), *e.who)
                    for i, e in enumerate(found)
                ],
            )
            read += 1
        gone = [n for n in cached if n not in present and kinds[n] in prune]
        conn.executemany("DELETE FROM files WHERE name = ?", [(n,) for n in gone])
        return read, skipped, len(gone)

    def _read_memory_file(self, path: Path, data: bytes) -> list[TMEntry]:
        from transflow.tmx import read_tmx

        return read_tmx(
            data, path, locales=self.locales, origin=f"tmx:{path.name}", own_origins=True
        ).entries

    # import -------------------------------------------------------------------------

    def import_tmx(
        self, path: Path, locales: Sequence[str] | None = None, *, own_origins: bool = False
    ) -> ImportReport:
        """Add a TMX file's entries to the project's memory files; return what it did.

        Only entries the memory does not hold yet (by ``TMEntry.identity``, as of
        the last ``sync`` for the catalogs) are added, to ``memory_dir/<name>.tmx``
        after what that file already holds; importing the same file again adds
        nothing. ``locales`` (default: the store's) limits which target
        languages are kept. A file that cannot be read changes nothing.
        """
        from transflow.files import atomic_write
        from transflow.tmx import read_tmx, render_tmx

        if self.memory_dir is None:
            raise ValueError("this memory store has no memory directory to import into")
        if self.memory_dir.exists() and not self.memory_dir.is_dir():
            raise InputError(
                "is a file, not the translation memory's folder ([tool.transflow] memory-dir)",
                self.memory_dir,
            )
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read TMX: {exc.strerror}", path) from None
        content = read_tmx(
            data,
            path,
            locales=locales if locales is not None else self.locales,
            origin=f"tmx:{path.name}",
            own_origins=own_origins,
        )
        target = self.memory_dir / f"{path.stem}.tmx"
        files = self._memory_files()
        self._sync_or_rebuild(files, {"tmx"})  # a corrupt cache is rebuilt here, not below
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")  # one import at a time, in every process
            self._sync_in(conn, self._memory_files(), {"tmx"})  # another import may have run
            known = {
                identity(s, t, lo)
                for s, t, lo in conn.execute("SELECT source, target, locale FROM entries")
            }
            new: list[TMEntry] = []
            for entry in content.entries:
                if entry.identity not in known:
                    known.add(entry.identity)
                    new.append(entry)
            if new:
                kept = []
                if target.is_file():
                    kept = self._read_memory_file(target, target.read_bytes())
                self.memory_dir.mkdir(parents=True, exist_ok=True)
                atomic_write(target, render_tmx([*kept, *new]))
                mapped = ",".join(self.locales or ())
                self._sync_in(conn, {self._name(target): ("tmx", mapped, target)}, set())
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()
        self._forget()
        return ImportReport(
            target,
            content.units,
            len(new),
            len(content.entries) - len(new),
            tuple(sorted(content.other_languages)),
        )

    def _adopt_legacy_imports(self) -> None:
        """Move imports kept in the cache (before 0.2) into the project's memory files.

        They used to sit in ``cache_dir/tmx/``, git-ignored and deleted by
        ``make clean``; each is imported once (no duplicates) and then removed.
        """
        if self.memory_dir is None or not self.legacy_tmx_dir.is_dir():
            return
        for old in sorted(self.legacy_tmx_dir.glob("*.tmx")):
            self.import_tmx(old, own_origins=True)
            old.unlink()
        with contextlib.suppress(OSError):
            self.legacy_tmx_dir.rmdir()

    # reading --------------------------------------------------------------------------

    def memory(self, locale: str | None = None) -> TranslationMemory:
        """The cached memory (of one locale, or all) as of the last sync."""
        if self._memory is None:
            try:
                conn = self._connect()
                try:
                    rows = conn.execute(
                        f"SELECT {_COLUMNS} FROM entries ORDER BY file, seq"
                    ).fetchall()
                finally:
                    conn.close()
            except sqlite3.DatabaseError:
                self._discard_db()
                rows = []
            self._memory = TranslationMemory(
                TMEntry(s, t, lo, o, bool(r), c, cb, ch, chb)
                for s, t, lo, o, r, c, cb, ch, chb in rows
            )
        if locale is None:
            return self._memory
        if locale not in self._by_locale:
            self._by_locale[locale] = TranslationMemory(self._memory.entries(locale))
        return self._by_locale[locale]


def _po_entries(path: Path, data: bytes, locale: str, name: str) -> list[TMEntry]:
    """The translated and reviewed entries of a PO catalog (the fast reader: no polib)."""
    from transflow.checking import entry_state
    from transflow.poread import read_po_bytes

    out: list[TMEntry] = []
    for entry in read_po_bytes(data, path):
        if entry.obsolete or not entry.msgid or entry.msgid_plural is not None:
            continue
        state = entry_state(entry)
        if state < State.TRANSLATED:
            continue  # new, or a suggestion nobody accepted yet
        unit = entry.msgctxt if entry.msgctxt is not None else f"line-{entry.line}"
        out.append(
            TMEntry(entry.msgid, entry.msgstr, locale, f"{name}#{unit}", state == State.REVIEWED)
        )
    return out
