"""A titled, scrollable panel holding one piece of rich text: the base of the unit panels."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

__all__ = ["Panel"]


class Panel(VerticalScroll, can_focus=False):
    """A bordered region with a title and text that scrolls when it does not fit."""

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = title
        self._body = Static("", classes="panel-body")

    def compose(self) -> ComposeResult:
        yield self._body

    def set_body(self, body: RenderableType) -> None:
        self._body.update(Text(body) if isinstance(body, str) else body)
        self.scroll_home(animate=False)
