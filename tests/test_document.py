"""Parsing source appeals into blocks: structure from Markdown and from pasted debris."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transflow.document import Block, parse_document, parse_text, render
from transflow.errors import SourceError
from transflow.segment import ABBREVIATIONS, block_units, join_sentences, segment_document

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seed" / "asimkom-bonn-conference-2025.txt"
COMMITTEE = REPO / "source" / "bonn-2025-appeal-committee-of-ministers.md"
GERMANY = REPO / "source" / "bonn-2025-appeal-german-foreign-minister.md"


def kinds(doc_blocks: tuple[Block, ...]) -> list[str]:
    return [b.kind for b in doc_blocks]


def test_front_matter_and_letter_head() -> None:
    doc = parse_document(GERMANY)
    assert doc.meta["title"] == "Appeal to the Federal Minister of Foreign Affairs of Germany"
    assert doc.meta["date"] == "2025-10-25"
    assert doc.meta["place"] == "Bonn, Germany"
    assert kinds(doc.blocks)[:6] == [
        "signature",
        "address",
        "address",
        "heading",
        "dateline",
        "salutation",
    ]
    assert doc.blocks[2].text == "Dr. Johann David Wadephul"
    assert doc.blocks[4].text == "October 25, 2025, Bonn, Germany"


def test_list_items_one_to_six_with_numbers() -> None:
    doc = parse_document(COMMITTEE)
    items = [b for b in doc.blocks if b.kind == "list-item"]
    assert [b.number for b in items] == [1, 2, 3, 4, 5, 6]
    assert items[0].text.startswith("Recognize Azerbaijan’s representation")
    assert items[5].text.startswith("Pressure the Aliyev regime")


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed text is not beside the repo")
def test_pasted_debris_is_structure_never_text() -> None:
    doc = parse_document(SEED)
    separators = [b for b in doc.blocks if b.kind == "separator"]
    assert [b.line for b in separators] == [36, 82]  # `\ ** *****` and `\ \ ***`
    items = [b for b in doc.blocks if b.kind == "list-item"]
    # `\ 1.`, `** 2.**`, `** 3.**`, `** 4**.`, `** 5.**`, `**6.**`
    assert [b.number for b in items] == [1, 2, 3, 4, 5, 6]
    for block in doc.blocks:
        assert "**" not in block.text and "\\" not in block.text
    units, _ = segment_document(doc)
    assert all("*" not in u.text and not u.text.startswith("\\") for u in units)


def test_salutations_and_datelines() -> None:
    doc = parse_text("Dear Minister,\n\nBonn, Germany – October 25, 2025\n\nText.\n", Path("x.md"))
    assert kinds(doc.blocks) == ["salutation", "dateline", "paragraph"]


def test_explicit_kind_comment_and_unknown_kind(tmp_path: Path) -> None:
    doc = parse_text("<!-- signature -->\nThe Board\n", Path("x.md"))
    assert doc.blocks[0].kind == "signature"
    with pytest.raises(SourceError, match=r"x\.md:2: unknown block kind 'footer'"):
        parse_text("Text.\n<!-- footer -->\nMore.\n", Path("x.md"))


def test_paragraph_line_breaks_and_escapes_are_normalised() -> None:
    doc = parse_text("A line\nbroken  here \\*not bold\\*.\n", Path("x.md"))
    assert doc.blocks[0].text == "A line broken here *not bold*."


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("---\ntitle: [unclosed\n---\nBody.\n", 2, "malformed front matter"),
        ("---\ntitle: A\nbody text\n", 1, "never closed"),
        ("---\ncolour: red\n---\nBody.\n", 2, "unknown front matter key 'colour'"),
        ("---\n- a list\n---\nBody.\n", 2, "must be a mapping"),
        # a date YAML reads as a date but the calendar does not have: was an internal error
        ("---\ntitle: A\ndate: 2025-02-30\n---\nBody.\n", 3, "day is out of range"),
        ("---\ntitle: A\ntitle: B\n---\nBody.\n", 3, "duplicate key"),
        # Hugo's TOML front matter became a paragraph to translate: "+++ title = "A" +++"
        ('+++\ntitle = "A"\n+++\nBody.\n', 1, "TOML front matter"),
        # went into every catalog; only an XLIFF export noticed, and sent the user to the catalog
        ("---\ntitle: A\n---\n\nHeld \x1b[2J here.\n", 5, "control character \\x1b"),
        ("Held\x00here.\n", 1, "control character \\x00"),
        ("One.\n\nHeld \x9b here.\n", 3, "control character \\x9b"),
        # a value YAML reads as something else was offered for translation as Python's text of it
        ("---\ntitle: A\nplace: 1e400\n---\nBody.\n", 3, "reads 1e400 as 'inf'"),
        ("---\ntitle: 1.10\n---\nBody.\n", 2, "reads 1.10 as '1.1'"),
        ("---\nrecipient: true\n---\nBody.\n", 2, "reads true as 'True'"),
        ("---\ntitle: !!binary aGk=\n---\nBody.\n", 2, "as \"b'hi'\""),
    ],
)
def test_malformed_front_matter_names_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = tmp_path / "bad.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as info:
        parse_document(path)
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_front_matter_numbers_and_dates_written_as_read_are_text(tmp_path: Path) -> None:
    meta = "title: 2025  # the year\nrecipient: 2025-10-25\nplace: Bonn\ndate: 2025-10-25 10:30:00"
    doc = parse_text(f"---\n{meta}\n---\n\nBody.\n", tmp_path / "a.md")
    assert doc.meta["title"] == "2025" and doc.meta["recipient"] == "2025-10-25"
    assert doc.meta["date"] == "2025-10-25 10:30:00"


def test_non_utf8_source_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.md"
    path.write_bytes(b"First line.\n\nZweite Zeile mit Umlaut: " + "ä".encode("latin-1"))
    with pytest.raises(SourceError, match=r"latin1\.md:3: not UTF-8"):
        parse_document(path)


def test_a_byte_order_mark_does_not_hide_the_front_matter(tmp_path: Path) -> None:
    # Notepad saves UTF-8 with a BOM: the front matter was read as a paragraph "--- title: A ..."
    path = tmp_path / "bom.md"
    path.write_bytes("\ufeff---\ntitle: A\nplace: Bonn\n---\n\nBody.\n".encode())
    doc = parse_document(path)
    assert doc.meta == {"title": "A", "place": "Bonn"}
    assert [(b.kind, b.text, b.line) for b in doc.blocks] == [("paragraph", "Body.", 6)]


# -- property: rebuilding a document from its units gives back its structure ---------

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüəğış", min_size=1, max_size=8)


@st.composite
def sentences(draw: st.DrawFn) -> str:
    # At least two words of two letters: a lone capital and a dot is an initial ("J. Smith").
    # Abbreviations ("inc.", "approx.") are deliberately not sentence ends: avoid them here.
    plain = WORD.filter(lambda w: len(w) > 1 and w not in ABBREVIATIONS)
    words = draw(st.lists(plain, min_size=2, max_size=8))
    words[0] = words[0].capitalize()
    return " ".join(words) + draw(st.sampled_from([".", "!", "?"]))


@st.composite
def documents(draw: st.DrawFn) -> list[tuple[str, list[str]]]:
    blocks: list[tuple[str, list[str]]] = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["heading", "paragraph", "list", "separator", "salutation"]))
        if kind == "heading":
            blocks.append(("heading", [draw(WORD).capitalize() + " " + draw(WORD)]))
        elif kind == "paragraph":
            blocks.append(("paragraph", draw(st.lists(sentences(), min_size=1, max_size=4))))
        elif kind == "list":
            for _ in range(draw(st.integers(1, 4))):
                blocks.append(("list-item", draw(st.lists(sentences(), min_size=1, max_size=2))))
        elif kind == "salutation":
            blocks.append(("salutation", [f"Dear {draw(WORD).capitalize()},"]))
        elif not blocks or blocks[-1][0] != "separator":
            blocks.append(("separator", []))
    return blocks


def to_markdown(blocks: list[tuple[str, list[str]]]) -> str:
    out: list[str] = []
    number = 0
    for index, (kind, texts) in enumerate(blocks):
        previous = blocks[index - 1][0] if index else None
        number = number + 1 if kind == "list-item" and previous == "list-item" else 1
        if kind == "list-item":
            if previous != "list-item":
                out.append("")
            out.append(f"{number}. {' '.join(texts)}")
            continue
        out.append("")
        if kind == "heading":
            out.append(f"## {texts[0]}")
        elif kind == "separator":
            out.append("***")
        else:
            out.append(" ".join(texts))
    return "\n".join(out).lstrip("\n") + "\n"


@settings(max_examples=150, deadline=None)
@given(documents())
def test_rebuilding_from_units_gives_back_the_structure(
    blocks: list[tuple[str, list[str]]],
) -> None:
    text = to_markdown(blocks)
    doc = parse_text(text, Path("generated.md"))
    units, _ = segment_document(doc)
    assert [b.kind for b in doc.blocks] == [k for k, _ in blocks]
    # every sentence is its own unit, in order
    expected_units = [t for k, texts in blocks if k != "separator" for t in texts]
    assert [u.text for u in units] == expected_units
    grouped = block_units(units)
    structure = [(b.kind, b.number, b.level) for b in doc.blocks]
    rebuilt = render(doc, lambda i, b: join_sentences([u.text for u in grouped.get(i, [])]))
    again = parse_text(rebuilt, Path("rebuilt.md"))
    assert [(b.kind, b.number, b.level) for b in again.blocks] == structure
    assert [u.text for u in segment_document(again)[0]] == expected_units
    # a "translation" (upper-cased units) keeps the same structure too
    upper = render(doc, lambda i, b: join_sentences([u.text.upper() for u in grouped.get(i, [])]))
    translated = parse_text(upper, Path("translated.md"))
    assert [(b.kind, b.number, b.level) for b in translated.blocks] == structure


# -- the front matter read without YAML is the front matter YAML reads ---------------

SPECIAL = "AbcəİüЖж019 .,;:()’'\"–—/-#&*!|>%@`[]{}?~\\\t"
VALUE = st.one_of(
    st.text(alphabet=SPECIAL, max_size=24),
    st.builds(str.__add__, st.sampled_from("AbəİЖ"), st.text(alphabet=SPECIAL, max_size=24)),
    st.sampled_from(["yes", "No", "ON", "null", "Null", "~", "true", "False", "y", "NaN"]),
    st.sampled_from(["2025-10-25", "2025-02-30", "2025-1-5", "12", "1e3", ".inf", "0x1F"]),
    st.sampled_from(["Bonn, Germany", "Azerbaijan's appeal", "A  b  ", "Mr. X (ASİMKOM)"]),
)


def _same_as_yaml(lines: list[str]) -> bool:
    """Whether the plain reading of ``lines`` is YAML's (True when it leaves them to YAML)."""
    from transflow.document import _plain_front_matter, _yaml

    plain = _plain_front_matter(lines)
    if plain is None:
        return True
    data = _yaml().load("\n".join(lines)) if lines else {}
    return plain == {str(k): str(v) for k, v in (data or {}).items()}


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["title", "date", "place", "Title"]), VALUE), max_size=3))
def test_plain_front_matter_is_what_yaml_reads(fields: list[tuple[str, str]]) -> None:
    assert _same_as_yaml([f"{key}: {value}" for key, value in fields])


@pytest.mark.parametrize("char", sorted(set(SPECIAL)))
def test_every_character_in_a_plain_value_means_to_yaml_what_it_means_here(char: str) -> None:
    for value in (f"A{char}", f"A{char}b", f"A {char} b", f"A{char} b", f"A {char}b"):
        assert _same_as_yaml([f"title: {value}"]), value


def test_the_appeals_front_matter_is_read_without_yaml() -> None:
    from transflow.document import _plain_front_matter

    for path in sorted((REPO / "source").glob("*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        end = lines.index("---", 1)
        assert _plain_front_matter(lines[1:end]) == parse_document(path).meta


LINE_TEXT = st.text(
    alphabet=st.sampled_from(list("*_-\\ ab.\t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2003\u2028\u3000`#")),
    max_size=30,
)


@settings(max_examples=3000, deadline=None)
@given(LINE_TEXT)
def test_whitespace_and_separators_read_as_the_regular_expressions_did(text: str) -> None:
    import re

    from transflow.document import _clean, _is_separator, _unescape

    assert _clean(text) == re.sub(r"\s+", " ", _unescape(text)).strip()
    line = text.replace("\n", "")  # a line of a file has no line break
    old = re.compile(r"^(?=(?:.*[*_-]){3})[\\\s*_-]+$")
    assert _is_separator(line) == (old.match(line) is not None)
