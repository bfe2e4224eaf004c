"""Sentence splitting on hard cases, and ids that stay put."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transflow.document import parse_document, parse_text
from transflow.errors import SourceError
from transflow.segment import assign_ids, segment_document, split_sentences, unit_id

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seed" / "asimkom-bonn-conference-2025.txt"


HARD_CASES = [
    # abbreviations
    (
        "Dear Dr. Johann David Wadephul, we write to you. Mr. Borg agreed.",
        ["Dear Dr. Johann David Wadephul, we write to you.", "Mr. Borg agreed."],
    ),
    (
        "Ms. Ashurova fled. St. Petersburg is far away.",
        ["Ms. Ashurova fled.", "St. Petersburg is far away."],
    ),
    ("It took approx. 3 hours. Then it ended.", ["It took approx. 3 hours.", "Then it ended."]),
    (
        "Some rights, e.g. free speech, i.e. the core ones, are violated. We protest.",
        ["Some rights, e.g. free speech, i.e. the core ones, are violated.", "We protest."],
    ),
    (
        "See Art. 10 of the Convention and No. 5 of the list. It applies.",
        ["See Art. 10 of the Convention and No. 5 of the list.", "It applies."],
    ),
    ("As cited on p. 12 of the report. Next.", ["As cited on p. 12 of the report.", "Next."]),
    # U.S. inside and at the end of a sentence
    (
        "The U.S. Congress reacted. Sanctions came from the EU, UK, and U.S. The rest did not.",
        [
            "The U.S. Congress reacted.",
            "Sanctions came from the EU, UK, and U.S.",
            "The rest did not.",
        ],
    ),
    # decimals and numbers
    (
        "Inflation reached 2.5 percent in 2024. It was 3.1 before.",
        ["Inflation reached 2.5 percent in 2024.", "It was 3.1 before."],
    ),
    # dates
    (
        "The conference was held on Oct. 14, 2025 in Bonn. It ended at 6 p.m. sharp.",
        ["The conference was held on Oct. 14, 2025 in Bonn.", "It ended at 6 p.m. sharp."],
    ),
    # ellipses
    (
        "They waited… and waited. Nothing came... Then the police arrived.",
        ["They waited… and waited.", "Nothing came...", "Then the police arrived."],
    ),
    # quotations
    (
        "He said: “We will not be silenced.” The court disagreed.",
        ["He said: “We will not be silenced.”", "The court disagreed."],
    ),
    (
        "“Why?” she asked. “Because we must.”",
        ["“Why?” she asked.", "“Because we must.”"],
    ),
    (
        "The founders of the “AbzasMedia” portal, “Meydan TV,” and “Toplum TV” were jailed.",
        ["The founders of the “AbzasMedia” portal, “Meydan TV,” and “Toplum TV” were jailed."],
    ),
    # URLs and e-mail
    (
        "Read it at https://example.org/appeals/2025.html. Write to info@example.org. Thanks!",
        [
            "Read it at https://example.org/appeals/2025.html.",
            "Write to info@example.org.",
            "Thanks!",
        ],
    ),
    # initials and question/exclamation marks
    (
        "J. D. Wadephul replied. Is that enough? No! It is not.",
        ["J. D. Wadephul replied.", "Is that enough?", "No!", "It is not."],
    ),
    # brackets
    (
        "Vugar Rzayev (AXCP member) was killed in Belgium (2021). Others followed.",
        ["Vugar Rzayev (AXCP member) was killed in Belgium (2021).", "Others followed."],
    ),
]


@pytest.mark.parametrize(("text", "expected"), HARD_CASES)
def test_hard_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


# One test per class of case the Pragmatic Segmenter's golden rules found wrong (issue 12),
# in sentences of our own; bench/bench_golden_rules.py scores the rules themselves.
SPLITTING_CLASSES = {
    "spaced ellipsis": [
        # an omission inside a sentence, before a small letter and before a capital
        (
            "The minister promised . . . nothing at all. The report says . . . I quote it.",
            ["The minister promised . . . nothing at all.", "The report says . . . I quote it."],
        ),
        # a full stop, then an ellipsis that opens the next (quoted) sentence
        (
            "The hearing was closed. . . . Observers were barred.",
            ["The hearing was closed.", ". . . Observers were barred."],
        ),
        # an ellipsis and a full stop, both spaced, end the sentence
        ("She paused . . . . Then she spoke.", ["She paused . . . .", "Then she spoke."]),
        # an ellipsis ending a quotation ends nothing inside it
        (
            "He wrote that “the trial was a farce. . . .” Nobody answered.",
            ["He wrote that “the trial was a farce. . . .”", "Nobody answered."],
        ),
    ],
    "dotted country before a capital": [
        (
            "Her family moved to the U.S. When did they leave? They left in the E.U. What else?",
            [
                "Her family moved to the U.S.",
                "When did they leave?",
                "They left in the E.U.",
                "What else?",
            ],
        ),
        (
            "The E.U. Council met on Monday with U.S.A. Delegates.",
            ["The E.U. Council met on Monday with U.S.A. Delegates."],
        ),
    ],
    "company abbreviations": [
        (
            "The leaflets were printed by Meyer & Co. It took a week. Meyer & Co. printed more.",
            [
                "The leaflets were printed by Meyer & Co.",
                "It took a week.",
                "Meyer & Co. printed more.",
            ],
        ),
        (
            "She came with Anar and co. They stayed late. Anar and co. left at dawn.",
            ["She came with Anar and co.", "They stayed late.", "Anar and co. left at dawn."],
        ),
    ],
    "time before a title": [
        (
            "The vigil ended at 9 P.M. Mr. Hasanov thanked everyone.",
            ["The vigil ended at 9 P.M.", "Mr. Hasanov thanked everyone."],
        ),
        # "At 9 p.m." opens the sentence: it is no sentence of its own
        ("At 9 p.m. Mrs. Ismayilova spoke.", ["At 9 p.m. Mrs. Ismayilova spoke."]),
    ],
    "initials": [
        (
            "The appeal was signed by Leyla E. Yunus and Anar I. Mammadli.",
            ["The appeal was signed by Leyla E. Yunus and Anar I. Mammadli."],
        ),
        ("Nobody saw it but I. Did anyone else?", ["Nobody saw it but I.", "Did anyone else?"]),
    ],
    "number sign": [
        (
            "The case is registered under N°. 2024.115.07. The hearing follows.",
            ["The case is registered under N°. 2024.115.07.", "The hearing follows."],
        ),
    ],
    "citation after a quotation": [
        (
            "“The press is not free in Azerbaijan.” (PACE 2024, p. 3). It was adopted.",
            ["“The press is not free in Azerbaijan.” (PACE 2024, p. 3).", "It was adopted."],
        ),
        (
            'He wrote: "Reporters [...] were detained [...]" (Amnesty 7). They still are.',
            ['He wrote: "Reporters [...] were detained [...]" (Amnesty 7).', "They still are."],
        ),
    ],
    "inline lists": [
        (
            "Our demands: 1) Release the journalists. 2) End the trials.",
            ["Our demands:", "1) Release the journalists.", "2) End the trials."],
        ),
        (
            "We ask the Council to: a. Act now b. Report back",
            ["We ask the Council to:", "a. Act now", "b. Report back"],
        ),
        ("• Free speech • Fair trials", ["• Free speech", "• Fair trials"]),
        # numbers that do not count up from a list opening are no list
        (
            "See paragraphs 1) and 2) of the resolution. He scored 1. She scored 2.",
            ["See paragraphs 1) and 2) of the resolution.", "He scored 1.", "She scored 2."],
        ),
    ],
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [case for cases in SPLITTING_CLASSES.values() for case in cases],
    ids=[f"{name} {n}" for name, cases in SPLITTING_CLASSES.items() for n in range(len(cases))],
)
def test_splitting_classes(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_a_list_item_holding_the_next_items_gives_one_unit_each() -> None:
    """Markdown took "1." away; "2." inside item 1 still starts the second item."""
    text = "Our demands:\n\n1. Release the journalists. 2. End the trials.\n\n3. Act 4. Now\n"
    units, _ = segment_document(parse_text(text, Path("demands.md")))
    assert [u.text for u in units] == [
        "Our demands:",
        "Release the journalists.",
        "2. End the trials.",
        "Act",
        "4. Now",
    ]
    # a number that does not continue the list is left alone
    assert split_sentences("Read Resolution 2. The rest follows.", item=3) == [
        "Read Resolution 2.",
        "The rest follows.",
    ]
    assert split_sentences("See items 2) and 3) above.", item=1) == ["See items 2) and 3) above."]


# -- no unit is punctuation alone, and splitting loses nothing -----------------------

_WORD_CHAR = re.compile(r"[^\W_]")


def assert_whole_sentences(text: str) -> None:
    """Every sentence has a letter or digit, and together they are the text again."""
    sentences = split_sentences(text)
    normal = " ".join(text.split())
    assert " ".join(sentences) == normal
    if _WORD_CHAR.search(normal):
        assert all(_WORD_CHAR.search(s) for s in sentences), sentences


def test_no_bare_punctuation_in_any_corpus() -> None:
    corpora = [text for text, _ in HARD_CASES]
    corpora += [text for cases in SPLITTING_CLASSES.values() for text, _ in cases]
    paths = sorted((REPO / "source").glob("*.md")) + ([SEED] if SEED.exists() else [])
    for path in paths:
        units, _ = segment_document(parse_document(path))
        assert all(_WORD_CHAR.search(u.text) for u in units), path
        corpora += [u.text for u in units]
    corpora += [
        "Stop. ! Go on.",
        ". . . and so it began.",
        "Hi. . . .",
        "Wait . . . . . . Now.",
        "“…” He said nothing.",
    ]
    for text in corpora:
        assert_whole_sentences(text)


_TOKENS = st.sampled_from(
    [
        ".",
        "!",
        "?",
        "…",
        "...",
        "“",
        "”",
        "(",
        ")",
        '"',
        "1.",
        "2)",
        "3.)",
        "a.",
        "b.",
        "•",
        "U.S.",
        "P.M.",
        "Co.",
        "(Smith",
        ". . .",
        "done. . . .",
        "so…. . . .",
        "5).",
    ]
)
_WORDS = st.sampled_from(["The", "court", "Mr.", "Smith", "I", "and", "co.", "it", "p.m.", "N°."])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_TOKENS, _WORDS), min_size=1, max_size=30))
def test_no_bare_punctuation_on_any_mix(tokens: list[str]) -> None:
    assert_whole_sentences(" ".join(tokens))


def test_a_long_run_of_dots_is_one_ellipsis() -> None:
    """Pasted debris of 20,000 spaced dots is one ellipsis (and split in linear time)."""
    dots = " ." * 20_000
    assert split_sentences(f"Wait{dots} Then it ended.") == [f"Wait{dots}", "Then it ended."]
    assert split_sentences(f"Wait{dots}") == [f"Wait{dots}"]


def test_real_appeal_sentences() -> None:
    doc = parse_document(REPO / "source" / "bonn-2025-appeal-german-foreign-minister.md")
    units, _ = segment_document(doc)
    texts = [u.text for u in units]
    assert "Dear Dr. Johann David Wadephul," in texts
    assert "Dr. Johann David Wadephul" in texts
    assert (
        "Denied the opportunity to rent a home, Ms. Ashurova was forced to flee to Georgia "
        "with her children." in texts
    )
    assert (
        "International human rights organizations have recognized Mr. Mammadli as a "
        "political prisoner." in texts
    )
    kinds = {u.text: u.kind for u in units}
    assert kinds["October 25, 2025, Bonn, Germany"] == "dateline"
    assert kinds["Coordination Center of Azerbaijani Political Refugees"] == "signature"
    assert kinds["APPEAL"] == "heading"
    assert units[0].kind == "title"


def test_list_item_with_two_sentences_keeps_its_block() -> None:
    doc = parse_document(REPO / "source" / "bonn-2025-appeal-committee-of-ministers.md")
    units, _ = segment_document(doc)
    first = [u for u in units if u.kind == "list-item"][:2]
    assert first[0].block == first[1].block
    assert first[1].text.startswith("However, we do not consider")


def test_many_identical_sentences_are_numbered_in_order_and_kept() -> None:
    """20,000 copies of a sentence (a minute of work for a quadratic counter) keep their ids."""
    base = unit_id("Free them all.")
    texts = ["Free them all."] * 20_000
    # an earlier sentence already holds the suffix -3: the copies skip it
    ids, _ = assign_ids(texts, [(f"{base}-3", "A sentence that is gone.")])
    assert ids[:4] == [base, f"{base}-2", f"{base}-4", f"{base}-5"]
    assert len(set(ids)) == len(ids) and ids[-1] == f"{base}-20001"
    texts.insert(10_000, "A new sentence in the middle.")
    previous = list(zip(ids, ["Free them all."] * 20_000, strict=True))
    again, changes = assign_ids(texts, previous)
    assert again[:10_000] + again[10_001:] == ids
    assert changes.added == [again[10_000]] and not changes.removed


def test_identical_sentences_get_distinct_ids() -> None:
    doc = parse_text("Dear Minister,\n\nText one.\n\nDear Minister,\n", Path("d.md"))
    units, _ = segment_document(doc)
    assert units[0].text == units[2].text
    assert units[0].id != units[2].id
    assert units[2].id == f"{units[0].id}-2"


def test_ids_are_content_hashes_and_stable() -> None:
    assert unit_id("Hello  world.") == unit_id("Hello world.")
    ids1, _ = assign_ids(["A first.", "A second."])
    ids2, changes = assign_ids(
        ["A first.", "A second."], list(zip(ids1, ["A first.", "A second."], strict=False))
    )
    assert ids1 == ids2
    assert not (changes.added or changes.changed or changes.removed)


def test_insertion_renumbers_nothing_and_edit_keeps_id() -> None:
    old = ["One is here.", "Two is here.", "Three is here."]
    ids, _ = assign_ids(old)
    previous = list(zip(ids, old, strict=False))
    new = ["One is here.", "A brand new sentence.", "Two is here today.", "Three is here."]
    new_ids, changes = assign_ids(new, previous)
    assert new_ids[0] == ids[0] and new_ids[3] == ids[2]
    assert new_ids[2] == ids[1]  # edited, same id
    assert changes.changed == [ids[1]]
    assert changes.added == [new_ids[1]]


def test_moved_sentence_keeps_id() -> None:
    old = ["Alpha sentence.", "Beta sentence.", "Gamma sentence."]
    ids, _ = assign_ids(old)
    new_ids, changes = assign_ids(
        ["Gamma sentence.", "Alpha sentence.", "Beta sentence."], list(zip(ids, old, strict=False))
    )
    assert sorted(new_ids) == sorted(ids)
    assert new_ids[0] == ids[2]
    assert not changes.added and not changes.removed


def test_front_matter_shown_on_the_page_becomes_units() -> None:
    """Recipient and place are read on the published page, so translators get them too."""
    doc = parse_document(REPO / "source" / "bonn-2025-appeal-european-commission.md")
    units, _ = segment_document(doc)
    head = [(u.kind, u.text, u.line, u.block) for u in units[:3]]
    assert head == [
        ("title", "Appeal to the President of the European Commission", 1, -1),
        ("recipient", "Ms. Ursula von der Leyen, President of the European Commission", 3, -1),
        ("place", "Bonn, Germany", 5, -1),
    ]
    assert all(u.kind not in ("recipient", "place") for u in units[3:])
    # the date is formatted per language by the export, never translated by hand
    assert "2025-10-25" not in {u.text for u in units}
    # ids stay put: segmenting again with the previous ids changes nothing
    again, changes = segment_document(doc, [(u.id, u.text) for u in units])
    assert [u.id for u in again] == [u.id for u in units] and not changes.added


def test_front_matter_kinds_cannot_be_named_in_the_body() -> None:
    with pytest.raises(SourceError, match="unknown block kind 'recipient'"):
        parse_text("<!-- recipient -->\nMs. X\n", Path("d.md"))
