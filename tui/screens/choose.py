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
    """A titled list of (value, label) options; Enter (or 1–9) picks, Esc (or Ctrl+G) cancels.

    An option whose value is None is a heading for the options after it.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+g", "cancel", "Cancel", id="choose-cancel")
    ]

    def __init__(
        self,
        title: str,
        options: Sequence[tuple[str | None, Text | str]],
        *,
        selected: str | None = None,
        note: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.options = list(options)
        self.values = [value for value, _ in self.options if value is not None]
        self.selected = selected
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="choose-box", classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            if self.note:
                yield Static(self.note, classes="dim")
            yield OptionList(*self._options(), id="choices")

    def _options(self) -> list[Option]:
        out, n = [], 0
        for value, label in self.options:
            if value is None:
                out.append(Option(Text.assemble(label, style="bold"), disabled=True))
                continue
            n += 1
            key = f"{n} " if n <= 9 else "  "
            out.append(Option(Text.assemble((key, "bold"), label), id=value))
        return out

    def on_mount(self) -> None:
        options = self.query_one("#choices", OptionList)
        options.focus()
        if self.selected is not None:
            for index, value in enumerate(value for value, _ in self.options):
                if value == self.selected:
                    options.highlighted = index
        elif options.option_count:
            options.action_first()

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character in "123456789":
            index = int(event.character) - 1
            if index < len(self.values):
                event.stop()
                self.dismiss(self.values[index])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
