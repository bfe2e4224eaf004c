"""Benchmark: ``transflow check`` and ``transflow coverage`` against pofilter and pocount.

Two synthetic projects of 1,000 documents × 100 German units (``--quick``: 50
documents) are written to a temporary directory, from real sentences of the
Bonn appeals made unique per unit, mostly reviewed or translated, some machine
suggestions:

* finding-light: careful German translations with a few planted problems (a
  changed number, a double space, a missing full stop, a forbidden name form);
* finding-heavy: nearly every target careless, about two findings a unit
  (English names where the glossary wants German ones, a bracket never closed,
  quotation marks dropped, a number lost or spelled out, a missing full stop,
  doubled words and spaces): what a project looks like before its first review,
  and what makes a checker's memory grow with its findings.

Baselines, measured in the same run on the same catalogs: translate-toolkit's
``pofilter`` with 12 comparable prose checks, and ``pocount``. transflow is
timed cold (empty cache) and warm (second run, nothing changed). Peak memory
is the "Maximum resident set size" of ``/usr/bin/time -v`` (the largest
process of the run: the parent or its forked child).

Like the Debian-packaged translate-toolkit, whose modules are byte-compiled at
install time, transflow runs from compiled bytecode: the commands run with
``PYTHONPYCACHEPREFIX`` set to a temporary directory (and without
``PYTHONDONTWRITEBYTECODE``), filled by one untimed run of each command on a
two-document project before the timed runs; the ``.transflow/cache`` of the
measured project is deleted before every cold run. Every command runs
``--repeat`` times (3 by default), in interleaved rounds, and the median is
reported, so one noisy run or a slow spell of the machine decides nothing.

The verdicts are issue 13's targets, on each corpus: cold ``check`` at least 3×
as fast as pofilter, cold ``coverage`` at least 2× as fast as pocount, and no
run above 200 MiB. Warm times are printed for information. transflow runs in
two processes where pofilter and pocount run in one, so on a machine busy with
other work the ratios drop: read them with the load average printed first.

    python bench/bench_qa_coverage.py [--quick] [--corpus light|heavy|both] [--keep DIR]
                                      [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_qa import PAIRS, _code  # noqa: E402
from transflow.approval import approval_line  # noqa: E402

POFILTER_CHECKS = (
    "untranslated",
    "numbers",
    "urls",
    "endpunc",
    "doublequoting",
    "brackets",
    "doublespacing",
    "doublewords",
    "long",
    "short",
    "startwhitespace",
    "endwhitespace",
)
UNITS_PER_DOC = 100
APPROVED = "2026-01-01T00:00Z"

PYPROJECT = """\
[project]
name = "bench"
version = "0"

[tool.transflow]
locales = ["de"]
project-name = "bench"
"""


def _po_string(keyword: str, text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if len(escaped) + len(keyword) + 3 <= 78:
        return f'{keyword} "{escaped}"\n'
    lines = [f'{keyword} ""']
    words = re.findall(r"\S+\s*", escaped)
    line = ""
    for word in words:
        if len(line) + len(word) > 76:
            lines.append(f'"{line}"')
            line = ""
        line += word
    lines.append(f'"{line}"')
    return "\n".join(lines) + "\n"


def _unit(i: int) -> tuple[str, str, list[str]]:
    """Source, target and flags of synthetic unit ``i`` (some with planted problems)."""
    source, target = PAIRS[i % len(PAIRS)]
    code = _code(i)
    source, target = f"{code}: {source}", f"{code}: {target}"
    flags = ["reviewed"] if i % 3 else []
    if i % 10 == 7:
        flags = ["fuzzy", "machine"]
    if i % 97 == 5 and "2025" in target:
        target = target.replace("2025", "2024")
    elif i % 89 == 3:
        target = target.replace(" ", "  ", 1)
    elif i % 83 == 1:
        target = target.rstrip(".")
    elif i % 101 == 2 and "Alijew" in target:
        target = target.replace("Alijew", "Aliyev")
    if i % 50 == 49:
        target = ""
        flags = []
    return source, target, flags


# Careless translations of ``PAIRS``, two problems each: English names where the glossary
# wants German ones, a bracket never closed, quotation marks dropped, a number lost or
# spelled out, a missing full stop, doubled words and spaces.
SLOPPY = (
    "Mehr als 40 Journalisten (darunter neun Frauen, sind derzeit inhaftiert.",
    "Insgesamt werden etwa 4OO politische Gefangene in aserbaidschanischen Gefängnissen "
    "festgehalten",
    "Die Gründer, Chefredakteure und führenden Journalisten des Portals AbzasMedia, "
    "von Meydan TV und „Toplum TV“ wurden inhaftiert.",
    "Zwischen 2021 und 2024 wurden in Europe vier politische Flüchtlinge ermordet",
    "Sehr geehrter Herr  Minister",
    "Das natürliche Recht von zehn Millionen Bürgern auf Freizügigkeit wird verletzt, und "
    "es herrscht  Willkür von Polizei und Beamten.",
    "In beiden Fällen dauern die die Ermittlungen an",
    "25. Oktober 2024, Bonn, Germany",
    "Wir laden die Bundesregierung und das Foreign Office ein, bei diesen  Bemühungen "
    "zusammenzuarbeiten.",
    "Leider hat die Bundesregierung dem Aliyev-Regime in vielen Fällen Zugeständnisse gemacht.",
)


def _heavy_unit(i: int) -> tuple[str, str, list[str]]:
    """Like ``_unit``, but nearly every target is careless: about two findings a unit."""
    source, target, flags = _unit(i)
    if target and i % 25:
        code = _code(i)
        target = f"{code}: {SLOPPY[i % len(PAIRS)]}"
    return source, target, flags


def make_corpus(root: Path, docs: int, heavy: bool = False) -> int:
    """Write the project (``heavy``: the finding-heavy one); return the number of units."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    if (REPO / "glossary.yaml").exists():
        shutil.copy(REPO / "glossary.yaml", root / "glossary.yaml")
    (root / "source").mkdir(exist_ok=True)
    (root / "locales" / "de").mkdir(parents=True, exist_ok=True)
    header = (
        'msgid ""\nmsgstr ""\n"Project-Id-Version: bench\\n"\n"Language: de\\n"\n'
        '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Content-Transfer-Encoding: 8bit\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
    )
    n = 0
    for d in range(docs):
        doc = f"doc-{d:04d}"
        parts = [header]
        md = []
        for u in range(UNITS_PER_DOC):
            source, target, flags = (_heavy_unit if heavy else _unit)(n)
            md.append(source)
            entry = "\n"
            if "reviewed" in flags:  # approved as transflow records it: a translator comment
                flags = [flag for flag in flags if flag != "reviewed"]
                entry += f"# {approval_line('Bench Reviewer', source, target, APPROVED)}\n"
            entry += f"#. kind: paragraph\n#: source/{doc}.md:{u + 1}\n"
            if flags:
                entry += f"#, {', '.join(flags)}\n"
            entry += f'msgctxt "{n:08x}"\n' + _po_string("msgid", source)
            entry += _po_string("msgstr", target)
            parts.append(entry)
            n += 1
        (root / "locales" / "de" / f"{doc}.po").write_text("".join(parts), encoding="utf-8")
        (root / "source" / f"{doc}.md").write_text("\n\n".join(md) + "\n", encoding="utf-8")
    return n


def measure(
    cmd: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    repeat: int = 1,
    before: Callable[[], None] | None = None,
) -> tuple[float, int]:
    """Median wall time (s) and peak RSS (MB) of ``repeat`` runs, ``before`` before each."""
    runs = []
    for _ in range(repeat):
        if before is not None:
            before()
        runs.append(_measure_once(cmd, cwd, env))
    runs.sort()
    return runs[len(runs) // 2]


def _measure_once(cmd: list[str], cwd: Path, env: dict[str, str] | None) -> tuple[float, int]:
    """Wall time (s) and peak RSS (MB) of one command, output discarded."""
    timer = ["/usr/bin/time", "-v"] if Path("/usr/bin/time").exists() else []
    start = time.perf_counter()
    result = subprocess.run(
        timer + cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    return elapsed, int(match.group(1)) // 1024 if match else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 documents instead of 1,000")
    parser.add_argument("--docs", type=int, help="number of documents")
    parser.add_argument(
        "--corpus", choices=("light", "heavy", "both"), default="both", help="which corpus"
    )
    parser.add_argument("--keep", type=Path, help="build the corpora here and keep them")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per command; the median is reported"
    )
    args = parser.parse_args()
    docs = args.docs or (50 if args.quick else 1000)
    tmp = Path(tempfile.mkdtemp(prefix="bench-qa-coverage-"))
    try:
        if hasattr(os, "getloadavg"):  # other work on the machine skews every number
            load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
            print(f"{os.cpu_count()} CPUs, load average {load}")
        env = dict(os.environ, PYTHONPYCACHEPREFIX=str(tmp / "pycache"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        tiny = tmp / "tiny"
        make_corpus(tiny, 2)
        for name in ("check", "coverage"):  # untimed: writes the bytecode
            measure([sys.executable, "-m", "transflow.cli", name, "--json"], tiny, env)
        kinds = ("light", "heavy") if args.corpus == "both" else (args.corpus,)
        missed = 0
        for kind in kinds:
            root = (args.keep or tmp) / kind
            units = make_corpus(root, docs, heavy=kind == "heavy")
            print(f"\n== finding-{kind} corpus: {docs} documents × {UNITS_PER_DOC} German units")
            findings = _count_findings(root, env)
            print(f"{units:,} units, {findings:,} findings shown by `transflow check --json`")
            missed += _bench(root, tmp, env, max(1, args.repeat))
        if missed:
            print(f"\n{missed} target(s) missed")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _count_findings(root: Path, env: dict[str, str]) -> int:
    """Findings ``check --json`` prints for the corpus (the run also fills the cache)."""
    result = subprocess.run(
        [sys.executable, "-m", "transflow.cli", "--project", str(root), "check", "--json"],
        env=env,
        capture_output=True,
        check=False,
    )
    if result.returncode not in (0, 1):
        raise SystemExit(f"check failed ({result.returncode}):\n{result.stderr[-2000:]!r}")
    return len(json.loads(result.stdout))


PEAK_MB = 200  # the most any run may take (MiB, as /usr/bin/time reports)


def _bench(root: Path, tmp: Path, env: dict[str, str], repeat: int) -> int:
    """Time every command on the project at ``root``; print the table; return targets missed."""
    transflow = [sys.executable, "-m", "transflow.cli", "--project", str(root)]
    cache = root / ".transflow" / "cache"
    out = tmp / "pofilter-out"

    def drop_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    def drop_out() -> None:
        shutil.rmtree(out, ignore_errors=True)

    # (name, command, environment, what to do before each run). The rounds are
    # interleaved, one run of every command per round, so a machine that slows
    # down for a while (a shared VM) slows the baselines alike.
    commands: list[tuple[str, list[str], dict[str, str] | None, Callable[[], None] | None]] = []
    for name in ("check", "coverage"):
        command = [*transflow, name, "--json"]
        commands.append((f"transflow {name} (cold)", command, env, drop_cache))
        commands.append((f"transflow {name} (warm)", command, env, None))
    baseline_names = []
    if shutil.which("pofilter"):
        checks = [arg for check in POFILTER_CHECKS for arg in ("-t", check)]
        pofilter = ["pofilter", *checks, "-i", str(root / "locales" / "de"), "-o", str(out)]
        commands.append(("pofilter", pofilter, None, drop_out))
        baseline_names.append("pofilter")
    if shutil.which("pocount"):
        commands.append(("pocount", ["pocount", "--csv", str(root / "locales" / "de")], None, None))
        baseline_names.append("pocount")
    runs: dict[str, list[tuple[float, int]]] = {name: [] for name, *_ in commands}
    for _ in range(repeat):
        for name, command, command_env, before in commands:
            runs[name].append(measure(command, root, command_env, 1, before))
    medians = {name: sorted(times)[len(times) // 2] for name, times in runs.items()}
    peaks = {name: max(mb for _, mb in times) for name, times in runs.items()}
    rows = {name: medians[name] for name, *_ in commands if name not in baseline_names}
    baselines = {name: medians[name] for name in baseline_names}
    head = f"command (median of {repeat})"
    print(f"\n{head:<28} {'seconds':>8} {'peak MB':>8}   every run")
    for name, (seconds, mb) in {**rows, **baselines}.items():
        every = " ".join(f"{s:.2f}" for s, _ in runs[name])
        print(f"{name:<28} {seconds:>8.2f} {mb:>8}   {every}")
    missed = 0
    print(f"\npeak memory of every transflow run (target: ≤ {PEAK_MB} MB)")
    for name in rows:
        verdict = "met" if peaks[name] <= PEAK_MB else "MISSED"
        missed += verdict != "met"
        print(f"  {name:<28} {peaks[name]:5} MB {verdict}")
    if not baselines:
        print("\n(pofilter/pocount not installed: no baseline; apt-get install translate-toolkit)")
        return missed
    print("\nspeed-up (baseline time / transflow time)")
    for name, (seconds, _) in rows.items():
        ratios = ", ".join(
            f"{base}: {b_seconds / seconds:.1f}×" for base, (b_seconds, _) in baselines.items()
        )
        print(f"  {name:<28} {ratios}")
    # Issue 13's targets: each command, cold, against its counterpart (and the peak memory
    # above). Warm runs are shown for information: they read no catalog, so they are
    # dominated by Python's start-up, and no issue sets a target for them.
    targets = (
        ("transflow check (cold)", "pofilter", 3.0),
        ("transflow coverage (cold)", "pocount", 2.0),
    )
    print("\ntargets (issue 13)")
    for name, base, want in targets:
        if base in baselines:
            ratio = baselines[base][0] / rows[name][0]
            verdict = "met" if ratio >= want else "MISSED"
            missed += verdict != "met"
            print(f"  {name:<28} vs {base:<9} {ratio:5.1f}× (≥{want:g}×) {verdict}")
    return missed


if __name__ == "__main__":
    main()
