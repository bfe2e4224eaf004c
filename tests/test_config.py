"""Project settings and where sources may come from (issue 13 point 11)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from projects import make_project, snapshot
from transflow.cli import main
from transflow.config import load_project
from transflow.errors import SourceError

NOTICE = "bonn-2025-notice"
COMMANDS = [
    ["segment"],
    ["check"],
    ["coverage"],
    ["pretranslate", "--engine", "memory"],
    ["glossary", "usage", "asimkom"],
]


def _refused(capsys: pytest.CaptureFixture[str], root: Path, command: list[str]) -> str:
    before = snapshot(root)
    code = main(["--project", str(root), *command])
    err = capsys.readouterr().err
    assert code == 2, (command, err)
    assert err.count("\n") == 1 and "Traceback" not in err
    assert snapshot(root) == before, command
    return err


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_source_linking_outside_the_project_is_refused(
    segmented_project: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    link = segmented_project / "source" / "passwd.md"
    link.symlink_to("/etc/passwd")
    err = _refused(capsys, segmented_project, command)
    assert "source/passwd.md" in err and "/etc/passwd" in err and "outside the project" in err


def test_nothing_from_the_linked_file_reaches_a_catalog(
    segmented_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (segmented_project / "source" / "passwd.md").symlink_to("/etc/passwd")
    assert main(["--project", str(segmented_project), "segment"]) == 2
    capsys.readouterr()
    assert not list(segmented_project.rglob("passwd.po*"))
    root_line = Path("/etc/passwd").read_text(encoding="utf-8").splitlines()[0]
    for catalog in segmented_project.rglob("*.po"):
        assert root_line not in catalog.read_text(encoding="utf-8")


def test_source_folder_linking_outside_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.md").write_text("Private notes.\n", encoding="utf-8")
    root = make_project(tmp_path / "p", copy_sources=False)
    (root / "source").rmdir()
    (root / "source").symlink_to(elsewhere)
    err = _refused(capsys, root, ["segment"])
    assert "source folder leads outside the project" in err


def test_links_inside_the_project_are_followed(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    drafts = root / "drafts"
    drafts.mkdir()
    (root / "source" / f"{NOTICE}.md").rename(drafts / "notice.md")
    (root / "source" / f"{NOTICE}.md").symlink_to(Path("..") / "drafts" / "notice.md")
    project = load_project(root)
    assert NOTICE in project.docs()
    assert main(["--project", str(root), "segment", "--json"]) == 0
    assert (root / "locales" / "de" / f"{NOTICE}.po").is_file()


def test_source_dir_configured_outside_the_project_is_allowed(tmp_path: Path) -> None:
    shared = tmp_path / "shared-sources"
    shared.mkdir()
    (shared / "note.md").write_text("# A note\n\nOne sentence.\n", encoding="utf-8")
    root = make_project(tmp_path / "p", copy_sources=False, copy_glossary=False)
    config = root / "pyproject.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + f'source-dir = "{shared}"\n', encoding="utf-8"
    )
    project = load_project(root)
    assert project.docs() == ["note"]
    # ... but a link inside it to somewhere else again is not
    (shared / "hosts.md").symlink_to("/etc/hosts")
    with pytest.raises(SourceError, match="outside the project"):
        project.docs()


def test_dangling_link_is_not_a_source(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    os.symlink(tmp_path / "gone.md", root / "source" / "gone.md")
    assert "gone" not in load_project(root).docs()


@pytest.mark.parametrize(
    "setting", ['project-name = ["a"]', "team = { a = 1 }", "reviewer = 5", "base-url = true"]
)
def test_text_settings_of_another_type_are_refused(tmp_path: Path, setting: str) -> None:
    # project-name and team were str()-ed into every new catalog's header ("['a']");
    # reviewer and base-url ignored: approve recorded git's user.name, export asked for one
    from transflow.errors import InputError

    config = tmp_path / "pyproject.toml"
    config.write_text(f'[tool.transflow]\nlocales = ["de"]\n{setting}\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_project(tmp_path)
    key = setting.split(" ")[0]
    assert str(caught.value) == f"{config}:3: [tool.transflow] {key} must be a string"


@pytest.mark.parametrize("section", ["qa", "review", "libretranslate"])
def test_a_settings_section_that_is_not_a_table_is_refused(tmp_path: Path, section: str) -> None:
    # `qa = 5` was read as no settings at all: every disabled check came back, silently
    from transflow.errors import InputError

    config = tmp_path / "pyproject.toml"
    config.write_text(f'[tool.transflow]\nlocales = ["de"]\n{section} = 5\n', encoding="utf-8")
    project = load_project(tmp_path)
    with pytest.raises(InputError) as caught:
        project.tool(section)
    table = f"[tool.transflow.{section}]"
    assert str(caught.value) == f"{config}:3: [tool.transflow] {section} must be a table ({table})"
    assert project.tool("absent") == {}


def test_a_locale_listed_twice_is_refused(tmp_path: Path) -> None:
    # was read as two locales: coverage listed every document twice, export wrote it twice
    from transflow.errors import InputError

    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.transflow]\nlocales = ["de", "fr", "de"]\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_project(tmp_path)
    assert str(caught.value) == f"{config}:2: [tool.transflow] locales lists 'de' twice"
