"""``transflow memory``: earlier work from other tools comes in as TMX and fills new units."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from projects import REPO, make_project, run_cli, snapshot
from samples import GERMAN, OMEGAT_TMX, SENTENCE
from transflow.catalog import approve, get_note
from transflow.config import load_project
from transflow.tmx import import_tmx
from transflow.update import update_catalogs

MINISTER = "bonn-2025-appeal-german-foreign-minister"


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "appeals")
    update_catalogs(load_project(root))
    return root


def test_omegat_tmx_fills_a_new_unit(project_dir: Path, tmp_path: Path) -> None:
    tmx = tmp_path / "omegat-project.tmx"
    tmx.write_text(OMEGAT_TMX, encoding="utf-8")

    result = run_cli("memory", "import", str(tmx), "--json", cwd=project_dir)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["imported"], report["duplicates"], report["units"]) == (2, 0, 3)
    assert report["memory_file"] == "memory/omegat-project.tmx"
    assert report["other_languages"] == ["JA"]  # the Japanese unit is not ours

    stats = json.loads(run_cli("memory", "stats", "--json", cwd=project_dir).stdout)
    de = next(row for row in stats["locales"] if row["locale"] == "de")
    assert de["from_tmx"] == 2

    result = run_cli("pretranslate", "--locale", "de", "--engine", "memory", cwd=project_dir)
    assert result.returncode == 0, result.stderr
    po = polib.pofile(str(project_dir / "locales" / "de" / f"{MINISTER}.po"))
    entry = next(e for e in po if e.msgid == SENTENCE)
    assert entry.msgstr == GERMAN
    assert get_note(entry, "memory") == "100% from tmx:omegat-project.tmx (translated)"


def test_importing_twice_adds_nothing_the_second_time(project_dir: Path, tmp_path: Path) -> None:
    tmx = tmp_path / "omegat-project.tmx"
    tmx.write_text(OMEGAT_TMX, encoding="utf-8")
    assert run_cli("memory", "import", str(tmx), cwd=project_dir).returncode == 0
    before = snapshot(project_dir)

    result = run_cli("memory", "import", str(tmx), cwd=project_dir)

    assert result.returncode == 0, result.stderr
    assert "imported 0 new entries" in result.stdout and "2 already in the memory" in result.stdout
    assert snapshot(project_dir) == before
    stats = json.loads(run_cli("memory", "stats", "--json", cwd=project_dir).stdout)
    assert next(row for row in stats["locales"] if row["locale"] == "de")["from_tmx"] == 2


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_imported_memory_is_tracked_and_survives_make_clean(
    project_dir: Path, tmp_path: Path
) -> None:
    shutil.copy(REPO / ".gitignore", project_dir / ".gitignore")  # the real ignore rules
    tmx = tmp_path / "omegat-project.tmx"
    tmx.write_text(OMEGAT_TMX, encoding="utf-8")
    assert run_cli("memory", "import", str(tmx), cwd=project_dir).returncode == 0

    git = ["git", "-C", str(project_dir)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    tracked = subprocess.run([*git, "ls-files"], capture_output=True, text=True, check=True)
    assert "memory/omegat-project.tmx" in tracked.stdout.splitlines()
    ignored = subprocess.run([*git, "check-ignore", "-q", "memory/omegat-project.tmx"])
    assert ignored.returncode == 1  # not ignored

    shutil.rmtree(project_dir / ".transflow")  # `make clean`
    result = run_cli("pretranslate", "--locale", "de", "--engine", "memory", cwd=project_dir)
    assert result.returncode == 0, result.stderr
    po = polib.pofile(str(project_dir / "locales" / "de" / f"{MINISTER}.po"))
    assert next(e for e in po if e.msgid == SENTENCE).msgstr == GERMAN


def test_reimporting_the_projects_own_export_adds_nothing(tmp_path: Path) -> None:
    """German went from 33 to 66 entries after importing its own export."""
    root = make_project(tmp_path / "appeals")
    shutil.copytree(REPO / "locales", root / "locales")  # the real, translated catalogs
    out = tmp_path / "de.tmx"

    def german_entries() -> int:
        stats = json.loads(run_cli("memory", "stats", "--json", cwd=root).stdout)
        return int(next(row for row in stats["locales"] if row["locale"] == "de")["entries"])

    before = german_entries()
    assert before > 0
    assert run_cli("memory", "export", str(out), "--locale", "de", cwd=root).returncode == 0
    result = run_cli("memory", "import", str(out), "--json", cwd=root)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["imported"] == 0
    assert german_entries() == before


def test_dates_and_user_ids_survive_import_and_export(project_dir: Path, tmp_path: Path) -> None:
    tmx = tmp_path / "omegat-project.tmx"
    tmx.write_text(OMEGAT_TMX, encoding="utf-8")
    assert run_cli("memory", "import", str(tmx), cwd=project_dir).returncode == 0
    out = tmp_path / "export.tmx"
    assert run_cli("memory", "export", str(out), "--locale", "de", cwd=project_dir).returncode == 0
    [entry] = [e for e in import_tmx(out) if e.source == SENTENCE]
    assert entry.who == ("20250301T090000Z", "jonas", "20250302T101500Z", "anna")


def test_export_writes_reviewed_work_as_tmx(project_dir: Path, tmp_path: Path) -> None:
    path = project_dir / "locales" / "de" / f"{MINISTER}.po"
    po = polib.pofile(str(path), wrapwidth=78)
    entry = next(e for e in po if e.msgid == SENTENCE)
    entry.msgstr, entry.flags = "Mehr als 40 Journalisten sind inhaftiert.", []
    approve(entry, "Anna Schmidt <anna@example.org>")
    po.save(str(path))
    out = tmp_path / "export.tmx"

    result = run_cli("memory", "export", str(out), "--reviewed-only", cwd=project_dir)

    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.count("<tu>") == 1 and 'xml:lang="de"' in text and SENTENCE in text


@pytest.mark.parametrize(
    ("doctype", "line"),
    [
        ('<!DOCTYPE tmx [\n<!ENTITY lol "lol">\n]>', 3),
        ('<!DOCTYPE tmx SYSTEM "tmx11.dtd" [\n<!ENTITY x SYSTEM "file:///etc/passwd">\n]>', 3),
        ('<!DOCTYPE tmx SYSTEM "tmx11.dtd">\n<!-- unclosed body -->', None),
    ],
)
def test_unsafe_or_malformed_tmx_is_one_line_and_changes_nothing(
    project_dir: Path, tmp_path: Path, doctype: str, line: int | None
) -> None:
    bad = tmp_path / "bad.tmx"
    text = OMEGAT_TMX.replace('<!DOCTYPE tmx SYSTEM "tmx11.dtd">', doctype)
    bad.write_text(text if line else text.replace("</body>", ""), encoding="utf-8")
    before = snapshot(project_dir)
    result = run_cli("memory", "import", str(bad), cwd=project_dir)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and f"bad.tmx:{line or ''}" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project_dir) == before


def test_a_file_where_the_memory_folder_belongs_is_named(project_dir: Path, tmp_path: Path) -> None:
    # was "transflow: error: memory: File exists"
    tmx = tmp_path / "omegat-project.tmx"
    tmx.write_text(OMEGAT_TMX, encoding="utf-8")
    (project_dir / "memory").write_text("notes\n", encoding="utf-8")
    before = snapshot(project_dir)
    result = run_cli("memory", "import", str(tmx), cwd=project_dir)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "memory: is a file, not the translation memory's folder" in result.stderr
    assert snapshot(project_dir) == before
