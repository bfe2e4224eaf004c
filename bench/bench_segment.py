"""Segmentation throughput on a synthetic corpus of appeal-sized documents.

Baseline, measured in the same run: the naive splitter many tools start with,
``re.split(r"(?<=[.!?])\\s+")`` over the same paragraphs (it gets "Dr." and
"U.S." wrong, which is why transflow does not use it). The ratio says what the
correct rules and the stable-id bookkeeping cost.

Second case: a 5 MB source of one sentence repeated (1 MB with ``--quick``),
segmented and then re-segmented unchanged (aligned with its own ids), against a
source of the same size whose sentences are all different. Identical sentences
get ids ``HASH``, ``HASH-2``, ``HASH-3``...; a ratio near 1 says that costs
nothing extra (the id counter and the alignment are linear).

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


SENTENCE = "The court sentenced the journalist to nine years in prison."


def repeated_source(size: int, distinct: bool) -> str:
    """About ``size`` bytes of paragraphs of five sentences: one sentence, or as many different.

    The different sentences put a running number in place of a word of SENTENCE.
    """
    count = size // (len(SENTENCE) + 1)
    sentences = [
        SENTENCE.replace("nine", f"{i:05d}") if distinct else SENTENCE for i in range(count)
    ]
    paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]
    return "\n\n".join(paragraphs) + "\n"


def time_twice(text: str) -> tuple[int, float, float]:
    """Units, seconds to segment ``text``, seconds to re-segment it against its own ids."""
    start = time.perf_counter()
    document = parse_text(text, Path("repeated.md"))
    units, _ = segment_document(document)
    first = time.perf_counter() - start
    start = time.perf_counter()
    again, changes = segment_document(
        parse_text(text, Path("repeated.md")), [(u.id, u.text) for u in units]
    )
    second = time.perf_counter() - start
    assert [u.id for u in again] == [u.id for u in units] and not changes.added
    return len(units), first, second


def bench_repeated(size: int, rounds: int = 2) -> None:
    """Best of ``rounds``, the two sources taking turns (the machine is shared)."""
    repeated, different = repeated_source(size, distinct=False), repeated_source(size, True)
    first = second = base_first = base_second = float("inf")
    for _ in range(rounds):
        units, one, two = time_twice(repeated)
        first, second = min(first, one), min(second, two)
        base_units, one, two = time_twice(different)
        base_first, base_second = min(base_first, one), min(base_second, two)
    mb = size / 1_000_000
    print(
        f"one sentence repeated, {mb:.0f} MB: {units} units, segment {first:.2f} s,"
        f" re-segment unchanged {second:.2f} s"
    )
    print(
        f"all sentences different, {mb:.0f} MB: {base_units} units, segment {base_first:.2f} s,"
        f" re-segment unchanged {base_second:.2f} s"
    )
    print(
        f"ratio repeated/different time: {first / base_first:.1f}x segment,"
        f" {second / base_second:.1f}x re-segment"
    )


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
    bench_repeated(1_000_000 if args.quick else 5_000_000)


if __name__ == "__main__":
    main()
