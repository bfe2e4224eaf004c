"""Running the glossary and prose checks over a whole project, fast enough to run on every save.

``transflow check`` and ``transflow coverage`` both need, for every catalog,
the units' states and source words and the QA findings. This module computes
them once and keeps them in a derived-data cache in ``project.cache_dir``
(``transflow.check_cache``):

* source-side glossary checks run once per source unit (from the ``.pot``
  template, else the first locale's catalog), with ``locale`` None;
* per catalog: states and words per unit, the target-side glossary checks and
  the unit-scope prose checks (``transflow.qa``), keyed on the sha256 of the
  catalog's bytes — never on its name, size or modification time;
* per locale: the project-scope prose checks (consistency across documents),
  keyed on the hashes of all of that locale's catalogs.

Everything is also keyed on the glossary's content, the ``[tool.transflow.qa]``
settings, the Python version and the source code of the checks, so a cached
result is never used when anything it was computed from changed. A warm run
therefore reads and hashes the catalogs, reads the cache's index, and imports
neither the checks nor the glossary.

Every finding names where to act on it: the PO file and the line of its
entry's ``msgctxt``, and the entry's ``#:`` reference into the source
document. Findings are never all held at once: each catalog's go to the cache
as soon as they are computed, and ``ProjectResult.raw`` reads them back one
catalog at a time, in report order, so memory does not grow with the number
of findings.

On a cold run the catalogs to compute are split in two halves by size and the
second half is computed in a forked child process (where ``os.fork`` exists and
there is more than one CPU), which writes its findings to a spill file and
sends the rest of its results back through a pipe; if the child fails for any
reason the parent computes that half itself, so errors (a malformed catalog)
are reported exactly as in a sequential run. Catalogs are read with the fast
reader in ``transflow.poread``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
import json
import json.encoder
import marshal
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from transflow.check_cache import (
    CACHE_FILE,
    EMPTY_SUMMARY,
    Cell,
    CheckCache,
    Summary,
    summarize,
    unnamed_file,
)
from transflow.config import Project
from transflow.coverage import StateCounts, word_count
from transflow.errors import CatalogError
from transflow.finding import Finding, Severity
from transflow.gcpause import paused_gc
from transflow.notes import note
from transflow.unit import _PUNCTUATION, _PUNCTUATION_ONLY, State, review_state

if TYPE_CHECKING:
    from transflow.glossary.check import GlossaryHit
    from transflow.poread import PoEntry
    from transflow.qa.runner import UnitHit

__all__ = [
    "CACHE_FILE",
    "GLOSSARY_CHECKS",
    "ProjectResult",
    "entry_state",
    "excerpt",
    "finding_json",
    "finding_json_text",
    "glossary_checks",
    "run_project",
    "to_finding",
]


def entry_state(entry: PoEntry) -> State:
    """The review state of an entry (as ``catalog.state_of`` reads a polib entry)."""
    return review_state(entry.msgid, entry.msgstr, entry.flags, entry.tcomment)


def _word_count(text: str) -> int:
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


def _note(comment: str, key: str) -> str:
    """A ``#.`` note's value, wrapped lines joined (``transflow.notes``), or ""."""
    return (note(comment, key) or "").strip()


# -- the glossary module (written in parallel; used through this thin layer) -----------


def _glossary_module() -> ModuleType | None:
    try:
        import transflow.glossary as module
    except ModuleNotFoundError as exc:
        if exc.name != "transflow.glossary":
            raise
        return None
    return module


# The checks ``transflow.glossary`` performs (it has no registry of its own).
GLOSSARY_CHECKS: tuple[tuple[str, Severity, str], ...] = (
    (
        "glossary-variant",
        Severity.WARNING,
        "The English source uses a spelling of a name that the glossary corrects.",
    ),
    (
        "glossary-missing",
        Severity.ERROR,
        "A glossary term of the source is missing from the target or not in an approved form.",
    ),
    (
        "glossary-untranslated",
        Severity.ERROR,
        "A term the glossary keeps untranslated (an outlet's name) was translated.",
    ),
    (
        "glossary-forbidden",
        Severity.ERROR,
        "The target uses a form of a name that the glossary forbids.",
    ),
)


def glossary_checks() -> list[tuple[str, Severity, str]]:
    """(name, default severity, description) of every glossary check, for ``--list``."""
    module = _glossary_module()
    if module is None:
        return []
    registry = getattr(module, "CHECKS", None) or getattr(module, "GLOSSARY_CHECKS", None)
    if registry is None:
        return list(GLOSSARY_CHECKS)
    out: list[tuple[str, Severity, str]] = []
    items: Iterable[Any] = registry.values() if isinstance(registry, dict) else registry or ()
    for item in items:
        if isinstance(item, tuple):
            name, severity, description = item[0], item[1], item[2]
        else:
            name = item.name
            severity = item.severity
            description = getattr(item, "description", "")
        if isinstance(severity, str):
            severity = Severity.parse(severity)
        out.append((str(name), Severity(severity), str(description)))
    return out


def _keep_untranslated(glossary: Any) -> dict[str, tuple[str, ...]]:
    """Glossary entry id → English forms kept verbatim in translations (outlets and the like)."""
    entries = getattr(glossary, "entries", None)
    if entries is None:
        return {}
    values = entries.values() if isinstance(entries, dict) else entries
    out: dict[str, tuple[str, ...]] = {}
    for entry in values:
        if getattr(entry, "keep_untranslated", False):
            forms = [getattr(entry, "en", None) or getattr(entry, "english", None)]
            forms.extend(getattr(v, "form", v) for v in getattr(entry, "variants", ()) or ())
            out[str(entry.id)] = tuple(str(f) for f in forms if isinstance(f, str) and f)
    return out


_MEMO_LIMIT = 20_000  # English texts whose glossary matches are remembered


class _MemoGlossary:
    """The glossary with its English-side matching memoised for one run.

    The source-side check (``match``) and the target-side check of every locale
    (``terms_in``) look up the same English sentences; each is matched once.
    """

    def __init__(self, glossary: Any) -> None:
        self._glossary = glossary
        self._matches: dict[str, Any] = {}
        self._terms: dict[str, tuple[str, ...]] = {}
        self._targets: dict[str, Any] = {}

    def match(self, text: str) -> Any:
        found = self._matches.get(text)
        if found is None:
            if len(self._matches) >= _MEMO_LIMIT:  # bounded: memory stays flat
                self._matches.clear()
            found = self._matches[text] = self._glossary.match(text)
        return found

    def terms_in(self, text: str) -> tuple[str, ...]:
        found = self._terms.get(text)
        if found is None:
            if len(self._terms) >= _MEMO_LIMIT:
                self._terms.clear()
            matches = self._matches.get(text)
            if matches is not None:  # the source-side check matched it already
                found = tuple(dict.fromkeys(m.entry_id for m in matches))
            else:  # no source-side check ran (coverage): the ids alone are cheaper
                found = tuple(self._glossary.terms_in(text))
            self._terms[text] = found
        return found

    def target_forms(self, entry_id: str, locale: str) -> tuple[str, ...]:
        forms: tuple[str, ...] = self._glossary.target_forms(entry_id, locale)
        return forms

    def target_matcher(self, locale: str) -> Any:
        matcher = self._targets.get(locale)
        if matcher is None:
            matcher = self._targets[locale] = self._glossary.target_matcher(locale)
        return matcher

    def __getitem__(self, entry_id: str) -> Any:
        return self._glossary[entry_id]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._glossary, name)


# -- results ------------------------------------------------------------------------------

# A finding as it is cached and sent between processes: plain values only. Positions:
_POS = 0  # the unit's position in its catalog (report order)
_UNIT = 1
_CHECK = 2
_SEVERITY = 3  # int(Severity)
_MESSAGE = 4
_TERM = 5
_EXPECTED = 6
_SPAN = 7
_SUPPRESSED = 8
_DOC = 9
_EXCERPT = 10  # the text around ``span``, so the human output highlights it without
_OFFSET = 11  # reading the catalog again, and where that excerpt starts in the text
_LINE = 12  # the line of the entry's msgctxt (or msgid) in its PO file
_SOURCE_PATH = 13  # the entry's first ``#:`` reference: source file and line
_SOURCE_LINE = 14
# The locale and the PO file are known from the cell the finding is kept in. Typed
# ``tuple[Any, ...]`` below.
_CONTEXT = 40
_SEVERITIES: tuple[Severity, ...] = tuple(sorted(Severity))
_LABELS: tuple[str, ...] = tuple(s.label for s in _SEVERITIES)
_STATES: tuple[State, ...] = tuple(sorted(State))
# A unit as the project-scope checks first need it: the hashes of its consistency key
# (``transflow.qa.consistency.consistency_key``), or None; the units are read again only
# if they can take part in a finding. (A forked child inherits the parent's str hashes.)
_UnitRow = tuple[int, int] | None
# Where an entry is: (line of its msgctxt, source path, source line) — see ``_Lines``.
_Where = tuple[int, str | None, int | None]


def _raw(
    pos: int,
    unit_id: str,
    doc: str,
    hit: GlossaryHit,
    severity: Severity,
    suppressed: str | None,
    text: str,
    where: _Where,
) -> tuple[Any, ...]:
    """A glossary finding (``transflow.glossary.check.GlossaryHit``) as it is cached."""
    check, _, message, term, expected, span = hit
    if span is None:
        excerpt, offset = text[: 2 * _CONTEXT], 0
    else:
        offset = max(0, span[0] - _CONTEXT)
        excerpt = text[offset : span[1] + _CONTEXT]
        span = (int(span[0]), int(span[1]))
    return (
        pos,
        unit_id,
        check,
        int(severity),
        message,
        term,
        tuple(expected),
        span,
        suppressed,
        doc,
        excerpt,
        offset,
        where[0],
        where[1],
        where[2],
    )


def _raw_hit(
    pos: int, unit_id: str, doc: str, hit: UnitHit, text: str, where: _Where
) -> tuple[Any, ...]:
    """``_raw`` of what a prose check found (``transflow.qa.check_units``), with no ``Finding``."""
    _, name, severity, found, reason = hit
    span = found.span
    if span is None:
        excerpt, offset = text[: 2 * _CONTEXT], 0
    else:
        offset = max(0, span[0] - _CONTEXT)
        excerpt = text[offset : span[1] + _CONTEXT]
        span = (int(span[0]), int(span[1]))
    return (
        pos,
        unit_id,
        name,
        int(severity),
        found.message,
        None,
        tuple(found.expected),
        span,
        reason,
        doc,
        excerpt,
        offset,
        where[0],
        where[1],
        where[2],
    )


def _summarize(findings: Iterable[tuple[Any, ...]]) -> Summary:
    return summarize(findings, _SEVERITY, _SUPPRESSED)


def to_finding(raw: Sequence[Any], locale: str | None, path: str) -> Finding:
    """The ``Finding`` of a cached finding (as ``ProjectResult.raw`` yields them)."""
    span = raw[_SPAN]
    return Finding(
        raw[_UNIT],
        raw[_DOC],
        locale,
        raw[_CHECK],
        _SEVERITIES[raw[_SEVERITY]],
        raw[_MESSAGE],
        raw[_TERM],
        tuple(raw[_EXPECTED]),
        (span[0], span[1]) if span else None,
        raw[_SUPPRESSED],
        path,
        raw[_LINE],
        raw[_SOURCE_PATH],
        raw[_SOURCE_LINE],
    )


def finding_json(raw: Sequence[Any], locale: str | None, path: str) -> dict[str, Any]:
    """``Finding.to_json()`` of a cached finding, without building the ``Finding``."""
    span = raw[_SPAN]
    return {
        "unit": raw[_UNIT],
        "doc": raw[_DOC],
        "locale": locale,
        "check": raw[_CHECK],
        "severity": _LABELS[raw[_SEVERITY]],
        "message": raw[_MESSAGE],
        "term": raw[_TERM],
        "expected": list(raw[_EXPECTED]),
        "span": list(span) if span else None,
        "suppressed": raw[_SUPPRESSED],
        "path": path,
        "line": raw[_LINE],
        "source_path": raw[_SOURCE_PATH],
        "source_line": raw[_SOURCE_LINE],
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
    expected = raw[_EXPECTED]
    if expected:
        items = ",\n      ".join([_json_str(x) for x in expected])
        expected_text = "[\n      " + items + "\n    ]"
    else:
        expected_text = "[]"
    span = raw[_SPAN]
    span_text = f"[\n      {int(span[0])},\n      {int(span[1])}\n    ]" if span else "null"
    line = raw[_LINE]
    source_line = raw[_SOURCE_LINE]
    return "".join(
        (
            '  {\n    "unit": ',
            _json_str(raw[_UNIT]),
            ',\n    "doc": ',
            _json_str(raw[_DOC]),
            ',\n    "locale": ',
            _json_opt(locale),
            ',\n    "check": ',
            _json_str(raw[_CHECK]),
            ',\n    "severity": "',
            _LABELS[raw[_SEVERITY]],
            '",\n    "message": ',
            _json_str(raw[_MESSAGE]),
            ',\n    "term": ',
            _json_opt(raw[_TERM]),
            ',\n    "expected": ',
            expected_text,
            ',\n    "span": ',
            span_text,
            ',\n    "suppressed": ',
            _json_opt(raw[_SUPPRESSED]),
            ',\n    "path": ',
            _json_str(path),
            ',\n    "line": ',
            "null" if line is None else str(int(line)),
            ',\n    "source_path": ',
            _json_opt(raw[_SOURCE_PATH]),
            ',\n    "source_line": ',
            "null" if source_line is None else str(int(source_line)),
            "\n  }",
        )
    )


# How a catalog's ``--json`` texts are stored: positions, severities and lengths (in
# bytes) of the texts, and the texts in UTF-8 joined as a JSON list separates its items,
# so printing them is copying bytes (``json_chunks``).
_Texts = tuple[list[int], list[int], list[int], bytes]


def _utf8(text: str) -> bytes:
    # A file name that is not UTF-8 comes as surrogate escapes: its own bytes again.
    return text.encode("utf-8", "surrogateescape")


def _joined_texts(findings: list[tuple[Any, ...]], locale: str | None, path: str) -> _Texts:
    texts = [_utf8(finding_json_text(f, locale, path)) for f in findings]
    return (
        [f[_POS] for f in findings],
        [f[_SEVERITY] for f in findings],
        [len(text) for text in texts],
        b",\n".join(texts),
    )


def _pieces(
    stored: _Texts, floor: int, extra: list[tuple[Any, ...]], locale: str | None, path: str
) -> Iterator[bytes]:
    """The stored texts of at least severity ``floor``, with the project-scope findings
    ``extra`` (sorted by position) rendered and put in place, as ``_json_items`` orders
    them: each after its unit's own findings. Consecutive stored texts come as one piece."""
    positions, severities, lengths, joined = stored
    starts = [0, *itertools.accumulate(n + 2 for n in lengths)]  # ",\n" after each text
    run = -1  # the first stored text of the piece being gathered
    k = 0
    for i, (position, severity) in enumerate(zip(positions, severities, strict=True)):
        if k < len(extra) and extra[k][_POS] < position:
            if run >= 0:
                yield joined[starts[run] : starts[i] - 2]
                run = -1
            while k < len(extra) and extra[k][_POS] < position:
                yield _utf8(finding_json_text(extra[k], locale, path))
                k += 1
        if severity >= floor:
            if run < 0:
                run = i
        elif run >= 0:
            yield joined[starts[run] : starts[i] - 2]
            run = -1
    if run >= 0:
        yield joined[starts[run] :]
    for raw in extra[k:]:
        yield _utf8(finding_json_text(raw, locale, path))


def _split_texts(stored: _Texts) -> list[tuple[int, int, str]]:
    """(position, severity, text) of each finding of ``_joined_texts``."""
    positions, severities, lengths, joined = stored
    items = []
    start = 0
    for position, severity, length in zip(positions, severities, lengths, strict=True):
        text = joined[start : start + length].decode("utf-8", "surrogateescape")
        items.append((position, severity, text))
        start += length + 2  # the ",\n" between two texts
    return items


def excerpt(raw: Sequence[Any]) -> tuple[str, int]:
    """The text around a cached finding's span, and where that excerpt starts in the text."""
    return raw[_EXCERPT], raw[_OFFSET]


def severity_of(raw: Sequence[Any]) -> Severity:
    severity: Severity = _SEVERITIES[raw[_SEVERITY]]
    return severity


def _counts(cell: Cell) -> StateCounts:
    zero = [0] * len(_STATES)
    return StateCounts(list(cell.units or zero), list(cell.words or zero))


# A group of the report: (document, locale or None for the source, the cell's name).
_Group = tuple[str, str | None, str]


class ProjectResult:
    """Findings and counts for the requested documents and locales.

    The findings are not held in memory: ``raw()`` reads them from the cache one
    catalog at a time, in report order (per document: the source's, then each
    locale's, in unit order), so a caller that streams them out needs memory for
    one catalog's findings only. ``counts``, ``errors()``, ``summary()`` and
    ``blocking_count()`` need no findings at all. ``findings`` builds the whole
    list of ``Finding`` objects, for callers that want them all at once.
    """

    def __init__(
        self,
        docs: list[str],
        locales: tuple[str, ...],
        source: bool,
        counts: dict[tuple[str, str], StateCounts],
        read: int,
        cache: CheckCache,
        cells: dict[str, Cell],
        groups: list[_Group],
        extra: dict[tuple[str, str | None], list[tuple[Any, ...]]],
    ) -> None:
        self.docs = docs
        self.locales = locales
        self.source = source  # whether the English source's findings are included
        self.counts = counts
        self.read = read  # catalogs parsed in this run (0 on a fully warm run)
        self._cache = cache
        self._cells = cells
        self._groups = groups
        self._extra = extra  # project-scope findings by (document, locale)

    def raw(self, min_severity: Severity = Severity.INFO) -> Iterator[tuple[Any, str | None, str]]:
        """(cached finding, locale, PO file) of every finding of at least ``min_severity``."""
        floor = int(min_severity)
        cells = self._cells
        for doc, locale, name in self._groups:
            cell = cells[name]
            found = self._cache.findings(cell.blob)
            extra = self._extra.get((doc, locale))
            if extra:
                found = found + extra
                found.sort(key=_by_position)  # stable: a unit's own findings first
            path = cell.path
            for raw in found:
                if raw[_SEVERITY] >= floor:
                    yield raw, locale, path

    def json_texts(self, min_severity: Severity = Severity.INFO) -> Iterator[str]:
        """``finding_json_text`` of every finding ``raw()`` yields, in the same order.

        The texts were rendered when the findings were computed; a document's
        project-scope findings (consistency) are rendered now and put in place.
        """
        floor = int(min_severity)
        for group in self._groups:
            for _, severity, text in self._json_items(*group):
                if severity >= floor:
                    yield text

    def json_chunks(self, min_severity: Severity = Severity.INFO) -> Iterator[bytes]:
        """``json_texts`` in UTF-8, several at a time: each chunk is one or more of them
        joined by ",\n", as a JSON list separates its items.

        A catalog's texts are stored joined (``_joined_texts``): the shown ones come
        out as slices of that string, so printing 100,000 findings copies a few
        thousand strings instead of making and joining 100,000.
        """
        floor = int(min_severity)
        cells = self._cells
        for doc, locale, name in self._groups:
            cell = cells[name]
            if cell.texts is None:
                for _, severity, text in self._json_items(doc, locale, name):
                    if severity >= floor:
                        yield _utf8(text)
                continue
            extra = self._extra.get((doc, locale)) or []
            shown = sorted((raw for raw in extra if raw[_SEVERITY] >= floor), key=_by_position)
            yield from _pieces(self._cache.load(cell.texts), floor, shown, locale, cell.path)

    def _json_items(self, doc: str, locale: str | None, name: str) -> list[tuple[int, int, str]]:
        """(position, severity, JSON text) of a group's findings, in report order."""
        cell = self._cells[name]
        extra = self._extra.get((doc, locale))
        items: list[tuple[int, int, str]]
        if cell.texts is not None:
            items = _split_texts(self._cache.load(cell.texts))
        else:  # no texts (a cell without findings): render whatever there is now
            items = [
                (raw[_POS], raw[_SEVERITY], finding_json_text(raw, locale, cell.path))
                for raw in self._cache.findings(cell.blob)
            ]
        if extra:
            path = cell.path
            items += [
                (raw[_POS], raw[_SEVERITY], finding_json_text(raw, locale, path)) for raw in extra
            ]
            items.sort(key=_by_position)  # stable: a unit's own findings first
        return items

    def iter_findings(self, min_severity: Severity = Severity.INFO) -> Iterator[Finding]:
        for raw, locale, path in self.raw(min_severity):
            yield to_finding(raw, locale, path)

    @property
    def findings(self) -> list[Finding]:
        return list(self.iter_findings())

    def summary(self) -> Summary:
        """(unsuppressed errors, warnings, infos, suppressed findings) of the whole result."""
        totals = [0, 0, 0, 0]
        for doc, locale, name in self._groups:
            for i, n in enumerate(self._group_summary(doc, locale, name)):
                totals[i] += n
        return (totals[0], totals[1], totals[2], totals[3])

    def _group_summary(self, doc: str, locale: str | None, name: str) -> Summary:
        summary = self._cells[name].summary
        extra = self._extra.get((doc, locale))
        if not extra:
            return summary
        more = _summarize(extra)
        return (
            summary[0] + more[0],
            summary[1] + more[1],
            summary[2] + more[2],
            summary[3] + more[3],
        )

    def errors(self, doc: str, locale: str | None) -> int:
        """Unsuppressed error findings in one document and locale."""
        for group_doc, group_locale, name in self._groups:
            if group_doc == doc and group_locale == locale:
                return self._group_summary(doc, locale, name)[0]
        return 0

    def blocking_count(self) -> int:
        """Unsuppressed error findings in total (what fails the gate)."""
        return self.summary()[0]

    def blocking(self) -> list[Finding]:
        return [f for f in self.iter_findings(Severity.ERROR) if not f.suppressed]

    def close(self) -> None:
        """Close the cache files (also done when the result is garbage-collected)."""
        self._cache.close()


def _by_position(raw: tuple[Any, ...]) -> int:
    pos: int = raw[_POS]
    return pos


def _code_digest() -> str:
    """A hash of the checks' source code, so an upgraded transflow never reuses old results."""
    import transflow

    digest = hashlib.sha256(transflow.__version__.encode())
    digest.update(sys.version.encode())  # the marshal format and str methods
    here = Path(__file__).parent
    files = sorted((here / "qa").glob("*.py")) + sorted((here / "glossary").glob("*.py"))
    names = ["glossary_match.py", "checking.py", "coverage.py", "poread.py"]
    names += ["notes.py", "approval.py", "check_cache.py"]
    files += [here / name for name in (*names, "finding.py", "unit.py")]
    for path in files:
        digest.update(path.name.encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"-")
    return digest.hexdigest()


class _Lines:
    """Where the entries of one PO file are, found only for entries with a finding.

    The fast reader gives each entry's first line (its first comment); an editor
    should land on the line that names the unit, its ``msgctxt`` (else its
    ``msgid``), and a finding on the English source points into the source
    document, from the entry's first ``#:`` reference.
    """

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._lines: list[bytes] | None = None
        self._known: dict[int, _Where] = {}
        self._paths: dict[bytes, str] = {}

    def of(self, entry: PoEntry) -> _Where:
        """``where`` of an entry, from what the fast reader saw of it when it can tell.

        That is its msgctxt's line and the first ``#:`` reference, when that
        reference is plain printable ASCII (read alike as text and as bytes);
        anything else is found in the file's lines.
        """
        keyword = entry.keyword_line
        if not keyword:
            return self.where(entry.line)
        refs = entry.references
        if not refs:
            return (keyword, None, None)
        first = refs.partition("\n")[0]
        if not (first.isascii() and first.isprintable()):
            return self.where(entry.line)
        fields = first.split()
        if not fields:
            return (keyword, None, None)
        token = fields[0]
        raw_path, colon, number = token.rpartition(":")
        if not colon or not number.isdigit() or not raw_path:
            return (keyword, token, None)
        return (keyword, raw_path, int(number))

    def where(self, first_line: int) -> _Where:
        known = self._known.get(first_line)
        if known is not None:
            return known
        lines = self._lines
        if lines is None:
            lines = self._lines = self._data.split(b"\n")
            lines.append(b"")  # the scan below always stops
        index = first_line - 1
        reference = None
        while True:  # comments up to the msgctxt/msgid line
            head = lines[index][:2]
            if head == b"#:":
                if reference is None:
                    reference = lines[index]
            elif head[:1] != b"#":
                break
            index += 1
        head = lines[index][:5]
        line = index + 1 if head == b"msgct" or head == b"msgid" else first_line
        path, number = self._reference(reference) if reference is not None else (None, None)
        found = self._known[first_line] = (line, path, number)
        return found

    def _reference(self, comment: bytes) -> tuple[str | None, int | None]:
        """The first ``path:line`` of a ``#:`` comment (gettext wraps names with spaces in ⁨…⁩)."""
        fields = comment[2:].split()
        if not fields:
            return None, None
        token = fields[0]
        if token.startswith("\u2068".encode()):
            value = comment[2:].decode("utf-8", "replace").strip()
            end = value.find("\u2069")
            tail = value[end + 1 :]
            name = value[1:end] + ("" if not tail or tail[0].isspace() else tail.split()[0])
            token = name.encode()
        raw_path, colon, number = token.rpartition(b":")
        if not colon or not number.isdigit() or not raw_path:
            raw_path, number = token, b""
        path = self._paths.get(raw_path)
        if path is None:
            path = self._paths[raw_path] = raw_path.decode("utf-8", "replace")
        return path, int(number) if number else None


# A cell to compute: (cache name, "source" or "catalog", doc, locale, path, bytes, sha256,
# run the checks, return the units for the project-scope checks, path shown in findings).
_Job = tuple[str, str, str, str | None, str, bytes, str, bool, bool, str]
# What computing a job gives: (cache name, the cell, units for the project-scope checks or
# None); from a forked child, the cell as plain values with its findings in the spill file.
_Result = tuple[str, Cell | None, list[_UnitRow] | None]

# Fork a second process only when there is enough work to pay for it.
_PARALLEL_MIN_BYTES = 1 << 20
# The child's share of the work, by bytes: a little under half, as a forked child runs a
# little slower (its first writes to inherited memory copy pages) and the parent merges
# only once both are done (measured on the bench's corpora: 0.52 left the parent waiting
# 0.1–0.35 s for its child, 0.47 the child waiting for the parent).
_CHILD_SHARE = 0.49


def _glossary_available() -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec("transflow.glossary") is not None
    except (ImportError, ValueError):
        return False


class _Runner:
    """One run: the project, its settings, and everything loaded lazily."""

    def __init__(self, project: Project, use_cache: bool, errors_only: bool = False) -> None:
        self.project = project
        self.errors_only = errors_only
        settings = project.tool("qa")
        glossary_bytes: bytes | None = None
        if _glossary_available():
            from transflow.project_glossary import read_project_glossary

            glossary_bytes = read_project_glossary(project)
        self.glossary_bytes = glossary_bytes
        key = hashlib.sha256()
        key.update(_code_digest().encode())
        key.update(json.dumps(settings, sort_keys=True, default=str).encode())
        key.update(hashlib.sha256(glossary_bytes or b"-").digest())
        self.cache = CheckCache(project.cache_dir / CACHE_FILE, key.hexdigest(), use_cache)
        self.read = 0
        self._ready = False
        self._files: dict[str, tuple[bytes, str]] = {}
        self._parsed: dict[str, list[PoEntry]] = {}  # content hash → live entries, this run
        self._glossary: Any = None
        self._keep: dict[str, tuple[str, ...]] = {}
        self._notes: dict[str, tuple[str, tuple[str, ...]]] = {}

    # -- set-up (only when something has to be computed) -------------------------
    def setup(self) -> None:
        if self._ready:
            return
        from transflow.qa import CHECKS, QAConfig, QAUnit

        self._QAUnit = QAUnit
        project = self.project
        self.glossary_module = _glossary_module() if self.glossary_bytes is not None else None
        from transflow.qa.base import can_block

        glossary = glossary_checks()
        names = [name for name, _, _ in glossary]
        self.config = QAConfig.from_settings(
            project.tool("qa"), extra_checks=names, path=project.root / "pyproject.toml"
        )
        if self.errors_only:  # coverage: what cannot be an error need not run at all
            overrides = self.config.severity
            quiet = {n for n, c in CHECKS.items() if not c.can_block(overrides.get(n))}
            quiet |= {n for n, sev, _ in glossary if not can_block(sev, None, overrides.get(n))}
            self.config = dataclasses.replace(self.config, disable=self.config.disable | quiet)
        self.source_checks = "glossary-variant" not in self.config.disable
        project_names = {n for n, c in CHECKS.items() if c.scope == "project"}
        unit_names = set(CHECKS) - project_names
        self.unit_config = dataclasses.replace(
            self.config, disable=self.config.disable | project_names
        )
        self.project_config = dataclasses.replace(
            self.config, disable=self.config.disable | unit_names
        )
        self.has_project_checks = bool(project_names - self.config.disable)
        from transflow.qa import parse_suppressions, suppress

        self._parse_suppressions = parse_suppressions
        self._suppress = suppress
        self._glossary_settings = any(
            name in self.config.severity or name in self.config.disable for name in names
        )
        if self.glossary_module is not None:
            from transflow.project_glossary import load_project_glossary

            loaded = load_project_glossary(project, self.glossary_bytes, cached=True)
            self._glossary = _MemoGlossary(loaded)
            self._keep = _keep_untranslated(self._glossary)
        self._ready = True

    def prepare(self, locales: Iterable[str | None]) -> None:
        """Build everything the checks build lazily, before forking (so it is built once)."""
        self.setup()
        for locale in locales:
            if locale is None:
                continue
            self.unit_config.rules_for(locale)
            if self._glossary is not None:
                self._glossary.target_matcher(locale)

    # -- reading ------------------------------------------------------------------
    def read_file(self, path: str) -> tuple[bytes, str]:
        """The bytes of a catalog and their sha256 (each file read once per run)."""
        known = self._files.get(path)
        if known is not None:
            return known
        try:
            with open(path, "rb", buffering=0) as file:
                data = file.readall()
        except FileNotFoundError:
            raise CatalogError(
                "no such catalog; run `transflow segment` first", Path(path)
            ) from None
        known = self._files[path] = (data, hashlib.sha256(data).hexdigest())
        return known

    def _units(self, data: bytes, sha: str, shown: str, count: bool = True) -> list[PoEntry]:
        parsed = self._parsed.get(sha)
        if parsed is None:
            from transflow.poread import read_po_bytes

            self.read += count
            entries = read_po_bytes(data, Path(shown))
            # Jobs come file by file (a source and its catalog together): keep one file.
            self._parsed.clear()
            parsed = self._parsed[sha] = [e for e in entries if not e.obsolete and not e.is_header]
        return parsed

    # -- computing ------------------------------------------------------------------
    def _glossary_findings(self, findings: list[Finding], tcomment: str) -> list[Finding]:
        """The glossary's findings with the configured severities and the unit's suppressions."""
        ignored = self._parse_suppressions(tcomment) if tcomment else None
        if not ignored and not self._glossary_settings:
            return findings  # the common case: as the glossary reported them
        suppress = self._suppress
        out = []
        for f in findings:
            severity = self.config.severity.get(f.check)
            if severity is not None and severity != f.severity:
                f = dataclasses.replace(f, severity=severity)
            if self.config.disable and f.check in self.config.disable:
                continue
            out.append(suppress(f, ignored) if ignored else f)
        return out

    def _comment_notes(self, comment: str) -> tuple[str, tuple[str, ...]]:
        """(block kind, keep-untranslated forms) from an extracted comment, memoised."""
        known = self._notes.get(comment)
        if known is None:
            kind = _note(comment, "kind") if comment else ""
            keep: tuple[str, ...] = ()
            if self._keep and "terms:" in comment:
                ids = _note(comment, "terms")
                forms: list[str] = []
                for term in ids.split(",") if ids else ():
                    forms.extend(self._keep.get(term.strip(), ()))
                keep = tuple(forms)
            known = self._notes[comment] = (kind, keep)
        return known

    def compute(self, jobs: Sequence[_Job]) -> list[_Result]:
        """Compute ``jobs`` in this process (with the cyclic garbage collector paused).

        Each cell's findings go to the cache's new pack as soon as they are
        computed, so only one catalog's findings are ever held.
        """
        self.setup()
        with paused_gc():
            return [self._compute(job) for job in jobs]

    def _compute(self, job: _Job) -> _Result:
        name, kind, doc, locale, _, data, sha, checks, want_units, shown = job
        entries = self._units(data, sha, shown)
        if kind == "source":
            findings = self._source_findings(doc, entries, data)
            return (name, self._cell(sha, shown, None, None, None, findings), None)
        assert locale is not None
        units, words, found, rows = self._catalog(doc, locale, entries, data, checks, want_units)
        cell = None if found is None else self._cell(sha, shown, locale, units, words, found)
        return (name, cell, rows)

    def _cell(
        self,
        sha: str,
        shown: str,
        locale: str | None,
        units: list[int] | None,
        words: list[int] | None,
        findings: list[tuple[Any, ...]],
    ) -> Cell:
        findings.sort(key=_by_position)
        dump = self.cache.dump
        blob = dump(findings)
        texts = None
        if not self.errors_only and findings:  # coverage counts errors; it never prints them
            texts = self.cache.store(_joined_texts(findings, locale, shown))
        summary = _summarize(findings)
        return Cell(sha, not self.errors_only, shown, units, words, summary, blob, texts)

    def _source_findings(
        self, doc: str, entries: list[PoEntry], data: bytes
    ) -> list[tuple[Any, ...]]:
        assert self.glossary_module is not None
        source_hits = self.glossary_module.source_hits
        glossary = self._glossary
        findings: list[tuple[Any, ...]] = []
        lines = _Lines(data)
        for pos, entry in enumerate(entries):
            hits = source_hits(glossary, entry.msgid)
            if hits:
                where = lines.of(entry)
                unit_id = entry.msgctxt or ""
                findings += self._glossary_raw(pos, unit_id, doc, hits, "", entry.msgid, where)
        return findings

    def _glossary_raw(
        self,
        pos: int,
        unit_id: str,
        doc: str,
        hits: list[GlossaryHit],
        tcomment: str,
        text: str,
        where: _Where,
    ) -> list[tuple[Any, ...]]:
        """The cached form of the glossary's findings in one unit, as ``_glossary_findings``
        would make them: configured severities, disabled checks left out, suppressions."""
        ignored = self._parse_suppressions(tcomment) if tcomment else None
        settings = self._glossary_settings
        config = self.config
        out = []
        for hit in hits:
            check, severity = hit[0], hit[1]
            if settings:
                configured = config.severity.get(check)
                if configured is not None:
                    severity = configured
                if check in config.disable:
                    continue
            reason = (ignored.get(check) or ignored.get("all")) if ignored else None
            out.append(_raw(pos, unit_id, doc, hit, severity, reason, text, where))
        return out

    def _catalog(
        self,
        doc: str,
        locale: str,
        entries: list[PoEntry],
        data: bytes,
        checks: bool,
        want_units: bool,
    ) -> tuple[list[int], list[int], list[tuple[Any, ...]] | None, list[_UnitRow] | None]:
        from transflow.qa.consistency import consistency_key
        from transflow.qa.runner import check_units

        units = [0] * len(_STATES)
        words = [0] * len(_STATES)
        rows: list[_UnitRow] = []
        qa_units: list[Any] = []
        findings: list[tuple[Any, ...]] = []
        glossary = self._glossary
        module = self.glossary_module
        target_hits = module.target_hits if glossary is not None and module else None
        make_unit = self._QAUnit
        notes = self._comment_notes
        lines = _Lines(data)
        for pos, entry in enumerate(entries):
            state = entry_state(entry)
            unit_id = entry.msgctxt or ""
            kind, keep = notes(entry.comment)
            if want_units:
                key = consistency_key(entry.msgid, entry.msgstr, state)
                rows.append(None if key is None else (hash(key[0]), hash(key[1])))
            if not checks:
                continue
            n = _word_count(entry.msgid)
            if entry.msgid_plural:
                n += _word_count(entry.msgid_plural)
            units[state] += 1
            words[state] += n
            qa_units.append(
                make_unit(
                    unit_id,
                    doc,
                    locale,
                    entry.msgid,
                    entry.msgstr,
                    state,
                    entry.flags,
                    entry.tcomment,
                    keep,
                    kind,
                )
            )
            if target_hits is not None and entry.msgstr.strip():
                hits = target_hits(glossary, locale, entry.msgid, entry.msgstr, kind)
                if hits:
                    where = lines.of(entry)
                    findings += self._glossary_raw(
                        pos, unit_id, doc, hits, entry.tcomment, entry.msgstr, where
                    )
        if not checks:
            return units, words, None, rows
        for hit in check_units(qa_units, self.unit_config):
            pos = hit[0]  # every entry became a unit, in order
            at = entries[pos]
            where = lines.of(at)
            findings.append(_raw_hit(pos, at.msgctxt or "", doc, hit, at.msgstr, where))
        return units, words, findings, rows if want_units else None

    def compute_all(self, jobs: list[_Job]) -> list[_Result]:
        """``compute``, the second half of the work in a forked child when that pays.

        The child writes its cells' findings to a spill file the parent opened
        (so they never pass through a pipe or sit in memory twice) and sends
        back the rest; the parent copies those findings into its own pack.
        """
        total = sum(len(job[5]) for job in jobs)
        threading = sys.modules.get("threading")
        if (
            total < _PARALLEL_MIN_BYTES
            or not hasattr(os, "fork")
            or (os.cpu_count() or 1) < 2
            or (threading is not None and threading.active_count() > 1)  # fork is unsafe
        ):
            return self.compute(jobs)
        self.prepare({job[3] for job in jobs})
        split, done = 0, 0
        while split < len(jobs) and done < total * (1 - _CHILD_SHARE):
            done += len(jobs[split][5])
            split += 1
        # Keep the jobs of one file together (a source and its catalog share the parsing).
        while 0 < split < len(jobs) and jobs[split][6] == jobs[split - 1][6]:
            split += 1
        mine, theirs = jobs[:split], jobs[split:]
        if not theirs:
            return self.compute(jobs)
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        read_before = self.read
        try:
            spill = unnamed_file(self.project.cache_dir)
        except OSError:
            return self.compute(jobs)
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            for fd in (read_end, write_end, spill):
                os.close(fd)
            return self.compute(jobs)
        if pid == 0:  # the child: compute its half, send it, and leave without cleanup
            code = 1
            try:
                os.close(read_end)
                self.cache.spill_to(spill)
                plain = [
                    (name, None if cell is None else cell.to_plain(), rows)
                    for name, cell, rows in self.compute(theirs)
                ]
                payload = marshal.dumps((plain, self.read - read_before))
                with os.fdopen(write_end, "wb") as out:
                    out.write(payload)
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        try:
            results = self.compute(mine)
        except BaseException:
            import signal

            os.close(read_end)
            os.close(spill)
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)  # our own child: its half is no longer wanted
            os.waitpid(pid, 0)
            raise
        with os.fdopen(read_end, "rb") as inp:
            payload = inp.read()
        _, status = os.waitpid(pid, 0)
        try:
            if status != 0:
                raise ValueError("child failed")
            child, read = marshal.loads(payload)
            start = self.cache.adopt_spill(spill)
            for name, plain, rows in child:
                cell = None
                if plain is not None:
                    cell = Cell.from_plain(plain)
                    if cell is None:
                        raise ValueError("bad cell")
                    blob, texts = cell.blob, cell.texts
                    if blob is not None:
                        cell.blob = (1, start + blob[1], blob[2], blob[3])
                    if texts is not None:
                        cell.texts = (1, start + texts[1], texts[2], texts[3])
                results.append((name, cell, rows))
            self.read += int(read)
        except (ValueError, EOFError, TypeError):
            results.extend(self.compute(theirs))  # reproduces the child's error, if any
        finally:
            self.cache.drop_spill(spill)
        return results

    def project_findings(
        self,
        locale: str,
        docs: Sequence[str],
        rows: dict[str, list[_UnitRow]],
        files: dict[str, tuple[str, bytes, str]],
    ) -> list[tuple[Any, ...]]:
        """Project-scope checks over every document of ``locale``.

        ``rows`` has the hashed consistency key of every unit of each document;
        ``files`` the (shown path, bytes, sha256) of each catalog (``locale/doc``),
        as they were read for this run. Only the units that can take part in a
        finding are read again from those bytes and checked.
        """
        if not self.has_project_checks:
            return []
        from transflow.qa import CHECKS
        from transflow.qa.consistency import CONSISTENCY_CHECKS, shared_keys
        from transflow.qa.runner import check_units

        places = [(doc, pos) for doc in docs for pos in range(len(rows[doc]))]
        enabled = {n for n, c in CHECKS.items() if c.scope == "project"} - self.config.disable
        if enabled <= CONSISTENCY_CHECKS:
            # Only units sharing a source or a target with another can be in a finding (a
            # hash collision only adds a unit, which changes nothing).
            keys = [key for doc in docs for key in rows[doc]]
            places = [places[i] for i in shared_keys(keys)]
        if not places:
            return []
        make_unit = self._QAUnit
        notes = self._comment_notes
        units: list[Any] = []
        where: list[tuple[int, _Where]] = []
        entries: list[PoEntry] = []
        lines = _Lines(b"")
        current = None
        for doc, pos in places:
            if doc != current:
                current = doc
                shown, data, sha = files[f"{locale}/{doc}"]
                entries = self._units(data, sha, shown, count=False)  # parsed before
                lines = _Lines(data)
            entry = entries[pos]
            kind, keep = notes(entry.comment)
            units.append(
                make_unit(
                    entry.msgctxt or "",
                    doc,
                    locale,
                    entry.msgid,
                    entry.msgstr,
                    entry_state(entry),
                    entry.flags,
                    entry.tcomment,
                    keep,
                    kind,
                )
            )
            where.append((pos, lines.of(entry)))
        found: list[tuple[Any, ...]] = []
        for hit in check_units(units, self.project_config):
            unit = units[hit[0]]
            pos, place = where[hit[0]]
            found.append(_raw_hit(pos, unit.unit_id, unit.doc, hit, unit.target, place))
        return found


class _Layout:
    """Catalog and template paths as strings, as ``Project`` names them, without pathlib.

    Building a ``Path`` per file costs more than reading a small catalog; the
    string form is checked against ``Project.catalog_path`` and
    ``Project.template_path`` once, and those are used if they ever differ.
    ``shown`` is a path as findings and errors name it: relative to the project.
    """

    def __init__(self, project: Project, docs: Sequence[str]) -> None:
        self.project = project
        self.dir = os.fspath(project.locales_dir)
        doc = docs[0] if docs else "x"
        self.fast = all(
            os.path.join(self.dir, locale, doc + ".po")
            == os.fspath(project.catalog_path(locale, doc))
            for locale in project.locales
        ) and os.path.join(self.dir, doc + ".pot") == os.fspath(project.template_path(doc))
        root = os.fspath(project.root)
        self.root = root if root.endswith(os.sep) else root + os.sep

    def catalog(self, locale: str, doc: str) -> str:
        if self.fast:
            return os.path.join(self.dir, locale, doc + ".po")
        return os.fspath(self.project.catalog_path(locale, doc))

    def template(self, doc: str) -> str:
        if self.fast:
            return os.path.join(self.dir, doc + ".pot")
        return os.fspath(self.project.template_path(doc))

    def shown(self, path: str) -> str:
        if path.startswith(self.root) and os.sep == "/" and "/../" not in path:
            return path[len(self.root) :]
        return self.project.relative(Path(path))


def run_project(
    project: Project,
    locales: Sequence[str] | None = None,
    docs: Sequence[str] | None = None,
    *,
    use_cache: bool = True,
    errors_only: bool = False,
    source: bool | None = None,
) -> ProjectResult:
    """Findings and per-catalog counts for ``docs`` × ``locales`` (default: all), cached.

    ``source`` says whether the findings on the English source are included
    (the glossary's corrections of its spellings, ``locale`` None); by default
    they are when no ``locales`` are named, so asking for one locale never
    repeats the English source's findings. ``locales=()`` with ``source=True``
    gives the source's findings alone. For each document the source's findings
    come first, then each locale's, in unit order. Consistency checks always
    compare all documents of a locale; ``docs`` only selects what is reported.

    ``errors_only`` (what ``coverage`` asks for: it counts open errors) runs only
    the checks that can report an error as configured, so the result may lack
    warnings and infos; cached results of a full run are used as they are, and
    the partial results cached by such a run are never taken for a full one.

    The findings stay in the cache until read (``ProjectResult.raw``); the result
    keeps the cache file open until ``close()``.
    """
    with paused_gc():
        return _run_project(project, locales, docs, use_cache, errors_only, source)


def _run_project(
    project: Project,
    locales: Sequence[str] | None,
    docs: Sequence[str] | None,
    use_cache: bool,
    errors_only: bool = False,
    source: bool | None = None,
) -> ProjectResult:
    all_docs = project.docs()
    wanted_docs = list(docs) if docs is not None else all_docs
    wanted_locales = project.locales if locales is None else tuple(locales)
    with_source = locales is None if source is None else source
    runner = _Runner(project, use_cache, errors_only)
    try:
        return _run(project, runner, all_docs, wanted_docs, wanted_locales, with_source)
    except BaseException:
        runner.cache.close()
        raise


def _run(
    project: Project,
    runner: _Runner,
    all_docs: list[str],
    wanted_docs: list[str],
    wanted_locales: tuple[str, ...],
    with_source: bool,
) -> ProjectResult:
    errors_only = runner.errors_only
    complete = not errors_only

    def slot(locale: str) -> str:
        """Where a locale's project-scope findings are cached (a partial run's apart)."""
        return locale if complete else f"{locale}\terrors-only"

    cache = runner.cache
    cells: dict[str, Cell] = {}
    todo: dict[str, tuple[str, str, str | None, str]] = {}  # name → what to compute
    layout = _Layout(project, all_docs)
    # Sources: glossary checks of the English text (from the template, else a catalog).
    source_names: dict[str, str] = {}
    if with_source and runner.glossary_bytes is not None:
        for doc in wanted_docs:
            path = layout.template(doc)
            if not os.path.exists(path) and project.locales:
                path = layout.catalog(project.locales[0], doc)
            name = source_names[doc] = f"source/{doc}"
            _, sha = runner.read_file(path)
            cell = cache.cell(name, sha, complete)
            if cell is None:
                todo[name] = ("source", doc, None, path)
            else:
                cells[name] = cell
    if errors_only and any(name.startswith("source/") for name in todo):
        runner.setup()
        if not runner.source_checks:  # no source-side check can report an error
            for name in source_names.values():
                if name in todo:
                    path = todo.pop(name)[3]
                    _, sha = runner.read_file(path)
                    cells[name] = Cell(
                        sha, False, layout.shown(path), None, None, EMPTY_SUMMARY, None
                    )
                    cache.put_cell(name, cells[name])  # so a warm coverage skips it at once
    # Catalogs: counts, target-side glossary checks and unit-scope prose checks.
    project_keys: dict[str, str] = {}
    project_cached: dict[str, list[tuple[Any, ...]]] = {}
    for locale in wanted_locales:
        shas = []
        for doc in all_docs:
            name = f"{locale}/{doc}"
            path = layout.catalog(locale, doc)
            _, sha = runner.read_file(path)
            shas.append(f"{doc}\t{sha}")
            cell = cache.cell(name, sha, complete)
            if cell is None:
                todo[name] = ("catalog", doc, locale, path)
            else:
                cells[name] = cell
        key = project_keys[locale] = hashlib.sha256("\n".join(shas).encode()).hexdigest()
        cached = cache.project_findings(locale, key)
        if cached is None and errors_only:
            cached = cache.project_findings(slot(locale), key)
        if cached is not None:
            project_cached[locale] = cached
    need_units = set()
    if len(project_cached) < len(wanted_locales):
        runner.setup()
        for locale in wanted_locales:
            if locale in project_cached:
                continue
            if runner.has_project_checks:
                need_units.add(locale)
            else:
                project_cached[locale] = []
                cache.put_project(slot(locale), project_keys[locale], [])
    # Everything to compute, in document order (a source and its catalog together).
    jobs: list[_Job] = []
    for doc in all_docs:
        where: list[tuple[str, str | None]] = [(f"{lo}/{doc}", lo) for lo in wanted_locales]
        if doc in source_names:
            where.insert(0, (source_names[doc], None))
        for name, where_locale in where:
            wants = where_locale in need_units
            if name in todo:
                kind, _, _, path = todo[name]
                data, sha = runner.read_file(path)
                shown = layout.shown(path)
                jobs.append((name, kind, doc, where_locale, path, data, sha, True, wants, shown))
            elif wants and where_locale is not None:
                path = layout.catalog(where_locale, doc)
                data, sha = runner.read_file(path)
                shown = layout.shown(path)
                jobs.append(
                    (name, "catalog", doc, where_locale, path, data, sha, False, True, shown)
                )
    runner._files.clear()
    # What the project-scope checks may need to read again: the very bytes hashed above.
    files = {job[0]: (job[9], job[5], job[6]) for job in jobs if job[8]}
    rows: dict[str, dict[str, list[_UnitRow]]] = {locale: {} for locale in need_units}
    if jobs:
        for name, cell, unit_rows in runner.compute_all(jobs):
            if cell is not None:
                cells[name] = cell
                cache.put_cell(name, cell)
            if unit_rows is not None:
                row_locale, row_doc = name.split("/", 1)
                rows[row_locale][row_doc] = unit_rows
    del jobs
    extra: dict[tuple[str, str | None], list[tuple[Any, ...]]] = {}
    counts: dict[tuple[str, str], StateCounts] = {}
    wanted = set(wanted_docs)
    for locale in wanted_locales:
        for doc in wanted_docs:
            counts[(doc, locale)] = _counts(cells[f"{locale}/{doc}"])
        found = project_cached.get(locale)
        if found is None:
            found = runner.project_findings(locale, all_docs, rows[locale], files)
            cache.put_project(slot(locale), project_keys[locale], found)
        for item in found:
            if item[_DOC] in wanted:
                extra.setdefault((item[_DOC], locale), []).append(item)
    del files
    known_docs = set(all_docs)
    known_locales = set(project.locales)

    def keep(name: str) -> bool:
        """Cells of documents and locales that still exist stay cached."""
        head, _, doc = name.partition("/")
        return doc in known_docs and (head == "source" or head in known_locales)

    runner.cache.save(keep)
    groups: list[_Group] = []
    for doc in wanted_docs:
        if doc in source_names:
            groups.append((doc, None, source_names[doc]))
        groups.extend((doc, locale, f"{locale}/{doc}") for locale in wanted_locales)
    return ProjectResult(
        wanted_docs,
        wanted_locales,
        bool(source_names),
        counts,
        runner.read,
        cache,
        {name: cells[name] for _, _, name in groups},
        groups,
        extra,
    )


# -- one unit at a time (live QA in the review UI) -------------------------------------


@dataclass(slots=True)
class _LocaleUnit:
    """What the project-scope checks need of one unit of the checked locale."""

    doc: str
    unit_id: str
    source: str
    target: str
    state: State
    flags: tuple[str, ...]
    tcomment: str
    comment: str
    key: tuple[str, str] | None  # ``consistency_key``, computed once


class UnitChecker:
    """Every check ``transflow check`` runs, for one unit of one locale, in milliseconds.

    Built once per locale (it reads the settings, the glossary and, for the
    consistency checks, every catalog of the locale); ``check`` then gives the
    findings ``transflow check`` would report for that unit with the given
    target: the source-side glossary findings (``locale`` None) first, then the
    target's, in the same order and with the same severities, ``disable``
    settings and ``qa-ignore`` suppressions. ``update`` keeps the consistency
    index in step with edits made since.
    """

    def __init__(self, project: Project, locale: str) -> None:
        self.project = project
        self.locale = locale
        self._runner = _Runner(project, use_cache=False)
        self._runner.setup()
        self._runner.prepare([locale])
        self._units: list[_LocaleUnit] | None = None
        self._where: dict[tuple[str, str], int] = {}

    def _load(self) -> list[_LocaleUnit]:
        if self._units is None:
            from transflow.poread import read_po
            from transflow.qa.consistency import consistency_key

            units: list[_LocaleUnit] = []
            for doc in self.project.docs():
                path = self.project.catalog_path(self.locale, doc)
                if not path.exists():
                    continue
                for e in read_po(path):
                    if e.obsolete or e.is_header:
                        continue
                    self._where[(doc, e.msgctxt or "")] = len(units)
                    state = entry_state(e)
                    units.append(
                        _LocaleUnit(
                            doc,
                            e.msgctxt or "",
                            e.msgid,
                            e.msgstr,
                            state,
                            e.flags,
                            e.tcomment,
                            e.comment,
                            consistency_key(e.msgid, e.msgstr, state),
                        )
                    )
            self._units = units
        return self._units

    def update(
        self,
        doc: str,
        unit_id: str,
        source: str,
        target: str,
        state: State,
        flags: Sequence[str],
        tcomment: str,
        comment: str,
    ) -> None:
        """Tell the checker a unit of the locale now reads like this (after an edit)."""
        from transflow.qa.consistency import consistency_key

        units = self._load()
        key = consistency_key(source, target, state)
        row = _LocaleUnit(doc, unit_id, source, target, state, tuple(flags), tcomment, comment, key)
        where = self._where.get((doc, unit_id))
        if where is None:
            self._where[(doc, unit_id)] = len(units)
            units.append(row)
        else:
            units[where] = row

    def check(
        self,
        doc: str,
        unit_id: str,
        source: str,
        target: str,
        state: State,
        flags: Sequence[str] = (),
        tcomment: str = "",
        comment: str = "",
    ) -> list[Finding]:
        """The findings of ``transflow check`` for this unit, were it saved like this."""
        from transflow.qa import run_checks
        from transflow.qa.consistency import consistency_key

        runner = self._runner
        locale = self.locale
        found: list[Finding] = []
        glossary = runner._glossary
        module = runner.glossary_module
        if glossary is not None and module is not None and runner.source_checks:
            raw = module.check_source(glossary, unit_id, doc, source)
            found.extend(runner._glossary_findings(raw, ""))
        kind, keep = runner._comment_notes(comment)
        if glossary is not None and module is not None and target.strip():
            raw = module.check_target(glossary, unit_id, doc, locale, source, target, kind)
            found.extend(runner._glossary_findings(raw, tcomment))
        unit = runner._QAUnit(
            unit_id, doc, locale, source, target, state, tuple(flags), tcomment, keep, kind
        )
        found.extend(run_checks([unit], runner.unit_config))
        if runner.has_project_checks:
            key = consistency_key(source, target, state)
            if key is not None:
                row = _LocaleUnit(
                    doc, unit_id, source, target, state, tuple(flags), tcomment, comment, key
                )
                found.extend(self._project_findings(row))
        return found

    def _project_findings(self, row: _LocaleUnit) -> list[Finding]:
        """The consistency findings of one unit: checked with the units sharing its texts."""
        from transflow.qa import run_checks

        runner = self._runner
        key = row.key
        assert key is not None
        units = self._load()
        where = self._where.get((row.doc, row.unit_id), len(units))
        group = []
        for i in range(len(units) + (where == len(units))):
            u = row if i == where else units[i]
            other = u.key
            if other is not None and (other[0] == key[0] or other[1] == key[1]):
                kind, keep = runner._comment_notes(u.comment)
                group.append(
                    runner._QAUnit(
                        u.unit_id,
                        u.doc,
                        self.locale,
                        u.source,
                        u.target,
                        u.state,
                        u.flags,
                        u.tcomment,
                        keep,
                        kind,
                    )
                )
        if len(group) < 2:
            return []
        return [
            f
            for f in run_checks(tuple(group), runner.project_config)
            if f.unit == row.unit_id and f.doc == row.doc
        ]
