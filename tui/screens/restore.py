"""After a crash: the translation that was being typed, offered back."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from transflow.review.autosave import AutosavedEdit

__all__ = ["RestoreScreen"]


class RestoreScreen(ModalScreen[bool]):
    """Restore the autosaved text into the editor (not saved until you save it), or drop it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r,enter", "choose(True)", "Restore", id="restore-yes"),
        Binding("d,escape", "choose(False)", "Drop it", id="restore-no"),
    ]

    def __init__(self, kept: AutosavedEdit, source: str, target: str) -> None:
        super().__init__()
        self.kept = kept
        self.source = source
        self.target = target

    def compose(self) -> ComposeResult:
        kept = self.kept
        with Vertical(id="restore-box", classes="dialog"):
            yield Static("An unsaved translation was left behind", classes="dialog-title")
            body = Text()
            body.append(f"Unit {kept.unit}", style="bold")
            when = kept.saved_at.replace("T", " ").removesuffix("Z")[:16]
            body.append(f" (typed {when} UTC, never saved):\n")
            body.append(self.source + "\n", style="italic")
            body.append("\nTyped:    ", style="bold green")
            body.append(kept.text or "(empty)")
            body.append("\nIn file:  ", style="bold")
            body.append(self.target or "(no translation)")
            if kept.base != self.target:
                body.append(
                    "\n\nThe catalog changed since (another writer); restoring puts your "
                    "text in the editor, and saving it replaces theirs.",
                    style="yellow",
                )
            yield Static(body)
            with Horizontal(classes="buttons"):
                yield Button("Restore into the editor (r)", id="restore", variant="primary")
                yield Button("Drop it (d)", id="drop", variant="error")

    def action_choose(self, restore: bool) -> None:
        self.dismiss(restore)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "restore")
