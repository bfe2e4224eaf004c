"""The one PO reader: strict, fast, and the syntax policy of every transflow command.

``Catalog.load`` (which edits catalogs, through polib objects), ``check`` and
``coverage`` all read PO files here, so a file means the same to each of them
and is refused by all of them alike. The policy is GNU gettext's: what
``msgfmt`` accepts is read — flags written ``#,fuzzy,machine``, comments with no
space after the marker, every escape it knows (``\\n \\t \\r \\a \\b \\f \\v \\\\ \\"``,
octal and hex); what ``msgfmt`` rejects is a one-line error naming the file and
line — an unknown escape such as ``\\q``, ``msgstr[0]`` without ``msgid_plural``
(or a plain ``msgstr`` with one), a second ``msgstr``, an unterminated string,
stray text, two live entries with the same context and source.

Speed matters: ``check`` and ``coverage`` read every catalog of a project on a
cold run. Each blank-line-separated entry of the common shape (comments,
optional ``msgctxt``, ``msgid``, ``msgstr``) is read with one regular
expression matched where it starts in the text -- first a loose one that scans
strings fast, then, for an entry with a backslash or a stray line break, the
strict one; any other block (plurals, obsolete ``#~`` entries, previous ``#|``
strings, hand-edited layouts, errors) by a line parser. Duplicates are found
with a set, so reading is linear in the size of the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from transflow.errors import CatalogError

__all__ = ["PoEntry", "read_po", "read_po_bytes", "read_po_text"]


@dataclass(slots=True)
class PoEntry:
    """One PO entry as read (plurals: ``msgstr`` is ``msgstr[0]``).

    ``references`` is the text of the entry's ``#:`` lines (one per line), kept
    unsplit because only ``Catalog.load`` needs it.
    """

    msgctxt: str | None
    msgid: str
    msgstr: str
    flags: tuple[str, ...]
    tcomment: str
    comment: str
    msgid_plural: str | None
    msgstr_plural: dict[int, str] | None
    previous_msgctxt: str | None
    previous_msgid: str | None
    obsolete: bool
    line: int  # 1-based line of the entry's first line
    references: str = ""
    previous_msgid_plural: str | None = None
    # The line of the entry's msgctxt (else msgid) when the fast path read it, else 0:
    # where a finding sends an editor, without reading the file's lines again.
    keyword_line: int = field(default=0, compare=False)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None


_SIMPLE_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    '"': '"',
    "\\": "\\",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
}
# One escape: the simple ones, octal (up to three digits), hex (greedy, as in C), or anything
# else after a backslash, which msgfmt rejects ("invalid control sequence").
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]+|[0-7]{1,3}|.?)", re.DOTALL)
_BAD_QUOTE = re.compile(r'(?<!\\)(?:\\\\)*"')


class _BadEscape(ValueError):
    """An escape msgfmt rejects; the line parser turns it into a CatalogError with a line."""


def _escape_value(match: re.Match[str]) -> str:
    code = match.group(1)
    simple = _SIMPLE_ESCAPES.get(code)
    if simple is not None:
        return simple
    if code[:1] in "01234567" and code:
        value = int(code, 8)
    elif code[:1] == "x" and len(code) > 1:
        value = int(code[1:], 16)
    else:
        raise _BadEscape(f"\\{code}")
    if value >= 0x80:
        # A byte of a multi-byte character: write the character itself instead.
        raise _BadEscape(f"\\{code} (a non-ASCII byte)")
    return chr(value)


def _unescape(value: str) -> str:
    if "\\" not in value:
        return value
    return _ESCAPE.sub(_escape_value, value)


class _Builder:
    """The entry being read: its fields as lists of string pieces (still escaped)."""

    __slots__ = (
        "comment",
        "ctxt",
        "flags",
        "id",
        "id_plural",
        "line",
        "obsolete",
        "prev_ctxt",
        "prev_id",
        "prev_id_plural",
        "refs",
        "strs",
        "tcomment",
    )

    def __init__(self, line: int) -> None:
        self.line = line
        self.ctxt: list[str] | None = None
        self.id: list[str] | None = None
        self.id_plural: list[str] | None = None
        self.strs: dict[int, list[str]] = {}
        self.flags: list[str] = []
        self.tcomment: list[str] = []
        self.comment: list[str] = []
        self.refs: list[str] = []
        self.prev_ctxt: list[str] | None = None
        self.prev_id: list[str] | None = None
        self.prev_id_plural: list[str] | None = None
        self.obsolete = False

    def build(self) -> PoEntry:
        strs = {k: _unescaped(v) for k, v in self.strs.items()}
        plural = self.id_plural is not None
        return PoEntry(
            msgctxt=_joined_pieces(self.ctxt),
            msgid=_unescaped(self.id or []),
            msgstr=strs.get(0, "") if plural else strs.get(-1, ""),
            flags=tuple(self.flags),
            tcomment="\n".join(self.tcomment),
            comment="\n".join(self.comment),
            msgid_plural=_joined_pieces(self.id_plural),
            msgstr_plural={k: v for k, v in strs.items() if k >= 0} if plural else None,
            previous_msgctxt=_joined_pieces(self.prev_ctxt),
            previous_msgid=_joined_pieces(self.prev_id),
            obsolete=self.obsolete,
            line=self.line,
            references="\n".join(self.refs),
            previous_msgid_plural=_joined_pieces(self.prev_id_plural),
        )


def _unescaped(pieces: list[str]) -> str:
    """The value of a string's quoted lines: each line's escapes read on its own (see
    ``_joined``), then joined."""
    return "".join([_unescape(piece) for piece in pieces])


def _joined_pieces(pieces: list[str] | None) -> str | None:
    return None if pieces is None else _unescaped(pieces)


def read_po(path: Path) -> list[PoEntry]:
    """Every entry of the PO file at ``path`` (header and obsolete ones included), in order."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError("no such catalog; run `transflow segment` first", path) from None
    except IsADirectoryError:
        raise CatalogError("is a directory, not a PO file", path) from None
    return read_po_bytes(data, path)


def read_po_bytes(data: bytes, path: Path) -> list[PoEntry]:
    """Decode (UTF-8) and parse a PO file's bytes; errors name ``path`` and the line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError("not UTF-8", path, data[: exc.start].count(b"\n") + 1) from None
    return read_po_text(text, path)


def _malformed(problem: str, path: Path, number: int) -> CatalogError:
    return CatalogError(f"malformed PO file: {problem}", path, number)


def _string(rest: str, path: Path, number: int) -> str:
    """The content of a quoted PO string (still escaped), or a CatalogError."""
    rest = rest.strip()
    if len(rest) < 2 or rest[0] != '"' or rest[-1] != '"':
        raise _malformed("unterminated or malformed string", path, number)
    inner = rest[1:-1]
    if '"' in inner and _BAD_QUOTE.search(inner):
        raise _malformed("unterminated or malformed string", path, number)
    if "\\" in inner:
        if inner.endswith("\\") and (len(inner) - len(inner.rstrip("\\"))) % 2:
            raise _malformed("unterminated or malformed string", path, number)
        try:
            _unescape(inner)
        except _BadEscape as exc:
            raise _malformed(
                f"invalid escape {exc} (msgfmt rejects it; a backslash is written \\\\)",
                path,
                number,
            ) from None
    return inner


# The comments of an entry (no obsolete or previous-string lines). The usual layout -- at
# most one translator ``# ``, one extracted ``#. ``, one ``#:`` and one ``#,`` line, in
# polib's order -- is split by the expression itself (groups 1-4: no loop over the lines
# in Python); any other comments come whole as group 5.
_COMMENTS = (
    r"(?:(?>(?:# ([^\n]*+)\n)?(?:#\. ([^\n]*+)\n)?(?:#:([^\n]*+)\n)?(?:#,([^\n]*+)\n)?)(?=m)"
    r"|((?:#[^~|\n][^\n]*+\n|#\n)*+))"
)
# The inside of a quoted string, and of a string continued on more lines (``a"\n"b``).
# Possessive (``*+``): nothing after a string can start what it gave up, so backtracking
# into it is wasted work.
_IN = r'[^"\\\n]*+(?:\\.[^"\\\n]*+)*+'
_MULTI_IN = rf'{_IN}(?:"\n"{_IN})*+'
# The same, loosely: any text between quotes, which ``re`` scans about twice as fast as a
# set of three excluded characters. What it lets through that ``_MULTI_IN`` refuses (a
# backslash, a line break) sends the entry to the strict pattern.
_LOOSE_MULTI_IN = r'[^"]*+(?:"\n"[^"]*+)*+'


def _entry_pattern(inside: str) -> re.Pattern[str]:
    """The common shape of an entry, as polib and msgmerge write it: comments, optional
    msgctxt, msgid, msgstr, then the blank line that ends it (or the end of the text)."""
    return re.compile(
        _COMMENTS + rf'(?:msgctxt "({inside})"\n)?msgid "({inside})"\nmsgstr "({inside})"'
        r"(?:\n\n|\n?\Z)"
    )


_ENTRY = _entry_pattern(_MULTI_IN)
_LOOSE_ENTRY = _entry_pattern(_LOOSE_MULTI_IN)


def _joined(inside: str) -> str:
    """The value of a (possibly multi-line) quoted string's inside: each line's escapes read
    on their own, as msgfmt reads them ("\\x4" then "1" is U+0004 and "1", not "A"), then
    the lines joined."""
    if "\n" in inside:
        return "".join([_unescape(piece) for piece in inside.split('"\n"')])
    return _unescape(inside)


def _duplicate(
    seen: dict[tuple[str | None, str], int], entry: PoEntry, path: Path, line: int
) -> None:
    """Record a live entry's (context, source); a second one is an error naming both lines."""
    key = (entry.msgctxt, entry.msgid)
    first = seen.setdefault(key, line)
    if first != line:
        raise _malformed(f"duplicate entry (same msgctxt and msgid as line {first})", path, line)


def _comments(
    block: str, flag_tuples: dict[str, tuple[str, ...]]
) -> tuple[tuple[str, ...], str, str, str]:
    """Flags, translator comment, extracted comment and references of a comment block of
    another layout than the usual one (each kind's lines joined by line breaks)."""
    flags: tuple[str, ...] = ()
    tcomment = comment = refs = None
    for c in block[:-1].split("\n"):
        kind = c[1:2]
        if kind == ":":
            c = c[2:].strip()
            refs = c if refs is None else f"{refs}\n{c}"
        elif kind == ".":
            c = c[3:] if c[2:3] == " " else c[2:]
            comment = c if comment is None else f"{comment}\n{c}"
        elif kind == ",":
            flags += _flags(c[2:], flag_tuples)
        else:
            c = c[2:] if kind == " " else c[1:]
            tcomment = c if tcomment is None else f"{tcomment}\n{c}"
    return flags, tcomment or "", comment or "", refs or ""


def _flags(text: str, flag_tuples: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The flags of a ``#,`` line's text; a file repeats a handful of lines, hence the cache."""
    flags = flag_tuples.get(text)
    if flags is None:
        flags = flag_tuples[text] = tuple(f.strip() for f in text.split(",") if f.strip())
    return flags


def read_po_text(text: str, path: Path) -> list[PoEntry]:
    """Parse PO ``text``; see ``read_po``.

    Entries are separated by blank lines; each one of the common shape is read with
    one regular expression, any other block by the line parser.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    entries: list[PoEntry] = []
    seen: dict[tuple[str | None, str], int] = {}
    flag_tuples: dict[str, tuple[str, ...]] = {}
    line = 1
    pos = 0
    size = len(text)
    # Matching at each entry's start in the whole text saves cutting it into blocks first.
    loose_at = _LOOSE_ENTRY.match
    find = text.find
    count = text.count
    append = entries.append
    first_line = seen.setdefault
    flags: tuple[str, ...]
    # The first backslash at or after ``pos`` (``size``: none): escapes are rare, so one
    # comparison per entry replaces a search of each entry for them.
    backslash = find("\\")
    if backslash < 0:
        backslash = size
    while pos < size:
        if backslash < pos:
            backslash = find("\\", pos)
            if backslash < 0:
                backslash = size
        match = loose_at(text, pos)
        if match is not None:
            end = match.end()
            tcomment, comment, refs, flags_text, other, ctxt, msgid, msgstr = match.groups()
            if "\n" in msgid:
                msgid = msgid.replace('"\n"', "")
            if "\n" in msgstr:
                msgstr = msgstr.replace('"\n"', "")
            if ctxt is not None and "\n" in ctxt:
                ctxt = ctxt.replace('"\n"', "")
            if (
                backslash < end
                or "\n" in msgid
                or "\n" in msgstr
                or (ctxt is not None and "\n" in ctxt)
            ):
                match = None  # an escape, or a line break in a string: the strict pattern decides
        if match is None:
            match = _ENTRY.match(text, pos)
            if match is None:
                # Any other block (up to the next blank line): the line parser.
                end = find("\n\n", pos)
                if end < 0:
                    end = size
                block = text[pos:end]
                if block.strip():
                    _parse_lines(block, path, line, seen, entries)
                line += count("\n", pos, end) + 2
                pos = end + 2
                continue
            end = match.end()
            tcomment, comment, refs, flags_text, other, ctxt, msgid, msgstr = match.groups()
            try:
                ctxt = None if ctxt is None else _joined(ctxt)
                msgid = _joined(msgid)
                msgstr = _joined(msgstr)
            except _BadEscape:
                block_end = find("\n\n", pos)
                _parse_lines(
                    text[pos : block_end if block_end >= 0 else size], path, line, seen, entries
                )
                raise AssertionError("the line parser accepted a bad escape") from None
        if other is None:
            keyword_line = line  # and one line for each kind of comment present
            if tcomment is None:
                tcomment = ""
            else:
                keyword_line += 1
            if comment is None:
                comment = ""
            else:
                keyword_line += 1
            if refs is None:
                refs = ""
            else:
                refs = refs.strip()
                keyword_line += 1
            if flags_text is None:
                flags = ()
            else:
                flags = _flags(flags_text, flag_tuples)
                keyword_line += 1
        else:
            flags, tcomment, comment, refs = _comments(other, flag_tuples)
            keyword_line = line + other.count("\n")
        entry = PoEntry(
            ctxt,
            msgid,
            msgstr,
            flags,
            tcomment,
            comment,
            None,
            None,
            None,
            None,
            False,
            line,
            refs,
            None,
            keyword_line,
        )
        # A second live entry with the same context and source: an error naming both lines.
        first = first_line((ctxt, msgid), line)
        if first != line:
            raise _malformed(
                f"duplicate entry (same msgctxt and msgid as line {first})", path, line
            )
        append(entry)
        line += count("\n", pos, end)
        pos = end
    return entries


def _parse_lines(
    text: str,
    path: Path,
    first_line: int,
    seen: dict[tuple[str | None, str], int],
    entries: list[PoEntry],
) -> None:
    """The strict line-by-line parser, for blocks the fast path does not take."""
    cur: _Builder | None = None
    # The field the next bare "..." line continues: (builder list) or None.
    target: list[str] | None = None
    has_str = False  # the current entry already has a msgstr: a new keyword starts a new entry

    def finish() -> None:
        nonlocal cur, target, has_str
        if cur is not None and (cur.id is not None or cur.ctxt is not None):
            if cur.id is None:
                raise _malformed("msgctxt without msgid", path, cur.line)
            if not cur.strs:
                raise _malformed("msgid without msgstr", path, cur.line)
            entry = cur.build()
            if not entry.obsolete:
                _duplicate(seen, entry, path, entry.line)
            entries.append(entry)
        # Comments with no entry after them (end of file) are dropped, as msgfmt does.
        cur = None
        target = None
        has_str = False

    def begin(obsolete: bool) -> _Builder:
        """The entry a msgctxt or msgid line belongs to: the current one, or a new one."""
        nonlocal cur
        if has_str or (cur is not None and cur.id is not None):
            finish()
        if cur is None:
            cur = _Builder(number)
        cur.obsolete = cur.obsolete or obsolete
        return cur

    number = first_line - 1
    for number, raw in enumerate(text.split("\n"), start=first_line):
        line = raw.rstrip("\r").lstrip(" \t")
        if not line:
            if cur is not None and cur.id is not None:
                finish()
            continue
        first = line[0]
        obsolete = False
        if first == "#" and line[1:2] == "~":
            obsolete = True
            line = line[2:].lstrip(" ")
            if line.startswith("|"):
                line = "#" + line  # previous strings of an obsolete entry
            if not line:
                continue
            first = line[0]
        if first == "#":
            second = line[1:2]
            if has_str or (cur is not None and cur.id is not None):
                finish()
            if cur is None:
                cur = _Builder(number)
            if second == ",":
                cur.flags.extend(f.strip() for f in line[2:].split(",") if f.strip())
            elif second == ".":
                cur.comment.append(line[3:] if line[2:3] == " " else line[2:])
            elif second == ":":
                if line[2:].strip():
                    cur.refs.append(line[2:].strip())
            elif second == "|":
                rest = line[2:].lstrip()
                if rest.startswith("msgctxt"):
                    cur.prev_ctxt = [_string(rest[7:], path, number)]
                    target = cur.prev_ctxt
                elif rest.startswith("msgid_plural"):
                    cur.prev_id_plural = [_string(rest[12:], path, number)]
                    target = cur.prev_id_plural
                elif rest.startswith("msgid"):
                    cur.prev_id = [_string(rest[5:], path, number)]
                    target = cur.prev_id
                elif rest.startswith('"'):
                    if target is None:
                        raise _malformed("stray string", path, number)
                    target.append(_string(rest, path, number))
                else:
                    raise _malformed(f"unexpected {rest[:30]!r}", path, number)
            else:
                cur.tcomment.append(line[2:] if second == " " else line[1:])
            continue
        stripped = line.strip()
        if first == '"':
            if target is None or cur is None:
                raise _malformed("stray string", path, number)
            target.append(_string(stripped, path, number))
            continue
        if stripped.startswith("msgctxt"):
            cur = begin(obsolete)
            cur.ctxt = [_string(stripped[7:], path, number)]
            target = cur.ctxt
        elif stripped.startswith("msgid_plural"):
            if cur is None or cur.id is None or has_str:
                raise _malformed("msgid_plural without msgid", path, number)
            cur.id_plural = [_string(stripped[12:], path, number)]
            target = cur.id_plural
        elif stripped.startswith("msgid"):
            cur = begin(obsolete)
            cur.id = [_string(stripped[5:], path, number)]
            target = cur.id
        elif stripped.startswith("msgstr"):
            if cur is None or cur.id is None:
                raise _malformed("msgstr without msgid", path, number)
            rest = stripped[6:]
            index = -1
            if rest.startswith("["):
                close = rest.find("]")
                if close < 0 or not rest[1:close].isdigit():
                    raise _malformed("bad msgstr index", path, number)
                index = int(rest[1:close])
                rest = rest[close + 1 :]
                if cur.id_plural is None:
                    raise _malformed(f"msgstr[{index}] without msgid_plural", path, number)
            elif cur.id_plural is not None:
                raise _malformed(
                    "msgid_plural needs msgstr[0], msgstr[1]…, not a plain msgstr", path, number
                )
            if index in cur.strs:
                raise _malformed("a second msgstr for the same entry", path, number)
            piece = [_string(rest, path, number)]
            cur.strs[index] = piece
            target = piece
            has_str = True
        else:
            raise _malformed(f"unexpected text {stripped[:30]!r}", path, number)
    finish()
