"""Quitting: a confirmation, and the choice to save or drop a translation still being typed."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

__all__ = ["QuitChoice", "QuitScreen"]

QuitChoice = Literal["save", "discard", "cancel"]


class QuitScreen(ModalScreen[QuitChoice]):
    """ "Quit?" — with an unsaved edit: save it and quit, quit without it, or stay."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "choose('cancel')", "Stay", id="quit-cancel"),
        Binding("y,s", "choose('save')", "Quit", id="quit-confirm"),
        Binding("d", "choose('discard')", "Drop the edit", show=False, id="quit-discard"),
    ]

    def __init__(self, unsaved: str | None = None) -> None:
        super().__init__()
        self.unsaved = unsaved

    def compose(self) -> ComposeResult:
        with Vertical(id="quit-box", classes="dialog"):
            if self.unsaved:
                yield Static("Quit transflow review?", classes="dialog-title")
                yield Static(f"{self.unsaved} is not saved yet.")
                with Horizontal(classes="buttons"):
                    yield Button("Save and quit (s)", id="save", variant="primary")
                    yield Button("Quit without it (d)", id="discard", variant="error")
                    yield Button("Stay (Esc)", id="cancel")
            else:
                yield Static("Quit transflow review?", classes="dialog-title")
                yield Static("Everything is saved.")
                with Horizontal(classes="buttons"):
                    yield Button("Quit (y)", id="save", variant="primary")
                    yield Button("Stay (n)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#save", Button).focus()

    def action_choose(self, choice: QuitChoice) -> None:
        if choice == "discard" and not self.unsaved:
            return
        self.dismiss(choice)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_choose(event.button.id)  # type: ignore[arg-type]
