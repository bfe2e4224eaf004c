"""Pre-translation end to end: memory first, then MT, glossary protected, resumable."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest

from projects import REPO, make_project, run_cli, snapshot
from transflow.catalog import get_note, state_of
from transflow.config import load_project
from transflow.mt.controlled import ControlledEngine
from transflow.pretranslate import pretranslate
from transflow.unit import State
from transflow.update import update_catalogs

COMMITTEE = "bonn-2025-appeal-committee-of-ministers"
MINISTER = "bonn-2025-appeal-german-foreign-minister"
COMMISSION = "bonn-2025-appeal-european-commission"

DETAINED = "More than 40 journalists, including 9 women, are currently detained."
IMPRISONED = "More than 40 journalists, including 9 women, are currently imprisoned."
DATELINE = "October 25, 2025, Bonn, Germany"


@pytest.fixture
def project_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(tmp_path / "appeals")
    update_catalogs(load_project(root))
    monkeypatch.setenv("TRANSFLOW_MODELS_DIR", str(tmp_path / "no-models"))
    return root


def catalog(root: Path, locale: str, doc: str) -> Path:
    return root / "locales" / locale / f"{doc}.po"


def entries(path: Path) -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(path)) if not e.obsolete]


def set_target(path: Path, source: str, target: str, flags: tuple[str, ...] = ()) -> str:
    """Give the first unit with ``source`` a target; return its id."""
    po = polib.pofile(str(path), wrapwidth=78)
    entry = next(e for e in po if e.msgid == source)
    entry.msgstr = target
    entry.flags = list(flags)
    po.save(str(path))
    return str(entry.msgctxt)


def env_with_models(models: Path) -> dict[str, str]:
    return {**os.environ, "TRANSFLOW_MODELS_DIR": str(models)}


def cli(*args: str, cwd: Path, models: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "transflow.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=env_with_models(models),
    )


def assert_msgfmt_valid(root: Path) -> None:
    if shutil.which("msgfmt") is None:
        return
    for path in sorted((root / "locales").rglob("*.po")):
        result = subprocess.run(
            ["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr


# -- machine translation through the real Argos code path ---------------------------


def test_pretranslate_fills_every_new_unit_naming_the_model(
    project_dir: Path, installed_models: Path
) -> None:
    minister = catalog(project_dir, "de", MINISTER)
    dear = set_target(minister, "Dear Minister,", "Sehr geehrter Herr Minister,", ("reviewed",))
    dateline = set_target(minister, DATELINE, "25. Oktober 2025, Bonn, Deutschland")
    untouched = {p: p.read_bytes() for p in (project_dir / "locales" / "fr").glob("*.po")}

    result = cli(
        "pretranslate", "--locale", "de", "--json", cwd=project_dir, models=installed_models
    )

    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)["locales"][0]
    assert summary["locale"] == "de" and summary["empty"] == 0
    assert summary["machine"] > 100 and "translate-en_de" in summary["engine"]
    for path in (project_dir / "locales" / "de").glob("*.po"):
        for entry in entries(path):
            if entry.msgctxt == dear and path == minister:
                assert entry.msgstr == "Sehr geehrter Herr Minister,"
                assert state_of(entry) == State.REVIEWED
            elif entry.msgctxt == dateline and path == minister:
                assert entry.msgstr == "25. Oktober 2025, Bonn, Deutschland"
                assert state_of(entry) == State.TRANSLATED
            elif state_of(entry) == State.MEMORY:
                # both sentences occur again in the appeals: memory beats MT
                assert entry.msgid in (DATELINE, "Dear Minister,")
                assert "100% from locales/de/" in (get_note(entry, "memory") or "")
            else:
                assert entry.msgstr, entry.msgid
                assert {"fuzzy", "machine"} <= set(entry.flags)
                assert "argos:translate-en_de" in (get_note(entry, "machine") or "")
    assert {p: p.read_bytes() for p in untouched} == untouched
    assert_msgfmt_valid(project_dir)

    again = cli(
        "pretranslate", "--locale", "de", "--json", cwd=project_dir, models=installed_models
    )
    assert json.loads(again.stdout)["locales"][0]["new_before"] == 0


def test_whole_run_with_sockets_blocked(
    project_dir: Path,
    installed_models: Path,
    block_network: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRANSFLOW_MODELS_DIR", str(installed_models))
    project = load_project(project_dir)
    summaries = pretranslate(project, locales=["de", "ru"], docs=project.docs())
    assert [s.machine > 100 for s in summaries] == [True, True]
    assert block_network == []


def test_russian_output_gets_the_approved_name(project_dir: Path, installed_models: Path) -> None:
    result = cli(
        "pretranslate",
        "--locale",
        "ru",
        "--doc",
        COMMITTEE,
        cwd=project_dir,
        models=installed_models,
    )
    assert result.returncode == 0, result.stderr
    units = entries(catalog(project_dir, "ru", COMMITTEE))
    with_aliyev = [e for e in units if "Ilham Aliyev" in e.msgid]
    assert with_aliyev
    for entry in with_aliyev:
        # the copy model carries the placeholder through; it comes back in Cyrillic
        assert "Ильхам Алиев" in entry.msgstr and "Ilham Aliyev" not in entry.msgstr
        assert get_note(entry, "protection-failed") is None


# -- glossary protection failing, through a controlled engine ------------------------


def test_lost_placeholder_keeps_raw_mt_and_a_qa_finding(project_dir: Path) -> None:
    project = load_project(project_dir)
    engine = ControlledEngine(lambda text, locale: f"[ru] {text}", drop_placeholders=True)
    [summary] = pretranslate(
        project,
        locales=["ru"],
        docs=[COMMITTEE],
        engines=["argos"],
        engine_factory=lambda name: engine,
    )
    assert summary.protection_failures > 0
    unit = next(
        e for e in entries(catalog(project_dir, "ru", COMMITTEE)) if "Ilham Aliyev" in e.msgid
    )
    assert unit.msgstr == f"[ru] {unit.msgid}"  # the raw MT of the unprotected source
    assert "ilham-aliyev" in (get_note(unit, "protection-failed") or "")

    check = run_cli("check", "--locale", "ru", "--doc", COMMITTEE, "--json", cwd=project_dir)
    findings = json.loads(check.stdout)
    assert any(
        f["unit"] == unit.msgctxt and f["check"].startswith("glossary") and f["severity"] == "error"
        for f in findings
    ), [f for f in findings if f["unit"] == unit.msgctxt]


# -- translation memory ----------------------------------------------------------------


def test_memory_fills_exact_and_fuzzy_matches_across_appeals(project_dir: Path) -> None:
    committee = catalog(project_dir, "de", COMMITTEE)
    german = "Mehr als 40 Journalisten, darunter 9 Frauen, sind derzeit inhaftiert."
    set_target(committee, DETAINED, german, ("reviewed",))
    set_target(committee, DATELINE, "25. Oktober 2025, Bonn, Deutschland", ("reviewed",))

    result = run_cli("pretranslate", "--locale", "de", "--json", cwd=project_dir)

    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)["locales"][0]
    assert summary["memory_exact"] >= 1 and summary["memory_fuzzy"] >= 1
    assert summary["machine"] == 0 and "transflow models install" in summary["missing"]
    minister = {e.msgid: e for e in entries(catalog(project_dir, "de", MINISTER))}
    exact, fuzzy = minister[DATELINE], minister[IMPRISONED]
    assert exact.msgstr == "25. Oktober 2025, Bonn, Deutschland"
    assert {"fuzzy", "memory"} <= set(exact.flags)
    assert get_note(exact, "memory") == (
        f"100% from locales/de/{COMMITTEE}.po#{_id(committee, DATELINE)} (reviewed)"
    )
    assert fuzzy.msgstr == german and {"fuzzy", "memory"} <= set(fuzzy.flags)
    score = int((get_note(fuzzy, "memory") or "").split("%")[0])
    assert 75 <= score < 100
    # everything memory could not fill stays new, for a translator or a later MT run
    assert sum(1 for e in minister.values() if not e.msgstr) > 30


def _id(path: Path, source: str) -> str:
    return next(e.msgctxt for e in entries(path) if e.msgid == source)


def test_reviewed_memory_ranks_above_translated(project_dir: Path) -> None:
    set_target(catalog(project_dir, "de", COMMITTEE), DATELINE, "A (nur übersetzt)")
    reviewed = catalog(project_dir, "de", "bonn-2025-notice")
    po = polib.pofile(str(reviewed), wrapwidth=78)
    po.append(polib.POEntry(msgctxt="zz", msgid=DATELINE, msgstr="B (geprüft)", obsolete=True))
    po.save(str(reviewed))  # obsolete entries are not memory: only A is there
    project = load_project(project_dir)
    pretranslate(project, locales=["de"], docs=[MINISTER], engines=["memory"])
    minister = {e.msgid: e for e in entries(catalog(project_dir, "de", MINISTER))}
    assert minister[DATELINE].msgstr == "A (nur übersetzt)"
    assert (get_note(minister[DATELINE], "memory") or "").endswith("(translated)")


# -- interruption and resume ------------------------------------------------------------

_SLOW_RUN = """
import sys, time
from pathlib import Path
from transflow.config import load_project
from transflow.mt.controlled import ControlledEngine
from transflow.pretranslate import pretranslate

def slow(text, locale):
    time.sleep(0.02)
    return "[de] " + text

engine = ControlledEngine(slow)
project = load_project(Path(sys.argv[1]))
pretranslate(project, locales=["de"], docs=project.docs(), engines=["argos"],
             batch_size=4, engine_factory=lambda name: engine)
"""


def _machine_units(root: Path) -> list[tuple[str, str, str]]:
    return [
        (path.name, e.msgctxt, e.msgstr)
        for path in sorted((root / "locales" / "de").glob("*.po"))
        for e in entries(path)
        if "machine" in e.flags
    ]


def test_kill_9_mid_run_then_rerun_completes(project_dir: Path) -> None:
    total = sum(len(entries(p)) for p in (project_dir / "locales" / "de").glob("*.po"))
    script = project_dir / "slow_run.py"
    script.write_text(_SLOW_RUN, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.Popen([sys.executable, str(script), str(project_dir)], env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            done = len(_machine_units(project_dir))
        except OSError:
            done = 0
        if done >= 12:
            break
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = _machine_units(project_dir)
    assert 12 <= len(partial) < total
    assert_msgfmt_valid(project_dir)

    proc = subprocess.run([sys.executable, str(script), str(project_dir)], env=env, timeout=120)
    assert proc.returncode == 0
    final = _machine_units(project_dir)
    assert len(final) == total  # none lost
    assert len({(name, uid) for name, uid, _ in final}) == total  # none duplicated
    assert set(partial) <= set(final)  # what the first run saved was kept as it was
    assert all(text.startswith("[de] ") and "[de] [de]" not in text for _, _, text in final)
    assert_msgfmt_valid(project_dir)


def test_ctrl_c_saves_finished_batches(project_dir: Path) -> None:
    calls = 0

    def interrupt_third_batch(text: str, locale: str) -> str:
        nonlocal calls
        calls += 1
        if calls > 8:
            raise KeyboardInterrupt
        return "[de] " + text

    project = load_project(project_dir)
    engine = ControlledEngine(interrupt_third_batch)
    with pytest.raises(KeyboardInterrupt):
        pretranslate(
            project,
            locales=["de"],
            docs=[MINISTER],
            engines=["argos"],
            batch_size=4,
            engine_factory=lambda name: engine,
        )
    assert len(_machine_units(project_dir)) == 8


# -- errors: one line, exit 2, nothing written -------------------------------------------


def test_explicit_argos_without_model_is_exit_2_and_writes_nothing(project_dir: Path) -> None:
    before = snapshot(project_dir)
    result = run_cli("pretranslate", "--locale", "de", "--engine", "argos", cwd=project_dir)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "transflow models install translate-en_de-1_9.argosmodel" in result.stderr
    assert snapshot(project_dir) == before


def test_default_engines_without_model_say_so_and_succeed(project_dir: Path) -> None:
    result = run_cli("pretranslate", "--locale", "fr", cwd=project_dir)
    assert result.returncode == 0, result.stderr
    # one line, however narrow the terminal, so the install command can be copied
    assert any(
        "no Argos model for en→fr" in line
        and "`transflow models install translate-en_fr-1_9.argosmodel`" in line
        for line in result.stdout.splitlines()
    ), result.stdout


def test_unknown_locale_is_exit_2_and_writes_nothing(project_dir: Path) -> None:
    before = snapshot(project_dir)
    result = run_cli("pretranslate", "--locale", "xx", cwd=project_dir)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "xx" in result.stderr
    assert snapshot(project_dir) == before


LT_ARGS = ("--locale", "de", "--engine", "libretranslate")


def test_server_down_is_exit_2_and_writes_nothing(project_dir: Path) -> None:
    before = snapshot(project_dir)
    env = {**os.environ, "TRANSFLOW_LIBRETRANSLATE_URL": "http://127.0.0.1:9"}
    result = subprocess.run(
        [sys.executable, "-m", "transflow.cli", "pretranslate", *LT_ARGS],
        cwd=project_dir,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "127.0.0.1:9" in result.stderr
    assert snapshot(project_dir) == before


def test_broken_catalog_is_exit_2_naming_file_and_line(project_dir: Path) -> None:
    path = catalog(project_dir, "de", MINISTER)
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgid "unterminated\n', encoding="utf-8")
    before = snapshot(project_dir)
    result = run_cli("pretranslate", "--locale", "de", cwd=project_dir)
    assert result.returncode == 2
    assert f"{MINISTER}.po:" in result.stderr and result.stderr.count("\n") == 1
    assert snapshot(project_dir) == before


def test_identical_new_units_are_translated_once_and_propagated(project_dir: Path) -> None:
    project = load_project(project_dir)
    engine = ControlledEngine(lambda text, locale: f"[de] {text}")
    [summary] = pretranslate(
        project, locales=["de"], docs=[MINISTER], engines=["argos"], engine_factory=lambda n: engine
    )
    sent = [text for texts, _ in engine.calls for text in texts]
    assert sent.count("Dear Minister,") == 1
    dear = [e for e in entries(catalog(project_dir, "de", MINISTER)) if e.msgid == "Dear Minister,"]
    assert len(dear) == 2 and all(e.msgstr == "[de] Dear Minister," for e in dear)
    assert summary.propagated >= 1 and summary.machine == len(
        entries(catalog(project_dir, "de", MINISTER))
    )


def test_broken_installed_model_is_exit_2_before_memory_writes(
    project_dir: Path, installed_models: Path, tmp_path: Path
) -> None:
    models = tmp_path / "broken-models"
    shutil.copytree(installed_models, models)
    [weights] = models.glob("translate-en_de*/model/model.bin")
    weights.write_bytes(weights.read_bytes()[:100])
    set_target(catalog(project_dir, "de", COMMITTEE), DATELINE, "25. Oktober 2025", ("reviewed",))
    before = snapshot(project_dir)
    result = cli("pretranslate", "--locale", "de", cwd=project_dir, models=models)
    assert result.returncode == 2
    assert "model.bin" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert snapshot(project_dir) == before  # not even the memory match was written


def test_broken_tokenizer_is_exit_2_before_anything_is_written(
    project_dir: Path, installed_models: Path, tmp_path: Path
) -> None:
    """A corrupt sentencepiece.model is found when the model loads, not mid-run (issue 13.6)."""
    models = tmp_path / "broken-tokenizer"
    shutil.copytree(installed_models, models)
    [tokenizer] = models.glob("translate-en_de*/sentencepiece.model")
    data = tokenizer.read_bytes()
    tokenizer.write_bytes(data[:40] + b"\xff" * 64 + data[200:])
    set_target(catalog(project_dir, "de", COMMITTEE), DATELINE, "25. Oktober 2025", ("reviewed",))
    before = snapshot(project_dir)
    result = cli("pretranslate", "--locale", "de", cwd=project_dir, models=models)
    assert result.returncode == 2, result.stderr
    assert "sentencepiece.model" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert snapshot(project_dir) == before
