"""Odd situations end in one line and exit 2, never a traceback (issue 13 point 8)."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from projects import make_project, run_cli, snapshot
from transflow.cli import main

NOTICE = "bonn-2025-notice"


@pytest.fixture
def project_dir(segmented_project: Path) -> Path:
    return segmented_project


def one_line_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run a command in-process; assert exit 2 with one line on stderr, and return it."""
    code = main(list(args))
    _, err = capsys.readouterr()
    assert code == 2, err
    assert err.startswith("transflow: error: ") and err.count("\n") == 1, err
    return err


@pytest.mark.parametrize(
    "command",
    [
        ["segment"],
        ["check"],
        ["coverage"],
        ["pretranslate", "--engine", "memory"],
        ["memory", "stats"],
        ["glossary", "usage", "asimkom"],
    ],
)
def test_catalog_that_is_a_folder(
    project_dir: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    path = project_dir / "locales" / "de" / f"{NOTICE}.po"
    path.unlink()
    path.mkdir()
    before = snapshot(project_dir)
    err = one_line_error(capsys, "--project", str(project_dir), *command)
    assert f"{NOTICE}.po" in err
    assert snapshot(project_dir) == before


def test_html_report_below_a_file(
    project_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project_dir)
    before = snapshot(project_dir)
    err = one_line_error(capsys, "coverage", "--html", "glossary.yaml/out.html")
    assert "glossary.yaml/out.html" in err and "glossary.yaml is a file" in err
    err = one_line_error(capsys, "coverage", "--html", "locales")
    assert "locales" in err and "folder" in err
    err = one_line_error(capsys, "memory", "export", "glossary.yaml/tm/out.tmx")
    assert "glossary.yaml is a file" in err
    assert snapshot(project_dir) == before


@pytest.mark.parametrize("command", [["pretranslate", "--engine", "memory"], ["memory", "stats"]])
def test_memory_cache_that_is_a_folder(
    project_dir: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    cache = project_dir / ".transflow" / "cache" / "memory" / "memory.sqlite"
    cache.mkdir(parents=True)
    (cache / "keep.txt").write_text("someone's file\n", encoding="utf-8")
    before = snapshot(project_dir)
    err = one_line_error(capsys, "--project", str(project_dir), *command)
    assert "memory.sqlite" in err and "folder" in err
    assert snapshot(project_dir) == before
    assert (cache / "keep.txt").is_file()  # never deleted to make room


# A Ctrl-C that lands while modules are still being imported: raised here by an
# audit hook on the import of one module, exactly where a real SIGINT could land.
_INTERRUPTED_IMPORT = """
import sys
target = sys.argv.pop(1)
fired = []
def hook(event, args):
    if event == "import" and args[0] == target and not fired:
        fired.append(True)
        raise KeyboardInterrupt
sys.addaudithook(hook)
from transflow.cli import run
run()
"""


@pytest.mark.parametrize(
    "module", ["argparse", "transflow.errors", "transflow.config", "rich.console", "polib"]
)
def test_ctrl_c_while_importing_is_one_line(project_dir: Path, module: str) -> None:
    before = snapshot(project_dir)
    result = subprocess.run(
        [sys.executable, "-c", _INTERRUPTED_IMPORT, module, "segment"],
        cwd=project_dir,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 130, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "interrupted" in result.stderr
    assert snapshot(project_dir) == before


def test_real_ctrl_c_in_the_first_milliseconds(project_dir: Path) -> None:
    """SIGINT at many moments of start-up: never a traceback from transflow's own code.

    Until the first line of ``transflow/__init__.py`` runs, Python is still starting
    (``site``, the ``.pth`` files of installed packages, finding the package): a
    Ctrl-C there gets Python's own traceback, which no code of transflow can catch.
    From that line on, it must be one line.
    """
    script = Path(sys.executable).with_name("transflow")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "transflow.cli"]
    ours = []
    for step in range(16):
        proc = subprocess.Popen(
            [*command, "check"],
            cwd=project_dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(step * 0.008)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
        if re.search(r'File "[^"]*/transflow/[^"]*\.py"', err):
            ours.append(f"{step * 8} ms: {err[-300:]}")
    assert ours == []


def test_unexpected_error_is_one_line_from_the_script(project_dir: Path) -> None:
    """The script's last resort: a bug is one line naming it (exit 3), the traceback on request."""
    code = (
        "import sys, transflow.update as u\n"
        "def boom(project, **kw): raise ZeroDivisionError('simulated bug')\n"
        "u.segment_project = boom\n"
        "from transflow.cli import run\n"
        "run()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "segment"],
        cwd=project_dir,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 3
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert "internal error: ZeroDivisionError: simulated bug" in result.stderr


@pytest.mark.parametrize(
    ("edit", "line"),
    [
        (lambda text: text.replace('"ASIMKOM appeals"', "ASIMKOM appeals"), 8),
        (lambda text: text + "qa = {\n", 10),  # "at end of document": the last line
    ],
)
def test_malformed_pyproject_names_its_line(
    tmp_path: Path, edit: Callable[[str], str], line: int
) -> None:
    root = make_project(tmp_path / "p")
    config = root / "pyproject.toml"
    config.write_text(edit(config.read_text(encoding="utf-8")), encoding="utf-8")
    (root / "source" / "sub").mkdir()
    for cwd in (root, root / "source" / "sub"):
        result = run_cli("check", cwd=cwd)
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert f"pyproject.toml:{line}: malformed TOML" in result.stderr
        assert "no transflow project" not in result.stderr


def test_pyproject_not_utf8(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    config = root / "pyproject.toml"
    config.write_bytes(config.read_bytes() + b'team = "caf\xe9"\n')
    result = run_cli("segment", cwd=root)
    assert result.returncode == 2, result.stderr
    assert "pyproject.toml:10:" in result.stderr and "UTF-8" in result.stderr
    assert "Traceback" not in result.stderr


def test_unrelated_broken_pyproject_below_the_project_is_not_the_project(tmp_path: Path) -> None:
    """A broken pyproject.toml that is not a transflow one does not hide the project above."""
    root = make_project(tmp_path / "p")
    other = root / "tools" / "helper"
    other.mkdir(parents=True)
    (other / "pyproject.toml").write_text("[project\nname = 'helper'\n", encoding="utf-8")
    result = run_cli("segment", "--json", cwd=other)
    assert result.returncode == 0, result.stderr
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "pyproject.toml").write_text("[project\n", encoding="utf-8")
    result = run_cli("segment", cwd=alone)
    assert result.returncode == 2
    assert "pyproject.toml:1:" in result.stderr and "malformed TOML" in result.stderr
