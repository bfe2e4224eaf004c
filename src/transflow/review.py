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

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import polib

from transflow import catalog as ops
from transflow.approval import Approval, split_approval, strip_approval
from transflow.catalog import Catalog, EditConflict, approval_of, get_note, state_of
from transflow.config import Project
from transflow.coverage import coverage_report
from transflow.errors import InputError
from transflow.finding import Finding, Severity
from transflow.reapply import Conflict, Side, fingerprint
from transflow.reviewer import Person
from transflow.unit import State, word_count

if TYPE_CHECKING:
    from transflow.checking import ProjectResult, UnitChecker
    from transflow.glossary import Glossary
    from transflow.memory import Match
    from transflow.memory_store import MemoryStore
    from transflow.poread import PoEntry

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
    "UnitView",
    "approve_units",
    "blockers",
    "blockers_by_cell",
    "concordance",
    "coverage_report",
    "parse_provenance",
    "unapprove_units",
]


class ReviewError(InputError):
    """An operation the state rules do not allow (e.g. approving a unit nobody translated)."""


# -- what a unit looks like to a reviewer --------------------------------------------------


@dataclass(frozen=True)
class MachineSuggestion:
    """Where a machine suggestion came from: ``engine`` "argos", ``model`` its package."""

    engine: str
    model: str

    def __str__(self) -> str:
        return f"{self.engine}: {self.model}" if self.model else self.engine


@dataclass(frozen=True)
class MemorySuggestion:
    """Where a memory match came from: its score, the catalog and unit (or TMX file)."""

    score: int | None
    origin: str
    catalog: str | None
    unit: str | None
    reviewed: bool

    def __str__(self) -> str:
        score = f"{self.score}% " if self.score is not None else ""
        status = "reviewed" if self.reviewed else "translated"
        return f"{score}from {self.origin} ({status})"


Provenance = MachineSuggestion | MemorySuggestion
_MEMORY_NOTE = re.compile(r"^(?:(\d{1,3})% )?from (\S+)(?: \((reviewed|translated)\))?\s*$")


def parse_provenance(comment: str) -> Provenance | None:
    """The suggestion's origin from an entry's ``#.`` notes (``machine:`` or ``memory:``)."""
    from transflow.notes import note

    machine = note(comment, "machine")
    if machine:
        engine, _, model = machine.partition(":")
        return MachineSuggestion(engine.strip(), model.strip())
    memory = note(comment, "memory")
    if memory:
        match = _MEMORY_NOTE.match(memory.strip())
        if match is None:
            return MemorySuggestion(None, memory.strip(), None, None, False)
        score, origin, status = match.groups()
        catalog, _, unit = origin.partition("#")
        return MemorySuggestion(
            int(score) if score else None,
            origin,
            catalog if unit else None,
            unit or None,
            status == "reviewed",
        )
    return None


@dataclass(frozen=True)
class TermView:
    """A glossary term found in a unit's source, with the forms allowed in the unit's locale."""

    id: str
    type: str
    english: str  # the approved English form
    matched: str  # what the source says (the form itself or a variant)
    start: int
    end: int
    variant_status: str | None  # None: the approved form; "acceptable" or "correct"
    approved: str | None  # how the matched form is written in the locale (None: left to MT)
    allowed: tuple[str, ...]  # that rendering and its cases first, then every allowed form
    cases: Mapping[str, str]
    forbidden: tuple[str, ...]
    keep_untranslated: bool
    note: str


@dataclass(frozen=True)
class UnitView:
    """A read-only view of one unit in one locale, as a reviewer needs it."""

    id: str
    doc: str
    locale: str
    index: int  # position in the catalog (document order)
    kind: str
    source: str
    target: str
    state: State
    approval: Approval | None
    provenance: Provenance | None
    previous_source: str | None  # the source the translation was made for, if edited since
    comments: str  # the translator comments, approval lines aside
    terms: tuple[TermView, ...]
    reference: str | None  # "source/<doc>.md:<line>"
    po_line: int | None
    protection_failed: tuple[str, ...] = ()

    @property
    def words(self) -> int:
        return word_count(self.source)

    @property
    def stale_approval(self) -> bool:
        """An approval is recorded, but the text changed since: it does not count."""
        return self.approval is not None and not self.approval.current


@dataclass(frozen=True)
class SaveResult:
    """What ``ReviewSession.save`` did: written or not, and units another writer changed."""

    written: bool
    from_disk: frozenset[str] = frozenset()


# -- one catalog under review --------------------------------------------------------


class ReviewSession:
    """One document in one locale open for review: views, operations, checks, save.

    Operations change the catalog in memory (``modified`` lists the units
    changed since the last save); ``save`` writes them atomically, taking in
    whatever another writer (``pretranslate``, Poedit, a colleague) saved
    meanwhile, and raises ``EditConflict`` only for a unit changed on both
    sides differently.
    """

    def __init__(
        self,
        project: Project,
        locale: str,
        doc: str,
        catalog: Catalog,
        *,
        checker: UnitChecker | None = None,
    ) -> None:
        self.project = project
        self.locale = locale
        self.doc = doc
        self.catalog = catalog
        self.modified: set[str] = set()
        self._glossary: Glossary | None = None
        self._glossary_loaded = False
        self._checker = checker  # shared by the sessions of one locale, if given
        self._store: MemoryStore | None = None
        self._store_fresh = False

    @classmethod
    def open(
        cls, project: Project, locale: str, doc: str, *, checker: UnitChecker | None = None
    ) -> ReviewSession:
        """Open ``doc`` in ``locale`` (both checked; the catalog must exist)."""
        (locale,) = project.check_locales([locale])
        (doc,) = project.check_doc(doc)
        catalog = Catalog.load(project.catalog_path(locale, doc), locale)
        return cls(project, locale, doc, catalog, checker=checker)

    # -- reading -------------------------------------------------------------------
    @property
    def glossary(self) -> Glossary | None:
        if not self._glossary_loaded:
            from transflow.pretranslate import _load_glossary

            self._glossary = _load_glossary(self.project)
            self._glossary_loaded = True
        return self._glossary

    def _entry(self, unit_id: str) -> polib.POEntry:
        entry = self.catalog.entry(unit_id)
        if entry is None:
            raise ReviewError(
                f"no unit {unit_id!r} in {self.doc} ({self.locale})",
                self.project.relative(self.catalog.path),
            )
        return entry

    def ids(self) -> list[str]:
        return [e.msgctxt for e in self.catalog.units if e.msgctxt is not None]

    def unit(self, unit_id: str) -> UnitView:
        entries = self.catalog.units
        entry = self._entry(unit_id)
        return self._view(entry, entries.index(entry))

    def units(self) -> list[UnitView]:
        return [self._view(e, i) for i, e in enumerate(self.catalog.units)]

    def _terms(self, source: str) -> tuple[TermView, ...]:
        glossary = self.glossary
        if glossary is None:
            return ()
        out = []
        for m in glossary.match(source):
            entry = glossary.get(m.entry_id)
            if entry is None:
                continue
            # What the source says here ("the EU", "the Republic of Azerbaijan") has its own
            # rendering; every form the glossary allows in the locale comes after it.
            rendering = entry.rendering(self.locale, m.variant)
            forms = entry.locales.get(self.locale)
            first = rendering.forms if rendering is not None else ()
            allowed = tuple(dict.fromkeys((*first, *entry.target_forms(self.locale))))
            if entry.keep_untranslated and not allowed:
                allowed = (entry.en,)
            approved = rendering.approved if rendering is not None else None
            cases = dict(rendering.cases) if rendering is not None else {}
            forbidden = forms.forbidden if forms is not None else ()
            out.append(
                TermView(
                    id=entry.id,
                    type=entry.type,
                    english=entry.en,
                    matched=m.matched,
                    start=m.start,
                    end=m.end,
                    variant_status=m.variant_status,
                    approved=approved,
                    allowed=allowed,
                    cases=cases,
                    forbidden=forbidden,
                    keep_untranslated=entry.keep_untranslated,
                    note=entry.note,
                )
            )
        return tuple(out)

    def _view(self, entry: polib.POEntry, index: int) -> UnitView:
        failed = get_note(entry, "protection-failed")
        reference = None
        if entry.occurrences:
            path, line = entry.occurrences[0]
            reference = f"{path}:{line}" if line else path
        return UnitView(
            id=entry.msgctxt or "",
            doc=self.doc,
            locale=self.locale,
            index=index,
            kind=get_note(entry, "kind") or "",
            source=entry.msgid,
            target=entry.msgstr,
            state=state_of(entry),
            approval=approval_of(entry),
            provenance=parse_provenance(entry.comment or ""),
            previous_source=entry.previous_msgid,
            comments=strip_approval(entry.tcomment or "").strip("\n"),
            terms=self._terms(entry.msgid),
            reference=reference,
            po_line=entry.linenum if isinstance(entry.linenum, int) else None,
            protection_failed=tuple(t.strip() for t in failed.split(",")) if failed else (),
        )

    def context(self, unit_id: str) -> list[UnitView]:
        """The units of the same block (paragraph, list item) as ``unit_id``, in order."""
        entries = self.catalog.units
        entry = self._entry(unit_id)
        where = entry.occurrences[:1]
        return [
            self._view(e, i) for i, e in enumerate(entries) if e.occurrences[:1] == where and where
        ]

    # -- operations ------------------------------------------------------------------
    def _changed(self, entry: polib.POEntry) -> UnitView:
        unit_id = entry.msgctxt or ""
        self.modified.add(unit_id)
        if self._checker is not None:
            self._checker.update(
                self.doc,
                unit_id,
                entry.msgid,
                entry.msgstr,
                state_of(entry),
                entry.flags,
                entry.tcomment or "",
                entry.comment or "",
            )
        return self.unit(unit_id)

    def set_target(self, unit_id: str, text: str) -> UnitView:
        """Save ``text`` as the translation: translated (or new, if blank)."""
        entry = self._entry(unit_id)
        if ops.set_target(entry, text):
            return self._changed(entry)
        return self.unit(unit_id)

    def approval_problems(self, unit_id: str) -> list[str]:
        """Why ``unit_id`` cannot be approved as it stands (empty: it can)."""
        entry = self._entry(unit_id)
        state = state_of(entry)
        problems = []
        if state == State.NEW:
            return ["it has no translation"]
        if state < State.TRANSLATED:
            problems.append(f"it is a {state.label} suggestion, not a translation")
        errors = [
            f for f in self.check_unit(unit_id) if f.severity >= Severity.ERROR and not f.suppressed
        ]
        problems += [f"QA error {f.check}: {f.message}" for f in errors]
        return problems

    def approve(self, unit_id: str, reviewer: Person | str, *, force: bool = False) -> UnitView:
        """Approve the unit's current text as ``reviewer``.

        Only a translated unit with no QA error can be approved; ``force``
        approves a suggestion (accepting its text as it is) or a unit with QA
        errors too — never a unit without a translation.
        """
        entry = self._entry(unit_id)
        problems = self.approval_problems(unit_id)
        if problems and (not force or state_of(entry) == State.NEW):
            raise ReviewError(
                f"cannot approve {unit_id}: {'; '.join(problems)}"
                + ("" if state_of(entry) == State.NEW else " (--force overrides)"),
                self.project.relative(self.catalog.path),
                entry.linenum if isinstance(entry.linenum, int) else None,
            )
        if state_of(entry) < State.TRANSLATED:
            ops.set_target(entry, entry.msgstr)
        ops.approve(entry, str(reviewer))
        return self._changed(entry)

    def unapprove(self, unit_id: str) -> UnitView:
        """Take the approval back; the unit stays translated."""
        entry = self._entry(unit_id)
        if ops.unapprove(entry):
            return self._changed(entry)
        return self.unit(unit_id)

    def reject(self, unit_id: str) -> UnitView:
        """Back to *needs review*, text kept (a unit without a target cannot be rejected)."""
        entry = self._entry(unit_id)
        if not entry.msgstr.strip():
            raise ReviewError(f"cannot reject {unit_id}: it has no translation")
        before = fingerprint(entry)
        ops.reject(entry)
        return self._changed(entry) if fingerprint(entry) != before else self.unit(unit_id)

    def clear(self, unit_id: str) -> UnitView:
        """Empty the target: the unit is new again."""
        entry = self._entry(unit_id)
        if ops.clear(entry):
            return self._changed(entry)
        return self.unit(unit_id)

    def set_comment(self, unit_id: str, text: str) -> UnitView:
        """Replace the translator comment (an approval recorded in it is kept)."""
        entry = self._entry(unit_id)
        _, approval = split_approval(entry.tcomment or "")
        own = strip_approval(text.strip("\n"))
        lines = [line.rstrip() for line in own.split("\n")] if own.strip() else []
        new = "\n".join([*lines, approval] if approval else lines)
        if new != (entry.tcomment or ""):
            entry.tcomment = new
            return self._changed(entry)
        return self.unit(unit_id)

    # -- saving ------------------------------------------------------------------------
    def save(
        self, translator: Person | str | None = None, prefer: Mapping[str, Side] | None = None
    ) -> SaveResult:
        """Write the catalog (atomically), keeping another writer's edits; see the class."""
        chosen: dict[str, Side] = dict(prefer or {})
        self.catalog.from_disk.clear()
        while True:
            try:
                written = self.catalog.save(
                    translator=str(translator) if translator else None, prefer=chosen
                )
                break
            except EditConflict as conflict:
                # A suggestion pretranslate wrote never beats what a person typed here.
                settled: dict[str, Side] = {
                    c.unit: "mine"
                    for c in conflict.conflicts
                    if c.theirs is not None
                    and c.mine is not None
                    and state_of(c.theirs) < State.NEEDS_REVIEW
                    and c.unit not in chosen
                }
                if not settled:
                    raise
                chosen.update(settled)
        from_disk = set(self.catalog.from_disk)
        self.modified.clear()
        self._after_disk_change(from_disk)
        return SaveResult(written, frozenset(from_disk))

    def refresh(self, prefer: Mapping[str, Side] | None = None) -> set[str]:
        """Take in another writer's saved edits (e.g. ``pretranslate``'s new suggestions)."""
        taken = self.catalog.refresh(prefer)
        self._after_disk_change(taken)
        return taken

    def _after_disk_change(self, units: Iterable[str]) -> None:
        self._store_fresh = False
        if self._checker is not None:
            for unit_id in units:
                entry = self.catalog.entry(unit_id)
                if entry is not None:
                    self._changed(entry)

    # -- checks and look-ups -----------------------------------------------------------
    def checker(self) -> UnitChecker:
        if self._checker is None:
            from transflow.checking import UnitChecker

            self._checker = UnitChecker(self.project, self.locale)
        return self._checker

    def check_unit(self, unit_id: str, target: str | None = None) -> list[Finding]:
        """What ``transflow check`` would report for the unit (with ``target``, if given)."""
        entry = self._entry(unit_id)
        if target is None or target == entry.msgstr:
            text, state, flags = entry.msgstr, state_of(entry), entry.flags
            tcomment = entry.tcomment
        else:  # as it would be saved: typed text is a translation, any approval void
            text, flags = target, [f for f in entry.flags if f not in ops.STATE_FLAGS]
            tcomment = strip_approval(entry.tcomment or "")
            state = State.TRANSLATED if target.strip() else State.NEW
        return self.checker().check(
            self.doc,
            unit_id,
            entry.msgid,
            text,
            state,
            flags,
            tcomment or "",
            entry.comment or "",
        )

    def qa_summary(self) -> dict[str, Severity]:
        """The most severe open finding of each unit (from ``check``'s cached results)."""
        from transflow.checking import run_project

        result = run_project(self.project, [self.locale], [self.doc], source=True)
        worst: dict[str, Severity] = {}
        for f in result.findings:
            if f.suppressed or f.doc != self.doc:
                continue
            if f.unit not in worst or f.severity > worst[f.unit]:
                worst[f.unit] = f.severity
        return worst

    def memory_store(self) -> MemoryStore:
        if self._store is None or not self._store_fresh:
            from transflow.pretranslate import memory_store

            self._store = memory_store(self.project)
            self._store_fresh = True
        return self._store

    def memory_matches(self, unit_id: str, limit: int = 9, min_score: int = 50) -> list[Match]:
        """Memory matches for the unit's source, best first, never the unit's own translation."""
        entry = self._entry(unit_id)
        own = f"{self.project.relative(self.catalog.path)}#{unit_id}"
        memory = self.memory_store().memory(self.locale)
        found = memory.lookup(entry.msgid, self.locale, min_score=min_score, limit=None)
        return [m for m in found if m.entry.origin != own][:limit]


# -- across the project ----------------------------------------------------------------


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
) -> dict[tuple[str, str], list[Blocker]]:
    """For each document × locale, the units that stop it being publishable, in order.

    A unit blocks when it is not approved (no current approval) or has an open
    QA error; publishing needs every unit approved and no error (the rule
    ``coverage`` counts by). ``entries`` maps (doc, locale) to the catalog as
    ``transflow.poread`` read it, for a caller that already has it (the export);
    any other catalog is read here. ``qa``: a ``run_project`` result (errors,
    with the source's) covering these documents and locales, for a caller that
    already has one (the export's worker processes share their parent's).
    """
    from transflow.approval import find_approval
    from transflow.checking import entry_state, run_project
    from transflow.poread import read_po

    wanted_locales = project.check_locales(list(locales) if locales else None)
    wanted_docs = list(docs) if docs is not None else project.docs()
    result = qa
    if result is None:
        result = run_project(project, wanted_locales, wanted_docs, errors_only=True, source=True)
    errors: dict[tuple[str, str | None, str], list[Finding]] = {}
    for f in result.blocking():
        errors.setdefault((f.doc, f.locale, f.unit), []).append(f)
    out: dict[tuple[str, str], list[Blocker]] = {}
    for locale in wanted_locales:
        for doc in wanted_docs:
            cell: list[Blocker] = []
            given = entries.get((doc, locale)) if entries is not None else None
            read = given if given is not None else read_po(project.catalog_path(locale, doc))
            for e in read:
                if e.obsolete or e.is_header:
                    continue
                unit = e.msgctxt or ""
                state = entry_state(e)
                reasons: list[str] = []
                if state != State.REVIEWED:
                    approval = find_approval(e.tcomment, e.msgid, e.msgstr, e.flags)
                    if approval is not None and not approval.current and state >= State.TRANSLATED:
                        reasons.append("approval is stale: the text changed since")
                    else:
                        reasons.append(f"not approved ({state.label})")
                found = errors.get((doc, locale, unit), []) + errors.get((doc, None, unit), [])
                reasons += [f"QA error {f.check}: {f.message}" for f in found]
                if reasons:
                    cell.append(Blocker(doc, locale, unit, state, tuple(reasons), tuple(found)))
            out[(doc, locale)] = cell
    return out


def blockers(project: Project, doc: str, locale: str) -> list[Blocker]:
    """The units that stop ``doc`` being publishable in ``locale`` (empty: publishable)."""
    (doc,) = project.check_doc(doc)
    return blockers_by_cell(project, [doc], [locale])[(doc, locale)]


# -- signing off many units at once (``transflow approve`` / ``unapprove``) ----------------


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
