"""The publishing rule: a page goes out only when every unit is approved and QA-clean.

The rule itself lives in the review API (``transflow.review.blockers_by_cell``,
one place for ``coverage``, the review UI and the export): for one document
in one locale, the *blockers* are the units that are not approved (no
current approval of the text as it stands) or have an open QA error. This
module turns them into a decision per document and locale: no blockers,
published; blockers and ``--allow-partial``, published with those units in
the source language, and said so; otherwise withheld — with the reason in a
few words for the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from transflow.config import Project
from transflow.export.content import SourceDoc
from transflow.review import Blocker, blockers_by_cell
from transflow.unit import State

if TYPE_CHECKING:
    from transflow.checking import ProjectResult

__all__ = ["Blocker", "Publication", "Status", "find_blockers"]


class Status(StrEnum):
    PUBLISHED = "published"
    PARTIAL = "partial"  # published with the blockers' units in the source language
    WITHHELD = "withheld"


def find_blockers(
    project: Project,
    sources: Sequence[SourceDoc],
    locales: Sequence[str],
    qa: ProjectResult | None = None,
) -> dict[tuple[str, str], list[Blocker]]:
    """The blockers of every document × locale, the catalogs as read.

    The QA errors are the ones found as the documents were loaded (``SourceDoc.errors``),
    else ``qa``'s, else those of a QA run made here.
    """
    if not sources or not locales:
        return {}
    entries = {(s.doc, lo): list(s.catalogs[lo].values()) for s in sources for lo in locales}
    docs = [s.doc for s in sources]
    errors = None
    if qa is None and all(s.errors is not None for s in sources):
        errors = [f for s in sources for f in s.errors or ()]
    states = {(s.doc, lo): s.states[lo] for s in sources for lo in locales if lo in s.states}
    return blockers_by_cell(
        project, docs, list(locales), entries=entries, qa=qa, errors=errors, states=states
    )


@dataclass
class Publication:
    """The decision for one document in one locale (the source language is always published)."""

    doc: str
    locale: str
    status: Status
    units: int
    blockers: list[Blocker] = field(default_factory=list)

    @property
    def fallback(self) -> frozenset[str]:
        """The units shown in the source language on a partial page."""
        return frozenset(b.unit for b in self.blockers)

    def summary(self) -> str:
        """Why, in a few words: "3 of 48 units not approved (2 translated, 1 new); 1 QA error"."""
        if not self.blockers:
            return "every unit approved, no QA error"
        states: dict[State, int] = {}
        checks: dict[str, int] = {}
        for blocker in self.blockers:
            if blocker.state != State.REVIEWED:
                states[blocker.state] = states.get(blocker.state, 0) + 1
            for finding in blocker.findings:
                checks[finding.check] = checks.get(finding.check, 0) + 1
        parts = []
        if states:
            detail = ", ".join(f"{n} {s.label}" for s, n in sorted(states.items(), reverse=True))
            parts.append(f"{sum(states.values())} of {self.units} units not approved ({detail})")
        if checks:
            count = sum(checks.values())
            names = ", ".join(sorted(checks))
            parts.append(f"{count} QA {'error' if count == 1 else 'errors'} ({names})")
        text = "; ".join(parts)
        if self.status == Status.PARTIAL:
            shown = len(self.fallback)
            text += f"; {shown} {'unit' if shown == 1 else 'units'} shown in English"
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "locale": self.locale,
            "status": str(self.status),
            "units": self.units,
            "reason": self.summary(),
            "blockers": [b.to_json() for b in self.blockers],
        }
