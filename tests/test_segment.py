"""Sentence splitting on hard cases, and ids that stay put."""

from __future__ import annotations

from pathlib import Path

import pytest

from transflow.document import parse_document, parse_text
from transflow.errors import SourceError
from transflow.segment import assign_ids, segment_document, split_sentences, unit_id

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
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
    ],
)
def test_hard_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


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
