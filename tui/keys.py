"""Every key binding of the application, by where it works: for F1, the palette, the README.

Bindings are declared on the screens and widgets they belong to (Textual's
``BINDINGS``); this module only gathers them, so the help screen, the command
palette and the settings check all see the same list, with the user's keymap
applied.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.binding import Binding

__all__ = ["Section", "binding_ids", "display_keys", "sections"]

Section = tuple[str, list[Binding]]


def sections() -> list[Section]:
    """(title, bindings) for each place a binding works, in the order a newcomer needs them."""
    from .app import ReviewApp
    from .screens.coverage import CoverageScreen
    from .screens.review import ReviewScreen
    from .screens.start import StartScreen
    from .widgets.target_editor import TargetEditor
    from .widgets.unit_table import UnitTable

    def own(bindings: object) -> list[Binding]:
        return [b for b in Binding.make_bindings(bindings) if b.id]  # type: ignore[arg-type]

    return [
        ("In the unit list (Emacs PO mode keys)", own(UnitTable.BINDINGS)),
        ("Anywhere in a review, also while typing", own(ReviewScreen.BINDINGS)),
        ("In the editor", own(TargetEditor.BINDINGS)),
        ("Documents", own(StartScreen.BINDINGS)),
        ("Coverage", own(CoverageScreen.BINDINGS)),
        ("Everywhere", own(ReviewApp.BINDINGS)),
    ]


def binding_ids() -> set[str]:
    return {b.id for _, bindings in sections() for b in bindings if b.id}


_NAMES = {
    "question_mark": "?",
    "number_sign": "#",
    "underscore": "_",
    "less_than_sign": "<",
    "greater_than_sign": ">",
    "slash": "/",
    "space": "Space",
    "enter": "Enter",
    "tab": "Tab",
    "escape": "Esc",
    "up": "↑",
    "down": "↓",
}


def _key(key: str) -> str:
    parts = key.split("+")
    name = parts[-1]
    name = _NAMES.get(name, name.upper() if name.startswith("f") and name[1:].isdigit() else name)
    mods = [m.capitalize() for m in parts[:-1]]
    return "+".join([*mods, name])


def display_keys(binding: Binding, keymap: Mapping[str, str] | None = None) -> str:
    """The keys of ``binding`` (as remapped by ``keymap``), as a person reads them: "Ctrl+o, F3"."""
    keys = (keymap or {}).get(binding.id or "", binding.key)
    return ", ".join(_key(k.strip()) for k in keys.split(","))
