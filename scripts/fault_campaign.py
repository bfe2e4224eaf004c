"""Kill `transflow segment` and `transflow pretranslate` with SIGKILL mid-run; count the damage.

Each trial copies the bundled project (``source/``, ``locales/``, ``glossary.yaml``,
``pyproject.toml``) into a fresh folder, gives the command real work, starts the
real ``transflow`` command and sends it ``kill -9`` after a random delay within
the time an uninterrupted run takes. Then it checks what a user would lose:

* **corrupted** — a catalog or template that no longer parses;
* **lost** — a translation present before the run (active or obsolete) whose
  text is no longer anywhere in its catalog under its unit id;
* **reviewed changed** — an approved unit whose source did not change that is no
  longer approved with the same text;
* **rerun failed** — the same command, run again to completion, does not succeed.

It also counts the temporary files a killed write leaves (``.NAME.po.XXXX.tmp``)
and in how many trials the kill landed while files were being written.

``segment`` works on sources edited the way an author edits (words changed in
some sentences, a paragraph inserted, one removed); ``pretranslate`` fills new
units from memory and from the test suite's tiny Argos copy model (en→de,
en→ru), saving after every batch of four units.

    .venv/bin/python scripts/fault_campaign.py --trials 100
    .venv/bin/python scripts/fault_campaign.py --trials 20 --command segment --seed 7 --json

Exit status 1 if any trial corrupted a file, lost a translation or changed a
reviewed unit. ``tests/test_kill.py`` runs a few trials of each on every test run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

import polib  # noqa: E402

from transflow.catalog import state_of  # noqa: E402
from transflow.unit import State  # noqa: E402

COMMANDS = ("segment", "pretranslate")
PROJECT_FILES = ("pyproject.toml", "glossary.yaml", "source", "locales")
_PRETRANSLATE_ARGS = ("pretranslate", "--batch-size", "4")

# Unit key: (catalog path relative to the project, unit id).
Key = tuple[str, str]


@dataclass
class Trial:
    """What one kill did."""

    command: str
    delay: float
    killed: bool  # the process was still running when the signal came
    after_writing: bool  # it had already written a catalog (or was writing one)
    corrupted: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    reviewed_changed: list[str] = field(default_factory=list)
    temp_files: list[str] = field(default_factory=list)
    rerun_failed: str = ""


@dataclass
class Report:
    """The campaign's totals, and every trial that found something."""

    trials: int = 0
    kills: int = 0
    kills_after_writing: int = 0
    corrupted_files: int = 0
    lost_translations: int = 0
    reviewed_changed: int = 0
    reruns_failed: int = 0
    trials_leaving_temp_files: int = 0
    seconds: float = 0.0
    problems: list[Trial] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (
            self.corrupted_files
            or self.lost_translations
            or self.reviewed_changed
            or self.reruns_failed
        )

    def add(self, trial: Trial) -> None:
        self.trials += 1
        self.kills += trial.killed
        self.kills_after_writing += trial.after_writing
        self.corrupted_files += len(trial.corrupted)
        self.lost_translations += len(trial.lost)
        self.reviewed_changed += len(trial.reviewed_changed)
        self.reruns_failed += bool(trial.rerun_failed)
        self.trials_leaving_temp_files += bool(trial.temp_files)
        if trial.corrupted or trial.lost or trial.reviewed_changed or trial.rerun_failed:
            self.problems.append(trial)


# -- the projects ------------------------------------------------------------------------


def _copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        else:
            shutil.copy2(source, dest / name)
    return dest


def _edit_sources(root: Path, rng: random.Random) -> None:
    """Edit every source the way an author does, so ``segment`` rewrites every catalog."""
    for path in sorted((root / "source").glob("*.md")):
        paragraphs = path.read_text(encoding="utf-8").split("\n\n")
        for i, paragraph in enumerate(paragraphs):
            if rng.random() < 0.25 and " the " in paragraph:
                paragraphs[i] = paragraph.replace(" the ", " this ", 1)
        if len(paragraphs) > 4:
            del paragraphs[rng.randrange(2, len(paragraphs) - 1)]
        at = rng.randrange(1, len(paragraphs))
        paragraphs.insert(at, f"An inserted paragraph, number {at}, for the campaign.")
        path.write_text("\n\n".join(paragraphs), encoding="utf-8")


def _install_models(models: Path, scratch: Path) -> None:
    from argos_model import build_argos_model
    from transflow.models import install_model

    for locale in ("de", "ru"):
        install_model(models, build_argos_model(scratch, "en", locale), ["de", "ru"])


def _environment(models: Path) -> dict[str, str]:
    env = {**os.environ, "TRANSFLOW_MODELS_DIR": str(models), "COLUMNS": "100"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    return env


def _run(root: Path, args: Sequence[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "transflow.cli", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


# -- what a catalog holds ---------------------------------------------------------------------


def _stamps(root: Path) -> list[tuple[str, int]]:
    """Name and modification time of every file under ``locales/``, temporary ones too."""
    out = []
    for path in (root / "locales").rglob("*"):
        try:
            out.append((str(path), path.stat().st_mtime_ns))
        except FileNotFoundError:  # a temporary file renamed meanwhile
            out.append((str(path), 0))
    return sorted(out)


def _catalogs(root: Path) -> list[Path]:
    return sorted((root / "locales").rglob("*.po")) + sorted((root / "locales").glob("*.pot"))


def _read(path: Path) -> list[polib.POEntry]:
    """The entries of a catalog; raises if the file is not a well-formed PO file."""
    from transflow.catalog import Catalog

    catalog = Catalog.load(path)  # transflow's own strict reading
    return list(catalog.po)


@dataclass
class Holdings:
    """What the catalogs hold that must survive: translations and approvals."""

    targets: dict[Key, set[str]]  # every target text under each unit id (active or obsolete)
    reviewed: dict[Key, tuple[str, str]]  # approved units: (source, target)
    digests: dict[str, bytes]


def _holdings(root: Path) -> Holdings:
    targets: dict[Key, set[str]] = {}
    reviewed: dict[Key, tuple[str, str]] = {}
    digests: dict[str, bytes] = {}
    for path in _catalogs(root):
        name = path.relative_to(root).as_posix()
        digests[name] = path.read_bytes()
        if path.suffix == ".pot":
            continue
        for entry in _read(path):
            if not entry.msgctxt:
                continue
            key = (name, entry.msgctxt)
            if entry.msgstr.strip():
                targets.setdefault(key, set()).add(entry.msgstr)
            if not entry.obsolete and state_of(entry) == State.REVIEWED:
                reviewed[key] = (entry.msgid, entry.msgstr)
    return Holdings(targets, reviewed, digests)


def _damage(root: Path, before: Holdings, trial: Trial) -> None:
    after_targets: dict[Key, set[str]] = {}
    after_entries: dict[Key, polib.POEntry] = {}
    for path in _catalogs(root):
        name = path.relative_to(root).as_posix()
        try:
            entries = _read(path)
        except Exception as exc:  # any failure to read is corruption
            trial.corrupted.append(f"{name}: {type(exc).__name__}: {exc}")
            continue
        for entry in entries:
            if entry.msgctxt and entry.msgstr.strip():
                after_targets.setdefault((name, entry.msgctxt), set()).add(entry.msgstr)
            if entry.msgctxt and not entry.obsolete:
                after_entries[(name, entry.msgctxt)] = entry
    corrupt = {line.split(":", 1)[0] for line in trial.corrupted}
    for key, texts in before.targets.items():
        if key[0] in corrupt:
            continue  # counted as corrupted already
        missing = texts - after_targets.get(key, set())
        for text in sorted(missing):
            trial.lost.append(f"{key[0]}#{key[1]}: {text[:60]!r}")
    for key, (source, target) in before.reviewed.items():
        entry = after_entries.get(key)
        if key[0] in corrupt or entry is None or entry.msgid != source:
            continue  # the source itself changed (segment) or the file is counted already
        if entry.msgstr != target or state_of(entry) != State.REVIEWED:
            trial.reviewed_changed.append(f"{key[0]}#{key[1]}")
    trial.temp_files = sorted(
        p.relative_to(root).as_posix() for p in (root / "locales").rglob(".*.tmp")
    )


# -- the campaign --------------------------------------------------------------------------------


class Campaign:
    """Prepared projects for each command, and the timing of an uninterrupted run."""

    def __init__(
        self, work: Path, seed: int, locales: Sequence[str] = (), rerun: bool = True
    ) -> None:
        self.work = work
        self.rng = random.Random(seed)
        self.locales = tuple(locales)
        self.rerun = rerun
        self.models = work / "models"
        _install_models(self.models, work / "packages")
        self.env = _environment(self.models)
        self.bases: dict[str, Path] = {}
        self.args: dict[str, tuple[str, ...]] = {}
        self.durations: dict[str, float] = {}
        self.first_write: dict[str, float] = {}
        self.count = 0

    def _base(self, command: str) -> Path:
        if command in self.bases:
            return self.bases[command]
        base = _copy_project(self.work / f"base-{command}")
        if command == "segment":
            _edit_sources(base, random.Random(1))
            self.args[command] = ("segment",)
        else:
            chosen = tuple(word for locale in self.locales for word in ("--locale", locale))
            self.args[command] = (*_PRETRANSLATE_ARGS, *chosen)
        # One uninterrupted run on a throw-away copy sets the range of kill delays: from
        # a little before its first write (start-up is safe by construction) to its end.
        timing = self.work / f"timing-{command}"
        shutil.copytree(base, timing)
        stamps = _stamps(timing)
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "transflow.cli", *self.args[command]],
            cwd=timing,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        first = None
        while proc.poll() is None:
            if first is None and _stamps(timing) != stamps:
                first = time.perf_counter() - started
            time.sleep(0.005)
        self.durations[command] = time.perf_counter() - started
        if proc.returncode != 0:
            raise SystemExit(f"{command} fails without a kill (exit {proc.returncode})")
        self.first_write[command] = 0.8 * (first if first is not None else 0.0)
        shutil.rmtree(timing)
        self.bases[command] = base
        return base

    def trial(self, command: str) -> Trial:
        base = self._base(command)
        self.count += 1
        root = self.work / f"trial-{self.count}"
        shutil.copytree(base, root)
        before = _holdings(root)
        delay = self.rng.uniform(self.first_write[command], self.durations[command])
        proc = subprocess.Popen(
            [sys.executable, "-m", "transflow.cli", *self.args[command]],
            cwd=root,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        killed = proc.poll() is None
        if killed:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        killed = killed and proc.returncode == -signal.SIGKILL
        changed = [
            name
            for name, data in before.digests.items()
            if not (root / name).is_file() or (root / name).read_bytes() != data
        ]
        temp = list((root / "locales").rglob(".*.tmp"))
        trial = Trial(command, round(delay, 3), killed, killed and bool(temp or changed))
        _damage(root, before, trial)
        if self.rerun and not trial.corrupted:
            rerun = _run(root, self.args[command], self.env)
            if rerun.returncode != 0:
                trial.rerun_failed = (rerun.stderr.strip().splitlines() or ["?"])[-1]
        shutil.rmtree(root, ignore_errors=True)
        return trial


def run_campaign(
    trials: int,
    commands: Sequence[str] = COMMANDS,
    seed: int = 0,
    *,
    locales: Sequence[str] = (),
    rerun: bool = True,
    work: Path | None = None,
) -> Report:
    """Run ``trials`` kills of each command; return the totals.

    ``locales`` limits what ``pretranslate`` fills (default: every locale);
    without ``rerun`` the command is not run again after each kill.
    """
    started = time.perf_counter()
    report = Report()
    with tempfile.TemporaryDirectory(prefix="transflow-faults-", dir=work) as tmp:
        campaign = Campaign(Path(tmp), seed, locales, rerun)
        for i in range(trials * len(commands)):
            report.add(campaign.trial(commands[i % len(commands)]))
    report.seconds = round(time.perf_counter() - started, 1)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=20, help="kills per command (20)")
    parser.add_argument(
        "--command", action="append", choices=COMMANDS, help="only this command (repeatable)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed of the kill delays")
    parser.add_argument(
        "--locale", action="append", default=[], help="pretranslate only this locale (repeatable)"
    )
    parser.add_argument(
        "--no-rerun", action="store_true", help="do not run the command again after each kill"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    report = run_campaign(
        args.trials,
        tuple(args.command or COMMANDS),
        args.seed,
        locales=args.locale,
        rerun=not args.no_rerun,
    )
    if args.json:
        print(json.dumps(asdict(report), indent=2, ensure_ascii=False))
    else:
        print(
            f"{report.trials} trials in {report.seconds} s: {report.kills} kills "
            f"({report.kills_after_writing} after the first catalog was written)\n"
            f"  corrupted files:     {report.corrupted_files}\n"
            f"  lost translations:   {report.lost_translations}\n"
            f"  reviewed changed:    {report.reviewed_changed}\n"
            f"  reruns failed:       {report.reruns_failed}\n"
            f"  trials leaving .tmp: {report.trials_leaving_temp_files}"
        )
        for trial in report.problems:
            print(f"  ! {trial}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
