"""Benchmark: translation-memory fuzzy lookup vs difflib and brute-force rapidfuzz.

    python bench/bench_memory.py [--quick]

1. Scoring: on the near-identical sentence pairs of the real appeals
   (``source/*.md``), compares the word-token score transflow uses with a
   character score — does each sentence's edited partner rank first, and by
   what margin over unrelated sentences.
2. Speed: a memory of realistic sentences (a word-bigram chain over the
   appeals' text, fixed seed) at 10,000 and 100,000 entries; queries are
   lightly edited memory sentences and unrelated generated ones. Reports
   lookups/s of ``TranslationMemory.lookup`` against, in the same run:
   ``difflib.get_close_matches`` (a handful of queries: it is very slow),
   ``rapidfuzz.process.extract`` over the raw source strings (character
   ratio), and the same extract with transflow's own token score (the honest
   brute force). It also checks that the memory found every match brute force
   found at the threshold.
"""

from __future__ import annotations

import argparse
import difflib
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import fuzz, process

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from transflow.memory import TMEntry, TranslationMemory, tokens  # noqa: E402

THRESHOLD = 75


def appeal_sentences() -> list[str]:
    """Distinct sentences of the real appeals, Markdown artefacts removed."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "source").glob("*.md")))
    text = re.sub(r"[*#\\>_]+", " ", text)
    text = re.sub(r"^\s*\d+\.\s+", "", text, flags=re.M)
    parts = re.split(r"(?<=[.!?:;])\s+(?=[A-Z“\"])|\n+", text)
    sents = [" ".join(s.split()) for s in parts]
    return list(dict.fromkeys(s for s in sents if len(s) > 20))


# -- 1. scoring ----------------------------------------------------------------------


def _char_score(a: str, b: str) -> float:
    return fuzz.ratio(" ".join(a.casefold().split()), " ".join(b.casefold().split()))


def _token_score(a: str, b: str) -> float:
    return fuzz.ratio(tokens(a), tokens(b))


# Near-identical pairs of the real appeals, labelled by hand (the same sentence, edited
# between two appeals), each side named by a phrase only its sentence contains.
PAIRS = [
    ("ASIMKOM considers Azerbaijan", "ASMKOM considers Azerbaijan"),
    ("oil, gas, and precious metals", "oil, gas, and non-ferrous metals"),
    ("Vuqar Rzayev in Belgium (2021)", "Vuqar Rzayev in Belgium in 2021"),
    ("Mirzali, who was attacked three times", "Mirzali, who survived three attacks"),
    ("Emin Malikov, subjected to horrific", "Emin Malikov, subjected to severe"),
    ("Ilham Aliyev not only persecutes his critics", "Ilham Aliyev not only persecutes critics"),
    ("9 women, are currently detained.", "9 women, are currently imprisoned."),
    ("9 women, are currently detained.", "are currently in detention."),
    ("9 women, are currently imprisoned.", "are currently in detention."),
    ("refugees living in Europe, we are reaching", "exiles living in Europe, we are addressing"),
    ("elections are entirely falsified", "elections in Azerbaijan are systematically"),
    ("Since 1994, all elections", "All elections held since 1994"),
    ("enabling the ruling family to monopolize", "granting the ruling family monopolistic"),
    ("through a military coup in 1993", "in a military coup in 1993"),
    ("State tenders are invariably", "State tenders are systematically"),
    ("deprived Azerbaijani citizens not only", "deprived Azerbaijanis not only"),
    ("national legislation have been tailored", "national laws of Azerbaijan have been tailored"),
    ("The founders, editors-in-chief", "Founders, chief editors"),
    ("There are approximately 400 political", "In total, about 400 political"),
    ("Under the personal directive of President", "By presidential decree, international"),
    ("those guaranteed by the European Convention", "those enshrined in the European Convention"),
    ("We fight for an Azerbaijan", "We are committed to the struggle for an Azerbaijan"),
    ("We regard Azerbaijan as an integral part", "We view Azerbaijan as an integral part"),
    ("Laws regulating political parties", "and media laws have been amended"),
    ("Ian Borg, the Aliyev regime", "The Aliyev regime’s repressions have extended"),
]


def _find(sentences: list[str], phrase: str) -> str:
    found = [s for s in sentences if phrase in s]
    if len(found) != 1:
        raise SystemExit(f"phrase {phrase!r} is in {len(found)} appeal sentences, not 1")
    return found[0]


def scoring_table(sentences: list[str]) -> None:
    pairs = [(_find(sentences, a), _find(sentences, b)) for a, b in PAIRS]
    partners: dict[str, set[str]] = defaultdict(set)
    for a, b in pairs:
        partners[a].add(b)
        partners[b].add(a)
    print(f"scoring: {len(pairs)} near-identical pairs among {len(sentences)} appeal sentences")
    print(f"{'score':<8}{'top-1':>8}{'median margin':>15}{'min margin':>12}{'pairs >=75':>12}")
    scorers: list[tuple[str, Callable[[str, str], float]]] = [
        ("chars", _char_score),
        ("tokens", _token_score),
    ]
    for name, score in scorers:
        top1 = 0
        margins: list[float] = []
        for a, mine in partners.items():
            ranked = sorted(((score(a, b), b) for b in sentences if b != a), reverse=True)
            top1 += ranked[0][1] in mine
            best_true = max(s for s, b in ranked if b in mine)
            best_false = max(s for s, b in ranked if b not in mine)
            margins.append(best_true - best_false)
        above = sum(score(a, b) >= THRESHOLD for a, b in pairs)
        print(
            f"{name:<8}{top1:>5}/{len(partners):<3}{statistics.median(margins):>14.1f}"
            f"{min(margins):>12.1f}{above:>9}/{len(pairs)}"
        )
    example = (
        "More than 40 journalists, including 9 women, are currently imprisoned.",
        "More than 40 journalists, including 9 women, are currently detained.",
    )
    print(
        f"e.g. imprisoned/detained: chars {_char_score(*example):.0f}, "
        f"tokens {_token_score(*example):.0f}\n"
    )


# -- 2. speed ------------------------------------------------------------------------


class SentenceMaker:
    """A word-bigram chain over the appeals: realistic vocabulary, word order, lengths."""

    def __init__(self, sentences: list[str], rng: random.Random) -> None:
        self.rng = rng
        self.next: dict[str, list[str]] = defaultdict(list)
        self.starts: list[str] = []
        for sentence in sentences:
            words = sentence.split()
            self.starts.append(words[0])
            for a, b in zip([*words], [*words[1:], "<end>"], strict=True):
                self.next[a].append(b)
        self.vocabulary = [w for ws in self.next.values() for w in ws if w != "<end>"]

    def sentence(self) -> str:
        words = [self.rng.choice(self.starts)]
        while len(words) < 45:
            following = self.next.get(words[-1])
            if not following:
                break
            word = self.rng.choice(following)
            if word == "<end>":
                break
            words.append(word)
        return " ".join(words)

    def edit(self, sentence: str) -> str:
        """Change 1-3 words: replace, drop or insert one from the vocabulary."""
        words = sentence.split()
        for _ in range(self.rng.randint(1, 3)):
            i = self.rng.randrange(len(words))
            op = self.rng.random()
            if op < 0.5:
                words[i] = self.rng.choice(self.vocabulary)
            elif op < 0.75 and len(words) > 3:
                del words[i]
            else:
                words.insert(i, self.rng.choice(self.vocabulary))
        return " ".join(words)


def rate(fn: Callable[[str], object], queries: list[str]) -> float:
    start = time.perf_counter()
    for q in queries:
        fn(q)
    return len(queries) / (time.perf_counter() - start)


def bench_size(maker: SentenceMaker, size: int, n_queries: int, n_difflib: int) -> None:
    rng = maker.rng
    sources = [maker.sentence() for _ in range(size)]
    entries = [TMEntry(s, f"[de] {s}", "de", f"gen#{i}") for i, s in enumerate(sources)]
    start = time.perf_counter()
    memory = TranslationMemory(entries)
    built = time.perf_counter() - start
    queries = [
        maker.edit(rng.choice(sources)) if i % 2 == 0 else maker.sentence()
        for i in range(n_queries)
    ]
    encoded = [memory._encode(s, grow=False) for s in sources]  # same token score, brute force

    def ours(q: str) -> object:
        return memory.lookup(q, "de", min_score=THRESHOLD, limit=3)

    def brute_chars(q: str) -> object:
        return process.extract(q, sources, scorer=fuzz.ratio, score_cutoff=THRESHOLD, limit=3)

    def brute_tokens(q: str) -> object:
        enc = memory._encode(q, grow=False)
        return process.extract(enc, encoded, scorer=fuzz.ratio, score_cutoff=THRESHOLD, limit=3)

    def with_difflib(q: str) -> object:
        return difflib.get_close_matches(q, sources, n=3, cutoff=THRESHOLD / 100)

    r_ours = rate(ours, queries)
    r_chars = rate(brute_chars, queries)
    r_tokens = rate(brute_tokens, queries)
    r_difflib = rate(with_difflib, queries[:n_difflib]) if n_difflib else float("nan")

    missed = found = 0
    for q in queries:
        enc = memory._encode(q, grow=False)
        brute = process.extract(
            enc, encoded, scorer=fuzz.ratio, score_cutoff=THRESHOLD - 1e-6, limit=None
        )
        mine = memory.scores(q, "de", THRESHOLD)
        found += len(brute)
        missed += sum(1 for _, _, i in brute if i not in mine)

    print(
        f"{size:,} entries (index built in {built:.1f} s), {n_queries} queries, "
        f"threshold {THRESHOLD}"
    )
    print(f"  {'method':<42}{'queries/s':>11}{'memory is':>12}")
    rows = [
        ("TranslationMemory.lookup", r_ours),
        ("brute force: process.extract, token score", r_tokens),
        ("brute force: process.extract, char ratio", r_chars),
        (f"difflib.get_close_matches ({n_difflib} queries)", r_difflib),
    ]
    for name, value in rows:
        ratio = f"{r_ours / value:.1f}x" if name != rows[0][0] and value == value else ""
        print(f"  {name:<42}{value:>11.2f}{ratio:>12}")
    print(f"  brute-force matches >= {THRESHOLD}: {found}, missed by the memory: {missed}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, seconds")
    args = parser.parse_args(argv)
    sentences = appeal_sentences()
    scoring_table(sentences)
    maker = SentenceMaker(sentences, random.Random(20251025))
    plan = (
        [(1_000, 100, 5), (5_000, 100, 2)] if args.quick else [(10_000, 300, 5), (100_000, 200, 1)]
    )
    for size, n_queries, n_difflib in plan:
        bench_size(maker, size, n_queries, n_difflib)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
