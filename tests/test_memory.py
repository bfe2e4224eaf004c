"""Translation memory: matching on the real appeals' near-identical sentences, the
lossless candidate filter, and what makes two entries the same."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz, process

from transflow.memory import TMEntry, TranslationMemory, group_identical, tokens

IMPRISONED = "More than 40 journalists, including 9 women, are currently imprisoned."
DETAINED = "More than 40 journalists, including 9 women, are currently detained."
IN_DETENTION = "Over 40 journalists—including nine women—are currently in detention."
ASSASSINATED_1 = "Between 2021–2024, four political refugees were assassinated in Europe:"
ASSASSINATED_2 = "Between 2021 and 2024, four political exiles were assassinated in Europe:"
TENDERS_1 = "State tenders are invariably awarded to the Aliyev family."
TENDERS_2 = "State tenders are systematically awarded to the Aliyev family."
CONSTITUTION_1 = (
    "The Constitution and national legislation have been tailored to serve the interests "
    "of the Aliyev family."
)
CONSTITUTION_2 = (
    "The Constitution and national laws of Azerbaijan have been tailored to serve the "
    "interests of the Aliyev family."
)
UNRELATED = (
    "We invite the German government and the Foreign Ministry to cooperate in these efforts."
)


def entry(source: str, target: str = "", locale: str = "de", origin: str = "", reviewed=False):
    return TMEntry(
        source, target or f"[{locale}] {source}", locale, origin or source[:20], reviewed
    )


# -- lookup --------------------------------------------------------------------------


def test_exact_match_ignores_only_outer_whitespace() -> None:
    tm = TranslationMemory([entry(IMPRISONED, "Mehr als 40 Journalisten ... inhaftiert.")])
    [match] = tm.lookup(f"  {IMPRISONED}\n", "de")
    assert (match.score, match.exact) == (100, True)
    assert match.entry.target == "Mehr als 40 Journalisten ... inhaftiert."
    # a case difference is not exact: a high fuzzy score, never 100
    [match] = tm.lookup(IMPRISONED.upper(), "de")
    assert match.exact is False and match.score == 99
    assert tm.lookup(IMPRISONED, "fr") == []  # lookups are per locale


@pytest.mark.parametrize(
    ("stored", "query", "expected"),
    [
        (IMPRISONED, DETAINED, 92),  # 1 of 13 tokens changed: 100 * 2*12 / 26
        (ASSASSINATED_1, ASSASSINATED_2, 84),  # "–" -> "and", refugees -> exiles: 2*11/26
        (TENDERS_1, TENDERS_2, 90),  # 2*9/20
        (CONSTITUTION_1, CONSTITUTION_2, 88),  # 17 vs 19 tokens, 16 in common: 2*16/36
    ],
)
def test_fuzzy_scores_on_real_near_identical_pairs(stored: str, query: str, expected: int) -> None:
    tm = TranslationMemory([entry(stored), entry(UNRELATED)])
    matches = tm.lookup(query, "de")
    assert [(m.entry.source, m.score, m.exact) for m in matches] == [(stored, expected, False)]


def test_matches_ranked_by_score_and_min_score_respected() -> None:
    tm = TranslationMemory([entry(IN_DETENTION), entry(DETAINED), entry(UNRELATED)])
    found = tm.lookup(IMPRISONED, "de", min_score=50)
    assert [(m.entry.source, m.score) for m in found] == [(DETAINED, 92), (IN_DETENTION, 53)]
    assert [m.entry.source for m in tm.lookup(IMPRISONED, "de", min_score=75)] == [DETAINED]
    assert tm.lookup(IMPRISONED, "de", min_score=93) == []
    assert len(tm.lookup(IMPRISONED, "de", min_score=0, limit=None)) == 3
    assert len(tm.lookup(IMPRISONED, "de", min_score=0, limit=1)) == 1


def test_reviewed_ranks_above_translated_at_equal_score() -> None:
    tm = TranslationMemory(
        [
            entry(DETAINED, "nur übersetzt", origin="a.po#1"),
            entry(DETAINED, "geprüft", origin="b.po#1", reviewed=True),
            entry(IMPRISONED, "exakt", origin="c.po#1"),
        ]
    )
    found = tm.lookup(IMPRISONED, "de")
    assert [(m.entry.target, m.score) for m in found] == [
        ("exakt", 100),
        ("geprüft", 92),
        ("nur übersetzt", 92),
    ]


def test_equal_suggestions_are_reported_once() -> None:
    tm = TranslationMemory([entry(DETAINED, "X", origin="a#1"), entry(DETAINED, "X", origin="b#1")])
    [match] = tm.lookup(IMPRISONED, "de")
    assert match.entry.origin == "a#1"  # the first in memory order


def test_tokens_keep_punctuation_and_fold_typography() -> None:
    assert tokens("Azerbaijan’s Euro-integration, 2021–2024") == tokens(
        "AZERBAIJAN'S euro-integration, 2021-2024"
    )
    assert tokens("Hello, world.") == ["hello", ",", "world", "."]


_VOCABULARY = """the aliyev regime political prisoners journalists azerbaijan europe council of
human rights refugees were arrested in baku germany and , . government must release activists
opposition media independent elections"""
WORDS = _VOCABULARY.split()


def _edit(rng: random.Random, sentence: str) -> str:
    """Replace, drop or insert 1-4 words."""
    words = sentence.split()
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(words))
        op = rng.random()
        if op < 0.4:
            words[i] = rng.choice(WORDS)
        elif op < 0.7 and len(words) > 2:
            del words[i]
        else:
            words.insert(i, rng.choice(WORDS))
    return " ".join(words)


def _sentences(rng: random.Random, n: int) -> list[str]:
    """Random sentences, most of them edited copies of earlier ones (as in a real memory)."""
    out: list[str] = []
    for _ in range(n):
        if out and rng.random() < 0.6:
            out.append(_edit(rng, rng.choice(out)))
        else:
            out.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 30))))
    return out


@pytest.mark.parametrize("min_score", [50, 75, 90])
def test_candidate_filter_finds_everything_brute_force_finds(min_score: int) -> None:
    rng = random.Random(4)
    sources = _sentences(rng, 3000)
    tm = TranslationMemory(entry(s, origin=f"gen#{i}") for i, s in enumerate(sources))
    kept = tm.entries("de")  # blank sources are dropped, so index by the memory's order
    choices = [tokens(e.source) for e in kept]
    queries = [_edit(rng, rng.choice(sources)) for _ in range(100)]
    queries += [rng.choice(sources) for _ in range(20)] + _sentences(rng, 40)
    total = 0
    for query in queries:
        brute = process.extract(
            tokens(query), choices, scorer=fuzz.ratio, score_cutoff=min_score - 1e-6, limit=None
        )
        expected = {i: min(99, int(score + 1e-9)) for _, score, i in brute}
        for i in expected:
            if kept[i].source.strip() == query.strip():
                expected[i] = 100
        assert tm.scores(query, "de", min_score) == expected, query
        total += len(expected)
    assert total > 100  # the test really exercised many matches


# -- propagation -----------------------------------------------------------------------


def test_group_identical_groups_sources_ignoring_outer_whitespace() -> None:
    groups = group_identical(["Dear Minister,", UNRELATED, " Dear Minister,", "Dear minister,"])
    assert groups == {"Dear Minister,": [0, 2], UNRELATED: [1], "Dear minister,": [3]}


def test_identity_ignores_origin_state_dates_and_outer_whitespace() -> None:
    catalog = TMEntry(DETAINED, "Mehr als 40 ...", "de", "locales/de/a.po#u1", True)
    imported = TMEntry(f"{DETAINED}\n", " Mehr als 40 ...", "de", "tmx:x.tmx#7", created="2025")
    assert catalog.identity == imported.identity
    assert catalog.identity != TMEntry(DETAINED, "Mehr als 40 ...", "fr", "a").identity
    assert catalog.identity != TMEntry(DETAINED, "Über 40 ...", "de", "a").identity
