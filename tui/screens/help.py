"""F1: every key binding, by where it works, with the user's keymap applied."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..keys import help_rows

__all__ = ["HelpScreen", "key_table"]


def key_table(keymap: Mapping[str, str] | None = None) -> Table:
    """The keys as a table whose descriptions wrap (an 80-column terminal has little room)."""
    table = Table(box=None, expand=True, show_header=False, padding=(0, 1, 0, 0))
    table.add_column("keys", style="bold cyan", no_wrap=True)
    table.add_column("does", ratio=1)
    table.add_column("id", style="dim", no_wrap=True)
    for n, (title, rows) in enumerate(help_rows(keymap)):
        if n:
            table.add_row("", "", "")
        table.add_row(Text(title, style="bold"), "", "")
        for keys, does, ids in rows:
            table.add_row(keys, does, ids.replace("`", ""))
    return table


class HelpScreen(ModalScreen[None]):
    """The key bindings; Esc, q or F1 closes it."""

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
            with VerticalScroll(id="help-keys"):
                yield Static(key_table(self.keymap), id="help-table")

    def on_mount(self) -> None:
        self.query_one("#help-keys", VerticalScroll).focus()
