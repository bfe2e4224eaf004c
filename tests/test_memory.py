"""Translation memory: matching on the real appeals' near-identical sentences, the
lossless candidate filter, the on-disk cache built from PO catalogs, and TMX."""

from __future__ import annotations

import os
import random
import sqlite3
from pathlib import Path

import polib
import pytest
from rapidfuzz import fuzz, process

from transflow.errors import InputError
from transflow.memory import (
    MemoryStore,
    TMEntry,
    TranslationMemory,
    group_identical,
    tokens,
)
from transflow.tmx import export_tmx, import_tmx

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


# -- the store -------------------------------------------------------------------------


def write_po(path: Path, units: list[tuple[str, str, str, list[str]]], obsolete=()) -> Path:
    """Units are (id, source, target, flags)."""
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": path.parent.name}
    for unit_id, source, target, flags in units:
        po.append(polib.POEntry(msgctxt=unit_id, msgid=source, msgstr=target, flags=flags))
    for unit_id, source, target in obsolete:
        po.append(polib.POEntry(msgctxt=unit_id, msgid=source, msgstr=target, obsolete=True))
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_po(
        tmp_path / "locales/de/appeal-to-borg.po",
        [
            ("u1", IMPRISONED, "Mehr als 40 Journalisten sind inhaftiert.", []),
            ("u2", TENDERS_1, "Staatliche Aufträge gehen an die Familie Aliyev.", ["reviewed"]),
            ("u3", ASSASSINATED_1, "MT-Vorschlag", ["fuzzy", "machine"]),
            ("u4", CONSTITUTION_1, "Speicher-Vorschlag", ["fuzzy", "memory"]),
            ("u5", UNRELATED, "", []),
        ],
        obsolete=[("u0", "An old sentence that was removed.", "Ein alter Satz.")],
    )
    write_po(
        tmp_path / "locales/fr/appeal-to-borg.po",
        [("u1", IMPRISONED, "Plus de 40 journalistes sont emprisonnés.", ["reviewed"])],
    )
    return tmp_path


def catalogs(root: Path) -> list[tuple[str, Path]]:
    return [(p.parent.name, p) for p in sorted((root / "locales").glob("*/*.po"))]


def test_sync_reads_translated_and_reviewed_entries_only(project: Path) -> None:
    store = MemoryStore(project / ".transflow/cache", root=project)
    report = store.sync(catalogs(project))
    assert (report.files_read, report.files_skipped, report.entries) == (2, 0, 3)
    de = store.memory("de").entries("de")
    assert [(e.source, e.reviewed, e.origin) for e in de] == [
        (IMPRISONED, False, "locales/de/appeal-to-borg.po#u1"),
        (TENDERS_1, True, "locales/de/appeal-to-borg.po#u2"),
    ]
    [match] = store.memory("de").lookup(DETAINED, "de")
    assert match.entry.target == "Mehr als 40 Journalisten sind inhaftiert."
    assert store.memory("fr").lookup(IMPRISONED, "fr")[0].entry.reviewed is True


def test_second_sync_reads_nothing_and_a_new_store_uses_the_cache(project: Path) -> None:
    cache = project / ".transflow/cache"
    MemoryStore(cache, root=project).sync(catalogs(project))
    fresh = MemoryStore(cache, root=project)  # a later run of transflow
    report = fresh.sync(catalogs(project))
    assert (report.files_read, report.files_skipped, report.entries) == (0, 2, 3)
    assert len(fresh.memory()) == 3


def test_changed_catalog_is_reread_and_its_old_entries_replaced(project: Path) -> None:
    store = MemoryStore(project / "cache", root=project)
    store.sync(catalogs(project))
    assert store.memory("de").lookup(IMPRISONED, "de")[0].exact
    write_po(
        project / "locales/de/appeal-to-borg.po",
        [("u9", UNRELATED, "Wir laden die Bundesregierung ein.", [])],
    )
    report = store.sync(catalogs(project))
    assert (report.files_read, report.files_skipped, report.entries) == (1, 1, 2)
    memory = store.memory("de")
    assert memory.lookup(IMPRISONED, "de") == []
    assert [e.target for e in memory.entries("de")] == ["Wir laden die Bundesregierung ein."]


def test_deleted_catalog_entries_disappear(project: Path) -> None:
    store = MemoryStore(project / "cache", root=project)
    store.sync(catalogs(project))
    (project / "locales/fr/appeal-to-borg.po").unlink()
    report = store.sync(catalogs(project))
    assert (report.entries, report.files_removed) == (2, 1)
    assert store.memory("fr").lookup(IMPRISONED, "fr") == []


def test_corrupt_cache_is_rebuilt_silently(project: Path) -> None:
    cache = project / "cache"
    MemoryStore(cache, root=project).sync(catalogs(project))
    db = cache / "memory.sqlite"
    db.write_bytes(b"this is not a database" * 100)
    store = MemoryStore(cache, root=project)
    report = store.sync(catalogs(project))
    assert (report.files_read, report.entries) == (2, 3)
    assert store.memory("de").lookup(IMPRISONED, "de")[0].exact
    # a truncated database is rebuilt too
    size = db.stat().st_size
    with open(db, "r+b") as handle:
        handle.truncate(size // 2)
    report = MemoryStore(cache, root=project).sync(catalogs(project))
    assert report.entries == 3
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)


def test_malformed_catalog_is_a_one_line_error(project: Path) -> None:
    bad = project / "locales/ru/appeal-to-borg.po"
    bad.parent.mkdir(parents=True)
    bad.write_text('msgid "x"\nmsgstr "y\nmsgid\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        MemoryStore(project / "cache", root=project).sync(catalogs(project))
    assert "appeal-to-borg.po" in str(info.value) and "\n" not in str(info.value)


# -- TMX ------------------------------------------------------------------------------


def test_tmx_round_trip(tmp_path: Path) -> None:
    entries = [
        TMEntry(IMPRISONED, "Mehr als 40 Journalisten <sind> inhaftiert & ...", "de", "a#1", True),
        TMEntry(TENDERS_1, "Les marchés publics sont attribués.", "fr", "b#2", False),
    ]
    path = tmp_path / "out.tmx"
    export_tmx(entries, path)
    text = path.read_text(encoding="utf-8")
    assert '<tmx version="1.4">' in text and 'srclang="en"' in text
    back = import_tmx(path)
    assert [(e.source, e.target, e.locale, e.reviewed) for e in back] == [
        (e.source, e.target, e.locale, e.reviewed) for e in entries
    ]
    assert all(e.origin == "tmx:out.tmx" for e in back)


def test_tmx_from_another_tool_matches_locales_by_primary_subtag(tmp_path: Path) -> None:
    path = tmp_path / "omegat.tmx"
    path.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="OmegaT" creationtoolversion="6" segtype="sentence"
 o-tmf="OmegaT" adminlang="EN-US" srclang="EN-US" datatype="plaintext"/>
<body>
  <tu tuid="7">
    <tuv xml:lang="EN-US"><seg>Dear <bpt i="1">&lt;b&gt;</bpt>Minister<ept i="1"
      >&lt;/b&gt;</ept>,</seg></tuv>
    <tuv xml:lang="de-DE"><seg>Sehr geehrter Herr Minister,</seg></tuv>
    <tuv xml:lang="pt-BR"><seg>Prezado Ministro,</seg></tuv>
  </tu>
</body></tmx>
""",
        encoding="utf-8",
    )
    [de] = import_tmx(path, locales=["az", "de", "fr", "ru"])
    assert (de.source, de.target, de.locale, de.origin) == (
        "Dear Minister,",
        "Sehr geehrter Herr Minister,",
        "de",
        "tmx:omegat.tmx#7",
    )
    assert {e.locale for e in import_tmx(path)} == {"de", "pt"}


def test_imported_tmx_survives_sync_and_cache_rebuild(project: Path, tmp_path: Path) -> None:
    tmx = tmp_path / "legacy.tmx"
    export_tmx([TMEntry(UNRELATED, "Wir laden ein.", "de", "old#1", True)], tmx)
    cache = project / "cache"
    store = MemoryStore(cache, root=project)
    store.sync(catalogs(project))
    assert store.import_tmx(tmx, locales=["de"]) == 1
    tmx.unlink()
    report = store.sync(catalogs(project))
    assert (report.files_read, report.entries) == (0, 4)
    (cache / "memory.sqlite").write_bytes(b"garbage")
    store = MemoryStore(cache, root=project)
    assert store.sync(catalogs(project)).entries == 4
    [match] = store.memory("de").lookup(UNRELATED, "de")
    assert (match.entry.target, match.entry.reviewed, match.exact) == ("Wir laden ein.", True, True)


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ('<tmx version="1.4">\n<body>\n<tu><tuv xml:lang="de">\n</tu>\n</body></tmx>', 4, "tag"),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ENTITY a "aaaa">\n]>\n<tmx/>',
            2,
            "DOCTYPE",
        ),
        ('<tmx version="1.4">\n<body>&bad;</body></tmx>', 2, "entity"),
    ],
)
def test_malformed_tmx_is_a_one_line_input_error(
    tmp_path: Path, content: str, line: int, words: str
) -> None:
    path = tmp_path / "broken.tmx"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_tmx(path)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}: ") and words in message
    assert "\n" not in message


def test_tmx_export_is_atomic_and_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "memory.tmx"
    export_tmx([entry(IMPRISONED)], path)
    export_tmx([entry(DETAINED)], path)
    assert [e.source for e in import_tmx(path)] == [DETAINED]
    assert [p.name for p in tmp_path.iterdir()] == ["memory.tmx"]
    assert oct(os.stat(path).st_mode & 0o777) == "0o644"
