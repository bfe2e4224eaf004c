"""What the commands print holds for any data: no markup, no emoji, no terminal control.

Issue 13 point 7 and issue 12 point 7: a sentence, a glossary variant or a file
name containing ``[/]`` must not crash a command; ``glossary.yaml:100:`` must not
become an emoji; escape sequences in a target are shown, never sent to the
terminal; document names in tables are broken only after a hyphen at 80 columns;
``--html`` and ``memory export`` into a missing folder both create it and say so;
``pretranslate --json`` draws no progress bar.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from projects import make_project, run_cli
from transflow.cli import main
from transflow.config import load_project
from transflow.update import update_catalogs

NOTICE = "bonn-2025-notice"
MARKUP = "Appeal [/] of [bold]ASIMKOM[/bold] at :100: and [red]"
ESCAPES = "\x1b[2J\x1b]0;pwned\x07Cleared"


@pytest.fixture
def project_dir(segmented_project: Path) -> Path:
    return segmented_project


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_segments_prints_markup_and_emoji_codes_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "markup.md"
    source.write_text(f"# Title [/]\n\n{MARKUP}.\n", encoding="utf-8")
    code, out, err = cli(capsys, "segments", str(source))
    assert code == 0, err
    assert "Title [/]" in out
    assert f"{MARKUP}." in out  # not styled, not an emoji, not a MarkupError


def test_segments_refuses_escape_sequences_in_a_source_without_sending_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a terminal escape is never text: it would reach every catalog and every export
    source = tmp_path / "escapes.md"
    source.write_text(f"Title\n\nA sentence {ESCAPES} here.\n", encoding="utf-8")
    code, out, err = cli(capsys, "segments", str(source))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "\x1b" not in err and "\x07" not in err
    assert f"{source}:3: control character \\x1b" in err


def test_error_naming_a_file_never_carries_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = tmp_path / "evil\x1b[2J\nname.md"
    code, _, err = cli(capsys, "segments", str(name))
    assert code == 2
    assert err.count("\n") == 1 and "\x1b" not in err
    assert r"evil\x1b[2J\nname.md" in err


def _glossary_with_variant(root: Path, variant: str) -> None:
    path = root / "glossary.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = "  - id: asimkom\n"
    assert anchor in text
    start = text.index(anchor)
    variants = text.index("    variants:\n", start) + len("    variants:\n")
    line = f'      - {{form: "{variant}", status: acceptable}}\n'
    path.write_text(text[:variants] + line + text[variants:], encoding="utf-8")


def test_glossary_show_prints_a_variant_with_markup(
    project_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _glossary_with_variant(project_dir, "ASIMKOM [/] :100:")
    code, out, err = cli(capsys, "--project", str(project_dir), "glossary", "show", "asimkom")
    assert code == 0, err
    assert "ASIMKOM [/] :100:" in out


def test_glossary_usage_prints_sentences_with_markup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path / "p", sources={"markup.md": f"ASIMKOM writes {MARKUP}.\n"})
    update_catalogs(load_project(root))
    code, out, err = cli(capsys, "--project", str(root), "glossary", "usage", "asimkom")
    assert code == 0, err
    assert f"ASIMKOM writes {MARKUP}." in out


def test_glossary_lint_line_100_is_not_an_emoji(
    project_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project_dir / "glossary.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i in range(99, len(lines)) if lines[i].startswith("  - id: "))
    lines[at] = lines[at].replace("  - id: ", "  - id: Bad_Id_", 1)
    # Put the bad entry on line 100 exactly: drop comments and `ignore` words above it.
    removable = [
        i for i in range(at) if lines[i].lstrip().startswith("#") or lines[i].startswith("  - ")
    ]
    for i in reversed(removable[: at - 99]):
        del lines[i]
    path.write_text("".join(lines), encoding="utf-8")
    code, out, _ = cli(capsys, "--project", str(project_dir), "glossary", "lint")
    assert code == 2
    assert "glossary.yaml:100:" in out and "\U0001f4af" not in out


def test_check_shows_escapes_in_a_target(
    project_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project_dir / "locales" / "de" / f"{NOTICE}.po"
    po = polib.pofile(str(path))
    entry = next(e for e in po if "ASIMKOM" in e.msgid and not e.obsolete)
    entry.msgstr = f"{ESCAPES} ASIMKOM"
    entry.flags = []
    po.save(str(path))
    code, out, err = cli(capsys, "--project", str(project_dir), "check", "--locale", "de")
    assert code == 1, err  # the name is missing from the target: an error finding
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert r"\x1b[2J" in out


def test_coverage_html_named_with_markup(
    project_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project_dir)
    code, out, err = cli(capsys, "coverage", "--html", "[/]x.html")
    assert code == 0, err
    assert (project_dir / "[/]x.html").is_file()
    assert "[/]x.html" in out


def test_html_and_memory_export_into_a_missing_folder_say_what_they_did(
    project_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project_dir)
    code, out, err = cli(capsys, "coverage", "--html", "reports/new/coverage.html")
    assert code == 0, err
    assert (project_dir / "reports/new/coverage.html").is_file()
    assert "created folder reports/new" in out
    code, out, err = cli(capsys, "memory", "export", "exports/tm/all.tmx")
    assert code == 0, err
    assert (project_dir / "exports/tm/all.tmx").is_file()
    assert "created folder exports/tm" in out
    code, out, err = cli(capsys, "glossary", "export", "--format", "csv", "--out", "terms/g.csv")
    assert code == 0, err
    assert (project_dir / "terms/g.csv").is_file()
    assert "created folder terms" in out
    # with --json, the same facts as fields
    code, out, err = cli(capsys, "memory", "export", "more/tm.tmx", "--json")
    assert code == 0, err
    assert json.loads(out)["created_folder"] == "more"
    code, out, err = cli(capsys, "coverage", "--json", "--html", "more/html/c.html")
    assert code == 0, err
    assert json.loads(out)["created_folder"] == "more/html"


def _whole_pieces(name: str) -> set[str]:
    """Every run of consecutive hyphen-ended pieces of ``name``: what a line may hold."""
    pieces = re.findall(r"[^-]+-?", name)
    return {"".join(pieces[i:j]) for i in range(len(pieces)) for j in range(i + 1, len(pieces) + 1)}


def _broken_mid_word(output: str, names: list[str]) -> list[str]:
    """Fragments of document names in ``output`` that are not made of whole pieces."""
    allowed = set().union(*(_whole_pieces(name) for name in names))
    return [
        token
        for token in re.findall(r"[a-z0-9][a-z0-9-]*", output)
        if len(token) > 2
        and re.search("[a-z]", token)
        and any(token in name for name in names)
        and token not in allowed
    ]


@pytest.mark.parametrize("command", ["segment", "coverage"])
def test_tables_at_80_columns_break_names_only_after_a_hyphen(
    project_dir: Path, command: str
) -> None:
    names = sorted(p.stem for p in (project_dir / "source").glob("*.md"))
    result = subprocess.run(
        [sys.executable, "-m", "transflow.cli", command],
        cwd=project_dir,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert _broken_mid_word(result.stdout, names) == [], result.stdout
    assert "bonn-2025-notice" in result.stdout


def test_pretranslate_json_draws_no_progress_bar(project_dir: Path) -> None:
    result = run_cli("pretranslate", "--locale", "de", "--json", cwd=project_dir)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert json.loads(result.stdout)["locales"][0]["locale"] == "de"


@pytest.mark.parametrize(
    "piece",
    [
        "plain Übersetzung „so“",
        "tab\there and\tthere",
        "漢字\tthen a tab after wide characters",
        "bell\x07 back\x08 cr\r vt\x0b ff\x0c",
        "escape \x1b[2J and OSC \x1b]0;title\x07 and C1 \x9b",
        "line one\nline\ttwo",
        "trailing spaces   ",
    ],
)
def test_unstyled_report_output_is_what_rich_prints(piece: str) -> None:
    """Reports (findings, export decisions) printed to a file or pipe skip Rich; the text is
    what Rich would print."""
    import io

    from rich.text import Text

    from transflow.cli._output import _SafeConsole, print_lines

    lines = [[("  ", ""), ("x.po:3:", "bold"), (f" {piece}", "dim")], [], [(piece, "green")]]
    rich_out, fast_out = io.StringIO(), io.StringIO()
    by_rich = _SafeConsole(file=rich_out, color_system=None, highlight=False, markup=False)
    by_rich.print(Text("\n").join(Text.assemble(*line) for line in lines), soft_wrap=True)
    fast = _SafeConsole(file=fast_out, color_system=None, highlight=False, markup=False)
    print_lines(fast, [list(line) for line in lines])
    assert fast_out.getvalue() == rich_out.getvalue()
    assert "\x1b" not in fast_out.getvalue()
