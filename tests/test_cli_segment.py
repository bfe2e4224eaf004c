"""The segment commands as a user runs them: output, JSON, exit codes, bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from projects import make_project, one_line_error, run_cli, snapshot

APPEAL = "bonn-2025-appeal-german-foreign-minister"


@pytest.fixture(scope="module")
def segmented(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("cli") / "appeals")
    result = run_cli("segment", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


def test_segment_prints_counts_per_document(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    result = run_cli("segment", "--json", cwd=root)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    docs = {d["doc"]: d for d in data["documents"]}
    assert set(docs) == {
        "bonn-2025-notice",
        "bonn-2025-appeal-german-foreign-minister",
        "bonn-2025-appeal-committee-of-ministers",
        "bonn-2025-appeal-european-commission",
    }
    assert docs[APPEAL]["units"] == docs[APPEAL]["added"] > 30
    assert docs[APPEAL]["words"] > 600
    assert len(docs[APPEAL]["written"]) == 5  # template + four locales
    again = run_cli("segment", cwd=root)
    assert again.returncode == 0
    assert "total" in again.stdout and APPEAL[:15] in again.stdout


def test_project_found_from_a_subdirectory_and_with_project_flag(segmented: Path) -> None:
    sub = segmented / "source"
    assert run_cli("segment", "--json", cwd=sub).returncode == 0
    result = run_cli("--project", str(segmented), "segment", "--json", cwd=Path("/"))
    assert result.returncode == 0, result.stderr
    assert all(not d["written"] for d in json.loads(result.stdout)["documents"])


def test_segments_prints_units_without_writing(segmented: Path) -> None:
    before = snapshot(segmented)
    result = run_cli("segments", f"source/{APPEAL}.md", "--json", cwd=segmented)
    assert result.returncode == 0, result.stderr
    units = json.loads(result.stdout)
    assert units[0]["kind"] == "title"
    assert {"id", "kind", "text"} == set(units[0])
    assert {"kind": "address", "text": "Dr. Johann David Wadephul"}.items() <= next(
        u for u in units if u["text"] == "Dr. Johann David Wadephul"
    ).items()
    assert snapshot(segmented) == before


def test_no_project_is_a_one_line_error(tmp_path: Path) -> None:
    result = run_cli("segment", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "no transflow project here or above" in result.stderr


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("bad-utf8.md", "Ein Satz.\n\nGrüße".encode("latin-1"), "bad-utf8.md:3: not UTF-8"),
        (
            "bad-front.md",
            b"---\ntitle: [oops\n---\nText.\n",
            "bad-front.md:2: malformed front matter",
        ),
        ("unclosed.md", b"---\ntitle: x\nText.\n", "unclosed.md:1: front matter opened"),
    ],
)
def test_bad_source_exit_2_nothing_written(
    segmented: Path, tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    root = make_project(tmp_path / "p")
    assert run_cli("segment", cwd=root).returncode == 0
    (root / "source" / name).write_bytes(content)
    before = snapshot(root)
    line = one_line_error(run_cli("segment", cwd=root))
    assert expected in line
    assert snapshot(root) == before


def test_malformed_existing_po_exit_2_nothing_written(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    assert run_cli("segment", cwd=root).returncode == 0
    po = root / "locales" / "ru" / f"{APPEAL}.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "broken\n', encoding="utf-8")
    (root / "source" / f"{APPEAL}.md").write_text(
        (root / "source" / f"{APPEAL}.md").read_text(encoding="utf-8") + "\nOne more sentence.\n",
        encoding="utf-8",
    )
    before = snapshot(root)
    line = one_line_error(run_cli("segment", cwd=root))
    assert f"locales/ru/{APPEAL}.po:" in line and "malformed PO file" in line
    assert snapshot(root) == before


def test_unknown_locale_in_settings(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    config = root / "pyproject.toml"
    config.write_text(config.read_text().replace('"ru"]', '"xx-nope"]'), encoding="utf-8")
    line = one_line_error(run_cli("segment", cwd=root))
    assert "unknown locale 'xx-nope'" in line and "pyproject.toml" in line


def test_help_does_not_import_machine_translation() -> None:
    code = (
        "import sys\n"
        "from transflow.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('ctranslate2', 'argostranslate', 'torch', 'textual', 'sentencepiece')"
        " if m in sys.modules]\n"
        "print(heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_help_lists_every_command_and_a_command_imports_only_its_module() -> None:
    from transflow.cli import COMMAND_MODULES, COMMANDS

    result = subprocess.run(
        [sys.executable, "-m", "transflow.cli", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    listed = set(re.findall(r"^    (\w[\w-]*)\s", result.stdout, re.MULTILINE))
    assert set(COMMANDS) <= listed, result.stdout
    assert {m for m in COMMANDS.values()} <= set(COMMAND_MODULES)
    for name in COMMANDS:
        sub = subprocess.run(
            [sys.executable, "-m", "transflow.cli", name, "--help"], capture_output=True, text=True
        )
        assert sub.returncode == 0 and f"usage: transflow {name}" in sub.stdout, sub.stderr
    code = (
        "import sys\n"
        "from transflow.cli import main\n"
        "try:\n    main(['--project', '.', 'check', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('transflow.cli.')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "['transflow.cli.check']"
