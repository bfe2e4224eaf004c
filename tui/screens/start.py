"""The start screen: every document × locale with its progress; Enter opens one for review."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from transflow.config import Project
from transflow.coverage import CoverageReport, coverage_report

from ..messages import OpenReview
from ..widgets.matrix import CoverageMatrix

__all__ = ["StartScreen"]


class StartScreen(Screen[None]):
    """Documents down, locales across: the share of words approved, as ``transflow coverage``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "open",
            "Review",
            tooltip="Review this document in this language",
            id="open-review",
            priority=True,  # over the table's own Enter, so the footer always shows it
        ),
        Binding("c,f9", "app.coverage", "Coverage", tooltip="Coverage and blockers", id="coverage"),
        Binding("q", "app.confirm_quit", "Quit", tooltip="Quit (asks first)", id="quit-documents"),
    ]

    def __init__(self, project: Project, reviewer: str | None) -> None:
        super().__init__()
        self.project = project
        self.reviewer = reviewer

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="start-title", classes="title-bar")
        yield Static(
            "Choose a document and a language, Enter to review it. The bars are the share of "
            "words approved (✓ publishable, ✗ QA errors), as `transflow coverage` counts them.",
            id="start-help",
        )
        yield CoverageMatrix(id="documents")
        yield Footer()

    def _title(self) -> Text:
        title = Text()
        title.append(" transflow review ", style="bold reverse")
        title.append(f"  {self.project.name}", style="bold")
        if self.reviewer:
            title.append(f"  ·  you are {self.reviewer}", style="dim")
        return title

    def show_reviewer(self, reviewer: str) -> None:
        """The name given at the app's question, once answered."""
        self.reviewer = reviewer
        self.query_one("#start-title", Static).update(self._title())

    def on_mount(self) -> None:
        self.query_one(CoverageMatrix).loading = True

    def on_screen_resume(self) -> None:
        # Counted only when this screen is really shown: `transflow review de` goes
        # straight to a review, and counting a large project meanwhile would slow it.
        self.set_timer(0.2, self._load_if_shown)

    def _load_if_shown(self) -> None:
        if self.is_current:
            self.load()

    @work(thread=True, exclusive=True, group="coverage", exit_on_error=False)
    def load(self) -> None:
        report = coverage_report(self.project)
        self.app.call_from_thread(self._show, report)

    def _show(self, report: CoverageReport) -> None:
        matrix = self.query_one(CoverageMatrix)
        matrix.loading = False
        matrix.show(report)
        matrix.focus()

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        chosen = self.query_one(CoverageMatrix).selected()
        if chosen is not None:
            doc, locale = chosen
            self.post_message(OpenReview(locale, doc))
