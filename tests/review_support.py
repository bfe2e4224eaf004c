"""Test helpers for the review application: copies of the bundled project, a ready app."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib

from projects import REPO, REVIEWER, make_project
from transflow.config import Project, load_project

COMMITTEE = "bonn-2025-appeal-committee-of-ministers"
COMMISSION = "bonn-2025-appeal-european-commission"
NOTICE = "bonn-2025-notice"


def review_project(root: Path) -> Project:
    """The real appeals with the bundled catalogs (some approved, most new), in ``root``."""
    make_project(root)
    shutil.copytree(REPO / "locales", root / "locales")
    return load_project(root)


def po_path(project: Project, doc: str, locale: str = "de") -> Path:
    return project.catalog_path(locale, doc)


def entry(project: Project, unit: str, doc: str = COMMITTEE, locale: str = "de") -> polib.POEntry:
    """The unit as the file on disk has it now."""
    po = polib.pofile(str(po_path(project, doc, locale)))
    found = [e for e in po if e.msgctxt == unit and not e.obsolete]
    assert len(found) == 1, unit
    return found[0]


def make_app(project: Project, **kwargs: object) -> object:
    from transflow_tui.app import ReviewApp

    options: dict[str, object] = {"locale": "de", "doc": COMMITTEE, "poll_interval": 0.2}
    options.update(kwargs)
    return ReviewApp(project, REVIEWER, **options)  # type: ignore[arg-type]


async def settle(pilot: object) -> None:
    """Wait until the workers are done and the screen stops changing.

    A worker's result reaches the screen through a chain of refreshes (focus,
    then the footer's bindings, then its recompose); on a loaded machine one
    idle pause is not always enough, so wait until two pictures in a row agree
    (text cursors' blinking off, or the picture would never settle).
    """
    app = pilot.app  # type: ignore[attr-defined]
    for _ in range(3):
        await pilot.pause()  # type: ignore[attr-defined]
        await app.workers.wait_for_complete()
    previous = None
    for _ in range(40):
        for editor in app.screen.query("TextArea"):
            editor.cursor_blink = False
        await pilot.pause(0.02)  # type: ignore[attr-defined]
        await app.workers.wait_for_complete()
        picture = app.export_screenshot()
        if picture == previous:
            break
        previous = picture
    await pilot.pause()  # type: ignore[attr-defined]
