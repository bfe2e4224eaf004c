"""Test helpers: throw-away transflow projects built from the real appeals."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib

from transflow.catalog import approve, set_state
from transflow.unit import State

REPO = Path(__file__).resolve().parents[1]

PYPROJECT = """\
[project]
name = "appeals-test"
version = "0"

[tool.transflow]
source-language = "en"
locales = ["az", "de", "fr", "ru"]
project-name = "ASIMKOM appeals"
team = "ASIMKOM translators"
"""


def make_project(
    root: Path,
    *,
    sources: dict[str, str] | None = None,
    copy_glossary: bool = True,
    copy_sources: bool = True,
) -> Path:
    """A project in ``root``: the real appeals (or ``sources``), the glossary, no catalogs."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / "source").mkdir(exist_ok=True)
    if copy_sources and sources is None:
        for path in (REPO / "source").glob("*.md"):
            shutil.copy(path, root / "source" / path.name)
    for name, text in (sources or {}).items():
        (root / "source" / name).write_text(text, encoding="utf-8")
    if copy_glossary and (REPO / "glossary.yaml").exists():
        shutil.copy(REPO / "glossary.yaml", root / "glossary.yaml")
    return root


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the real ``transflow`` command in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "transflow.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The one line a refused ``run_cli`` printed: exit 2, no traceback."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (except caches), for 'nothing was written' assertions."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".transflow" not in p.parts
    }


REVIEWER = "Test Reviewer <reviewer@example.org>"


def put_state(entry: polib.POEntry, state: State) -> None:
    """Put an entry in ``state`` as the tools would; REVIEWED through a real approval."""
    if state == State.REVIEWED:
        set_state(entry, State.TRANSLATED)
        approve(entry, REVIEWER)
    else:
        set_state(entry, state)
