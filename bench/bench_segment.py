"""Segmentation throughput on a synthetic corpus of appeal-sized documents.

Baseline, measured in the same run: the naive splitter many tools start with,
``re.split(r"(?<=[.!?])\\s+")`` over the same paragraphs (it gets "Dr." and
"U.S." wrong, which is why transflow does not use it). The ratio says what the
correct rules and the stable-id bookkeeping cost.

    python bench/bench_segment.py [--quick]
"""

from __future__ import annotations

import argparse
import random
import re
import time
from pathlib import Path

from transflow.document import parse_text
from transflow.segment import segment_document

REPO = Path(__file__).resolve().parents[1]


def corpus(count: int, seed: int = 7) -> list[str]:
    """``count`` documents made by shuffling the real appeals' paragraphs."""
    paragraphs: list[str] = []
    for path in sorted((REPO / "source").glob("*.md")):
        body = path.read_text(encoding="utf-8").split("---", 2)[-1]
        paragraphs += [p for p in body.split("\n\n") if p.strip()]
    rng = random.Random(seed)
    docs = []
    for i in range(count):
        chosen = rng.sample(paragraphs, k=min(len(paragraphs), 40))
        docs.append(f"---\ntitle: Appeal {i}\n---\n\n" + "\n\n".join(chosen) + "\n")
    return docs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    docs = corpus(100 if args.quick else 1000)

    start = time.perf_counter()
    units = 0
    for i, text in enumerate(docs):
        found, _ = segment_document(parse_text(text, Path(f"doc{i}.md")))
        units += len(found)
    ours = time.perf_counter() - start

    naive_split = re.compile(r"(?<=[.!?])\s+")
    start = time.perf_counter()
    naive_units = 0
    for text in docs:
        for paragraph in text.split("\n\n"):
            naive_units += len(naive_split.split(paragraph.strip()))
    naive = time.perf_counter() - start

    print(
        f"segment: {len(docs)} documents, {units} units in {ours:.2f} s"
        f" = {units / ours:,.0f} units/s"
    )
    print(
        f"naive re.split baseline: {naive_units} pieces in {naive:.3f} s"
        f" = {naive_units / naive:,.0f} units/s"
    )
    print(f"ratio transflow/naive time: {ours / naive:.1f}x (correct abbreviations, kinds and ids)")


if __name__ == "__main__":
    main()
