"""The review API: what a reviewer sees of a unit, and what they may do to it.

One typed API for every front end — the review UI (``transflow review``), the
export, and the command line (``transflow approve``) — so the rules live in one
place and a second front end needs nothing more::

    from transflow.config import load_project
    from transflow.review import ReviewSession

    session = ReviewSession.open(load_project(), "de", "bonn-2025-notice")
    unit = session.units()[0]            # UnitView: source, target, state, approval, ...
    session.set_target(unit.id, "ASİMKOM – Materialien der Bonner Konferenz")
    session.check_unit(unit.id)          # what `transflow check` would say, in milliseconds
    session.approve(unit.id, "Anna Schmidt <anna@example.org>")
    session.save(translator="Anna Schmidt <anna@example.org>")

The state rules themselves (what each operation does to flags, approval and
notes) are ``transflow.catalog``'s entry operations; this module adds the
views, the checks before an approval, memory and concordance look-ups, and the
project-wide reports a coordinator needs (blockers, coverage).
"""

from __future__ import annotations

from transflow.coverage import coverage_report
from transflow.errors import EditConflict, ReviewError
from transflow.reapply import Conflict
from transflow.review.approve import ApprovalReport, approve_units, unapprove_units
from transflow.review.project import (
    Blocker,
    ConcordanceHit,
    blockers,
    blockers_by_cell,
    concordance,
)
from transflow.review.session import ReviewSession, UnitSnapshot, restore_unit, snapshot_unit
from transflow.review.views import (
    MachineSuggestion,
    MemorySuggestion,
    SaveResult,
    TermView,
    UnitView,
    parse_provenance,
)

__all__ = [
    "ApprovalReport",
    "Blocker",
    "ConcordanceHit",
    "Conflict",
    "EditConflict",
    "MachineSuggestion",
    "MemorySuggestion",
    "ReviewError",
    "ReviewSession",
    "SaveResult",
    "TermView",
    "UnitSnapshot",
    "UnitView",
    "approve_units",
    "blockers",
    "blockers_by_cell",
    "concordance",
    "coverage_report",
    "parse_provenance",
    "restore_unit",
    "snapshot_unit",
    "unapprove_units",
]
