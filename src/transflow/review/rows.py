"""The unit list of a review: one cheap row per unit, the progress line, filters and moves.

A review front end lists every unit of a catalog at once. A full
``review.UnitView`` per unit needs the polib catalog and the glossary loaded
(seconds for a 5,000-unit catalog); a row needs only what the list shows, so
rows are read with the fast PO reader and the list of a large catalog is on
screen before the catalog behind it is loaded. The rules a translator moves
by — PO mode's "next fuzzy", "next untranslated", and "next unit that needs
work" — and the ``--filter`` names live here too, so every front end moves
and filters the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from transflow.finding import Severity
from transflow.unit import State, word_count

if TYPE_CHECKING:
    from transflow.approval import Approval
    from transflow.catalog import Catalog
    from transflow.config import Project
    from transflow.review import UnitView

__all__ = [
    "FILTERS",
    "Progress",
    "RowTest",
    "UnitRow",
    "find_next",
    "needs_work",
    "progress",
    "read_rows",
    "row_filter",
    "row_of",
    "rows_of_catalog",
]


@dataclass(frozen=True, slots=True)
class UnitRow:
    """What a unit list shows of one unit: its state, texts and word count."""

    id: str
    index: int  # position in the catalog (document order)
    state: State
    source: str
    target: str
    words: int
    stale_approval: bool = False  # approved once, edited since

    @property
    def fuzzy(self) -> bool:
        """PO mode's "fuzzy": a suggestion or a translation that needs review."""
        return State.NEW < self.state < State.TRANSLATED


def _row(
    position: int,
    unit_id: str,
    state: State,
    source: str,
    target: str,
    approval: Callable[[], Approval | None],
) -> UnitRow:
    """One row; ``approval`` is called only for a translated unit with an approval comment."""
    stale = False
    if state == State.TRANSLATED:
        found = approval()
        stale = found is not None and not found.current
    return UnitRow(unit_id, position, state, source, target, word_count(source), stale)


def read_rows(project: Project, locale: str, doc: str) -> list[UnitRow]:
    """The rows of ``doc`` in ``locale``, read with the fast reader (no polib, no glossary)."""
    from transflow.approval import find_approval
    from transflow.checking import entry_state
    from transflow.poread import read_po

    entries = [
        e for e in read_po(project.catalog_path(locale, doc)) if not (e.obsolete or e.is_header)
    ]
    return [
        _row(
            i,
            e.msgctxt or "",
            entry_state(e),
            e.msgid,
            e.msgstr,
            partial(find_approval, e.tcomment, e.msgid, e.msgstr, e.flags),
        )
        for i, e in enumerate(entries)
    ]


def rows_of_catalog(catalog: Catalog) -> list[UnitRow]:
    """The rows of a catalog loaded with polib (the same rows ``read_rows`` gives for its file)."""
    from transflow.catalog import approval_of, state_of

    return [
        _row(i, e.msgctxt or "", state_of(e), e.msgid, e.msgstr, partial(approval_of, e))
        for i, e in enumerate(catalog.units)
    ]


def row_of(view: UnitView) -> UnitRow:
    """The row of a unit as the review API sees it now (after an edit)."""
    return UnitRow(
        view.id,
        view.index,
        view.state,
        view.source,
        view.target,
        view.words,
        view.stale_approval,
    )


# -- the progress line ---------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """Units and words of a document by state, as a status line shows them."""

    units: Mapping[State, int]
    words: Mapping[State, int]

    @property
    def total_units(self) -> int:
        return sum(self.units.values())

    @property
    def total_words(self) -> int:
        return sum(self.words.values())

    @property
    def translated(self) -> int:
        """Units msgfmt counts as translated (not fuzzy, with a target): approved ones too."""
        return self.units[State.TRANSLATED] + self.units[State.REVIEWED]

    @property
    def fuzzy(self) -> int:
        return sum(self.units[s] for s in (State.MACHINE, State.MEMORY, State.NEEDS_REVIEW))

    @property
    def untranslated(self) -> int:
        return self.units[State.NEW]

    @property
    def approved(self) -> int:
        return self.units[State.REVIEWED]

    @property
    def percent_approved_words(self) -> float:
        """Share of source words approved, as ``transflow coverage`` counts it."""
        total = self.total_words
        if total == 0:
            return 100.0 if self.approved == self.total_units else 0.0
        return 100.0 * self.words[State.REVIEWED] / total

    def po_mode(self) -> str:
        """Emacs PO mode's count: ``132t+3f+10u`` (translated, fuzzy, untranslated)."""
        return f"{self.translated}t+{self.fuzzy}f+{self.untranslated}u"


def progress(rows: Sequence[UnitRow]) -> Progress:
    units = dict.fromkeys(State, 0)
    words = dict.fromkeys(State, 0)
    for row in rows:
        units[row.state] += 1
        words[row.state] += row.words
    return Progress(units, words)


# -- filters and moves ----------------------------------------------------------------------

# ``transflow review --filter NAME``: name → what the list then shows.
FILTERS: dict[str, str] = {
    "all": "every unit",
    # exactly the units ``review.blockers`` lists: what keeps the document unpublished
    "todo": "not approved, or with a QA error",
    "qa": "with a QA error or warning",
    "new": "without a translation",
    "machine": "machine suggestions",
    "memory": "fuzzy memory matches",
    "needs-review": "marked fuzzy (e.g. the source changed)",
    "fuzzy": "machine, memory or needs review",
    "translated": "translated, not approved",
    "reviewed": "approved",
}

RowTest = Callable[[UnitRow], bool]
_BY_STATE = {
    "new": (State.NEW,),
    "machine": (State.MACHINE,),
    "memory": (State.MEMORY,),
    "needs-review": (State.NEEDS_REVIEW,),
    "fuzzy": (State.MACHINE, State.MEMORY, State.NEEDS_REVIEW),
    "translated": (State.TRANSLATED,),
    "reviewed": (State.REVIEWED,),
}


def needs_work(row: UnitRow, qa: Mapping[str, Severity]) -> bool:
    """Whether a reviewer still has something to do: not approved, or a QA error."""
    return row.state < State.REVIEWED or qa.get(row.id, Severity.INFO) >= Severity.ERROR


def row_filter(name: str, qa: Mapping[str, Severity] | None = None) -> RowTest:
    """The test for filter ``name`` (see ``FILTERS``); ``qa`` is the worst finding per unit."""
    if name not in FILTERS:
        raise ValueError(f"unknown filter {name!r} (choose from {', '.join(FILTERS)})")
    worst = qa or {}
    if name == "all":
        return lambda row: True
    if name in _BY_STATE:
        states = _BY_STATE[name]
        return lambda row: row.state in states
    if name == "qa":
        return lambda row: worst.get(row.id, Severity.INFO) >= Severity.WARNING
    return lambda row: needs_work(row, worst)


def find_next(
    rows: Sequence[UnitRow], start: int, test: RowTest, step: int = 1, *, wrap: bool = True
) -> int | None:
    """The position of the next row after ``start`` (``step`` -1: before) passing ``test``.

    Like PO mode, the search wraps around the end of the list (``wrap``);
    the row at ``start`` itself is found last.
    """
    count = len(rows)
    if count == 0:
        return None
    positions = range(1, count + 1) if wrap else range(1, count)
    for offset in positions:
        position = start + step * offset
        if not wrap and not 0 <= position < count:
            return None
        position %= count
        if test(rows[position]):
            return position
    return None
