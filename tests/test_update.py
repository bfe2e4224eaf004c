"""``transflow segment`` keeping catalogs in step with the source without losing anyone's work.

Duplicate ids, repeated sentences, translator comments, renamed and deleted
sources, unwritable files, killed writes: each ends with every translation
still in some catalog, or with a one-line error and nothing written.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest

import transflow.catalog.catalog
from projects import REPO, make_project, one_line_error, run_cli, snapshot
from samples import NOTICE_DE
from transflow.catalog import Catalog, get_notes, set_note
from transflow.config import load_project
from transflow.errors import TransflowError, WriteError
from transflow.update import segment_project, update_catalogs

NOTICE = "bonn-2025-notice"
COMMITTEE = "bonn-2025-appeal-committee-of-ministers"
LOCALES = ("az", "de", "fr", "ru")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The appeals, segmented, with the German notice translated (one unit needs review)."""
    root = make_project(tmp_path / "appeals")
    update_catalogs(load_project(root))
    edit(catalog(root), {i: {"msgstr": text} for i, text in NOTICE_DE.items()})
    edit(catalog(root), {"49398fe2": {"flags": ["fuzzy"]}})
    update_catalogs(load_project(root))
    return root


def catalog(root: Path, locale: str = "de", doc: str = NOTICE) -> Path:
    return root / "locales" / locale / f"{doc}.po"


def live(path: Path) -> dict[str, polib.POEntry]:
    return {e.msgctxt: e for e in polib.pofile(str(path)) if not e.obsolete}


def obsolete(path: Path) -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(path)) if e.obsolete]


def edit(path: Path, change: dict[str, dict[str, object]]) -> None:
    """Change entries by id, as a PO editor would (comment lines kept as they are)."""
    loaded = Catalog.load(path)
    for entry in loaded.po:
        for key, value in change.get(entry.msgctxt or "", {}).items():
            setattr(entry, key, value)
    loaded.save()


def replace_source(root: Path, doc: str, old: str, new: str) -> None:
    path = root / "source" / f"{doc}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- issue 13.1: two entries with one id --------------------------------------------------


def test_two_entries_with_one_id_keep_both_translations(root: Path) -> None:
    path = catalog(root)
    before = live(path)
    a, b = before["8052fb97"], before["49398fe2"]
    assert a.msgstr and b.msgstr and b.flags == ["fuzzy"]
    edit(path, {"49398fe2": {"msgctxt": "8052fb97"}})  # a merge or a hand edit did this
    lines = [e.linenum for e in polib.pofile(str(path)) if e.msgctxt == "8052fb97"]
    result = segment_project(load_project(root))
    after = live(path)
    # each translation is back with its own sentence, reviewed as it was
    assert (after["8052fb97"].msgid, after["8052fb97"].msgstr) == (a.msgid, a.msgstr)
    assert (after["49398fe2"].msgid, after["49398fe2"].msgstr) == (b.msgid, b.msgstr)
    assert after["49398fe2"].flags == b.flags and not obsolete(path)
    # and segment said what it repaired, naming both lines
    (note,) = [n for r in result.documents for n in r.repairs]
    assert note.startswith(f"locales/de/{NOTICE}.po:")
    assert f"line {lines[0]}" in note and f"line {lines[1]}" in note
    # the repair is stable
    again = snapshot(root)
    update_catalogs(load_project(root))
    assert snapshot(root) == again


def test_a_duplicate_id_whose_sentence_is_gone_keeps_its_translation_as_obsolete(
    root: Path,
) -> None:
    path = catalog(root)
    b = live(path)["49398fe2"]
    edit(path, {"49398fe2": {"msgctxt": "8052fb97"}})
    replace_source(root, NOTICE, " These appeals are now being published on our website.", "")
    result = run_cli("segment", "--json", cwd=root)
    assert result.returncode == 0, result.stderr
    kept = obsolete(path)
    assert b.msgstr and [(e.msgid, e.msgstr) for e in kept] == [(b.msgid, b.msgstr)]
    assert live(path)["8052fb97"].msgstr.startswith("Auf der Konferenz")
    repairs = [n for d in json.loads(result.stdout)["documents"] for n in d["repairs"]]
    assert len(repairs) == 1 and "obsolete" in repairs[0]


# -- issue 13.2 and 13.3: obsolete entries are keyed by id; comments are work too ---------

REPEATED = "# Repeated\n\nThe same sentence. Another sentence. The same sentence.\n"


def test_obsolete_translations_of_one_sentence_never_collapse(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", sources={"r.md": REPEATED})
    update_catalogs(load_project(root))
    path = catalog(root, doc="r")
    ids = [i for i, e in live(path).items() if e.msgid == "The same sentence."]
    assert len(ids) == 2
    edit(path, {ids[0]: {"msgstr": "Erste Fassung."}, ids[1]: {"msgstr": "Zweite Fassung."}})
    (root / "source" / "r.md").write_text("# Repeated\n\nAnother sentence.\n", encoding="utf-8")
    update_catalogs(load_project(root))
    update_catalogs(load_project(root))  # unchanged source: nothing may go
    kept = {(e.msgctxt, e.msgstr) for e in obsolete(path)}
    assert kept == {(ids[0], "Erste Fassung."), (ids[1], "Zweite Fassung.")}
    # and when both come back, each id gets its own translation back
    (root / "source" / "r.md").write_text(REPEATED, encoding="utf-8")
    update_catalogs(load_project(root))
    back = live(path)
    assert (back[ids[0]].msgstr, back[ids[1]].msgstr) == ("Erste Fassung.", "Zweite Fassung.")


def test_translator_comment_of_an_untranslated_removed_unit_is_kept(root: Path) -> None:
    path = catalog(root, "fr", COMMITTEE)
    unit = next(i for i, e in live(path).items() if e.msgid == "Dear Mr. Ian Borg,")
    edit(path, {unit: {"tcomment": "Formule : « Monsieur le Président, »"}})
    replace_source(root, COMMITTEE, "Dear Mr. Ian Borg,", "Hello,")
    update_catalogs(load_project(root))
    (kept,) = obsolete(path)
    assert kept.msgid == "Dear Mr. Ian Borg," and kept.msgstr == ""
    assert kept.tcomment == "Formule : « Monsieur le Président, »"
    replace_source(root, COMMITTEE, "Hello,", "Dear Mr. Ian Borg,")
    update_catalogs(load_project(root))
    assert live(path)[unit].tcomment.startswith("Formule")


# -- issue 13.4: invalid PO is refused by every command, nothing written ------------------


def test_bad_escape_in_a_catalog_stops_segment_naming_file_and_line(root: Path) -> None:
    path = catalog(root)
    text = path.read_text(encoding="utf-8")
    text = text.replace('"Diese Appelle werden', '"Diese \\q Appelle werden')
    path.write_text(text, encoding="utf-8")
    line = 1 + text[: text.index("\\q")].count("\n")
    replace_source(root, NOTICE, "our website", "our new website")  # so segment has work
    before = snapshot(root)
    message = one_line_error(run_cli("segment", cwd=root))
    assert f"locales/de/{NOTICE}.po:{line}: malformed PO file: invalid escape" in message
    assert snapshot(root) == before


def test_plural_msgstr_without_msgid_plural_stops_pretranslate(root: Path) -> None:
    path = catalog(root)
    text = path.read_text(encoding="utf-8")
    text = text.replace('msgstr "Diese Appelle', 'msgstr[0] "Diese Appelle')
    path.write_text(text, encoding="utf-8")
    line = 1 + text[: text.index("msgstr[0]")].count("\n")
    before = snapshot(root)
    for command in (["pretranslate", "--locale", "de", "--engine", "memory"], ["segment"]):
        message = one_line_error(run_cli(*command, cwd=root))
        assert f"locales/de/{NOTICE}.po:{line}: malformed PO file: msgstr[0]" in message
        assert snapshot(root) == before


# -- issue 13.5: unwritable files ---------------------------------------------------------


@contextlib.contextmanager
def unwritable(path: Path) -> Iterator[None]:
    """Make ``path`` unwritable even for root (``chattr +i``), or by mode when not root."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("chattr is needed to make a file unwritable for root")
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
            pytest.skip("this file system has no immutable attribute")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)


@pytest.mark.parametrize(
    "target",
    ["locales/ru", f"locales/fr/{NOTICE}.po", f"locales/{NOTICE}.pot", "locales"],
)
def test_unwritable_file_or_folder_stops_segment_before_any_write(root: Path, target: str) -> None:
    replace_source(root, NOTICE, "our website", "our new website")  # every catalog must change
    before = snapshot(root)
    with unwritable(root / target):
        message = one_line_error(run_cli("segment", cwd=root))
    assert target in message and "nothing was written" in message
    assert snapshot(root) == before


def test_a_write_that_fails_midway_says_exactly_what_was_written(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    replace_source(root, NOTICE, "our website", "our new website")
    before = snapshot(root)
    real = transflow.catalog.atomic_write
    calls: list[Path] = []

    def disk_full(path: Path, data: bytes, **kwargs: object) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device", str(path))
        real(path, data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(transflow.catalog.catalog, "atomic_write", disk_full)
    with pytest.raises(WriteError) as info:
        update_catalogs(load_project(root))
    message = str(info.value)
    assert "\n" not in message and "No space left on device" in message
    changed = sorted(k for k, v in snapshot(root).items() if before.get(k) != v)
    assert len(changed) == 2
    assert all(name in message for name in changed)


def test_atomic_write_failure_is_a_one_line_error(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with unwritable(folder), pytest.raises(TransflowError) as info:
        transflow.catalog.atomic_write(folder / "x.po", b"data")
    assert isinstance(info.value, OSError)  # callers that tolerate OSError still do
    assert str(info.value).startswith(f"{folder / 'x.po'}: cannot write")
    assert "\n" not in str(info.value)
    assert not list(folder.iterdir())


# -- issue 13.9: temporary files left by a killed write -----------------------------------


def test_stale_temporary_files_are_removed_but_not_a_live_writers(root: Path) -> None:
    folder = root / "locales" / "de"
    stale = folder / f".{NOTICE}.po.k1ll3d_x.tmp"
    stale.write_bytes(b"half a catalog")
    held = folder / f".{COMMITTEE}.po.wr1t1ng_.tmp"
    held.write_bytes(b"being written")
    unrelated = folder / ".notes.tmp"
    unrelated.write_bytes(b"not ours")
    with held.open("rb") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # a writer that is still alive
        result = run_cli("segment", cwd=root)
    assert result.returncode == 0, result.stderr
    assert not stale.exists()
    assert held.exists() and unrelated.exists()


def test_temporary_files_are_ignored_by_git() -> None:
    if not (REPO / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout")
    name = f"locales/de/.{NOTICE}.po.k1ll3d_x.tmp"
    result = subprocess.run(["git", "-C", str(REPO), "check-ignore", "-q", "--no-index", name])
    assert result.returncode == 0


# -- issue 12.4: notes a PO editor user can read -----------------------------------------

NOTE_LINE = re.compile(r"^#\. (kind|terms|glossary|machine|memory|protection-failed): ")


def comment_lines(path: Path) -> list[str]:
    return [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith("#.")]


def test_catalogs_name_the_approved_spelling_for_their_locale(root: Path) -> None:
    def notes(locale: str | None) -> list[str]:
        if locale is None:
            path = root / "locales" / f"{COMMITTEE}.pot"
        else:
            path = catalog(root, locale, COMMITTEE)
        entry = next(e for e in Catalog.load(path).units if "Ilham Aliyev not only" in e.msgid)
        return get_notes(entry, "glossary")

    assert "Ilham Aliyev = İlham Əliyev" in notes("az")
    assert "Ilham Aliyev = Ilham Alijew" in notes("de")
    assert "Ilham Aliyev = Ильхам Алиев" in notes("ru")
    assert notes(None) == []  # the template has no locale
    notice = Catalog.load(catalog(root)).units[0]
    assert "ASİMKOM = ASİMKOM (kept untranslated)" in get_notes(notice, "glossary")


def test_no_note_or_reference_is_broken_across_lines(root: Path) -> None:
    path = catalog(root, "de", "bonn-2025-appeal-european-commission")
    loaded = Catalog.load(path, "de")
    memory = f"80% from locales/de/{COMMITTEE}.po#990c0e47 (reviewed)"
    set_note(loaded.units[3], "memory", memory)
    loaded.save()
    for po in sorted((root / "locales").rglob("*.po*")):
        for line in comment_lines(po):
            assert NOTE_LINE.match(line), (po, line)
        for line in po.read_text(encoding="utf-8").splitlines():
            if line.startswith("#:"):
                assert re.fullmatch(r"#: source/[a-z0-9-]+\.md:\d+", line), (po, line)
    assert f"#. memory: {memory}" in comment_lines(path)
    before = snapshot(root)
    update_catalogs(load_project(root))
    assert snapshot(root) == before


needs_gettext = pytest.mark.skipif(
    any(shutil.which(t) is None for t in ("msgcat", "msgmerge", "msgattrib")),
    reason="GNU gettext tools missing",
)


@needs_gettext
def test_notes_survive_the_gettext_tools_and_read_back(root: Path, tmp_path: Path) -> None:
    doc = "bonn-2025-appeal-european-commission"
    path = catalog(root, "de", doc)
    loaded = Catalog.load(path, "de")
    set_note(loaded.units[3], "memory", f"80% from locales/de/{COMMITTEE}.po#990c0e47 (reviewed)")
    loaded.save()
    notes = comment_lines(path)
    assert any(line.startswith("#. glossary: ") for line in notes)
    glossary_notes = [get_notes(e, "glossary") for e in Catalog.load(path).units]
    original = path.read_bytes()
    template = root / "locales" / f"{doc}.pot"
    for name, command in {
        "msgcat": ["msgcat", str(path)],
        "msgattrib": ["msgattrib", "--no-obsolete", str(path)],
    }.items():
        out = tmp_path / f"{name}.po"
        subprocess.run([*command, "-o", str(out)], check=True)
        assert comment_lines(out) == notes, name  # kept as written: nothing wrapped or lost
        path.write_bytes(out.read_bytes())
        check = run_cli("check", "--locale", "de", "--json", cwd=root)
        assert check.returncode in (0, 1), check.stderr
        loaded = Catalog.load(path, "de")
        assert [get_notes(e, "glossary") for e in loaded.units] == glossary_notes
        path.write_bytes(original)
    # msgmerge takes extracted comments from the template: the locale's glossary notes go,
    # the terms stay (so check still knows them), and the next segment writes them again.
    out = tmp_path / "msgmerge.po"
    subprocess.run(["msgmerge", "-q", "--previous", str(path), str(template), "-o", str(out)])
    path.write_bytes(out.read_bytes())
    assert not any(line.startswith("#. glossary: ") for line in comment_lines(path))
    assert any(line.startswith("#. terms: ") for line in comment_lines(path))
    assert run_cli("check", "--locale", "de", "--json", cwd=root).returncode in (0, 1)
    update_catalogs(load_project(root))
    restored = comment_lines(path)
    assert [ln for ln in restored if "glossary:" in ln] == [ln for ln in notes if "glossary:" in ln]


# -- issue 12.8: renamed and deleted sources -----------------------------------------------


def test_renamed_source_takes_its_translations_along(root: Path) -> None:
    old = {loc: live(catalog(root, loc)) for loc in LOCALES}
    source = root / "source"
    (source / f"{NOTICE}.md").rename(source / "notice-2025.md")
    result = run_cli("segment", "--json", cwd=root)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    (orphan,) = data["orphans"]
    assert orphan["doc"] == NOTICE and orphan["renamed_to"] == "notice-2025"
    files = [f"locales/{NOTICE}.pot"] + [f"locales/{loc}/{NOTICE}.po" for loc in LOCALES]
    assert sorted(orphan["files"]) == sorted(files)
    for loc in LOCALES:
        moved = live(catalog(root, loc, "notice-2025"))
        assert {i: e.msgstr for i, e in moved.items()} == {i: e.msgstr for i, e in old[loc].items()}
        assert all(e.occurrences[0][0] == "source/notice-2025.md" for e in moved.values())
    assert all((root / f).exists() for f in files)  # nothing deleted without --prune
    # the text output says so too, and a second run writes nothing
    again = run_cli("segment", cwd=root)
    assert "source/bonn-2025-notice.md no longer exists" in again.stdout
    assert "--prune" in again.stdout
    before = snapshot(root)
    pruned = run_cli("segment", "--prune", "--json", cwd=root)
    assert pruned.returncode == 0, pruned.stderr
    assert sorted(json.loads(pruned.stdout)["pruned"]) == sorted(files)
    assert not any((root / f).exists() for f in files)
    assert {k for k in before if k not in snapshot(root)} == set(files)


def test_deleted_source_is_reported_and_its_catalogs_kept(root: Path) -> None:
    (root / "source" / f"{NOTICE}.md").unlink()
    before = snapshot(root)
    result = run_cli("segment", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "source/bonn-2025-notice.md no longer exists" in result.stdout
    assert f"locales/de/{NOTICE}.po" in result.stdout
    assert snapshot(root) == before
    pruned = run_cli("segment", "--prune", cwd=root)
    assert f"removed locales/de/{NOTICE}.po (4 translations)" in pruned.stdout
    assert not catalog(root).exists()
