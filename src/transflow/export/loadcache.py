"""The export's cache of loaded documents, keyed on the bytes they were loaded from.

Loading a document for export (``content.load_source``) parses its source,
segments it, reads its template and one catalog per locale, checks that they
agree, and runs the QA checks that can report an error on them: for a site of
1,000 documents in five languages that is most of an export's time, and the
same work on every export for files that did not change. This cache keeps each
document's result (its QA errors and units' states included) in
``<cache-dir>/export-v1.sqlite``, one row per document and set of locales,
with the sha256 of every byte the result came from (the source, the template,
each catalog; for a checked document also the checks' key: their settings and
the glossary) and of the code that computed it. A row is used only when that
digest matches, so a changed byte anywhere is a miss, loaded as if there were
no cache: every error is still found, and only a document that loaded cleanly
is stored.

It is derived data, like the check cache beside it: a missing, locked,
foreign or damaged database, or a folder that cannot be written, means
loading without it. SQLite (the standard library's) makes each writer's rows
appear all at once, so the export's worker processes can share the file.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import marshal
import sqlite3
import sys
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["CACHE_FILE", "LoadCache", "code_digest", "inputs_digest"]

CACHE_FILE = "export-v1.sqlite"
_FORMAT = 1  # PRAGMA user_version of a database in the layout below
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS docs (doc TEXT NOT NULL, locales TEXT NOT NULL, "
    "digest BLOB NOT NULL, data BLOB NOT NULL, PRIMARY KEY (doc, locales))"
)
_ERRORS = (sqlite3.Error, OSError, ValueError, EOFError, TypeError)


@lru_cache(maxsize=1)
def code_digest() -> bytes:
    """What a loaded document depends on besides its files: the code that parses and segments.

    All of transflow's source (a megabyte, hashed in milliseconds), so no edit to
    the parsers or the segmenter, wherever they move, can leave a stale row in use.
    """
    import transflow

    digest = hashlib.sha256(f"{_FORMAT} {transflow.__version__} {sys.version}".encode())
    for package in ("ruamel.yaml", "rapidfuzz"):  # loaded already: parsing needs them
        version = getattr(importlib.import_module(package), "__version__", "?")
        digest.update(f" {package} {version}".encode())
    package_dir = Path(transflow.__file__).resolve().parent
    for path in sorted(package_dir.rglob("*.py")):
        digest.update(str(path.relative_to(package_dir)).encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"-")
    return digest.digest()


def inputs_digest(files: Sequence[bytes]) -> bytes:
    """The sha256 of the code and of ``files`` (each length-prefixed, so no two lists collide)."""
    digest = hashlib.sha256(code_digest())
    for data in files:
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.digest()


class LoadCache:
    """One process's view of the cache: rows read on demand, new rows written by ``close``.

    Open it after forking (an SQLite connection must not cross a fork); every
    method is safe to call when the database is unusable, and then does nothing.
    """

    def __init__(self, directory: Path) -> None:
        self.path = directory / CACHE_FILE
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[str, str, bytes, bytes]] = []
        self._opened = False

    def _connect(self) -> sqlite3.Connection | None:
        if self._opened:
            return self._db
        self._opened = True
        for attempt in (1, 2):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            except _ERRORS:
                return None
            try:
                self._prepare(db)
            except sqlite3.OperationalError:  # locked, read-only, ...: no cache this time
                db.close()
                return None
            except _ERRORS:  # not a database, damaged: start again
                db.close()
                if attempt == 2:
                    return None
                for suffix in ("", "-journal"):
                    with contextlib.suppress(OSError):
                        Path(f"{self.path}{suffix}").unlink()
                continue
            self._db = db
            return db
        return None

    @staticmethod
    def _prepare(db: sqlite3.Connection) -> None:
        """Create the table, or replace one of another layout (one process does it)."""
        if db.execute("PRAGMA user_version").fetchone()[0] != _FORMAT:
            db.execute("BEGIN IMMEDIATE")
            if db.execute("PRAGMA user_version").fetchone()[0] != _FORMAT:
                db.execute("DROP TABLE IF EXISTS docs")
                db.execute(_SCHEMA)
                db.execute(f"PRAGMA user_version = {_FORMAT}")
            db.execute("COMMIT")

    def get(self, doc: str, locales: str, digest: bytes) -> Any | None:
        """The value stored for ``doc`` in ``locales`` if it was computed from ``digest``."""
        db = self._connect()
        if db is None:
            return None
        try:
            row = db.execute(
                "SELECT digest, data FROM docs WHERE doc = ? AND locales = ?", (doc, locales)
            ).fetchone()
            if row is None or row[0] != digest:
                return None
            return marshal.loads(row[1])
        except _ERRORS:
            return None

    def put(self, doc: str, locales: str, digest: bytes, value: Any) -> None:
        """Keep ``value`` (plain data: tuples, lists, dicts, strings, numbers) for ``close``."""
        with contextlib.suppress(ValueError):  # not marshallable: not cached
            self._pending.append((doc, locales, digest, marshal.dumps(value)))

    def close(self, keep: Sequence[str] | None = None) -> None:
        """Write the new rows in one transaction; ``keep``: drop rows of any other document."""
        db = self._connect() if self._pending or keep is not None else self._db
        if db is not None:
            try:
                if self._pending or keep is not None:
                    db.execute("BEGIN IMMEDIATE")
                    db.executemany("INSERT OR REPLACE INTO docs VALUES (?, ?, ?, ?)", self._pending)
                    if keep is not None:
                        db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (doc TEXT PRIMARY KEY)")
                        db.execute("DELETE FROM keep")
                        db.executemany(
                            "INSERT OR IGNORE INTO keep VALUES (?)", [(d,) for d in keep]
                        )
                        db.execute("DELETE FROM docs WHERE doc NOT IN (SELECT doc FROM keep)")
                    db.execute("COMMIT")
            except _ERRORS:
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
            finally:
                db.close()
        self._db = None
        self._pending = []
