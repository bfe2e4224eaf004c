"""Every key binding of the application, by where it works: for F1, the palette, the README.

Bindings are declared on the screens and widgets they belong to (Textual's
``BINDINGS``); this module only gathers them, so the help screen, the command
palette and the settings check all see the same list, with the user's keymap
applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from textual.binding import Binding

__all__ = [
    "Row",
    "Section",
    "binding_ids",
    "display_keys",
    "help_rows",
    "markdown_table",
    "sections",
]

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
        # make_bindings splits "ctrl+s,f2" into one Binding per key: join them back by id.
        merged: dict[str, Binding] = {}
        for binding in Binding.make_bindings(bindings):  # type: ignore[arg-type]
            key = binding.id
            if not key:
                continue
            if key in merged:
                first = merged[key]
                binding = replace(first, key=f"{first.key},{binding.key}")
            merged[key] = binding
        return list(merged.values())

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


def describe(binding: Binding) -> str:
    """The long description (the tooltip) where there is room; the footer has the short one."""
    return binding.tooltip or binding.description


Row = tuple[str, str, str]  # keys, what they do, ids


def help_rows(keymap: Mapping[str, str] | None = None) -> list[tuple[str, list[Row]]]:
    """The key table, by section: each id once, the nine suggestion keys as one row."""
    seen: set[str] = set()
    out: list[tuple[str, list[Row]]] = []
    for title, bindings in sections():
        rows: list[Row] = []
        digits = [b for b in bindings if (b.id or "").startswith("suggestion-")]
        for binding in bindings:
            if binding.id in seen or binding in digits[1:]:
                continue
            seen.add(binding.id or "")
            if binding is (digits[0] if digits else None):
                keys = f"{display_keys(digits[0], keymap)} … {display_keys(digits[-1], keymap)}"
                ids = f"`{digits[0].id}` … `{digits[-1].id}`"
                rows.append((keys, "Put suggestion 1–9 in the editor", ids))
                seen.update(b.id or "" for b in digits)
                continue
            rows.append((display_keys(binding, keymap), describe(binding), f"`{binding.id}`"))
        if rows:
            out.append((title, rows))
    return out


def markdown_table() -> str:
    """The README's key table (``python -c 'from transflow_tui.keys import markdown_table'``)."""
    lines = ["| keys | does | id |", "|---|---|---|"]
    for title, rows in help_rows():
        lines.append(f"| **{title}** | | |")
        for keys, does, ids in rows:
            escaped = keys.replace("|", "\\|")
            lines.append(f"| {escaped} | {does} | {ids} |")
    return "\n".join(lines)
