"""The review screen: the unit list, and the selected unit's source, target, QA and aids.

A thin layer over ``transflow.review.workbench.Workbench``: keys become its
operations, its state becomes widgets. The list is on screen at once (the
fast reader's rows); the catalog, glossary and QA behind it load in a worker
thread, and memory look-ups run in another, so neither the first paint nor
moving between units waits for them. Every operation is written at once;
another writer's saves are taken in every couple of seconds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, TextArea
from textual.worker import Worker, WorkerState

from transflow.errors import TransflowError
from transflow.finding import Finding, Severity
from transflow.reapply import Side
from transflow.review import (
    ConcordanceHit,
    EditConflict,
    MachineSuggestion,
    MemorySuggestion,
    ReviewSession,
    UnitView,
)
from transflow.review.autosave import AutosavedEdit
from transflow.review.rows import FILTERS, Progress, progress, row_filter
from transflow.review.workbench import Workbench
from transflow.unit import State

from ..messages import OpenReview
from ..screens.choose import ChooseScreen
from ..screens.comment import CommentScreen
from ..screens.concordance import ConcordanceScreen
from ..screens.conflict import ConflictScreen
from ..screens.prompt import PromptScreen
from ..screens.restore import RestoreScreen
from ..widgets.glossary_panel import GlossaryPanel, term_forms, unique_terms
from ..widgets.qa_panel import QAPanel
from ..widgets.source_panel import SourcePanel
from ..widgets.status_line import StatusLine
from ..widgets.suggestions import (
    Suggestion,
    SuggestionsPanel,
    machine_suggestion,
    memory_suggestion,
)
from ..widgets.target_editor import Mark, TargetEditor
from ..widgets.unit_table import UnitTable

__all__ = ["ReviewScreen"]

WIDE = 120  # columns from which the list and the unit sit side by side
QA_DELAY = 0.15  # seconds of quiet typing before the live QA runs
AUTOSAVE_DELAY = 0.5
MEMORY_DELAY = 0.08  # moving fast through units starts no look-up per unit passed
MOVE_WORDS = {
    "any": "unit",
    "fuzzy": "fuzzy unit",
    "untranslated": "untranslated unit",
    "translated": "translated unit",
    "interesting": "untranslated or fuzzy unit",
    "todo": "unit that needs work",
}


def _occurrences(text: str, form: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(form), text, re.IGNORECASE)]


def target_marks(view: UnitView, text: str, findings: Sequence[Finding]) -> list[Mark]:
    """Glossary forms (green), forbidden forms and QA problems (red) in the target text."""
    marks: list[Mark] = []
    for term in unique_terms(view.terms):
        for form, _ in term_forms(term):
            marks += [(s, e, "underline green") for s, e in _occurrences(text, form)]
        for form in term.forbidden:
            marks += [(s, e, "bold strike red") for s, e in _occurrences(text, form)]
    for finding in findings:
        if finding.locale is None or finding.suppressed or finding.span is None:
            continue
        start, end = finding.span
        if finding.severity < Severity.WARNING or (start, end) == (0, len(text)):
            continue  # a whole-text span (a length ratio) marks nothing in particular
        style = "bold underline red" if finding.severity >= Severity.ERROR else "underline yellow"
        marks.append((start, end, style))
    return marks


def _worst(findings: Sequence[Finding]) -> Severity | None:
    open_ = [f.severity for f in findings if not f.suppressed]
    return max(open_) if open_ else None


class ReviewScreen(Screen[None]):
    """One document in one locale: list on the left (or top), the unit on the right (or below)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f2", "save", "Save as translated", show=False, id="save"),
        Binding("ctrl+o,f3", "approve", "Approve", show=False, id="approve"),
        Binding("ctrl+r,f4", "reject", "Reject: back to needs review", show=False, id="reject"),
        Binding("f5", "move('todo', 1)", "Next unit needing work", show=False, id="next-todo"),
        Binding("ctrl+down", "move('any', 1)", "Next unit", show=False, id="next-unit-anywhere"),
        Binding(
            "ctrl+up", "move('any', -1)", "Previous unit", show=False, id="previous-unit-anywhere"
        ),
        Binding("ctrl+j", "copy_source", "Copy the source to the target", show=False, id="copy"),
        Binding("f8,ctrl+g", "glossary", "Insert a glossary form", show=False, id="glossary"),
        Binding("ctrl+f", "concordance", "Concordance search", show=False, id="concordance"),
        Binding("ctrl+l", "filter", "Filter the list", show=False, id="filter"),
    ]

    def __init__(self, workbench: Workbench, unit: str | None = None) -> None:
        super().__init__()
        self.wb = workbench
        self.start_unit = unit
        self.current: str | None = None
        self.view: UnitView | None = None
        self.machine: dict[str, Suggestion] = {}  # machine suggestions seen, kept after edits
        self.memory: dict[str, list[Suggestion]] = {}
        self._progress: Progress | None = None
        self._debounced: dict[str, Timer] = {}
        self.note = "loading…"

    # -- layout ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            with Vertical(id="list-pane"):
                yield UnitTable(id="units")
            with Vertical(id="unit-pane"):
                yield SourcePanel(id="source")
                yield TargetEditor(id="target")
                yield QAPanel(id="qa")
                with Horizontal(id="aids"):
                    yield SuggestionsPanel(id="suggestions")
                    yield GlossaryPanel(id="glossary")
        yield StatusLine(id="status")
        yield Footer()

    @property
    def table(self) -> UnitTable:
        return self.query_one(UnitTable)

    @property
    def editor(self) -> TargetEditor:
        return self.query_one(TargetEditor)

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        wide = width >= WIDE
        if self.has_class("-wide") != wide or not self.is_mounted:
            self.set_class(wide, "-wide")
            footer = self.query_one(Footer)
            footer.compact = not wide
            footer.show_command_palette = wide  # Ctrl+P still opens it; F1 says so
        if self.current is not None:
            self._show_status()

    def on_mount(self) -> None:
        self._fit(self.app.size.width)
        self.table.show_rows(self.wb.visible, self.wb.qa)
        start = self.start_unit if self.start_unit and self.wb.has(self.start_unit) else None
        if start is not None and self.wb.visible_index(start) is None:
            self.wb.refilter("all")
            self.table.show_rows(self.wb.visible, self.wb.qa)
        self.show_unit(start or self.wb.first_to_do())
        self.table.focus()
        # After the first frame: loading holds the interpreter lock for seconds on a big
        # catalog, and the list is what the reviewer wants to see first.
        self.call_after_refresh(self.load_session)
        self.set_interval(getattr(self.app, "poll_interval", 2.0), self.poll)

    # -- loading -------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_session(self) -> None:
        session = self.wb.load()
        qa = session.qa_summary()
        self.app.call_from_thread(self._loaded, session, qa)

    def _loaded(self, session: ReviewSession, qa: dict[str, Severity]) -> None:
        self.wb.attach(session)
        self.wb.set_qa(qa)
        self.wb.refilter()
        self._progress = None
        self.note = ""
        self.table.show_rows(self.wb.visible, self.wb.qa)
        if self.current is None or not self.wb.has(self.current):
            self.show_unit(self.wb.first_to_do(), force=True)
        else:
            self.show_unit(self.current, force=True)
        kept = self.wb.pending_restore()
        if kept is not None:
            row = self.wb.row(kept.unit)
            self.app.push_screen(
                RestoreScreen(kept, row.source, row.target),
                lambda restore: self._restore(kept, bool(restore)),
            )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.group == "load":
            error = event.worker.error
            self.note = "could not load"
            self.notify(f"cannot open the catalog: {error}", severity="error", timeout=10)
            self._show_status()

    def _restore(self, kept: AutosavedEdit, restore: bool) -> None:
        if not restore:
            self.wb.discard_buffer()
            return
        if self.wb.dirty(self.current) and self.current != kept.unit:
            self._commit()
        self.wb.restore(kept)
        if self.wb.visible_index(kept.unit) is None:
            self.wb.refilter("all")
            self.table.show_rows(self.wb.visible, self.wb.qa)
        self.show_unit(kept.unit, force=True)
        self.editor.focus()
        self.notify("Your text is back in the editor; Ctrl+S saves it.", timeout=6)

    # -- showing a unit ----------------------------------------------------------------------
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # Only the cursor's own row: a highlight posted before a later programmatic move
        # (e.g. the first row, when the table was filled) is stale by the time it arrives.
        table = self.table
        if event.data_table is table and event.cursor_row == table.cursor_row:
            self.show_unit(str(event.row_key.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # Enter in the list is "edit" (a binding), not a selection

    def show_unit(self, unit_id: str | None, *, force: bool = False) -> None:
        """Select ``unit_id``: the buffer of the unit left behind is saved first."""
        if unit_id is None:
            self.current = None
            self._show_status()
            return
        if unit_id == self.current and not force:
            return
        if self.current is not None and self.current != unit_id and self.wb.dirty(self.current):
            self._commit()
        self.current = unit_id
        self.table.select(unit_id)
        with self.app.batch_update():
            self._render_unit()

    def _render_unit(self) -> None:
        unit_id = self.current
        if unit_id is None:
            return
        wb = self.wb
        row = wb.row(unit_id)
        typed = wb.buffer.text if wb.buffer is not None and wb.buffer.unit == unit_id else None
        text = typed if typed is not None else row.target
        if self.editor.text != text:
            self.editor.show_text(text)
        title = f"Source · {unit_id}"
        if wb.session is None:
            self.view = None
            self.query_one(SourcePanel).show(row.source, title=title)
            self.query_one(QAPanel).show(None)
            self.query_one(GlossaryPanel).loading_note()
            self.query_one(SuggestionsPanel).show((), searching=True)
            self.editor.set_marks(())
        else:
            session = wb.session
            view = self.view = wb.view(unit_id)
            context = session.context(unit_id)
            ids = [v.id for v in context]
            at = ids.index(unit_id) if unit_id in ids else -1
            before = context[at - 1].source if at > 0 else None
            after = context[at + 1].source if 0 <= at < len(context) - 1 else None
            findings = session.check_unit(unit_id, target=typed)
            kind = f" · {view.kind}" if view.kind else ""
            self.query_one(SourcePanel).show(
                view.source,
                terms=view.terms,
                findings=[f for f in findings if f.locale is None],
                previous=view.previous_source,
                before=before,
                after=after,
                title=f"{title}{kind}",
            )
            if isinstance(view.provenance, MachineSuggestion) and view.target:
                self.machine[unit_id] = machine_suggestion(view.target, view.provenance)
            self._show_findings(view, text, findings)
            self._show_suggestions(searching=unit_id not in self.memory)
            if unit_id not in self.memory:  # looked up once the reviewer stops on a unit
                self._debounce("memory", MEMORY_DELAY, self._lookup_current)
        self._show_target_title()
        self._show_status()

    def _show_findings(self, view: UnitView, text: str, findings: Sequence[Finding]) -> None:
        self.query_one(QAPanel).show(findings, target=text)
        self.query_one(GlossaryPanel).show(view.terms, text)
        self.editor.set_marks(target_marks(view, text, findings))

    def _show_suggestions(self, *, searching: bool = False) -> None:
        unit_id = self.current
        if unit_id is None:
            return
        items = ([self.machine[unit_id]] if unit_id in self.machine else []) + self.memory.get(
            unit_id, []
        )
        self.query_one(SuggestionsPanel).show(items, searching=searching)

    def _lookup_current(self) -> None:
        if self.current is not None and self.current not in self.memory and self.wb.ready:
            self.lookup_memory(self.current, self.wb.row(self.current).source)

    @work(thread=True, exclusive=True, group="memory", exit_on_error=False)
    def lookup_memory(self, unit_id: str, source: str) -> None:
        session = self.wb.session
        if session is None:
            return
        items = [memory_suggestion(m, source) for m in session.memory_matches(unit_id)]
        self.app.call_from_thread(self._memory_found, unit_id, items)

    def _memory_found(self, unit_id: str, items: list[Suggestion]) -> None:
        self.memory[unit_id] = items
        if unit_id == self.current:
            self._show_suggestions()

    def _show_target_title(self) -> None:
        unit_id = self.current
        if unit_id is None:
            return
        row = self.wb.row(unit_id)
        view = self.view
        if self.wb.dirty(unit_id):
            title = "Target · edited, not saved yet (Ctrl+S saves, _ in the list drops it)"
        elif row.state == State.REVIEWED and view is not None and view.approval is not None:
            who = view.approval.reviewer or "an earlier transflow"
            when = view.approval.when[:10]
            title = f"Target · approved by {who}" + (f" on {when}" if when else "")
        elif row.stale_approval:
            title = "Target · translated; its approval is void (edited since)"
        elif row.state == State.MACHINE and view is not None and view.provenance is not None:
            title = f"Target · machine suggestion ({view.provenance})"
        elif row.state == State.MEMORY and view is not None and view.provenance is not None:
            found = view.provenance
            if isinstance(found, MemorySuggestion):
                score = f"{found.score}%, " if found.score is not None else ""
                status = "approved" if found.reviewed else "translated"
                title = f"Target · memory match ({score}{status} there, not yet here)"
            else:
                title = f"Target · memory match ({found})"
        elif row.state == State.NEEDS_REVIEW:
            title = "Target · needs review (fuzzy)"
        elif row.state == State.NEW:
            title = "Target · not translated yet (Enter to type)"
        else:
            title = "Target · translated, not approved"
        self.editor.border_title = title

    def _show_status(self) -> None:
        if self._progress is None:
            self._progress = progress(self.wb.rows)
        position = self.wb.visible_index(self.current) if self.current else None
        note = self.note or ("edited" if self.wb.dirty() else "")
        if self.wb.unsaved:
            note = "NOT SAVED (Ctrl+S)"
        self.query_one(StatusLine).show(
            locale=self.wb.locale,
            doc=self.wb.doc,
            progress=self._progress,
            position=position,
            shown=len(self.wb.visible),
            filter=self.wb.filter,
            note=note,
        )

    # -- typing ------------------------------------------------------------------------------
    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area is not self.editor or self.current is None:
            return
        was_dirty = self.wb.dirty()
        self.wb.edit(self.current, self.editor.text)
        if self.wb.dirty() != was_dirty:
            self._show_target_title()
            self._show_status()
        self._debounce("qa", QA_DELAY, self._live_qa)
        self._debounce("autosave", AUTOSAVE_DELAY, self._autosave)

    def _debounce(self, name: str, delay: float, callback: Callable[[], None]) -> None:
        """Call ``callback`` once ``delay`` seconds pass without another call for ``name``."""
        timer = self._debounced.get(name)
        if timer is not None:
            timer.stop()
        self._debounced[name] = self.set_timer(delay, callback)

    def _live_qa(self) -> None:
        session, view = self.wb.session, self.view
        if session is None or view is None or view.id != self.current:
            return
        text = self.editor.text
        self._show_findings(view, text, session.check_unit(view.id, target=text))

    def _autosave(self) -> None:
        try:
            self.wb.keep_buffer()
        except (OSError, TransflowError) as exc:
            self.notify(f"could not autosave the text being typed: {exc}", severity="warning")

    # -- operations ----------------------------------------------------------------------------
    def _operate(self, operation: Callable[[str], UnitView]) -> UnitView | None:
        """Run an operation on the current unit, show it, write it; None if it was refused."""
        unit_id = self.current
        if unit_id is None:
            return None
        if not self.wb.ready:
            self.notify("The catalog is still loading; a moment…", severity="warning")
            return None
        try:
            if self.wb.dirty() and self.wb.buffer is not None and self.wb.buffer.unit != unit_id:
                self._commit()
            view = operation(unit_id)
        except TransflowError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return None
        self._changed(view.id)
        self.save()
        return view

    def _changed(self, unit_id: str) -> None:
        """A unit changed here: its row, its QA mark, and the panels if it is shown."""
        session = self.wb.session
        if session is not None:
            worst = _worst(session.check_unit(unit_id))
            if worst is None:
                self.wb.qa.pop(unit_id, None)
            else:
                self.wb.qa[unit_id] = worst
        self._progress = None
        self.table.update_unit(self.wb.row(unit_id), self.wb.qa.get(unit_id))
        if unit_id == self.current:
            self._render_unit()
        else:
            self._show_status()

    def _commit(self) -> None:
        """Save the buffer being typed (leaving its unit, quitting)."""
        try:
            view = self.wb.commit()
        except TransflowError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        if view is not None:
            self._changed(view.id)
            self.save()

    def save(self, prefer: dict[str, Side] | None = None) -> bool:
        """Write the catalog; a conflict opens the dialog. True if everything is written."""
        try:
            result = self.wb.save(prefer)
        except EditConflict as exc:
            path = self.wb.project.relative(self.wb.path)
            self.app.push_screen(ConflictScreen(exc.conflicts, path), self._settle)
            self._show_status()
            return False
        except TransflowError as exc:
            self.notify(f"not saved: {exc}", severity="error", timeout=10)
            self._show_status()
            return False
        if result.from_disk or prefer:
            self._took_in(set(result.from_disk) | set(prefer or {}))
        self._show_status()
        return True

    def _settle(self, prefer: dict[str, Side] | None) -> None:
        if prefer is None:
            self.notify("Not saved: your edit stays here; Ctrl+S tries again.", severity="warning")
            self._show_status()
            return
        if self.save(prefer):
            kept = sum(1 for side in prefer.values() if side == "mine")
            self.notify(f"Saved: kept yours for {kept}, theirs for {len(prefer) - kept}.")

    def flush(self) -> bool:
        """Save everything before leaving this screen; False if a conflict must be settled."""
        if self.wb.dirty():
            self._commit()
        elif self.wb.unsaved:
            self.save()
        return not self.wb.unsaved and not self.wb.dirty()

    def unsaved_description(self) -> str | None:
        buffer = self.wb.buffer
        if buffer is not None:
            return f"Your translation of {buffer.unit} ({self.wb.doc}, {self.wb.locale})"
        if self.wb.unsaved:
            return f"An edit of {self.wb.doc} ({self.wb.locale}) that could not be written"
        return None

    # -- other writers ----------------------------------------------------------------------
    def poll(self) -> None:
        try:
            taken = self.wb.poll()
        except TransflowError as exc:
            self.notify(f"cannot read the catalog another program wrote: {exc}", severity="error")
            return
        if taken:
            self._took_in(taken)
            self.notify(f"{len(taken)} unit(s) updated by another program (e.g. pretranslate).")

    def _took_in(self, units: set[str]) -> None:
        self._progress = None
        for unit_id in units:
            self.memory.pop(unit_id, None)
        self.table.show_rows(self.wb.visible, self.wb.qa)
        if self.current in units or (self.current is not None and not self.wb.has(self.current)):
            self.show_unit(self.current if self.wb.has(self.current or "") else None, force=True)
        self._show_status()
        self.refresh_qa()

    @work(thread=True, exclusive=True, group="qa", exit_on_error=False)
    def refresh_qa(self) -> None:
        session = self.wb.session
        if session is not None:
            qa = session.qa_summary()
            self.app.call_from_thread(self._qa_refreshed, qa)

    def _qa_refreshed(self, qa: dict[str, Severity]) -> None:
        self.wb.set_qa(qa)
        for row in self.wb.visible:
            self.table.update_unit(row, qa.get(row.id))

    # -- actions: moving -------------------------------------------------------------------
    def action_move(self, kind: str, step: int) -> None:
        found = self.wb.move(self.current, kind, step)
        if found is None:
            where = "" if self.wb.filter == "all" else f" with filter {self.wb.filter}"
            self.notify(f"No {MOVE_WORDS.get(kind, 'unit')} in this list{where}.", timeout=3)
            return
        self.show_unit(found)

    def action_first(self) -> None:
        if self.wb.visible:
            self.show_unit(self.wb.visible[0].id)

    def action_last(self) -> None:
        if self.wb.visible:
            self.show_unit(self.wb.visible[-1].id)

    def action_edit(self) -> None:
        if self.current is not None:
            self.editor.focus()
            self.editor.move_cursor(self.editor.document.end)

    def action_focus_list(self) -> None:
        self.table.focus()

    def action_jump(self) -> None:
        self.app.push_screen(
            PromptScreen("Go to unit (its id, or the start of it):", placeholder="e.g. 9f54c78f"),
            self._jump,
        )

    def _jump(self, answer: str | None) -> None:
        if not answer:
            return
        wanted = answer.strip().lower()
        found = [row.id for row in self.wb.rows if row.id.lower().startswith(wanted)]
        if len(found) != 1:
            self.notify(
                f"No unit {answer!r} here." if not found else f"{len(found)} units start so.",
                severity="warning",
            )
            return
        self.go_to(found[0])

    def go_to(self, unit_id: str) -> None:
        """Select a unit, switching the filter off if it hides it."""
        if self.wb.visible_index(unit_id) is None:
            self.wb.refilter("all")
            self.table.show_rows(self.wb.visible, self.wb.qa)
            self.notify("Filter off: that unit was not in the filtered list.", timeout=3)
        self.show_unit(unit_id)

    def action_filter(self) -> None:
        counts = {name: sum(map(row_filter(name, self.wb.qa), self.wb.rows)) for name in FILTERS}
        options = [
            (name, Text.assemble((f"{name:<13}", "bold"), f"{counts[name]:>5}  {about}"))
            for name, about in FILTERS.items()
        ]
        self.app.push_screen(
            ChooseScreen("Show which units?", options, selected=self.wb.filter), self._filter
        )

    def _filter(self, name: str | None) -> None:
        if name is None:
            return
        self.wb.refilter(name)
        self.table.show_rows(self.wb.visible, self.wb.qa)
        if self.current is not None and self.wb.visible_index(self.current) is not None:
            self.table.select(self.current)
            self._show_status()
        else:
            self.show_unit(self.wb.visible[0].id if self.wb.visible else None)

    def action_concordance(self) -> None:
        selected = self.editor.selected_text if self.editor.has_focus else ""
        self.app.push_screen(
            ConcordanceScreen(self.wb.project, self.wb.locale, selected.strip()),
            self._concordance,
        )

    def _concordance(self, hit: ConcordanceHit | None) -> None:
        if hit is None:
            return
        if (hit.locale, hit.doc) == (self.wb.locale, self.wb.doc):
            self.go_to(hit.unit)
        else:
            self.post_message(OpenReview(hit.locale, hit.doc, "all", hit.unit))

    # -- actions: changing -----------------------------------------------------------------
    def action_save(self) -> None:
        if self.current is None:
            return
        if not self.wb.dirty(self.current) and self.wb.row(self.current).state >= State.TRANSLATED:
            self.notify("Already saved.", timeout=2)
            return
        text = self.editor.text
        self._operate(lambda unit: self.wb.set_target(unit, text))

    def action_unfuzzy(self) -> None:
        if self._operate(self.wb.accept) is not None:
            self.action_move("interesting", 1)

    def action_approve(self) -> None:
        view = self._operate(self.wb.approve)
        if view is not None:
            self.table.focus()
            found = self.wb.move(view.id, "todo", 1)
            if found is not None:
                self.show_unit(found)
            else:
                self.notify("Approved. Nothing left to do in this list.", timeout=4)

    def action_reject(self) -> None:
        def reject(unit: str) -> UnitView:
            if self.wb.dirty(unit):
                self.wb.commit()
            return self.wb.reject(unit)

        if self._operate(reject) is not None:
            self.notify("Sent back to needs review (fuzzy).", timeout=3)

    def action_clear_target(self) -> None:
        self._operate(self.wb.clear)

    def action_comment(self) -> None:
        if self.current is None or self.view is None:
            self.notify("The catalog is still loading; a moment…", severity="warning")
            return
        unit = self.current
        self.app.push_screen(
            CommentScreen(unit, self.view.comments),
            lambda text: self._comment(unit, text),
        )

    def _comment(self, unit: str, text: str | None) -> None:
        if text is not None and unit == self.current:
            self._operate(lambda u: self.wb.set_comment(u, text))

    def action_undo(self) -> None:
        if self.current is not None and self.wb.dirty(self.current):
            self.wb.discard_buffer()
            self._render_unit()
            self.notify("Dropped what was typed.", timeout=3)
            return
        if not self.wb.ready:
            return
        unit = self.wb.undo()
        if unit is None:
            self.notify("Nothing to undo.", timeout=2)
            return
        self._changed(unit)
        self.save()
        self.go_to(unit)
        self.notify(f"Undone: {unit} is as it was.", timeout=3)

    def action_copy_source(self) -> None:
        if self.current is not None:
            self.editor.replace_text(self.wb.row(self.current).source)
            self.editor.focus()

    def action_use_suggestion(self, number: int) -> None:
        items = self.query_one(SuggestionsPanel).items
        if not 1 <= number <= len(items):
            self.notify(f"No suggestion {number}.", timeout=2)
            return
        self.editor.replace_text(items[number - 1].text)
        self.editor.focus()

    def action_glossary(self) -> None:
        if self.view is None or not self.view.terms:
            self.notify("No glossary term in this unit.", timeout=2)
            return
        options: list[tuple[str | None, Text | str]] = []
        seen: set[str] = set()
        for term in unique_terms(self.view.terms):
            options.append((None, term.english))
            for form, what in term_forms(term):
                if form not in seen:
                    seen.add(form)
                    options.append((form, Text.assemble((form, "bold"), (f"  {what}", "dim"))))
        self.app.push_screen(
            ChooseScreen("Insert which form at the cursor?", options), self._insert_form
        )

    def _insert_form(self, form: str | None) -> None:
        if form:
            self.editor.focus()
            self.editor.insert_text(form)
