"""Concordance: every unit of every catalog whose source or target contains a phrase.

How a translator checks how a name or a phrase was translated before, in all
documents and languages; Enter goes to the unit (opening its document).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from transflow.config import Project
from transflow.review import ConcordanceHit, concordance

from ..widgets.unit_table import STATE_LOOK

__all__ = ["ConcordanceScreen"]

LIMIT = 200


def _marked(text: str, phrase: str, lead: int = 24) -> Text:
    """``text`` with ``phrase`` marked, starting shortly before it (the rest may not fit)."""
    flat = " ".join(text.split())
    at = flat.casefold().find(" ".join(phrase.split()).casefold())
    if at > lead:
        cut = flat.rfind(" ", 0, at - lead // 2)
        flat = "…" + flat[cut + 1 if cut > 0 else at - lead // 2 :]
    out = Text(flat)
    out.highlight_words([phrase], style="bold reverse", case_sensitive=False)
    return out


class ConcordanceScreen(ModalScreen[ConcordanceHit | None]):
    """Type a phrase, Enter searches; Enter on a hit goes to that unit; Esc closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="concordance-close")
    ]

    def __init__(self, project: Project, locale: str, phrase: str = "") -> None:
        super().__init__()
        self.project = project
        self.locale = locale
        self.phrase = phrase
        self.hits: list[ConcordanceHit] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="concordance-box", classes="dialog"):
            yield Static(
                "Concordance: units whose English or translation contains…",
                classes="dialog-title",
            )
            yield Input(value=self.phrase, placeholder="a phrase or a name", id="phrase")
            yield Static("", id="concordance-count", classes="dim")
            yield DataTable(id="hits", cursor_type="row")

    def on_mount(self) -> None:
        table: DataTable[Text] = self.query_one("#hits", DataTable)
        table.add_column("lang", key="locale", width=4)
        table.add_column("state", key="state", width=10)
        table.add_column("unit", key="unit", width=8)
        table.add_column("text", key="text")
        self.query_one("#phrase", Input).focus()
        if self.phrase:
            self.search(self.phrase)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.search(event.value)

    @work(thread=True, exclusive=True, group="concordance", exit_on_error=False)
    def search(self, phrase: str) -> None:
        hits = concordance(self.project, phrase, limit=LIMIT)
        # This locale's hits first: they are the translations this reviewer can reuse.
        hits.sort(key=lambda h: (h.locale != self.locale, h.locale, h.doc))
        self.app.call_from_thread(self._show, phrase, hits)

    def _show(self, phrase: str, hits: list[ConcordanceHit]) -> None:
        self.hits = hits
        table: DataTable[Text] = self.query_one("#hits", DataTable)
        table.clear()
        for n, hit in enumerate(hits):
            label, style = STATE_LOOK[hit.state]
            text = _marked(hit.source, phrase)
            text.append("\n")
            text.append_text(_marked(hit.target or "—", phrase))
            table.add_row(
                Text(hit.locale, style="bold"),
                Text(label, style=style),
                Text(hit.unit),
                text,
                key=str(n),
                height=2,
            )
        more = " (the first ones)" if len(hits) >= LIMIT else ""
        languages = len({hit.locale for hit in hits})
        self.query_one("#concordance-count", Static).update(
            f"{len(hits)} units{more} in {languages} language(s); Enter goes to one"
            if hits
            else f"No catalog contains {phrase!r}."
        )
        if hits:
            table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.dismiss(self.hits[int(str(event.row_key.value))])

    def action_cancel(self) -> None:
        self.dismiss(None)
