"""The target editor: a ``TextArea`` that marks glossary forms and QA problems in the text.

Loading a unit is not an edit (``show_text`` loads without posting
``Changed``); what the translator types is. Marks are character ranges of the
whole text with a Rich style, applied per line in ``get_line`` (the hook
Textual documents for extra styling), so they follow the text as it wraps.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import TextArea

__all__ = ["Mark", "TargetEditor"]

Mark = tuple[int, int, str]  # start, end (character offsets in the text), Rich style


class TargetEditor(TextArea):
    """The translation being edited."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "screen.focus_list",
            "List",
            tooltip="Back to the list (what was typed stays, saved when you move on)",
            id="focus-list",
        ),
        # The keys that also work here, shown in the footer while typing (declared, with
        # the same ids, on the review screen; a keymap entry remaps both).
        Binding("ctrl+s,f2", "screen.save", "Save", id="save"),
        Binding("ctrl+o,f3", "screen.approve", "Approve", id="approve"),
        Binding("ctrl+r,f4", "screen.reject", "Reject", id="reject"),
        Binding("ctrl+down", "screen.move('any', 1)", "Next", id="next-unit-anywhere"),
        Binding("ctrl+up", "screen.move('any', -1)", "Prev", id="previous-unit-anywhere"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            "",
            id=id,
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            highlight_cursor_line=False,
        )
        self._marks: list[tuple[int, int, Style]] = []

    def show_text(self, text: str) -> None:
        """Load a unit's target: not an edit, so no ``Changed`` message."""
        with self.prevent(TextArea.Changed):
            self.load_text(text)

    def replace_text(self, text: str) -> None:
        """Replace the whole text as an edit the translator can undo (Ctrl+Z)."""
        self.replace(text, self.document.start, self.document.end)
        self.move_cursor(self.document.end)

    def insert_text(self, text: str) -> None:
        """Insert at the cursor (a glossary form), as an edit."""
        self.insert(text)

    def set_marks(self, marks: Sequence[Mark]) -> None:
        """Style these ranges of the text (replacing the marks before)."""
        styled = sorted((start, end, Style.parse(style)) for start, end, style in marks)
        if styled == self._marks:
            return
        self._marks = styled
        self.notify_style_update()  # drops the rendered-line cache
        self.refresh()

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        if not self._marks:
            return line
        lines = self.document.lines
        start = sum(len(lines[i]) + 1 for i in range(min(line_index, len(lines))))
        end = start + len(line.plain)
        for mark_start, mark_end, style in self._marks:
            if mark_end <= start or mark_start >= end:
                continue
            line.stylize(style, max(mark_start, start) - start, min(mark_end, end) - start)
        return line
