"""Glossary maintenance: add, edit, rename, remove, missing, export — and nothing else touched.

Every command runs through the real command line frame (``transflow.cli.main``)
on a copy of the bundled project; every refusal is one line on stderr naming the
file (and the entry's line), exit 2, and leaves the file as it was.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from transflow.cli import main
from transflow.glossary import lint_glossary, load_glossary

REPO = Path(__file__).resolve().parents[1]
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def project(segmented_project: Path) -> Path:
    """A fresh copy of the segmented bundled project (conftest builds it once a session)."""
    return segmented_project


def run(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--project", str(project), "glossary", *args])
    out, err = capsys.readouterr()
    return code, out, err


def refused(project: Path, capsys: pytest.CaptureFixture[str], *args: str, words: str) -> str:
    """Run a command that must be refused: exit 2, one line naming the file, nothing written."""
    path = project / "glossary.yaml"
    before = path.read_bytes()
    code, out, err = run(project, capsys, *args)
    assert code == 2, (args, out, err)
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert "glossary.yaml" in err and words in err, err
    assert path.read_bytes() == before
    return err


def comments_and_key_order(text: str) -> tuple[list[str], list[list[str]]]:
    """Every comment line, and the key order of every entry (entry and locale keys)."""
    comments = [line.strip() for line in text.splitlines() if line.lstrip().startswith("#")]
    orders: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("  - id:"):
            orders.append([])
        match = re.match(
            r"^ {4}(type|en|variants|keep-untranslated|locales|note|references|unverified"
            r"|  az|  de|  fr|  ru):",
            line,
        )
        if match and orders:
            orders[-1].append(match.group(1))
    return comments, orders


# -- add ----------------------------------------------------------------------------------


def test_add_refuses_an_id_that_is_not_a_slug(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for bad in ("Bad_Id", "meydan tv", "münchen", "x-", "a--b"):
        refused(project, capsys, "add", bad, "--type", "place", "--en", "X", words="not a valid id")
    err = refused(project, capsys, "add", "Bad_Id", "--type", "place", "--en", "X", words="slug")
    assert "'bad-id'" in err  # a suggestion the maintainer can copy


def test_a_new_entry_starts_with_every_locale_unverified(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        project, capsys, "add", "strasbourg", "--type", "place", "--en", "Strasbourg",
        "--locale-form", "de=Straßburg", "--variant", "Strasburg", "--json",
    )  # fmt: skip
    assert code == 0
    added = json.loads(out)["added"]
    assert added["unverified"] == ["az", "de", "fr", "ru"]
    # a --variant is another spelling of the same name: rendered like 'en'
    assert added["variants"] == [{"form": "Strasburg", "status": "acceptable", "same": True}]
    entry = load_glossary(project / "glossary.yaml")["strasbourg"]
    assert entry.rendering("de", "Strasburg").approved == "Straßburg"  # type: ignore[union-attr]


# -- edit ---------------------------------------------------------------------------------


def test_edit_changes_forms_in_one_locale_and_keeps_every_other_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project / "glossary.yaml"
    before = path.read_text(encoding="utf-8")
    code, out, _ = run(
        project, capsys, "edit", "ilham-aliyev", "--locale", "de",
        "--add-form", "Ilham Alijews", "--add-forbidden", "Ilham Alijev", "--json",
    )  # fmt: skip
    assert code == 0
    edited = json.loads(out)["edited"]
    assert "Ilham Alijews" in edited["locales"]["de"]["forms"]
    assert edited["locales"]["de"]["forbidden"][-1] == "Ilham Alijev"
    after = path.read_text(encoding="utf-8")
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert len(changed) == 2  # the two lines of the German forms, nothing else
    assert all(
        b.startswith(("        forms: [Ilham", "        forbidden: [Ilham")) for _, b in changed
    )

    # approved form, an inflection removed, a case form, verified — one command
    code, _, _ = run(
        project, capsys, "edit", "baku", "--locale", "ru", "--approved", "Баку",
        "--add-form", "Бакы", "--case", "nom=Баку", "--verified", "ru",
    )  # fmt: skip
    assert code == 0
    code, _, _ = run(project, capsys, "edit", "baku", "--locale", "ru", "--remove-form", "Бакы")
    assert code == 0
    baku = load_glossary(path)["baku"]
    assert baku.locales["ru"].forms == ("Баку",) and baku.locales["ru"].cases == {"nom": "Баку"}
    assert baku.unverified == ()
    # a variant with its own rendering, then left to MT in one locale
    code, _, _ = run(
        project, capsys, "edit", "baku", "--add-variant", "Baku City", "--locale", "de",
        "--variant-target", "Baku City=Stadt Baku",
    )  # fmt: skip
    assert code == 0
    assert lint_glossary(path) == []  # the other locales start as null: left to MT
    baku = load_glossary(path)["baku"]
    assert baku.rendering("de", "Baku City").approved == "Stadt Baku"  # type: ignore[union-attr]
    assert baku.rendering("fr", "Baku City") is None
    for target, expected in (("Bakou-Ville", "Bakou-Ville"), ("", None)):
        code, _, _ = run(
            project, capsys, "edit", "baku", "--locale", "fr", "--variant-target",
            f"Baku City={target}",
        )  # fmt: skip
        assert code == 0
        rendering = load_glossary(path)["baku"].rendering("fr", "Baku City")
        assert (rendering.approved if rendering else None) == expected
    code, _, _ = run(project, capsys, "edit", "baku", "--remove-variant", "Baku City")
    assert code == 0 and lint_glossary(path) == []


def test_edits_keep_every_comment_and_the_key_order(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project / "glossary.yaml"
    before = path.read_text(encoding="utf-8")
    for args in (
        ("edit", "aliyev", "--locale", "fr", "--add-form", "les Aliev"),
        ("edit", "aliyev", "--note", "A shorter note."),
        ("edit", "socar", "--en", "SOCAR", "--add-correct", "SOKAR"),
        ("edit", "turkey", "--remove-variant", "Türkiye", "--add-spelling", "Turkiye"),
        ("edit", "germany", "--locale", "de", "--variant-target", "FRG=BRD"),
        ("rename", "euro-atlantic", "euroatlantic", "--force"),
        ("remove", "munich", "--force"),
    ):
        code, _, err = run(project, capsys, *args)
        assert code == 0, (args, err)
    after = path.read_text(encoding="utf-8")
    old_comments, old_orders = comments_and_key_order(before)
    new_comments, new_orders = comments_and_key_order(after)
    assert new_comments == old_comments
    munich = [
        i for i, line in enumerate(re.findall(r"(?m)^  - id: (\S+)", before)) if line == "munich"
    ]
    del old_orders[munich[0]]
    assert new_orders == old_orders
    assert lint_glossary(path) == []
    assert "euroatlantic" in load_glossary(path) and "munich" not in load_glossary(path)


def test_edit_refusals(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    refused(project, capsys, "edit", "nobody", "--note", "x", words="no entry with id 'nobody'")
    refused(project, capsys, "edit", "baku", words="nothing to change")
    refused(project, capsys, "edit", "baku", "--add-form", "Bakou", words="--locale")
    refused(
        project, capsys, "edit", "baku", "--locale", "xx", "--add-form", "X",
        words="not in the glossary's locales",
    )  # fmt: skip
    err = refused(
        project, capsys, "edit", "baku", "--locale", "de", "--remove-form", "Bakuu",
        words="no form 'Bakuu' to remove",
    )  # fmt: skip
    line = load_glossary(project / "glossary.yaml")["baku"].line
    assert f"glossary.yaml:{line}:" in err  # the entry's line
    refused(
        project, capsys, "edit", "baku", "--locale", "fr", "--add-form", "Baku",
        words="'Baku' is both allowed and forbidden",
    )  # fmt: skip
    refused(
        project, capsys, "edit", "baku", "--locale", "de", "--remove-form", "Baku",
        words="is the approved form",
    )  # fmt: skip
    refused(
        project, capsys, "edit", "baku", "--locale", "de", "--case", "xyz=Baku",
        words="unknown case 'xyz'",
    )  # fmt: skip
    refused(
        project, capsys, "edit", "ilham-aliyev", "--locale", "de", "--variant-target",
        "Ilham Aliev=X", words="misspelling",
    )  # fmt: skip
    refused(project, capsys, "edit", "baku", "--verified", "de", words="not marked unverified")


# -- rename / remove ------------------------------------------------------------------------


def test_rename_and_remove_refuse_while_catalogs_use_the_entry(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = refused(project, capsys, "remove", "bonn", words="not removed 'bonn'")
    assert "catalog units use it" in err and "--force" in err
    refused(project, capsys, "rename", "bonn", "bonn-city", words="not renamed 'bonn'")
    refused(project, capsys, "rename", "bonn", "Bonn City", words="not a valid id")
    refused(project, capsys, "rename", "bonn", "baku", "--force", words="'baku' already exists")
    refused(project, capsys, "remove", "nobody", words="no entry with id 'nobody'")
    code, out, _ = run(project, capsys, "rename", "bonn", "bonn-city", "--force", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["renamed"], data["to"]) == ("bonn", "bonn-city") and len(data["uses"]) >= 4
    code, out, _ = run(project, capsys, "remove", "bonn-city", "--force")
    assert code == 0 and "removed bonn-city" in out
    glossary = load_glossary(project / "glossary.yaml")
    assert "bonn" not in glossary and "bonn-city" not in glossary


def test_an_unused_entry_is_removed_without_force(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = run(project, capsys, "add", "strasbourg", "--type", "place", "--en", "Strasbourg")
    assert code == 0
    code, out, _ = run(project, capsys, "remove", "strasbourg", "--json")
    assert code == 0 and json.loads(out)["uses"] == []
    assert (project / "glossary.yaml").read_text(encoding="utf-8") == (
        REPO / "glossary.yaml"
    ).read_text(encoding="utf-8")  # add then remove: the file is as it was, byte for byte


# -- missing ------------------------------------------------------------------------------


def test_missing_lists_uncovered_names_and_acronyms_with_their_place(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(project, capsys, "missing", "--json")
    assert code == 0 and json.loads(out) == []  # the shipped glossary covers the appeals
    notice = project / "source" / "bonn-2025-notice.md"
    notice.write_text(
        notice.read_text(encoding="utf-8")
        + "\nThe OSCE and Jane Doe of Amnesty International wrote to us. NATO replied.\n",
        encoding="utf-8",
    )
    code, out, _ = run(project, capsys, "missing", "--json")
    assert code == 0
    found = {n["name"]: n for n in json.loads(out)}
    assert set(found) == {"OSCE", "Jane Doe", "Amnesty International", "NATO"}
    lines = notice.read_text(encoding="utf-8").splitlines()
    place = found["NATO"]["places"][0]
    assert place["path"] == "source/bonn-2025-notice.md"
    assert "NATO" in lines[place["line"] - 1]  # an acronym counts even at a sentence start
    code, out, _ = run(project, capsys, "missing")
    assert code == 0 and "Jane Doe" in out and "source/bonn-2025-notice.md:" in out


# -- export -------------------------------------------------------------------------------


def test_export_tbx_has_the_tbx_shape(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = project / "glossary.tbx"
    code, out, _ = run(
        project, capsys, "export", "--format", "tbx", "--out", str(out_file), "--json"
    )
    assert code == 0 and json.loads(out)["entries"] == 61
    root = ET.parse(out_file).getroot()
    assert root.tag == "martif" and root.get("type") == "TBX" and root.get(XML_LANG) == "en"
    assert root.find("martifHeader/fileDesc/sourceDesc/p") is not None
    entries = root.findall("text/body/termEntry")
    assert len(entries) == 61 and len({e.get("id") for e in entries}) == 61
    statuses = {"preferredTerm-admn-sts", "admittedTerm-admn-sts", "deprecatedTerm-admn-sts"}
    for entry in entries:
        langs = [ls.get(XML_LANG) for ls in entry.findall("langSet")]
        assert langs == ["en", "az", "de", "fr", "ru"], entry.get("id")
        for lang_set in entry.findall("langSet"):
            tigs = lang_set.findall("tig")
            assert tigs and all(t.findtext("term") for t in tigs)
            notes = [t.find("termNote") for t in tigs]
            assert all(n is not None and n.get("type") == "administrativeStatus" for n in notes)
            assert {n.text for n in notes if n is not None} <= statuses
            assert notes[0] is not None and notes[0].text == "preferredTerm-admn-sts"
    aliyev = root.find("text/body/termEntry[@id='ilham-aliyev']")
    assert aliyev is not None
    de = {t.findtext("term"): t.findtext("termNote") for t in aliyev.findall("langSet[2]/tig")}
    assert de  # (second langSet is az; look the German one up by language)
    german = next(ls for ls in aliyev.findall("langSet") if ls.get(XML_LANG) == "de")
    terms = {t.findtext("term"): t.findtext("termNote") for t in german.findall("tig")}
    assert terms["Ilham Alijew"] == "preferredTerm-admn-sts"
    assert terms["Präsident Alijew"] == "admittedTerm-admn-sts"
    assert terms["Ilham Aliyev"] == "deprecatedTerm-admn-sts"  # forbidden in German
    if shutil.which("xmllint"):
        assert subprocess.run(["xmllint", "--noout", str(out_file)]).returncode == 0


TRANSLATE_TOOLKIT = "/usr/bin/python3"


def _has_translate_toolkit() -> bool:
    if not Path(TRANSLATE_TOOLKIT).exists():
        return False
    probe = subprocess.run(
        [TRANSLATE_TOOLKIT, "-c", "import translate.storage.tbx, translate.storage.csvl10n"],
        capture_output=True,
    )
    return probe.returncode == 0


@pytest.mark.skipif(not _has_translate_toolkit(), reason="translate-toolkit (Debian) not installed")
def test_weblates_reader_imports_the_bilingual_tbx_and_csv(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """translate-toolkit is what Weblate reads glossaries with: it must see our terms."""
    tbx, table = project / "de.tbx", project / "de.csv"
    assert (
        run(project, capsys, "export", "--format", "tbx", "--locale", "de", "--out", str(tbx))[0]
        == 0
    )
    assert (
        run(project, capsys, "export", "--format", "csv", "--locale", "de", "--out", str(table))[0]
        == 0
    )
    script = (
        "import json, sys\n"
        "from translate.storage import tbx, csvl10n\n"
        "t = tbx.tbxfile.parsefile(sys.argv[1])\n"
        "c = csvl10n.csvfile(open(sys.argv[2], 'rb'))\n"
        "print(json.dumps([[(u.getid(), u.source, u.target) for u in t.units],"
        " [(u.getcontext(), u.source, u.target) for u in c.units]]))\n"
    )
    result = subprocess.run(
        [TRANSLATE_TOOLKIT, "-c", script, str(tbx), str(table)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    tbx_units, csv_units = json.loads(result.stdout)
    assert ["ilham-aliyev", "Ilham Aliyev", "Ilham Alijew"] in tbx_units
    assert len(tbx_units) == 61
    assert ["european-union", "EU", "EU"] in csv_units
    assert ["azerbaijan", "Republic of Azerbaijan", "Republik Aserbaidschan"] in csv_units


def test_export_csv_has_a_header(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(project, capsys, "export", "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["id", "type", "en", "az", "de", "fr", "ru", "note"]
    assert rows[1][:5] == ["ilham-aliyev", "person", "Ilham Aliyev", "İlham Əliyev", "Ilham Alijew"]
    assert len(rows) == 62
    code, out, _ = run(project, capsys, "export", "--format", "csv", "--locale", "ru")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["source", "target", "comment", "context"]
    by_source = {r[0]: r for r in rows[1:]}
    assert by_source["Aliyevs"][1] == "Алиевы"
    assert "Aliyev-affiliated" not in by_source  # left to MT in Russian: no fixed rendering
    assert by_source["ASMKOM"][2].startswith("misspelling of ASİMKOM")
    code, _, err = run(project, capsys, "export", "--format", "csv", "--locale", "xx")
    assert code == 2 and err.count("\n") == 1 and "not a glossary locale" in err
    code, _, err = run(project, capsys, "export", "--format", "tbx", "--json")
    assert code == 2 and "--out" in err
