"""The text a reviewer is typing, kept on disk until it is saved, so a crash loses nothing.

A review front end keeps the translation being typed in a buffer until the
reviewer saves it into the catalog. If the terminal is closed, the SSH link
drops or the process is killed in between, that text would be gone; so the
front end writes the buffer here (debounced, atomically) while it is being
typed, clears it once the text is in the catalog, and on the next start offers
to restore whatever is left. One file per catalog::

    .transflow/autosave/<locale>/<doc>.json
    {"unit": "9f54c78f", "text": "typed text", "base": "target when typing began",
     "saved_at": "2026-12-02T10:15:03Z"}

It is not a cache: nothing else holds this text, so it lives beside the cache,
not in it.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from transflow.files import atomic_write

if TYPE_CHECKING:
    from transflow.config import Project

__all__ = ["Autosave", "AutosavedEdit", "autosave_dir"]


def autosave_dir(project: Project) -> Path:
    return project.root / ".transflow" / "autosave"


@dataclass(frozen=True)
class AutosavedEdit:
    """A buffer left unsaved: the unit, the text typed, and the target it was typed over."""

    unit: str
    text: str
    base: str
    saved_at: str


class Autosave:
    """The autosave file of one catalog (one document in one locale)."""

    def __init__(self, project: Project, locale: str, doc: str) -> None:
        self.path = autosave_dir(project) / locale / f"{doc}.json"

    def write(self, unit: str, text: str, base: str) -> None:
        """Keep ``text`` (typed over ``base``) for ``unit``, replacing what was kept before."""
        record = {
            "unit": unit,
            "text": text,
            "base": base,
            "saved_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        data = json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, data)

    def read(self) -> AutosavedEdit | None:
        """The buffer left by an earlier run, if any (an unreadable file counts as none)."""
        try:
            record = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            return None
        if not isinstance(record, dict):
            return None
        fields = [record.get(k) for k in ("unit", "text", "base", "saved_at")]
        if not all(isinstance(v, str) for v in fields):
            return None
        unit, text, base, saved_at = (str(v) for v in fields)
        return AutosavedEdit(unit, text, base, saved_at)

    def clear(self) -> None:
        """Forget the buffer: it was saved into the catalog, or the reviewer discarded it."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
