"""PO mode's ``#``: the translator comment of a unit (a ``qa-ignore`` line silences a check)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

__all__ = ["CommentScreen"]


class CommentScreen(ModalScreen[str | None]):
    """Edit the comment; Ctrl+S keeps it, Esc leaves it as it was."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f2", "keep", "Keep", id="comment-save"),
        Binding("escape", "cancel", "Cancel", id="comment-cancel"),
    ]

    def __init__(self, unit: str, comment: str) -> None:
        super().__init__()
        self.unit = unit
        self.comment = comment

    def compose(self) -> ComposeResult:
        with Vertical(id="comment-box", classes="dialog"):
            yield Static(f"Translator comment of {self.unit}", classes="dialog-title")
            yield Static(
                "Kept in the PO file as '# ...' lines. 'qa-ignore: <check> — why' "
                "silences that check for this unit.",
                classes="dim",
            )
            yield TextArea(self.comment, id="comment-text", soft_wrap=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#comment-text", TextArea).focus()

    def action_keep(self) -> None:
        self.dismiss(self.query_one("#comment-text", TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
