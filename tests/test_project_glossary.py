"""A project that names a glossary must have a valid one (issue 13 point 10).

The rule (README, Settings): with no ``glossary`` setting and no
``glossary.yaml`` the project simply has no glossary; a glossary named in
``[tool.transflow]`` must exist; a glossary file that exists must be a valid
glossary, and an intentionally empty one says ``entries: []``. Anything else is
one line, exit 2, and nothing is written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from projects import make_project, snapshot
from transflow.cli import main
from transflow.config import load_project
from transflow.errors import GlossaryError
from transflow.project_glossary import load_project_glossary

COMMANDS = [
    ["segment"],
    ["check"],
    ["coverage"],
    ["pretranslate", "--engine", "memory"],
    ["glossary", "list"],
    ["glossary", "usage", "asimkom"],
]


@pytest.fixture
def project_dir(segmented_project: Path) -> Path:
    return segmented_project


def _run(capsys: pytest.CaptureFixture[str], root: Path, command: list[str]) -> tuple[int, str]:
    code = main(["--project", str(root), *command])
    return code, capsys.readouterr().err


def _assert_refused(
    capsys: pytest.CaptureFixture[str], root: Path, command: list[str], *expected: str
) -> None:
    before = snapshot(root)
    code, err = _run(capsys, root, command)
    assert code == 2, (command, err)
    assert err.count("\n") == 1 and err.startswith("transflow: error: "), err
    for text in expected:
        assert text in err, (command, err)
    assert snapshot(root) == before, command


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"  \n\n", "empty"),
        (b"# the glossary, to be written\n", "entries: []"),
        (b"version: 1\nlocales: [az, de, fr, ru]\n", "entries: []"),
    ],
    ids=["zero bytes", "blank", "only a comment", "no entries list"],
)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_empty_glossary_is_refused(
    project_dir: Path,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    content: bytes,
    message: str,
) -> None:
    (project_dir / "glossary.yaml").write_bytes(content)
    _assert_refused(capsys, project_dir, command, "glossary.yaml", message)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_glossary_that_is_a_folder_is_refused(
    project_dir: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    (project_dir / "glossary.yaml").unlink()
    (project_dir / "glossary.yaml").mkdir()
    _assert_refused(capsys, project_dir, command, "glossary.yaml", "folder")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_configured_glossary_must_exist(
    project_dir: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    config = project_dir / "pyproject.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + 'glossary = "terms/names.yaml"\n', encoding="utf-8"
    )
    _assert_refused(capsys, project_dir, command, "terms/names.yaml", "pyproject.toml")


def test_segment_keeps_terms_notes_when_the_glossary_is_empty(
    project_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the issue saw: an emptied glossary stripped every `terms:` note."""
    catalog = project_dir / "locales" / "de" / "bonn-2025-notice.po"
    assert "#. terms: " in catalog.read_text(encoding="utf-8")
    (project_dir / "glossary.yaml").write_text("", encoding="utf-8")
    code, _ = _run(capsys, project_dir, ["segment"])
    assert code == 2
    assert "#. terms: " in catalog.read_text(encoding="utf-8")


def test_intentionally_empty_glossary_is_valid(
    project_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project_dir / "glossary.yaml").write_text("version: 1\nentries: []\n", encoding="utf-8")
    glossary = load_project_glossary(load_project(project_dir))
    assert glossary is not None and len(glossary) == 0
    for command in (["segment"], ["coverage"], ["check"]):
        code, err = _run(capsys, project_dir, command)
        assert code in (0, 1), err  # check may find things; it ran
    catalog = project_dir / "locales" / "de" / "bonn-2025-notice.po"
    assert "#. terms: " not in catalog.read_text(encoding="utf-8")  # no glossary terms now


def test_no_setting_and_no_file_means_no_glossary(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", copy_glossary=False)
    assert load_project_glossary(load_project(root)) is None
    assert main(["--project", str(root), "segment", "--json"]) == 0


def test_configured_glossary_elsewhere_is_loaded(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    (root / "terms").mkdir()
    (root / "glossary.yaml").rename(root / "terms" / "names.yaml")
    config = root / "pyproject.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + 'glossary = "terms/names.yaml"\n', encoding="utf-8"
    )
    glossary = load_project_glossary(load_project(root))
    assert glossary is not None and glossary.get("asimkom") is not None


def test_load_project_glossary_reports_the_schema_error_with_its_line(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    (root / "glossary.yaml").write_text("version: 1\nentries: {}\n", encoding="utf-8")
    with pytest.raises(GlossaryError) as caught:
        load_project_glossary(load_project(root))
    assert caught.value.line == 2 and "entries" in caught.value.message
