"""F1: every key binding, by where it works, with the user's keymap applied."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from ..keys import help_rows

__all__ = ["HelpScreen"]


class HelpScreen(ModalScreen[None]):
    """The key bindings table; Esc, q or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1,question_mark", "dismiss", "Close", id="close-help")
    ]

    def __init__(self, keymap: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.keymap = dict(keymap or {})

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box", classes="dialog"):
            yield Static("Keys", classes="dialog-title")
            yield Static(
                "Ctrl+P finds any command by name. Remap a key in pyproject.toml: "
                '[tool.transflow.review] keys = { approve = "ctrl+y" }. Esc closes.',
                classes="dim",
            )
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table: DataTable[Text] = self.query_one("#help-table", DataTable)
        table.add_column("keys", key="keys")
        table.add_column("does", key="does")
        table.add_column("id", key="id")
        for title, rows in help_rows(self.keymap):
            table.add_row(Text(title, style="bold"), Text(""), Text(""))
            for keys, does, ids in rows:
                table.add_row(
                    Text(keys, style="bold cyan"),
                    Text(does),
                    Text(ids.replace("`", ""), style="dim"),
                )
        table.focus()
