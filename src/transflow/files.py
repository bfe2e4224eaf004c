"""Writing files so that a crash or a concurrent writer never costs anyone their work.

Every write is atomic (a temporary file in the same folder, fsync, rename),
under an exclusive lock on the folder, and can refuse to replace a file that
changed since it was read; temporary files a killed writer left behind are
removed by the next writer.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from transflow.errors import ConcurrentEditError, WriteError

# -- files ------------------------------------------------------------------------------


def digest_of(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


def read_bytes(path: Path) -> bytes | None:
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
            current = digest_of(read_bytes(path))
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
