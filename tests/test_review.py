"""The review API: unit views, the state rules of every operation, checks, look-ups, saving."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest

from projects import REPO, REVIEWER, make_project, run_cli
from transflow.catalog import Catalog, get_note, set_note, set_state
from transflow.checking import run_project
from transflow.config import load_project
from transflow.review import (
    EditConflict,
    MachineSuggestion,
    MemorySuggestion,
    ReviewError,
    ReviewSession,
    blockers,
    concordance,
    parse_provenance,
)
from transflow.unit import State
from transflow.update import update_catalogs

NOTICE = "bonn-2025-notice"
COMMITTEE = "bonn-2025-appeal-committee-of-ministers"
TITLE = "3ede016e"  # "ASIMKOM – Materials from the Bonn Conference"
PUBLISHED = "49398fe2"  # "These appeals are now being published on our website."
HELD = "1d67e96e"  # "ASİMKOM – ... held its latest conference on October 25 in Bonn, Germany."
MACHINE_NOTE = "argos:translate-en_de-1_9 1.9"


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "p")
    update_catalogs(load_project(root))
    return root


def session(root: Path, locale: str = "de", doc: str = NOTICE) -> ReviewSession:
    return ReviewSession.open(load_project(root), locale, doc)


def suggest(root: Path, unit: str, text: str, kind: str = "machine") -> None:
    """Write a suggestion into the German notice, as pretranslate would."""
    catalog = Catalog.load(root / "locales" / "de" / f"{NOTICE}.po", "de")
    entry = catalog.entry(unit)
    assert entry is not None
    entry.msgstr = text
    if kind == "machine":
        set_state(entry, State.MACHINE)
        set_note(entry, "machine", MACHINE_NOTE)
    else:
        set_state(entry, State.MEMORY)
        set_note(entry, "memory", f"92% from locales/de/{COMMITTEE}.po#abcd1234 (reviewed)")
    catalog.save()


def on_disk(root: Path, unit: str, locale: str = "de", doc: str = NOTICE) -> polib.POEntry:
    po = polib.pofile(str(root / "locales" / locale / f"{doc}.po"))
    return next(e for e in po if e.msgctxt == unit)


# -- views ---------------------------------------------------------------------------------


def test_unit_view_shows_what_a_reviewer_needs(project_dir: Path) -> None:
    suggest(project_dir, TITLE, "ASİMKOM – Materialien der Bonner Konferenz")
    view = session(project_dir).unit(TITLE)
    assert (view.id, view.doc, view.locale, view.kind) == (TITLE, NOTICE, "de", "title")
    assert view.source == "ASIMKOM – Materials from the Bonn Conference"
    assert view.state == State.MACHINE and view.approval is None
    assert view.provenance == MachineSuggestion("argos", "translate-en_de-1_9 1.9")
    assert view.reference == f"source/{NOTICE}.md:1"
    terms = {t.id: t for t in view.terms}
    assert terms["asimkom"].matched == "ASIMKOM"
    assert terms["asimkom"].variant_status == "correct"  # the source misspells it
    assert terms["asimkom"].approved == "ASİMKOM"


def test_russian_terms_come_with_their_cases(project_dir: Path) -> None:
    views = session(project_dir, "ru", COMMITTEE).units()
    borg = next(t for v in views for t in v.terms if t.id == "ian-borg")
    assert borg.approved and borg.cases and len(borg.allowed) > 1


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("machine: libretranslate:en-de", MachineSuggestion("libretranslate", "en-de")),
        (
            "memory: 80% from locales/de/bonn-2025-appeal-committee-of-\nministers.po#990c0e47 "
            "(reviewed)",
            MemorySuggestion(
                80,
                "locales/de/bonn-2025-appeal-committee-of-ministers.po#990c0e47",
                "locales/de/bonn-2025-appeal-committee-of-ministers.po",
                "990c0e47",
                True,
            ),
        ),
        (
            "memory: 75% from tmx:omegat.tmx (translated)",
            MemorySuggestion(75, "tmx:omegat.tmx", None, None, False),
        ),
        ("kind: paragraph", None),
    ],
)
def test_provenance_is_parsed_from_wrapped_notes(note: str, expected: object) -> None:
    assert parse_provenance(note) == expected


# -- the state rules, operation by operation ---------------------------------------------


def test_set_target_makes_a_translation_and_drops_notes_that_no_longer_fit(
    project_dir: Path,
) -> None:
    suggest(project_dir, TITLE, "ASİMKOM – Materialien von der Bonner Konferenz")
    s = session(project_dir)
    view = s.set_target(TITLE, "ASİMKOM – Materialien der Bonner Konferenz")
    assert view.state == State.TRANSLATED and view.provenance is None
    s.save(translator=REVIEWER)
    entry = on_disk(project_dir, TITLE)
    assert entry.flags == [] and get_note(entry, "machine") is None
    assert get_note(entry, "kind") == "title"  # structure notes stay


def test_accepting_a_suggestion_unchanged_keeps_its_provenance(project_dir: Path) -> None:
    suggest(project_dir, TITLE, "ASİMKOM – Materialien der Bonner Konferenz", kind="memory")
    s = session(project_dir)
    view = s.set_target(TITLE, "ASİMKOM – Materialien der Bonner Konferenz")
    assert view.state == State.TRANSLATED
    assert isinstance(view.provenance, MemorySuggestion) and view.provenance.score == 92


def test_emptied_target_is_new(project_dir: Path) -> None:
    s = session(project_dir)
    s.set_target(TITLE, "ASİMKOM – Materialien der Bonner Konferenz")
    view = s.set_target(TITLE, "   ")
    assert view.state == State.NEW and view.target == ""


def test_approve_then_edit_voids_then_approve_again(project_dir: Path) -> None:
    s = session(project_dir)
    s.set_target(TITLE, "ASİMKOM – Materialien der Bonner Konferenz")
    view = s.approve(TITLE, REVIEWER)
    assert view.state == State.REVIEWED and view.approval is not None
    assert view.approval.reviewer == REVIEWER and view.approval.current
    s.save(translator=REVIEWER)
    assert on_disk(project_dir, TITLE).tcomment.startswith("approved: Test Reviewer")
    view = s.set_target(TITLE, "ASİMKOM – Materialien der Konferenz in Bonn")
    assert view.state == State.TRANSLATED and view.approval is None  # an edit takes it away
    assert s.approve(TITLE, REVIEWER).state == State.REVIEWED


def test_reject_keeps_the_text_and_takes_the_approval(project_dir: Path) -> None:
    s = session(project_dir)
    s.set_target(TITLE, "ASİMKOM – Materialien der Bonner Konferenz")
    s.approve(TITLE, REVIEWER)
    view = s.reject(TITLE)
    assert view.state == State.NEEDS_REVIEW
    assert view.target == "ASİMKOM – Materialien der Bonner Konferenz"
    assert view.approval is None
    # Marking it translated again does not bring the old approval back.
    assert s.set_target(TITLE, view.target).state == State.TRANSLATED
    s.save()
    entry = on_disk(project_dir, TITLE)
    assert "approved:" not in entry.tcomment and entry.flags == []


def test_reject_of_a_suggestion_is_needs_review_with_its_provenance(project_dir: Path) -> None:
    suggest(project_dir, TITLE, "ASİMKOM – Materialien der Bonner Konferenz")
    view = session(project_dir).reject(TITLE)
    assert view.state == State.NEEDS_REVIEW
    assert view.provenance == MachineSuggestion("argos", "translate-en_de-1_9 1.9")


def test_clear_makes_it_new_and_drops_everything_about_the_old_text(project_dir: Path) -> None:
    suggest(project_dir, TITLE, "ASİMKOM – Materialien der Bonner Konferenz")
    s = session(project_dir)
    s.set_comment(TITLE, "Titel wie auf der Website.")
    view = s.clear(TITLE)
    assert view.state == State.NEW and view.target == "" and view.provenance is None
    assert view.comments == "Titel wie auf der Website."  # what a translator wrote stays
    s.save()
    entry = on_disk(project_dir, TITLE)
    assert entry.msgstr == "" and entry.flags == [] and get_note(entry, "machine") is None


def test_set_state_new_empties_the_target() -> None:
    entry = polib.POEntry(
        msgctxt="a", msgid="Dear Minister,", msgstr="Sehr geehrter Herr Minister,"
    )
    set_state(entry, State.NEW)
    assert entry.msgstr == "" and Catalog  # a "reject" built on it can never approve the text


def test_nothing_without_a_translation_can_be_approved(project_dir: Path) -> None:
    s = session(project_dir)
    with pytest.raises(ReviewError, match="no translation"):
        s.approve(TITLE, REVIEWER, force=True)
    with pytest.raises(ReviewError, match="no translation"):
        s.reject(TITLE)


def test_suggestions_and_qa_errors_need_force_to_be_approved(project_dir: Path) -> None:
    suggest(project_dir, TITLE, "ASİMKOM – Materialien der Bonner Konferenz")
    s = session(project_dir)
    with pytest.raises(ReviewError, match="machine suggestion"):
        s.approve(TITLE, REVIEWER)
    view = s.approve(TITLE, REVIEWER, force=True)
    assert view.state == State.REVIEWED and view.provenance is not None
    # The 25th became the 26th: a QA error.
    s.set_target(
        HELD,
        "ASİMKOM – das Koordinierungszentrum aserbaidschanischer politischer Flüchtlinge – "
        "hat am 26. Oktober in Bonn, Deutschland, seine jüngste Konferenz abgehalten.",
    )
    problems = s.approval_problems(HELD)
    assert any(p.startswith("QA error numbers") for p in problems), problems
    with pytest.raises(ReviewError, match="QA error numbers"):
        s.approve(HELD, REVIEWER)


def test_comment_edits_keep_the_approval(project_dir: Path) -> None:
    s = session(project_dir)
    s.set_target(TITLE, "ASİMKOM – Materialien der Bonner Konferenz")
    s.approve(TITLE, REVIEWER)
    view = s.set_comment(TITLE, "qa-ignore: same-as-source — the name is the title")
    assert view.state == State.REVIEWED
    assert view.comments == "qa-ignore: same-as-source — the name is the title"


def test_unknown_unit_is_a_one_line_error(project_dir: Path) -> None:
    with pytest.raises(ReviewError, match="no unit 'nope'"):
        session(project_dir).unit("nope")


# -- checks -----------------------------------------------------------------------------


def test_check_unit_gives_what_check_gives_for_every_bundled_unit(tmp_path: Path) -> None:
    """Live QA (check_unit) and `transflow check` agree on every unit of the bundled project."""
    root = tmp_path / "bundled"
    root.mkdir()
    for name in ("pyproject.toml", "glossary.yaml"):
        (root / name).write_bytes((REPO / name).read_bytes())
    for folder in ("source", "locales"):
        for path in (REPO / folder).rglob("*"):
            if path.is_file():
                (root / path.relative_to(REPO)).parent.mkdir(parents=True, exist_ok=True)
                (root / path.relative_to(REPO)).write_bytes(path.read_bytes())
    project = load_project(root)
    result = run_project(project, use_cache=False)
    expected: dict[tuple[str, str, str], list[tuple[object, ...]]] = {}
    for f in result.findings:
        key = (f.doc, f.locale or "", f.unit)
        expected.setdefault(key, []).append((f.check, f.severity, f.message, f.suppressed))
    from transflow.checking import UnitChecker

    compared = 0
    for locale in project.locales:
        checker = UnitChecker(project, locale)
        for doc in project.docs():
            s = ReviewSession.open(project, locale, doc, checker=checker)
            for unit in s.ids():
                got = s.check_unit(unit)
                target = [(f.check, f.severity, f.message, f.suppressed) for f in got if f.locale]
                source = [
                    (f.check, f.severity, f.message, f.suppressed) for f in got if not f.locale
                ]
                assert target == expected.get((doc, locale, unit), []), (doc, locale, unit)
                assert source == expected.get((doc, "", unit), []), (doc, unit)
                compared += 1
    assert compared == 4 * 144  # every unit of the four bundled documents in four locales


def test_check_unit_sees_typed_text_before_it_is_saved(project_dir: Path) -> None:
    s = session(project_dir)
    found = s.check_unit(PUBLISHED, "Diese Appelle werden am 26. Oktober veröffentlicht")
    assert {f.check for f in found} >= {"end-punctuation"}
    assert s.unit(PUBLISHED).target == ""  # nothing was written


# -- look-ups -------------------------------------------------------------------------


def test_memory_matches_never_offer_the_units_own_translation(project_dir: Path) -> None:
    behalf = "On behalf of Azerbaijani political refugees living in Europe"
    german = "Im Namen der in Europa lebenden aserbaidschanischen politischen Flüchtlinge"
    committee = session(project_dir, doc=COMMITTEE)
    unit = next(v.id for v in committee.units() if v.source.startswith(behalf))
    committee.set_target(unit, german + " wenden wir uns an Sie.")
    committee.save()
    own = f"locales/de/{COMMITTEE}.po#{unit}"
    assert own not in [
        m.entry.origin for m in session(project_dir, doc=COMMITTEE).memory_matches(unit)
    ]
    commission = session(project_dir, doc="bonn-2025-appeal-european-commission")
    similar = next(v.id for v in commission.units() if v.source.startswith("On behalf of"))
    (match, *_) = commission.memory_matches(similar)
    assert match.entry.origin == own and 50 <= match.score < 100


def test_concordance_finds_phrases_in_source_and_target(project_dir: Path) -> None:
    s = session(project_dir)
    s.set_target(PUBLISHED, "Diese Appelle werden nun auf unserer Website veröffentlicht.")
    s.save()
    project = load_project(project_dir)
    in_source = concordance(project, "political  REFUGEES")
    assert in_source and all("political refugees" in h.source.lower() for h in in_source)
    in_target = concordance(project, "unserer Website", locales=["de"])
    assert [(h.unit, h.in_source, h.in_target) for h in in_target] == [(PUBLISHED, False, True)]


def test_blockers_say_why_a_document_is_not_publishable(project_dir: Path) -> None:
    s = session(project_dir)
    for unit in s.ids():
        s.set_target(unit, "Diese Appelle werden nun auf unserer Website veröffentlicht.")
        if unit != PUBLISHED:
            s.approve(unit, REVIEWER, force=True)
    s.save()
    found = {b.unit: b for b in blockers(load_project(project_dir), NOTICE, "de")}
    assert found[PUBLISHED].reasons == ("not approved (translated)",)
    assert any("QA error glossary-missing" in r for r in found[TITLE].reasons)


# -- saving next to other writers ----------------------------------------------------------


def test_save_keeps_another_writers_edits_and_conflicts_only_on_the_same_unit(
    project_dir: Path,
) -> None:
    s = session(project_dir)
    s.set_target(TITLE, "ASİMKOM – Materialien der Bonner Konferenz")
    suggest(project_dir, PUBLISHED, "Diese Appelle werden jetzt veröffentlicht.")  # other writer
    result = s.save(translator=REVIEWER)
    assert result.written and result.from_disk == {PUBLISHED}
    assert s.unit(PUBLISHED).state == State.MACHINE  # picked up
    assert on_disk(project_dir, TITLE).msgstr.startswith("ASİMKOM – Materialien")
    # The same unit edited on both sides by people: a conflict, with both versions.
    s.set_target(PUBLISHED, "Diese Appelle stehen nun auf unserer Website.")
    other = session(project_dir)
    other.set_target(PUBLISHED, "Diese Appelle erscheinen nun auf unserer Website.")
    other.save()
    with pytest.raises(EditConflict) as caught:
        s.save()
    (conflict,) = caught.value.conflicts
    assert conflict.mine_target == "Diese Appelle stehen nun auf unserer Website."
    assert conflict.theirs_target == "Diese Appelle erscheinen nun auf unserer Website."
    s.save(prefer={PUBLISHED: "theirs"})
    assert on_disk(project_dir, PUBLISHED).msgstr.startswith("Diese Appelle erscheinen")


_PRETRANSLATE = """
import sys, time
from pathlib import Path
from transflow.config import load_project
from transflow.mt.controlled import ControlledEngine
from transflow.pretranslate import pretranslate

def slow(text, locale):
    time.sleep(0.05)
    return "[de] " + text

project = load_project(Path(sys.argv[1]))
pretranslate(project, locales=["de"], docs=project.docs(), engines=["argos"], batch_size=2,
             engine_factory=lambda name: ControlledEngine(slow))
"""


def test_reviewing_while_pretranslate_runs_loses_nothing(project_dir: Path) -> None:
    """A reviewer saves every few units while pretranslate fills the same catalogs."""
    script = project_dir / "run.py"
    script.write_text(_PRETRANSLATE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "TRANSFLOW_MODELS_DIR": "/nonexistent"}
    proc = subprocess.Popen([sys.executable, str(script), str(project_dir)], env=env)
    typed: dict[str, str] = {}
    try:
        s = session(project_dir, doc=COMMITTEE)
        for unit in s.ids()[::3]:
            typed[unit] = f"Übersetzt von Hand: {unit}"
            s.set_target(unit, typed[unit])
            s.approve(unit, REVIEWER, force=True)
            s.save(translator=REVIEWER)
            time.sleep(0.05)
    finally:
        assert proc.wait(timeout=240) == 0
    po = polib.pofile(str(project_dir / "locales" / "de" / f"{COMMITTEE}.po"))
    live = [e for e in po if not e.obsolete and e.msgctxt]
    for e in live:
        if e.msgctxt in typed:
            assert e.msgstr == typed[e.msgctxt], e.msgctxt  # the reviewer's text won
            assert e.tcomment.startswith("approved: Test Reviewer")
        else:
            assert e.msgstr.startswith("[de] ") and "machine" in e.flags, e.msgctxt


# -- the command line -----------------------------------------------------------------


def _translate_notice(root: Path) -> None:
    s = session(root)
    for unit in s.ids():
        s.set_target(unit, "Diese Appelle werden nun auf unserer Website veröffentlicht.")
    s.set_target(TITLE, "ASİMKOM – Materialien der Bonner Konferenz")
    s.save()


def test_cli_approve_named_units_and_unapprove(project_dir: Path) -> None:
    _translate_notice(project_dir)
    done = run_cli(
        "approve", "--locale", "de", "--reviewer", REVIEWER, TITLE, "--json", cwd=project_dir
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [u["unit"] for u in report["units"]] == [TITLE]
    assert report["written"] == [f"locales/de/{NOTICE}.po"]
    assert on_disk(project_dir, TITLE).tcomment.startswith("approved: Test Reviewer")
    human = run_cli("unapprove", "--locale", "de", "--reviewer", REVIEWER, TITLE, cwd=project_dir)
    assert human.returncode == 0 and "unapproved 1 unit(s) in de" in human.stdout
    assert "approved:" not in on_disk(project_dir, TITLE).tcomment


def test_cli_approve_all_translated_skips_what_cannot_be_approved(project_dir: Path) -> None:
    _translate_notice(project_dir)
    result = run_cli(
        "approve", "--locale", "de", "--doc", NOTICE, "--all-translated",
        "--reviewer", REVIEWER, "--json", cwd=project_dir,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    approved = {u["unit"] for u in report["units"]}
    skipped = {u["unit"]: u["reason"] for u in report["skipped"]}
    assert TITLE in approved
    assert approved | set(skipped) == set(session(project_dir).ids())
    assert all("QA error" in reason for reason in skipped.values())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--locale", "de", "nope"], "no unit nope in the de catalogs"),
        (["--locale", "xx", TITLE], "unknown locale 'xx'"),
        (["--locale", "es", TITLE], "not one of this project's locales"),
        (["--locale", "de", PUBLISHED], "it has no translation"),
        (["--locale", "de", "--doc", "nope", TITLE], "no source document 'nope'"),
        (["--locale", "de"], "give unit ids or --all-translated"),
    ],
)
def test_cli_approve_refusals_are_one_line_and_change_nothing(
    project_dir: Path, args: list[str], message: str
) -> None:
    from projects import snapshot

    before = snapshot(project_dir)
    result = run_cli("approve", "--reviewer", REVIEWER, *args, cwd=project_dir)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project_dir) == before


def test_cli_approve_of_a_suggestion_needs_force_and_says_what_it_overrode(
    project_dir: Path,
) -> None:
    from projects import snapshot

    suggest(project_dir, TITLE, "ASİMKOM – Materialien der Bonner Konferenz")
    before = snapshot(project_dir)
    refused = run_cli("approve", "--locale", "de", "--reviewer", REVIEWER, TITLE, cwd=project_dir)
    assert refused.returncode == 2 and "machine suggestion" in refused.stderr
    assert snapshot(project_dir) == before
    forced = run_cli(
        "approve", "--locale", "de", "--reviewer", REVIEWER, TITLE, "--force", cwd=project_dir
    )
    assert forced.returncode == 0, forced.stderr
    assert "--force overrode" in forced.stdout and "machine suggestion" in forced.stdout


def test_cli_approve_needs_a_person(project_dir: Path) -> None:
    _translate_notice(project_dir)
    env = {k: v for k, v in os.environ.items() if k != "TRANSFLOW_REVIEWER"}
    env.update(GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_SYSTEM="/dev/null", HOME=str(project_dir))
    result = subprocess.run(
        [sys.executable, "-m", "transflow.cli", "approve", "--locale", "de", TITLE],
        cwd=project_dir,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 2 and "who is approving?" in result.stderr
    env["TRANSFLOW_REVIEWER"] = "Anna Schmidt <anna@example.org>"
    result = subprocess.run(
        [sys.executable, "-m", "transflow.cli", "approve", "--locale", "de", TITLE],
        cwd=project_dir,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    po = polib.pofile(str(project_dir / "locales" / "de" / f"{NOTICE}.po"))
    assert po.metadata["Last-Translator"] == "Anna Schmidt <anna@example.org>"


def test_a_matched_variant_offers_its_own_rendering(project_dir: Path) -> None:
    """ "the Republic of Azerbaijan" is offered as what it says, not as the short name."""
    views = session(project_dir, "de", COMMITTEE).units()
    republic = next(
        t for v in views for t in v.terms if t.id == "azerbaijan" and "Republic" in t.matched
    )
    assert republic.approved is not None and "Republik" in republic.approved
    assert republic.allowed[0] == republic.approved
    assert "Aserbaidschan" in republic.allowed
