"""Exporting the website: 1,000 documents × 5 languages, beside Hugo building the same pages.

Setup (not timed): a project of 1,000 appeal-sized documents made from the real
appeals' paragraphs, segmented into catalogs for az, de, fr, ru, every unit
translated and approved (the target is the English text, so no QA check
objects and every page is published), and no glossary.

Timed, in interleaved rounds (the order rotating each round), each run a process
tree of its own measured for wall time, CPU time (user + system of every process
and thread) and peak memory (PSS summed over the tree, sampled every 20 ms):

* ``transflow export --format site`` with a cold cache (every source parsed
  and segmented, every catalog read and its 205,000 units checked) and with a
  warm one (the export before left its cache of loaded and checked documents);
* baseline: Hugo (Debian package ``hugo``, installed here if missing) building
  the same 5,000 pages, from transflow's own Markdown export, with a layout of
  the same shape (language links, alternates, the article). Hugo has no cache
  for a fresh build.

Both tools use every core (transflow publishes in one process per CPU). Each
run writes into a folder that never existed. The medians of every measure are
compared; the target (issue 11) is the site export within 2× of Hugo's time.

    python bench/bench_export.py [--quick] [--rounds N] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LOCALES = ("az", "de", "fr", "ru")
SETTLE_SECONDS = 40

PYPROJECT = """\
[project]
name = "bench"
version = "0"

[tool.transflow]
source-language = "en"
locales = ["az", "de", "fr", "ru"]
project-name = "Bench appeals"
base-url = "https://appeals.example.org/"
"""

HUGO_CONFIG = """\
baseURL = "https://appeals.example.org/"
defaultContentLanguage = "en"
defaultContentLanguageInSubdir = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[languages.en]
contentDir = "content/en"
weight = 1
[languages.az]
contentDir = "content/az"
weight = 2
[languages.de]
contentDir = "content/de"
weight = 3
[languages.fr]
contentDir = "content/fr"
weight = 4
[languages.ru]
contentDir = "content/ru"
weight = 5
"""

# The same shape as transflow's page.html: alternates, language links, the article.
HUGO_SINGLE = """\
<!DOCTYPE html>
<html lang="{{ .Language.Lang }}" dir="ltr">
<head><meta charset="utf-8"><title>{{ .Title }}</title>
<link rel="stylesheet" href="../style.css">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" \
href="{{ .Permalink }}">
{{ end }}</head>
<body><nav><ul>{{ range .AllTranslations }}<li><a href="{{ .RelPermalink }}" \
lang="{{ .Language.Lang }}">{{ .Language.LanguageName }}</a></li>{{ end }}</ul></nav>
<main><article><header><h1>{{ .Title }}</h1>
{{ with .Params.recipient }}<p class="recipient">{{ . }}</p>{{ end }}
<p class="meta">{{ with .Params.place }}{{ . }} · {{ end }}\
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
</header>
{{ .Content }}
</article></main></body></html>
"""
HUGO_LIST = """\
<!DOCTYPE html>
<html lang="{{ .Language.Lang }}"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</body></html>
"""


def corpus(count: int, seed: int = 11) -> list[str]:
    """``count`` appeal-sized documents (front matter, ~15 paragraphs, a numbered list)."""
    paragraphs: list[str] = []
    items: list[str] = []
    for path in sorted((REPO / "source").glob("*.md")):
        body = path.read_text(encoding="utf-8").split("---", 2)[-1]
        for block in body.split("\n\n"):
            block = block.strip()
            if not block or block.startswith("<!--"):
                continue
            if block[:2] in {f"{n}." for n in range(1, 10)}:
                items += [ln.split(". ", 1)[1] for ln in block.splitlines() if ". " in ln]
            else:
                paragraphs.append(block)
    rng = random.Random(seed)
    docs = []
    for i in range(count):
        chosen = rng.sample(paragraphs, k=min(len(paragraphs), 14))
        listed = rng.sample(items, k=min(len(items), 5))
        numbered = "\n".join(f"{n}. {text}" for n, text in enumerate(listed, start=1))
        docs.append(
            f"---\ntitle: Appeal number {i}\nrecipient: Recipient {i % 37}\n"
            f"date: 2025-{1 + i % 12:02d}-{1 + i % 28:02d}\nplace: Bonn, Germany\n---\n\n"
            "# APPEAL\n\n" + "\n\n".join(chosen[:8]) + "\n\n***\n\n"
            + "\n\n".join(chosen[8:]) + f"\n\n{numbered}\n"
        )  # fmt: skip
    return docs


def _approved(text: str, reviewer: str, when: str) -> str:
    """A fresh catalog's text with every unit translated (as its English) and approved.

    Works on the text ``segment`` wrote (one entry per blank-line-separated
    block, ``msgstr ""`` last), because polib takes minutes for 4,000 catalogs;
    the result is what ``set_target`` and ``approve`` would write.
    """
    from transflow.approval import approval_line
    from transflow.poread import read_po_text

    entries = [e for e in read_po_text(text, Path("x.po")) if not e.is_header]
    header, *blocks = text.rstrip("\n").split("\n\n")
    assert len(blocks) == len(entries)
    out = [header]
    for block, entry in zip(blocks, entries, strict=True):
        lines = block.split("\n")
        first_id = next(i for i, ln in enumerate(lines) if ln.startswith("msgid "))
        first_str = next(i for i, ln in enumerate(lines) if ln.startswith("msgstr "))
        msgid_lines = lines[first_id:first_str]
        msgstr_lines = ["msgstr " + msgid_lines[0][len("msgid ") :], *msgid_lines[1:]]
        approval = "# " + approval_line(reviewer, entry.msgid, entry.msgid, when)
        out.append("\n".join([approval, *lines[:first_str], *msgstr_lines]))
    return "\n\n".join(out) + "\n"


def build_project(root: Path, count: int) -> int:
    """Write the documents, segment them, translate and approve every unit; return units."""
    from transflow.config import load_project
    from transflow.update import update_catalogs

    (root / "source").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    for i, text in enumerate(corpus(count)):
        (root / "source" / f"appeal-{i:04d}.md").write_text(text, encoding="utf-8")
    update_catalogs(load_project(root))
    units = 0
    for locale in LOCALES:
        for path in sorted((root / "locales" / locale).glob("*.po")):
            text = _approved(
                path.read_text(encoding="utf-8"), "Bench Reviewer", "2025-10-25T12:00Z"
            )
            path.write_text(text, encoding="utf-8")
            units += text.count("\n# approved: ")
    return units


@dataclass
class Run:
    """One measured process tree: wall time, CPU time (user + system, every process and
    thread), peak memory (PSS summed over the tree, sampled; shared pages counted once)."""

    wall: float
    cpu: float
    peak_mib: float

    def __str__(self) -> str:
        return f"{self.wall:6.2f} s wall, {self.cpu:6.2f} s CPU, {self.peak_mib:5.0f} MiB"


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux ``/proc``; forked workers included)."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                todo += [int(c) for c in task.read_text().split()]
    return out


def _pss_mib(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError), open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
    return total / 1024


def measure(argv: list[str], cwd: Path) -> Run:
    """Run a command to the end; its tree's CPU (``wait4``) and peak PSS (sampled every 20 ms)."""
    peak = [0.0]
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], _pss_mib(_tree(process.pid)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed with exit code {process.returncode}")
    # A process's own peak (ru_maxrss) is a floor when sampling missed a short peak.
    return Run(elapsed, usage.ru_utime + usage.ru_stime, max(peak[0], usage.ru_maxrss / 1024))


def hugo_binary() -> str | None:
    found = shutil.which("hugo")
    if found is None and os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing hugo (Debian package) for the baseline ...", flush=True)
        subprocess.run(
            "apt-get update -qq && DEBIAN_FRONTEND=noninteractive "
            "apt-get install -y -qq --no-install-recommends hugo >/dev/null",
            shell=True,
            check=False,
        )
        found = shutil.which("hugo")
    return found


def count_files(folder: Path, suffix: str) -> int:
    return sum(1 for _ in folder.rglob(f"*{suffix}"))


def hugo_site(markdown: Path, folder: Path) -> None:
    """A Hugo site over transflow's Markdown export, with layouts shaped like page.html."""
    shutil.copytree(markdown / "content", folder / "content")
    (folder / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    layouts = folder / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(HUGO_LIST, encoding="utf-8")


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def median(runs: list[Run]) -> Run:
    """The median of each measure on its own (with an even count, the mean of the middle two)."""
    return Run(
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        statistics.median(r.peak_mib for r in runs),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="100 documents instead of 1,000")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    parser.add_argument(
        "--workdir",
        type=Path,
        help="build the project here and keep it; a project already there is reused",
    )
    args = parser.parse_args()
    count = 100 if args.quick else 1000
    transflow = [sys.executable, "-m", "transflow.cli"]
    with contextlib.ExitStack() as stack:
        if args.workdir is not None:
            work = args.workdir.resolve()
        else:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-export-")))
        root = work / "project"
        started = time.perf_counter()
        if not (root / "pyproject.toml").exists():
            shutil.rmtree(root, ignore_errors=True)
            units = build_project(root, count)
            how = "built"
        else:
            units = sum(
                p.read_text("utf-8").count("\n# approved: ") for p in root.glob("locales/*/*.po")
            )
            how = "reused"
        docs = count_files(root / "source", ".md")
        print(
            f"setup: {docs} documents, {units:,} approved units in {len(LOCALES)} locales "
            f"({how} in {time.perf_counter() - started:.0f} s, not timed)",
            flush=True,
        )
        md = work / "markdown"
        shutil.rmtree(md, ignore_errors=True)
        markdown = measure([*transflow, "export", "--format", "markdown", "--out", str(md)], root)
        print(f"markdown export (the Hugo site's content): {markdown}", flush=True)
        hugo = hugo_binary()
        if hugo is None:
            print("hugo baseline: skipped (hugo is not installed and could not be installed)")
        else:
            shutil.rmtree(work / "hugo", ignore_errors=True)
            hugo_site(md, work / "hugo")
        cache = root / ".transflow" / "cache"
        outputs = work / "outputs"
        shutil.rmtree(outputs, ignore_errors=True)
        outputs.mkdir()
        made = iter(range(1_000_000))

        def fresh() -> Path:
            """An output folder that never existed (see below)."""
            return outputs / str(next(made))

        def export_site(out: Path) -> Run:
            return measure([*transflow, "export", "--format", "site", "--out", str(out)], root)

        def cold(out: Path) -> Run:
            shutil.rmtree(cache, ignore_errors=True)
            return export_site(out)

        def hugo_build(out: Path) -> Run:
            assert hugo is not None
            return measure([hugo, "--quiet", "--destination", str(out)], work / "hugo")

        # Every run builds into a folder that never existed, and nothing is deleted
        # until the end: this machine's ext4 has no journal, and for half a minute
        # after files are deleted, creating one scans past every inode deleted recently
        # (``recently_deleted`` in the kernel's inode allocator): 5,000 files right
        # after deleting 5,000 cost ~3 s of kernel time instead of ~0.15 s, which would
        # measure the order of the runs, not the tools. The kinds are interleaved, in a
        # rotating order, so load from other jobs falls on all of them alike.
        kinds: dict[str, Callable[[Path], Run]] = {
            "transflow site, cold cache": cold,
            "transflow site, warm cache": export_site,
        }
        if hugo is not None:
            kinds["hugo, fresh build"] = hugo_build
        export_site(fresh())  # not timed: fills the caches (and the OS's) for warm runs
        # The set-up deleted thousands of files (the Markdown export and Hugo site of the
        # run before): let that half minute pass before timing anything.
        os.sync()
        time.sleep(SETTLE_SECONDS)
        runs: dict[str, list[Run]] = {name: [] for name in kinds}
        last: dict[str, Path] = {}
        names = list(kinds)
        for number in range(args.rounds):
            print(f"round {number + 1}, load average {load()}:", flush=True)
            order = names[number % len(names) :] + names[: number % len(names)]
            for name in order:
                last[name] = fresh()
                result = kinds[name](last[name])
                runs[name].append(result)
                print(f"  {name:31s} {result}", flush=True)
        site = last["transflow site, warm cache"]
        pages = count_files(site, ".html") - len(LOCALES) - 2  # less the index pages
        print(
            f"\nmedians of {args.rounds} rounds ({pages:,} pages each), load average now {load()}:"
        )
        medians = {name: median(found) for name, found in runs.items()}
        for name, found in medians.items():
            print(f"  {name:31s} {found}")
        if hugo is None:
            shutil.rmtree(outputs, ignore_errors=True)
            return
        hugo_pages = count_files(last["hugo, fresh build"], ".html") - len(LOCALES) - 1
        shutil.rmtree(outputs, ignore_errors=True)
        version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()
        base = medians["hugo, fresh build"]
        print(f"hugo {version[1]} built {hugo_pages:,} pages")
        for measure_name in ("wall", "cpu"):
            ratios = ", ".join(
                f"{name.removeprefix('transflow site, ')} "
                f"{getattr(found, measure_name) / getattr(base, measure_name):.2f}x"
                for name, found in medians.items()
                if name.startswith("transflow")
            )
            label = "wall time" if measure_name == "wall" else "CPU time "
            print(f"ratio transflow/hugo (medians), {label}: {ratios} (target: within 2x)")


if __name__ == "__main__":
    main()
