"""Exporting the website: 1,000 documents × 5 languages, beside Hugo building the same pages.

Setup (not timed): a project of 1,000 appeal-sized documents made from the real
appeals' paragraphs, segmented into catalogs for az, de, fr, ru, every unit
translated and approved (the target is the English text, so no QA check
objects and every page is published), and no glossary.

Timed, each in its own process so peak memory (max RSS) is its own:

* ``transflow export --format site`` cold: no QA cache (the checks run on
  all 200,000 catalog units), then warm (the cache of the run before);
* ``transflow export --format markdown``, whose output is Hugo content;
* baseline, same run: Hugo (Debian package ``hugo``, installed here if
  missing) building those same 5,000 pages with a layout of the same shape
  (language links, alternates, the article). Hugo uses every core; transflow's
  page writing uses one.

The target (issue 11) is the site export within 2× of Hugo's time.

    python bench/bench_export.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LOCALES = ("az", "de", "fr", "ru")

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
    """One measured process: wall time, CPU time (user + system, all threads), peak RSS."""

    wall: float
    cpu: float
    rss_mib: float

    def __str__(self) -> str:
        return f"{self.wall:6.2f} s wall, {self.cpu:6.2f} s CPU, {self.rss_mib:5.0f} MiB"


def measure(argv: list[str], cwd: Path) -> Run:
    """Run a command to the end and measure that process alone (``wait4``)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed with exit code {process.returncode}")
    return Run(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="100 documents instead of 1,000")
    args = parser.parse_args()
    count = 100 if args.quick else 1000
    transflow = [sys.executable, "-m", "transflow.cli"]
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        work = Path(tmp)
        root = work / "project"
        started = time.perf_counter()
        units = build_project(root, count)
        print(
            f"setup: {count} documents, {units:,} approved units in {len(LOCALES)} locales "
            f"({time.perf_counter() - started:.0f} s, not timed)",
            flush=True,
        )
        site = work / "site"
        shutil.rmtree(root / ".transflow", ignore_errors=True)
        export_site = [*transflow, "export", "--format", "site", "--out", str(site)]
        cold = measure(export_site, root)
        warm = min((measure(export_site, root) for _ in range(3)), key=lambda r: r.wall)
        pages = count_files(site, ".html") - len(LOCALES) - 2  # less the index pages
        md = work / "markdown"
        markdown = measure([*transflow, "export", "--format", "markdown", "--out", str(md)], root)
        print(f"site export, cold (QA of every unit): {cold}  ({pages:,} pages)")
        print(f"site export, warm (QA cached):        {warm}  (best of 3)")
        print(f"markdown export, warm:                {markdown}")
        hugo = hugo_binary()
        if hugo is None:
            print("hugo baseline: skipped (hugo is not installed and could not be installed)")
            return
        hugo_site = work / "hugo"
        shutil.copytree(md / "content", hugo_site / "content")
        (hugo_site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
        layouts = hugo_site / "layouts" / "_default"
        layouts.mkdir(parents=True)
        (layouts / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
        (layouts / "list.html").write_text(HUGO_LIST, encoding="utf-8")
        public = work / "public"
        build = [hugo, "--quiet", "--destination", str(public)]
        runs = []
        for _ in range(3):
            shutil.rmtree(public, ignore_errors=True)
            runs.append(measure(build, hugo_site))
        best = min(runs, key=lambda r: r.wall)
        hugo_pages = sum(1 for _ in public.rglob("*.html")) - len(LOCALES) - 1
        version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[
            1
        ]
        print(f"hugo {version}, same pages ({hugo_pages:,}): {best}  (best of 3)")
        print(
            f"ratio transflow/hugo, wall time: cold {cold.wall / best.wall:.2f}x, "
            f"warm {warm.wall / best.wall:.2f}x (target: within 2x); "
            f"CPU time: cold {cold.cpu / best.cpu:.2f}x, warm {warm.cpu / best.cpu:.2f}x"
        )


if __name__ == "__main__":
    main()
