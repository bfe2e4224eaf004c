"""Signing off many units at once: the work behind ``transflow approve`` and ``unapprove``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from transflow.config import Project
from transflow.errors import InputError, ReviewError
from transflow.review.session import ReviewSession
from transflow.reviewer import Person
from transflow.unit import State


@dataclass
class ApprovalReport:
    """What ``approve_units`` or ``unapprove_units`` did, unit by unit."""

    locale: str
    reviewer: str
    done: list[tuple[str, str, str]] = field(default_factory=list)  # (doc, unit, source)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (doc, unit, reason)
    overridden: list[tuple[str, str, str]] = field(default_factory=list)  # (doc, unit, what)
    written: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        def rows(items: list[tuple[str, str, str]], third: str) -> list[dict[str, str]]:
            return [{"doc": d, "unit": u, third: x} for d, u, x in items]

        return {
            "locale": self.locale,
            "reviewer": self.reviewer,
            "units": rows(self.done, "source"),
            "skipped": rows(self.skipped, "reason"),
            "overridden": rows(self.overridden, "what"),
            "written": self.written,
        }


def _sessions(project: Project, locale: str, doc: str | None) -> list[ReviewSession]:
    from transflow.checking import UnitChecker

    (locale,) = project.check_locales([locale])
    docs = project.check_doc(doc)
    checker = UnitChecker(project, locale)
    return [ReviewSession.open(project, locale, d, checker=checker) for d in docs]


def _find(sessions: list[ReviewSession], ids: Sequence[str]) -> list[tuple[ReviewSession, str]]:
    """The session holding each unit id; unknown or ambiguous ids are one error for all."""
    found: list[tuple[ReviewSession, str]] = []
    unknown, ambiguous = [], []
    for unit_id in dict.fromkeys(ids):
        holders = [s for s in sessions if s.catalog.entry(unit_id) is not None]
        if not holders:
            unknown.append(unit_id)
        elif len(holders) > 1:
            ambiguous.append(f"{unit_id} ({', '.join(s.doc for s in holders)})")
        else:
            found.append((holders[0], unit_id))
    where = sessions[0].locale if sessions else ""
    if unknown:
        raise ReviewError(f"no unit {', '.join(unknown)} in the {where} catalogs")
    if ambiguous:
        raise ReviewError(f"unit in several documents, give --doc: {'; '.join(ambiguous)}")
    return found


def _write(sessions: list[ReviewSession], report: ApprovalReport, who: str) -> None:
    for session in sessions:
        if session.modified and session.save(translator=who).written:
            report.written.append(session.project.relative(session.catalog.path))


def approve_units(
    project: Project,
    locale: str,
    reviewer: Person | str,
    *,
    doc: str | None = None,
    ids: Sequence[str] = (),
    all_translated: bool = False,
    force: bool = False,
) -> ApprovalReport:
    """Approve the named units (or every translated one) of ``locale`` as ``reviewer``.

    Everything is checked before anything is written: an unknown id, or a named
    unit that is not a clean translation (a suggestion, needs review, a QA
    error) is a ``ReviewError`` and no file changes. ``force`` approves those
    too and lists what it overrode — never a unit without a translation. With
    ``all_translated``, units that cannot be approved are skipped and listed.
    """
    if bool(ids) == all_translated:
        raise InputError("give unit ids or --all-translated (one of them)")
    who = str(reviewer)
    sessions = _sessions(project, locale, doc)
    report = ApprovalReport(sessions[0].locale if sessions else locale, who)
    todo: list[tuple[ReviewSession, str, list[str]]] = []
    refused: list[str] = []
    if ids:
        for session, unit_id in _find(sessions, ids):
            view = session.unit(unit_id)
            if view.state == State.REVIEWED:
                report.skipped.append((session.doc, unit_id, "already approved"))
                continue
            problems = session.approval_problems(unit_id)
            if problems and (not force or view.state == State.NEW):
                refused.append(f"{unit_id}: {'; '.join(problems)}")
            todo.append((session, unit_id, problems))
        if refused:
            hint = "" if force else " (--force overrides all but a missing translation)"
            raise ReviewError(f"cannot approve {'; '.join(refused)}{hint}")
    else:
        for session in sessions:
            for view in session.units():
                if view.state == State.REVIEWED:
                    report.skipped.append((session.doc, view.id, "already approved"))
                elif view.state != State.TRANSLATED:
                    report.skipped.append((session.doc, view.id, view.state.label))
                else:
                    problems = session.approval_problems(view.id)
                    if problems and not force:
                        report.skipped.append((session.doc, view.id, "; ".join(problems)))
                    else:
                        todo.append((session, view.id, problems))
    for session, unit_id, problems in todo:
        view = session.approve(unit_id, who, force=True)
        report.done.append((session.doc, unit_id, view.source))
        if problems:
            report.overridden.append((session.doc, unit_id, "; ".join(problems)))
    _write(sessions, report, who)
    return report


def unapprove_units(
    project: Project,
    locale: str,
    reviewer: Person | str,
    *,
    doc: str | None = None,
    ids: Sequence[str] = (),
    all_approved: bool = False,
) -> ApprovalReport:
    """Take back the approvals of the named units (or all of ``doc``/``locale``)."""
    if bool(ids) == all_approved:
        raise InputError("give unit ids or --all (one of them)")
    who = str(reviewer)
    sessions = _sessions(project, locale, doc)
    report = ApprovalReport(sessions[0].locale if sessions else locale, who)
    todo: list[tuple[ReviewSession, str]] = []
    if ids:
        found = _find(sessions, ids)
        missing = [u for s, u in found if s.unit(u).approval is None]
        if missing:
            raise ReviewError(f"not approved: {', '.join(missing)}")
        todo = found
    else:
        todo = [(s, v.id) for s in sessions for v in s.units() if v.approval is not None]
    for session, unit_id in todo:
        view = session.unapprove(unit_id)
        report.done.append((session.doc, unit_id, view.source))
    _write(sessions, report, who)
    return report
