"""What a check run gives back: the findings and counts, read from the cache on demand."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from transflow.check_cache import Cell, CheckCache, Summary
from transflow.checking.findings import (
    POS,
    SEVERITY,
    by_position,
    finding_json_text,
    split_texts,
    summarize_findings,
    text_pieces,
    to_finding,
    utf8,
)
from transflow.coverage import StateCounts
from transflow.finding import Finding, Severity

# A group of the report: (document, locale or None for the source, the cell's name).
Group = tuple[str, str | None, str]


class ProjectResult:
    """Findings and counts for the requested documents and locales.

    The findings are not held in memory: ``raw()`` reads them from the cache one
    catalog at a time, in report order (per document: the source's, then each
    locale's, in unit order), so a caller that streams them out needs memory for
    one catalog's findings only. ``counts``, ``errors()``, ``summary()`` and
    ``blocking_count()`` need no findings at all. ``findings`` builds the whole
    list of ``Finding`` objects, for callers that want them all at once.
    """

    def __init__(
        self,
        docs: list[str],
        locales: tuple[str, ...],
        source: bool,
        counts: dict[tuple[str, str], StateCounts],
        read: int,
        cache: CheckCache,
        cells: dict[str, Cell],
        groups: list[Group],
        extra: dict[tuple[str, str | None], list[tuple[Any, ...]]],
    ) -> None:
        self.docs = docs
        self.locales = locales
        self.source = source  # whether the English source's findings are included
        self.counts = counts
        self.read = read  # catalogs parsed in this run (0 on a fully warm run)
        self._cache = cache
        self._cells = cells
        self._groups = groups
        # (document, locale) → its group's cache name: ``errors`` is asked once per document
        # (coverage, export), and a scan of the groups each time is quadratic.
        self._named: dict[tuple[str, str | None], str] = {}
        for doc, locale, name in groups:
            self._named.setdefault((doc, locale), name)
        self._extra = extra  # project-scope findings by (document, locale)

    def raw(self, min_severity: Severity = Severity.INFO) -> Iterator[tuple[Any, str | None, str]]:
        """(cached finding, locale, PO file) of every finding of at least ``min_severity``."""
        floor = int(min_severity)
        cells = self._cells
        for doc, locale, name in self._groups:
            cell = cells[name]
            found = self._cache.findings(cell.blob)
            extra = self._extra.get((doc, locale))
            if extra:
                found = found + extra
                found.sort(key=by_position)  # stable: a unit's own findings first
            path = cell.path
            for raw in found:
                if raw[SEVERITY] >= floor:
                    yield raw, locale, path

    def json_texts(self, min_severity: Severity = Severity.INFO) -> Iterator[str]:
        """``finding_json_text`` of every finding ``raw()`` yields, in the same order.

        The texts were rendered when the findings were computed; a document's
        project-scope findings (consistency) are rendered now and put in place.
        """
        floor = int(min_severity)
        for group in self._groups:
            for _, severity, text in self._json_items(*group):
                if severity >= floor:
                    yield text

    def json_chunks(self, min_severity: Severity = Severity.INFO) -> Iterator[bytes | memoryview]:
        """``json_texts`` in UTF-8, several at a time: each chunk is one or more of them
        joined by ",\n", as a JSON list separates its items.

        A catalog's texts are stored joined (``joined_texts``): the shown ones come
        out as slices of that string, so printing 100,000 findings copies a few
        thousand strings instead of making and joining 100,000.
        """
        floor = int(min_severity)
        cells = self._cells
        for doc, locale, name in self._groups:
            cell = cells[name]
            if cell.texts is None:
                for _, severity, text in self._json_items(doc, locale, name):
                    if severity >= floor:
                        yield utf8(text)
                continue
            extra = self._extra.get((doc, locale)) or []
            shown = sorted((raw for raw in extra if raw[SEVERITY] >= floor), key=by_position)
            yield from text_pieces(
                self._cache.load_texts(cell.texts), floor, shown, locale, cell.path
            )

    def _json_items(self, doc: str, locale: str | None, name: str) -> list[tuple[int, int, str]]:
        """(position, severity, JSON text) of a group's findings, in report order."""
        cell = self._cells[name]
        extra = self._extra.get((doc, locale))
        items: list[tuple[int, int, str]]
        if cell.texts is not None:
            items = split_texts(self._cache.load_texts(cell.texts))
        else:  # no texts (a cell without findings): render whatever there is now
            items = [
                (raw[POS], raw[SEVERITY], finding_json_text(raw, locale, cell.path))
                for raw in self._cache.findings(cell.blob)
            ]
        if extra:
            path = cell.path
            items += [
                (raw[POS], raw[SEVERITY], finding_json_text(raw, locale, path)) for raw in extra
            ]
            items.sort(key=by_position)  # stable: a unit's own findings first
        return items

    def iter_findings(self, min_severity: Severity = Severity.INFO) -> Iterator[Finding]:
        for raw, locale, path in self.raw(min_severity):
            yield to_finding(raw, locale, path)

    @property
    def findings(self) -> list[Finding]:
        return list(self.iter_findings())

    def summary(self) -> Summary:
        """(unsuppressed errors, warnings, infos, suppressed findings) of the whole result."""
        totals = [0, 0, 0, 0]
        for doc, locale, name in self._groups:
            for i, n in enumerate(self._group_summary(doc, locale, name)):
                totals[i] += n
        return (totals[0], totals[1], totals[2], totals[3])

    def _group_summary(self, doc: str, locale: str | None, name: str) -> Summary:
        summary = self._cells[name].summary
        extra = self._extra.get((doc, locale))
        if not extra:
            return summary
        more = summarize_findings(extra)
        return (
            summary[0] + more[0],
            summary[1] + more[1],
            summary[2] + more[2],
            summary[3] + more[3],
        )

    def errors(self, doc: str, locale: str | None) -> int:
        """Unsuppressed error findings in one document and locale."""
        name = self._named.get((doc, locale))
        return 0 if name is None else self._group_summary(doc, locale, name)[0]

    def blocking_count(self) -> int:
        """Unsuppressed error findings in total (what fails the gate)."""
        return self.summary()[0]

    def blocking(self) -> list[Finding]:
        return [f for f in self.iter_findings(Severity.ERROR) if not f.suppressed]

    def close(self) -> None:
        """Close the cache files (also done when the result is garbage-collected)."""
        self._cache.close()
