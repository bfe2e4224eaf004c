"""A unit changed here and by another writer: both versions side by side, the reviewer chooses.

Shown when a save raises ``EditConflict``; nothing has been written then. The
reviewer keeps their own version or takes the other writer's, unit by unit,
and the save is done again with that choice (``save(prefer=...)``); Esc
writes nothing and keeps the edit here, to be saved later.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import polib
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from transflow.catalog import state_of
from transflow.reapply import Conflict, Side

from ..widgets.unit_table import STATE_LOOK

__all__ = ["ConflictScreen"]


def _version(entry: polib.POEntry | None) -> Text:
    if entry is None:
        return Text("(removed from the catalog)", style="dim")
    label, style = STATE_LOOK[state_of(entry)]
    text = Text(f"[{label}] ", style=style)
    text.append(entry.msgstr or "(no translation)")
    return text


class ConflictScreen(ModalScreen[dict[str, Side] | None]):
    """Choose, for each unit changed on both sides, which version to keep."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "all('mine')", "Keep mine", id="conflict-mine"),
        Binding("t", "all('theirs')", "Take theirs", id="conflict-theirs"),
        Binding("space", "switch", "Switch this one", id="conflict-toggle"),
        Binding("enter", "done", "Save", id="conflict-save"),
        Binding("escape", "cancel", "Not now", id="conflict-cancel"),
    ]

    def __init__(self, conflicts: Sequence[Conflict], path: str) -> None:
        super().__init__()
        self.conflicts = list(conflicts)
        self.path = path
        self.choice: dict[str, Side] = {c.unit: "mine" for c in self.conflicts}

    def compose(self) -> ComposeResult:
        with Vertical(id="conflict-box", classes="dialog"):
            yield Static(
                f"Changed here and by another writer since it was read: {self.path}",
                classes="dialog-title",
            )
            yield Static(
                "Nothing is written until you choose. m keeps your version, t takes theirs, "
                "Space switches the unit under the cursor, Enter saves, Esc keeps your edit "
                "unsaved."
            )
            yield DataTable(id="conflicts", cursor_type="row")
            yield Static(id="conflict-detail")
        yield Footer()

    def on_mount(self) -> None:
        table: DataTable[Text] = self.query_one("#conflicts", DataTable)
        table.add_column("unit", key="unit", width=8)
        table.add_column("keep", key="keep", width=6)
        table.add_column("source", key="source")
        for conflict in self.conflicts:
            entry = conflict.mine or conflict.theirs
            source = entry.msgid if entry is not None else ""
            table.add_row(
                Text(conflict.unit), self._keep(conflict.unit), Text(source), key=conflict.unit
            )
        table.focus()
        self._detail(0)

    def _keep(self, unit: str) -> Text:
        side = self.choice[unit]
        return Text(side, style="bold green" if side == "mine" else "bold yellow")

    def _detail(self, index: int) -> None:
        if not self.conflicts:
            return
        conflict = self.conflicts[index]
        text = Text()
        text.append("Yours:  ", style="bold green")
        text.append_text(_version(conflict.mine))
        text.append("\nTheirs: ", style="bold yellow")
        text.append_text(_version(conflict.theirs))
        self.query_one("#conflict-detail", Static).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail(event.cursor_row)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_done()

    def _refresh_keep(self) -> None:
        table: DataTable[Text] = self.query_one("#conflicts", DataTable)
        for unit in self.choice:
            table.update_cell(unit, "keep", self._keep(unit))

    def action_all(self, side: Side) -> None:
        self.choice = dict.fromkeys(self.choice, side)
        self._refresh_keep()

    def action_switch(self) -> None:
        table: DataTable[Text] = self.query_one("#conflicts", DataTable)
        if not self.conflicts:
            return
        unit = self.conflicts[table.cursor_row].unit
        self.choice[unit] = "theirs" if self.choice[unit] == "mine" else "mine"
        self._refresh_keep()

    def action_done(self) -> None:
        self.dismiss(dict(self.choice))

    def action_cancel(self) -> None:
        self.dismiss(None)
