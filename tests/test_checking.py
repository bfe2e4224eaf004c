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
from transflow.checking import places, run_project, runner
from transflow.checking.findings import count_words
from transflow.cli.check import dumps_json
from transflow.config import load_project
from transflow.errors import CatalogError
from transflow.finding import Severity
from transflow.poread import read_po, read_po_bytes
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
    assert {f["locale"] for f in findings} == {"de"}  # not the English source's again
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
    assert list(warm.raw()) == list(cold.raw()) and warm.counts == cold.counts
    fill(project, {("de", NOTICE, "49398fe2"): ("Diese Appelle.", State.REVIEWED, "")})
    edited = run_project(config)
    # the edited catalog, and every de catalog again for the consistency checks
    assert 1 <= edited.read <= len(config.docs()) + 1
    assert list(edited.raw()) != list(cold.raw())


def _checks_modules() -> list[Path]:
    """Every module of the packages whose code decides what a run finds, as the files are."""
    import transflow.checking
    import transflow.glossary
    import transflow.qa

    packages = (transflow.checking, transflow.qa, transflow.glossary)
    return [p for pkg in packages for p in sorted(Path(pkg.__path__[0]).glob("*.py"))]


def test_a_changed_checks_module_means_a_cold_run(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An upgraded transflow never reuses results cached by older checks: editing any
    module of ``transflow.checking``, ``transflow.qa`` or ``transflow.glossary`` changes
    the cache key (``runner.code_files`` must not leave one out)."""
    config = load_project(project)
    assert run_project(config).read > 0
    assert run_project(config).read == 0  # warm
    modules = _checks_modules()
    assert {p.parent.name for p in modules} == {"checking", "qa", "glossary"}
    assert {"runner.py", "findings.py", "places.py"} <= {p.name for p in modules}
    read_bytes = Path.read_bytes
    before = runner._code_digest()
    for module in modules:

        def edited(path: Path, module: Path = module) -> bytes:
            data = read_bytes(path)
            return data + b"\n# edited\n" if path == module else data

        monkeypatch.setattr(Path, "read_bytes", edited)
        assert runner._code_digest() != before, module
        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    places_py = Path(places.__file__)
    monkeypatch.setattr(Path, "read_bytes", lambda p: read_bytes(p) + b"#" * (p == places_py))
    assert run_project(config).read > 0  # the edited code's key: nothing cached is used


def test_parallel_run_agrees_with_a_sequential_one(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not hasattr(os, "fork"):
        pytest.skip("no os.fork")
    config = load_project(project)
    sequential = run_project(config, use_cache=False)
    monkeypatch.setattr(runner, "_PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    parallel = run_project(config, use_cache=False)
    assert list(parallel.raw()) == list(sequential.raw())
    assert parallel.counts == sequential.counts and parallel.read == sequential.read
    assert [f.to_json() for f in parallel.findings] == [
        checking.finding_json(raw, locale, path) for raw, locale, path in parallel.raw()
    ]
    for result in (sequential, parallel, run_project(config)):  # the last one warm
        assert list(result.json_texts()) == [
            checking.finding_json_text(raw, locale, path) for raw, locale, path in result.raw()
        ]


@pytest.mark.parametrize("limit", [2048, 3, 1])
def test_the_shared_work_is_cut_between_files_into_at_most_so_many_pieces(
    monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    monkeypatch.setattr(runner, "_QUEUE_PIECES", limit)
    # (name, …, sha at index 6): a source and its catalog share a file, as in a run.
    shas = ["a", "a", "b", "c", "c", "d", "e"]
    jobs: list[runner.Job] = [
        (f"job{i}", "", "", None, "", b"", sha, True, False, "") for i, sha in enumerate(shas)
    ]
    pieces = runner._pieces(jobs)
    assert len(pieces) <= limit
    assert [i for first, end in pieces for i in range(first, end)] == list(range(len(jobs)))
    for first, end in pieces:  # no file is split between two pieces
        assert first == 0 or shas[first] != shas[first - 1]
        assert end == len(shas) or shas[end] != shas[end - 1]


@pytest.mark.parametrize("which", [0, -1])  # in the parent's half, in the child's half
def test_parallel_run_reports_a_malformed_catalog_like_a_sequential_one(
    project: Path, monkeypatch: pytest.MonkeyPatch, which: int
) -> None:
    if not hasattr(os, "fork"):
        pytest.skip("no os.fork")
    monkeypatch.setattr(runner, "_PARALLEL_MIN_BYTES", 0)
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
    assert count_words(text) == word_count(text)


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


def plant_inconsistencies(project: Path) -> str:
    """One sentence translated two ways, and one translation of two sentences, across documents;
    the id of the letter's unit whose source is now inconsistent."""
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
    return str(units[1].msgctxt)


def test_consistency_across_documents_agrees_with_checking_every_unit(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from transflow.qa import CHECKS, QAConfig, QAUnit, run_checks
    from transflow.qa.consistency import CONSISTENCY_CHECKS

    config = load_project(project)
    second = plant_inconsistencies(project)
    sequential = run_project(config, ["de"], use_cache=False)
    monkeypatch.setattr(runner, "_PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    parallel = run_project(config, ["de"], use_cache=False)
    assert list(parallel.raw()) == list(sequential.raw())
    found = {(f.doc, f.unit, f.check) for f in parallel.findings if f.check in CONSISTENCY_CHECKS}
    assert {check for _, _, check in found} == CONSISTENCY_CHECKS
    assert (LETTER, second, "inconsistent-source") in found
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


# -- where to act on a finding ---------------------------------------------------------------


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_every_finding_names_its_po_entry_and_source_line(project: Path) -> None:
    """An editor jumping to ``path:line`` lands on the unit; source findings name the source."""
    code, findings = check_json(project, "--severity", "info")
    assert code == 1 and len(findings) > 100
    assert {f["locale"] for f in findings} == {None, "az", "de", "fr", "ru"}
    files: dict[str, list[str]] = {}
    for f in findings:
        assert isinstance(f["path"], str) and isinstance(f["line"], int), f
        lines = files.setdefault(f["path"], _lines(project / f["path"]))
        assert lines[f["line"] - 1] == f'msgctxt "{f["unit"]}"', f
        if f["locale"] is None:
            assert f["path"] == f"locales/{f['doc']}.pot"
        else:
            assert f["path"] == f"locales/{f['locale']}/{f['doc']}.po"
        # The entry's own reference names the source line, and the source says it there.
        entry = lines[: f["line"]]
        reference = next(line for line in reversed(entry) if line.startswith("#: "))
        assert reference.split()[1] == f"{f['source_path']}:{f['source_line']}", f
        assert f["source_path"] == f"source/{f['doc']}.md"
        source_lines = files.setdefault(f["source_path"], _lines(project / f["source_path"]))
        start = f["source_line"] - 1  # the unit's block: from its line to a blank line
        end = next(
            (i for i in range(start, len(source_lines)) if not source_lines[i].strip()), None
        )
        block = "\n".join(source_lines[start:end])
        if f["locale"] is None:  # the misspelt name is in that block of the source
            assert f["message"].split(" → ")[0] in block, (f, block)


def test_human_output_leads_each_finding_with_path_and_line(project: Path) -> None:
    _, findings = check_json(project)
    result = run_cli("check", cwd=project)
    heads = [
        line.strip()
        for line in result.stdout.splitlines()
        if line.startswith("  ") and ": " in line
    ]
    for f in findings:
        if f["locale"] is None:
            where = f"{f['source_path']}:{f['source_line']}:"
        else:
            where = f"{f['path']}:{f['line']}:"
        assert any(head.startswith(f"{where} {f['unit']} ") for head in heads), (where, heads[:3])


def test_source_findings_with_source_flag_only(project: Path) -> None:
    _, everything = check_json(project)
    source = [f for f in everything if f["locale"] is None]
    german = [f for f in everything if f["locale"] == "de"]
    assert source and german
    _, only_source = check_json(project, "--source")
    assert only_source == source
    _, both = check_json(project, "--locale", "de", "--source")
    assert sorted(map(json.dumps, both)) == sorted(map(json.dumps, source + german))
    _, only_german = check_json(project, "--locale", "de")
    assert only_german == german
    human = run_cli("check", "--locale", "de", cwd=project).stdout
    assert "source (en)" not in human and f"{LETTER} · de" in human


def test_findings_are_read_from_the_cache_only_when_reported(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from transflow.check_cache import CheckCache

    reads: list[object] = []
    original = CheckCache.findings

    def counting(self: CheckCache, blob: object) -> list[tuple[object, ...]]:
        reads.append(blob)
        return original(self, blob)  # type: ignore[arg-type]

    monkeypatch.setattr(CheckCache, "findings", counting)
    config = load_project(project)
    for use_cache in (False, True):  # cold, then warm
        reads.clear()
        result = run_project(config, use_cache=use_cache)
        assert result.blocking_count() == 2 and result.errors(NOTICE, "de") == 1
        assert [blob for blob in reads if blob is not None] == []  # counts need no findings
        shown = list(result.raw())
        read = [blob for blob in reads if blob is not None]
        assert shown and read and len(set(read)) == len(read)  # each catalog's once, on demand
        assert shown == list(result.raw())
        result.close()


@pytest.mark.parametrize("which,args", [("texts", ["--json"]), ("blob", [])])
def test_cache_pack_damaged_under_a_run_is_a_one_line_error(
    project: Path, which: str, args: list[str]
) -> None:
    """The pack is changed in place under a run (``--json`` reads the rendered texts, the
    human output the findings): a one-line error, the pack removed, the next run right."""
    _, first = check_json(project)
    pack = project / ".transflow" / "cache" / "checks-v3.pack"
    cache = runner.Runner(load_project(project), use_cache=True).cache  # the run's key
    blobs = [getattr(cell, which) for cell in cache.cells.values()]
    offsets = [blob[1] for blob in blobs if blob is not None]
    cache.close()
    assert offsets
    data = bytearray(pack.read_bytes())
    data[offsets[0] + 5] ^= 0xFF  # inside one cell's findings: the index still reads
    pack.write_bytes(bytes(data))
    result = run_cli("check", *args, cwd=project)
    assert result.returncode == 2, result.stdout[-500:]
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and "run the command again" in message
    assert ".transflow/cache/checks-v3.pack" in message and not pack.exists()
    _, again = check_json(project)
    assert again == first


@settings(max_examples=300, deadline=None)
@given(
    st.tuples(
        st.integers(0, 500),
        st.text(max_size=10),
        st.sampled_from(["numbers", "glossary-missing"]),
        st.integers(0, 2),
        st.text(max_size=40),
        st.none() | st.text(max_size=10),
        st.lists(st.text(max_size=20), max_size=3).map(tuple),
        st.none() | st.tuples(st.integers(0, 99), st.integers(0, 99)),
        st.none() | st.text(max_size=20),
        st.text(max_size=10),
        st.text(max_size=10),
        st.integers(0, 40),
        st.integers(1, 9999),
        st.none() | st.text(max_size=20),
        st.none() | st.integers(1, 9999),
    ),
    st.none() | st.sampled_from(["de", "fr"]),
    st.text(max_size=30),
)
def test_streamed_json_is_json_dumps_indent_2(
    raw: tuple[object, ...], locale: str | None, path: str
) -> None:
    item = checking.finding_json_text(raw, locale, path)
    expected = json.dumps([checking.finding_json(raw, locale, path)], ensure_ascii=False, indent=2)
    assert "[\n" + item + "\n]" == expected


def test_check_json_output_is_one_json_document_laid_out_like_json_dumps(project: Path) -> None:
    for args in ((), ("--severity", "info"), ("--locale", "de", "--severity", "error")):
        result = run_cli("check", "--json", *args, cwd=project)
        assert (
            result.stdout
            == json.dumps(json.loads(result.stdout), ensure_ascii=False, indent=2) + "\n"
        )
    clean = run_cli("check", "--json", "--locale", "ru", "--severity", "error", cwd=project)
    assert clean.returncode == 0 and clean.stdout == "[]\n"


def test_check_json_prints_every_shown_finding_in_report_order(project: Path) -> None:
    """``--json`` prints stored texts cut at hidden findings, with the consistency findings
    (computed over all documents) put after their unit's own: exactly ``run_project``'s."""
    plant_inconsistencies(project)
    config = load_project(project)
    for severity in ("info", "warning", "error"):
        for _ in ("cold", "warm"):
            result = run_cli("check", "--json", "--severity", severity, cwd=project)
            shown = [
                f.to_json()
                for f in run_project(config).findings
                if f.severity >= Severity.parse(severity)
            ]
            assert json.loads(result.stdout) == shown
    checks = {f["check"] for f in json.loads(run_cli("check", "--json", cwd=project).stdout)}
    assert {"inconsistent-source", "inconsistent-target"} <= checks


_PLACE_LINES = st.sampled_from(
    [
        "#: source/x.md:3",
        "#:  a.md:1 b.md:2",
        "#:",
        "#: ",
        "#: x.md",
        "#: x.md:",
        "#: :5",
        "#: \u2068my file.md\u2069:4",
        "#: naïve.md:2",
        "#: x.md:\u0663",
        "#:\tx.md:7",
        "# approved: A B 2026-01-01T00:00Z 0123456789ab",
        "#. kind: paragraph",
        "#, fuzzy",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.lists(_PLACE_LINES, max_size=4), st.booleans()), min_size=1))
def test_a_finding_s_place_from_the_reader_is_its_place_in_the_file(
    blocks: list[tuple[list[str], bool]],
) -> None:
    """The msgctxt line and first reference the fast reader saw are what the file says."""
    text = "\n".join(
        "\n".join(
            [*lines, *([f'msgctxt "{i:04x}"'] if ctxt else []), f'msgid "s{i}"', 'msgstr "t"']
        )
        + "\n"
        for i, (lines, ctxt) in enumerate(blocks)
    )
    data = text.encode()
    found = places.Lines(data)
    for entry in read_po_bytes(data, Path("t.po")):
        assert found.of(entry) == places.Lines(data).where(entry.line)


@pytest.mark.parametrize(("pieces", "kernel_copy"), [(2048, True), (2, True), (2048, False)])
def test_parallel_run_agrees_with_a_sequential_one_however_the_work_is_shared(
    project: Path, monkeypatch: pytest.MonkeyPatch, pieces: int, kernel_copy: bool
) -> None:
    """The work cut in many pieces or in two, and the child's spill file joining the cache
    through memory where the kernel cannot copy."""
    if not hasattr(os, "fork"):
        pytest.skip("no os.fork")
    config = load_project(project)
    sequential = list(run_project(config, use_cache=False).json_texts())
    monkeypatch.setattr(runner, "_PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(runner, "_QUEUE_PIECES", pieces)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    if not kernel_copy:
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    assert list(run_project(config, use_cache=False).json_texts()) == sequential
    assert list(run_project(config).json_texts()) == sequential  # from the pack it wrote


def test_unwritable_cache_folder_still_checks_and_writes_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Findings spill to an unnamed temporary file instead; the result is the same."""
    import tempfile

    from transflow import check_cache

    config = load_project(project)
    expected = list(run_project(config, use_cache=False).raw())
    shutil.rmtree(project / ".transflow" / "cache")
    cache_dir = str(config.cache_dir)
    original = tempfile.mkstemp

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        if str(kwargs.get("dir")) == cache_dir:
            raise PermissionError(13, "Permission denied", cache_dir)
        return original(*args, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(check_cache.tempfile, "mkstemp", refuse)
    result = run_project(config)
    assert list(result.raw()) == expected
    assert not (config.cache_dir / check_cache.CACHE_FILE).exists()
    assert [p.name for p in config.cache_dir.iterdir() if ".tmp" in p.name] == []


def test_errors_checked_on_load_are_the_blocking_findings_of_a_qa_run(project: Path) -> None:
    """The export checks each document as it loads it (``DocumentErrors``): the same errors,
    in the same order, as ``run_project(errors_only=True)`` — source-side ones made errors
    by the settings, and a suppressed error left out."""
    from transflow.checking.errors import DocumentErrors
    from transflow.export.content import load_sources

    with (project / "pyproject.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[tool.transflow.qa.severity]\nglossary-variant = "error"\n')
    fill(
        project,
        {
            ("ru", NOTICE, "1d67e96e"): (
                "ASİMKOM провёл 26 октября конференцию в Бонне.",
                State.TRANSLATED,
                "qa-ignore: numbers — the date moved",
            )
        },
    )
    loaded = load_project(project)
    expected = run_project(loaded, None, None, errors_only=True, source=True).blocking()
    errors = DocumentErrors(loaded, loaded.locales)
    assert errors.per_document
    sources = load_sources(loaded, loaded.docs(), loaded.locales, errors=errors)
    found = [f for source in sources for f in source.errors or ()]
    assert found == expected
    checks = {(f.locale, f.check) for f in found}
    assert {(None, "glossary-variant"), ("de", "numbers"), ("de", "glossary-forbidden")} <= checks
    assert ("ru", "numbers") not in checks  # suppressed with a reason
    # a consistency check made an error compares every document: not per document
    with (project / "pyproject.toml").open("a", encoding="utf-8") as handle:
        handle.write('inconsistent-target = "error"\n')
    assert not DocumentErrors(load_project(project), ("de",)).per_document
