"""Coverage: how far each document is translated and reviewed, per locale.

For each document × locale: units and source words in each review state, the
share of source words reviewed, open QA errors, and whether the translation is
publishable (every unit reviewed, no unsuppressed QA error). Per-locale totals
sum the documents. The numbers are the ones outside tools give: units agree
with ``msgfmt --statistics`` (translated = not fuzzy with a target; fuzzy;
untranslated) and words with translate-toolkit's ``pocount``, whose word
count ``word_count`` reproduces exactly.

The per-catalog numbers come from ``transflow.checking``, which caches them
with the QA findings, so ``coverage`` on an unchanged project reads no catalog.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from transflow.unit import State, word_count

if TYPE_CHECKING:
    from transflow.config import Project

__all__ = [
    "CoverageReport",
    "CoverageRow",
    "StateCounts",
    "build_report",
    "coverage_report",
    "word_count",
]

# -- counts ------------------------------------------------------------------------------

STATES: tuple[State, ...] = tuple(State)


@dataclass
class StateCounts:
    """Units and source words per state."""

    units: list[int] = field(default_factory=lambda: [0] * len(STATES))
    words: list[int] = field(default_factory=lambda: [0] * len(STATES))

    def add(self, state: State, words: int, count: int = 1) -> None:
        self.units[state] += count
        self.words[state] += words

    def merge(self, other: StateCounts) -> None:
        for i in range(len(STATES)):
            self.units[i] += other.units[i]
            self.words[i] += other.words[i]

    @property
    def total_units(self) -> int:
        return sum(self.units)

    @property
    def total_words(self) -> int:
        return sum(self.words)

    def percent_reviewed(self) -> float:
        """Share of source words reviewed, 0–100 (100 for an empty document)."""
        total = self.total_words
        if total == 0:
            return 100.0 if self.total_units == self.units[State.REVIEWED] else 0.0
        return 100.0 * self.words[State.REVIEWED] / total

    def gettext(self) -> dict[str, dict[str, int]]:
        """The msgfmt/pocount view: translated (not fuzzy), fuzzy, untranslated."""
        groups = {
            "translated": (State.TRANSLATED, State.REVIEWED),
            "fuzzy": (State.MACHINE, State.MEMORY, State.NEEDS_REVIEW),
            "untranslated": (State.NEW,),
        }
        return {
            name: {
                "units": sum(self.units[s] for s in states),
                "words": sum(self.words[s] for s in states),
            }
            for name, states in groups.items()
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "units": {s.label: self.units[s] for s in STATES},
            "words": {s.label: self.words[s] for s in STATES},
            "total_units": self.total_units,
            "total_words": self.total_words,
            "reviewed_percent": round(self.percent_reviewed(), 2),
            "gettext": self.gettext(),
        }


@dataclass
class CoverageRow:
    """One document in one locale (or, with ``doc`` None, a locale's total)."""

    doc: str | None
    locale: str
    counts: StateCounts
    qa_errors: int = 0

    @property
    def publishable(self) -> bool:
        c = self.counts
        return c.units[State.REVIEWED] == c.total_units and self.qa_errors == 0

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"doc": self.doc, "locale": self.locale}
        data.update(self.counts.to_json())
        data["qa_errors"] = self.qa_errors
        data["publishable"] = self.publishable
        return data


@dataclass
class CoverageReport:
    """The whole matrix: rows per document × locale, totals per locale."""

    rows: list[CoverageRow]
    totals: dict[str, CoverageRow]
    fail_under: float | None = None

    @property
    def failing_locales(self) -> list[str]:
        """Locales whose reviewed-word percentage is under ``fail_under``."""
        if self.fail_under is None:
            return []
        return [
            loc
            for loc, row in self.totals.items()
            if row.counts.percent_reviewed() < self.fail_under
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": [row.to_json() for row in self.rows],
            "locales": {loc: row.to_json() for loc, row in self.totals.items()},
            "fail_under": self.fail_under,
            "failing_locales": self.failing_locales,
        }


def build_report(
    cells: Iterable[tuple[str, str, StateCounts, int]],
    locales: Sequence[str],
    fail_under: float | None = None,
) -> CoverageReport:
    """A report from (doc, locale, counts, open QA errors) cells, rows sorted by locale then doc."""
    rows = [CoverageRow(doc, loc, counts, errors) for doc, loc, counts, errors in cells]
    order = {loc: i for i, loc in enumerate(locales)}
    rows.sort(key=lambda r: (order.get(r.locale, len(order)), r.doc or ""))
    totals: dict[str, CoverageRow] = {}
    for loc in locales:
        total = CoverageRow(None, loc, StateCounts())
        for row in rows:
            if row.locale == loc:
                total.counts.merge(row.counts)
                total.qa_errors += row.qa_errors
        totals[loc] = total
    return CoverageReport(rows, totals, fail_under)


def coverage_report(
    project: Project,
    locales: Sequence[str] | None = None,
    fail_under: float | None = None,
    *,
    use_cache: bool = True,
) -> CoverageReport:
    """The project's coverage matrix (QA errors from ``check``'s cached results)."""
    from transflow.checking import run_project

    wanted = project.check_locales(list(locales) if locales else None)
    result = run_project(project, wanted, use_cache=use_cache, errors_only=True)
    cells = [
        (doc, loc, result.counts[(doc, loc)], result.errors(doc, loc))
        for loc in wanted
        for doc in result.docs
    ]
    return build_report(cells, wanted, fail_under)
