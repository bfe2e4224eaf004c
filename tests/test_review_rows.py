"""The unit list's rows, the PO mode count, filters and moves (``transflow.review.rows``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from review_support import COMMITTEE, review_project
from transflow.catalog import Catalog
from transflow.coverage import coverage_report
from transflow.finding import Severity
from transflow.review.rows import (
    FILTERS,
    UnitRow,
    find_next,
    progress,
    read_rows,
    row_filter,
    rows_of_catalog,
)
from transflow.unit import State


def row(unit: str, state: State, words: int = 1) -> UnitRow:
    return UnitRow(unit, 0, state, "x", "" if state == State.NEW else "y", words)


def test_fast_rows_are_the_rows_of_the_loaded_catalog(tmp_path: Path) -> None:
    project = review_project(tmp_path / "p")
    for locale in project.locales:
        for doc in project.docs():
            path = project.catalog_path(locale, doc)
            assert read_rows(project, locale, doc) == rows_of_catalog(Catalog.load(path, locale))


def test_progress_agrees_with_coverage(tmp_path: Path) -> None:
    project = review_project(tmp_path / "p")
    report = coverage_report(project, ["de"])
    cell = next(r for r in report.rows if r.doc == COMMITTEE)
    done = progress(read_rows(project, "de", COMMITTEE))
    assert done.total_words == cell.counts.total_words
    assert done.percent_approved_words == pytest.approx(cell.counts.percent_reviewed())
    gettext = cell.counts.gettext()
    assert done.po_mode() == (
        f"{gettext['translated']['units']}t+{gettext['fuzzy']['units']}f"
        f"+{gettext['untranslated']['units']}u"
    )


def test_po_mode_count_puts_suggestions_with_fuzzy() -> None:
    rows = [row("a", State.REVIEWED), row("b", State.TRANSLATED), row("c", State.MACHINE)]
    rows += [row("d", State.MEMORY), row("e", State.NEEDS_REVIEW), row("f", State.NEW)]
    assert progress(rows).po_mode() == "2t+3f+1u"


def test_filters() -> None:
    rows = [row("a", State.REVIEWED), row("b", State.TRANSLATED), row("c", State.MACHINE)]
    rows.append(row("d", State.NEW))
    qa = {"a": Severity.ERROR, "b": Severity.WARNING, "c": Severity.INFO}

    def ids(name: str) -> list[str]:
        return [r.id for r in rows if row_filter(name, qa)(r)]

    assert ids("all") == ["a", "b", "c", "d"]
    assert ids("todo") == ["a", "b", "c", "d"]  # an approved unit with a QA error blocks too
    assert ids("qa") == ["a", "b"]
    assert ids("fuzzy") == ["c"]
    assert ids("reviewed") == ["a"]
    assert set(FILTERS) >= {"new", "machine", "memory", "needs-review", "translated", "qa"}
    with pytest.raises(ValueError, match="unknown filter"):
        row_filter("done")


def test_find_next_wraps_like_po_mode_and_finds_the_start_last() -> None:
    rows = [row("a", State.NEW), row("b", State.REVIEWED), row("c", State.NEW)]
    new = lambda r: r.state == State.NEW  # noqa: E731
    assert find_next(rows, 0, new) == 2
    assert find_next(rows, 2, new) == 0  # wraps around the end
    assert find_next(rows, 0, new, -1) == 2  # and around the start
    assert find_next(rows, 0, lambda r: r.id == "a") == 0  # only itself: found last
    assert find_next(rows, 2, new, wrap=False) is None
    assert find_next([], 0, new) is None
