"""The controlled glossary (``glossary.yaml``): load, lint, match, enforce, edit.

Names of people, organisations and outlets must be spelled one agreed way in
the English source and in every translation. This module reads the glossary
into a typed, immutable model (remembering the line of every entry and field
so every message can point at the file), finds terms in source text, checks
source and target text against the entries (producing ``Finding`` objects for
``transflow check``) and adds entries without disturbing anything a maintainer
wrote by hand: comments, ordering and the exact text of the other entries.

The file format is described in the design notes (``glossary.yaml`` schema);
matching rules are in :mod:`transflow.glossary_match`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from transflow.errors import GlossaryError, LocaleError
from transflow.finding import Finding, Severity
from transflow.glossary_match import Hit, PhraseMatcher, fold, longest_non_overlapping
from transflow.locale import validate_locale

if TYPE_CHECKING:  # ruamel.yaml is imported where it is used: a cached load never needs it
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import FoldedScalarString

__all__ = [
    "ENTRY_TYPES",
    "Entry",
    "Glossary",
    "GlossaryFile",
    "LintProblem",
    "LocaleForms",
    "TermMatch",
    "Variant",
    "add_entry",
    "check_source",
    "check_target",
    "lint_glossary",
    "load_glossary",
]

ENTRY_TYPES = (
    "person",
    "organisation",
    "outlet",
    "institution",
    "document",
    "place",
    "programme",
    "event",
    "other",
)
VARIANT_STATUSES = ("acceptable", "correct")
CASE_NAMES = ("nom", "gen", "dat", "acc", "ins", "pre", "loc", "abl", "voc")
DEFAULT_LOCALES = ("az", "de", "fr", "ru")
TOP_KEYS = ("version", "locales", "ignore", "entries")
ENTRY_KEYS = (
    "id",
    "type",
    "en",
    "variants",
    "keep-untranslated",
    "locales",
    "note",
    "references",
    "unverified",
)
LOCALE_KEYS = ("approved", "forms", "forbidden", "cases")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# -- the model --------------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    """Another English spelling: ``acceptable`` (fine as is) or ``correct`` (fix it to ``en``)."""

    form: str
    status: str
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class LocaleForms:
    """How an entry may and may not appear in one locale."""

    approved: str
    forms: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    cases: dict[str, str] = field(default_factory=dict)
    line: int | None = field(default=None, compare=False)

    @cached_property
    def allowed(self) -> tuple[str, ...]:
        """``approved`` and every listed form, without duplicates, approved first."""
        return tuple(dict.fromkeys(f for f in (self.approved, *self.forms) if f))


@dataclass(frozen=True)
class Entry:
    """One controlled name; ``line`` is the entry's line, ``lines`` the line of each field."""

    id: str
    type: str
    en: str
    variants: tuple[Variant, ...] = ()
    keep_untranslated: bool = False
    locales: dict[str, LocaleForms] = field(default_factory=dict)
    note: str = ""
    references: tuple[str, ...] = ()
    unverified: tuple[str, ...] = ()
    line: int | None = field(default=None, compare=False)
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def english_forms(self) -> list[tuple[str, str | None]]:
        """``(form, variant status)`` for ``en`` (status None) and every variant."""
        return [(self.en, None), *((v.form, v.status) for v in self.variants)]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "en": self.en,
            "variants": [{"form": v.form, "status": v.status} for v in self.variants],
            "keep-untranslated": self.keep_untranslated,
            "locales": {
                code: {
                    "approved": lf.approved,
                    "forms": list(lf.forms),
                    "forbidden": list(lf.forbidden),
                    "cases": dict(lf.cases),
                }
                for code, lf in self.locales.items()
            },
            "note": self.note,
            "references": list(self.references),
            "unverified": list(self.unverified),
            "line": self.line,
        }


class TermMatch(NamedTuple):
    """A glossary term found in English text: ``text[start:end] == matched``.

    ``variant_status`` is None for the approved ``en`` form, else the variant's
    status (``acceptable`` or ``correct``). A named tuple, not a frozen
    dataclass: as immutable, and four times cheaper to make (``check`` makes
    one per name per sentence).
    """

    entry_id: str
    start: int
    end: int
    matched: str
    variant_status: str | None


# What a target-side phrase means: (entry id, kind), kind one of these.
_ALLOWED, _FORBIDDEN, _VERBATIM = "allowed", "forbidden", "verbatim"


@dataclass(frozen=True)
class Glossary:
    """A loaded glossary: entries in file order, and matchers built once from them."""

    path: Path | None = None
    version: int = 1
    locales: tuple[str, ...] = DEFAULT_LOCALES
    ignore: tuple[str, ...] = ()
    entries: tuple[Entry, ...] = ()
    ignore_lines: tuple[int | None, ...] = field(default=(), compare=False, repr=False)
    _by_id: dict[str, Entry] = field(default_factory=dict, init=False, repr=False, compare=False)
    _source: PhraseMatcher[tuple[str, str | None]] = field(init=False, repr=False, compare=False)
    _targets: dict[str, PhraseMatcher[tuple[str, str]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        by_id: dict[str, Entry] = {}
        matcher: PhraseMatcher[tuple[str, str | None]] = PhraseMatcher(ignore_case=True)
        seen: set[str] = set()
        for entry in self.entries:
            by_id.setdefault(entry.id, entry)
            for form, status in entry.english_forms():
                key = fold(" ".join(form.split()), ignore_case=True)
                if form and key not in seen:  # a form claimed twice: the first entry wins
                    seen.add(key)
                    matcher.add(form, (entry.id, status))
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_source", matcher)

    # -- lookup --------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._by_id

    def __getitem__(self, entry_id: str) -> Entry:
        return self._by_id[entry_id]

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    # -- source side ---------------------------------------------------------------------
    def match(self, text: str) -> list[TermMatch]:
        """Glossary terms in English ``text``, longest match first among overlaps, in order."""
        return [
            TermMatch(h.payload[0], h.start, h.end, text[h.start : h.end], h.payload[1])
            for h in self._source.find(text)
        ]

    def terms_in(self, text: str) -> tuple[str, ...]:
        """Ids of the entries in ``text``, in order of first occurrence, each once."""
        return tuple(dict.fromkeys(h.payload[0] for h in self._source.find(text)))

    # -- target side ---------------------------------------------------------------------
    def target_matcher(self, locale: str) -> PhraseMatcher[tuple[str, str]]:
        """Every allowed, forbidden and verbatim form for ``locale``, compiled once."""
        matcher = self._targets.get(locale)
        if matcher is None:
            matcher = PhraseMatcher(ignore_case=False, sentence_case=True)
            for entry in self.entries:
                if entry.keep_untranslated:
                    matcher.add(entry.en, (entry.id, _VERBATIM))
                forms = entry.locales.get(locale)
                if forms is None:
                    continue
                for form in forms.allowed:
                    matcher.add(form, (entry.id, _ALLOWED))
                for form in forms.forbidden:
                    matcher.add(form, (entry.id, _FORBIDDEN))
            self._targets[locale] = matcher
        return matcher


@dataclass(frozen=True)
class LintProblem:
    """One problem in the glossary file, for ``transflow glossary lint``."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.message}"
            if self.line
            else f"{self.path}: {self.message}"
        )

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "line": self.line, "message": self.message}


# -- reading ----------------------------------------------------------------------------


def _yaml() -> YAML:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _parse_yaml(path: Path, text: str) -> Any:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "malformed YAML"
        raise GlossaryError(f"malformed YAML: {problem}", path, line) from None
    except YAMLError as exc:
        raise GlossaryError(f"malformed YAML: {exc}", path) from None


def _key_line(node: Any, key: str | int, default: int | None) -> int | None:
    """The 1-based line of ``node[key]`` from ruamel's position data, or ``default``."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return default
    try:
        if isinstance(key, int):
            return int(lc.item(key)[0]) + 1
        return int(lc.key(key)[0]) + 1
    except (KeyError, IndexError, TypeError, AttributeError):
        return default


def _node_line(node: Any, default: int | None) -> int | None:
    lc = getattr(node, "lc", None)
    line = getattr(lc, "line", None)
    return int(line) + 1 if isinstance(line, int) else default


class _Reader:
    """Turns parsed YAML into the model, collecting schema problems with their lines."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[tuple[int | None, str]] = []
        self.locales: tuple[str, ...] = DEFAULT_LOCALES

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append((line, message))

    def mapping(self, node: Any, what: str, line: int | None) -> Mapping[str, Any] | None:
        if node is None:
            return {}
        if not isinstance(node, Mapping):
            self.problem(line, f"{what} must be a mapping, not {_kind(node)}")
            return None
        return node

    def unknown_keys(self, node: Mapping[str, Any], allowed: Sequence[str], what: str) -> None:
        for key in node:
            if key not in allowed:
                line = _key_line(node, key, None)
                hint = f" (expected one of: {', '.join(allowed)})"
                self.problem(line, f"unknown key {key!r} in {what}{hint}")

    def string(self, node: Mapping[str, Any], key: str, what: str, line: int | None) -> str:
        value = node.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            where = _key_line(node, key, line)
            self.problem(where, f"{what}: '{key}' must be a string, not {_kind(value)}")
            return ""
        return value

    def strings(
        self, node: Mapping[str, Any], key: str, what: str, line: int | None
    ) -> tuple[str, ...]:
        value = node.get(key)
        if value is None:
            return ()
        where = _key_line(node, key, line)
        if isinstance(value, str) or not isinstance(value, Sequence):
            self.problem(where, f"{what}: '{key}' must be a list of strings, not {_kind(value)}")
            return ()
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str):
                item_line = _key_line(value, i, where)
                self.problem(item_line, f"{what}: '{key}' items must be strings, not {_kind(item)}")
                continue
            out.append(item)
        return tuple(out)

    # -- the file ------------------------------------------------------------------------
    def glossary(self, data: Any) -> Glossary:
        top = self.mapping(data, "the glossary", 1)
        if top is None:
            return Glossary(path=self.path)
        self.unknown_keys(top, TOP_KEYS, "the glossary")
        version = top.get("version", 1)
        if version != 1 or isinstance(version, bool):
            self.problem(_key_line(top, "version", 1), f"unsupported version {version!r} (1)")
        locales = self.strings(top, "locales", "the glossary", 1) or DEFAULT_LOCALES
        for i, code in enumerate(locales):
            try:
                validate_locale(code)
            except LocaleError:
                line = _key_line(top.get("locales"), i, _key_line(top, "locales", 1))
                self.problem(line, f"unknown locale {code!r} in 'locales'")
        self.locales = tuple(locales)
        ignore = self.strings(top, "ignore", "the glossary", 1)
        ignore_node: Any = top.get("ignore") if ignore else ()
        ignore_lines = tuple(
            _key_line(ignore_node, i, _key_line(top, "ignore", 1))
            for i, item in enumerate(ignore_node)
            if isinstance(item, str)
        )
        entries_node = top.get("entries")
        entries: list[Entry] = []
        if entries_node is not None:
            line = _key_line(top, "entries", 1)
            if isinstance(entries_node, str) or not isinstance(entries_node, Sequence):
                self.problem(line, f"'entries' must be a list, not {_kind(entries_node)}")
            else:
                for i, node in enumerate(entries_node):
                    entry = self.entry(node, _key_line(entries_node, i, line))
                    if entry is not None:
                        entries.append(entry)
        return Glossary(
            path=self.path,
            version=1,
            locales=self.locales,
            ignore=ignore,
            entries=tuple(entries),
            ignore_lines=ignore_lines,
        )

    def entry(self, node: Any, line: int | None) -> Entry | None:
        data = self.mapping(node, "an entry", line)
        if data is None:
            return None
        line = _node_line(data, line)
        entry_id = self.string(data, "id", "entry", line)
        what = f"entry {entry_id!r}" if entry_id else "entry"
        if "id" not in data:
            self.problem(line, "entry without 'id'")
        self.unknown_keys(data, ENTRY_KEYS, what)
        for required in ("type", "en"):
            if required not in data:
                self.problem(line, f"{what}: missing '{required}'")
        lines = {key: _key_line(data, key, line) or 0 for key in data}
        keep = data.get("keep-untranslated", False)
        if not isinstance(keep, bool):
            where = _key_line(data, "keep-untranslated", line)
            self.problem(where, f"{what}: 'keep-untranslated' must be true or false")
            keep = False
        locales: dict[str, LocaleForms] = {}
        locales_node = self.mapping(
            data.get("locales"), f"{what}: 'locales'", _key_line(data, "locales", line)
        )
        for code, value in (locales_node or {}).items():
            where = _key_line(locales_node, code, line)
            if not self.locale_key(code, where, what):
                continue
            forms = self.locale_forms(value, where, f"{what}, locale {code}")
            if forms is not None:
                locales[code] = forms
        unverified = self.strings(data, "unverified", what, line)
        for i, code in enumerate(unverified):
            if code != "en" and code not in self.locales:
                where = _key_line(data.get("unverified"), i, _key_line(data, "unverified", line))
                self.problem(where, f"{what}: 'unverified' lists {code!r}, not a glossary locale")
        return Entry(
            id=entry_id,
            type=self.string(data, "type", what, line),
            en=self.string(data, "en", what, line),
            variants=self.variants(data, what, line),
            keep_untranslated=keep,
            locales=locales,
            note=self.string(data, "note", what, line),
            references=self.strings(data, "references", what, line),
            unverified=unverified,
            line=line,
            lines=lines,
        )

    def locale_key(self, code: Any, line: int | None, what: str) -> bool:
        if not isinstance(code, str):
            self.problem(line, f"{what}: locale keys must be locale codes, not {_kind(code)}")
            return False
        try:
            validate_locale(code)
        except LocaleError:
            self.problem(line, f"{what}: unknown locale {code!r}")
            return False
        if code not in self.locales:
            known = ", ".join(self.locales)
            self.problem(
                line, f"{what}: locale {code!r} is not in the glossary's locales ({known})"
            )
            return False
        return True

    def locale_forms(self, node: Any, line: int | None, what: str) -> LocaleForms | None:
        data = self.mapping(node, what, line)
        if data is None:
            return None
        self.unknown_keys(data, LOCALE_KEYS, what)
        if "approved" not in data:
            self.problem(line, f"{what}: missing 'approved'")
        cases: dict[str, str] = {}
        cases_line = _key_line(data, "cases", line)
        for key, value in (
            self.mapping(data.get("cases"), f"{what}: 'cases'", cases_line) or {}
        ).items():
            where = _key_line(data.get("cases"), key, cases_line)
            if key not in CASE_NAMES:
                self.problem(where, f"{what}: unknown case {key!r} ({', '.join(CASE_NAMES)})")
            elif not isinstance(value, str):
                self.problem(where, f"{what}: case {key!r} must be a string, not {_kind(value)}")
            else:
                cases[key] = value
        return LocaleForms(
            approved=self.string(data, "approved", what, line),
            forms=self.strings(data, "forms", what, line),
            forbidden=self.strings(data, "forbidden", what, line),
            cases=cases,
            line=line,
        )

    def variants(self, data: Mapping[str, Any], what: str, line: int | None) -> tuple[Variant, ...]:
        node = data.get("variants")
        if node is None:
            return ()
        where = _key_line(data, "variants", line)
        if isinstance(node, str) or not isinstance(node, Sequence):
            self.problem(where, f"{what}: 'variants' must be a list, not {_kind(node)}")
            return ()
        out = []
        for i, item in enumerate(node):
            item_line = _key_line(node, i, where)
            if isinstance(item, str):  # shorthand: a bare form is an acceptable variant
                out.append(Variant(item, "acceptable", item_line))
                continue
            mapping = self.mapping(item, f"{what}: a variant", item_line)
            if mapping is None:
                continue
            self.unknown_keys(mapping, ("form", "status"), f"{what}: a variant")
            form = self.string(mapping, "form", f"{what}: a variant", item_line)
            status = mapping.get("status", "acceptable")
            if not form:
                self.problem(item_line, f"{what}: a variant without 'form'")
                continue
            if status not in VARIANT_STATUSES:
                self.problem(
                    item_line,
                    f"{what}: variant {form!r} has status {status!r} (acceptable or correct)",
                )
                continue
            out.append(Variant(form, str(status), item_line))
        return tuple(out)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, Sequence):
        return "a list"
    return type(value).__name__


def _read(
    path: Path, data: bytes | None = None
) -> tuple[str | None, Glossary, list[tuple[int | None, str]]]:
    if data is None:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None, Glossary(path=path), []
        except OSError as exc:
            raise GlossaryError(f"cannot read the glossary: {exc.strerror}", path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GlossaryError("not UTF-8", path, data[: exc.start].count(b"\n") + 1) from None
    reader = _Reader(path)
    glossary = reader.glossary(_parse_yaml(path, text))
    return text, glossary, reader.problems


def load_glossary(path: Path | str) -> Glossary:
    """Read ``glossary.yaml``; a missing file is an empty glossary.

    Malformed YAML and schema errors (wrong types, unknown keys, unknown
    locales) raise one ``GlossaryError`` naming the file and line; semantic
    problems (duplicate ids, ...) are left to :func:`lint_glossary`.
    """
    return _load(Path(path), None)


def _load(path: Path, data: bytes | None) -> Glossary:
    _, glossary, problems = _read(path, data)
    if problems:
        line, message = problems[0]
        more = (
            f" (and {len(problems) - 1} more; run `transflow glossary lint`)"
            if len(problems) > 1
            else ""
        )
        raise GlossaryError(message + more, path, line)
    return glossary


_CACHE_FORMAT = 1


def _load_fast(path: Path, data: bytes) -> Glossary | None:
    """The glossary read with ruamel's "safe" loader, or None if that finds any problem.

    With ruamel.yaml.clib (a dependency on CPython) about ten times as fast as
    the round-trip loader (0.03 s against 0.3 s for the shipped glossary), but
    without line numbers (the ``line`` fields are placeholders): only for
    checking, where no finding names a line of the glossary. Anything the schema
    rejects (or that does not parse) gives None, so the caller reads the file
    again the normal way and reports the error with its line.
    """
    from ruamel.yaml import YAML

    try:
        parsed = YAML(typ="safe").load(data.decode("utf-8"))  # libyaml (C) when installed
    except Exception:  # reported by the round-trip reader instead
        return None
    reader = _Reader(path)
    glossary = reader.glossary(parsed)
    return None if reader.problems else glossary


def _plain(glossary: Glossary) -> tuple[Any, ...]:
    """The glossary as plain tuples, for ``marshal`` (which never runs code, unlike pickle)."""
    entries = tuple(
        (
            e.id,
            e.type,
            e.en,
            tuple((v.form, v.status, v.line) for v in e.variants),
            e.keep_untranslated,
            tuple(
                (code, lf.approved, lf.forms, lf.forbidden, dict(lf.cases), lf.line)
                for code, lf in e.locales.items()
            ),
            e.note,
            e.references,
            e.unverified,
            e.line,
            dict(e.lines),
        )
        for e in glossary.entries
    )
    return (glossary.version, glossary.locales, glossary.ignore, glossary.ignore_lines, entries)


def _from_plain(path: Path, plain: tuple[Any, ...]) -> Glossary:
    version, locales, ignore, ignore_lines, entries = plain
    return Glossary(
        path=path,
        version=version,
        locales=tuple(locales),
        ignore=tuple(ignore),
        ignore_lines=tuple(ignore_lines),
        entries=tuple(
            Entry(
                id=entry_id,
                type=kind,
                en=en,
                variants=tuple(Variant(form, status, line) for form, status, line in variants),
                keep_untranslated=keep,
                locales={
                    code: LocaleForms(approved, tuple(forms), tuple(forbidden), dict(cases), line)
                    for code, approved, forms, forbidden, cases, line in forms_by_locale
                },
                note=note,
                references=tuple(references),
                unverified=tuple(unverified),
                line=line,
                lines=dict(lines),
            )
            for (
                entry_id,
                kind,
                en,
                variants,
                keep,
                forms_by_locale,
                note,
                references,
                unverified,
                line,
                lines,
            ) in entries
        ),
    )


def load_glossary_cached(path: Path | str, cache_dir: Path | str, data: bytes) -> Glossary:
    """``load_glossary`` of the file's bytes ``data``, through a cache file in ``cache_dir``.

    Parsing YAML with ruamel (and importing it) is most of what a ``transflow
    check`` does besides the checks, so the glossary's content is kept in
    ``cache_dir`` as plain ``marshal`` data, keyed on the sha256 of ``data``,
    the path, the Python version and the source of this module; a stale,
    corrupt or foreign cache file is ignored and rewritten. Errors are never
    cached: a bad glossary is parsed (and reported) every time. The line
    numbers of a glossary loaded this way are not reliable (see
    ``_load_fast``): it is for checking only; editing and linting always read
    the YAML itself.
    """
    import marshal
    import sys

    path = Path(path)
    here = Path(__file__)
    key = hashlib.sha256(f"{_CACHE_FORMAT}\0{sys.version}\0{path}\0".encode())
    try:
        key.update(here.read_bytes())
    except OSError:
        key.update(b"-")
    key.update(hashlib.sha256(data).digest())
    digest = key.hexdigest()
    cache = Path(cache_dir) / "glossary.marshal"
    try:
        stored = marshal.loads(cache.read_bytes())
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == digest:
            return _from_plain(path, stored[1])
    except Exception:  # any unreadable or foreign cache is only rebuilt
        pass
    fast = _load_fast(path, data)
    glossary = fast if fast is not None else _load(path, data)  # (an empty one is falsy)
    from transflow.catalog import atomic_write

    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(cache, marshal.dumps((digest, _plain(glossary))))
    except (OSError, ValueError):
        pass
    return glossary


# -- lint -------------------------------------------------------------------------------


def lint_glossary(path: Path | str) -> list[LintProblem]:
    """Every schema and semantic problem in the glossary file, in line order."""
    path = Path(path)
    try:
        text, glossary, schema = _read(path)
    except GlossaryError as exc:
        return [LintProblem(path, exc.line, exc.message)]
    if text is None:
        return [LintProblem(path, None, "no glossary file")]
    problems = [LintProblem(path, line, message) for line, message in schema]
    problems += _semantic_problems(glossary, path)
    return sorted(problems, key=lambda p: p.line or 0)


def _semantic_problems(glossary: Glossary, path: Path) -> list[LintProblem]:
    out: list[LintProblem] = []

    def add(line: int | None, message: str) -> None:
        out.append(LintProblem(path, line, message))

    first_line: dict[str, int | None] = {}
    claimed: dict[str, tuple[int, str, int | None]] = {}
    for number, entry in enumerate(glossary.entries):
        what = f"entry {entry.id!r}"
        lines = entry.lines
        if entry.id:
            if entry.id in first_line:
                add(
                    entry.line,
                    f"duplicate id {entry.id!r} (first defined at line {first_line[entry.id]})",
                )
            else:
                first_line[entry.id] = entry.line
            if not _SLUG.match(entry.id):
                add(
                    lines.get("id", entry.line),
                    f"{what}: id must be a lowercase ascii slug (a-z, 0-9, -)",
                )
        if entry.type and entry.type not in ENTRY_TYPES:
            add(
                lines.get("type", entry.line),
                f"{what}: unknown type {entry.type!r} ({', '.join(ENTRY_TYPES)})",
            )
        if "en" in lines and not entry.en.strip():
            add(lines["en"], f"{what}: empty 'en'")
        own: set[str] = set()
        for form, status in entry.english_forms():
            if not form.strip():
                continue
            key = fold(" ".join(form.split()), ignore_case=True)
            line = lines.get("en", entry.line) if status is None else _variant_line(entry, form)
            if key in own:
                add(line, f"{what}: {form!r} is listed twice")
                continue
            own.add(key)
            if key in claimed and claimed[key][0] != number:
                _, other, other_line = claimed[key]
                add(
                    line, f"{what}: {form!r} is also claimed by entry {other!r} (line {other_line})"
                )
            else:
                claimed.setdefault(key, (number, entry.id, line))
        for code in glossary.locales:
            if code not in entry.locales:
                add(lines.get("locales", entry.line), f"{what}: locale {code!r} missing")
        for code, forms in entry.locales.items():
            where = forms.line or entry.line
            if not forms.approved.strip():
                add(where, f"{what}, locale {code}: empty 'approved'")
                continue
            if forms.forms and forms.approved not in forms.forms:
                add(
                    where,
                    f"{what}, locale {code}: 'forms' does not contain approved {forms.approved!r}",
                )
            for bad in forms.forbidden:
                if bad in forms.allowed:
                    add(where, f"{what}, locale {code}: {bad!r} is both allowed and forbidden")
            for case, form in forms.cases.items():
                if form not in forms.allowed:
                    add(
                        where,
                        f"{what}, locale {code}: case {case} {form!r} is not listed in 'forms'",
                    )
    out += _ignore_problems(glossary, path, claimed)
    return out


def _ignore_problems(
    glossary: Glossary, path: Path, claimed: Mapping[str, tuple[int, str, int | None]]
) -> list[LintProblem]:
    """The top-level ``ignore`` list: no blanks, no repeats, nothing a glossary entry claims."""
    out: list[LintProblem] = []
    seen: dict[str, int | None] = {}
    lines = glossary.ignore_lines or (None,) * len(glossary.ignore)
    for word, line in zip(glossary.ignore, lines, strict=False):
        if not word.strip():
            out.append(LintProblem(path, line, "'ignore': empty item"))
            continue
        if word in seen:
            out.append(
                LintProblem(path, line, f"'ignore': {word!r} is listed twice (line {seen[word]})")
            )
            continue
        seen[word] = line
        key = fold(" ".join(word.split()), ignore_case=True)
        if key in claimed:
            _, entry_id, entry_line = claimed[key]
            out.append(
                LintProblem(
                    path,
                    line,
                    f"'ignore': {word!r} is a form of entry {entry_id!r} (line {entry_line}); "
                    "remove it from 'ignore'",
                )
            )
    return out


def _variant_line(entry: Entry, form: str) -> int | None:
    for v in entry.variants:
        if v.form == form:
            return v.line or entry.line
    return entry.line


# -- enforcement ------------------------------------------------------------------------


def check_source(glossary: Glossary, unit_id: str, doc: str, text: str) -> list[Finding]:
    """Warnings for spellings in the English source that the glossary corrects."""
    findings = []
    for m in glossary.match(text):
        if m.variant_status != "correct":
            continue
        entry = glossary[m.entry_id]
        findings.append(
            Finding(
                unit=unit_id,
                doc=doc,
                locale=None,
                check="glossary-variant",
                severity=Severity.WARNING,
                message=f"{m.matched} → {entry.en}",
                term=entry.id,
                expected=(entry.en,),
                span=(m.start, m.end),
            )
        )
    return findings


def _list_forms(forms: Sequence[str], limit: int = 4) -> str:
    shown = ", ".join(forms[:limit])
    return shown + (", …" if len(forms) > limit else "")


def check_target(
    glossary: Glossary,
    unit_id: str,
    doc: str,
    locale: str,
    source: str,
    target: str,
    kind: str = "",
) -> list[Finding]:
    """Errors for glossary terms of ``source`` that ``target`` misses or misspells.

    For each entry found in the source: the target must contain one of the
    locale's forms (``glossary-missing``), or, for a keep-untranslated entry,
    the English form verbatim or one of the locale's listed forms of it
    (``glossary-untranslated``); a forbidden form is an error wherever it
    appears (``glossary-forbidden``) unless it is part of a longer allowed form.
    Empty targets give nothing: the QA 'untranslated' check reports those.

    In a salutation (``kind`` "salutation") a person's missing name is only a
    warning: "Dear Ms. Ursula von der Leyen," is "Madame la Présidente," in
    French and "Уважаемая госпожа Председатель!" in Russian, by convention.
    """
    if not target.strip():
        return []
    ids = glossary.terms_in(source)
    if not ids:
        return []
    hits = glossary.target_matcher(locale).find_all(target)
    good = [h for h in hits if h.payload[1] != _FORBIDDEN]
    present = {h.payload[0] for h in good}
    forbidden = [h for h in hits if h.payload[1] == _FORBIDDEN]
    if not forbidden and present.issuperset(ids):  # the common case: all there, nothing wrong
        return []
    findings: list[Finding] = []

    def finding(
        check: str,
        entry: Entry,
        message: str,
        expected: Sequence[str],
        span: tuple[int, int] | None = None,
    ) -> Finding:
        return Finding(
            unit=unit_id,
            doc=doc,
            locale=locale,
            check=check,
            severity=Severity.ERROR,
            message=message,
            term=entry.id,
            expected=tuple(expected),
            span=span,
        )

    for entry_id in ids:
        entry = glossary[entry_id]
        forms = entry.locales.get(locale)
        allowed = forms.allowed if forms else ()
        if entry_id not in present:
            if entry.keep_untranslated:
                expected = tuple(dict.fromkeys((entry.en, *allowed)))
                findings.append(
                    finding(
                        "glossary-untranslated",
                        entry,
                        f"{entry.en} must stay untranslated ({entry_id}): "
                        f"expected one of {_list_forms(expected)}",
                        expected,
                    )
                )
            elif allowed and kind == "salutation" and entry.type == "person":
                findings.append(
                    dataclasses.replace(
                        finding(
                            "glossary-missing",
                            entry,
                            f"the salutation leaves out {entry_id}: fine if the title alone "
                            f"addresses the person, else use one of {_list_forms(allowed)}",
                            allowed,
                        ),
                        severity=Severity.WARNING,
                    )
                )
            elif allowed:
                findings.append(
                    finding(
                        "glossary-missing",
                        entry,
                        f"missing glossary term {entry_id}: expected one of {_list_forms(allowed)}",
                        allowed,
                    )
                )
        bad = [h for h in forbidden if h.payload[0] == entry_id and not _covered(h, good)]
        for hit in longest_non_overlapping(bad):
            wrong = target[hit.start : hit.end]
            use = forms.approved if forms and forms.approved else entry.en
            findings.append(
                finding(
                    "glossary-forbidden",
                    entry,
                    f"forbidden form {wrong!r} for {entry_id}: use {use}",
                    allowed or (use,),
                    (hit.start, hit.end),
                )
            )
    return findings


def _covered(hit: Hit[tuple[str, str]], good: list[Hit[tuple[str, str]]]) -> bool:
    """Whether ``hit`` lies inside a longer allowed form (or the same span of its own entry)."""
    for g in good:
        inside = g.start <= hit.start and hit.end <= g.end
        if inside and (g.end - g.start > hit.end - hit.start or g.payload[0] == hit.payload[0]):
            return True
    return False


# -- editing ----------------------------------------------------------------------------


def _digest(data: bytes | None) -> str | None:
    return hashlib.sha256(data).hexdigest() if data is not None else None


_SKELETON = (
    "# glossary.yaml — controlled names. Comments survive every transflow command.\n"
    "version: 1\n"
    "locales: [{locales}]\n"
    "entries:\n"
)


@dataclass
class GlossaryFile:
    """The glossary's text as read from disk, for edits that keep every other byte.

    ``add_entry`` renders the new entry with ruamel.yaml and splices it after
    the last entry; the text of everything else is untouched (a full ruamel
    round-trip would re-wrap multi-line flow lists such as long ``forms``).
    The result is parsed again before it is accepted. ``save`` is atomic and
    refuses to overwrite a file that changed since it was read.
    """

    path: Path
    text: str
    digest: str | None
    locales: tuple[str, ...] = DEFAULT_LOCALES

    @classmethod
    def read(cls, path: Path | str, locales: Sequence[str] = DEFAULT_LOCALES) -> GlossaryFile:
        path = Path(path)
        try:
            data: bytes | None = path.read_bytes()
        except FileNotFoundError:
            data = None
        if data is None:
            text = _SKELETON.format(locales=", ".join(locales))
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise GlossaryError("not UTF-8", path, data[: exc.start].count(b"\n") + 1) from None
        return cls(path=path, text=text, digest=_digest(data), locales=tuple(locales))

    def glossary(self) -> Glossary:
        reader = _Reader(self.path)
        glossary = reader.glossary(_parse_yaml(self.path, self.text))
        if reader.problems:
            line, message = reader.problems[0]
            raise GlossaryError(message, self.path, line)
        return glossary

    def add_entry(self, entry_data: Mapping[str, Any]) -> Entry:
        """Append one entry (a plain dict in the file's schema); return it as loaded."""
        from ruamel.yaml.comments import CommentedSeq

        before = self.glossary()
        entry_id = entry_data.get("id")
        existing = before.get(entry_id) if isinstance(entry_id, str) else None
        if existing is not None:
            raise GlossaryError(
                f"an entry with id {entry_id!r} already exists (line {existing.line})",
                self.path,
                existing.line,
            )
        node = _entry_node(entry_data)
        reader = _Reader(self.path)
        reader.locales = before.locales
        new = reader.entry(node, None)
        if reader.problems or new is None:
            _, message = reader.problems[0] if reader.problems else (None, "invalid entry")
            raise GlossaryError(f"cannot add entry: {message}", self.path)
        data = _parse_yaml(self.path, self.text)
        entries = data.get("entries") if isinstance(data, Mapping) else None
        if isinstance(entries, CommentedSeq) and len(entries) and not entries.fa.flow_style():
            text = self._splice(data, entries, node)
        else:
            text = self._redump(data, node)
        after = _Reader(self.path)
        result = after.glossary(_parse_yaml(self.path, text))
        if after.problems or result.entries[:-1] != before.entries or not result.entries:
            raise GlossaryError("internal error: the edited glossary did not read back", self.path)
        self.text = text
        return result.entries[-1]

    def _splice(self, data: CommentedMap, entries: CommentedSeq, node: CommentedMap) -> str:
        lines = self.text.splitlines(keepends=True)
        first = entries[0]
        dash_col = max(0, int(first.lc.col) - 2)
        keys = list(data.keys())
        position = keys.index("entries")
        if position + 1 < len(keys):
            insert_at = int(data.lc.key(keys[position + 1])[0])
            # keep the comment block that introduces the next key with that key
            while insert_at > 0 and lines[insert_at - 1].lstrip().startswith("#"):
                insert_at -= 1
            while insert_at > 0 and not lines[insert_at - 1].strip():
                insert_at -= 1
        else:
            # before a closing comment block written at the file's top level ("# end of entries")
            insert_at = len(lines)
            while insert_at > 0 and (
                not lines[insert_at - 1].strip() or lines[insert_at - 1].startswith("#")
            ):
                insert_at -= 1
        head = "".join(lines[:insert_at])
        tail = "".join(lines[insert_at:])
        if head and not head.endswith("\n"):
            head += "\n"
        last_line = int(entries.lc.item(len(entries) - 1)[0])
        spaced = last_line > 0 and not lines[last_line - 1].strip()
        rendered = _render_entry(node, dash_col)
        if spaced and tail and not tail.startswith("\n"):
            rendered += "\n"
        return head + ("\n" if spaced else "") + rendered + tail

    def _redump(self, data: Any, node: CommentedMap) -> str:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        if not isinstance(data, CommentedMap):
            data = CommentedMap()
        entries = CommentedSeq([node])
        data["entries"] = entries
        out = io.StringIO()
        _yaml().dump(data, out)
        return out.getvalue()

    def save(self) -> None:
        """Write atomically; ConcurrentEditError if the file changed since it was read."""
        from transflow.catalog import atomic_write

        data = self.text.encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, data, expected_digest=self.digest)
        self.digest = _digest(data)


def _flow(items: Sequence[Any]) -> CommentedSeq:
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _folded(text: str, width: int = 90) -> FoldedScalarString:
    """A ``>-`` block scalar folded at spaces, as maintainers write notes by hand."""
    from ruamel.yaml.scalarstring import FoldedScalarString

    words = " ".join(text.split())
    folded: FoldedScalarString = FoldedScalarString(words)
    positions, line_start = [], 0
    for lineno, line in enumerate(textwrap.wrap(words, width, break_long_words=False)):
        if lineno:
            positions.append(line_start - 1)  # the space where the previous line ended
        line_start += len(line) + 1
    setattr(folded, "fold_pos", positions)  # noqa: B010 (untyped ruamel attribute)
    return folded


def _entry_node(data: Mapping[str, Any]) -> CommentedMap:
    """The entry as ruamel nodes, keys in schema order, short lists in flow style."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    data = dict(data)
    if "keep_untranslated" in data and "keep-untranslated" not in data:
        data["keep-untranslated"] = data.pop("keep_untranslated")
    node = CommentedMap()
    for key in ENTRY_KEYS:
        if key in data:
            node[key] = data[key]
    for key in data:  # unknown keys stay, so validation names them
        if key not in node:
            node[key] = data[key]
    note = node.get("note")
    if isinstance(note, str) and (len(note) > 60 or "\n" in note):
        node["note"] = _folded(note)
    variants = node.get("variants")
    if isinstance(variants, list):
        seq = CommentedSeq()
        for v in variants:
            if isinstance(v, Mapping):
                m = CommentedMap(v)
                m.fa.set_flow_style()
                seq.append(m)
            else:
                seq.append(v)
        node["variants"] = seq
    for key in ("references", "unverified"):
        if isinstance(node.get(key), list) and (key == "unverified" or not node[key]):
            node[key] = _flow(node[key])
    locales = node.get("locales")
    if isinstance(locales, Mapping):
        out = CommentedMap()
        for code, forms in locales.items():
            if isinstance(forms, Mapping):
                lf = CommentedMap()
                for key in LOCALE_KEYS:
                    if key in forms:
                        value = forms[key]
                        lf[key] = _flow(value) if isinstance(value, list) else value
                for key in forms:
                    if key not in lf:
                        lf[key] = forms[key]
                out[code] = lf
            else:
                out[code] = forms
        node["locales"] = out
    return node


def _render_entry(node: CommentedMap, dash_col: int) -> str:
    from ruamel.yaml.comments import CommentedSeq

    yaml = _yaml()
    yaml.indent(mapping=2, sequence=dash_col + 2, offset=dash_col)
    out = io.StringIO()
    yaml.dump(CommentedSeq([node]), out)
    return out.getvalue()


def add_entry(path: Path | str, entry_data: Mapping[str, Any]) -> None:
    """Append an entry to the glossary file, keeping every comment and every other byte.

    Refuses a duplicate id or an invalid entry (GlossaryError) and a file that
    changed while it was being edited (ConcurrentEditError).
    """
    file = GlossaryFile.read(path)
    file.add_entry(entry_data)
    file.save()
