"""Every bad input through every command that reads it: one line, exit 2, nothing written.

The cases live in ``tests/bad_inputs.py`` (issue 13, acceptance): add new ones
there. Each (case, command) pair runs on a fresh copy of the segmented bundled
project, in-process through the real command-line entry point, so a traceback
fails the test with the traceback itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bad_inputs import CASES, Case
from transflow.cli import main

# Commands whose job is to report problems: they list them on stdout, one per line.
REPORTING = {("glossary", "lint")}


def tree(root: Path) -> dict[str, bytes | None]:
    """Every file (bytes) and folder (None) under ``root``, except what transflow derives.

    Derived: the caches in ``.transflow/cache`` (rebuilt at will) and the folders
    of ``.transflow``. A file someone put in the cache folder (``keep.txt``) counts.
    """
    out: dict[str, bytes | None] = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if name.startswith(".transflow") and not path.is_file():
            continue
        if name.startswith(".transflow/cache/") and path.name != "keep.txt":
            continue
        out[name] = path.read_bytes() if path.is_file() else None
    return out


def _pairs(cases: list[Case]) -> list[object]:
    return [
        pytest.param(case, command, id=f"{case.name} | {' '.join(command)}")
        for case in cases
        for command in case.commands
    ]


@pytest.mark.parametrize(("case", "command"), _pairs(CASES))
def test_bad_input(
    case: Case,
    command: tuple[str, ...],
    segmented_project: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = segmented_project
    monkeypatch.chdir(root)
    monkeypatch.delenv("TRANSFLOW_MODELS_DIR", raising=False)
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    case.setup(root)
    before = tree(root)

    code = main(["--project", str(root), *command, *case.args])
    out, err = capsys.readouterr()

    assert "Traceback" not in out + err
    assert code == case.exit_code, out + err
    if case.exit_code == 2:
        if command[:2] in REPORTING:
            assert err == "", err
            message = next((line for line in out.splitlines() if case.file + ":" in line), out)
        else:
            assert err.startswith("transflow: error: ") and err.count("\n") == 1, err
            message = err
        assert case.file in message, message
        if case.line is not None:
            assert f"{case.file}:{case.line}:" in message, message
        assert case.message in message, message
    if not case.writes:
        assert tree(root) == before
