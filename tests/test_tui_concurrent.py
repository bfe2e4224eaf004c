"""The review application next to other writers: nothing lost, a real conflict shown.

While the application has a catalog open, the file is changed on disk —
another unit (both edits must survive), then the unit being edited (the
conflict dialog shows both versions and writes the one chosen) — and a real
``transflow pretranslate`` runs (its suggestions appear in the open
application, and the reviewer's approvals made meanwhile stay).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from projects import REVIEWER
from review_support import COMMITTEE, entry, make_app, review_project, settle
from transflow.catalog import state_of
from transflow.config import Project
from transflow.review import ReviewSession
from transflow.unit import State

pytestmark = pytest.mark.asyncio

FIRST_NEW = "e2ddaa09"
OTHER_NEW = "a3af56b0"
SECOND = "d9f43a11"  # the unit after FIRST_NEW that needs work
MINE = "Heute ist Aserbaidschan mit fast 400 politischen Gefangenen Schlusslicht im Europarat."
THEIRS = "Aserbaidschan ist heute mit fast 400 politischen Gefangenen Schlusslicht im Europarat."


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return review_project(tmp_path / "appeals")


def other_writer(project: Project, unit: str, text: str) -> None:
    """Another program (a colleague's session, Poedit) saves a translation of ``unit``."""
    session = ReviewSession.open(project, "de", COMMITTEE)
    session.set_target(unit, text)
    session.save(translator="Colleague <colleague@example.org>")


async def type_text(pilot: Any, text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(c, c) for c in text])


async def test_another_writers_unit_is_taken_in_and_both_edits_survive(project: Project) -> None:
    app = make_app(project, unit=FIRST_NEW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        review = app.review_screen()
        other_writer(project, OTHER_NEW, THEIRS)
        await pilot.pause(0.5)  # the application looks at the file every 0.2 s here
        await settle(pilot)
        assert review.wb.row(OTHER_NEW).state == State.TRANSLATED  # shown without a restart
        await pilot.press("enter")
        await type_text(pilot, MINE)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert entry(project, FIRST_NEW).msgstr == MINE
    assert entry(project, OTHER_NEW).msgstr == THEIRS


async def test_a_unit_saved_elsewhere_while_typing_shows_both_versions(project: Project) -> None:
    from transflow_tui.screens.conflict import ConflictScreen

    app = make_app(project, unit=FIRST_NEW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await type_text(pilot, MINE)
        other_writer(project, FIRST_NEW, THEIRS)  # meanwhile, the same unit, differently
        await pilot.pause(0.5)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        detail = str(app.screen.query_one("#conflict-detail").render())
        assert MINE in detail and THEIRS in detail
        assert entry(project, FIRST_NEW).msgstr == THEIRS  # nothing written yet
        await pilot.press("m", "enter")  # keep mine
        await settle(pilot)
        assert not isinstance(app.screen, ConflictScreen)
    saved = entry(project, FIRST_NEW)
    assert saved.msgstr == MINE and state_of(saved) == State.TRANSLATED


async def test_the_conflict_can_be_settled_for_the_other_writer(project: Project) -> None:
    app = make_app(project, unit=FIRST_NEW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await type_text(pilot, MINE)
        other_writer(project, FIRST_NEW, THEIRS)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("t", "enter")  # take theirs
        await settle(pilot)
        review = app.review_screen()
        assert review.editor.text == THEIRS and not review.wb.unsaved
    assert entry(project, FIRST_NEW).msgstr == THEIRS


async def test_pretranslate_running_meanwhile_loses_nothing(
    project: Project, installed_models: Path
) -> None:
    """A real ``transflow pretranslate`` (Argos, a copy model) while the reviewer approves."""
    app = make_app(project, unit=FIRST_NEW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        review = app.review_screen()
        await pilot.press("enter")
        await type_text(pilot, MINE)
        await pilot.press("ctrl+o")  # approve: written at once
        await settle(pilot)
        env = {"TRANSFLOW_MODELS_DIR": str(installed_models), "PATH": "/usr/bin:/bin"}
        done = subprocess.run(
            [sys.executable, "-m", "transflow.cli", "pretranslate", "--locale", "de"],
            cwd=project.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        await pilot.pause(0.5)
        await settle(pilot)
        # The open application shows the new machine suggestions...
        assert review.wb.row(SECOND).state == State.MACHINE
        await pilot.press("a")  # ...and the reviewer accepts one as it is, approving it
        await settle(pilot)
    approved = entry(project, FIRST_NEW)
    assert approved.msgstr == MINE and state_of(approved) == State.REVIEWED
    suggestion = entry(project, SECOND)
    assert state_of(suggestion) == State.REVIEWED  # the machine text, approved as it was
    assert f"approved: {REVIEWER}" in suggestion.tcomment
