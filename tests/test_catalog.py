"""PO catalogs: states, merging like msgmerge, atomic and guarded saves."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from projects import make_project, snapshot
from transflow.catalog import (
    Catalog,
    EditConflict,
    approve,
    atomic_write,
    get_note,
    set_note,
    set_state,
    state_of,
)
from transflow.config import load_project
from transflow.errors import CatalogError, ConcurrentEditError
from transflow.unit import State
from transflow.update import update_catalogs

APPEAL = "bonn-2025-appeal-german-foreign-minister"


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "appeals")
    update_catalogs(load_project(root))
    return root


def de(root: Path, doc: str = APPEAL) -> Path:
    return root / "locales" / "de" / f"{doc}.po"


def translate(path: Path, source: str, target: str, flags: tuple[str, ...] = ()) -> None:
    po = polib.pofile(str(path), wrapwidth=78)
    entry = next(e for e in po if e.msgid == source)
    entry.msgstr = target
    entry.flags = list(flags)
    po.save(str(path))


@pytest.mark.parametrize(
    ("flags", "target", "state"),
    [
        ((), "", State.NEW),
        (("fuzzy", "machine"), "x", State.MACHINE),
        (("fuzzy", "memory"), "x", State.MEMORY),
        (("fuzzy",), "x", State.NEEDS_REVIEW),
        ((), "x", State.TRANSLATED),
        (("reviewed",), "x", State.REVIEWED),  # the legacy flag is still read
        (("reviewed",), "", State.NEW),
    ],
)
def test_states_from_flags(flags: tuple[str, ...], target: str, state: State) -> None:
    entry = polib.POEntry(msgid="a", msgstr=target, flags=list(flags))
    assert state_of(entry) == state
    if state == State.REVIEWED:
        with pytest.raises(ValueError, match="approve"):
            set_state(entry, state)
        return
    other = polib.POEntry(msgid="a", msgstr=target, flags=["c-format"])
    set_state(other, state)
    if target:
        assert state_of(other) == state
    assert "c-format" in other.flags


def test_notes_in_extracted_comments() -> None:
    entry = polib.POEntry(msgid="a", comment="kind: paragraph")
    set_note(entry, "machine", "argos translate-en_de 1.9")
    set_note(entry, "terms", "ilham-aliyev")
    assert (
        entry.comment == "kind: paragraph\nterms: ilham-aliyev\nmachine: argos translate-en_de 1.9"
    )
    assert get_note(entry, "machine") == "argos translate-en_de 1.9"
    set_note(entry, "machine", None)
    assert get_note(entry, "machine") is None


def test_catalogs_for_every_locale_with_full_header(project_dir: Path) -> None:
    for locale in ("az", "de", "fr", "ru"):
        po = polib.pofile(str(project_dir / "locales" / locale / f"{APPEAL}.po"))
        assert po.metadata["Language"] == locale
        assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
        assert po.metadata["Plural-Forms"].startswith("nplurals=")
        for key in ("Project-Id-Version", "PO-Revision-Date", "Last-Translator", "Language-Team"):
            assert po.metadata[key]
        first = po[0]
        assert first.msgctxt and first.occurrences[0][0] == f"source/{APPEAL}.md"
        assert get_note(first, "kind") == "title"
    assert (project_dir / "locales" / f"{APPEAL}.pot").exists()


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext msgfmt not installed")
def test_msgfmt_check_prints_no_warning(project_dir: Path) -> None:
    translate(de(project_dir), "APPEAL", "APPELL")
    translate(de(project_dir), "Dear Minister,", "Sehr geehrter Herr Minister,", ("fuzzy",))
    for path in sorted((project_dir / "locales").rglob("*.po")):
        result = subprocess.run(
            ["msgfmt", "--check", "-v", "-o", os.devnull, str(path)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and "translated message" in lines[0], result.stderr


def test_rerun_on_unchanged_source_is_byte_identical(project_dir: Path) -> None:
    translate(de(project_dir), "APPEAL", "APPELL")
    po = polib.pofile(str(de(project_dir)), wrapwidth=78)
    approve(next(e for e in po if e.msgid == "APPEAL"), "Anna Schmidt")
    po.save(str(de(project_dir)))
    before = snapshot(project_dir)
    reports = update_catalogs(load_project(project_dir))
    assert snapshot(project_dir) == before
    assert all(not r.written for r in reports)


def edit_source(root: Path, old: str, new: str, doc: str = APPEAL) -> None:
    path = root / "source" / f"{doc}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def ids(path: Path) -> dict[str, str]:
    return {e.msgid: e.msgctxt for e in polib.pofile(str(path)) if not e.obsolete}


def test_inserting_a_paragraph_renumbers_nothing(project_dir: Path) -> None:
    before = ids(de(project_dir))
    edit_source(project_dir, "Dear Minister,\n", "Dear Minister,\n\nA new paragraph was added.\n")
    update_catalogs(load_project(project_dir))
    after = ids(de(project_dir))
    assert all(after[text] == before[text] for text in before)
    assert "A new paragraph was added." in after


def test_edited_sentence_keeps_translation_fuzzy_with_previous_source(project_dir: Path) -> None:
    old = "In total, about 400 political prisoners are held in Azerbaijani prisons."
    new = "In total, about 450 political prisoners are held in Azerbaijani prisons."
    translate(
        de(project_dir),
        old,
        "Insgesamt werden etwa 400 politische Gefangene in aserbaidschanischen Gefängnissen "
        "festgehalten.",
        ("reviewed",),
    )
    unit = ids(de(project_dir))[old]
    edit_source(project_dir, old, new)
    reports = update_catalogs(load_project(project_dir))
    entry = next(e for e in polib.pofile(str(de(project_dir))) if e.msgctxt == unit)
    assert entry.msgid == new
    assert entry.msgstr.startswith("Insgesamt werden etwa 400")
    assert "fuzzy" in entry.flags and "reviewed" not in entry.flags
    assert entry.previous_msgid == old
    report = next(r for r in reports if r.doc == APPEAL)
    assert report.changes.changed == [unit] and report.locales["de"].changed == 1
    assert "#| msgid " in de(project_dir).read_text(encoding="utf-8")


def test_deleted_sentence_translation_kept_as_obsolete(project_dir: Path) -> None:
    gone = "Investigations are ongoing in both cases."
    translate(de(project_dir), gone, "In beiden Fällen wird ermittelt.")
    edit_source(project_dir, " " + gone, "")
    assert gone not in (project_dir / "source" / f"{APPEAL}.md").read_text(encoding="utf-8")
    update_catalogs(load_project(project_dir))
    po = polib.pofile(str(de(project_dir)))
    obsolete = [e for e in po if e.obsolete]
    assert [(e.msgid, e.msgstr) for e in obsolete] == [(gone, "In beiden Fällen wird ermittelt.")]
    # untranslated in other locales: simply gone
    fr = polib.pofile(str(project_dir / "locales" / "fr" / f"{APPEAL}.po"))
    assert all(e.msgid != gone for e in fr)
    # and when the sentence comes back, so does its translation
    text = (project_dir / "source" / f"{APPEAL}.md").read_text(encoding="utf-8")
    text = text.replace(
        "have been subjected to physical torture.",
        "have been subjected to physical torture. " + gone,
    )
    (project_dir / "source" / f"{APPEAL}.md").write_text(text, encoding="utf-8")
    update_catalogs(load_project(project_dir))
    back = next(e for e in polib.pofile(str(de(project_dir))) if e.msgid == gone)
    assert not back.obsolete and back.msgstr == "In beiden Fällen wird ermittelt."


def test_concurrent_writer_edits_are_kept(project_dir: Path) -> None:
    """Another writer saved other units meanwhile: both sets of edits survive the save."""
    path = de(project_dir)
    catalog = Catalog.load(path, "de")
    first = next(iter(catalog.index()))
    catalog.index()[first].msgstr = "Unsere Änderung"
    translate(path, "APPEAL", "APPELL von jemand anderem")  # another writer saves meanwhile
    assert catalog.save()
    saved = {e.msgctxt: e.msgstr for e in polib.pofile(str(path))}
    assert saved[first] == "Unsere Änderung"
    assert "APPELL von jemand anderem" in saved.values()


def test_concurrent_edit_of_the_same_unit_is_a_conflict(project_dir: Path) -> None:
    path = de(project_dir)
    catalog = Catalog.load(path, "de")
    entry = next(e for e in catalog.units if e.msgid == "APPEAL")
    entry.msgstr = "APPELL (unsere Fassung)"
    translate(path, "APPEAL", "APPELL von jemand anderem")
    theirs = path.read_bytes()
    with pytest.raises(EditConflict, match="changed here and by another writer") as caught:
        catalog.save()
    assert path.read_bytes() == theirs
    (conflict,) = caught.value.conflicts
    assert conflict.unit == entry.msgctxt
    assert (conflict.mine_target, conflict.theirs_target) == (
        "APPELL (unsere Fassung)",
        "APPELL von jemand anderem",
    )
    assert catalog.save(prefer={entry.msgctxt: "mine"})
    saved = next(e for e in polib.pofile(str(path)) if e.msgid == "APPEAL")
    assert saved.msgstr == "APPELL (unsere Fassung)"


def test_crash_mid_write_leaves_old_file_intact(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = de(project_dir)
    before = path.read_bytes()
    catalog = Catalog.load(path, "de")
    catalog.units[0].msgstr = "Neu"

    def crash(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError):
        catalog.save()
    assert path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_atomic_write_creates_new_file(tmp_path: Path) -> None:
    target = tmp_path / "x.po"
    atomic_write(target, b"data", expected_digest=None)
    assert target.read_bytes() == b"data"
    with pytest.raises(ConcurrentEditError):
        atomic_write(target, b"other", expected_digest=None)


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ('msgid "a"\nmsgstr "b"\nthis is not PO\n', 3),
        ('msgid "a\nmsgstr "b"\n', 1),
    ],
)
def test_malformed_po_is_a_one_line_error(tmp_path: Path, content: str, line: int) -> None:
    path = tmp_path / "bad.po"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        Catalog.load(path)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}: malformed PO file")
    assert "\n" not in message


def test_concurrent_save_keeps_both_entries_that_share_an_id(tmp_path: Path) -> None:
    """A hand-merged file may give two entries one id: a merged save must keep both."""
    path = tmp_path / "de.po"
    po = polib.POFile(wrapwidth=78)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "de"}
    po.append(polib.POEntry(msgctxt="abc", msgid="First sentence.", msgstr="Erster Satz."))
    po.append(polib.POEntry(msgctxt="abc", msgid="Second sentence.", msgstr="Zweiter Satz."))
    po.append(polib.POEntry(msgctxt="def", msgid="Third sentence.", msgstr=""))
    po.save(str(path))
    catalog = Catalog.load(path, "de")
    catalog.entry("def").msgstr = "Dritter Satz."  # type: ignore[union-attr]
    other = polib.pofile(str(path), wrapwidth=78)  # another writer edits the second entry
    next(e for e in other if e.msgid == "Second sentence.").msgstr = "Zweiter Satz, neu."
    other.save(str(path))
    assert catalog.save()
    saved = {e.msgid: e.msgstr for e in polib.pofile(str(path)) if e.msgid}
    assert saved == {
        "First sentence.": "Erster Satz.",
        "Second sentence.": "Zweiter Satz, neu.",
        "Third sentence.": "Dritter Satz.",
    }
