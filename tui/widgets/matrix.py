"""The document × locale matrix: a bar, the share of words approved, publishable or not.

The numbers are ``transflow coverage``'s (``coverage_report``): the share of
source words approved, and publishable = every unit approved and no open QA
error. Used by the start screen and the coverage screen.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from transflow.coverage import CoverageReport, CoverageRow
from transflow.unit import State

__all__ = ["TOTAL", "CoverageMatrix", "cell_text", "short_names"]

TOTAL = "__total__"  # the row key of the per-locale totals


def cell_text(row: CoverageRow, width: int) -> Text:
    """One cell: `` 30% 277/918w  ✗`` on a bar filled as far as the words approved go."""
    counts = row.counts
    percent = counts.percent_reviewed()
    approved, total = counts.words[State.REVIEWED], counts.total_words
    mark = "✓" if row.publishable else ("✗" if row.qa_errors else " ")
    label = f" {percent:.0f}%"
    if width >= 22:
        label += f"  {approved}/{total} words"
    body = label[: width - 2].ljust(width - 2) + mark + " "
    filled = round(width * percent / 100)
    if percent < 100:
        filled = min(filled, width - 1)  # full only when everything is approved
    colour = "green4" if row.publishable else ("dark_orange3" if percent >= 50 else "red3")
    text = Text(no_wrap=True)
    text.append(body[:filled], style=f"bold white on {colour}")
    text.append(body[filled:-2], style="bold")
    text.append(body[-2:], style="bold green" if row.publishable else "bold red")
    return text


def short_names(docs: list[str], width: int) -> dict[str, str]:
    """Document names that fit ``width``: a prefix they all share dropped, then the middle."""
    names = dict(zip(docs, docs, strict=True))
    if any(len(d) > width for d in docs) and len(docs) > 1:
        words = [d.split("-") for d in docs]
        shared = 0
        while all(len(w) > shared + 1 for w in words) and len({w[shared] for w in words}) == 1:
            shared += 1
        prefix = "".join(f"{w}-" for w in words[0][:shared])
        if prefix:
            names = {d: "…" + d[len(prefix) :] for d in docs}
    for doc, name in names.items():
        if len(name) > width:
            head = (width - 1) // 2
            names[doc] = name[:head] + "…" + name[len(name) - (width - 1 - head) :]
    return names


class CoverageMatrix(DataTable[Text]):
    """Documents down, locales across; the cursor picks one document in one locale."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="cell", zebra_stripes=True, header_height=1)
        self.report: CoverageReport | None = None
        self._built_for: tuple[int, int] | None = None

    def show(self, report: CoverageReport) -> None:
        self.report = report
        self._built_for = None
        self._build()

    def on_resize(self) -> None:
        if self.report is not None and self._built_for != (self.size.width, id(self.report)):
            self._build()

    def _build(self) -> None:
        report = self.report
        if report is None:
            return
        locales = list(report.totals)
        docs = list(dict.fromkeys(r.doc for r in report.rows if r.doc is not None))
        width = max(self.size.width, 40)
        columns = max(1, len(locales))
        # Cells get what the names leave, at least 9 columns (a bar, the percentage, ✓).
        label = min(max((len(d) for d in docs), default=8), width - 3 - columns * 11)
        label = max(label, 12)
        cell = max(9, (width - label - 3 - 2 * columns) // columns)
        names = short_names(docs, label)
        keep = self.cursor_coordinate
        self.clear(columns=True)
        for locale in locales:
            self.add_column(Text(locale, style="bold"), key=locale, width=cell)
        by_cell = {(r.doc, r.locale): r for r in report.rows}
        for doc in docs:
            name = names[doc]
            cells = [cell_text(by_cell[(doc, loc)], cell) for loc in locales]
            self.add_row(*cells, key=doc, label=Text(name))
        totals = [cell_text(report.totals[loc], cell) for loc in locales]
        self.add_row(*totals, key=TOTAL, label=Text("all documents", style="italic"))
        self._built_for = (self.size.width, id(report))
        self.move_cursor(row=keep.row, column=keep.column, animate=False)

    def selected(self) -> tuple[str | None, str] | None:
        """(doc, locale) under the cursor; doc None on the totals row."""
        if self.report is None or not self.row_count:
            return None
        row_key, column_key = self.coordinate_to_cell_key(self.cursor_coordinate)
        doc = None if row_key.value == TOTAL else row_key.value
        return doc, str(column_key.value)
