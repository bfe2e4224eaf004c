"""Word diffs for memory matches and edited sources (``transflow.textdiff``)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from transflow.textdiff import DiffPart, changed, word_diff


def test_a_changed_word_is_one_deletion_and_one_insertion() -> None:
    parts = word_diff(
        "More than 40 journalists are currently detained.",
        "More than 40 journalists are currently imprisoned.",
    )
    assert [p for p in parts if p.op != "equal"] == [
        DiffPart("delete", "detained"),
        DiffPart("insert", "imprisoned"),
    ]


def test_words_not_characters() -> None:
    parts = word_diff("political refugees", "political exiles")
    assert DiffPart("delete", "refugees") in parts and DiffPart("insert", "exiles") in parts


def test_whitespace_only_is_no_change() -> None:
    assert not changed(word_diff("a b", "a b"))
    assert changed(word_diff("Aliyev’s regime", "Aliyev's regime"))


@given(st.text(max_size=60), st.text(max_size=60))
def test_both_texts_come_back_from_the_parts(old: str, new: str) -> None:
    parts = word_diff(old, new)
    assert "".join(p.text for p in parts if p.op != "insert") == old
    assert "".join(p.text for p in parts if p.op != "delete") == new
