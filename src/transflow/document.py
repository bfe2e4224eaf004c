"""Source documents: a Markdown appeal parsed into blocks and a skeleton.

A source document is ``source/<doc>.md``: optional YAML front matter (title,
recipient, date, place) and a body of blocks separated by blank lines. Block
kinds come from Markdown structure (``#`` headings, ``1.`` list items, thematic
breaks) and from the shape of letters (``Dear …,`` salutations, date lines);
an HTML comment such as ``<!-- signature -->`` before a block names its kind
explicitly, invisibly to any Markdown renderer.

The appeals were pasted from a web page, so the parser also understands the
Markdown debris that came with them: ``\\ ** *****`` and ``\\ \\ ***`` are
separators, ``** 2.**``, ``** 4**.`` and ``**6.**`` are list numbers. That
debris is structure, never text: it never reaches a translator, and
``render`` rebuilds clean structure for any locale.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from transflow.errors import SourceError
from transflow.unit import BlockKind, control_character

__all__ = ["Block", "Document", "parse_document", "parse_text", "render"]

FRONT_MATTER_KEYS = ("title", "recipient", "date", "place")
# Front-matter fields a reader sees on a published page, each a translation unit
# (the date is not: the export formats it for each language with Babel).
TRANSLATED_KEYS = ("title", "recipient", "place")

# `<!-- kind -->` naming the kind of the next block.
_KIND_COMMENT = re.compile(r"^\s*<!--\s*([a-z-]+)\s*-->\s*$")
# Thematic breaks, including pasted debris such as `\ ** *****` and `\ \ ***`: only
# these characters, three of them at least `*`, `_` or `-` (``_is_separator``).
_SEPARATOR_CHARS = re.compile(r"[\\\s*_-]+")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
# Numbered list items, clean (`2. Text`) or pasted (`\ 1. Text`, `** 2.** Text`,
# `** 4**. Text`, `**6.** Text`).
_NUMBERED = re.compile(
    r"^(?:\\\s*)*(?:\*\*\s*)?(\d{1,3})\s*(?:\.\s*\*\*|\*\*\s*\.|\.|\))\s+(\S.*)$"
)
_BULLET = re.compile(r"^[-*+]\s+(\S.*)$")
_SALUTATION = re.compile(r"^(?:Dear|To whom it may concern)\b.{0,80},$")
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan\\.|Feb\\.|Mar\\.|Apr\\.|Jun\\.|Jul\\.|Aug\\.|Sep\\.|Sept\\.|Oct\\.|Nov\\.|Dec\\."
)
_DATE = re.compile(
    rf"\b(?:(?:{_MONTHS})\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}})"
)
_ALL_CAPS_TITLE = re.compile(r"^[A-ZƏİÖÜÇŞĞ][A-ZƏİÖÜÇŞĞ \-–]{2,40}$")
_INFERRED_KINDS = (BlockKind.ADDRESS, BlockKind.SIGNATURE, BlockKind.SALUTATION, BlockKind.DATELINE)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")


@dataclass(frozen=True)
class Block:
    """One structural piece of a document: a heading, a paragraph, a list item, ...

    ``text`` is the block's text with Markdown debris and escapes removed and
    whitespace normalised; separators have no text. ``line`` is the 1-based
    line where the block starts in the source file.
    """

    kind: str
    text: str
    line: int
    level: int = 0  # heading level
    number: int | None = None  # list item number; None for bullets and non-list blocks


@dataclass(frozen=True)
class Document:
    """A parsed source document: its id, front matter and blocks (the skeleton)."""

    doc: str
    path: Path
    meta: dict[str, str] = field(default_factory=dict)
    blocks: tuple[Block, ...] = ()
    meta_lines: dict[str, int] = field(default_factory=dict)  # front-matter key → its line

    @property
    def title(self) -> str | None:
        return self.meta.get("title")

    def front_matter_units(self) -> list[tuple[str, str, int]]:
        """(kind, text, line) of the front-matter fields that are translated, in page order.

        The title keeps line 1 (the catalogs' references always said so); the
        other fields point at their own line.
        """
        out: list[tuple[str, str, int]] = []
        for key in TRANSLATED_KEYS:
            text = self.meta.get(key, "").strip()
            if text:
                out.append((key, text, 1 if key == "title" else self.meta_lines.get(key, 1)))
        return out


def _unescape(text: str) -> str:
    return _ESCAPE.sub(r"\1", text)


def _clean(text: str) -> str:
    """Normalise whitespace (line breaks, double spaces) inside a block's text.

    ``str.split`` splits at exactly the characters ``\\s`` matches (Unicode whitespace).
    """
    return " ".join((_unescape(text) if "\\" in text else text).split())


def _is_separator(line: str) -> bool:
    """A thematic break (``***``, ``- - -``) or pasted debris standing for one."""
    return _SEPARATOR_CHARS.fullmatch(line) is not None and sum(map(line.count, "*_-")) >= 3


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("no such file", path) from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}", path) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8", path, line
        ) from None


@lru_cache(maxsize=1)
def _yaml() -> YAML:
    """One safe loader for every front matter (libyaml's when installed: 4× the pure one)."""
    return YAML(typ="safe")


# A front-matter line read without the YAML parser (a quarter of parsing an appeal): a known
# key, and a value YAML reads as that very text — a date written YYYY-MM-DD, or one starting
# with a letter, of letters, digits, spaces and punctuation that means nothing to YAML
# there, and none of its words for true, false or null. Anything else goes to YAML.
_PLAIN_LINE = re.compile(
    rf"({'|'.join(FRONT_MATTER_KEYS)}): +(\d{{4}}-\d\d-\d\d|[^\W\d_][\w .,;()’'–—/-]*?) *"
)
_YAML_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n", "null"})


def _plain_front_matter(lines: list[str]) -> dict[str, str] | None:
    """The front matter as YAML reads it, if every line is plain; else None."""
    meta: dict[str, str] = {}
    for line in lines:
        match = _PLAIN_LINE.fullmatch(line)
        if match is None:
            return None
        key, value = match.groups()
        if key in meta or value.lower() in _YAML_WORDS:
            return None  # a duplicate key is YAML's error to report
        if value[0].isdigit():
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                return None  # YAML's error to report
        meta[key] = value
    return meta


def _front_matter(lines: list[str], path: Path) -> tuple[dict[str, str], int, dict[str, int]]:
    """Parse YAML front matter; return it, the index of the first body line, each key's line."""
    if lines and lines[0].strip() == "+++":  # Hugo's TOML front matter
        raise SourceError(
            "TOML front matter (+++) is not read: write it as YAML between --- lines", path, 1
        )
    if not lines or lines[0].strip() != "---":
        return {}, 0, {}
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            break
    else:
        raise SourceError("front matter opened with '---' is never closed", path, 1)
    meta = _plain_front_matter(lines[1:end]) if end > 1 else None
    if meta is None:
        meta = _yaml_front_matter(lines, end, path)
    return meta, end + 1, {key: _key_line(lines, end, key) for key in meta}


def _key_line(lines: list[str], end: int, key: str) -> int:
    """The line of ``key`` in the front matter (``lines[1:end]``); else its first line."""
    return next((i + 1 for i, ln in enumerate(lines[:end]) if ln.startswith(f"{key}:")), 2)


def _yaml_front_matter(lines: list[str], end: int, path: Path) -> dict[str, str]:
    """``lines[1:end]`` read by YAML (any layout it allows), or a one-line error."""
    text = "\n".join(lines[1:end])
    try:
        data: Any = _yaml().load(text) if text.strip() else {}
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # libyaml reports an error at the end of the text on the line after it: clamp.
        line = min(mark.line, text.count("\n")) + 2 if mark is not None else 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise SourceError(f"malformed front matter: {problem}", path, line) from None
    except YAMLError as exc:
        raise SourceError(f"malformed front matter: {exc}", path, 1) from None
    except ValueError as exc:  # a date the calendar does not have ("2025-02-30")
        line = next((i + 1 for i in range(1, end) if _bad_date(lines[i])), 2)
        raise SourceError(f"malformed front matter: {exc}", path, line) from None
    if not isinstance(data, dict):
        raise SourceError("front matter must be a mapping of key: value", path, 2)
    meta: dict[str, str] = {}
    for key, value in data.items():
        if key not in FRONT_MATTER_KEYS:
            raise SourceError(
                f"unknown front matter key {key!r} (expected {', '.join(FRONT_MATTER_KEYS)})",
                path,
                _key_line(lines, end, key),
            )
        if isinstance(value, (dict, list)) or value is None:
            raise SourceError(
                f"front matter {key!r} must be a single value", path, _key_line(lines, end, key)
            )
        text = str(value)
        if key in TRANSLATED_KEYS and not isinstance(value, str):
            line = _key_line(lines, end, key)
            written = lines[line - 1].partition(":")[2].split(" #")[0].strip()
            if written != text:  # 1.10 is the number 1.1, true is True: not the text written
                raise SourceError(
                    f"front matter {key!r}: YAML reads {written or 'the value'} as {text!r};"
                    " put the text in quotes",
                    path,
                    line,
                )
        meta[str(key)] = text
    return meta


_DATE_VALUE = re.compile(r":\s*[\"']?(\d{4})-(\d\d?)-(\d\d?)")


def _bad_date(line: str) -> bool:
    """Whether a front-matter line holds a YYYY-MM-DD date the calendar does not have."""
    match = _DATE_VALUE.search(line)
    if match is None:
        return False
    try:
        dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return True
    return False


def _classify(lines: list[str], kind_hint: str | None) -> list[tuple[str, str, int, int | None]]:
    """Blocks of one blank-line-separated chunk: (kind, text, level, number) per block.

    A chunk of list lines yields one block per item, anything else one block.
    """
    first = lines[0].strip()
    if _is_separator(first) and all(_is_separator(ln.strip()) for ln in lines):
        return [(BlockKind.SEPARATOR, "", 0, None)]
    heading = _HEADING.match(first)
    if heading and len(lines) == 1:
        return [(BlockKind.HEADING, _clean(heading.group(2)), len(heading.group(1)), None)]
    if _NUMBERED.match(first) or (_BULLET.match(first) and not _is_separator(first)):
        return _list_items(lines)
    text = _clean(" ".join(lines))
    if kind_hint:
        return [(kind_hint, text, 0, None)]
    if len(lines) == 1 and _ALL_CAPS_TITLE.match(text) and " " not in text.strip():
        return [(BlockKind.HEADING, text, 1, None)]
    if _SALUTATION.match(text):
        return [(BlockKind.SALUTATION, text, 0, None)]
    if len(text) <= 80 and _DATE.search(text) and not text.endswith("."):
        return [(BlockKind.DATELINE, text, 0, None)]
    return [(BlockKind.PARAGRAPH, text, 0, None)]


def _is_list_line(line: str) -> bool:
    stripped = line.strip()
    return bool(_NUMBERED.match(stripped) or _BULLET.match(stripped))


def _list_items(lines: list[str]) -> list[tuple[str, str, int, int | None]]:
    items: list[tuple[str, str, int, int | None]] = []
    for line in lines:
        stripped = line.strip()
        numbered = _NUMBERED.match(stripped)
        bullet = _BULLET.match(stripped)
        if numbered:
            items.append(
                (BlockKind.LIST_ITEM, _clean(numbered.group(2)), 0, int(numbered.group(1)))
            )
        elif bullet:
            items.append((BlockKind.LIST_ITEM, _clean(bullet.group(1)), 0, None))
        elif items:  # a continuation line of the previous item
            kind, text, level, number = items[-1]
            items[-1] = (kind, _clean(f"{text} {stripped}"), level, number)
    return items


def parse_text(text: str, path: Path, doc: str | None = None) -> Document:
    """Parse a document's text; ``path`` is used for messages and the doc id."""
    text = text.removeprefix("\ufeff")  # a byte order mark (Notepad) is no text
    control = control_character(text)
    if control:
        raise SourceError(
            f"control character \\x{ord(control.group()):02x} in the text (a terminal escape or "
            "binary debris); remove it",
            path,
            text.count("\n", 0, control.start()) + 1,
        )
    lines = text.splitlines()
    meta, body_start, meta_lines = _front_matter(lines, path)
    blocks: list[Block] = []
    kind_hint: str | None = None
    chunk: list[tuple[int, str]] = []

    def flush() -> None:
        nonlocal kind_hint, chunk
        if not chunk:
            return
        parts = _classify([ln for _, ln in chunk], kind_hint)
        list_lines = [
            n for n, ln in chunk if _NUMBERED.match(ln.strip()) or _BULLET.match(ln.strip())
        ]
        for index, (kind, body, level, number) in enumerate(parts):
            line = (
                list_lines[index]
                if kind == BlockKind.LIST_ITEM and index < len(list_lines)
                else chunk[0][0]
            )
            if kind != BlockKind.SEPARATOR and not body:
                continue
            blocks.append(Block(kind, body, line, level, number))
        kind_hint = None
        chunk = []

    for index in range(body_start, len(lines)):
        raw = lines[index]
        number = index + 1
        hint = _KIND_COMMENT.match(raw)
        if hint:
            flush()
            name = hint.group(1)
            if name not in BlockKind.ALL or name in BlockKind.NOT_IN_BODY:
                raise SourceError(
                    f"unknown block kind {name!r} in comment (use one of: "
                    f"{', '.join(k for k in BlockKind.ALL if k not in BlockKind.NOT_IN_BODY)})",
                    path,
                    number,
                )
            kind_hint = name
            continue
        if not raw.strip():
            flush()
            continue
        # A heading or a separator line ends the chunk before it and stands alone.
        stripped = raw.strip()
        if _HEADING.match(stripped) or (_is_separator(stripped) and not _BULLET.match(stripped)):
            flush()
            chunk = [(number, raw)]
            flush()
            continue
        # A list item interrupts a paragraph (as in CommonMark).
        starts_list = _NUMBERED.match(stripped) or _BULLET.match(stripped)
        if starts_list and chunk and not _is_list_line(chunk[0][1]):
            flush()
        chunk.append((number, raw))
    flush()
    return Document(
        doc=doc or path.stem, path=path, meta=meta, blocks=tuple(blocks), meta_lines=meta_lines
    )


def parse_document(path: Path, doc: str | None = None) -> Document:
    """Read and parse ``path``; errors name the file and line."""
    return parse_text(_read(path), path, doc)


def render(
    document: Document,
    block_text: Callable[[int, Block], str],
    *,
    meta: Mapping[str, str] | None = None,
) -> str:
    """Rebuild a document as clean Markdown, one block at a time.

    ``block_text(index, block)`` gives the text of each block in the wanted
    language (the export joins the block's translated units); structure — list
    numbering, heading levels, separators, front matter — comes from the
    skeleton, so no pasted debris survives.
    """
    out: list[str] = []
    front = dict(document.meta if meta is None else meta)
    if front:
        out.append("---")
        for key in FRONT_MATTER_KEYS:
            if key in front:
                value = front[key].replace('"', '\\"')
                out.append(f'{key}: "{value}"')
        out.append("---")
        out.append("")
    previous: Block | None = None
    for index, block in enumerate(document.blocks):
        text = block_text(index, block)
        continues_list = (
            previous is not None
            and previous.kind == BlockKind.LIST_ITEM
            and block.kind == BlockKind.LIST_ITEM
        )
        if out and out[-1] != "" and not continues_list:
            out.append("")
        if block.kind == BlockKind.SEPARATOR:
            out.append("***")
        elif block.kind == BlockKind.HEADING:
            out.append(f"{'#' * max(block.level, 1)} {text}")
        elif block.kind == BlockKind.LIST_ITEM:
            out.append(f"{block.number}. {text}" if block.number is not None else f"- {text}")
        else:
            if block.kind in _INFERRED_KINDS:
                # A translation no longer looks like an English salutation or
                # date line: name the kind so the rebuilt file parses the same.
                out.append(f"<!-- {block.kind} -->")
            out.append(text)
        previous = block
    return "\n".join(out).rstrip("\n") + "\n"
