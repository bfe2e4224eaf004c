"""One catalog open in a review front end: the unit list, the text being typed, undo, saving.

What a review front end keeps between the reviewer's keystrokes and the
catalog on disk, kept out of the front end (``transflow review``'s Textual
app, or any other) so the rules are the same in each and tested without one:

* the unit list (``review.rows``): read at once with the fast reader, so a
  5,000-unit catalog is listed in a fraction of a second, and the
  ``ReviewSession`` behind it loaded afterwards (``load``, safe in a worker
  thread; ``attach`` on the front end's thread);
* the *buffer*: the text being typed for one unit. It is not an edit of the
  catalog until it is committed (saved, approved, or left for another unit),
  and it is kept in the autosave file meanwhile (``keep_buffer``), so a crash
  loses nothing; ``pending_restore`` offers it back on the next start;
* every operation undoable (PO mode's ``_``), and written at once
  (``save``) next to other writers: their saves are taken in (``poll``) and a
  unit both sides changed raises ``EditConflict``, settled with
  ``save(prefer={unit: "mine" | "theirs"})``.

The front end calls everything except ``load`` on one thread.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from transflow.finding import Severity
from transflow.review import (
    ReviewError,
    ReviewSession,
    SaveResult,
    UnitSnapshot,
    UnitView,
    restore_unit,
    snapshot_unit,
)
from transflow.review.autosave import Autosave, AutosavedEdit
from transflow.review.rows import (
    FILTERS,
    UnitRow,
    find_next,
    needs_work,
    read_rows,
    row_filter,
    rows_of_catalog,
)
from transflow.reviewer import Person
from transflow.unit import State

if TYPE_CHECKING:
    from transflow.config import Project
    from transflow.reapply import Side

__all__ = ["MOVES", "Buffer", "Workbench", "first_document"]

# Where "next"/"previous" may stop: PO mode's moves, and the reviewer's "needs work".
MOVES: dict[str, Callable[[UnitRow, Mapping[str, Severity]], bool]] = {
    "any": lambda row, qa: True,
    "fuzzy": lambda row, qa: row.fuzzy,
    "untranslated": lambda row, qa: row.state == State.NEW,
    "translated": lambda row, qa: row.state >= State.TRANSLATED,
    # PO mode's "interesting" entry: untranslated or fuzzy
    "interesting": lambda row, qa: row.state < State.TRANSLATED,
    "todo": needs_work,
}


@dataclass(frozen=True)
class Buffer:
    """Text typed for ``unit`` over its target ``base``, not yet in the catalog."""

    unit: str
    text: str
    base: str


class Workbench:
    """One document in one locale open for review in a front end (see the module)."""

    def __init__(
        self,
        project: Project,
        locale: str,
        doc: str,
        reviewer: Person | str,
        *,
        filter: str = "all",
    ) -> None:
        (self.locale,) = project.check_locales([locale])
        (self.doc,) = project.check_doc(doc)
        if filter not in FILTERS:
            raise ReviewError(f"unknown filter {filter!r} (choose from {', '.join(FILTERS)})")
        self.project = project
        self.reviewer = str(reviewer)
        self.path = project.catalog_path(self.locale, self.doc)
        if not self.path.exists():
            raise ReviewError(
                "no such catalog; run `transflow segment` first", project.relative(self.path)
            )
        self.rows: list[UnitRow] = read_rows(project, self.locale, self.doc)
        self._position = {row.id: i for i, row in enumerate(self.rows)}
        self.filter = filter
        self.qa: dict[str, Severity] = {}
        self.qa_loaded = False
        self.visible: list[UnitRow] = []
        self.session: ReviewSession | None = None
        self.buffer: Buffer | None = None
        self.undo_stack: list[UnitSnapshot] = []
        self.autosave = Autosave(project, self.locale, self.doc)
        self._stat = self._file_stat()
        self.refilter()

    # -- loading -------------------------------------------------------------------------
    def load(self) -> ReviewSession:
        """Open the catalog, glossary and checker: the slow part (a worker thread may call it)."""
        session = ReviewSession.open(self.project, self.locale, self.doc)
        _ = session.glossary
        session.checker()
        return session

    def attach(self, session: ReviewSession) -> bool:
        """Use ``session`` from now on; True if the rows changed (the file changed meanwhile)."""
        self.session = session
        self._stat = self._file_stat()
        return self._reset_rows(rows_of_catalog(session.catalog))

    def set_qa(self, qa: Mapping[str, Severity]) -> None:
        """The worst open QA finding per unit (``ReviewSession.qa_summary``)."""
        self.qa = dict(qa)
        self.qa_loaded = True

    def _reset_rows(self, rows: list[UnitRow]) -> bool:
        if rows == self.rows:
            return False
        self.rows = rows
        self._position = {row.id: i for i, row in enumerate(rows)}
        self.refilter()
        return True

    @property
    def ready(self) -> bool:
        return self.session is not None

    def _session(self) -> ReviewSession:
        if self.session is None:
            raise ReviewError("the catalog is still loading")
        return self.session

    # -- the list ------------------------------------------------------------------------
    def row(self, unit_id: str) -> UnitRow:
        return self.rows[self._position[unit_id]]

    def has(self, unit_id: str) -> bool:
        return unit_id in self._position

    def refilter(self, name: str | None = None) -> None:
        """Show the rows passing filter ``name`` (or the current filter, re-applied)."""
        if name is not None:
            row_filter(name)  # unknown names raise before anything changes
            self.filter = name
        test = row_filter(self.filter, self.qa)
        self.visible = [row for row in self.rows if test(row)]

    def visible_index(self, unit_id: str) -> int | None:
        for i, row in enumerate(self.visible):
            if row.id == unit_id:
                return i
        return None

    def move(self, unit_id: str | None, kind: str = "any", step: int = 1) -> str | None:
        """The next (``step`` 1) or previous (-1) visible unit of ``kind`` (see ``MOVES``)."""
        test = MOVES[kind]
        if not self.visible:
            return None
        start = self.visible_index(unit_id) if unit_id is not None else None
        if start is None:
            start = -1 if step > 0 else 0
        found = find_next(self.visible, start, lambda row: test(row, self.qa), step)
        return None if found is None else self.visible[found].id

    def first_to_do(self) -> str | None:
        """Where a review starts: the first unit that needs work, else the first unit."""
        todo = self.move(None, "todo")
        return todo if todo is not None else (self.visible[0].id if self.visible else None)

    # -- the unit ------------------------------------------------------------------------
    def view(self, unit_id: str) -> UnitView:
        return self._session().unit(unit_id)

    def _update_row(self, view: UnitView) -> None:
        position = self._position.get(view.id)
        if position is None:
            self._reset_rows(rows_of_catalog(self._session().catalog))
            return
        old = self.rows[position]
        self.rows[position] = UnitRow(
            view.id,
            old.index,
            view.state,
            view.source,
            view.target,
            old.words,
            view.stale_approval,
        )
        for i, row in enumerate(self.visible):
            if row.id == view.id:
                self.visible[i] = self.rows[position]
                break

    # -- the buffer ----------------------------------------------------------------------
    def edit(self, unit_id: str, text: str) -> bool:
        """The reviewer typed ``text`` for ``unit_id``; whether it differs from the target."""
        base = self.row(unit_id).target
        if self.buffer is not None and self.buffer.unit == unit_id:
            base = self.buffer.base
        self.buffer = None if text == base else Buffer(unit_id, text, base)
        return self.buffer is not None

    def dirty(self, unit_id: str | None = None) -> bool:
        return self.buffer is not None and (unit_id is None or self.buffer.unit == unit_id)

    def keep_buffer(self) -> None:
        """Write the buffer to the autosave file (or remove the file: nothing unsaved)."""
        if self.buffer is None:
            self.autosave.clear()
        else:
            self.autosave.write(self.buffer.unit, self.buffer.text, self.buffer.base)

    def discard_buffer(self) -> None:
        self.buffer = None
        self.autosave.clear()

    def pending_restore(self) -> AutosavedEdit | None:
        """A buffer an earlier run left unsaved, if it still says something new."""
        kept = self.autosave.read()
        if kept is None:
            return None
        if not self.has(kept.unit) or kept.text == self.row(kept.unit).target:
            self.autosave.clear()
            return None
        return kept

    def restore(self, kept: AutosavedEdit) -> None:
        """Take an autosaved buffer back as the buffer being typed."""
        self.buffer = Buffer(kept.unit, kept.text, self.row(kept.unit).target)

    # -- operations (each one undoable; ``save`` writes them) ------------------------------
    def _apply(self, unit_id: str, operation: Callable[[ReviewSession], UnitView]) -> UnitView:
        session = self._session()
        before = snapshot_unit(session, unit_id)
        view = operation(session)
        if snapshot_unit(session, unit_id) != before:
            self.undo_stack.append(before)
        if self.buffer is not None and self.buffer.unit == unit_id:
            self.buffer = None
        self._update_row(view)
        return view

    def commit(self) -> UnitView | None:
        """Put the buffer into the catalog as the unit's translation (if there is one)."""
        buffer = self.buffer
        if buffer is None:
            return None
        return self._apply(buffer.unit, lambda s: s.set_target(buffer.unit, buffer.text))

    def set_target(self, unit_id: str, text: str) -> UnitView:
        """Save ``text`` as the translation (translated; new if blank)."""
        return self._apply(unit_id, lambda s: s.set_target(unit_id, text))

    def accept(self, unit_id: str) -> UnitView:
        """PO mode's unfuzzy: the unit's text (the buffer, if typed) becomes the translation."""
        text = self.buffer.text if self.dirty(unit_id) and self.buffer else None

        def accept(session: ReviewSession) -> UnitView:
            target = text if text is not None else session.unit(unit_id).target
            if not target.strip():
                raise ReviewError(f"{unit_id} has no translation to mark translated")
            return session.set_target(unit_id, target)

        return self._apply(unit_id, accept)

    def approve(self, unit_id: str) -> UnitView:
        """Approve the unit's text (the buffer, if typed; a suggestion is accepted as it is).

        Refused (``ReviewError``, nothing changed) for a unit without a
        translation or with a QA error: fix it, or suppress the finding with
        a ``qa-ignore`` translator comment that says why.
        """
        text = self.buffer.text if self.dirty(unit_id) and self.buffer else None

        def approve(session: ReviewSession) -> UnitView:
            target = text if text is not None else session.unit(unit_id).target
            if not target.strip():
                raise ReviewError(f"cannot approve {unit_id}: it has no translation")
            before = snapshot_unit(session, unit_id)
            was_modified = unit_id in session.modified
            session.set_target(unit_id, target)
            problems = session.approval_problems(unit_id)
            if problems:
                restore_unit(session, before)
                if not was_modified:
                    session.modified.discard(unit_id)
                raise ReviewError(f"cannot approve {unit_id}: {'; '.join(problems)}")
            return session.approve(unit_id, self.reviewer)

        return self._apply(unit_id, approve)

    def reject(self, unit_id: str) -> UnitView:
        """Back to *needs review* (fuzzy), text kept."""
        return self._apply(unit_id, lambda s: s.reject(unit_id))

    def clear(self, unit_id: str) -> UnitView:
        """Empty the target: new again (PO mode's ``k``)."""
        return self._apply(unit_id, lambda s: s.clear(unit_id))

    def set_comment(self, unit_id: str, text: str) -> UnitView:
        """Replace the translator comment (PO mode's ``#``); an approval in it is kept."""
        return self._apply(unit_id, lambda s: s.set_comment(unit_id, text))

    def undo(self) -> str | None:
        """Put back the unit the last operation changed; returns its id (None: nothing to undo)."""
        if not self.undo_stack:
            return None
        snapshot = self.undo_stack.pop()
        view = restore_unit(self._session(), snapshot)
        if self.buffer is not None and self.buffer.unit == snapshot.unit:
            self.buffer = None
        self._update_row(view)
        return snapshot.unit

    # -- the file ------------------------------------------------------------------------
    def _file_stat(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def save(self, prefer: Mapping[str, Side] | None = None) -> SaveResult:
        """Write the edits made so far, taking in another writer's; see the module.

        Raises ``EditConflict`` (nothing written) for units changed here and
        there differently; call again with ``prefer`` to settle them.
        """
        session = self._session()
        result = session.save(translator=self.reviewer, prefer=prefer)
        self._stat = self._file_stat()
        theirs = {unit for unit, side in (prefer or {}).items() if side == "theirs"}
        self._taken(set(result.from_disk) | theirs)
        if self.buffer is None:
            self.autosave.clear()
        return result

    @property
    def unsaved(self) -> bool:
        """Operations applied but not yet written (a save failed or was not settled)."""
        return bool(self.session is not None and self.session.modified)

    def poll(self) -> set[str]:
        """Take in what another writer saved (e.g. ``pretranslate``); the ids it changed.

        Waits while a buffer is being typed or an edit is unsaved: the next
        ``save`` takes the other writer's work in then, and a unit changed on
        both sides becomes a conflict the reviewer settles, never a silent loss.
        """
        if self.session is None or self.buffer is not None or self.session.modified:
            return set()
        stat = self._file_stat()
        if stat == self._stat:
            return set()
        self._stat = stat
        if not self.session.catalog.changed_on_disk():
            return set()
        taken = self.session.refresh()
        self._taken(taken)
        return taken

    def _taken(self, units: set[str]) -> None:
        if not units:
            return
        # Undoing an earlier edit of these units would now overwrite the other writer's.
        self.undo_stack = [s for s in self.undo_stack if s.unit not in units]
        self._reset_rows(rows_of_catalog(self._session().catalog))


def first_document(project: Project, locale: str) -> str:
    """Where ``transflow review LOCALE`` starts: the first document not yet publishable."""
    from transflow.coverage import coverage_report

    (locale,) = project.check_locales([locale])
    docs = project.docs()
    if not docs:
        raise ReviewError(f"no source documents in {project.relative(project.source_dir)}")
    report = coverage_report(project, [locale])
    for row in report.rows:
        if row.doc is not None and not row.publishable:
            return row.doc
    return docs[0]
