"""The approval check: an approval recorded for a text that has changed since.

An approval binds to the source and target it was given for (see
``transflow.approval``). When either changes — a target edited in Poedit, a
source edited and re-segmented — the approval is void: the unit counts as
translated, never as publishable, and this check says so, naming who approved
what and when, so a reviewer can look again.
"""

from __future__ import annotations

from transflow.approval import APPROVAL_KEY, LEGACY_FLAG, find_approval
from transflow.finding import Severity
from transflow.qa.base import Hit, LocaleRules, QAUnit, unit_check
from transflow.unit import State

__all__ = ["check_approval_stale"]


@unit_check("approval-stale", Severity.WARNING)
def check_approval_stale(unit: QAUnit, rules: LocaleRules) -> list[Hit] | None:
    """An approval was recorded for a text that has changed since: it no longer counts."""
    if unit.state is State.REVIEWED:
        # ``review_state`` gives REVIEWED exactly when this approval is current: no need to
        # parse it and hash the text again (0.17 s per 100,000 units).
        return None
    comments = unit.translator_comments
    if APPROVAL_KEY not in comments and LEGACY_FLAG not in unit.flags:
        return None
    approval = find_approval(comments, unit.source, unit.target, unit.flags)
    if approval is None or approval.current:
        return None
    span = (0, len(unit.target))
    if approval.legacy:
        return [Hit("the old 'reviewed' flag on a fuzzy unit does not count", span)]
    if not approval.digest:
        line = f"{APPROVAL_KEY} {approval.reviewer}"
        return [Hit(f"'{line}' is not an approval transflow wrote; it does not count", span)]
    why = "the unit is marked fuzzy" if "fuzzy" in unit.flags else "the text changed since"
    message = f"approved by {approval.reviewer} on {approval.when[:10]}, but {why}"
    return [Hit(f"{message}: it no longer counts; review and approve it again", span)]
