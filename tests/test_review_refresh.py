"""Taking in another writer's saves is not an edit of this session.

Found by the review application: after ``refresh`` (or a ``save`` that took
in another writer's units) the units that came from disk were listed in
``modified``, so the session looked unsaved forever and stopped picking up
later saves (``pretranslate`` running next to the review UI).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from projects import REPO, make_project
from transflow.config import load_project
from transflow.review import ReviewSession

DOC = "bonn-2025-appeal-committee-of-ministers"


def test_units_taken_from_disk_are_not_edits_of_this_session(tmp_path: Path) -> None:
    root = make_project(tmp_path / "appeals")
    shutil.copytree(REPO / "locales", root / "locales")
    project = load_project(root)
    ReviewSession.open(project, "de", DOC).save(translator="Setup")  # legacy flags migrated
    mine = ReviewSession.open(project, "de", DOC)
    mine.checker()  # the review UI keeps one for live QA; it must follow the disk too
    theirs = ReviewSession.open(project, "de", DOC)
    theirs.set_target("a3af56b0", "Herr Ian Borg, ...")
    theirs.save(translator="Colleague")

    assert mine.refresh() == {"a3af56b0"}
    assert mine.modified == set()

    mine.set_target("e2ddaa09", "Heute ...")
    theirs.set_target("d9f43a11", "Der Vorsitzende ...")
    theirs.save(translator="Colleague")
    result = mine.save(translator="Reviewer")
    assert result.from_disk == {"d9f43a11"}
    assert mine.modified == set()
    assert mine.unit("d9f43a11").target == "Der Vorsitzende ..."


def test_context_is_the_units_sharing_the_block_reference(tmp_path: Path) -> None:
    """``context`` looks around the unit only; it must find what a scan of all units finds."""
    root = make_project(tmp_path / "appeals")
    shutil.copytree(REPO / "locales", root / "locales")
    project = load_project(root)
    for doc in project.docs():
        session = ReviewSession.open(project, "ru", doc)
        units = session.units()
        for view in units:
            same = [u.id for u in units if u.reference == view.reference]
            assert [u.id for u in session.context(view.id)] == same
            assert session.unit(view.id).index == view.index
