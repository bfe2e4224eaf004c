"""Glossary matching throughput: the word-index matcher vs one regex per term.

Synthetic glossary of N terms (1–4 capitalised words, plus a spelling variant
each) and M units of about 20 words, a third of them containing a term
(sometimes with a possessive or a line break inside it). The baseline,
measured in the same run, is the obvious implementation: one compiled,
case-insensitive, whole-word regex per form, tried on every unit. The baseline
is timed on a sample of the units (it is slow) and both figures are units per
second; the two implementations must find the same terms on the sample.

    python bench/bench_glossary.py [--quick]      # full: 1,000 terms × 100,000 units
"""

from __future__ import annotations

import argparse
import random
import re
import time

from transflow.glossary import Entry, Glossary, LocaleForms, Variant

SYLLABLES = [
    "ka",
    "la",
    "mi",
    "no",
    "ru",
    "sa",
    "te",
    "vo",
    "zy",
    "ba",
    "de",
    "fi",
    "go",
    "hu",
    "je",
    "ko",
    "lu",
    "ma",
    "ne",
    "po",
    "qu",
    "ri",
    "so",
    "tu",
    "va",
    "we",
    "xi",
    "ya",
    "zo",
]
FILLER = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "on",
    "with",
    "as",
    "by",
    "was",
    "at",
    "from",
    "this",
    "which",
    "be",
    "are",
    "an",
    "or",
    "government",
    "journalists",
    "release",
    "political",
    "prisoners",
    "human",
    "rights",
    "appeal",
    "court",
    "sentenced",
    "years",
    "police",
    "independent",
    "media",
    "freedom",
    "expression",
    "detained",
    "arrested",
    "charges",
    "family",
]


def make_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def make_glossary(n_terms: int, rng: random.Random) -> Glossary:
    seen: set[str] = set()
    entries = []
    while len(entries) < n_terms:
        words = [make_word(rng) for _ in range(rng.choice((1, 2, 2, 3, 4)))]
        en = " ".join(words)
        if en.lower() in seen:
            continue
        seen.add(en.lower())
        variant = en[:-1] + ("e" if en[-1] != "e" else "a")
        seen.add(variant.lower())
        ru = LocaleForms(approved=en.upper(), forms=(en.upper(),))
        entries.append(
            Entry(
                id=f"term-{len(entries)}",
                type="person",
                en=en,
                variants=(Variant(variant, "correct"),),
                locales={"ru": ru},
            )
        )
    return Glossary(entries=tuple(entries), locales=("ru",))


def make_units(glossary: Glossary, n_units: int, rng: random.Random) -> list[str]:
    units = []
    terms = [e.en for e in glossary.entries]
    for _ in range(n_units):
        words = [rng.choice(FILLER) for _ in range(rng.randint(14, 26))]
        if rng.random() < 0.33:
            term = rng.choice(terms)
            if rng.random() < 0.2:
                term = term.replace(" ", "\n", 1)
            if rng.random() < 0.2:
                term += "’s"
            words.insert(rng.randrange(len(words)), term)
        units.append(" ".join(words).capitalize() + ".")
    return units


def naive_matchers(glossary: Glossary) -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for entry in glossary.entries:
        for form, _ in entry.english_forms():
            body = r"\s+".join(re.escape(w) for w in form.split())
            out.append((entry.id, re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)))
    return out


def naive_terms(patterns: list[tuple[str, re.Pattern[str]]], text: str) -> set[str]:
    return {entry_id for entry_id, pattern in patterns if pattern.search(text)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="100 terms × 5,000 units")
    args = parser.parse_args()
    n_terms, n_units, n_sample = (100, 5_000, 1_000) if args.quick else (1_000, 100_000, 2_000)
    rng = random.Random(42)

    start = time.perf_counter()
    glossary = make_glossary(n_terms, rng)
    glossary.match("warm up")
    build = time.perf_counter() - start
    units = make_units(glossary, n_units, rng)
    words = sum(len(u.split()) for u in units) / len(units)

    start = time.perf_counter()
    found = 0
    for text in units:
        found += len(glossary.match(text))
    ours = time.perf_counter() - start

    patterns = naive_matchers(glossary)
    sample = units[:n_sample]
    start = time.perf_counter()
    naive = [naive_terms(patterns, text) for text in sample]
    base = time.perf_counter() - start

    ours_terms = [set(glossary.terms_in(t)) for t in sample]
    missed = sum(not o <= n for o, n in zip(ours_terms, naive, strict=True))
    nested = sum(o < n for o, n in zip(ours_terms, naive, strict=True))
    ours_rate = n_units / ours
    base_rate = n_sample / base
    print(f"glossary: {n_terms} terms ({2 * n_terms} forms), built in {build * 1000:.0f} ms")
    print(f"units: {n_units} (avg {words:.1f} words), term occurrences found: {found}")
    print(f"word-index matcher : {ours_rate:12,.0f} units/s  ({ours:.2f} s for {n_units} units)")
    print(f"regex per term     : {base_rate:12,.0f} units/s  ({base:.2f} s for {n_sample} units)")
    print(f"ratio              : {ours_rate / base_rate:12.1f}× faster")
    print(f"per unit           : {ours / n_units * 1e6:12.1f} µs (keystroke budget: 16,000 µs)")
    print(f"sample units where the matcher missed a term the baseline found: {missed} (want 0)")
    print(f"sample units where the baseline also reports a term nested in a longer one: {nested}")


if __name__ == "__main__":
    main()
