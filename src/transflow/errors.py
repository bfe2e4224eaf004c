"""Every error transflow raises on purpose.

The CLI turns each into one line, ``path:line: message``, and an exit code;
nothing here should ever reach a user as a traceback.

    TransflowError                 base; carries optional path and line
    ├── InputError                 bad input file or argument (exit 2)
    │   ├── ProjectNotFound        no pyproject.toml with [tool.transflow]
    │   ├── SourceError            unreadable / malformed source document
    │   ├── CatalogError           malformed PO file
    │   ├── GlossaryError          malformed or invalid glossary.yaml
    │   ├── LocaleError            unknown or unconfigured locale
    │   ├── ModelError             broken, missing or unsuitable Argos package
    │   └── ReviewError            an operation the review rules forbid (approve an empty unit)
    ├── ConcurrentEditError        a file changed on disk since it was read (exit 2)
    │   └── EditConflict           a unit changed here and by another writer, differently
    ├── WriteError                 a file could not be written (exit 2; also an OSError)
    └── EngineError                a translation engine failed (server down, ...) (exit 2)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from transflow.reapply import Conflict

__all__ = [
    "CatalogError",
    "ConcurrentEditError",
    "EditConflict",
    "EngineError",
    "GlossaryError",
    "InputError",
    "LocaleError",
    "ModelError",
    "ProjectNotFound",
    "ReviewError",
    "SourceError",
    "TransflowError",
    "WriteError",
]


class TransflowError(Exception):
    """Base class: a message, and where it happened if that is a file."""

    exit_code = 2

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"


class InputError(TransflowError):
    """Bad input: a file or an argument transflow cannot use."""


class ProjectNotFound(InputError):
    """No transflow project in this directory or any parent."""


class SourceError(InputError):
    """A source document cannot be read or parsed."""


class CatalogError(InputError):
    """A PO catalog is malformed."""


class GlossaryError(InputError):
    """glossary.yaml is malformed or violates the schema."""


class LocaleError(InputError):
    """A locale is unknown to Babel or not configured for the project."""


class ModelError(InputError):
    """An Argos model package is broken, missing or for the wrong language pair."""


class ConcurrentEditError(TransflowError):
    """Someone else wrote the file since we read it; we refuse to overwrite their work."""


class WriteError(TransflowError, OSError):
    """A file could not be written (read-only, immutable, disk full); says what was written.

    Also an ``OSError``, so code that already tolerates a failed write (caches) still does.
    """


class EngineError(TransflowError):
    """A machine-translation engine could not do its job."""


class ReviewError(InputError):
    """An operation the state rules do not allow (e.g. approving a unit nobody translated)."""


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
