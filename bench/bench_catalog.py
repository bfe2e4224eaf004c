"""Benchmark: re-segmenting a large unchanged source, and loading its catalogs.

    python bench/bench_catalog.py [--quick]

Issue 13 measured re-segmenting an unchanged source at 20.8 s for 8,000 units
(3.7 s for the first run) and 723 s for 46,000: ``Catalog.load`` had polib check
every entry against all those before it. A project is made with one source of
N distinct sentences (the real appeals' sentences, numbered) and the bundled
glossary; then, in the same run:

1. ``segment`` twice: the first run (writes the template and four catalogs) is
   the baseline, the second (unchanged text: must write nothing) is measured
   against it;
2. ``Catalog.load`` of one of those catalogs against polib's own parser on the
   same file (``polib.pofile`` without its duplicate check), and, at 8,000 units
   only, against ``polib.pofile(check_for_duplicates=True)``, what
   ``Catalog.load`` used to call.

Times are process CPU times (the build machine is shared), best of three for
the loads.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from transflow.catalog import Catalog  # noqa: E402
from transflow.config import load_project  # noqa: E402
from transflow.segment import split_sentences  # noqa: E402
from transflow.update import segment_project  # noqa: E402

PYPROJECT = """\
[project]
name = "bench"
version = "0"

[tool.transflow]
locales = ["az", "de", "fr", "ru"]
project-name = "bench"
"""


def appeal_sentences() -> list[str]:
    """Sentences of the real appeals that transflow keeps whole, also after "In case N, "."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "source").glob("*.md")))
    text = re.sub(r"[*#\\>_]+", " ", text)
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])|\n+", text)
    sentences = dict.fromkeys(" ".join(s.split()) for s in parts)
    return [
        s
        for s in sentences
        if len(s) > 30 and len(split_sentences(f"In case 1, {s} In case 2, {s}")) == 2
    ]


def make_project(root: Path, units: int) -> None:
    """A project with one source of ``units`` distinct sentences, five to a paragraph."""
    sentences = appeal_sentences()
    (root / "source").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    shutil.copy(REPO / "glossary.yaml", root / "glossary.yaml")
    lines = [f"In case {i + 1}, {sentences[i % len(sentences)]}" for i in range(units)]
    paragraphs = [" ".join(lines[i : i + 5]) for i in range(0, units, 5)]
    text = "# A large appeal\n\n" + "\n\n".join(paragraphs) + "\n"
    (root / "source" / "large.md").write_text(text, encoding="utf-8")


def cpu(work: Callable[[], object]) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def best(work: Callable[[], object], runs: int = 3) -> float:
    return min(cpu(work) for _ in range(runs))


def measure(units: int, old_way: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_project(root, units)
        project = load_project(root)
        first = cpu(lambda: segment_project(project))
        report = segment_project(project)
        again = cpu(lambda: segment_project(project))
        written = sum(len(d.written) for d in report.documents)
        found = report.documents[0].units
        print(
            f"segment, {found:,} units: first run {first:.2f} s, unchanged re-run {again:.2f} s"
            f" ({again / first:.2f}x the first run; {written} files written by the re-run)"
        )
        path = project.catalog_path("de", "large")
        ours = best(lambda: Catalog.load(path, "de"))
        plain = best(lambda: polib.pofile(str(path)))
        print(
            f"  Catalog.load {ours:.2f} s, polib.pofile {plain:.2f} s"
            f" -> {plain / ours:.1f}x faster than polib's own parser"
        )
        if old_way:
            checked = cpu(lambda: polib.pofile(str(path), check_for_duplicates=True))
            print(
                f"  polib.pofile(check_for_duplicates=True), the old Catalog.load: {checked:.1f} s"
                f" -> {checked / ours:.0f}x"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    sizes = [2_000] if args.quick else [8_000, 46_000]
    for units in sizes:
        measure(units, old_way=units <= 8_000)


if __name__ == "__main__":
    main()
