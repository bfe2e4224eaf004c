"""The publishing rule: a page goes out only when every unit is approved and QA-clean.

For one document in one locale, the *blockers* are the units that stop it
being published, each with the reason: not approved (with the state it is in:
new, machine suggestion, memory match, needs review, translated) or an open
QA error (a check of ``transflow check`` at error severity, not silenced by a
``qa-ignore`` comment). No blockers: published. Blockers and
``--allow-partial``: published with those units in English, and said so.
Otherwise withheld.

"Approved" is ``State.REVIEWED`` as ``transflow.checking.entry_state`` reads
it: a current approval of the text as it stands. QA errors come from
``transflow.checking.run_project``, the same results ``check`` and
``coverage`` report (and cache).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from transflow.checking import entry_state
from transflow.config import Project
from transflow.finding import Finding
from transflow.poread import PoEntry
from transflow.unit import State

__all__ = ["Blocker", "Publication", "Status", "blockers", "qa_errors"]

_NOT_APPROVED = {
    State.NEW: "not translated",
    State.MACHINE: "machine suggestion, not reviewed",
    State.MEMORY: "memory match, not reviewed",
    State.NEEDS_REVIEW: "needs review",
    State.TRANSLATED: "translated, not approved",
}


class Status(StrEnum):
    PUBLISHED = "published"
    PARTIAL = "partial"  # published with the blockers' units in the source language
    WITHHELD = "withheld"


@dataclass(frozen=True)
class Blocker:
    """One unit that keeps a document from being published in a locale, and why."""

    unit: str
    state: State
    reason: str
    check: str | None = None  # the QA check, for a QA error

    def to_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "state": self.state.label,
            "reason": self.reason,
            "check": self.check,
        }


def qa_errors(project: Project, docs: Sequence[str], locales: Sequence[str]) -> list[Finding]:
    """Open QA errors (unsuppressed, error severity) in these documents and locales."""
    from transflow.checking import run_project

    result = run_project(project, list(locales), list(docs), errors_only=True)
    return [f for f in result.blocking() if f.locale is not None]


def blockers(entries: Mapping[str, PoEntry], errors: Sequence[Finding]) -> list[Blocker]:
    """The blockers of one document in one locale, in unit order (QA errors after the state)."""
    by_unit: dict[str, list[Finding]] = {}
    for finding in errors:
        by_unit.setdefault(finding.unit, []).append(finding)
    out: list[Blocker] = []
    for unit_id, entry in entries.items():
        state = entry_state(entry)
        if state != State.REVIEWED:
            out.append(Blocker(unit_id, state, _NOT_APPROVED[state]))
        for finding in by_unit.get(unit_id, ()):
            out.append(Blocker(unit_id, state, f"QA error: {finding.message}", check=finding.check))
    return out


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
        return frozenset(b.unit for b in self.blockers)

    def summary(self) -> str:
        """Why, in a few words: "3 not approved (2 translated, 1 new); 1 QA error"."""
        if not self.blockers:
            return "every unit approved, no QA error"
        states: dict[str, int] = {}
        not_approved: set[str] = set()
        checks: dict[str, int] = {}
        for b in self.blockers:
            if b.check is None:
                not_approved.add(b.unit)
                states[b.state.label] = states.get(b.state.label, 0) + 1
            else:
                checks[b.check] = checks.get(b.check, 0) + 1
        parts = []
        if not_approved:
            detail = ", ".join(f"{n} {label}" for label, n in sorted(states.items(), key=_rank))
            parts.append(f"{len(not_approved)} of {self.units} units not approved ({detail})")
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


def _rank(item: tuple[str, int]) -> tuple[int, str]:
    order = {s.label: -int(s) for s in State}
    return order.get(item[0], 0), item[0]
