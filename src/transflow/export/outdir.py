"""The export's output folder: safe file names, and a swap that never leaves it half-written.

Everything an export writes goes into a temporary folder beside ``--out``;
only when every file is written is the old folder exchanged for the new one
(``renameat2(RENAME_EXCHANGE)`` on Linux, one atomic step; elsewhere two
renames a moment apart), so a reader or a web server sees the old site or the
new one, never a mix, and an export that fails leaves the old one untouched.

A folder transflow did not write is never replaced: the export leaves a
marker file in its output, and refuses an existing non-empty folder without
one (``--out .`` must not delete a project).

File names come from document ids and titles, which a user controls: ``slug``
keeps letters, digits and ``-``, so no ``../``, ``/`` or NUL can reach a path,
and ``Staging.path`` checks once more that every path stays inside.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import hashlib
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from transflow.errors import InputError

__all__ = ["MARKER", "Staging", "slug", "staged_output"]

MARKER = ".transflow-export"
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(name: str) -> str:
    """A file-name-safe form of a document id or title: ``a-z``, ``0-9`` and ``-`` only.

    Latin letters lose their accents (``Müraciət`` → ``muraciet``); a name with
    nothing left (all Cyrillic, all punctuation) gets a short hash, so it is
    still stable and unique.
    """
    if "\x00" in name:
        raise InputError(f"a document name contains a NUL character: {name!r}")
    folded = unicodedata.normalize("NFKD", name.replace("ə", "e").replace("Ə", "E"))
    ascii_only = folded.encode("ascii", "ignore").decode("ascii").lower()
    cleaned = _NOT_SLUG.sub("-", ascii_only).strip("-")
    if not cleaned:
        cleaned = "doc-" + hashlib.blake2b(name.encode("utf-8"), digest_size=4).hexdigest()
    return cleaned[:120]


class Staging:
    """The temporary folder an export writes into; every path is checked to stay inside it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = 0
        self.bytes = 0
        self._made: set[Path] = {root}
        self._resolved_root = root.resolve()
        self._inside: set[Path] = {root}  # folders known to resolve inside the root

    def path(self, relative: str) -> Path:
        """``relative`` (``/``-separated) under the staging folder, refused if it would leave it.

        No part may be empty, ``.`` or ``..``; each folder is resolved once (a
        symbolic link leading out is refused), and ``write`` refuses to follow
        a link in the last part.
        """
        parts = relative.split("/")
        if (
            not relative
            or "\x00" in relative
            or relative.startswith("/")
            or any(p in ("", ".", "..") for p in parts)
        ):
            raise InputError(f"refusing to write outside the output folder: {relative!r}")
        target = self.root.joinpath(*parts)
        parent = target.parent
        if parent not in self._inside:
            if not parent.resolve().is_relative_to(self._resolved_root):
                raise InputError(f"refusing to write outside the output folder: {relative!r}")
            self._inside.add(parent)
        return target

    def write(self, relative: str, data: bytes) -> Path:
        target = self.path(relative)
        parent = target.parent
        if parent not in self._made:
            parent.mkdir(parents=True, exist_ok=True)
            self._made.add(parent)
        try:
            fd = os.open(target, _CREATE, 0o666)
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # the last part is a symbolic link
                raise InputError(
                    f"refusing to write outside the output folder: {relative!r}"
                ) from None
            raise
        with open(fd, "wb") as handle:
            handle.write(data)
        self.files += 1
        self.bytes += len(data)
        return target

    def write_text(self, relative: str, text: str) -> Path:
        return self.write(relative, text.encode("utf-8"))


# Create or truncate, never through a symbolic link.
_CREATE = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_TRUNC
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def _check_replaceable(out: Path, protected: tuple[Path, ...]) -> None:
    resolved = out.resolve()
    for path in protected:
        here = path.resolve()
        if here.is_relative_to(resolved) or resolved.is_relative_to(here):
            raise InputError(
                "the output folder would contain, or sit inside, the project's own files "
                f"({path.name}); choose another --out",
                out,
            )
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise InputError("exists and is not a folder; choose another --out", out)
    if out.is_dir() and not (out / MARKER).exists() and any(out.iterdir()):
        raise InputError(
            "exists, is not empty and was not written by `transflow export`; "
            "choose another --out or empty it",
            out,
        )


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False where that is unavailable."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(error, os.strerror(error), str(b))


def _swap_in(staged: Path, out: Path) -> None:
    if not out.exists():
        os.rename(staged, out)
        return
    if _exchange(staged, out):
        shutil.rmtree(staged)  # now holds the previous export
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
    os.rmdir(old)
    os.rename(out, old)
    os.rename(staged, out)
    shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def staged_output(out: Path, *, protected: tuple[Path, ...] = ()) -> Iterator[Staging]:
    """Write an export into a staging folder beside ``out``, then swap it in whole.

    ``protected`` are paths the output must never contain or sit inside (the
    project's sources and catalogs). If the body raises, the staging folder is removed
    and ``out`` is left as it was.
    """
    out = Path(os.path.abspath(out))
    _check_replaceable(out, protected)
    out.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        os.chmod(staged, 0o755)
        staging = Staging(staged)
        staging.write_text(
            MARKER, "Written by `transflow export`; the next export replaces this folder.\n"
        )
        yield staging
        _swap_in(staged, out)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
