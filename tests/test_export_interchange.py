"""Hand-off and return: XLIFF 2.0/1.2 (OASIS schemas), TMX, PO/MO, and ``transflow import``."""

from __future__ import annotations

import gettext
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import polib
import pytest

from export_support import approve, copy_bundled
from projects import REPO, run_cli, snapshot
from transflow.catalog import Catalog, set_note, set_state, set_target, state_of
from transflow.tmx import read_tmx
from transflow.unit import State

SCHEMAS = REPO.parent / "shared" / "schemas"
NOTICE = "bonn-2025-notice"
APPEAL = "bonn-2025-appeal-committee-of-ministers"
X2 = "{urn:oasis:names:tc:xliff:document:2.0}"
X1 = "{urn:oasis:names:tc:xliff:document:1.2}"
MTC = "{urn:oasis:names:tc:xliff:matches:2.0}"
GLS = "{urn:oasis:names:tc:xliff:glossary:2.0}"


def need_schemas() -> None:
    if not (SCHEMAS / "xliff-core-2.0.xsd").is_file():
        pytest.skip(f"the OASIS schemas are not here: {SCHEMAS} (../shared/schemas) is absent")
    if shutil.which("xmllint") is None:
        pytest.skip("xmllint (libxml2-utils) is not installed")


def xmllint(schema: str, files: list[Path]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, XML_CATALOG_FILES=str(SCHEMAS / "catalog.xml"))
    return subprocess.run(
        ["xmllint", "--noout", "--nonet", "--schema", str(SCHEMAS / schema), *map(str, files)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The bundled project with one unit in every state in German."""
    root = copy_bundled(tmp_path / "p")
    approve(root, "de", NOTICE)  # the notice: all approved
    catalog = Catalog.load(root / "locales" / "de" / f"{APPEAL}.po", "de")
    units = catalog.units
    new = [e for e in units if state_of(e) == State.NEW]
    machine, memory, review, translated = new[0], new[1], new[2], new[3]
    set_target(machine, "Maschinelle Übersetzung.")
    set_state(machine, State.MACHINE)
    set_note(machine, "machine", "argos:translate-en_de-1_9 1.9")
    set_target(memory, "Aus dem Gedächtnis.")
    set_state(memory, State.MEMORY)
    set_note(memory, "memory", f"87% from locales/de/{NOTICE}.po#49398fe2 (reviewed)")
    set_target(review, "Zu prüfen.")
    set_state(review, State.NEEDS_REVIEW)
    set_target(translated, "Übersetzt, nicht freigegeben.")
    catalog.save()
    return root


def states(root: Path, locale: str, doc: str) -> dict[str, tuple[State, str]]:
    catalog = Catalog.load(root / "locales" / locale / f"{doc}.po", locale)
    return {e.msgctxt: (state_of(e), e.msgstr) for e in catalog.units}


def export(root: Path, fmt: str, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = run_cli("export", "--format", fmt, "--out", str(out), *args, cwd=root)
    assert result.returncode == 0, result.stderr
    return result


# -- XLIFF written ----------------------------------------------------------------------------


def test_xliff_20_validates_and_maps_every_state(project: Path, tmp_path: Path) -> None:
    need_schemas()
    out = tmp_path / "xlf"
    export(project, "xliff", out)
    files = sorted(out.rglob("*.xlf"))
    assert len(files) == 16  # 4 documents × 4 locales
    result = xmllint("xliff-core-2.0.xsd", files)
    assert result.returncode == 0, result.stderr
    before = states(project, "de", APPEAL)
    root = ET.parse(out / "de" / f"{APPEAL}.xlf").getroot()
    assert (root.get("srcLang"), root.get("trgLang")) == ("en", "de")
    seen: dict[State, ET.Element] = {}
    for unit in root.iter(f"{X2}unit"):
        state, target = before[unit.get("id") or ""]
        segment = unit.find(f"{X2}segment")
        assert segment is not None
        expected = {State.TRANSLATED: "translated", State.REVIEWED: "reviewed"}.get(
            state, "initial"
        )
        assert segment.get("state") == expected
        written = segment.find(f"{X2}target")
        if state >= State.TRANSLATED:
            assert written is not None and written.text == target
        else:
            assert written is None  # a suggestion is never passed off as the translation
        seen.setdefault(state, unit)
    assert set(seen) == set(State)
    machine = seen[State.MACHINE].find(f"{MTC}matches/{MTC}match")
    assert machine is not None
    assert (machine.get("type"), machine.get("origin")) == ("mt", "argos: translate-en_de-1_9 1.9")
    assert machine.findtext(f"{X2}target") == "Maschinelle Übersetzung."
    memory = seen[State.MEMORY].find(f"{MTC}matches/{MTC}match")
    assert memory is not None
    assert memory.get("similarity") == "87"
    assert memory.get("origin") == f"locales/de/{NOTICE}.po#49398fe2"
    review = seen[State.NEEDS_REVIEW].find(f"{MTC}matches/{MTC}match")
    assert review is not None and review.get("type") == "other"
    # glossary terms travel with the unit, with the approved German form
    glossed = [u for u in root.iter(f"{X2}unit") if u.find(f"{GLS}glossary") is not None]
    assert glossed
    terms = {
        e.findtext(f"{GLS}term"): e.findtext(f"{GLS}translation")
        for u in glossed
        for e in u.iter(f"{GLS}glossEntry")
    }
    assert terms["Council of Europe"] == "Europarat"


def test_xliff_12_validates_and_maps_every_state(project: Path, tmp_path: Path) -> None:
    need_schemas()
    out = tmp_path / "xlf"
    export(project, "xliff", out, "--xliff-version", "1.2", "--locale", "de")
    files = sorted(out.rglob("*.xlf"))
    assert len(files) == 4
    result = xmllint("xliff-core-1.2-transitional.xsd", files)
    assert result.returncode == 0, result.stderr
    before = states(project, "de", APPEAL)
    root = ET.parse(out / "de" / f"{APPEAL}.xlf").getroot()
    found: dict[State, ET.Element] = {}
    for unit in root.iter(f"{X1}trans-unit"):
        state, _ = before[unit.get("id") or ""]
        found.setdefault(state, unit)
        written = unit.find(f"{X1}target")
        if state == State.REVIEWED:
            assert written is not None and written.get("state") == "signed-off"
            assert unit.get("approved") == "yes"
        elif state == State.TRANSLATED:
            assert written is not None and written.get("state") == "translated"
        else:
            assert written is None
    alt = found[State.MEMORY].find(f"{X1}alt-trans")
    assert alt is not None and alt.get("match-quality") == "87%"
    assert alt.findtext(f"{X1}target") == "Aus dem Gedächtnis."
    notes = [n.text for n in found[State.REVIEWED].iter(f"{X1}note") if n.get("from") == "glossary"]
    assert any("→" in (n or "") for n in notes)


# -- round trip ---------------------------------------------------------------------------------


def cat_tool(path: Path, edits: dict[str, tuple[str | None, str]]) -> None:
    """Change targets and states the way a CAT tool saves an XLIFF 2.0 file."""
    ET.register_namespace("", X2[1:-1])
    ET.register_namespace("mtc", MTC[1:-1])
    ET.register_namespace("gls", GLS[1:-1])
    tree = ET.parse(path)
    for unit in tree.getroot().iter(f"{X2}unit"):
        if unit.get("id") not in edits:
            continue
        text, state = edits[unit.get("id") or ""]
        segment = unit.find(f"{X2}segment")
        assert segment is not None
        target = segment.find(f"{X2}target")
        if target is None:
            target = ET.SubElement(segment, f"{X2}target")
        target.text = text
        segment.set("state", state)
    tree.write(path, encoding="utf-8", xml_declaration=True)


def test_round_trip_xliff_20(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "xlf"
    export(project, "xliff", out, "--locale", "de")
    before = states(project, "de", APPEAL)
    by_text = {text: uid for uid, (_, text) in before.items()}
    new = next(uid for uid, (state, _) in before.items() if state == State.NEW)
    reviewed = next(uid for uid, (state, _) in before.items() if state == State.REVIEWED)
    machine = by_text["Maschinelle Übersetzung."]
    translated = by_text["Übersetzt, nicht freigegeben."]
    path = out / "de" / f"{APPEAL}.xlf"
    cat_tool(
        path,
        {
            new: ("Neu übersetzt & geprüft <b>.", "translated"),
            machine: ("Maschinelle Übersetzung.", "initial"),  # prefilled, not confirmed
            translated: ("Übersetzt, nicht freigegeben.", "reviewed"),  # signed off outside
            reviewed: ("", "initial"),  # a blank never erases work
        },
    )
    dry = run_cli("import", str(path), "--dry-run", cwd=project)
    assert dry.returncode == 0, dry.stderr
    assert f"{new}  new → translated" in dry.stdout and "would change 1 units" in dry.stdout
    assert "1 approvals in the files were not recorded" in dry.stdout
    assert states(project, "de", APPEAL) == before  # --dry-run writes nothing
    result = run_cli("import", str(path), "--json", cwd=project)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [c["unit"] for c in report["changed"]] == [new]
    assert report["approval_not_trusted"] == [f"de/{APPEAL}#{translated}"]
    after = states(project, "de", APPEAL)
    assert after[new] == (State.TRANSLATED, "Neu übersetzt & geprüft <b>.")
    assert after[machine] == before[machine]  # still a machine suggestion, note kept
    assert after[translated] == before[translated]
    assert after[reviewed] == before[reviewed]
    # the approval counts only when the importer vouches for it, under their name
    trusted = run_cli(
        "import", str(path), "--trust-review", "--reviewer", "Ana Beispiel <ana@example.org>",
        cwd=project,
    )  # fmt: skip
    assert trusted.returncode == 0, trusted.stderr
    assert f"{translated}  translated → reviewed by Ana Beispiel" in trusted.stdout
    text = (project / "locales" / "de" / f"{APPEAL}.po").read_text(encoding="utf-8")
    assert "# approved: Ana Beispiel <ana@example.org>" in text
    assert states(project, "de", APPEAL)[translated][0] == State.REVIEWED


def test_round_trip_xliff_12_and_po(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "xlf"
    export(project, "xliff", out, "--xliff-version", "1.2", "--locale", "ru")
    path = out / "ru" / f"{NOTICE}.xlf"
    tree = ET.parse(path)
    ET.register_namespace("", X1[1:-1])
    first = next(tree.getroot().iter(f"{X1}trans-unit"))
    target = first.find(f"{X1}target")
    assert target is not None
    target.text = "АСИМКОМ – материалы Боннской конференции"
    target.set("state", "translated")
    tree.write(path, encoding="utf-8", xml_declaration=True)
    result = run_cli("import", str(path), cwd=project)
    assert result.returncode == 0, result.stderr
    assert states(project, "ru", NOTICE)[first.get("id") or ""] == (
        State.TRANSLATED,
        "АСИМКОМ – материалы Боннской конференции",
    )
    # PO, as Poedit saves it: one target typed, one left fuzzy
    po_out = tmp_path / "po"
    export(project, "po", po_out, "--locale", "fr")
    po_path = po_out / "fr" / "LC_MESSAGES" / f"{NOTICE}.po"
    po = polib.pofile(str(po_path))
    typed, fuzzy = po[1], po[2]
    typed.msgstr = "Bonn (Allemagne)"
    fuzzy.msgstr = "Un brouillon."
    fuzzy.flags = ["fuzzy"]
    po.save()
    result = run_cli("import", str(po_path), cwd=project)
    assert result.returncode == 0, result.stderr
    now = states(project, "fr", NOTICE)
    assert now[typed.msgctxt] == (State.TRANSLATED, "Bonn (Allemagne)")
    assert now[fuzzy.msgctxt] == (State.NEEDS_REVIEW, "Un brouillon.")


def test_units_whose_english_changed_are_refused_and_listed(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "xlf"
    export(project, "xliff", out, "--locale", "de")
    path = out / "de" / f"{NOTICE}.xlf"
    units = list(ET.parse(path).getroot().iter(f"{X2}unit"))
    last, first = units[-1].get("id") or "", units[1].get("id") or ""
    cat_tool(path, {last: ("Geändert.", "translated"), first: ("Bonn (Deutschland)", "translated")})
    source = project / "source" / f"{NOTICE}.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("now being published", "published"),
        encoding="utf-8",
    )
    assert run_cli("segment", cwd=project).returncode == 0
    result = run_cli("import", str(path), cwd=project)
    assert result.returncode == 1  # something was refused
    assert f"unit {last}: the English changed since the export" in result.stdout
    after = states(project, "de", NOTICE)
    assert after[first] == (State.TRANSLATED, "Bonn (Deutschland)")  # the rest went in
    assert after[last][1] != "Geändert."


BAD_FILES = {
    "truncated.xlf": (
        b'<?xml version="1.0"?>\n<xliff version="2.0">\n<file>\n',
        4,
        "malformed XML",
    ),
    "bomb.xlf": (
        b'<?xml version="1.0"?>\n<!DOCTYPE xliff [\n<!ENTITY a "aaaaaaaaaa">\n'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n<xliff>&b;</xliff>\n',
        3,
        "declares XML entities",
    ),
    "unknown.xlf": (
        b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" '
        b'trgLang="de">\n<file id="f" original="source/bonn-2025-notice.md">\n'
        b'<unit id="3ede016e"><segment><source>ASIMKOM \xe2\x80\x93 Materials from the Bonn '
        b"Conference</source><target>Neu</target></segment></unit>\n"
        b'<unit id="deadbeef">\n<segment><source>x</source><target>y</target></segment>'
        b"</unit>\n</file></xliff>\n",
        4,
        "unknown unit id 'deadbeef'",
    ),
    "spanish.xlf": (
        b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en"\n'
        b'  trgLang="es"><file id="f" original="source/bonn-2025-notice.md"></file></xliff>\n',
        1,
        "'es', which is not one of this project's locales",
    ),
    "nodoc.xlf": (
        b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">\n'
        b'<file original="source/other.md" source-language="en" target-language="de" '
        b'datatype="plaintext"><body/></file></xliff>\n',
        2,
        "names no document of this project",
    ),
    "broken.po": (
        b'msgid ""\nmsgstr ""\n"Language: de\\n"\n\nmsgctxt "3ede016e"\nmsgid "x\nmsgstr "y"\n',
        6,
        "malformed PO file",
    ),
    # a terminal escape (or a NUL) in a returned translation went into the catalog as it was
    "escape.po": (
        b'msgid ""\nmsgstr ""\n"Language: de\\n"\n\n#: source/bonn-2025-notice.md:1\n'
        b'msgctxt "3ede016e"\nmsgid "ASIMKOM \xe2\x80\x93 Materials from the Bonn Conference"\n'
        b'msgstr "ASIMKOM \x1b[2J Materialien"\n',
        5,
        "control character \\x1b",
    ),
    "nul.po": (
        b'msgid ""\nmsgstr ""\n"Language: de\\n"\n\n#: source/bonn-2025-notice.md:4\n'
        b'msgctxt "9458a18d"\nmsgid "Bonn, Germany"\nmsgstr "Bonn\x00"\n',
        5,
        "control character \\x00",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_file_is_a_one_line_error_and_changes_nothing(
    project: Path, tmp_path: Path, name: str
) -> None:
    data, line, message = BAD_FILES[name]
    good = tmp_path / "good.xlf"
    export(project, "xliff", tmp_path / "x", "--locale", "de")
    shutil.copy(tmp_path / "x" / "de" / f"{NOTICE}.xlf", good)
    cat_tool(good, {"9458a18d": ("Bonn (Deutschland)", "translated")})
    bad = tmp_path / name
    bad.write_bytes(data)
    before = snapshot(project)
    result = run_cli("import", str(good), str(bad), cwd=project)
    assert result.returncode == 2, result.stdout
    assert result.stderr.count("\n") == 1, result.stderr
    assert f"{bad}:{line}: " in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project) == before  # not even the good file's unit went in


# -- TMX and PO/MO ----------------------------------------------------------------------------


def test_tmx_holds_the_translated_and_approved_units(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "tmx"
    export(project, "tmx", out)
    assert sorted(p.name for p in out.glob("*.tmx")) == ["az.tmx", "de.tmx", "fr.tmx", "ru.tmx"]
    data = (out / "de.tmx").read_bytes()
    assert b'<tmx version="1.4">' in data
    entries = read_tmx(data, out / "de.tmx", own_origins=True).entries
    expected = {
        (e.msgid, e.msgstr, state_of(e) == State.REVIEWED)
        for doc in (NOTICE, APPEAL, "bonn-2025-appeal-european-commission")
        for e in Catalog.load(project / "locales" / "de" / f"{doc}.po", "de").units
        if state_of(e) >= State.TRANSLATED
    }
    got = {(e.source, e.target, e.reviewed) for e in entries}
    assert expected <= got
    assert all(e.locale == "de" for e in entries)
    assert any(not e.reviewed for e in entries) and any(e.reviewed for e in entries)


def test_po_export_passes_msgfmt_and_mo_loads_with_gettext(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "po"
    export(project, "po", out)
    catalogs = sorted(out.rglob("*.po"))
    assert len(catalogs) == 16 and len(sorted(out.rglob("*.pot"))) == 4
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (gettext) is not installed")
    for path in catalogs:
        check = subprocess.run(
            ["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True
        )
        assert check.returncode == 0, (path, check.stderr)
    translation = gettext.translation(APPEAL, localedir=str(out), languages=["de"])
    catalog = Catalog.load(project / "locales" / "de" / f"{APPEAL}.po", "de")
    for entry in catalog.units:
        got = translation.pgettext(entry.msgctxt, entry.msgid)
        if state_of(entry) >= State.TRANSLATED:
            assert got == entry.msgstr
        else:
            assert got == entry.msgid  # suggestions are not compiled, as msgfmt does


def test_po_export_refuses_a_charset_header_that_cannot_hold_the_text() -> None:
    from transflow.errors import CatalogError
    from transflow.export.po import compile_mo

    data = (
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n'
        '"Content-Type: text/plain; charset=ISO-8859-1\\n"\n\n'
        'msgctxt "3ede016e"\nmsgid "ASIMKOM"\nmsgstr "ASİMKOM"\n'
    ).encode()
    with pytest.raises(CatalogError) as caught:
        compile_mo(data, "locales/de/notice.po")
    message = str(caught.value)
    assert message.startswith("locales/de/notice.po:4: ") and "ISO-8859-1" in message
    assert "\n" not in message


@pytest.mark.parametrize("unit_id", ["deadbeef", "3ede016e"])
def test_obsolete_entries_of_a_returned_po_file_are_not_units(tmp_path: Path, unit_id: str) -> None:
    # a deleted sentence's translation (#~) in the catalog went out with `export --format po`
    # and came back refused ("no longer in the source", exit 1), unknown, or "appears twice"
    root = copy_bundled(tmp_path / "p")
    returned = tmp_path / f"{NOTICE}.po"
    text = (root / "locales" / "de" / f"{NOTICE}.po").read_text(encoding="utf-8")
    obsolete = f'\n#~ msgctxt "{unit_id}"\n#~ msgid "Old sentence."\n#~ msgstr "Alter Satz."\n'
    returned.write_text(text + obsolete, encoding="utf-8")
    before = snapshot(root)
    result = run_cli("import", str(returned), "--json", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["refused"] == [] and report["unchanged"] == 5
    assert snapshot(root) == before


def test_a_character_xml_cannot_hold_names_the_catalog_and_line(tmp_path: Path) -> None:
    # the message named the unit only: "unit 3ede016e (target) has characters XML cannot hold"
    root = copy_bundled(tmp_path / "p")
    catalog = root / "locales" / "de" / f"{NOTICE}.po"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace("Materialien der", "Materialien\x00der"), encoding="utf-8")
    line = text.splitlines().index('msgctxt "3ede016e"') + 1
    result = run_cli("export", "--format", "xliff", "--out", str(tmp_path / "x"), cwd=root)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert f"locales/de/{NOTICE}.po:{line}: unit 3ede016e (target)" in result.stderr
