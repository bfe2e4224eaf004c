"""The unit list: a ``DataTable`` keyed by unit id, with Emacs PO mode's keys.

``DataTable`` renders only the rows in view, so thousands of units cost
nothing while scrolling; rows are rebuilt only when the set of units shown
changes (a filter, another writer adding units), otherwise single cells are
updated in place, so moving and editing never flicker.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from transflow.finding import Severity
from transflow.review.rows import UnitRow
from transflow.unit import State

__all__ = ["STATE_LOOK", "UnitTable", "qa_mark"]

# How a state reads in the list: a word a translator knows, and a colour that says
# how far the unit is from done (named ANSI colours follow the light or dark theme).
STATE_LOOK: dict[State, tuple[str, str]] = {
    State.NEW: ("new", "bold red"),
    State.MACHINE: ("machine", "magenta"),
    State.MEMORY: ("memory", "blue"),
    State.NEEDS_REVIEW: ("fuzzy", "yellow"),
    State.TRANSLATED: ("translated", "cyan"),
    State.REVIEWED: ("approved", "green"),
}
SOURCE_WIDTH = 160  # the table's right edge crops it; the unit panel shows it whole
FIRST_ROWS = 100  # rows added before the first paint (a screenful, and then some)
MORE_ROWS = 1000  # rows added per step after it, between which keys are handled


def qa_level(severity: Severity | None) -> int:
    """What the list shows of a unit's worst finding: nothing (info), ! or ✗."""
    return 0 if severity is None or severity < Severity.WARNING else int(severity)


def qa_mark(severity: Severity | None) -> Text:
    if severity is None or severity < Severity.WARNING:
        return Text(" ")
    if severity >= Severity.ERROR:
        return Text("✗", style="bold red")
    return Text("!", style="bold yellow")


def _state(row: UnitRow) -> Text:
    label, style = STATE_LOOK[row.state]
    if row.stale_approval:
        label = "edited"  # approved once, changed since: the approval no longer holds
    return Text(label, style=style)


def _source(row: UnitRow) -> Text:
    text = " ".join(row.source.split())
    return Text(text[: SOURCE_WIDTH - 1] + "…" if len(text) > SOURCE_WIDTH else text)


def _move(kind: str, step: int) -> str:
    return f"screen.move({kind!r}, {step})"


class UnitTable(DataTable[Text]):
    """The units of the document, one row each: QA mark, state, id, source."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", _move("any", 1), "Next", tooltip="Next unit", id="next-unit"),
        Binding("p", _move("any", -1), "Prev", tooltip="Previous unit", id="previous-unit"),
        Binding(
            "enter",
            "screen.edit",
            "Edit",
            tooltip="Edit the translation (Esc comes back to the list)",
            id="edit",
        ),
        Binding(
            "tab",
            "screen.unfuzzy",
            "Translated",
            tooltip="Unfuzzy: mark translated, go to the next untranslated or fuzzy unit",
            id="unfuzzy",
        ),
        Binding(
            "a",
            "screen.approve",
            "Approve",
            tooltip="Approve, go to the next unit needing work",
            id="approve-unit",
        ),
        Binding(
            "r",
            "screen.reject",
            "Reject",
            tooltip="Reject: back to needs review (fuzzy), text kept",
            id="reject-unit",
        ),
        Binding(
            "space",
            _move("todo", 1),
            "Next to do",
            show=False,
            tooltip="Next unit needing work (not approved, or a QA error)",
            id="next-todo-unit",
        ),
        Binding("f", _move("fuzzy", 1), "Next fuzzy", show=False, id="next-fuzzy"),
        Binding("F", _move("fuzzy", -1), "Previous fuzzy", show=False, id="previous-fuzzy"),
        Binding("u", _move("untranslated", 1), "Next untranslated", show=False, id="next-new"),
        Binding(
            "U", _move("untranslated", -1), "Previous untranslated", show=False, id="previous-new"
        ),
        Binding("t", _move("translated", 1), "Next translated", show=False, id="next-translated"),
        Binding(
            "T",
            _move("translated", -1),
            "Previous translated",
            show=False,
            id="previous-translated",
        ),
        Binding("less_than_sign", "screen.first", "First unit", show=False, id="first-unit"),
        Binding("greater_than_sign", "screen.last", "Last unit", show=False, id="last-unit"),
        Binding(
            "k",
            "screen.clear_target",
            "Clear the target",
            show=False,
            tooltip="Clear the translation (new again)",
            id="clear",
        ),
        Binding(
            "number_sign",
            "screen.comment",
            "Comment",
            show=False,
            tooltip="Edit the translator comment",
            id="comment",
        ),
        Binding(
            "underscore",
            "screen.undo",
            "Undo",
            tooltip="Undo the last change (first: drop what was typed)",
            id="undo",
        ),
        Binding(
            "g",
            "screen.glossary",
            "Insert term",
            show=False,
            tooltip="Insert a glossary form at the cursor",
            id="glossary-unit",
        ),
        Binding(
            "slash",
            "screen.concordance",
            "Search",
            show=False,
            tooltip="Concordance: search all catalogs",
            id="concordance-unit",
        ),
        Binding(
            "j",
            "screen.jump",
            "Jump to id",
            show=False,
            tooltip="Go to a unit by its id",
            id="jump",
        ),
        Binding(
            "l",
            "screen.filter",
            "Filter",
            show=False,
            tooltip="Filter the list (state, QA)",
            id="filter-unit",
        ),
        Binding(
            "c",
            "app.coverage",
            "Coverage",
            show=False,
            tooltip="Coverage of all documents",
            id="coverage-unit",
        ),
        Binding("q", "app.confirm_quit", "Quit", tooltip="Quit (asks first)", id="quit-list"),
        *(
            Binding(
                str(n),
                f"screen.use_suggestion({n})",
                f"Use suggestion {n}",
                show=False,
                id=f"suggestion-{n}",
            )
            for n in range(1, 10)
        ),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            id=id,
            cursor_type="row",
            zebra_stripes=False,
            header_height=1,
            cursor_foreground_priority="css",
        )
        self._shown: dict[str, tuple[UnitRow, int]] = {}
        self._order: list[str] = []
        self._queue: deque[str] = deque()  # rows still to add, and their latest data
        self._queued: dict[str, tuple[UnitRow, Severity | None]] = {}
        self._wanted: str | None = None  # a unit to put the cursor on once its row exists
        self._generation = 0

    def on_mount(self) -> None:
        self.add_column(" ", key="qa", width=1)
        self.add_column("state", key="state", width=10)
        self.add_column("id", key="id", width=8)
        self.add_column("source", key="source", width=SOURCE_WIDTH)

    def show_rows(self, rows: Sequence[UnitRow], qa: Mapping[str, Severity]) -> None:
        """Show exactly ``rows``: cells updated in place if the same units, else rebuilt.

        A rebuild adds the first rows at once and the rest in steps after the
        screen is painted, so thousands of units do not delay the first paint.
        """
        order = [row.id for row in rows]
        if order == self._order:
            for row in rows:
                self.update_unit(row, qa.get(row.id))
            return
        self.clear()
        self._shown.clear()
        self._order = order
        self._queue = deque(order)
        self._queued = {row.id: (row, qa.get(row.id)) for row in rows}
        self._generation += 1
        self._fill(FIRST_ROWS, self._generation)

    def _fill(self, count: int, generation: int) -> None:
        if generation != self._generation:
            return  # rebuilt meanwhile
        for _ in range(min(count, len(self._queue))):
            unit_id = self._queue.popleft()
            row, severity = self._queued.pop(unit_id)
            self.add_row(qa_mark(severity), _state(row), Text(row.id), _source(row), key=row.id)
            self._shown[row.id] = (row, qa_level(severity))
        if self._wanted is not None and self._wanted in self._shown:
            wanted, self._wanted = self._wanted, None
            self.call_after_refresh(self.select, wanted)
        if self._queue:
            self.call_after_refresh(self._fill, MORE_ROWS, generation)

    @property
    def filling(self) -> bool:
        """Whether rows are still being added."""
        return bool(self._queue)

    def update_unit(self, row: UnitRow, severity: Severity | None) -> None:
        """Show a unit's new state (or QA mark) in its row, if the row is shown."""
        if row.id in self._queued:
            self._queued[row.id] = (row, severity)
            return
        shown = self._shown.get(row.id)
        level = qa_level(severity)
        if shown is None or shown == (row, level):
            return
        old_row, old_level = shown
        if old_level != level:
            self.update_cell(row.id, "qa", qa_mark(severity))
        if (old_row.state, old_row.stale_approval) != (row.state, row.stale_approval):
            self.update_cell(row.id, "state", _state(row))
        if old_row.source != row.source:
            self.update_cell(row.id, "source", _source(row))
        self._shown[row.id] = (row, level)

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """The table's size, without measuring a cell: every column has a fixed width here.

        ``DataTable`` measures every cell of every new row (for auto-width columns):
        a second for 5,000 units, before the first paint. Rows are one line each.
        """
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(width, self.row_count + header)

    def select(self, unit_id: str) -> None:
        """Put the cursor on ``unit_id`` (if shown) without scrolling more than needed."""
        if unit_id not in self._shown:
            self._wanted = unit_id if unit_id in self._queued else None
            return
        self._wanted = None
        index = self.get_row_index(unit_id)
        if index != self.cursor_row:
            self.move_cursor(row=index, animate=False)

    @property
    def unit_ids(self) -> list[str]:
        return list(self._order)
