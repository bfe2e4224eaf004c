"""Across the project: concordance search and what keeps a document from being published."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from transflow.config import Project
from transflow.finding import Finding
from transflow.unit import State

if TYPE_CHECKING:
    from transflow.checking import ProjectResult
    from transflow.poread import PoEntry


@dataclass(frozen=True)
class ConcordanceHit:
    """A unit whose source or target contains the phrase searched for."""

    doc: str
    locale: str
    unit: str
    source: str
    target: str
    state: State
    in_source: bool
    in_target: bool


def concordance(
    project: Project, phrase: str, *, locales: Sequence[str] | None = None, limit: int = 200
) -> list[ConcordanceHit]:
    """Units of every catalog whose source or target contains ``phrase`` (case-insensitive)."""
    from transflow.checking import entry_state
    from transflow.poread import read_po

    needle = " ".join(phrase.split()).casefold()
    if not needle:
        return []
    hits: list[ConcordanceHit] = []
    for locale in project.check_locales(list(locales) if locales else None):
        for doc in project.docs():
            path = project.catalog_path(locale, doc)
            if not path.exists():
                continue
            for e in read_po(path):
                if e.obsolete or e.is_header:
                    continue
                in_source = needle in " ".join(e.msgid.split()).casefold()
                in_target = needle in " ".join(e.msgstr.split()).casefold()
                if in_source or in_target:
                    hits.append(
                        ConcordanceHit(
                            doc,
                            locale,
                            e.msgctxt or "",
                            e.msgid,
                            e.msgstr,
                            entry_state(e),
                            in_source,
                            in_target,
                        )
                    )
                    if len(hits) >= limit:
                        return hits
    return hits


@dataclass(frozen=True)
class Blocker:
    """A unit that keeps a document from being published in a locale, and why."""

    doc: str
    locale: str
    unit: str
    state: State
    reasons: tuple[str, ...]
    findings: tuple[Finding, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "locale": self.locale,
            "unit": self.unit,
            "state": self.state.label,
            "reasons": list(self.reasons),
            "findings": [f.to_json() for f in self.findings],
        }


def blockers_by_cell(
    project: Project,
    docs: Sequence[str] | None = None,
    locales: Sequence[str] | None = None,
    *,
    entries: Mapping[tuple[str, str], Sequence[PoEntry]] | None = None,
    qa: ProjectResult | None = None,
    errors: Iterable[Finding] | None = None,
    states: Mapping[tuple[str, str], Sequence[State]] | None = None,
) -> dict[tuple[str, str], list[Blocker]]:
    """For each document × locale, the units that stop it being publishable, in order.

    A unit blocks when it is not approved (no current approval) or has an open
    QA error; publishing needs every unit approved and no error (the rule
    ``coverage`` counts by). ``entries`` maps (doc, locale) to the catalog as
    ``transflow.poread`` read it, for a caller that already has it (the export);
    any other catalog is read here. ``qa``: a ``run_project`` result (errors,
    with the source's) covering these documents and locales, for a caller that
    already has one; or ``errors``: the open QA errors of these documents and locales
    (what ``qa.blocking()`` gives), from a caller that checked them itself (the export
    checks each document as it loads it), and ``states`` the review states of the given
    ``entries``, in order, when it has those too.
    """
    from transflow.approval import find_approval
    from transflow.checking import entry_state, run_project
    from transflow.poread import read_po

    wanted_locales = project.check_locales(list(locales) if locales else None)
    wanted_docs = list(docs) if docs is not None else project.docs()
    if errors is None:
        result = qa
        if result is None:
            result = run_project(
                project, wanted_locales, wanted_docs, errors_only=True, source=True
            )
        errors = result.blocking()
    by_unit: dict[tuple[str, str | None, str], list[Finding]] = {}
    for f in errors:
        by_unit.setdefault((f.doc, f.locale, f.unit), []).append(f)
    out: dict[tuple[str, str], list[Blocker]] = {}
    reviewed = State.REVIEWED
    for locale in wanted_locales:
        for doc in wanted_docs:
            cell: list[Blocker] = []
            given = entries.get((doc, locale)) if entries is not None else None
            read = given if given is not None else read_po(project.catalog_path(locale, doc))
            known = states.get((doc, locale)) if states is not None and given is not None else None
            for pos, e in enumerate(read):
                if e.obsolete or e.is_header:
                    continue
                state = entry_state(e) if known is None else known[pos]
                if state == reviewed and not by_unit:
                    continue  # the common case: approved, and no QA error anywhere
                unit = e.msgctxt or ""
                reasons: list[str] = []
                if state != reviewed:
                    approval = find_approval(e.tcomment, e.msgid, e.msgstr, e.flags)
                    if approval is not None and not approval.current and state >= State.TRANSLATED:
                        reasons.append("approval is stale: the text changed since")
                    else:
                        reasons.append(f"not approved ({state.label})")
                found = by_unit.get((doc, locale, unit), []) + by_unit.get((doc, None, unit), [])
                reasons += [f"QA error {f.check}: {f.message}" for f in found]
                if reasons:
                    cell.append(Blocker(doc, locale, unit, state, tuple(reasons), tuple(found)))
            out[(doc, locale)] = cell
    return out


def blockers(project: Project, doc: str, locale: str) -> list[Blocker]:
    """The units that stop ``doc`` being publishable in ``locale`` (empty: publishable)."""
    (doc,) = project.check_doc(doc)
    return blockers_by_cell(project, [doc], [locale])[(doc, locale)]
