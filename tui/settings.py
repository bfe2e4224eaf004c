"""The review application's settings: ``[tool.transflow.review]`` in ``pyproject.toml``.

::

    [tool.transflow.review]
    theme = "textual-light"                  # any Textual theme; default textual-dark
    keys = { approve = "ctrl+o,f3", next-unit = "j" }   # binding id -> keys

Every key binding has an id (``transflow review`` lists them with F1, and the
README has the table); ``keys`` replaces the keys of the bindings it names.
A misspelt id or theme is a one-line error naming the file, not a silent no-op.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from transflow.config import CONFIG_FILE, Project
from transflow.errors import InputError

__all__ = ["ReviewSettings", "load_settings"]


@dataclass(frozen=True)
class ReviewSettings:
    keymap: dict[str, str] = field(default_factory=dict)
    theme: str | None = None


def load_settings(project: Project) -> ReviewSettings:
    """Read and check ``[tool.transflow.review]``."""
    from textual.theme import BUILTIN_THEMES

    from .keys import binding_ids

    where = project.root / CONFIG_FILE
    table = project.tool("review")
    keys = table.get("keys", {})
    if not isinstance(keys, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in keys.items()
    ):
        raise InputError('[tool.transflow.review] keys must map binding ids to keys ("f3")', where)
    unknown = sorted(set(keys) - binding_ids())
    if unknown:
        raise InputError(
            f"[tool.transflow.review] keys: no binding {', '.join(map(repr, unknown))} "
            "(F1 in `transflow review` lists the ids)",
            where,
        )
    theme = table.get("theme")
    if theme is not None and (not isinstance(theme, str) or theme not in BUILTIN_THEMES):
        raise InputError(
            f"[tool.transflow.review] theme {theme!r} is not a Textual theme "
            f"({', '.join(sorted(BUILTIN_THEMES))})",
            where,
        )
    return ReviewSettings(dict(keys), theme)
