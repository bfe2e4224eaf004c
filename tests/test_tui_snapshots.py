"""Snapshots of every screen of ``transflow review`` at 80×24 (SSH) and 160×48 (a big terminal).

The SVGs in ``__snapshots__/`` are what a reviewer checked by eye; a change
of layout or colour shows up as a failing test with a visual diff
(``pytest --snapshot-update`` accepts a deliberate change). The project is a
copy of the bundled catalogs, so the texts on screen are the real appeals.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from review_support import COMMISSION, COMMITTEE, make_app, review_project, settle
from transflow.config import Project
from transflow.pretranslate import pretranslate
from transflow.review import ReviewSession
from transflow.review.autosave import Autosave

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]
TYPED = "Heute sind fast 400 Menschen in Haft."  # the glossary's names missing: live QA says so

Step = Callable[[Any], Awaitable[None]]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return review_project(tmp_path / "appeals")


async def keys(pilot: Any, *pressed: str) -> None:
    await pilot.press(*pressed)
    await settle(pilot)  # text cursors' blinking off too: it would make the picture flicker


async def typed(pilot: Any, text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(c, c) for c in text])


def shot(snap_compare: Any, app: Any, size: tuple[int, int], *steps: Step) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        for step in steps:
            await step(pilot)
        await keys(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_documents(snap_compare: Any, project: Project, size: tuple[int, int]) -> None:
    shot(snap_compare, make_app(project, locale=None, doc=None), size)


@pytest.mark.parametrize("size", SIZES)
def test_review(snap_compare: Any, project: Project, size: tuple[int, int]) -> None:
    shot(snap_compare, make_app(project), size)


@pytest.mark.parametrize("size", SIZES)
def test_review_typing_with_live_qa(
    snap_compare: Any, project: Project, size: tuple[int, int]
) -> None:
    async def type_it(pilot: Any) -> None:
        await pilot.press("enter")
        await typed(pilot, TYPED)
        await pilot.pause(0.3)  # the live QA waits for a pause in the typing

    shot(snap_compare, make_app(project, unit="e2ddaa09"), size, type_it)


@pytest.mark.parametrize("size", SIZES)
def test_review_memory_match(snap_compare: Any, project: Project, size: tuple[int, int]) -> None:
    pretranslate(project, locales=["de"], docs=[COMMISSION], engines=["memory"])
    session = ReviewSession.open(project, "de", COMMISSION)
    fuzzy = next(u for u in session.units() if u.provenance and u.target and u.state < 4)
    shot(snap_compare, make_app(project, doc=COMMISSION, unit=fuzzy.id), size)


@pytest.mark.parametrize("size", SIZES)
def test_coverage(snap_compare: Any, project: Project, size: tuple[int, int]) -> None:
    shot(snap_compare, make_app(project), size, lambda pilot: keys(pilot, "f9"))


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Any, project: Project, size: tuple[int, int]) -> None:
    shot(snap_compare, make_app(project), size, lambda pilot: keys(pilot, "f1"))


@pytest.mark.parametrize("size", SIZES)
def test_quit_with_unsaved_text(snap_compare: Any, project: Project, size: tuple[int, int]) -> None:
    async def quit_typing(pilot: Any) -> None:
        await pilot.press("enter")
        await typed(pilot, TYPED)
        await keys(pilot, "ctrl+q")

    shot(snap_compare, make_app(project, unit="e2ddaa09"), size, quit_typing)


@pytest.mark.parametrize("size", SIZES)
def test_conflict(snap_compare: Any, project: Project, size: tuple[int, int]) -> None:
    async def conflict(pilot: Any) -> None:
        await pilot.press("enter")
        await typed(pilot, TYPED)
        other = ReviewSession.open(project, "de", COMMITTEE)
        other.set_target("e2ddaa09", "Aserbaidschan ist mit fast 400 Gefangenen Schlusslicht.")
        other.save(translator="Colleague <colleague@example.org>")
        await keys(pilot, "ctrl+s")

    shot(snap_compare, make_app(project, unit="e2ddaa09"), size, conflict)


@pytest.mark.parametrize("size", SIZES)
def test_restore_after_a_crash(snap_compare: Any, project: Project, size: tuple[int, int]) -> None:
    kept = Autosave(project, "de", COMMITTEE)
    kept.write("e2ddaa09", TYPED, "")
    record = json.loads(kept.path.read_text(encoding="utf-8"))
    record["saved_at"] = "2026-12-02T10:15:03Z"  # a fixed time, for a fixed picture
    kept.path.write_text(json.dumps(record), encoding="utf-8")
    shot(snap_compare, make_app(project), size)


@pytest.mark.parametrize("size", SIZES)
def test_concordance(snap_compare: Any, project: Project, size: tuple[int, int]) -> None:
    async def search(pilot: Any) -> None:
        await pilot.press("slash")
        await typed(pilot, "Ian Borg")
        await keys(pilot, "enter")

    shot(snap_compare, make_app(project), size, search)


@pytest.mark.parametrize("size", SIZES)
def test_filter(snap_compare: Any, project: Project, size: tuple[int, int]) -> None:
    shot(snap_compare, make_app(project), size, lambda pilot: keys(pilot, "l"))


@pytest.mark.parametrize("size", SIZES)
def test_glossary_forms(snap_compare: Any, project: Project, size: tuple[int, int]) -> None:
    shot(snap_compare, make_app(project, unit="9f54c78f"), size, lambda pilot: keys(pilot, "g"))


@pytest.mark.parametrize("size", SIZES)
def test_comment(snap_compare: Any, project: Project, size: tuple[int, int]) -> None:
    async def comment(pilot: Any) -> None:
        await pilot.press("number_sign")
        await typed(pilot, "qa-ignore: length-ratio — the German title is short")

    shot(snap_compare, make_app(project), size, comment)


@pytest.mark.parametrize("size", SIZES)
def test_jump(snap_compare: Any, project: Project, size: tuple[int, int]) -> None:
    async def jump(pilot: Any) -> None:
        await pilot.press("j")
        await typed(pilot, "9f54")

    shot(snap_compare, make_app(project), size, jump)
