"""What a review front end keeps between keystrokes and the file (``transflow.review.workbench``).

The same rules the Textual application follows, without a UI: the buffer,
approval refused for a QA error, undo back to a suggestion with its note,
other writers taken in or raised as a conflict, the autosave offered back.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from projects import REVIEWER
from review_support import COMMISSION, COMMITTEE, entry, review_project
from transflow.catalog import get_note, state_of
from transflow.config import Project
from transflow.mt.controlled import ControlledEngine
from transflow.pretranslate import pretranslate
from transflow.review import EditConflict, ReviewError, ReviewSession
from transflow.review.workbench import Workbench, first_document
from transflow.unit import State

NEW = "e2ddaa09"
GOOD = "Heute ist Aserbaidschan mit fast 400 politischen Gefangenen Schlusslicht im Europarat."


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return review_project(tmp_path / "appeals")


def bench(project: Project, doc: str = COMMITTEE, **kwargs: str) -> Workbench:
    wb = Workbench(project, "de", doc, REVIEWER, **kwargs)
    wb.attach(wb.load())
    return wb


def test_the_buffer_is_not_an_edit_until_committed(project: Project) -> None:
    wb = bench(project)
    assert wb.edit(NEW, "Heute")
    assert wb.dirty(NEW) and not wb.unsaved
    assert not wb.edit(NEW, "")  # typed back to what the file has: nothing to save
    wb.edit(NEW, GOOD)
    view = wb.commit()
    assert view is not None and view.state == State.TRANSLATED and not wb.dirty()
    assert wb.row(NEW).state == State.TRANSLATED
    assert entry(project, NEW).msgstr == ""  # in memory only, until saved
    wb.save()
    assert entry(project, NEW).msgstr == GOOD


def test_approval_refused_for_a_qa_error_changes_nothing(project: Project) -> None:
    wb = bench(project)
    wb.edit(NEW, "Heute sind 400 Menschen in Haft.")  # no Azerbaijan, no Council of Europe
    with pytest.raises(ReviewError, match="glossary-missing"):
        wb.approve(NEW)
    assert wb.dirty(NEW) and wb.row(NEW).state == State.NEW
    assert not wb.unsaved and wb.undo_stack == []


def test_approving_a_machine_suggestion_accepts_it_and_undo_brings_it_back(
    project: Project,
) -> None:
    engine = ControlledEngine(lambda text, locale: GOOD, name="argos", model="test-model")
    pretranslate(
        project,
        locales=["de"],
        docs=[COMMITTEE],
        engines=["argos"],
        engine_factory=lambda n: engine,
    )
    wb = bench(project)
    assert wb.row(NEW).state == State.MACHINE
    view = wb.approve(NEW)
    assert view.state == State.REVIEWED
    wb.save()
    assert state_of(entry(project, NEW)) == State.REVIEWED
    assert wb.undo() == NEW
    wb.save()
    back = entry(project, NEW)
    assert state_of(back) == State.MACHINE and get_note(back, "machine") == "argos:test-model"


def test_other_writers_are_taken_in_unless_typing(project: Project) -> None:
    wb = bench(project)
    other = ReviewSession.open(project, "de", COMMITTEE)
    other.set_target("a3af56b0", "Herr Ian Borg, ...")
    other.save(translator="Colleague")
    wb.edit(NEW, "Heute")
    assert wb.poll() == set()  # typing: wait
    wb.discard_buffer()
    assert "a3af56b0" in wb.poll()
    assert wb.row("a3af56b0").state == State.TRANSLATED


def test_a_unit_changed_on_both_sides_is_a_conflict_settled_by_choice(project: Project) -> None:
    wb = bench(project)
    wb.edit(NEW, GOOD)
    other = ReviewSession.open(project, "de", COMMITTEE)
    other.set_target(NEW, "Etwas anderes.")
    other.save(translator="Colleague")
    wb.commit()
    with pytest.raises(EditConflict) as raised:
        wb.save()
    assert [c.unit for c in raised.value.conflicts] == [NEW]
    assert entry(project, NEW).msgstr == "Etwas anderes."  # nothing overwritten
    assert wb.unsaved
    wb.save(prefer={NEW: "mine"})
    assert entry(project, NEW).msgstr == GOOD and not wb.unsaved


def test_autosave_is_offered_back_only_when_it_says_something_new(project: Project) -> None:
    wb = bench(project)
    wb.edit(NEW, GOOD)
    wb.keep_buffer()
    again = bench(project)
    kept = again.pending_restore()
    assert kept is not None and kept.text == GOOD
    again.restore(kept)
    assert again.dirty(NEW)
    again.commit()
    again.save()
    assert again.autosave.read() is None  # saved: nothing left to offer
    wb.keep_buffer()  # an old buffer equal to what the file now has
    assert bench(project).pending_restore() is None


def test_moves_and_where_a_review_starts(project: Project) -> None:
    wb = bench(project)
    assert wb.first_to_do() == "38f8f03f"  # the recipient: translated, not yet approved
    assert wb.move(NEW, "untranslated", 1) == "d9f43a11"
    assert wb.move(None, "translated", 1) == "a83d2d81"
    wb.refilter("reviewed")
    assert all(row.state == State.REVIEWED for row in wb.visible)
    assert first_document(project, "de") == COMMITTEE  # notice is publishable; this is not
    assert COMMISSION in project.docs()
