"""A finding as the checks cache it: a plain tuple, and everything made from one.

Findings are cached, sent between processes and streamed out by the hundred
thousand, so they are kept as tuples of plain values rather than ``Finding``
objects; this module owns their layout and turns them into what callers see
(``Finding``, ``--json`` objects and pre-rendered JSON texts). The review state
and word count of an entry live here too, as the catalog pass and the live
checker both read them.
"""

from __future__ import annotations

import bisect
import itertools
import json
import json.encoder
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from transflow.check_cache import Summary, summarize
from transflow.coverage import word_count
from transflow.finding import Finding, Severity
from transflow.unit import _PUNCTUATION, _PUNCTUATION_ONLY, State, review_state

if TYPE_CHECKING:
    from transflow.glossary.check import GlossaryHit
    from transflow.poread import PoEntry
    from transflow.qa.runner import UnitHit


def entry_state(entry: PoEntry) -> State:
    """The review state of an entry (as ``catalog.state_of`` reads a polib entry)."""
    return review_state(entry.msgid, entry.msgstr, entry.flags, entry.tcomment)


def count_words(text: str) -> int:
    """``word_count``, with its common case inlined: no markup and no dot inside the text.

    ``word_count`` replaces a dot between two non-digits ("x.y") by a space; a
    dot can only be such a dot if it has a character on either side, so a text
    with no "<" and no dot but at its ends is counted without that regex pass.
    A piece made only of punctuation is at the start of the text or after a
    space; when there is none, nothing is subtracted (the exact count's regex
    looks behind at every character).
    """
    if "<" in text or text.find(".", 1, len(text) - 1) != -1:
        return word_count(text)
    n = len(text.split())
    if text[:1] not in _PUNCTUATION_SET and _SPACE_PUNCTUATION.search(text) is None:
        return n
    return n - len(_PUNCTUATION_ONLY.findall(text))


_PUNCTUATION_SET = frozenset(_PUNCTUATION)
# A piece made only of punctuation after a space (the regex of ``_PUNCTUATION_ONLY`` less
# its look-behind at every character): most texts have none, "“AbzasMedia”" is no such piece.
_SPACE_PUNCTUATION = re.compile(rf"\s[{re.escape(_PUNCTUATION)}]+(?!\S)")


# A finding as it is cached and sent between processes: plain values only. Positions:
POS = 0  # the unit's position in its catalog (report order)
UNIT = 1
CHECK = 2
SEVERITY = 3  # int(Severity)
MESSAGE = 4
TERM = 5
EXPECTED = 6
SPAN = 7
SUPPRESSED = 8
DOC = 9
EXCERPT = 10  # the text around ``span``, so the human output highlights it without
OFFSET = 11  # reading the catalog again, and where that excerpt starts in the text
LINE = 12  # the line of the entry's msgctxt (or msgid) in its PO file
SOURCE_PATH = 13  # the entry's first ``#:`` reference: source file and line
SOURCE_LINE = 14
# The locale and the PO file are known from the cell the finding is kept in. Typed
# ``tuple[Any, ...]`` below.
_CONTEXT = 40
_SEVERITIES: tuple[Severity, ...] = tuple(sorted(Severity))
_LABELS: tuple[str, ...] = tuple(s.label for s in _SEVERITIES)
STATES: tuple[State, ...] = tuple(sorted(State))
# A unit as the project-scope checks first need it: the hashes of its consistency key
# (``transflow.qa.consistency.consistency_key``), or None; the units are read again only
# if they can take part in a finding. (A forked child inherits the parent's str hashes.)
UnitRow = tuple[int, int] | None
# Where an entry is: (line of its msgctxt, source path, source line) — see ``Lines``.
Where = tuple[int, str | None, int | None]


def _around(text: str, span: tuple[int, int] | None) -> tuple[str, int, tuple[int, int] | None]:
    """The excerpt kept with a finding, where it starts in ``text``, and the span as plain ints."""
    if span is None:
        return text[: 2 * _CONTEXT], 0, None
    offset = max(0, span[0] - _CONTEXT)
    return text[offset : span[1] + _CONTEXT], offset, (int(span[0]), int(span[1]))


def from_glossary_hit(
    pos: int,
    unit_id: str,
    doc: str,
    hit: GlossaryHit,
    severity: Severity,
    suppressed: str | None,
    text: str,
    where: Where,
) -> tuple[Any, ...]:
    """A glossary finding (``transflow.glossary.check.GlossaryHit``) as it is cached."""
    check, _, message, term, expected, span = hit
    return _cached(
        pos, unit_id, doc, check, severity, message, term, expected, span, suppressed, text, where
    )


def from_unit_hit(
    pos: int, unit_id: str, doc: str, hit: UnitHit, text: str, where: Where
) -> tuple[Any, ...]:
    """``from_glossary_hit`` of what a prose check found (``transflow.qa.check_units``),
    with no ``Finding``."""
    _, name, severity, found, reason = hit
    return _cached(
        pos,
        unit_id,
        doc,
        name,
        severity,
        found.message,
        None,
        found.expected,
        found.span,
        reason,
        text,
        where,
    )


def _cached(
    pos: int,
    unit_id: str,
    doc: str,
    check: str,
    severity: Severity,
    message: str,
    term: str | None,
    expected: Sequence[str],
    span: tuple[int, int] | None,
    suppressed: str | None,
    text: str,
    where: Where,
) -> tuple[Any, ...]:
    """The one place that lays out a cached finding (the positions above)."""
    excerpt, offset, plain_span = _around(text, span)
    return (
        pos,
        unit_id,
        check,
        int(severity),
        message,
        term,
        tuple(expected),
        plain_span,
        suppressed,
        doc,
        excerpt,
        offset,
        where[0],
        where[1],
        where[2],
    )


def summarize_findings(findings: Iterable[tuple[Any, ...]]) -> Summary:
    return summarize(findings, SEVERITY, SUPPRESSED)


def to_finding(raw: Sequence[Any], locale: str | None, path: str) -> Finding:
    """The ``Finding`` of a cached finding (as ``ProjectResult.raw`` yields them)."""
    span = raw[SPAN]
    return Finding(
        raw[UNIT],
        raw[DOC],
        locale,
        raw[CHECK],
        _SEVERITIES[raw[SEVERITY]],
        raw[MESSAGE],
        raw[TERM],
        tuple(raw[EXPECTED]),
        (span[0], span[1]) if span else None,
        raw[SUPPRESSED],
        path,
        raw[LINE],
        raw[SOURCE_PATH],
        raw[SOURCE_LINE],
    )


def finding_json(raw: Sequence[Any], locale: str | None, path: str) -> dict[str, Any]:
    """``Finding.to_json()`` of a cached finding, without building the ``Finding``."""
    span = raw[SPAN]
    return {
        "unit": raw[UNIT],
        "doc": raw[DOC],
        "locale": locale,
        "check": raw[CHECK],
        "severity": _LABELS[raw[SEVERITY]],
        "message": raw[MESSAGE],
        "term": raw[TERM],
        "expected": list(raw[EXPECTED]),
        "span": list(span) if span else None,
        "suppressed": raw[SUPPRESSED],
        "path": path,
        "line": raw[LINE],
        "source_path": raw[SOURCE_PATH],
        "source_line": raw[SOURCE_LINE],
    }


_json_str = json.encoder.encode_basestring  # json.dumps's encoder with ensure_ascii=False


def _json_opt(value: str | None) -> str:
    return "null" if value is None else _json_str(value)


def finding_json_text(raw: Sequence[Any], locale: str | None, path: str) -> str:
    """``finding_json`` as one item of a list that ``json.dumps(..., indent=2)`` lays out.

    Byte for byte what ``json.dumps(findings, ensure_ascii=False, indent=2)``
    writes for the item (without the separating comma), several times faster:
    ``check --json`` streams its findings out one at a time with this.
    """
    expected = raw[EXPECTED]
    if expected:
        items = ",\n      ".join([_json_str(x) for x in expected])
        expected_text = "[\n      " + items + "\n    ]"
    else:
        expected_text = "[]"
    span = raw[SPAN]
    span_text = f"[\n      {int(span[0])},\n      {int(span[1])}\n    ]" if span else "null"
    line = raw[LINE]
    source_line = raw[SOURCE_LINE]
    return "".join(
        (
            '  {\n    "unit": ',
            _json_str(raw[UNIT]),
            ',\n    "doc": ',
            _json_str(raw[DOC]),
            ',\n    "locale": ',
            _json_opt(locale),
            ',\n    "check": ',
            _json_str(raw[CHECK]),
            ',\n    "severity": "',
            _LABELS[raw[SEVERITY]],
            '",\n    "message": ',
            _json_str(raw[MESSAGE]),
            ',\n    "term": ',
            _json_opt(raw[TERM]),
            ',\n    "expected": ',
            expected_text,
            ',\n    "span": ',
            span_text,
            ',\n    "suppressed": ',
            _json_opt(raw[SUPPRESSED]),
            ',\n    "path": ',
            _json_str(path),
            ',\n    "line": ',
            "null" if line is None else str(int(line)),
            ',\n    "source_path": ',
            _json_opt(raw[SOURCE_PATH]),
            ',\n    "source_line": ',
            "null" if source_line is None else str(int(source_line)),
            "\n  }",
        )
    )


# How a catalog's ``--json`` texts are stored: positions, severities and lengths (in
# bytes) of the texts, and the texts in UTF-8 joined as a JSON list separates its items,
# so printing them is copying bytes (``json_chunks``).
_Texts = tuple[list[int], list[int], list[int], bytes]
# The same as the cache gives them back: the joined texts as a view into one read.
_StoredTexts = tuple[list[int], list[int], list[int], bytes | memoryview]


def utf8(text: str) -> bytes:
    # A file name that is not UTF-8 comes as surrogate escapes: its own bytes again.
    return text.encode("utf-8", "surrogateescape")


def joined_texts(findings: list[tuple[Any, ...]], locale: str | None, path: str) -> _Texts:
    texts = [utf8(finding_json_text(f, locale, path)) for f in findings]
    return (
        [f[POS] for f in findings],
        [f[SEVERITY] for f in findings],
        [len(text) for text in texts],
        b",\n".join(texts),
    )


def text_pieces(
    stored: _StoredTexts,
    floor: int,
    extra: list[tuple[Any, ...]],
    locale: str | None,
    path: str,
) -> Iterator[bytes | memoryview]:
    """The stored texts of at least severity ``floor``, with the project-scope findings
    ``extra`` (sorted by position) rendered and put in place, as ``_json_items`` orders
    them: each after its unit's own findings. Consecutive stored texts come as one piece.

    Only the breaks in the run of shown texts are visited (a hidden text, or where an
    extra finding goes), not every text: printing is the serial part of a parallel run.
    """
    positions, severities, lengths, joined = stored
    starts = [0, *itertools.accumulate(n + 2 for n in lengths)]  # ",\n" after each text
    # (index of a stored text, 0: an extra finding goes before it / 1: it is hidden, extra)
    breaks = [(bisect.bisect_right(positions, raw[POS]), 0, k) for k, raw in enumerate(extra)]
    breaks += [(i, 1, 0) for i, severity in enumerate(severities) if severity < floor]
    breaks.sort()
    run = 0  # the first stored text of the piece being gathered
    for i, hidden, k in breaks:
        if i > run:
            yield joined[starts[run] : starts[i] - 2]
        if hidden:
            run = i + 1
        else:
            yield utf8(finding_json_text(extra[k], locale, path))
            run = i
    if run < len(positions):
        yield joined[starts[run] :]


def split_texts(stored: _StoredTexts) -> list[tuple[int, int, str]]:
    """(position, severity, text) of each finding of ``joined_texts``."""
    positions, severities, lengths, joined = stored
    items = []
    start = 0
    for position, severity, length in zip(positions, severities, lengths, strict=True):
        text = str(joined[start : start + length], "utf-8", "surrogateescape")
        items.append((position, severity, text))
        start += length + 2  # the ",\n" between two texts
    return items


def excerpt(raw: Sequence[Any]) -> tuple[str, int]:
    """The text around a cached finding's span, and where that excerpt starts in the text."""
    return raw[EXCERPT], raw[OFFSET]


def severity_of(raw: Sequence[Any]) -> Severity:
    severity: Severity = _SEVERITIES[raw[SEVERITY]]
    return severity


def by_position(raw: tuple[Any, ...]) -> int:
    pos: int = raw[POS]
    return pos
