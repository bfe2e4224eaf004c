"""The glossary: loading with line numbers, lint, matching, enforcement, lossless editing."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from transflow.errors import ConcurrentEditError, GlossaryError
from transflow.glossary import (
    Glossary,
    GlossaryFile,
    add_entry,
    check_source,
    check_target,
    lint_glossary,
    load_glossary,
)
from transflow.glossary import load as glossary_module

DATA = Path(__file__).parent / "data" / "glossary"
FIXTURE = DATA / "glossary.yaml"
SHIPPED = Path(__file__).resolve().parents[1] / "glossary.yaml"


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(FIXTURE)


def checks(glossary: Glossary, locale: str, source: str, target: str) -> list[tuple[str, str]]:
    return [
        (f.check, f.term or "") for f in check_target(glossary, "u1", "doc", locale, source, target)
    ]


# -- loading ----------------------------------------------------------------------------


def test_fixture_loads_with_lines_and_typed_fields(glossary: Glossary) -> None:
    entry = glossary["ilham-aliyev"]
    assert entry.en == "Ilham Aliyev"
    assert entry.line == 9
    assert entry.lines["en"] == 11
    assert entry.variants[0].form == "Ilham Aliev" and entry.variants[0].status == "correct"
    ru = entry.locales["ru"]
    assert ru.approved == "Ильхам Алиев"
    assert ru.cases["gen"] == "Ильхама Алиева"
    assert glossary["meydan-tv"].keep_untranslated
    assert glossary.locales == ("az", "de", "fr", "ru")
    assert len(glossary) == 8


def test_missing_file_is_an_empty_glossary(tmp_path: Path) -> None:
    glossary = load_glossary(tmp_path / "glossary.yaml")
    assert len(glossary) == 0
    assert glossary.match("Ilham Aliyev") == []


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "glossary.yaml"
    path.write_text(text, encoding="utf-8")
    return path


HEAD = "version: 1\nlocales: [az, de, fr, ru]\nentries:\n"


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        # malformed YAML: an unclosed flow list
        ("  - id: x\n    type: person\n    en: [Broken\n    note: x\n", None, "malformed YAML"),
        # wrong type: en is a list
        ("  - id: x\n    type: person\n    en: [A, B]\n", 6, "'en' must be a string"),
        # wrong type: forms is a string
        (
            "  - id: x\n    type: person\n    en: X\n    locales:\n"
            "      de: {approved: X, forms: X}\n",
            8,
            "'forms' must be a list",
        ),
        # unknown key
        ("  - id: x\n    type: person\n    en: X\n    colour: red\n", 7, "unknown key 'colour'"),
        # unknown locale code
        (
            "  - id: x\n    type: person\n    en: X\n    locales:\n      xx-bogus: {approved: X}\n",
            8,
            "unknown locale 'xx-bogus'",
        ),
        # a real locale that the file does not list
        (
            "  - id: x\n    type: person\n    en: X\n    locales:\n      es: {approved: X}\n",
            8,
            "not in the glossary's locales",
        ),
        # a terminal escape (C1 CSI, written as a YAML escape) went on into every catalog's
        # "#. glossary:" comments and into check's suggestions
        (
            "  - id: x\n    type: person\n    en: X\n    locales:\n"
            '      de: {approved: "X\\x9b2J", forms: ["X\\x9b2J"]}\n',
            8,
            "control character \\x9b",
        ),
        ('  - id: x\n    type: person\n    en: "X\\e[2J"\n', 6, "control character \\x1b"),
    ],
)
def test_bad_files_give_one_error_line_with_file_and_line(
    tmp_path: Path, body: str, line: int | None, words: str
) -> None:
    path = write(tmp_path, HEAD + body)
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:")
    assert words in message
    if line is not None:
        assert message.startswith(f"{path}:{line}: ")
    else:
        assert info.value.line is not None and info.value.line >= 4


# -- lint -------------------------------------------------------------------------------


def test_fixture_lints_clean() -> None:
    assert lint_glossary(FIXTURE) == []


@pytest.mark.skipif(not SHIPPED.exists(), reason="no shipped glossary.yaml")
def test_shipped_glossary_lints_clean() -> None:
    assert [str(p) for p in lint_glossary(SHIPPED)] == []


def test_lint_finds_semantic_problems_with_lines(tmp_path: Path) -> None:
    text = HEAD + (
        "  - id: one\n"  # 4
        "    type: person\n"
        "    en: Jane Doe\n"
        "    locales:\n"  # 7
        "      az: {approved: Jane Doe, forms: [Jane Doeun], forbidden: [Jane Doe]}\n"  # 8
        "      de: {approved: Jane Doe}\n"
        "      fr: {approved: ''}\n"  # 10
        "  - id: one\n"  # 11
        "    type: persona\n"  # 12
        "    en: John Roe\n"
        "    variants:\n"
        "      - {form: jane doe, status: correct}\n"  # 15
        "    locales: {az: {approved: J}, de: {approved: J},\n"
        "              fr: {approved: J}, ru: {approved: J}}\n"
    )
    problems = lint_glossary(write(tmp_path, text))
    found = {(p.line, p.message.split(":", 1)[-1].strip()) for p in problems}
    text_of = "\n".join(str(p) for p in problems)
    assert (11, "duplicate id 'one' (first defined at line 4)") in {
        (p.line, p.message) for p in problems
    }, text_of
    assert any(p.line == 15 and "also claimed by entry 'one'" in p.message for p in problems)
    assert any(p.line == 7 and "locale 'ru' missing" in p.message for p in problems)
    assert any(
        p.line == 8 and "does not contain approved 'Jane Doe'" in p.message for p in problems
    )
    assert any(p.line == 8 and "both allowed and forbidden" in p.message for p in problems)
    assert any(p.line == 10 and "empty 'approved'" in p.message for p in problems)
    assert any(p.line == 12 and "unknown type 'persona'" in p.message for p in problems)
    assert found  # every problem printed as path:line: message
    assert all(str(p).startswith(f"{tmp_path / 'glossary.yaml'}:") for p in problems)


def test_lint_reports_schema_errors_too(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "  - id: x\n    type: person\n    en: 5\n")
    problems = lint_glossary(path)
    assert [p.line for p in problems if "'en' must be a string" in p.message] == [6]


@pytest.mark.parametrize(
    ("ignore", "line", "words"),
    [
        ("ignore: Dear\n", 3, "'ignore' must be a list of strings, not a string"),
        ("ignore:\n  - Dear\n  - [Mr, Ms]\n", 5, "'ignore' items must be strings, not a list"),
        ("ignore: {Dear: 1}\n", 3, "'ignore' must be a list of strings, not a mapping"),
    ],
)
def test_ignore_list_schema_errors_have_file_and_line(
    tmp_path: Path, ignore: str, line: int, words: str
) -> None:
    path = write(tmp_path, "version: 1\nlocales: [de]\n" + ignore + "entries: []\n")
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert words in str(info.value)
    assert [(p.line, words in p.message) for p in lint_glossary(path)] == [(line, True)]


def test_lint_checks_the_ignore_list_and_russian_cases(tmp_path: Path) -> None:
    text = (
        "version: 1\n"
        "locales: [ru]\n"
        "# capitalised words that are not names\n"
        "ignore:\n"  # 4
        "  - Dear\n"
        "  - ''\n"  # 6
        "  - Dear\n"  # 7
        "  - jane doe\n"  # 8: a name the glossary controls
        "entries:\n"
        "  - id: jane-doe\n"  # 10
        "    type: person\n"
        "    en: Jane Doe\n"
        "    locales:\n"
        "      ru:\n"  # 14
        "        approved: Джейн Доу\n"
        "        forms: [Джейн Доу]\n"
        "        cases: {nom: Джейн Доу, pre: Джейн Доу-ой}\n"
    )
    path = write(tmp_path, text)
    glossary = load_glossary(path)  # semantic problems only: the file still loads
    assert glossary.ignore == ("Dear", "", "Dear", "jane doe")
    assert glossary.ignore_lines == (5, 6, 7, 8)
    problems = [(p.line, p.message) for p in lint_glossary(path)]
    assert problems == [
        (6, "'ignore': empty item"),
        (7, "'ignore': 'Dear' is listed twice (line 5)"),
        (
            8,
            "'ignore': 'jane doe' is a form of entry 'jane-doe' (line 12); remove it from 'ignore'",
        ),
        (14, "entry 'jane-doe', locale ru: case pre 'Джейн Доу-ой' is not listed in 'forms'"),
    ]
    # comments and the ignore list survive an edit
    add_entry(path, {"id": "x", "type": "other", "en": "X", "locales": {"ru": {"approved": "X"}}})
    after = path.read_text(encoding="utf-8")
    assert after.startswith(text)
    assert load_glossary(path).ignore == glossary.ignore


# -- matching (source side) -------------------------------------------------------------


def spans(glossary: Glossary, text: str) -> list[tuple[str, str, str | None]]:
    return [(m.entry_id, m.matched, m.variant_status) for m in glossary.match(text)]


def test_longest_match_wins(glossary: Glossary) -> None:
    text = (
        "We call on the Committee of Ministers of the Council of Europe and the Council of Europe."
    )
    assert spans(glossary, text) == [
        ("committee-of-ministers", "Committee of Ministers of the Council of Europe", None),
        ("council-of-europe", "Council of Europe", None),
    ]
    assert spans(glossary, "Ilham Aliyev and Aliyev") == [
        ("ilham-aliyev", "Ilham Aliyev", None),
        ("aliyev", "Aliyev", None),
    ]


def test_whole_words_only(glossary: Glossary) -> None:
    assert spans(glossary, "Europe, Europeans and the EUROPEAN EUphoria") == []
    assert spans(glossary, "the EU's budget") == [("eu", "EU", None)]
    assert spans(glossary, "Aliyevich and Aliyeva") == []


def test_possessives_cover_the_name_only(glossary: Glossary) -> None:
    for text in ("Aliyev's regime", "Aliyev’s regime", "the Aliyevs' regime", "Aliyevs’ wealth"):
        matches = glossary.match(text)
        assert [(m.entry_id, m.matched) for m in matches] == [("aliyev", "Aliyev")], text
    [m] = glossary.match("Meydan TV’s reporters")
    assert m.matched == "Meydan TV"


def test_line_breaks_and_double_spaces_between_words(glossary: Glossary) -> None:
    text = "the Committee of\nMinisters of the  Council\r\n  of Europe said"
    [m] = glossary.match(text)
    assert m.entry_id == "committee-of-ministers"
    assert (
        text[m.start : m.end]
        == m.matched
        == "Committee of\nMinisters of the  Council\r\n  of Europe"
    )


def test_case_insensitive_but_dotted_i_stays_distinct(glossary: Glossary) -> None:
    assert spans(glossary, "ASİMKOM and asİmkom") == [
        ("asimkom", "ASİMKOM", None),
        ("asimkom", "asİmkom", None),
    ]
    # The undotted spelling is a 'correct' variant: it must not be folded into the approved one.
    assert spans(glossary, "ASIMKOM") == [("asimkom", "ASIMKOM", "correct")]
    assert spans(glossary, "ilham aliyev") == [("ilham-aliyev", "ilham aliyev", None)]


def test_slash_terms(glossary: Glossary) -> None:
    assert spans(glossary, "Radio Free Europe/Radio Liberty and RFE / RL reported") == [
        ("rferl", "Radio Free Europe/Radio Liberty", None),
        ("rferl", "RFE / RL", "acceptable"),
    ]
    # "Radio Free Europe" alone is not the term (and "Europe" is not "EU")
    assert spans(glossary, "Radio Free Europe reported") == []


def test_terms_in_is_ordered_and_deduplicated(glossary: Glossary) -> None:
    text = "Meydan TV said Ilham Aliyev met the EU; Meydan TV and Ilham Aliev again."
    assert glossary.terms_in(text) == ("meydan-tv", "ilham-aliyev", "eu")


# -- enforcement ------------------------------------------------------------------------


def test_source_variant_warning_with_fix(glossary: Glossary) -> None:
    text = "The ASMKOM appeal, signed by ASİMKOM; Ilham Aliev’s regime."
    findings = check_source(glossary, "u7", "notice", text)
    assert [(f.check, f.severity.label, f.message, f.expected) for f in findings] == [
        ("glossary-variant", "warning", "ASMKOM → ASİMKOM", ("ASİMKOM",)),
        ("glossary-variant", "warning", "Ilham Aliev → Ilham Aliyev", ("Ilham Aliyev",)),
    ]
    first = findings[0]
    assert first.locale is None and first.unit == "u7" and first.doc == "notice"
    assert first.span is not None and text[first.span[0] : first.span[1]] == "ASMKOM"
    assert check_source(glossary, "u8", "notice", "President Aliyev and ASİMKOM") == []


SOURCE = "We urge Ilham Aliyev to release the journalists."


def test_approved_forms_accepted_in_all_four_languages(glossary: Glossary) -> None:
    targets = {
        "az": "Biz İlham Əliyevi jurnalistləri azad etməyə çağırırıq.",
        "de": "Wir fordern Ilham Alijew auf, die Journalisten freizulassen.",
        "fr": "Nous exhortons Ilham Aliev à libérer les journalistes.",
        "ru": "Мы призываем Ильхама Алиева освободить журналистов.",
    }
    for locale, target in targets.items():
        assert checks(glossary, locale, SOURCE, target) == [], locale


def test_russian_inflected_form_accepted(glossary: Glossary) -> None:
    source = "The regime of Ilham Aliyev persecutes journalists."
    assert checks(glossary, "ru", source, "Режим Ильхама Алиева преследует журналистов.") == []
    assert checks(glossary, "ru", source, "Ильхаму Алиеву это не нравится.") == []


def test_azerbaijani_case_form_accepted(glossary: Glossary) -> None:
    source = "The regime of Ilham Aliyev persecutes journalists."
    assert checks(glossary, "az", source, "İlham Əliyevin rejimi jurnalistləri təqib edir.") == []


def test_wrong_transliteration_is_missing(glossary: Glossary) -> None:
    wrong = {
        "az": "İlham Aliyevin rejimi jurnalistləri təqib edir.",
        "de": "Das Regime von Ilham Alijev verfolgt Journalisten.",
        "fr": "Le régime d'Ilham Aliyev persécute des journalistes.",
        "ru": "Режим Ильхама Алиеваа преследует журналистов.",
    }
    for locale, target in wrong.items():
        assert ("glossary-missing", "ilham-aliyev") in checks(glossary, locale, SOURCE, target)
    [finding] = check_target(glossary, "u1", "doc", "ru", SOURCE, wrong["ru"])
    assert finding.severity.label == "error"
    assert finding.message.startswith(
        "missing glossary term ilham-aliyev: expected one of Ильхам Алиев, Ильхама Алиева,"
    )
    assert "Ильхаму Алиеву" in finding.expected


def test_forbidden_form_rejected_even_next_to_an_allowed_one(glossary: Glossary) -> None:
    target = "Wir fordern Ilham Alijew auf; Ilham Aliyev muss die Journalisten freilassen."
    findings = check_target(glossary, "u1", "doc", "de", SOURCE, target)
    assert [(f.check, f.term) for f in findings] == [("glossary-forbidden", "ilham-aliyev")]
    assert findings[0].span is not None
    start, end = findings[0].span
    assert target[start:end] == "Ilham Aliyev"  # one finding for the longest forbidden form


def test_keep_untranslated_must_stay_verbatim(glossary: Glossary) -> None:
    source = "Meydan TV reported the arrest."
    assert checks(glossary, "ru", source, "Meydan TV сообщил об аресте.") == []
    # one misspelt name is one error: the forbidden form, with the fix
    [wrong] = check_target(glossary, "u1", "doc", "ru", source, "Мейдан ТВ сообщил об аресте.")
    assert (wrong.check, wrong.term, wrong.expected[0]) == (
        "glossary-forbidden",
        "meydan-tv",
        "Meydan TV",
    )
    assert checks(glossary, "de", source, "Meydan-Fernsehen berichtete.") == [
        ("glossary-untranslated", "meydan-tv")
    ]
    assert checks(glossary, "az", source, "Meydan TV-nin müxbiri həbs edildi.") == []


def test_sentence_start_may_change_first_letter_case(glossary: Glossary) -> None:
    source = "President Aliyev spoke."
    assert checks(glossary, "fr", source, "Le président Aliev a parlé.") == []
    assert checks(glossary, "fr", source, "Président Aliev a parlé.") == []
    assert checks(glossary, "fr", source, "Il a dit. Président Aliev a parlé.") == []
    # elsewhere the case must match
    assert checks(glossary, "fr", source, "Le PRÉSIDENT ALIEV a parlé.") == [
        ("glossary-missing", "ilham-aliyev")
    ]


def test_empty_target_and_termless_source_give_nothing(glossary: Glossary) -> None:
    assert check_target(glossary, "u1", "doc", "ru", SOURCE, "") == []
    assert check_target(glossary, "u1", "doc", "ru", SOURCE, "  \n") == []
    assert check_target(glossary, "u1", "doc", "ru", "No names here.", "Здесь нет имён.") == []


def test_every_term_of_a_unit_is_checked(glossary: Glossary) -> None:
    source = "The EU and the Council of Europe must press Ilham Aliyev."
    target = "ЕС и Совет Европы должны оказать давление на Ильхама Алиева."
    assert checks(glossary, "ru", source, target) == []
    assert checks(glossary, "ru", source, "ЕС должен оказать давление на Ильхама Алиева.") == [
        ("glossary-missing", "council-of-europe")
    ]


# -- editing without loss ---------------------------------------------------------------

NEW_ENTRY = {
    "id": "toplum-tv",
    "type": "outlet",
    "en": "Toplum TV",
    "variants": [{"form": "ToplumTV", "status": "correct"}],
    "keep-untranslated": True,
    "locales": {
        "az": {"approved": "Toplum TV", "forms": ["Toplum TV", "Toplum TV-nin"], "forbidden": []},
        "de": {"approved": "Toplum TV", "forms": ["Toplum TV"], "forbidden": []},
        "fr": {"approved": "Toplum TV", "forms": ["Toplum TV"], "forbidden": []},
        "ru": {"approved": "Toplum TV", "forms": ["Toplum TV"], "forbidden": ["Топлум ТВ"]},
    },
    "note": "Independent online TV; its staff were arrested in 2024.",
    "references": [],
    "unverified": ["az"],
}


def test_add_entry_keeps_every_comment_and_untouched_bytes(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    shutil.copy(FIXTURE, path)
    before = path.read_text(encoding="utf-8")
    add_entry(path, NEW_ENTRY)
    after = path.read_text(encoding="utf-8")
    # Everything before the trailing comment is unchanged, byte for byte.
    tail = "# end of entries — this trailing comment must survive too\n"
    assert after.startswith(before[: -len(tail)])
    comments = [line.strip() for line in before.splitlines() if "#" in line]
    for comment in comments:
        assert comment in after
    assert after.endswith(tail)
    glossary = load_glossary(path)
    assert [e.id for e in glossary][-1] == "toplum-tv"
    assert glossary["toplum-tv"].locales["ru"].forbidden == ("Топлум ТВ",)
    assert glossary["toplum-tv"].variants[0].status == "correct"
    assert lint_glossary(path) == []
    assert glossary.terms_in("Toplum TV reported") == ("toplum-tv",)


def test_add_entry_before_a_following_key_keeps_it(tmp_path: Path) -> None:
    text = (
        "version: 1\nlocales: [de]\nentries:\n  - id: a\n    type: other\n    en: Alpha\n"
        "    locales: {de: {approved: Alpha}}\n\n"
        "# the words below are not names\nignore:\n  - Dear\n"
    )
    path = write(tmp_path, text)
    add_entry(
        path, {"id": "b", "type": "other", "en": "Beta", "locales": {"de": {"approved": "Beta"}}}
    )
    after = path.read_text(encoding="utf-8")
    assert after.startswith(text.split("\n# the words")[0])
    assert after.endswith("# the words below are not names\nignore:\n  - Dear\n")
    assert [e.id for e in load_glossary(path)] == ["a", "b"]


def test_add_entry_creates_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    add_entry(path, NEW_ENTRY)
    assert [e.id for e in load_glossary(path)] == ["toplum-tv"]


def test_add_entry_refuses_duplicate_id_and_bad_entries(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    shutil.copy(FIXTURE, path)
    before = path.read_bytes()
    with pytest.raises(GlossaryError, match="'meydan-tv' already exists"):
        add_entry(path, {**NEW_ENTRY, "id": "meydan-tv"})
    with pytest.raises(GlossaryError, match="unknown locale 'xx-bogus'"):
        add_entry(path, {**NEW_ENTRY, "locales": {"xx-bogus": {"approved": "X"}}})
    with pytest.raises(GlossaryError, match="'en' must be a string"):
        add_entry(path, {**NEW_ENTRY, "en": ["Toplum", "TV"]})
    # was "internal error: the edited glossary did not read back"
    with pytest.raises(GlossaryError, match=r"cannot add entry: control character \\x1b"):
        add_entry(path, {**NEW_ENTRY, "en": "Toplum\x1b[2J TV"})
    assert path.read_bytes() == before


def test_add_entry_refuses_to_overwrite_a_concurrent_edit(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    shutil.copy(FIXTURE, path)
    file = GlossaryFile.read(path)
    file.add_entry(NEW_ENTRY)
    edited = path.read_text(encoding="utf-8") + "# a maintainer's edit in an editor\n"
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(ConcurrentEditError):
        file.save()
    assert path.read_text(encoding="utf-8") == edited  # their edit survives


def test_concurrent_adds_never_lose_an_entry(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    shutil.copy(FIXTURE, path)
    errors: list[Exception] = []

    def worker(n: int) -> None:
        data = {**NEW_ENTRY, "id": f"outlet-{n}", "en": f"Outlet {n}", "variants": []}
        try:
            add_entry(path, data)
        except ConcurrentEditError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = {e.id for e in load_glossary(path)}
    added = {f"outlet-{n}" for n in range(4)} & ids
    assert len(added) + len(errors) == 4  # each add either landed or was refused, never lost
    assert len(added) >= 1


# -- the cached load (transflow check and coverage) ---------------------------------------


@pytest.mark.parametrize("path", [FIXTURE, SHIPPED])
def test_fast_load_reads_the_same_glossary(path: Path) -> None:
    if not path.exists():
        pytest.skip("no such glossary")
    data = path.read_bytes()
    fast = glossary_module._load_fast(path, data)
    assert fast is not None
    full = load_glossary(path)
    assert fast.entries == full.entries  # lines are not compared
    assert (fast.locales, fast.ignore, fast.path) == (full.locales, full.ignore, full.path)


def test_fast_load_leaves_problems_to_the_round_trip_reader(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    for text in ("entries: [\n", "version: 1\nentries:\n  - id: x\n    type: person\n"):
        path.write_text(text, encoding="utf-8")
        assert glossary_module._load_fast(path, path.read_bytes()) is None
        with pytest.raises(GlossaryError) as error:
            glossary_module.load_glossary_cached(path, tmp_path / "cache", path.read_bytes())
        assert error.value.line is not None
    assert not (tmp_path / "cache" / "glossary.marshal").exists()  # errors are never cached


def test_cached_load_is_keyed_on_the_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "glossary.yaml"
    shutil.copy(FIXTURE, path)
    cache = tmp_path / "cache"
    data = path.read_bytes()
    first = glossary_module.load_glossary_cached(path, cache, data)
    assert first.entries == load_glossary(path).entries
    calls: list[Path] = []
    real_load = glossary_module._load

    def counting_load(p: Path, d: bytes | None) -> Glossary:
        calls.append(p)
        return real_load(p, d)

    monkeypatch.setattr(glossary_module, "_load_fast", lambda p, d: None)
    monkeypatch.setattr(glossary_module, "_load", counting_load)
    again = glossary_module.load_glossary_cached(path, cache, data)
    assert again.entries == first.entries and not calls  # from the cache, YAML not read
    assert checks(again, "de", "Ilham Aliyev spoke.", "Ilham Aliyev sprach.") == checks(
        first, "de", "Ilham Aliyev spoke.", "Ilham Aliyev sprach."
    )
    edited = data.replace(b"Ilham Aliyev", b"Ilham Aliyew", 1)
    changed = glossary_module.load_glossary_cached(path, cache, edited)
    assert calls and changed.entries != first.entries
    (cache / "glossary.marshal").write_bytes(b"not marshal data")
    calls.clear()
    rebuilt = glossary_module.load_glossary_cached(path, cache, data)
    assert calls and rebuilt.entries == first.entries


@pytest.mark.parametrize(
    ("locale", "salutation"),
    [("fr", "Madame la Présidente,"), ("ru", "Уважаемая госпожа Председатель!")],
)
def test_a_salutation_may_address_a_person_by_title_alone(locale: str, salutation: str) -> None:
    shipped = load_glossary(SHIPPED)
    source = "Dear Ms. Ursula von der Leyen,"
    [finding] = check_target(shipped, "u1", "doc", locale, source, salutation, kind="salutation")
    assert (finding.check, finding.term) == ("glossary-missing", "ursula-von-der-leyen")
    assert finding.severity.label == "warning" and "salutation" in finding.message
    # the same words anywhere else still need the name
    [error] = check_target(shipped, "u1", "doc", locale, source, salutation, kind="paragraph")
    assert error.severity.label == "error"


# -- variants say how they are rendered (glossary protection, issue 12) -------------------

VARIANT_ENTRY = (
    "  - id: azerbaijan\n    type: place\n    en: Azerbaijan\n    variants:\n"
    "{variants}"
    "    locales:\n"
    "      de: {{approved: Aserbaidschan, forms: [Aserbaidschan, Aserbaidschans],"
    " forbidden: [Azerbaijan]}}\n"
    "      ru: {{approved: Азербайджан, forms: [Азербайджан, Азербайджана]}}\n"
)


def lint_variants(tmp_path: Path, variants: str) -> list[tuple[int | None, str]]:
    path = write(
        tmp_path,
        "version: 1\nlocales: [de, ru]\nentries:\n" + VARIANT_ENTRY.format(variants=variants),
    )
    return [(p.line, p.message) for p in lint_glossary(path)]


def test_lint_wants_every_acceptable_variant_to_say_how_it_is_rendered(tmp_path: Path) -> None:
    good = (
        "      - {form: Azerbaidjan, status: correct}\n"
        "      - {form: Azerbaijan Rep., status: acceptable, same: true}\n"
        "      - form: Republic of Azerbaijan\n        targets:\n"
        "          de: Republik Aserbaidschan\n"
        "          ru: {nom: Азербайджанская Республика, gen: Азербайджанской Республики}\n"
        "      - {form: Azerbaijani-led, targets: {de: null, ru: null}}\n"
    )
    assert lint_variants(tmp_path, good) == []
    glossary = load_glossary(tmp_path / "glossary.yaml")
    entry = glossary["azerbaijan"]
    assert entry.rendering("de", "Republic of Azerbaijan").approved == "Republik Aserbaidschan"
    assert entry.rendering("ru", "Republic of Azerbaijan").cases["gen"] == (
        "Азербайджанской Республики"
    )
    assert entry.rendering("de", "Azerbaijan Rep.").approved == "Aserbaidschan"
    assert entry.rendering("de", "Azerbaidjan").approved == "Aserbaidschan"
    assert entry.rendering("de", "Azerbaijani-led") is None
    # a variant's target is an allowed form of the entry: check accepts it
    source, target = "the Republic of Azerbaijan", "die Republik Aserbaidschan"
    assert check_target(glossary, "u", "d", "de", source, target) == []

    bad = {
        "      - {form: Republic of Azerbaijan, status: acceptable}\n": "does not say how it is "
        "rendered: 'same: true' if it is another spelling of the same name, else 'targets'",
        "      - {form: Rep. Azerbaijan, targets: {de: Republik Aserbaidschan}}\n": "has no target "
        "for ru (null leaves it to MT)",
        "      - {form: Azerbaijan Rep., same: true, targets: {de: X, ru: Y}}\n": "has both 'same' "
        "and 'targets'",
        "      - {form: Azerbaidjan, status: correct, same: true}\n": "is a misspelling, rendered "
        "like 'en'",
        "      - {form: Azerbaijan Rep., targets: {de: Azerbaijan, ru: null}}\n": "locale de: "
        "target 'Azerbaijan' is forbidden",
        "      - {form: Azerbaijan Rep., targets: {de: '', ru: null}}\n": "empty target",
        "      - {form: Azerbaijan Rep., targets: {de: {gen: X}, ru: null}}\n": "needs 'nom'",
    }
    for variants, words in bad.items():
        problems = lint_variants(tmp_path, variants)
        assert len(problems) == 1 and words in problems[0][1], (variants, problems)
        assert problems[0][0] == 8  # the variant's own line


# -- one misspelt name, one finding; URLs and e-mail addresses are no names ----------------


def test_a_misspelt_name_is_one_error_with_the_fix(glossary: Glossary) -> None:
    source = "The regime of Ilham Aliyev persecutes journalists."
    target = "Das Regime von Ilham Aliyev verfolgt Journalisten."
    [finding] = check_target(glossary, "u1", "doc", "de", source, target)
    assert (finding.check, finding.term) == ("glossary-forbidden", "ilham-aliyev")
    assert finding.expected[0] == "Ilham Alijew"  # the closest allowed form is the fix
    assert finding.message == "forbidden form 'Ilham Aliyev' for ilham-aliyev: use Ilham Alijew"
    # the surname alone gets the surname as its fix
    [alone] = check_target(glossary, "u1", "doc", "de", source, "Das Regime Aliyev.")
    assert alone.expected[0] == "Alijew"


def test_names_in_urls_and_email_addresses_are_never_findings(glossary: Glossary) -> None:
    source = "See https://example.org/asimkom/ and write to asimkom@example.org or www.ASMKOM.org."
    assert glossary.match(source) == [] and glossary.terms_in(source) == ()
    assert check_source(glossary, "u1", "doc", source) == []
    # the name itself beside the address is still checked
    both = "ASMKOM: https://example.org/asimkom/"
    assert [f.message for f in check_source(glossary, "u1", "doc", both)] == ["ASMKOM → ASİMKOM"]
    # in the target, a forbidden form inside an address is no error either
    ru_source = "Meydan TV reported it."
    ru_target = "Meydan TV сообщил: https://example.org/Мейдан ТВ"
    assert (
        check_target(glossary, "u1", "doc", "ru", ru_source, ru_target.replace(" ТВ", "-ТВ")) == []
    )
