"""The derived-data cache of ``check`` and ``coverage``: one pack file, findings read on demand.

``transflow.checking`` computes, per *cell* (one document's English source, or
one catalog), the units and words per state and the QA findings, keyed on the
sha256 of the bytes it read. This module keeps them between runs in
``.transflow/cache/checks-v3.pack``:

    MAGIC | blob | blob | ... | index | index offset, index length (8 bytes each) | MAGIC

Each cell has two blobs, its findings (a ``marshal`` list of plain tuples) and
the same findings as ``check --json`` prints them, each with its CRC-32 in the
index; the index (``marshal``, a few hundred bytes per cell) holds each cell's
hash, counts, a summary of its findings (errors, warnings, infos and
suppressed, which is all the gate and ``coverage`` need) and where its blobs
are. Why this shape:

* memory stays flat however many findings there are: a cell's findings are
  written out as soon as they are computed and read back one cell at a time
  when they are reported (200,000 findings held at once took 700 MB);
* a run reads through the file descriptor it opened, so another run that
  replaces the file meanwhile (by an atomic rename) never changes what this run
  reads, and no lock is needed;
* a run that computed anything writes a new pack (the new blobs, the still
  valid old ones copied, the index) to a temporary file and renames it into
  place; a warm run writes nothing.

A missing, foreign, truncated or corrupt pack is ignored and rebuilt; a blob
whose CRC no longer matches (the file was changed under a running command) is
an error asking to run the command again, never a wrong answer. The pack is a
cache: it is never fsynced, and a crash loses at most this run's results.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from transflow.errors import InputError

__all__ = ["CACHE_FILE", "Cell", "CheckCache", "Summary", "summarize", "unnamed_file"]

CACHE_FILE = "checks-v3.pack"
_OLD_FILES = ("checks-v2.marshal", "checks-v1.json")
_MAGIC = b"TFCHECK3"
_FORMAT = 2
_FOOTER = 16 + len(_MAGIC)
_STALE_SECONDS = 3600  # temporary packs of killed runs older than this are removed

# Where a blob is: (pack, offset, length, crc32); pack 0 is the file this run opened,
# 1 the one it writes (a forked child's spill file is appended to it whole).
Blob = tuple[int, int, int, int]
# Unsuppressed errors, warnings and infos, then suppressed findings (any severity).
Summary = tuple[int, int, int, int]
EMPTY_SUMMARY: Summary = (0, 0, 0, 0)


def summarize(findings: Iterable[tuple[Any, ...]], severity_at: int, suppressed_at: int) -> Summary:
    """The ``Summary`` of raw findings whose severity (0 info … 2 error) and suppression
    reason are at the given tuple positions."""
    errors = warnings = infos = suppressed = 0
    for f in findings:
        if f[suppressed_at]:
            suppressed += 1
        elif f[severity_at] >= 2:
            errors += 1
        elif f[severity_at] == 1:
            warnings += 1
        else:
            infos += 1
    return (errors, warnings, infos, suppressed)


def unnamed_file(directory: Path | None) -> int:
    """A new temporary file, already unlinked (so nothing is left behind): its descriptor.

    In ``directory`` if it can be created there, else in the system's temporary folder.
    """
    for where in (directory, None) if directory is not None else (None,):
        try:
            fd, name = tempfile.mkstemp(prefix=".transflow-", suffix=".tmp", dir=where)
        except OSError:
            if where is None:
                raise
            continue
        with contextlib.suppress(OSError):
            os.unlink(name)
        return fd
    raise AssertionError("unreachable")


class Cell:
    """What is known about one cell: where its units come from, counts, findings.

    ``blob`` holds the findings as plain tuples; ``texts`` the same findings as
    ``check --json`` prints them, rendered while they were computed (in both
    processes of a cold run), so printing them is copying text.
    """

    __slots__ = ("blob", "complete", "path", "sha", "summary", "texts", "units", "words")

    def __init__(
        self,
        sha: str,
        complete: bool,
        path: str,
        units: list[int] | None,
        words: list[int] | None,
        summary: Summary,
        blob: Blob | None,
        texts: Blob | None = None,
    ) -> None:
        self.sha = sha
        self.complete = complete
        self.path = path  # the file the units were read from, relative to the project
        self.units = units
        self.words = words
        self.summary = summary
        self.blob = blob  # None: no findings
        self.texts = texts

    def to_plain(self) -> tuple[Any, ...]:
        return (
            self.sha,
            self.complete,
            self.path,
            self.units,
            self.words,
            self.summary,
            self.blob,
            self.texts,
        )

    @classmethod
    def from_plain(cls, plain: Any) -> Cell | None:
        if not isinstance(plain, tuple) or len(plain) != 8:
            return None
        sha, complete, path, units, words, summary, blob, texts = plain
        if not (
            isinstance(sha, str)
            and isinstance(path, str)
            and (units is None or isinstance(units, list))
            and (words is None or isinstance(words, list))
            and isinstance(summary, tuple)
            and len(summary) == 4
            and _is_blob(blob)
            and _is_blob(texts)
        ):
            return None
        return cls(sha, bool(complete), path, units, words, summary, blob, texts)


def _is_blob(value: Any) -> bool:
    return value is None or (isinstance(value, tuple) and len(value) == 4)


def _as_opened(blob: Blob | None) -> Blob | None:
    return None if blob is None else (0, blob[1], blob[2], blob[3])


class CheckCache:
    """The pack of one project: loaded at the start of a run, written at its end if changed.

    ``key`` stands for everything a result depends on besides the catalogs (the
    checks' code, the settings, the glossary); a pack with another key is
    ignored. ``load=False`` ignores the pack's content (``--no-cache``) but
    still writes a new one.
    """

    def __init__(self, path: Path, key: str, load: bool = True) -> None:
        self.path = path
        self.key = key
        self.cells: dict[str, Cell] = {}
        self.projects: dict[str, tuple[str, Blob | None]] = {}
        self.changed = False
        self._fds: dict[int, int] = {}  # pack number → open file descriptor
        self._new_name: str | None = None  # the temporary pack being written, if named
        self._new_size = 0
        if load:
            self._open()

    # -- reading ------------------------------------------------------------------------
    def _open(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except OSError:
            return
        try:
            size = os.fstat(fd).st_size
            if size < len(_MAGIC) + _FOOTER:
                raise ValueError("short")
            footer = os.pread(fd, _FOOTER, size - _FOOTER)
            if footer[16:] != _MAGIC or os.pread(fd, len(_MAGIC), 0) != _MAGIC:
                raise ValueError("not a pack")
            offset = int.from_bytes(footer[:8], "little")
            length = int.from_bytes(footer[8:16], "little")
            if offset + length > size - _FOOTER:
                raise ValueError("truncated")
            index = marshal.loads(os.pread(fd, length, offset))
            if (
                not isinstance(index, tuple)
                or len(index) != 4
                or index[0] != _FORMAT
                or index[1] != self.key
                or not isinstance(index[2], dict)
                or not isinstance(index[3], dict)
            ):
                raise ValueError("foreign")
        except (OSError, ValueError, EOFError, TypeError):
            os.close(fd)
            return
        self._fds[0] = fd
        for name, plain in index[2].items():
            cell = Cell.from_plain(plain)
            if cell is not None and all(b is None or b[0] == 0 for b in (cell.blob, cell.texts)):
                self.cells[name] = cell
        for slot, value in index[3].items():
            if (
                isinstance(value, tuple)
                and len(value) == 2
                and isinstance(value[0], str)
                and (value[1] is None or (isinstance(value[1], tuple) and value[1][0] == 0))
            ):
                self.projects[slot] = value

    def cell(self, name: str, sha: str, complete: bool = True) -> Cell | None:
        """The cached cell ``name`` if it was computed from ``sha`` (and completely, if asked)."""
        cell = self.cells.get(name)
        if cell is None or cell.sha != sha or (complete and not cell.complete):
            return None
        return cell

    def findings(self, blob: Blob | None) -> list[tuple[Any, ...]]:
        """The findings in a blob (read now; nothing is kept)."""
        if blob is None:
            return []
        found: list[tuple[Any, ...]] = self.load(blob)
        return found

    def load(self, blob: Blob) -> Any:
        """The value stored in a blob (read now; nothing is kept)."""
        return marshal.loads(self.read_blob(blob))

    def read_blob(self, blob: Blob) -> bytes:
        """A blob's bytes, checked (read now; nothing is kept)."""
        pack, offset, length, crc = blob
        data = os.pread(self._fds[pack], length, offset)
        # A blob of the new pack was written by this run (or its forked child) moments ago,
        # into a file only this run knows: its checksum guards nothing a read can't see.
        if len(data) != length or (pack != 1 and zlib.crc32(data) != crc):
            with contextlib.suppress(OSError):
                self.path.unlink()
            raise InputError(
                "the check cache changed or was damaged while it was read; it was removed: "
                "run the command again",
                self.path,
            )
        return data

    def project_findings(self, slot: str, key: str) -> list[tuple[Any, ...]] | None:
        """Cached project-scope findings of ``slot`` if computed for ``key``."""
        value = self.projects.get(slot)
        if value is None or value[0] != key:
            return None
        return self.findings(value[1])

    # -- writing ------------------------------------------------------------------------
    def _writer(self) -> int:
        """The file descriptor of the new pack, created on first use."""
        fd = self._fds.get(1)
        if fd is not None:
            return fd
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._remove_stale()
            fd, name = tempfile.mkstemp(
                prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
            )
            self._new_name = name
        except OSError:  # an unwritable cache folder: spill to an unnamed file, never published
            fd = unnamed_file(None)
            self._new_name = None
        self._fds[1] = fd
        self._append(_MAGIC)
        return fd

    def _append(self, data: bytes) -> int:
        offset = self._new_size
        self._write_all(self._fds[1], data)
        self._new_size += len(data)
        return offset

    @staticmethod
    def _write_all(fd: int, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]

    def add_blob(self, data: bytes) -> Blob:
        """Store one marshalled findings list in the new pack."""
        self._writer()
        offset = self._append(data)
        return (1, offset, len(data), zlib.crc32(data))

    def dump(self, findings: list[tuple[Any, ...]]) -> Blob | None:
        """Store findings in the new pack (None for none)."""
        return self.store(findings) if findings else None

    def store(self, value: Any) -> Blob:
        """Store any ``marshal``-able value in the new pack."""
        return self.add_blob(marshal.dumps(value))

    def store_texts(self, texts: tuple[list[int], list[int], list[int], bytes]) -> Blob:
        """Store a catalog's ``--json`` texts (``findings.joined_texts``): their index
        marshalled, then the joined texts as they are, so neither writing nor reading them
        copies the (large) text through ``marshal``."""
        positions, severities, lengths, joined = texts
        head = marshal.dumps((positions, severities, lengths))
        head = len(head).to_bytes(4, "little") + head
        self._writer()
        offset = self._append(head)
        self._append(joined)
        return (1, offset, len(head) + len(joined), zlib.crc32(joined, zlib.crc32(head)))

    def load_texts(self, blob: Blob) -> tuple[list[int], list[int], list[int], memoryview]:
        """The texts of ``store_texts``; the joined texts are a view into one read."""
        view = memoryview(self.read_blob(blob))
        size = int.from_bytes(view[:4], "little")
        positions, severities, lengths = marshal.loads(view[4 : 4 + size])
        return positions, severities, lengths, view[4 + size :]

    def put_cell(self, name: str, cell: Cell) -> None:
        self.cells[name] = cell
        self.changed = True

    def put_project(self, slot: str, key: str, findings: list[tuple[Any, ...]]) -> None:
        self.projects[slot] = (key, self.dump(findings))
        self.changed = True

    def spill_to(self, fd: int) -> None:
        """In a forked child: write blobs to ``fd``, from its start, for the parent to adopt."""
        self._fds[1] = fd
        self._new_name = None  # the parent's temporary pack is the parent's business
        self._new_size = 0

    def adopt_spill(self, fd: int) -> int:
        """Append what a forked child wrote to ``fd`` to the new pack, in one piece.

        Returns where it starts: the child's blob at offset ``o`` of the spill file
        is at ``start + o`` of the new pack. One copy (in the kernel where it can)
        instead of one read and write per blob.
        """
        size = os.fstat(fd).st_size
        self._writer()
        start = self._new_size
        out = self._fds[1]
        done = 0
        if hasattr(os, "copy_file_range"):
            with contextlib.suppress(OSError):
                while done < size:
                    copied = os.copy_file_range(fd, out, size - done, done)
                    if copied <= 0:
                        break
                    done += copied
        while done < size:  # no copy_file_range, or it stopped: through memory
            data = os.pread(fd, min(size - done, 1 << 24), done)
            if not data:
                raise OSError("the spill file is shorter than it was")
            self._write_all(out, data)
            done += len(data)
        self._new_size = start + size
        return start

    def drop_spill(self, fd: int) -> None:
        """Close a child's spill file once its blobs were copied (or were not wanted)."""
        with contextlib.suppress(OSError):
            os.close(fd)

    def copy_blob(self, blob: Blob | None) -> Blob | None:
        """``blob`` moved into the new pack (from the old pack or a child's spill file)."""
        if blob is None or blob[0] == 1:
            return blob
        pack, offset, length, crc = blob
        data = os.pread(self._fds[pack], length, offset)
        self._writer()
        return (1, self._append(data), length, crc)

    def save(self, keep: Callable[[str], bool]) -> None:
        """Publish the new pack if anything changed; ``keep`` says which cells are still wanted.

        Write errors leave the old pack in place (the cache is only a cache); this
        run's results stay readable either way.
        """
        if not self.changed or (1 in self._fds and self._new_name is None):
            return  # nothing new, or the cache folder is not writable
        try:
            self._publish(keep)
        except OSError:
            if self._new_name is not None:
                with contextlib.suppress(OSError):
                    os.unlink(self._new_name)
                self._new_name = None

    def _publish(self, keep: Callable[[str], bool]) -> None:
        self._writer()
        if self._new_name is None:
            return
        # In the published file the blobs are in "the pack this run opened": pack 0.
        cells = {}
        for name, cell in self.cells.items():
            if not keep(name):
                continue
            cell.blob = self.copy_blob(cell.blob)
            cell.texts = self.copy_blob(cell.texts)
            plain = cell.to_plain()
            cells[name] = (*plain[:-2], _as_opened(cell.blob), _as_opened(cell.texts))
        projects = {}
        for slot, (key, blob) in self.projects.items():
            blob = self.copy_blob(blob)
            self.projects[slot] = (key, blob)
            projects[slot] = (key, _as_opened(blob))
        index = marshal.dumps((_FORMAT, self.key, cells, projects))
        offset = self._append(index)
        self._append(offset.to_bytes(8, "little") + len(index).to_bytes(8, "little") + _MAGIC)
        os.chmod(self._new_name, 0o644)
        os.replace(self._new_name, self.path)
        self._new_name = None
        for name in _OLD_FILES:
            with contextlib.suppress(OSError):
                (self.path.parent / name).unlink()

    def _remove_stale(self) -> None:
        """Temporary packs left by killed runs (a live run's is younger than an hour)."""
        prefix = f".{self.path.name}."
        with contextlib.suppress(OSError), os.scandir(self.path.parent) as entries:
            now = time.time()
            for entry in entries:
                if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                    with contextlib.suppress(OSError):
                        if now - entry.stat().st_mtime > _STALE_SECONDS:
                            os.unlink(entry.path)

    def close(self) -> None:
        """Close the files; an unpublished temporary pack is removed."""
        if self._new_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._new_name)
            self._new_name = None
        for fd in self._fds.values():
            with contextlib.suppress(OSError):
                os.close(fd)
        self._fds.clear()

    def __del__(self) -> None:
        try:  # noqa: SIM105 - at interpreter exit even contextlib may be gone
            self.close()
        except Exception:
            pass
