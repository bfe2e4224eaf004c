"""Pick one of a few options with the keyboard: the filter, a glossary form."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

__all__ = ["ChooseScreen"]


class ChooseScreen(ModalScreen[str | None]):
    """A titled list of (value, label) options; Enter (or 1–9) picks, Esc (or Ctrl+G) cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+g", "cancel", "Cancel", id="choose-cancel")
    ]

    def __init__(
        self,
        title: str,
        options: Sequence[tuple[str, Text | str]],
        *,
        selected: str | None = None,
        note: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.options = list(options)
        self.selected = selected
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="choose-box", classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            if self.note:
                yield Static(self.note, classes="dim")
            yield OptionList(
                *(
                    Option(Text.assemble((f"{n} " if n <= 9 else "  ", "bold"), label), id=value)
                    for n, (value, label) in enumerate(self.options, start=1)
                ),
                id="choices",
            )

    def on_mount(self) -> None:
        options = self.query_one("#choices", OptionList)
        options.focus()
        values = [value for value, _ in self.options]
        if self.selected in values:
            options.highlighted = values.index(self.selected)

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character in "123456789":
            index = int(event.character) - 1
            if index < len(self.options):
                event.stop()
                self.dismiss(self.options[index][0])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
