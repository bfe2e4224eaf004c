"""``transflow check``: planted problems found exactly, exit codes, filters, suppressions, cache."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projects import make_project, put_state, run_cli
from transflow import checking
from transflow.catalog import set_state
from transflow.checking import run_project
from transflow.cli.check import dumps_json
from transflow.config import load_project
from transflow.errors import CatalogError
from transflow.poread import read_po
from transflow.unit import State, word_count
from transflow.update import update_catalogs

NOTICE = "bonn-2025-notice"
LETTER = "bonn-2025-appeal-german-foreign-minister"

# (locale, doc, unit id) → (target, state, translator comment)
TRANSLATIONS: dict[tuple[str, str, str], tuple[str, State, str]] = {
    ("de", NOTICE, "3ede016e"): (
        "ASİMKOM – Materialien der Bonner Konferenz",
        State.REVIEWED,
        "",
    ),
    # planted: a changed number (the 25th became the 26th)
    ("de", NOTICE, "1d67e96e"): (
        "ASİMKOM – das Koordinierungszentrum aserbaidschanischer politischer Flüchtlinge – "
        "hielt am 26. Oktober in Bonn, Deutschland, seine jüngste Konferenz ab.",
        State.REVIEWED,
        "",
    ),
    # planted: a double space
    ("de", NOTICE, "49398fe2"): (
        "Diese Appelle werden jetzt  auf unserer Website veröffentlicht.",
        State.TRANSLATED,
        "",
    ),
    # planted: a forbidden form of the glossary (German writes Alijew)
    ("de", LETTER, "99593e94"): (
        "Das Aliyev-Regime verfolgt seine Kritiker auch im Ausland.",
        State.TRANSLATED,
        "",
    ),
    # planted, but suppressed by the translator with a reason
    ("fr", NOTICE, "49398fe2"): (
        "Ces appels sont maintenant publiés sur notre site",
        State.REVIEWED,
        "qa-ignore: end-punctuation — the sentence continues in the layout",
    ),
}

PLANTED = {
    ("de", NOTICE, "1d67e96e", "numbers", "error"),
    ("de", NOTICE, "49398fe2", "whitespace", "warning"),
    # one misspelt name is one error: the forbidden form (not also the approved form missing)
    ("de", LETTER, "99593e94", "glossary-forbidden", "error"),
    ("fr", NOTICE, "49398fe2", "end-punctuation", "warning"),
}


def fill(root: Path, translations: dict[tuple[str, str, str], tuple[str, State, str]]) -> None:
    """Write targets into the project's catalogs with polib, as a translator's tool would."""
    by_file: dict[Path, list[tuple[str, str, State, str]]] = {}
    for (locale, doc, unit), (target, state, comment) in translations.items():
        path = root / "locales" / locale / f"{doc}.po"
        by_file.setdefault(path, []).append((unit, target, state, comment))
    for path, edits in by_file.items():
        po = polib.pofile(str(path), wrapwidth=78)
        for unit, target, state, comment in edits:
            entry = next(e for e in po if e.msgctxt == unit)
            entry.msgstr = target
            entry.tcomment = comment
            put_state(entry, state)
        po.save(str(path))


def copy_project(root: Path) -> Path:
    make_project(root)
    update_catalogs(load_project(root))  # fresh catalogs: tests own every target
    return root


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("check") / "p")
    fill(root, TRANSLATIONS)
    return root


@pytest.fixture
def project(base: Path, tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(base, root)
    return root


def check_json(root: Path, *args: str) -> tuple[int, list[dict[str, object]]]:
    result = run_cli("check", "--json", *args, cwd=root)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def target_findings(findings: list[dict[str, object]]) -> set[tuple[object, ...]]:
    return {
        (f["locale"], f["doc"], f["unit"], f["check"], f["severity"])
        for f in findings
        if f["locale"] is not None
    }


def test_check_finds_exactly_the_planted_problems(project: Path) -> None:
    code, findings = check_json(project)
    assert target_findings(findings) == PLANTED
    assert code == 1  # two unsuppressed errors
    numbers = next(f for f in findings if f["check"] == "numbers")
    assert "25" in str(numbers["message"])
    forbidden = next(f for f in findings if f["check"] == "glossary-forbidden")
    assert forbidden["term"] == "ilham-aliyev" or "Alijew" in str(forbidden["expected"])
    # Source-side glossary findings have locale null and come once per source unit.
    source = [f for f in findings if f["locale"] is None]
    assert source and all(f["check"] == "glossary-variant" for f in source)
    assert len({(f["doc"], f["unit"], f["span"][0]) for f in source}) == len(source)  # type: ignore[index]


def test_suppressed_finding_is_reported_with_reason_and_does_not_fail(project: Path) -> None:
    code, findings = check_json(project, "--locale", "fr")
    suppressed = [f for f in findings if f["suppressed"]]
    assert [(f["check"], f["suppressed"]) for f in suppressed] == [
        ("end-punctuation", "the sentence continues in the layout")
    ]
    assert code == 0


def test_locale_doc_and_severity_filters(project: Path) -> None:
    code, findings = check_json(project, "--locale", "de", "--doc", NOTICE)
    assert {f["doc"] for f in findings} == {NOTICE}
    assert {f["locale"] for f in findings} <= {"de", None}
    assert code == 1
    code, errors = check_json(project, "--locale", "de", "--severity", "error")
    assert {f["check"] for f in errors} == {"numbers", "glossary-forbidden"}
    _, everything = check_json(project, "--locale", "de", "--severity", "info")
    assert any(f["check"] == "untranslated" for f in everything)
    assert len(everything) > len(findings)


def test_clean_project_exits_0_and_human_output_names_the_problem(project: Path) -> None:
    clean = dict(TRANSLATIONS)
    clean[("de", NOTICE, "1d67e96e")] = (
        "ASİMKOM – das Koordinierungszentrum aserbaidschanischer politischer Flüchtlinge – "
        "hielt am 25. Oktober in Bonn, Deutschland, seine jüngste Konferenz ab.",
        State.REVIEWED,
        "",
    )
    clean[("de", LETTER, "99593e94")] = (
        "Das Alijew-Regime verfolgt seine Kritiker auch im Ausland.",
        State.TRANSLATED,
        "",
    )
    fill(project, clean)
    result = run_cli("check", "--locale", "de", "--locale", "fr", cwd=project)
    assert result.returncode == 0, result.stdout
    assert "whitespace" in result.stdout and "0 errors" in result.stdout


def test_human_output_highlights_and_gives_the_fix(project: Path) -> None:
    result = run_cli("check", "--locale", "de", cwd=project)
    assert result.returncode == 1
    out = result.stdout
    assert f"{LETTER} · de" in out
    assert "Aliyev-Regime" in out and "fix: " in out and "Alijew" in out
    assert "check failed" in out


def test_warm_run_sees_an_edited_catalog(project: Path) -> None:
    _, first = check_json(project, "--locale", "de")
    assert (project / ".transflow" / "cache").is_dir()
    _, again = check_json(project, "--locale", "de")
    assert again == first
    fill(
        project,
        {
            ("de", NOTICE, "3ede016e"): (
                "ASİMKOM – Materialien  der Bonner Konferenz",
                State.REVIEWED,
                "",
            )
        },
    )
    _, after = check_json(project, "--locale", "de")
    new = target_findings(after) - target_findings(first)
    assert new == {("de", NOTICE, "3ede016e", "whitespace", "warning")}


def test_corrupt_cache_is_rebuilt(project: Path) -> None:
    _, first = check_json(project, "--locale", "de")
    for path in (project / ".transflow" / "cache").iterdir():
        path.write_text("{not json", encoding="utf-8")
    _, again = check_json(project, "--locale", "de")
    assert again == first


def test_malformed_po_is_one_line_error_with_file_and_line(project: Path) -> None:
    path = project / "locales" / "de" / f"{NOTICE}.po"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("msgid")) + 20
    lines.insert(number, 'msgstr "unterminated')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("check", cwd=project)
    assert result.returncode == 2
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1
    assert f"locales/de/{NOTICE}.po:{number + 1}:" in message


def test_unknown_locale_and_severity_are_usage_errors(project: Path) -> None:
    result = run_cli("check", "--locale", "xx", cwd=project)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    result = run_cli("check", "--severity", "fatal", cwd=project)
    assert result.returncode == 2 and "severity" in result.stderr
    result = run_cli("check", "--doc", "nope", cwd=project)
    assert result.returncode == 2


def test_list_shows_glossary_and_prose_checks(project: Path) -> None:
    result = run_cli("check", "--list", "--json", cwd=project)
    assert result.returncode == 0
    checks = {c["name"]: c for c in json.loads(result.stdout)}
    assert checks["glossary-forbidden"]["severity"] == "error"
    assert checks["numbers"]["group"] == "qa" and checks["numbers"]["description"]
    human = run_cli("check", "--list", cwd=project)
    assert "glossary-variant" in human.stdout and "repeated-word" in human.stdout
    assert "[tool.transflow.qa]" in human.stdout  # where to configure them, not eaten as markup


def test_fast_reader_agrees_with_polib_on_real_catalogs(base: Path) -> None:
    paths = sorted((base / "locales").rglob("*.po")) + sorted((base / "locales").glob("*.pot"))
    assert paths
    for path in paths:
        mine = [e for e in read_po(path) if not e.is_header]
        theirs = [e for e in polib.pofile(str(path)) if e.msgid or e.msgctxt]
        assert [
            (e.msgctxt, e.msgid, e.msgstr, e.flags, e.tcomment, e.comment, e.obsolete) for e in mine
        ] == [
            (e.msgctxt, e.msgid, e.msgstr, tuple(e.flags), e.tcomment, e.comment, bool(e.obsolete))
            for e in theirs
        ], path


def test_fast_reader_handles_everything_polib_writes(tmp_path: Path) -> None:
    po = polib.POFile(wrapwidth=78)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    long = 'Line one\nline two with "quotes", a \\ backslash and\ta tab. ' * 3
    po.append(
        polib.POEntry(
            msgctxt='ctx "q"',
            msgid=long,
            msgstr="Zeile «eins»\n",
            flags=["fuzzy", "machine"],
            tcomment="qa-ignore: numbers — ok\nsecond line",
            comment="kind: paragraph\nterms: x",
            previous_msgid="old " * 30,
        )
    )
    po.append(polib.POEntry(msgctxt="p", msgid="one", msgid_plural="many", msgstr_plural={0: "a"}))
    po.append(polib.POEntry(msgctxt="o", msgid="gone " * 25, msgstr="weg " * 25, obsolete=True))
    po.append(polib.POEntry(msgid="no context", msgstr=""))
    path = tmp_path / "t.po"
    po.save(str(path))
    entries = [e for e in read_po(path) if not e.is_header]
    assert [e.msgctxt for e in entries] == ['ctx "q"', "p", None, "o"]  # polib: obsolete last
    first = entries[0]
    assert first.msgid == long and first.msgstr == "Zeile «eins»\n"
    assert first.flags == ("fuzzy", "machine") and first.previous_msgid == "old " * 30
    assert first.tcomment == "qa-ignore: numbers — ok\nsecond line"
    assert entries[1].msgid_plural == "many" and entries[1].msgstr == "a"
    assert entries[3].obsolete and entries[3].msgstr == "weg " * 25


def test_warm_cache_is_keyed_on_content_not_size_or_mtime(project: Path) -> None:
    """An edit that keeps the file's size and modification time is still seen."""
    _, first = check_json(project, "--locale", "de")
    assert ("de", NOTICE, "1d67e96e", "numbers", "error") in target_findings(first)
    path = project / "locales" / "de" / f"{NOTICE}.po"
    stat = path.stat()
    data = path.read_bytes()
    fixed = data.replace(b"am 26. Oktober", b"am 25. Oktober")
    assert fixed != data and len(fixed) == len(data)
    path.write_bytes(fixed)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_mtime_ns == stat.st_mtime_ns and path.stat().st_size == stat.st_size
    _, after = check_json(project, "--locale", "de")
    assert target_findings(first) - target_findings(after) == {
        ("de", NOTICE, "1d67e96e", "numbers", "error")
    }
    # and with the cache removed, the same answer
    shutil.rmtree(project / ".transflow" / "cache")
    _, cold = check_json(project, "--locale", "de")
    assert cold == after


def test_warm_run_reads_no_catalog_and_edits_invalidate_only_what_changed(project: Path) -> None:
    config = load_project(project)
    cold = run_project(config)
    assert cold.read > 0
    warm = run_project(config)
    assert warm.read == 0
    assert warm.items == cold.items and warm.counts == cold.counts
    fill(project, {("de", NOTICE, "49398fe2"): ("Diese Appelle.", State.REVIEWED, "")})
    edited = run_project(config)
    # the edited catalog, and every de catalog again for the consistency checks
    assert 1 <= edited.read <= len(config.docs()) + 1
    assert edited.items != cold.items


def test_parallel_run_agrees_with_a_sequential_one(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not hasattr(os, "fork"):
        pytest.skip("no os.fork")
    config = load_project(project)
    sequential = run_project(config, use_cache=False)
    monkeypatch.setattr(checking, "_PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    parallel = run_project(config, use_cache=False)
    assert parallel.items == sequential.items and parallel.counts == sequential.counts
    assert parallel.read == sequential.read
    assert [f.to_json() for f in parallel.findings] == [
        checking.finding_json(raw, locale) for raw, locale in parallel.items
    ]


@pytest.mark.parametrize("which", [0, -1])  # in the parent's half, in the child's half
def test_parallel_run_reports_a_malformed_catalog_like_a_sequential_one(
    project: Path, monkeypatch: pytest.MonkeyPatch, which: int
) -> None:
    if not hasattr(os, "fork"):
        pytest.skip("no os.fork")
    monkeypatch.setattr(checking, "_PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    config = load_project(project)
    doc = config.docs()[which]
    path = project / "locales" / "ru" / f"{doc}.po"
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgid "x"\nmsgstr "unterminated\n')
    with pytest.raises(CatalogError) as error:
        run_project(config, use_cache=False)
    assert f"ru/{doc}.po" in str(error.value)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left behind


def test_fast_json_layout_is_json_dumps_indent_2() -> None:
    finding = {
        "unit": 'a"b\\\n\u00a0é\u2028\x00',
        "doc": "d",
        "locale": None,
        "check": "numbers",
        "severity": "error",
        "message": "„26.“ — “x”",
        "term": None,
        "expected": [],
        "span": [0, 5],
        "suppressed": None,
    }
    samples: list[object] = [
        [],
        {},
        [finding, {"expected": ["a", "b\tc"], "n": -3, "t": True, "f": False, "x": 0.1 + 0.2}],
        {"documents": [{"units": {"new": 1}, "pct": 12.5, "rows": [[1, 2], []]}], "html": None},
        {"nan": float("nan")},
        {1: "non-string key"},
        (1, [2, (3,)]),
        "text",
    ]
    for sample in samples:
        assert dumps_json(sample) == json.dumps(sample, ensure_ascii=False, indent=2)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab1.<>/ \n\t,—«»'-x\u00a0")), max_size=24))
def test_word_count_shortcut_agrees_with_word_count(text: str) -> None:
    assert checking._word_count(text) == word_count(text)


def test_docs_lists_what_source_files_lists(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    config = load_project(project)
    source = config.source_dir
    for name in ("b.md", "a-b.md", "a.md", ".md", "..md", "x.txt", "c.MD"):
        (source / name).write_text("x\n", encoding="utf-8")
    (source / "d.md").mkdir()
    assert config.docs() == [config.doc_id(p) for p in config.source_files()]
    shutil.rmtree(source)
    assert config.docs() == [] == config.source_files()


def test_consistency_across_documents_agrees_with_checking_every_unit(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from transflow.qa import CHECKS, QAConfig, QAUnit, run_checks
    from transflow.qa.consistency import CONSISTENCY_CHECKS

    config = load_project(project)
    notice = polib.pofile(str(project / "locales" / "de" / f"{NOTICE}.po"))
    letter = polib.pofile(str(project / "locales" / "de" / f"{LETTER}.po"))
    units = [e for e in letter if e.msgctxt]
    first = next(e for e in notice if e.msgctxt and e.msgid != units[0].msgid)
    first.msgstr = "Erste Übersetzung."
    put_state(first, State.REVIEWED)
    units[0].msgid, units[0].msgstr = first.msgid, "Zweite Übersetzung."  # inconsistent target
    units[1].msgstr = "Erste Übersetzung."  # inconsistent source
    for entry in (units[0], units[1]):
        set_state(entry, State.TRANSLATED)
    notice.save()
    letter.save()
    sequential = run_project(config, ["de"], use_cache=False)
    monkeypatch.setattr(checking, "_PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    parallel = run_project(config, ["de"], use_cache=False)
    assert parallel.items == sequential.items
    found = {(f.doc, f.unit, f.check) for f in parallel.findings if f.check in CONSISTENCY_CHECKS}
    assert {check for _, _, check in found} == CONSISTENCY_CHECKS
    assert (LETTER, units[1].msgctxt, "inconsistent-source") in found
    # The reference: the consistency checks over every unit of the locale.
    every = []
    for doc in config.docs():
        for e in read_po(project / "locales" / "de" / f"{doc}.po"):
            if not e.is_header and not e.obsolete:
                every.append(
                    QAUnit(e.msgctxt or "", doc, "de", e.msgid, e.msgstr, checking.entry_state(e))
                )
    only = QAConfig(disable=frozenset(set(CHECKS) - CONSISTENCY_CHECKS))
    assert {(f.doc, f.unit, f.check) for f in run_checks(every, only)} == found
