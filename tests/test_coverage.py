"""``transflow coverage``: numbers agree with msgfmt and pocount; --fail-under; QA errors."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from projects import make_project, run_cli
from test_checking import LETTER, NOTICE, TRANSLATIONS, fill
from transflow.config import load_project
from transflow.coverage import word_count
from transflow.unit import State
from transflow.update import update_catalogs

MIXED = dict(TRANSLATIONS)
MIXED[("de", LETTER, "a5b07d7b")] = (
    "In Aserbaidschan hat das Alijew-Regime die bestehenden demokratischen Institutionen "
    "abgeschafft.",
    State.MACHINE,
    "",
)
MIXED[("de", LETTER, "349b1833")] = (
    "Derzeit läuft in München ein Verfahren gegen ehemalige Mitglieder des Bundestages, "
    "die Bestechungsgelder vom Alijew-Regime erhalten haben sollen.",
    State.MEMORY,
    "",
)
MIXED[("ru", NOTICE, "49398fe2")] = (
    "Эти обращения публикуются на нашем сайте.",
    State.REVIEWED,
    "",
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("coverage") / "p")
    update_catalogs(load_project(root))  # fresh catalogs: tests own every target
    fill(root, MIXED)
    return root


def coverage(root: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = run_cli("coverage", "--json", *args, cwd=root)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def row(data: dict[str, Any], doc: str, locale: str) -> dict[str, Any]:
    return next(r for r in data["documents"] if r["doc"] == doc and r["locale"] == locale)


def test_states_words_and_publishable(project: Path) -> None:
    code, data = coverage(project)
    assert code == 0
    de = row(data, LETTER, "de")
    assert de["units"]["machine"] == 1 and de["units"]["memory"] == 1
    assert de["units"]["translated"] == 1  # the forbidden-form sentence
    assert de["qa_errors"] == 1 and de["publishable"] is False  # one misspelt name, one error
    notice = row(data, NOTICE, "de")
    assert notice["units"]["reviewed"] == 2 and notice["units"]["translated"] == 1
    assert notice["qa_errors"] == 1  # the changed number
    total = data["locales"]["de"]
    assert total["total_units"] == sum(
        r["total_units"] for r in data["documents"] if r["locale"] == "de"
    )
    assert total["qa_errors"] == 2
    reviewed = sum(r["words"]["reviewed"] for r in data["documents"] if r["locale"] == "de")
    assert total["reviewed_percent"] == round(100 * reviewed / total["total_words"], 2)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (gettext) is not installed")
def test_units_agree_with_msgfmt_statistics(project: Path) -> None:
    _, data = coverage(project)
    for r in data["documents"]:
        path = project / "locales" / r["locale"] / f"{r['doc']}.po"
        out = subprocess.run(
            ["msgfmt", "--statistics", "-o", "/dev/null", str(path)],
            capture_output=True,
            text=True,
            check=True,
        ).stderr

        def stat(pattern: str, text: str = out) -> int:
            m = re.search(rf"(\d+) {pattern}", text)
            return int(m.group(1)) if m else 0

        g = r["gettext"]
        assert g["translated"]["units"] == stat("translated message"), path
        assert g["fuzzy"]["units"] == stat("fuzzy translation"), path
        assert g["untranslated"]["units"] == stat("untranslated message"), path


@pytest.mark.skipif(shutil.which("pocount") is None, reason="pocount (translate-toolkit) missing")
def test_words_agree_with_pocount(project: Path) -> None:
    _, data = coverage(project)
    paths = [project / "locales" / r["locale"] / f"{r['doc']}.po" for r in data["documents"]]
    out = subprocess.run(
        ["pocount", "--csv", *map(str, paths)], capture_output=True, text=True, check=True
    ).stdout
    counts = {}
    for line in out.splitlines()[1:]:
        name, *numbers = [x.strip() for x in line.split(",")]
        counts[name] = [int(x) for x in numbers if x]
    for r, path in zip(data["documents"], paths, strict=True):
        translated_units, translated_words, _, fuzzy_units, fuzzy_words, un_units, un_words = (
            counts[str(path)][:7]
        )
        g = r["gettext"]
        assert (g["translated"]["units"], g["translated"]["words"]) == (
            translated_units,
            translated_words,
        )
        assert (g["fuzzy"]["units"], g["fuzzy"]["words"]) == (fuzzy_units, fuzzy_words)
        assert (g["untranslated"]["units"], g["untranslated"]["words"]) == (un_units, un_words)
        assert r["total_words"] == counts[str(path)][8]


WORD_SAMPLES = [
    ("Aliyev’s Euro-integration costs 2.5 million.", 5),
    ("Between 2021 – 2024", 4),  # a spaced dash is a word for pocount
    ("“Meydan TV,” and …", 3),
    ("e.g. this <b>bold</b> text<br/>here", 4),  # "e.g" → " ", leaving a lone "."
    ("U.S. No. 5 (approx.) i.e. «Bakı»", 4),  # "U.S" and "i.e" collapse
    ("", 0),
]


def test_word_count_matches_translate_toolkit_rules() -> None:
    assert [word_count(text) for text, _ in WORD_SAMPLES] == [n for _, n in WORD_SAMPLES]


@pytest.mark.skipif(shutil.which("pocount") is None, reason="pocount (translate-toolkit) missing")
def test_word_count_matches_translate_toolkit_itself() -> None:
    texts = [text for text, _ in WORD_SAMPLES]
    script = (
        "import json, sys\n"
        "from translate.tools.pocount import wordcount\n"
        "print(json.dumps([wordcount(t) for t in json.load(sys.stdin)]))"
    )
    python = Path(shutil.which("pocount") or "").read_text().splitlines()[0].lstrip("#!").strip()
    out = subprocess.run(
        [python.split()[0], "-c", script], input=json.dumps(texts), capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [word_count(t) for t in texts]


def test_fail_under(project: Path) -> None:
    code, data = coverage(project, "--fail-under", "100")
    assert code == 1
    assert set(data["failing_locales"]) == {"az", "de", "fr", "ru"}
    code, data = coverage(project, "--fail-under", "0")
    assert code == 0 and data["failing_locales"] == []
    human = run_cli("coverage", "--fail-under", "50", "--locale", "de", cwd=project)
    assert human.returncode == 1 and "under 50%" in human.stdout
    bad = run_cli("coverage", "--fail-under", "150", cwd=project)
    assert bad.returncode == 2 and "--fail-under" in bad.stderr


@pytest.mark.parametrize("columns", ["100", "140"])
def test_human_table(project: Path, columns: str) -> None:
    """Every document name is on one line from 100 columns up: the bars shrink first."""
    env = {**os.environ, "COLUMNS": columns}
    result = subprocess.run(
        [sys.executable, "-m", "transflow.cli", "coverage"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert LETTER in result.stdout and "total" in result.stdout and "reviewed" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= int(columns)
    docs = sorted(p.stem for p in (project / "source").glob("*.md"))
    for doc in docs:
        assert re.search(rf"\s{re.escape(doc)}\s", result.stdout), doc


def _word_count_piece_by_piece(text: str) -> int:
    """The reference: translate-toolkit's loop over whitespace-separated pieces."""
    from transflow.unit import _ABBREV_DOT, _BR, _PUNCTUATION, _XML_TAG

    if "<" in text:
        text = _XML_TAG.sub("", _BR.sub("\n", text))
    if "." in text:
        text = _ABBREV_DOT.sub(" ", text)
    return sum(1 for piece in text.split() if piece.strip(_PUNCTUATION))


def test_word_count_agrees_with_the_piece_by_piece_count() -> None:
    import random

    from transflow.unit import _PUNCTUATION

    pieces = [*_PUNCTUATION, *"ab1 .–—\u00a0\u202f\t\n\x1c\u2028\u200b\u3000é<>/"]
    pieces += ["<br>", "<b>", " - ", "...", "e.g.", "2.5", "Aliyev’s"]
    rng = random.Random(5)
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        assert word_count(text) == _word_count_piece_by_piece(text), repr(text)


def _findings(root: Path) -> set[tuple[str, str, str, str]]:
    result = run_cli("check", "--json", cwd=root)
    assert result.returncode in (0, 1), result.stderr
    return {(f["doc"], f["locale"] or "", f["unit"], f["check"]) for f in json.loads(result.stdout)}


def test_coverage_runs_only_what_can_be_an_error_and_check_still_sees_everything(
    tmp_path: Path,
) -> None:
    """coverage counts errors only, so it skips warning checks; check must not lose them."""
    root = tmp_path / "p"
    shutil.copytree(make_project(tmp_path / "base"), root)
    update_catalogs(load_project(root))
    fill(root, MIXED)
    expected = _findings(root)  # computed in full (and cached)
    assert any(check == "whitespace" for *_, check in expected)  # a warning to lose
    shutil.rmtree(root / ".transflow" / "cache")
    _, first = coverage(root)  # cold: errors only
    assert first["locales"]["de"]["qa_errors"] == 2
    assert _findings(root) == expected  # the partial cache never passes for a full one
    _, again = coverage(root)  # now from the full cache
    assert again == first


def test_coverage_counts_a_warning_check_configured_as_an_error(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(make_project(tmp_path / "base"), root)
    update_catalogs(load_project(root))
    fill(root, MIXED)
    _, before = coverage(root)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8")
        + '\n[tool.transflow.qa.severity]\nwhitespace = "error"\n',
        encoding="utf-8",
    )
    _, after = coverage(root)
    whitespace = sum(1 for f in _findings(root) if f[3] == "whitespace" and f[1] == "de")
    assert whitespace >= 1
    assert after["locales"]["de"]["qa_errors"] == before["locales"]["de"]["qa_errors"] + whitespace
