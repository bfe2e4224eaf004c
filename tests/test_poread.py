"""One PO syntax policy: the reader behind ``Catalog.load``, ``check`` and ``coverage``.

What ``msgfmt`` accepts is read (and written back unchanged); what it rejects
is a one-line error naming the file and line, whichever command reads it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transflow.catalog import Catalog
from transflow.errors import CatalogError
from transflow.poread import read_po

HEADER = """\
msgid ""
msgstr ""
"Project-Id-Version: t\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

"""


def write(tmp_path: Path, body: str, name: str = "t.po") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def msgfmt_accepts(path: Path) -> bool:
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", os.devnull, str(path)], capture_output=True
    )
    return result.returncode == 0


needs_msgfmt = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext missing")


# -- what msgfmt rejects: one line naming file and line, from every reader ---------------

INVALID = [
    # (body, line of the error, words in the message)
    ('msgid "a\\q"\nmsgstr "b"\n', 7, "invalid escape"),
    ('msgid "a"\nmsgstr "b \\u00e9"\n', 8, "invalid escape"),
    (
        '#. kind: paragraph\nmsgctxt "x"\nmsgid "a"\nmsgstr "fine"\n"and \\q"\n',
        11,
        "invalid escape",
    ),
    ('msgid "a"\nmsgstr[0] "b"\n', 8, "msgstr[0] without msgid_plural"),
    ('msgid "a"\nmsgid_plural "as"\nmsgstr "b"\n', 9, "msgid_plural"),
    ('msgid "a"\nmsgstr "b"\nmsgstr "c"\n', 9, "second msgstr"),
    ('msgctxt "x"\nmsgid "a"\nmsgstr "b"\n\nmsgctxt "x"\nmsgid "a"\nmsgstr "c"\n', 11, "line 7"),
]


@pytest.mark.parametrize(("body", "line", "words"), INVALID)
def test_invalid_po_is_one_error_naming_file_and_line(
    tmp_path: Path, body: str, line: int, words: str
) -> None:
    path = write(tmp_path, body)
    for read in (read_po, Catalog.load):
        with pytest.raises(CatalogError) as info:
            read(path)
        message = str(info.value)
        assert message.startswith(f"{path}:{line}: malformed PO file"), message
        assert words in message and "\n" not in message


@needs_msgfmt
@pytest.mark.parametrize(("body", "line", "words"), INVALID)
def test_what_we_reject_msgfmt_rejects_too(
    tmp_path: Path, body: str, line: int, words: str
) -> None:
    assert not msgfmt_accepts(write(tmp_path, body))


# -- what msgfmt accepts: read, and written back as it was --------------------------------

VALID = [
    # flags without spaces, comments without a space after the marker
    '#,fuzzy,machine\n#.kind: paragraph\n#:source/a.md:3\nmsgctxt "x"\nmsgid "a"\nmsgstr "b"\n',
    # every escape msgfmt knows
    'msgid "tab\\t nl\\n cr\\r bell\\a bs\\b ff\\f vt\\v \\\\ \\" \\101\\x42"\nmsgstr "x"\n',
    # plurals, previous strings, obsolete entries with previous strings
    '#, fuzzy\n#| msgctxt "old"\n#| msgid "one old"\n#| msgid_plural "many old"\n'
    'msgctxt "p"\nmsgid "one"\nmsgid_plural "many"\nmsgstr[0] "ein"\nmsgstr[1] "viele"\n\n'
    '#~| msgid "before"\n#~ msgctxt "o"\n#~ msgid "gone"\n#~ msgstr "weg"\n',
]


@needs_msgfmt
@pytest.mark.parametrize("body", VALID)
def test_what_msgfmt_accepts_every_reader_reads(tmp_path: Path, body: str) -> None:
    path = write(tmp_path, body)
    assert msgfmt_accepts(path)
    fast = [e for e in read_po(path) if not e.is_header]
    full = list(Catalog.load(path).po)
    assert len(fast) == len(full) > 0
    for mine, theirs in zip(fast, full, strict=True):
        assert (mine.msgctxt, mine.msgid, mine.flags, mine.obsolete) == (
            theirs.msgctxt,
            theirs.msgid,
            tuple(theirs.flags),
            bool(theirs.obsolete),
        )


def test_flags_without_spaces_mean_the_same_everywhere(tmp_path: Path) -> None:
    path = write(tmp_path, '#,fuzzy,machine\nmsgctxt "x"\nmsgid "a"\nmsgstr "b"\n')
    (entry,) = [e for e in read_po(path) if not e.is_header]
    assert entry.flags == ("fuzzy", "machine")
    assert Catalog.load(path).index()["x"].flags == ["fuzzy", "machine"]


def test_escapes_are_decoded_not_doubled(tmp_path: Path) -> None:
    path = write(tmp_path, 'msgctxt "x"\nmsgid "say \\"hi\\"\\n\\ttab \\\\q \\101"\nmsgstr ""\n')
    entry = Catalog.load(path).index()["x"]
    assert entry.msgid == 'say "hi"\n\ttab \\q A'
    (fast,) = [e for e in read_po(path) if not e.is_header]
    assert fast.msgid == entry.msgid


def test_catalog_round_trip_keeps_every_byte_polib_writes(tmp_path: Path) -> None:
    po = polib.POFile(wrapwidth=78)
    po.header = "A header comment\n\nwith an empty line"
    po.metadata = {"Project-Id-Version": "t", "Content-Type": "text/plain; charset=UTF-8"}
    long = 'Line one\nline two with "quotes", a \\ backslash and\ta tab. ' * 3
    po.append(
        polib.POEntry(
            msgctxt='ctx "q"',
            msgid=long,
            msgstr="Zeile «eins»\n",
            flags=["fuzzy", "machine"],
            tcomment="qa-ignore: numbers — ok\nsecond line",
            comment="kind: paragraph\nterms: x",
            occurrences=[("source/a-long-file-name.md", "3"), ("source/b.md", "")],
            previous_msgctxt="older",
            previous_msgid="old " * 30,
        )
    )
    po.append(
        polib.POEntry(
            msgctxt="p",
            msgid="one",
            msgid_plural="many",
            msgstr_plural={0: "ein", 1: "viele"},
            previous_msgid_plural="many old",
        )
    )
    po.append(polib.POEntry(msgid="no context", msgstr="", comment="kind: list-item"))
    po.append(
        polib.POEntry(
            msgctxt="o", msgid="gone " * 25, msgstr="weg " * 25, tcomment="kept", obsolete=True
        )
    )
    path = tmp_path / "t.po"
    po.save(str(path))
    catalog = Catalog.load(path)
    assert catalog.render() == path.read_bytes()
    assert catalog.po.header == po.header and catalog.po.metadata == po.metadata
    plural = catalog.index()["p"]
    assert plural.msgstr_plural == {0: "ein", 1: "viele"}
    assert plural.previous_msgid_plural == "many old"
    assert catalog.index()['ctx "q"'].occurrences == [
        ("source/a-long-file-name.md", "3"),
        ("source/b.md", ""),
    ]


def test_loading_never_searches_the_catalog_for_duplicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """polib checks each entry against all before it (quadratic); the reader keeps a set."""
    body = "".join(f'msgctxt "u{i}"\nmsgid "Sentence {i}."\nmsgstr ""\n\n' for i in range(300))
    path = write(tmp_path, body)

    def quadratic(*args: object, **kwargs: object) -> None:
        raise AssertionError("Catalog.load searched the entries one by one")

    monkeypatch.setattr(polib.POFile, "find", quadratic)
    monkeypatch.setattr(polib.POFile, "__contains__", quadratic)
    assert len(Catalog.load(path).units) == 300


# -- the fast path reads what the line parser reads ---------------------------------------

# (A bare "#:" line is left out: the fast path keeps it as an empty reference, the line
# parser drops it; ``Catalog.load`` reads both as no reference.)
_COMMENT_LINES = st.sampled_from(
    [
        "#",
        "# ",
        "#  two spaces",
        "# approved: A B 2026-01-01T00:00Z 0123456789ab",
        "#.",
        "#. ",
        "#. kind: paragraph",
        "#.terms: a, b",
        "#: source/x.md:3",
        "#:  a.md:1 b.md:2",
        "#, fuzzy",
        "#,fuzzy,machine",
        "#, ",
        "#,",
        "# qa-ignore: numbers — why",
    ]
)
_PIECES = st.sampled_from(["", "a", "Wort", "ä ü", "\\n", "\\t", "\\\\", '\\"', "\\101", " "])
_STRING = st.lists(st.lists(_PIECES, max_size=3).map("".join), min_size=1, max_size=3).map(
    lambda parts: "\n".join(f'"{part}"' for part in parts)
)


@st.composite
def _entries(draw: st.DrawFn) -> str:
    blocks = []
    for number in range(draw(st.integers(1, 4))):
        lines = draw(st.lists(_COMMENT_LINES, max_size=5))
        if draw(st.booleans()):
            lines.append(f'msgctxt "{number:04x}"')
        lines.append(f"msgid {draw(_STRING)}{number}".replace(f'"{number}', f'{number}"'))
        lines.append(f"msgstr {draw(_STRING)}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


@settings(max_examples=300, deadline=None)
@given(_entries())
def test_fast_path_reads_what_the_line_parser_reads(text: str) -> None:
    """Entries of the common shape skip the line parser; they must come out the same (or be
    refused with the same error)."""
    from transflow import poread

    path = Path("t.po")
    slow: list[poread.PoEntry] = []
    try:
        poread._parse_lines(text, path, 1, {}, slow)
    except CatalogError as exc:
        with pytest.raises(CatalogError) as fast_error:
            poread.read_po_text(text, path)
        assert str(fast_error.value) == str(exc)
        return
    assert poread.read_po_text(text, path) == slow


@settings(max_examples=100, deadline=None)
@given(_entries())
def test_fast_path_keyword_line_is_the_entrys_msgctxt_or_msgid(text: str) -> None:
    """Whatever the comment layout, ``keyword_line`` sends an editor to the entry's first
    keyword (``keyword_line`` is left out of the entries' equality)."""
    from transflow import poread

    try:
        entries = poread.read_po_text(text, Path("t.po"))
    except CatalogError:
        return
    lines = text.split("\n")
    for entry in entries:
        assert entry.keyword_line, entry  # every generated entry has the common shape
        assert lines[entry.keyword_line - 1].startswith("msgctxt" if entry.msgctxt else "msgid")
        above = lines[entry.line - 1 : entry.keyword_line - 1]
        assert all(line.startswith("#") for line in above)


def test_escapes_and_stray_line_breaks_between_plain_entries(tmp_path: Path) -> None:
    """The fast path scans strings loosely and hands an entry with a backslash (in a string
    or a comment) or a line break inside a string to the strict pattern or the line parser."""
    plain = 'msgctxt "p{}"\nmsgid "plain"\nmsgstr "schlicht"\n\n'
    body = (
        plain.format(1)
        + '#. C:\\path\nmsgctxt "e"\nmsgid ""\n"say \\"hi\\""\nmsgstr "\\x41\\101"\n\n'
        + plain.format(2)
    )
    entries = read_po(write(tmp_path, body))[1:]
    assert [(e.msgctxt, e.msgid, e.msgstr, e.comment) for e in entries] == [
        ("p1", "plain", "schlicht", ""),
        ("e", 'say "hi"', "AA", "C:\\path"),
        ("p2", "plain", "schlicht", ""),
    ]
    assert [(e.line, e.keyword_line) for e in entries] == [(7, 7), (11, 12), (17, 17)]
    broken = write(tmp_path, plain.format(1) + 'msgctxt "b"\nmsgid "a\nb"\nmsgstr "c"\n', "b.po")
    with pytest.raises(CatalogError) as info:
        read_po(broken)
    assert str(info.value).startswith(f"{broken}:12: malformed PO file: unterminated")


def test_comment_layouts_read_alike(tmp_path: Path) -> None:
    """polib's usual layout (one line of each kind, in its order) is split by the entry
    pattern, any other by a loop over the lines; both give the same fields."""
    usual = '# t\n#. x\n#:  a.md:1 \n#, fuzzy, machine\nmsgctxt "u"\nmsgid "a"\nmsgstr ""\n\n'
    other = '#, fuzzy, machine\n#:  a.md:1 \n#. x\n# t\nmsgctxt "o"\nmsgid "a"\nmsgstr ""\n\n'
    entries = read_po(write(tmp_path, usual + other))[1:]
    fields = {(e.flags, e.tcomment, e.comment, e.references) for e in entries}
    assert fields == {(("fuzzy", "machine"), "t", "x", "a.md:1")}
    assert [(e.line, e.keyword_line) for e in entries] == [(7, 11), (15, 19)]


@pytest.mark.parametrize(
    ("lines", "value"),
    [
        (['"\\x41"', '"Ab"'], "AAb"),  # hex greedy across the join would read \x41Ab
        (['"\\x7"', '"1"'], "\a1"),  # not "q" (\x71)
        (['"\\10"', '"1 und mehr"'], "\b1 und mehr"),  # octal stops at the line's end
    ],
)
def test_escapes_end_with_their_line_as_msgfmt_reads_them(
    tmp_path: Path, lines: list[str], value: str
) -> None:
    """Each quoted line's escapes are read on their own, then the lines are joined."""
    for layout in ("plain", "commented"):  # the fast path and the line parser
        head = '#| msgid "old"\n' if layout == "commented" else ""
        text = f'{head}msgctxt "x"\nmsgid ""\n' + "\n".join(lines) + '\nmsgstr "t"\n'
        path = write(tmp_path, text)
        (entry,) = [e for e in read_po(path) if not e.is_header and not e.obsolete]
        assert entry.msgid == value
    if shutil.which("msgfmt"):
        po = tmp_path / "m.po"
        po.write_text(
            'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            f'msgid ""\n{chr(10).join(lines)}\nmsgstr "t"\n',
            encoding="utf-8",
        )
        done = subprocess.run(
            ["msgfmt", "--check", "-o", str(tmp_path / "m.mo"), str(po)], capture_output=True
        )
        assert done.returncode == 0, done.stderr
