"""``transflow review`` from the command line: mistakes are one-line errors before any screen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from projects import REVIEWER, snapshot
from review_support import COMMITTEE, review_project
from transflow.config import Project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return review_project(tmp_path / "appeals")


def review(
    project: Project, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {**os.environ, "TRANSFLOW_REVIEWER": REVIEWER}
    return subprocess.run(
        [sys.executable, "-m", "transflow.cli", "review", *args],
        cwd=project.root,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["xx"], "locale 'xx'"),
        (["de", "--doc", "nope"], "no source document 'nope'"),
        (["de", "--doc", COMMITTEE, "--unit", "ffffffff"], "no unit 'ffffffff'"),
        (["--doc", COMMITTEE], "--doc and --unit need a LOCALE"),
        (["de", "--port", "8080"], "--port and --host go with --web"),
        (["de", "--web", "--port", "99999"], "not a port number"),
    ],
)
def test_mistakes_are_one_line_errors(project: Project, args: list[str], message: str) -> None:
    before = snapshot(project.root)
    done = review(project, *args)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in done.stderr
    assert snapshot(project.root) == before


def test_an_unknown_filter_is_a_usage_error(project: Project) -> None:
    done = review(project, "de", "--filter", "done")
    assert done.returncode == 2 and "invalid choice: 'done'" in done.stderr


def test_nobody_to_name_as_reviewer(project: Project, tmp_path: Path) -> None:
    env = {
        "TRANSFLOW_REVIEWER": "",
        "HOME": str(tmp_path),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = review(project, "de", env=env)
    assert done.returncode == 2 and "who is approving?" in done.stderr


def test_a_misspelt_key_binding_id_names_the_settings_file(project: Project) -> None:
    config = project.root / "pyproject.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + '\n[tool.transflow.review]\nkeys = { aprove = "y" }\n',
        encoding="utf-8",
    )
    done = review(project, "de")
    assert done.returncode == 2
    assert "pyproject.toml" in done.stderr and "no binding 'aprove'" in done.stderr


def test_review_is_listed_in_the_help(project: Project) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "transflow.cli", "--help"],
        cwd=project.root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "review" in done.stdout
