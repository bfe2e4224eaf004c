"""One catalog under review: views, the state operations, checks, look-ups, saving, undo."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polib

from transflow import catalog as ops
from transflow.approval import split_approval, strip_approval
from transflow.catalog import Catalog, EditConflict, approval_of, get_note, state_of
from transflow.config import Project
from transflow.errors import ReviewError
from transflow.finding import Finding, Severity
from transflow.reapply import Side, fingerprint
from transflow.review.views import SaveResult, TermView, UnitView, parse_provenance
from transflow.reviewer import Person
from transflow.unit import State

if TYPE_CHECKING:
    from transflow.checking import UnitChecker
    from transflow.glossary import Glossary
    from transflow.memory import Match
    from transflow.memory_store import MemoryStore


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
        entry, index = self._locate(unit_id)
        return self._view(entry, index)

    def _locate(self, unit_id: str) -> tuple[polib.POEntry, int]:
        """The live entry ``unit_id`` and its position among live entries, in one pass.

        (A review front end asks for a unit at every move: on a 5,000-unit catalog,
        building the list of units and searching it twice cost more than the move.)
        """
        index = 0
        for entry in self.catalog.po:
            if entry.obsolete:
                continue
            if entry.msgctxt == unit_id:
                return entry, index
            index += 1
        self._entry(unit_id)  # raises the usual error
        raise AssertionError(unit_id)

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
        entry, index = self._locate(unit_id)
        where = entry.occurrences[:1]
        if not where:
            return []
        # A block's units are neighbours in document order: look around the unit only.
        entries = self.catalog.units
        first = last = index
        while first > 0 and entries[first - 1].occurrences[:1] == where:
            first -= 1
        while last + 1 < len(entries) and entries[last + 1].occurrences[:1] == where:
            last += 1
        return [self._view(entries[i], i) for i in range(first, last + 1)]

    # -- operations ------------------------------------------------------------------
    def _changed(self, entry: polib.POEntry) -> UnitView:
        unit_id = entry.msgctxt or ""
        self.modified.add(unit_id)
        self._recheck(entry)
        return self.unit(unit_id)

    def _recheck(self, entry: polib.POEntry) -> None:
        """Keep the shared checker's view of the locale in step with this entry."""
        unit_id = entry.msgctxt or ""
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
                    self._recheck(entry)  # their edit, not ours: not in ``modified``

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


# -- undo, for review front ends ----------------------------------------------------------
# (PO mode's ``_``: put a unit back exactly as it was before an operation — target, flags,
# approval, comments and provenance notes — which no sequence of the operations above can
# do: a machine suggestion's note, once dropped, cannot be re-created by them.)


@dataclass(frozen=True)
class UnitSnapshot:
    """What an operation may change in one unit, as it was at one moment."""

    unit: str
    msgstr: str
    flags: tuple[str, ...]
    tcomment: str
    comment: str
    previous_msgid: str | None
    previous_msgctxt: str | None


def snapshot_unit(session: ReviewSession, unit_id: str) -> UnitSnapshot:
    """The unit as it is now, to be put back by ``restore_unit``."""
    entry = session._entry(unit_id)
    return UnitSnapshot(
        unit_id,
        entry.msgstr,
        tuple(entry.flags),
        entry.tcomment or "",
        entry.comment or "",
        entry.previous_msgid,
        entry.previous_msgctxt,
    )


def restore_unit(session: ReviewSession, snapshot: UnitSnapshot) -> UnitView:
    """Put the unit back as ``snapshot`` recorded it (an undo); the session saves it as an edit."""
    entry = session._entry(snapshot.unit)
    if snapshot == snapshot_unit(session, snapshot.unit):
        return session.unit(snapshot.unit)
    entry.msgstr = snapshot.msgstr
    entry.flags = list(snapshot.flags)
    entry.tcomment = snapshot.tcomment
    entry.comment = snapshot.comment
    entry.previous_msgid = snapshot.previous_msgid
    entry.previous_msgctxt = snapshot.previous_msgctxt
    return session._changed(entry)
