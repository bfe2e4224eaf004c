"""Score transflow's sentence splitter on the Pragmatic Segmenter's 48 English golden rules.

The rules (``golden_rules_en.json``) are the English cases of the Pragmatic Segmenter
as pySBD ports them (source and MIT licence are recorded in the file). Each rule is one
paragraph and the sentences it should split into; a rule passes when
``split_sentences`` returns exactly those sentences. Nine rules are inline lists
("1) The first item 2) The second item"); the score is given with and without them.
The rules are also run through the Markdown segmenter (each rule a one-paragraph
source, as ``transflow segments`` would see it), where a rule that opens with "1."
is a list item whose marker Markdown takes away: there list markers at the start of
a sentence are not counted, on either side.
If ``pysbd`` is installed, it is scored in the same run as the baseline, and both
split the paragraphs of the bundled appeals 50 times over, to compare speed.

    python bench/bench_golden_rules.py [--verbose]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from transflow.document import parse_document, parse_text
from transflow.segment import UNSPLIT_KINDS, segment_document, split_sentences

RULES = Path(__file__).resolve().parent / "golden_rules_en.json"
REPO = Path(__file__).resolve().parents[1]
LIST_MARKER = re.compile(r"^(?:[•⁃] ?)?(?:(?:\d{1,3}|[a-z])(?:\.\)|\)|\.) +)?")


def load_rules() -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = json.loads(RULES.read_text(encoding="utf-8"))["rules"]
    return rules


def score(
    split: Callable[[str], list[str]],
    rules: list[dict[str, Any]],
    markers_count: bool = True,
) -> tuple[int, int, list[tuple[dict[str, Any], list[str]]]]:
    """(passed, passed without list rules, failures with what ``split`` gave)."""
    passed = passed_plain = 0
    failures = []
    for rule in rules:
        got = [s.strip() for s in split(rule["text"]) if s.strip()]
        expected = rule["expected"]
        if not markers_count:
            got = [LIST_MARKER.sub("", s) for s in got]
            expected = [LIST_MARKER.sub("", s) for s in expected]
        if got == expected:
            passed += 1
            passed_plain += not rule.get("list_markers", False)
        else:
            failures.append((rule, got))
    return passed, passed_plain, failures


def markdown_units(text: str) -> list[str]:
    """The units ``transflow segments`` gives for a source whose only paragraph is ``text``."""
    units, _ = segment_document(parse_text(text + "\n", Path("rule.md")))
    return [unit.text for unit in units]


def appeal_paragraphs() -> list[str]:
    """The texts ``segment`` splits into sentences: paragraphs and list items of source/."""
    return [
        block.text
        for path in sorted((REPO / "source").glob("*.md"))
        for block in parse_document(path).blocks
        if block.kind not in UNSPLIT_KINDS and block.text
    ]


def seconds(split: Callable[[str], list[str]], paragraphs: list[str], rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for paragraph in paragraphs:
            split(paragraph)
    return time.perf_counter() - start


def _pysbd() -> Callable[[str], list[str]] | None:
    try:
        import pysbd  # type: ignore[import-untyped]
    except ImportError:
        return None
    segmenter = pysbd.Segmenter(language="en", clean=False)
    return lambda text: [str(s) for s in segmenter.segment(text)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--verbose", "-v", action="store_true", help="show every failure")
    parser.add_argument("--quick", action="store_true", help="(no effect; for bench/run.py)")
    args = parser.parse_args()
    rules = load_rules()
    plain = sum(not r.get("list_markers", False) for r in rules)
    contenders: list[tuple[str, Callable[[str], list[str]], bool]] = [
        ("transflow split_sentences", split_sentences, True),
        ("transflow segment (Markdown; leading list markers not counted)", markdown_units, False),
    ]
    baseline = _pysbd()
    if baseline is not None:
        contenders.append(("pysbd", baseline, True))
    for name, split, markers_count in contenders:
        passed, passed_plain, failures = score(split, rules, markers_count)
        print(
            f"{name}: {passed}/{len(rules)} golden rules"
            f" ({passed_plain}/{plain} without the inline-list rules)"
        )
        if args.verbose:
            for rule, got in failures:
                print(f"  FAIL {rule['text']!r}\n    want {rule['expected']!r}\n    got  {got!r}")
    if baseline is None:
        print("(pysbd not installed: no baseline)")
        return
    paragraphs = appeal_paragraphs()
    ours = seconds(split_sentences, paragraphs, 50)
    theirs = seconds(baseline, paragraphs, 50)
    print(
        f"splitting the appeals' {len(paragraphs)} paragraphs 50 times: transflow {ours:.2f} s,"
        f" pysbd {theirs:.2f} s -> pysbd/transflow time {theirs / ours:.0f}x"
    )


if __name__ == "__main__":
    main()
