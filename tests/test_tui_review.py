"""The review application driven like a translator would, on copies of the bundled catalogs.

Each test presses keys with Textual's Pilot and then reads the PO file the
application wrote: states, approval comments, translator comments, notes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from projects import REVIEWER
from review_support import COMMISSION, COMMITTEE, entry, make_app, review_project, settle
from transflow.approval import find_approval
from transflow.catalog import get_note, state_of
from transflow.config import Project
from transflow.pretranslate import pretranslate
from transflow.review.autosave import Autosave
from transflow.review.rows import read_rows
from transflow.unit import State

pytestmark = pytest.mark.asyncio

FIRST_NEW = "e2ddaa09"  # the committee appeal's first unit without a translation (de)
SECOND_NEW = "d9f43a11"
GOOD = (
    "Heute ist Aserbaidschan mit fast 400 politischen Gefangenen eines der Schlusslichter "
    "im Europarat."
)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return review_project(tmp_path / "appeals")


def screen(app: Any) -> Any:
    from transflow_tui.screens.review import ReviewScreen

    found = app.review_screen()
    assert isinstance(found, ReviewScreen)
    return found


async def type_text(pilot: Any, text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(c, c) for c in text])


async def test_opens_at_the_first_unit_needing_work_and_moves_with_po_mode_keys(
    project: Project,
) -> None:
    rows = read_rows(project, "de", COMMITTEE)
    todo = [r.id for r in rows if r.state < State.REVIEWED]
    app = make_app(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        review = screen(app)
        assert review.current == todo[0]  # the recipient, translated but not approved
        start = [r.id for r in rows].index(todo[0])
        await pilot.press("n")
        assert review.current == rows[start + 1].id
        await pilot.press("p")
        assert review.current == todo[0]
        await pilot.press("u")  # next untranslated
        assert review.current == FIRST_NEW
        await pilot.press("n")
        assert review.current == SECOND_NEW
        await pilot.press("U")  # previous untranslated
        assert review.current == FIRST_NEW
        await pilot.press("U")  # and before it none: wraps to the last new unit
        assert review.wb.row(review.current).state == State.NEW
        assert review.current == [r.id for r in rows if r.state == State.NEW][-1]
        await pilot.press("t")  # next translated (approved counts): wraps to the top
        assert review.current == rows[0].id
        await pilot.press("greater_than_sign")
        assert review.current == review.wb.visible[-1].id
        await pilot.press("less_than_sign")
        assert review.current == review.wb.visible[0].id
        await pilot.press("space")  # next unit that needs work
        assert review.current == todo[0]
        await pilot.press("f")  # no fuzzy unit in this document: a message, no move
        assert review.current == todo[0]


async def test_typed_text_saved_as_translated_with_the_translator_named(project: Project) -> None:
    app = make_app(project, unit=FIRST_NEW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await type_text(pilot, GOOD)
        assert screen(app).wb.dirty(FIRST_NEW)
        await pilot.press("ctrl+s")
        await settle(pilot)
    saved = entry(project, FIRST_NEW)
    assert saved.msgstr == GOOD
    assert state_of(saved) == State.TRANSLATED
    po_text = (project.catalog_path("de", COMMITTEE)).read_text(encoding="utf-8")
    assert f'"Last-Translator: {REVIEWER}\\n"' in po_text


async def test_approve_records_the_reviewer_and_moves_on(project: Project) -> None:
    app = make_app(project, unit=FIRST_NEW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await type_text(pilot, GOOD)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert screen(app).current == SECOND_NEW
    saved = entry(project, FIRST_NEW)
    assert state_of(saved) == State.REVIEWED
    approval = find_approval(saved.tcomment, saved.msgid, saved.msgstr, tuple(saved.flags))
    assert approval is not None and approval.current and approval.reviewer == REVIEWER
    assert re.search(r"^approved: Test Reviewer <reviewer@example\.org> \d{4}-", saved.tcomment)


async def test_approval_is_refused_while_a_glossary_term_is_missing(project: Project) -> None:
    app = make_app(project, unit=FIRST_NEW)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await type_text(pilot, "Heute sind fast 400 Menschen in Haft.")
        await pilot.press("ctrl+o")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("cannot approve" in m and "glossary-missing" in m for m in messages)
        assert screen(app).current == FIRST_NEW  # stays, with the text still in the editor
        assert screen(app).editor.text == "Heute sind fast 400 Menschen in Haft."
    assert state_of(entry(project, FIRST_NEW)) == State.NEW  # nothing written


async def test_reject_sends_an_approved_unit_back_to_needs_review(project: Project) -> None:
    app = make_app(project, unit="a83d2d81")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = entry(project, "a83d2d81").msgstr
        await pilot.press("r")
        await settle(pilot)
    rejected = entry(project, "a83d2d81")
    assert state_of(rejected) == State.NEEDS_REVIEW
    assert "fuzzy" in rejected.flags and "approved:" not in (rejected.tcomment or "")
    assert rejected.msgstr == before


async def test_clear_and_undo_put_a_memory_suggestion_back_with_its_note(
    project: Project,
) -> None:
    pretranslate(project, locales=["de"], docs=[COMMISSION], engines=["memory"])
    suggested = [
        e for e in _entries(project, COMMISSION) if state_of(e) == State.MEMORY and e.msgstr
    ]
    assert suggested, "the bundled catalogs give memory matches"
    unit = suggested[0].msgctxt
    note = get_note(suggested[0], "memory")
    app = make_app(project, doc=COMMISSION, unit=unit)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("k")  # PO mode: kill the translation
        await settle(pilot)
        assert state_of(entry(project, unit, COMMISSION)) == State.NEW
        await pilot.press("underscore")  # PO mode: undo
        await settle(pilot)
    restored = entry(project, unit, COMMISSION)
    assert state_of(restored) == State.MEMORY
    assert restored.msgstr == suggested[0].msgstr
    assert get_note(restored, "memory") == note


async def test_tab_accepts_a_suggestion_as_translated_and_goes_to_the_next_one(
    project: Project,
) -> None:
    pretranslate(project, locales=["de"], docs=[COMMISSION], engines=["memory"])
    fuzzy = [e.msgctxt for e in _entries(project, COMMISSION) if state_of(e) == State.MEMORY]
    app = make_app(project, doc=COMMISSION, unit=fuzzy[0])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("tab")
        await settle(pilot)
        nxt = screen(app).current
        assert nxt != fuzzy[0] and screen(app).wb.row(nxt).state < State.TRANSLATED
    accepted = entry(project, fuzzy[0], COMMISSION)
    assert state_of(accepted) == State.TRANSLATED
    assert get_note(accepted, "memory") is not None  # accepted as it was: where it came from


async def test_insert_a_memory_match_with_its_number(project: Project) -> None:
    pretranslate(project, locales=["de"], docs=[COMMISSION], engines=["memory"])
    fuzzy = [e for e in _entries(project, COMMISSION) if state_of(e) == State.MEMORY]
    unit = fuzzy[0].msgctxt
    app = make_app(project, doc=COMMISSION, unit=unit)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        review = screen(app)
        items = review.query_one("#suggestions").items
        assert items, "a memory match is offered"
        assert "memory" in items[0].label.plain and "%" in items[0].label.plain
        await pilot.press("k")  # empty it first, so inserting is visible
        await settle(pilot)
        await pilot.press("1")
        assert review.editor.text == items[0].text
        await pilot.press("ctrl+s")
        await settle(pilot)
    saved = entry(project, unit, COMMISSION)
    assert saved.msgstr == items[0].text and state_of(saved) == State.TRANSLATED


async def test_insert_a_glossary_form_at_the_cursor(project: Project) -> None:
    app = make_app(project, unit=FIRST_NEW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await type_text(pilot, "Heute ist ")
        await pilot.press("escape", "g")
        chooser = app.screen
        assert chooser.values[0] == "Aserbaidschan"  # the approved form comes first
        await pilot.press("1")
        await type_text(pilot, " ein Land.")
        assert screen(app).editor.text == "Heute ist Aserbaidschan ein Land."


async def test_copy_source_then_comment_then_save(project: Project) -> None:
    app = make_app(project, unit=FIRST_NEW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+j")
        assert screen(app).editor.text == screen(app).wb.row(FIRST_NEW).source
        await pilot.press("ctrl+s")
        await pilot.press("escape", "number_sign")
        await type_text(pilot, "Zahl der Gefangenen prüfen")
        await pilot.press("ctrl+s")
        await settle(pilot)
    saved = entry(project, FIRST_NEW)
    assert saved.msgstr == saved.msgid
    assert saved.tcomment == "Zahl der Gefangenen prüfen"


async def test_concordance_finds_a_name_in_every_catalog_and_goes_to_it(
    project: Project,
) -> None:
    app = make_app(project, unit=FIRST_NEW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "Ian Borg")
        await pilot.press("enter")
        await settle(pilot)
        hits = app.screen.hits
        assert hits and all("ian borg" in (h.source + " " + h.target).casefold() for h in hits)
        assert {h.locale for h in hits} == {"az", "de", "fr", "ru"}
        assert hits[0].locale == "de"  # this locale's translations first
        wanted = hits[0]
        await pilot.press("enter")
        await settle(pilot)
        review = screen(app)
        assert (review.wb.doc, review.current) == (wanted.doc, wanted.unit)


async def test_filter_and_jump(project: Project) -> None:
    app = make_app(project, filter="new")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        review = screen(app)
        assert review.wb.visible and all(r.state == State.NEW for r in review.wb.visible)
        await pilot.press("l", "1")  # the first option: all
        await settle(pilot)
        assert review.wb.filter == "all" and len(review.wb.visible) == len(review.wb.rows)
        await pilot.press("j")
        await type_text(pilot, "9f54")
        await pilot.press("enter")
        assert review.current == "9f54c78f"


async def test_a_typed_translation_survives_a_crash(project: Project) -> None:
    app = make_app(project, unit=FIRST_NEW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await type_text(pilot, GOOD)
        await pilot.pause(0.8)  # the autosave writes half a second after the last key
    # The app ended without saving or quitting (as when a terminal is closed).
    assert Autosave(project, "de", COMMITTEE).read() is not None
    assert state_of(entry(project, FIRST_NEW)) == State.NEW
    app = make_app(project, unit=FIRST_NEW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        from transflow_tui.screens.restore import RestoreScreen

        assert isinstance(app.screen, RestoreScreen)
        await pilot.press("r")
        await settle(pilot)
        review = screen(app)
        assert review.current == FIRST_NEW and review.editor.text == GOOD
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert entry(project, FIRST_NEW).msgstr == GOOD
    assert Autosave(project, "de", COMMITTEE).read() is None


async def test_quit_with_an_unsaved_translation_asks_first(project: Project) -> None:
    app = make_app(project, unit=FIRST_NEW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await type_text(pilot, GOOD)
        await pilot.press("ctrl+q")
        from transflow_tui.screens.quit import QuitScreen

        assert isinstance(app.screen, QuitScreen)
        await pilot.press("escape")  # stay
        assert not isinstance(app.screen, QuitScreen) and app.is_running
        await pilot.press("ctrl+q", "s")  # save and quit
        await pilot.pause()
    assert entry(project, FIRST_NEW).msgstr == GOOD


async def test_quit_without_saving_drops_the_text(project: Project) -> None:
    app = make_app(project, unit=FIRST_NEW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await type_text(pilot, GOOD)
        await pilot.press("escape", "q", "d")
        await pilot.pause()
    assert entry(project, FIRST_NEW).msgstr == ""
    assert Autosave(project, "de", COMMITTEE).read() is None


async def test_q_asks_even_when_everything_is_saved(project: Project) -> None:
    app = make_app(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        assert app.is_running
        await pilot.press("n")
        assert app.is_running
        await pilot.press("q", "y")
        await pilot.pause()
        assert not app.is_running


def _entries(project: Project, doc: str) -> list[Any]:
    import polib

    return [e for e in polib.pofile(str(project.catalog_path("de", doc))) if not e.obsolete]


async def test_live_qa_follows_every_pause_in_the_typing(project: Project) -> None:
    app = make_app(project, unit=FIRST_NEW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        review = screen(app)
        qa = review.query_one("#qa")
        await pilot.press("enter")
        await type_text(pilot, "Heute ist Aserbaidschan")
        await pilot.pause(0.4)
        assert "council-of-europe" in str(qa.render()) and "azerbaijan" not in str(qa.render())
        await type_text(pilot, " im Europarat")
        await pilot.pause(0.4)  # a second pause: checked again
        assert "glossary-missing" not in str(qa.render())


async def test_with_no_name_configured_the_app_asks_before_anything_opens(
    project: Project,
) -> None:
    from transflow_tui.app import ReviewApp
    from transflow_tui.screens.prompt import PromptScreen

    app = ReviewApp(project, None, locale="de", doc=COMMITTEE, unit=FIRST_NEW, poll_interval=0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen) and app.review_screen() is None
        await type_text(pilot, "<>")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)  # not a name: asked again
        await type_text(pilot, "Ana Translator <ana@example.org>")
        await pilot.press("enter")
        await settle(pilot)
        assert screen(app).current == FIRST_NEW
        await pilot.press("enter")
        await type_text(pilot, GOOD)
        await pilot.press("ctrl+o")
        await settle(pilot)
    saved = entry(project, FIRST_NEW)
    assert re.search(r"^approved: Ana Translator <ana@example\.org> \d{4}-", saved.tcomment)


async def test_declining_to_give_a_name_leaves_without_touching_anything(project: Project) -> None:
    from transflow_tui.app import ReviewApp

    before = project.catalog_path("de", COMMITTEE).read_bytes()
    app = ReviewApp(project, None, locale="de", doc=COMMITTEE, poll_interval=0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code == 0 and app.review_screen() is None
    assert project.catalog_path("de", COMMITTEE).read_bytes() == before
