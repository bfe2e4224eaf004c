"""The autosave of the text being typed (``transflow.review.autosave``)."""

from __future__ import annotations

from pathlib import Path

from projects import make_project
from transflow.config import load_project
from transflow.review.autosave import Autosave


def test_write_read_clear(tmp_path: Path) -> None:
    project = load_project(make_project(tmp_path / "p"))
    kept = Autosave(project, "de", "bonn-2025-notice")
    assert kept.read() is None
    kept.write("3ede016e", "ASİMKOM – Materialien", "")
    kept.write("3ede016e", "ASİMKOM – Materialien der Bonner Konferenz", "")
    found = kept.read()
    assert found is not None
    assert (found.unit, found.text, found.base) == (
        "3ede016e",
        "ASİMKOM – Materialien der Bonner Konferenz",
        "",
    )
    assert kept.path == project.root / ".transflow/autosave/de/bonn-2025-notice.json"
    assert Autosave(project, "fr", "bonn-2025-notice").read() is None  # one file per catalog
    kept.clear()
    kept.clear()  # twice is fine
    assert kept.read() is None


def test_an_unreadable_file_is_no_autosave(tmp_path: Path) -> None:
    project = load_project(make_project(tmp_path / "p"))
    kept = Autosave(project, "de", "bonn-2025-notice")
    kept.path.parent.mkdir(parents=True)
    for junk in ("{", "[]", '{"unit": 1}', "\xff"):
        kept.path.write_text(junk, encoding="latin-1")
        assert kept.read() is None
