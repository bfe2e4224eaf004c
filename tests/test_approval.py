"""Approval: kept where every gettext tool keeps it, bound to the text it approved."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from projects import make_project, run_cli
from samples import NOTICE_DE
from transflow.approval import find_approval, is_approved, split_approval, text_digest
from transflow.catalog import Catalog, approve, state_of
from transflow.config import load_project
from transflow.coverage import coverage_report
from transflow.unit import State
from transflow.update import update_catalogs

NOTICE = "bonn-2025-notice"
REPO = Path(__file__).resolve().parents[1]
GERMAN = {
    **NOTICE_DE,
    "9458a18d": "Bonn, Deutschland",  # the place in the front matter, shown on the page
}
# A long name: polib wraps translator comments at 78 columns, inside the approval line.
LONG_REVIEWER = "Maximiliane Alexandra von Hohenzollern-Sigmaringen <maximiliane@example.org>"


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    """A fresh project whose German notice is translated and approved by ``transflow approve``."""
    root = make_project(tmp_path / "p")
    update_catalogs(load_project(root))
    path = root / "locales" / "de" / f"{NOTICE}.po"
    po = polib.pofile(str(path), wrapwidth=78)
    for entry in po:
        if entry.msgctxt in GERMAN:
            entry.msgstr = GERMAN[entry.msgctxt]
    po.save(str(path))
    done = run_cli(
        "approve", "--locale", "de", "--doc", NOTICE, "--all-translated",
        "--reviewer", LONG_REVIEWER, "--json", cwd=root,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["units"]) == len(GERMAN)
    return root


def reviewed_units(root: Path) -> int:
    report = coverage_report(load_project(root), ["de"], use_cache=False)
    (row,) = [r for r in report.rows if r.doc == NOTICE]
    return row.counts.units[State.REVIEWED]


def publishable(root: Path) -> bool:
    report = coverage_report(load_project(root), ["de"], use_cache=False)
    return next(r for r in report.rows if r.doc == NOTICE).publishable


def gettext(*args: str) -> None:
    if shutil.which(args[0]) is None:
        pytest.skip(f"{args[0]} (GNU gettext) is not installed")
    subprocess.run(args, check=True, capture_output=True)


@pytest.mark.parametrize("tool", ["msgcat", "msgmerge", "msgattrib", "polib"])
def test_approval_survives_the_gettext_toolchain(project_dir: Path, tool: str) -> None:
    path = project_dir / "locales" / "de" / f"{NOTICE}.po"
    template = project_dir / "locales" / f"{NOTICE}.pot"
    assert reviewed_units(project_dir) == len(GERMAN) and publishable(project_dir)
    out = path.with_suffix(".out.po")
    if tool == "msgcat":
        gettext("msgcat", str(path), "-o", str(out))
    elif tool == "msgmerge":
        gettext("msgmerge", "--quiet", str(path), str(template), "-o", str(out))
    elif tool == "msgattrib":
        gettext("msgattrib", "--no-obsolete", str(path), "-o", str(out))
    else:
        polib.pofile(str(path)).save(str(out))
    out.replace(path)
    assert reviewed_units(project_dir) == len(GERMAN)
    assert publishable(project_dir)


def test_editing_an_approved_target_voids_the_approval(project_dir: Path) -> None:
    path = project_dir / "locales" / "de" / f"{NOTICE}.po"
    po = polib.pofile(str(path))  # as Poedit would: load, edit a target, save
    entry = next(e for e in po if e.msgctxt == "49398fe2")
    entry.msgstr = "Diese Appelle stehen jetzt auf unserer Website."
    po.save(str(path))
    assert reviewed_units(project_dir) == len(GERMAN) - 1
    assert not publishable(project_dir)
    result = run_cli("check", "--locale", "de", "--doc", NOTICE, "--json", cwd=project_dir)
    stale = [f for f in json.loads(result.stdout) if f["check"] == "approval-stale"]
    assert [(f["unit"], f["severity"]) for f in stale] == [("49398fe2", "warning")]
    assert "Maximiliane" in stale[0]["message"]


def test_a_changed_source_voids_the_approval(project_dir: Path) -> None:
    source = project_dir / "source" / f"{NOTICE}.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("now being published", "now published"), encoding="utf-8")
    update_catalogs(load_project(project_dir))
    assert reviewed_units(project_dir) == len(GERMAN) - 1


def test_approval_line_records_reviewer_date_and_digest(project_dir: Path) -> None:
    path = project_dir / "locales" / "de" / f"{NOTICE}.po"
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgctxt == "3ede016e")
    approval = find_approval(entry.tcomment, entry.msgid, entry.msgstr)
    assert approval is not None and approval.current
    assert approval.reviewer == LONG_REVIEWER
    assert approval.digest == text_digest(entry.msgid, entry.msgstr)
    assert po.metadata["Last-Translator"] == LONG_REVIEWER
    assert po.metadata["Last-Translator"] != "transflow"


def test_wrapped_approval_is_one_approval_and_the_translator_comment_stays() -> None:
    entry = polib.POEntry(
        msgctxt="a", msgid="Dear Minister,", msgstr="Sehr geehrter Herr Minister,"
    )
    entry.tcomment = "Checked against the letter sent in October."
    approve(entry, LONG_REVIEWER)
    po = polib.POFile(wrapwidth=78)
    po.append(entry)
    reread = polib.pofile(str(po))
    (back,) = [e for e in reread if e.msgid]
    assert back.tcomment.count("\n") >= 2  # polib wrapped the approval
    assert state_of(back) == State.REVIEWED
    own, approval = split_approval(back.tcomment)
    assert own == "Checked against the letter sent in October."
    assert approval.startswith("approved: Maximiliane")


def test_legacy_reviewed_flag_is_read_then_migrated_on_save(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    update_catalogs(load_project(root))
    path = root / "locales" / "de" / f"{NOTICE}.po"
    po = polib.pofile(str(path), wrapwidth=78)
    entry = next(e for e in po if e.msgctxt == "3ede016e")
    entry.msgstr, entry.flags = GERMAN["3ede016e"], ["reviewed"]
    blank = next(e for e in po if e.msgctxt == "49398fe2")
    blank.flags = ["reviewed"]  # a blank target must not become reviewed once someone types
    po.save(str(path))
    catalog = Catalog.load(path, "de")
    assert state_of(catalog.entry("3ede016e")) == State.REVIEWED
    assert state_of(catalog.entry("49398fe2")) == State.NEW
    catalog.save()
    migrated = Catalog.load(path, "de")
    kept = migrated.entry("3ede016e")
    assert "reviewed" not in kept.flags and kept.tcomment.startswith("approved: ")
    assert state_of(kept) == State.REVIEWED
    typed = migrated.entry("49398fe2")
    assert "reviewed" not in typed.flags
    typed.msgstr = "Diese Appelle werden nun veröffentlicht."
    assert state_of(typed) == State.TRANSLATED


def test_bundled_catalogs_hold_no_legacy_flags() -> None:
    """The repository's own catalogs were migrated: their approvals survive msgcat."""
    for path in sorted((REPO / "locales").glob("*/*.po")):
        po = polib.pofile(str(path))
        assert not [e for e in po if "reviewed" in e.flags], path
        approved = [e for e in po if state_of(e) == State.REVIEWED]
        assert all(find_approval(e.tcomment, e.msgid, e.msgstr) for e in approved)


_PIECES = ["approved:", "approved: ", "Anna Schmidt", "<a@b.org>", " ", "  ", "2026-12-02T10:15Z"]
_PIECES += ["2026-12-02", "2026-13", "3f2a9c0b1d4e", "3F2A9C0B1D4E", "3f2a9c0b1d4", "x", "\t"]


def test_one_line_fast_path_reads_approvals_as_the_general_parser_does() -> None:
    """``check`` reads every approval; its fast path for one-line comments agrees with the
    general reader on every comment made of these pieces, current or stale."""
    import itertools

    from transflow import approval

    source, target = "These appeals are published.", "Diese Appelle sind veröffentlicht."
    digest = text_digest(source, target)
    pieces = [*_PIECES, digest]
    checked = 0
    for n in range(1, 5):
        for combo in itertools.product(pieces, repeat=n):
            comment = " ".join(combo)
            fast = approval._recorded.__wrapped__(comment, source, target)
            spans = approval._approval_lines(comment)
            general = approval._parse(spans[-1][2], source, target) if spans else None
            assert fast == general, comment
            checked += 1
    assert checked > 20_000


@pytest.mark.parametrize("fuzzy", [False, True])
@pytest.mark.parametrize("target", ["Ja.", "  ", "Nein."])
@pytest.mark.parametrize(
    "comment",
    [
        "",
        "approved: Anna 2026-12-02T10:15Z {digest}",
        "approved:  Anna  B 2026-12-02 {digest}",
        "note\napproved: Anna 2026-12-02T10:15Z {digest}",
        "approved: Anna 2026-12-02T10:15Z 000000000000",
        "approved: 2026-12-02T10:15Z {digest}",
        "approved: Anna <a@b.org>\n2026-12-02T10:15Z {digest}",
    ],
)
def test_is_approved_agrees_with_find_approval(comment: str, target: str, fuzzy: bool) -> None:
    """The state's quick test says what the full reading of the approval says."""
    tcomment = comment.format(digest=text_digest("Yes.", "Ja."))
    flags = ("fuzzy",) if fuzzy else ()
    for legacy in ((), ("reviewed",)):
        approval = find_approval(tcomment, "Yes.", target, flags + legacy)
        expected = approval is not None and approval.current
        assert is_approved(tcomment, "Yes.", target, flags + legacy) is expected
