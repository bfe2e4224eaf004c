"""Benchmark: live QA of one unit (``ReviewSession.check_unit``) against checking its catalog.

The review UI re-checks the target as the translator types, so one unit must be
checked in a few milliseconds with every check ``transflow check`` runs
(glossary, prose, consistency across documents). The baseline, measured in the
same run on the same project, is what the UI would otherwise do: check the
unit's whole catalog with ``run_project`` (the library behind ``transflow
check``, no cache), as after every save.

The project is ``bench_qa_coverage.py``'s synthetic German corpus (real appeal
sentences, made unique per unit): 50 documents × 100 units (``--quick``: 10).

    python bench/bench_review.py [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_qa_coverage import make_corpus
from transflow.checking import UnitChecker, run_project
from transflow.config import load_project
from transflow.review import ReviewSession


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 documents instead of 50")
    args = parser.parse_args()
    docs = 10 if args.quick else 50
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "corpus"
        units = make_corpus(root, docs)
        project = load_project(root)
        doc = project.docs()[docs // 2]

        started = time.perf_counter()
        checker = UnitChecker(project, "de")
        session = ReviewSession.open(project, "de", doc, checker=checker)
        ids = session.ids()
        session.check_unit(ids[0])  # builds the consistency index (all catalogs of the locale)
        setup = time.perf_counter() - started

        times = []
        for unit in ids:
            typed = session.unit(unit).target + " Ergänzt."
            started = time.perf_counter()
            session.check_unit(unit, typed)
            times.append(time.perf_counter() - started)
        per_call = statistics.median(times)
        worst = max(times)

        rounds = []
        for _ in range(3):
            started = time.perf_counter()
            run_project(project, ["de"], [doc], use_cache=False)
            rounds.append(time.perf_counter() - started)
        baseline = statistics.median(rounds)

    print(f"project: {docs} documents, {units} German units; checked document: {len(ids)} units")
    print(f"set-up (settings, glossary, consistency index of the locale): {setup * 1000:.0f} ms")
    print(
        f"check_unit, typed target: median {per_call * 1000:.2f} ms, "
        f"slowest {worst * 1000:.2f} ms per call ({len(times)} calls)"
    )
    print(f"baseline: run_project on that document, no cache: {baseline * 1000:.0f} ms")
    print(f"→ one unit re-checked {baseline / per_call:.0f}× faster than its catalog")
    target_ms = 5.0
    verdict = "met" if per_call * 1000 < target_ms else "MISSED"
    print(f"target: < {target_ms:g} ms per call: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
