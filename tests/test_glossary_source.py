"""The shipped glossary against the shipped appeals: every name covered, every variant fixed.

Two acceptance checks of the glossary issue live here:

* every proper noun of ``source/`` — a capitalised word that does not start a
  sentence, or an acronym — is covered by a glossary entry (its English form or
  a variant, found with ``Glossary.match``) or by the file's top-level ``ignore``
  list (``transflow glossary missing`` lists the ones that are not);
* ``transflow check --json`` on a copy of the bundled project reports each
  spelling the source itself gets wrong, with the fix ("ASMKOM → ASİMKOM").
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from projects import REPO, make_project, run_cli
from transflow.document import parse_document
from transflow.glossary import Glossary, load_glossary
from transflow.glossary.missing import uncovered_names
from transflow.segment import segment_document
from transflow.unit import Unit

SHIPPED = REPO / "glossary.yaml"
SOURCES = sorted((REPO / "source").glob("*.md"))

pytestmark = pytest.mark.skipif(
    not SHIPPED.exists() or not SOURCES, reason="no shipped glossary.yaml or source/"
)


def source_units() -> Iterator[Unit]:
    """The units of every source document: front matter and Markdown debris already gone."""
    for path in SOURCES:
        units, _ = segment_document(parse_document(path))
        yield from units


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(SHIPPED)


def test_extraction_finds_names_and_skips_what_is_covered(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_text(
        "version: 1\nlocales: [de]\n"
        "# not names\nignore: [Dear, Mr., Ms., Minister, Euro-integration]\n"
        "entries:\n"
        "  - id: aliyev\n    type: person\n    en: Ilham Aliyev\n"
        "    variants: [{form: Aliyev, status: acceptable}]\n"
        "    locales: {de: {approved: Ilham Alijew}}\n"
        "  - id: coe\n    type: institution\n    en: Council of Europe\n"
        "    locales: {de: {approved: Europarat}}\n",
        encoding="utf-8",
    )
    glossary = load_glossary(path)
    assert glossary.ignore == ("Dear", "Mr.", "Ms.", "Minister", "Euro-integration")
    text = (
        "Dear Minister, we met Jane  Doe and Ilham Aliyev’s envoy in Paris. "
        "Yesterday the Council of Europe (Strasbourg) and Mr. Aliyev-affiliated firms "
        "met Mr. Smith. "
        "It discussed Euro-integration with O’Brien/Smith."
    )
    # "Dear", "Yesterday" and "It" start sentences ("Mr. Smith" does not end one);
    # "Minister", "Mr." and "Euro-integration" are ignored; the names of the two entries
    # are covered, possessive and compound included.
    assert uncovered_names(glossary, text) == [
        "Jane  Doe",
        "Paris",
        "Strasbourg",
        "Smith",
        "O’Brien/Smith",
    ]
    # the ignore list is case-sensitive: "Dear" is no licence for "DEAR"
    assert uncovered_names(glossary, "To my DEAR friend.") == ["DEAR"]


def test_every_proper_noun_in_source_is_covered(glossary: Glossary) -> None:
    missing: dict[str, list[str]] = {}
    for unit in source_units():
        for name in uncovered_names(glossary, unit.text):
            missing.setdefault(" ".join(name.split()), []).append(f"{unit.doc}:{unit.line}")
    report = "\n".join(f"  {name}  ({', '.join(where)})" for name, where in sorted(missing.items()))
    assert not missing, (
        "capitalised words in source/ that no glossary entry covers; add an entry or a variant "
        "to glossary.yaml, or, if it is not a name, add it to its 'ignore' list:\n" + report
    )


def test_ignore_list_holds_no_glossary_name(glossary: Glossary) -> None:
    """An ignored word that an entry also matches would hide a name the glossary controls."""
    clashes = {word: [m.entry_id for m in glossary.match(word)] for word in glossary.ignore}
    assert {word: ids for word, ids in clashes.items() if ids} == {}


RUSSIAN_CASES = ("nom", "gen", "dat", "acc", "ins", "pre")


def test_russian_case_maps_are_complete_and_listed(glossary: Glossary) -> None:
    """Every declined Russian name has all six cases, each one a form a target may use."""
    problems = []
    with_cases = 0
    for entry in glossary:
        ru = entry.locales.get("ru")
        if ru is None or not ru.cases:
            continue
        with_cases += 1
        lacking = [case for case in RUSSIAN_CASES if case not in ru.cases]
        unlisted = [form for form in ru.cases.values() if form not in ru.allowed]
        if lacking or unlisted or ru.cases["nom"] != ru.approved:
            problems.append((entry.id, lacking, unlisted))
    assert with_cases >= 20
    assert problems == []
    aliyev = glossary["ilham-aliyev"].locales["ru"].cases
    assert (aliyev["gen"], aliyev["pre"]) == ("Ильхама Алиева", "Ильхаме Алиеве")


# -- transflow check on the bundled appeals ---------------------------------------------

# (entry id, spelling in source/, the fix): the source's own inconsistent spellings.
INCONSISTENT = {
    ("asimkom", "ASMKOM", "ASİMKOM"),
    ("asimkom", "ASIMKOM", "ASİMKOM"),
    ("vugar-rzayev", "Vuqar Rzayev", "Vugar Rzayev"),
    ("punhan-karimli", "Punhan Kerimli", "Punhan Karimli"),
    ("mahammad-mirzali", "Mohammad Mirzali", "Mahammad Mirzali"),
    ("mahammad-mirzali", "Mohammed Mirzali", "Mahammad Mirzali"),
    (
        "coordination-center",
        "Coordination Center of Azerbaijani Political Exiles",
        "Coordination Center of Azerbaijani Political Refugees",
    ),
}


@pytest.fixture(scope="module")
def check_findings(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, object]]:
    root = make_project(tmp_path_factory.mktemp("appeals"))
    segmented = run_cli("segment", cwd=root)
    assert segmented.returncode == 0, segmented.stderr
    checked = run_cli("check", "--json", cwd=root)
    assert checked.returncode in (0, 1), checked.stderr
    findings = json.loads(checked.stdout)
    assert isinstance(findings, list)
    errors = [f for f in findings if f["severity"] == "error"]
    assert checked.returncode == (1 if errors else 0)
    return findings


def test_check_reports_each_inconsistent_source_spelling_with_its_fix(
    check_findings: list[dict[str, object]], glossary: Glossary
) -> None:
    variants = [f for f in check_findings if f["check"] == "glossary-variant"]
    reported = set()
    for f in variants:
        old, arrow, new = str(f["message"]).partition(" → ")
        assert arrow, f
        assert f["locale"] is None and f["severity"] == "warning"
        assert f["unit"] and f["doc"]
        assert f["expected"] == [new] == [glossary[str(f["term"])].en]
        source = (REPO / "source" / f"{f['doc']}.md").read_text(encoding="utf-8")
        assert old in " ".join(source.split()), f
        reported.add((f["term"], old, new))
    assert reported >= INCONSISTENT, sorted(INCONSISTENT - reported)
    # the approved spellings themselves are never flagged
    assert not {new for _, _, new in INCONSISTENT} & {old for _, old, _ in reported}


def test_check_reports_every_occurrence_of_a_corrected_spelling(
    check_findings: list[dict[str, object]], glossary: Glossary
) -> None:
    expected = sorted(
        (unit.doc, unit.id, m.matched)
        for unit in source_units()
        for m in glossary.match(unit.text)
        if m.variant_status == "correct"
    )
    reported = sorted(
        (str(f["doc"]), str(f["unit"]), str(f["message"]).split(" → ")[0])
        for f in check_findings
        if f["check"] == "glossary-variant"
    )
    assert reported == expected
    # every spelling of INCONSISTENT occurs, in every document that uses it
    assert {old for _, old, _ in INCONSISTENT} <= {matched for _, _, matched in expected}
