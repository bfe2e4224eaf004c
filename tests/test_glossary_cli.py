"""``transflow glossary lint|list|show|add|usage`` through the real command line frame."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest

from transflow.cli import main
from transflow.glossary import load_glossary

FIXTURE = Path(__file__).parent / "data" / "glossary" / "glossary.yaml"

PYPROJECT = """\
[project]
name = "appeals"
version = "0"

[tool.transflow]
locales = ["az", "de", "fr", "ru"]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    shutil.copy(FIXTURE, tmp_path / "glossary.yaml")
    return tmp_path


def run(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--project", str(project), "glossary", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_lint_clean(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(project, capsys, "lint")
    assert code == 0
    assert out.strip() == "glossary.yaml: 8 entries, no problems"
    code, out, _ = run(project, capsys, "lint", "--json")
    assert code == 0
    assert json.loads(out) == {"path": "glossary.yaml", "entries": 8, "problems": []}


def test_lint_problems_exit_2_with_file_and_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project / "glossary.yaml"
    text = path.read_text(encoding="utf-8").replace("  - id: aliyev\n", "  - id: ilham-aliyev\n")
    path.write_text(text, encoding="utf-8")
    code, out, _ = run(project, capsys, "lint")
    assert code == 2
    assert "glossary.yaml:44: duplicate id 'ilham-aliyev' (first defined at line 9)" in out
    code, out, _ = run(project, capsys, "lint", "--json")
    data = json.loads(out)
    assert code == 2
    assert {"path": "glossary.yaml", "line": 44} | {"message": data["problems"][0]["message"]} in (
        data["problems"]
    )


def test_malformed_glossary_is_one_line_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "glossary.yaml").write_text("version: 1\nentries:\n  - id: [x\n", encoding="utf-8")
    code, out, err = run(project, capsys, "list")
    assert code == 2
    assert out == ""
    [line] = err.strip().splitlines()
    assert "glossary.yaml:" in line and "malformed YAML" in line


def test_list_and_filter(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(project, capsys, "list", "--type", "outlet", "--json")
    assert code == 0
    data = json.loads(out)
    assert [e["id"] for e in data] == ["rferl", "meydan-tv"]
    assert data[1]["approved"]["ru"] == "Meydan TV"
    code, out, _ = run(project, capsys, "list")
    assert code == 0
    assert "ilham-aliyev" in out and "Ильхам" in out and "Алиев" in out


def test_show(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(project, capsys, "show", "ilham-aliyev", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["en"] == "Ilham Aliyev"
    assert data["locales"]["ru"]["cases"]["gen"] == "Ильхама Алиева"
    code, out, err = run(project, capsys, "show", "nobody")
    assert code == 2 and "no entry with id 'nobody'" in err


def test_add_appends_and_refuses_duplicates(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project / "glossary.yaml"
    before = path.read_text(encoding="utf-8")
    args = [
        "add",
        "toplum-tv",
        "--type",
        "outlet",
        "--en",
        "Toplum TV",
        "--keep-untranslated",
        "--locale-form",
        "az=Toplum TV",
        "--locale-form",
        "az=Toplum TV-nin",
        "--locale-form",
        "ru=Toplum TV",
        "--forbidden",
        "ru=Топлум ТВ",
        "--correct",
        "ToplumTV",
        "--note",
        "Independent online TV.",
        "--json",
    ]
    code, out, _ = run(project, capsys, *args)
    assert code == 0
    data = json.loads(out)
    assert data["added"]["id"] == "toplum-tv"
    assert data["added"]["locales"]["az"]["forms"] == ["Toplum TV", "Toplum TV-nin"]
    # de and fr were not given: the command says so (lint would too)
    assert any("locale 'de' missing" in w["message"] for w in data["warnings"])
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before.split("# end of entries")[0])
    entry = load_glossary(path)["toplum-tv"]
    assert entry.keep_untranslated and entry.locales["ru"].forbidden == ("Топлум ТВ",)
    code, _, err = run(project, capsys, *args)
    assert code == 2 and "'toplum-tv' already exists" in err


def test_add_rejects_bad_locale_form(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        project, capsys, "add", "x", "--type", "other", "--en", "X", "--locale-form", "deX"
    )
    assert code == 2 and "LOCALE=FORM" in err


def write_po(path: Path, entries: list[tuple[str, str, str]], line: int = 3) -> None:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for n, (unit, source, target) in enumerate(entries):
        po.append(
            polib.POEntry(
                msgctxt=unit,
                msgid=source,
                msgstr=target,
                occurrences=[("source/appeal.md", str(line + n))],
            )
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))


def test_usage_counts_satisfied_and_violated_targets(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    units = [
        ("u1", "We urge Ilham Aliyev to act.", ""),
        ("u2", "Meydan TV reported.", ""),
        ("u3", "The regime of Ilham Aliyev persists.", ""),
    ]
    write_po(project / "locales" / "appeal.pot", units)
    ru = [
        ("u1", units[0][1], "Мы призываем Ильхама Алиева действовать."),
        ("u2", units[1][1], "Meydan TV сообщил."),
        ("u3", units[2][1], "Режим Ильхама Алиэва сохраняется."),
    ]
    write_po(project / "locales" / "ru" / "appeal.po", ru)
    de = [("u1", units[0][1], "Wir fordern Ilham Alijew auf."), ("u3", units[2][1], "")]
    write_po(project / "locales" / "de" / "appeal.po", de)
    code, out, _ = run(project, capsys, "usage", "ilham-aliyev", "--json")
    assert code == 0
    data = json.loads(out)
    [doc] = data["documents"]
    assert doc["doc"] == "appeal"
    assert [(u["unit"], u["line"]) for u in doc["units"]] == [("u1", 3), ("u3", 5)]
    assert data["totals"]["ru"] == {"satisfied": 1, "violated": 1, "untranslated": 0}
    assert data["totals"]["de"] == {"satisfied": 1, "violated": 0, "untranslated": 1}
    assert data["totals"]["fr"] == {"satisfied": 0, "violated": 0, "untranslated": 2}
    assert [v["unit"] for v in doc["locales"]["ru"]["violations"]] == ["u3"]
    code, out, _ = run(project, capsys, "usage", "ilham-aliyev")
    assert code == 0 and "u3" in out and "ru" in out
