"""Writing a file the user named on the command line (``--html FILE``, ``memory export FILE``).

Every such command behaves the same way: a missing folder is created and the
command says so; a path whose folder part is an existing file, a folder given
as the file, or a place that cannot be written is a one-line error naming the
path, and nothing is left behind. The write itself is atomic.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from transflow.errors import InputError

__all__ = ["write_output"]


def write_output(path: Path, data: bytes) -> Path | None:
    """Write ``data`` to ``path`` atomically; return the folder created for it, if any."""
    from transflow.files import atomic_write

    path = Path(path)
    if path.is_dir():
        raise InputError("is a folder; give a file name", path)
    if path.exists() and not path.is_file():  # a pipe or device (/dev/stdout): write to it
        try:
            with path.open("wb") as stream:
                stream.write(data)
        except OSError as exc:
            raise InputError(f"cannot write: {exc.strerror or exc}", path) from None
        return None
    folder = path.parent
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(f"cannot write here: {existing} is a file, not a folder", path)
    created = None if existing == folder else folder
    try:
        if created is not None:
            folder.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
    except OSError as exc:
        if created is not None:  # leave no empty folders behind
            for made in (folder, *folder.parents):
                if made == existing:
                    break
                with contextlib.suppress(OSError):
                    made.rmdir()
        raise InputError(f"cannot write: {exc.strerror or exc}", path) from None
    return created
