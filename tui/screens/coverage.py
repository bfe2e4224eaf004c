"""Coverage for coordinators: the document × locale matrix and what blocks each cell.

For the cell under the cursor, the blockers (``review.blockers_by_cell``):
units not approved and units with QA errors, with the reason. Enter on the
matrix opens that document in that language filtered to its blockers; Enter
on a blocker opens it at that unit.
"""

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
from transflow.review import Blocker, blockers_by_cell

from ..messages import OpenReview
from ..widgets.matrix import TOTAL, CoverageMatrix
from ..widgets.unit_table import STATE_LOOK

__all__ = ["CoverageScreen"]


class CoverageScreen(Screen[None]):
    """The matrix on top, the selected cell's blockers below."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "open",
            "Review blockers",
            tooltip="Review the cell's blockers (or the blocker under the cursor)",
            id="open-blockers",
            priority=True,  # over the table's own Enter, so the footer always shows it
        ),
        Binding(
            "escape", "app.pop_screen", "Back", tooltip="Back where you were", id="coverage-back"
        ),
        Binding("r", "reload", "Reload", tooltip="Count again", id="coverage-reload"),
    ]

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.blockers: dict[tuple[str, str], list[Blocker]] = {}

    def compose(self) -> ComposeResult:
        title = Text()
        title.append(" Coverage ", style="bold reverse")
        title.append(f"  {self.project.name}: words approved, publishable (✓) or not", style="bold")
        yield Static(title, classes="title-bar")
        yield CoverageMatrix(id="matrix")
        yield Static("", id="blockers-title", classes="section-title")
        yield DataTable(id="blockers", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table: DataTable[Text] = self.query_one("#blockers", DataTable)
        table.add_column("unit", key="unit", width=8)
        table.add_column("state", key="state", width=10)
        table.add_column("why it blocks", key="why")
        self.query_one(CoverageMatrix).loading = True
        self.action_reload()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="coverage", exit_on_error=False)
    def load(self) -> None:
        report = coverage_report(self.project)
        blockers = blockers_by_cell(self.project)
        self.app.call_from_thread(self._show, report, blockers)

    def _show(self, report: CoverageReport, blockers: dict[tuple[str, str], list[Blocker]]) -> None:
        self.blockers = blockers
        matrix = self.query_one(CoverageMatrix)
        matrix.loading = False
        matrix.show(report)
        matrix.focus()
        self._show_blockers()

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        if event.data_table.id == "matrix":
            self._show_blockers()

    def _cell(self) -> tuple[str | None, str] | None:
        return self.query_one(CoverageMatrix).selected()

    def _show_blockers(self) -> None:
        cell = self._cell()
        table: DataTable[Text] = self.query_one("#blockers", DataTable)
        title = self.query_one("#blockers-title", Static)
        table.clear()
        doc, locale = cell if cell is not None else (None, "")
        if doc is None:
            title.update("Choose a document to see what keeps it from being published.")
            return
        found = self.blockers.get((doc, locale), [])
        if not found:
            title.update(Text(f"{doc} · {locale}: publishable, nothing blocks it", style="green"))
            return
        title.update(
            Text(f"{doc} · {locale}: {len(found)} unit(s) keep it from publication", style="bold")
        )
        for blocker in found:
            label, style = STATE_LOOK[blocker.state]
            table.add_row(
                Text(blocker.unit),
                Text(label, style=style),
                Text("; ".join(blocker.reasons)),
                key=blocker.unit,
            )

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_open()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        cell = self._cell()
        if cell is not None and cell[0] is not None:
            unit = str(event.row_key.value)
            self.post_message(OpenReview(cell[1], cell[0], "todo", unit))

    def action_open(self) -> None:
        if self.focused is not None and self.focused.id == "blockers":
            table: DataTable[Text] = self.query_one("#blockers", DataTable)
            if table.row_count:
                key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
                cell = self._cell()
                if cell is not None and cell[0] is not None:
                    self.post_message(OpenReview(cell[1], cell[0], "todo", str(key.value)))
            return
        cell = self._cell()
        if cell is None:
            return
        doc, locale = cell
        self.post_message(OpenReview(locale, doc if doc != TOTAL else None, "todo"))
