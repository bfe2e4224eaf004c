"""The open QA errors of one document's files as a caller has already read them, uncached.

``run_project`` reads, hashes and parses every catalog itself and caches what
it finds; the export also parses every catalog, to build its pages. For the
publishing rule it needs only the errors, so ``DocumentErrors`` checks the
entries the export read (each file parsed once per export) with exactly the
checks ``run_project(errors_only=True)`` runs and gives what its ``blocking()``
would give for that document. The consistency checks compare every document
of a locale: when the settings make one of them able to report an error,
``per_document`` is False and the caller runs ``run_project`` instead.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from transflow.checking.findings import SEVERITY, SUPPRESSED, by_position, to_finding
from transflow.checking.project import Layout
from transflow.checking.runner import Runner
from transflow.config import Project
from transflow.finding import Finding, Severity

if TYPE_CHECKING:
    from transflow.poread import PoEntry
    from transflow.unit import State

__all__ = ["DocumentErrors"]


class DocumentErrors:
    """Set up once (settings, glossary, checks; before forking, so workers share it)."""

    def __init__(self, project: Project, locales: Sequence[str]) -> None:
        self._runner = Runner(project, use_cache=False, errors_only=True)
        self._runner.prepare(locales)
        self.key = self._runner.key  # what the errors depend on besides the files
        self._layout = Layout(project, [])  # paths named as ``run_project`` names them

    @property
    def per_document(self) -> bool:
        """Whether a document's errors depend on that document's files alone."""
        return not self._runner.has_project_checks

    def source(self, doc: str, entries: list[PoEntry], data: bytes, path: Path) -> list[Finding]:
        """The errors on the English source: ``entries`` of the template at ``path``."""
        runner = self._runner
        if runner.glossary_module is None or not runner.source_checks:
            return []
        found = runner.source_findings(doc, entries, data)
        return _blocking(found, None, self._layout.shown(os.fspath(path)))

    def catalog(
        self,
        doc: str,
        locale: str,
        entries: list[PoEntry],
        data: bytes,
        path: Path,
        states: Sequence[State] | None = None,
    ) -> list[Finding]:
        """The errors in one catalog: ``entries`` are its live entries, read from ``data``;
        ``states`` their review states, if the caller has them already."""
        found = self._runner.catalog(
            doc, locale, entries, data, checks=True, want_units=False, counting=False, states=states
        )[2]
        return _blocking(found or [], locale, self._layout.shown(os.fspath(path)))


def _blocking(found: list[tuple[Any, ...]], locale: str | None, shown: str) -> list[Finding]:
    """Unsuppressed errors, in the order ``ProjectResult.blocking`` gives them."""
    found.sort(key=by_position)
    error = int(Severity.ERROR)
    return [
        to_finding(raw, locale, shown)
        for raw in found
        if raw[SEVERITY] >= error and not raw[SUPPRESSED]
    ]
