"""Running the glossary and prose checks over a whole project, fast enough to run on every save.

``transflow check`` and ``transflow coverage`` both need, for every catalog,
the units' states and source words and the QA findings. This module computes
them once and keeps them in a derived-data cache in ``project.cache_dir``:

* source-side glossary checks run once per source unit (from the ``.pot``
  template, else the first locale's catalog), with ``locale`` None;
* per catalog: states and words per unit, the target-side glossary checks and
  the unit-scope prose checks (``transflow.qa``), keyed on the catalog's
  content hash;
* per locale: the project-scope prose checks (consistency across documents),
  keyed on the hashes of all of that locale's catalogs.

Everything is also keyed on the glossary's content, the ``[tool.transflow.qa]``
settings and the source code of the checks, so a cached result is never used
when anything it was computed from changed. Catalogs are read with the fast
reader in ``transflow.poread``. The cache is one JSON file, written atomically;
a corrupt or foreign cache is ignored and rebuilt.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from transflow.catalog import atomic_write
from transflow.config import Project
from transflow.coverage import StateCounts, word_count
from transflow.errors import CatalogError
from transflow.finding import Finding, Severity
from transflow.poread import PoEntry, read_po_bytes
from transflow.unit import State

__all__ = [
    "CACHE_FILE",
    "GLOSSARY_CHECKS",
    "ProjectResult",
    "entry_state",
    "glossary_checks",
    "run_project",
]

CACHE_FILE = "checks-v1.json"
CACHE_FORMAT = 1


def entry_state(entry: PoEntry) -> State:
    """The review state of an entry (as ``catalog.state_of`` reads a polib entry)."""
    if not entry.msgstr.strip():
        return State.NEW
    flags = entry.flags
    if "fuzzy" in flags:
        if "machine" in flags:
            return State.MACHINE
        if "memory" in flags:
            return State.MEMORY
        return State.NEEDS_REVIEW
    if "reviewed" in flags:
        return State.REVIEWED
    return State.TRANSLATED


def _note(comment: str, key: str) -> str:
    prefix = key + ":"
    for line in comment.split("\n"):
        if line.startswith(prefix):
            return line[len(prefix) :].strip()
    return ""


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


class _MemoGlossary:
    """The glossary with its English-side matching memoised for one run.

    The source-side check (``match``) and the target-side check of every locale
    (``terms_in``) look up the same English sentences; each is matched once.
    """

    def __init__(self, glossary: Any) -> None:
        self._glossary = glossary
        self._matches: dict[str, Any] = {}

    def match(self, text: str) -> Any:
        found = self._matches.get(text)
        if found is None:
            found = self._matches[text] = self._glossary.match(text)
        return found

    def terms_in(self, text: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.entry_id for m in self.match(text)))

    def __getitem__(self, entry_id: str) -> Any:
        return self._glossary[entry_id]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._glossary, name)


# -- results ------------------------------------------------------------------------------


# A finding with where it is: (unit position in its catalog, finding, excerpt of the
# text it is about, offset of the excerpt in that text) — the excerpt lets the human
# output highlight ``Finding.span`` without reading the catalog again.
_Item = tuple[int, Finding, str, int]
_CONTEXT = 40


def _item(pos: int, finding: Finding, text: str) -> _Item:
    if finding.span is None:
        return (pos, finding, text[: 2 * _CONTEXT], 0)
    start = max(0, finding.span[0] - _CONTEXT)
    end = min(len(text), finding.span[1] + _CONTEXT)
    return (pos, finding, text[start:end], start)


@dataclass
class _Cell:
    """What is known about one catalog (or one document's source, with locale None)."""

    sha: str
    counts: StateCounts
    findings: list[_Item]  # (unit position, finding, excerpt, excerpt offset)
    entries: list[PoEntry] | None = None  # parsed units, only when read in this run


@dataclass
class ProjectResult:
    """Findings and counts for the requested documents and locales."""

    docs: list[str]
    locales: tuple[str, ...]
    findings: list[Finding]
    excerpts: list[tuple[str, int]]  # per finding: excerpt of its text, offset of the excerpt
    counts: dict[tuple[str, str], StateCounts] = field(default_factory=dict)
    read: int = 0  # catalogs parsed in this run (0 on a fully warm run)
    _errors: dict[tuple[str, str | None], int] | None = field(default=None, repr=False)

    def errors(self, doc: str, locale: str | None) -> int:
        """Unsuppressed error findings in one document and locale."""
        if self._errors is None:
            self._errors = {}
            for f in self.blocking():
                key = (f.doc, f.locale)
                self._errors[key] = self._errors.get(key, 0) + 1
        return self._errors.get((doc, locale), 0)

    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.severity >= Severity.ERROR and not f.suppressed]


def _dump_finding(item: _Item) -> list[Any]:
    pos, f, excerpt, offset = item
    return [
        pos,
        f.unit,
        f.check,
        int(f.severity),
        f.message,
        f.term,
        list(f.expected),
        list(f.span) if f.span else None,
        f.suppressed,
        f.doc,
        excerpt,
        offset,
    ]


def _load_finding(data: list[Any], locale: str | None) -> _Item:
    pos, unit, check, severity, message, term, expected, span, suppressed, doc, excerpt, off = data
    finding = Finding(
        unit=unit,
        doc=doc,
        locale=locale,
        check=check,
        severity=Severity(severity),
        message=message,
        term=term,
        expected=tuple(expected),
        span=(int(span[0]), int(span[1])) if span else None,
        suppressed=suppressed,
    )
    return int(pos), finding, str(excerpt), int(off)


def _code_digest() -> str:
    """A hash of the checks' source code, so an upgraded transflow never reuses old results."""
    import transflow
    import transflow.qa

    digest = hashlib.sha256(transflow.__version__.encode())
    files = sorted(Path(transflow.qa.__file__).parent.glob("*.py"))
    here = Path(__file__).parent
    files += [here / name for name in ("glossary.py", "checking.py", "coverage.py", "poread.py")]
    for path in files:
        with contextlib.suppress(OSError):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


class _Cache:
    """The JSON cache file: loaded once, updated in memory, written once if it changed."""

    def __init__(self, path: Path, key: str) -> None:
        self.path = path
        self.key = key
        self.changed = False
        self.data: dict[str, Any] = {"format": CACHE_FORMAT, "key": key, "cells": {}, "project": {}}
        try:
            loaded = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return
        if (
            isinstance(loaded, dict)
            and loaded.get("format") == CACHE_FORMAT
            and loaded.get("key") == key
            and isinstance(loaded.get("cells"), dict)
            and isinstance(loaded.get("project"), dict)
        ):
            self.data = loaded

    def cell(self, name: str, sha: str, locale: str | None) -> _Cell | None:
        raw = self.data["cells"].get(name)
        if not isinstance(raw, dict) or raw.get("sha") != sha:
            return None
        try:
            counts = StateCounts(list(raw["units"]), list(raw["words"]))
            findings = [_load_finding(item, locale) for item in raw["findings"]]
        except (KeyError, TypeError, ValueError):
            return None
        return _Cell(sha, counts, findings)

    def put_cell(self, name: str, cell: _Cell) -> None:
        self.data["cells"][name] = {
            "sha": cell.sha,
            "units": cell.counts.units,
            "words": cell.counts.words,
            "findings": [_dump_finding(item) for item in cell.findings],
        }
        self.changed = True

    def project(self, locale: str, key: str) -> list[_Item] | None:
        raw = self.data["project"].get(locale)
        if not isinstance(raw, dict) or raw.get("key") != key:
            return None
        try:
            return [_load_finding(item, locale) for item in raw["findings"]]
        except (KeyError, TypeError, ValueError):
            return None

    def put_project(self, locale: str, key: str, findings: list[_Item]) -> None:
        self.data["project"][locale] = {
            "key": key,
            "findings": [_dump_finding(item) for item in findings],
        }
        self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, json.dumps(self.data, ensure_ascii=False).encode("utf-8"))


class _Runner:
    """One run: the project, its settings, and everything loaded lazily."""

    def __init__(self, project: Project, use_cache: bool) -> None:
        from transflow.qa import CHECKS, QAConfig, QAUnit

        self._QAUnit = QAUnit

        self.project = project
        self.glossary_module = _glossary_module()
        names = [name for name, _, _ in glossary_checks()]
        settings_path = project.root / "pyproject.toml"
        self.config = QAConfig.from_settings(
            project.tool("qa"), extra_checks=names, path=settings_path
        )
        self.glossary_names = frozenset(names)
        project_names = {n for n, c in CHECKS.items() if c.scope == "project"}
        unit_names = set(CHECKS) - project_names
        self.unit_config = dataclasses.replace(
            self.config, disable=self.config.disable | project_names
        )
        self.project_config = dataclasses.replace(
            self.config, disable=self.config.disable | unit_names
        )
        self.has_project_checks = bool(project_names - self.config.disable)
        glossary_path = project.glossary_path
        self.glossary_bytes: bytes | None = None
        if self.glossary_module is not None:
            with contextlib.suppress(FileNotFoundError):
                self.glossary_bytes = glossary_path.read_bytes()
        self._glossary: Any = None
        self._keep: dict[str, tuple[str, ...]] | None = None
        key = hashlib.sha256()
        key.update(_code_digest().encode())
        key.update(json.dumps(project.tool("qa"), sort_keys=True, default=str).encode())
        key.update(hashlib.sha256(self.glossary_bytes or b"-").digest())
        self.cache = _Cache(project.cache_dir / CACHE_FILE, key.hexdigest())
        if not use_cache:
            self.cache.data["cells"] = {}
            self.cache.data["project"] = {}
        self.read = 0
        self._parsed: dict[str, list[PoEntry]] = {}  # content hash → live entries, this run

    # -- glossary -----------------------------------------------------------------
    @property
    def glossary(self) -> Any:
        if self._glossary is None and self.glossary_bytes is not None:
            assert self.glossary_module is not None
            loaded = self.glossary_module.load_glossary(self.project.glossary_path)
            self._glossary = _MemoGlossary(loaded)
        return self._glossary

    def keep_terms(self, comment: str) -> tuple[str, ...]:
        if self.glossary is None:
            return ()
        if self._keep is None:
            self._keep = _keep_untranslated(self.glossary)
        if not self._keep:
            return ()
        ids = _note(comment, "terms")
        if not ids:
            return ()
        out: list[str] = []
        for term in ids.split(","):
            out.extend(self._keep.get(term.strip(), ()))
        return tuple(out)

    def _glossary_findings(self, findings: Iterable[Finding], tcomment: str) -> list[Finding]:
        from transflow.qa import parse_suppressions, suppress

        ignored = parse_suppressions(tcomment) if tcomment else {}
        out = []
        for f in findings:
            severity = self.config.severity.get(f.check)
            if severity is not None and severity != f.severity:
                f = dataclasses.replace(f, severity=severity)
            if self.config.disable and f.check in self.config.disable:
                continue
            out.append(suppress(f, ignored) if ignored else f)
        return out

    # -- reading ------------------------------------------------------------------
    def _read(self, path: Path) -> tuple[bytes, str]:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise CatalogError("no such catalog; run `transflow segment` first", path) from None
        return data, hashlib.sha256(data).hexdigest()

    def _units(self, data: bytes, path: Path) -> list[PoEntry]:
        key = hashlib.sha256(data).hexdigest()
        parsed = self._parsed.get(key)
        if parsed is None:
            self.read += 1
            shown = Path(self.project.relative(path))
            entries = read_po_bytes(data, shown)
            parsed = self._parsed[key] = [e for e in entries if not e.obsolete and not e.is_header]
        return parsed

    # -- cells --------------------------------------------------------------------
    def source_cell(self, doc: str) -> _Cell | None:
        """Source-side glossary findings for one document (None: no glossary checks)."""
        if self.glossary_bytes is None:
            return None
        path = self.project.template_path(doc)
        if not path.exists():
            path = self.project.catalog_path(self.project.locales[0], doc)
        data, sha = self._read(path)
        name = f"source/{doc}"
        cell = self.cache.cell(name, sha, None)
        if cell is not None:
            return cell
        assert self.glossary_module is not None
        check_source = self.glossary_module.check_source
        entries = self._units(data, path)
        findings: list[_Item] = []
        for pos, entry in enumerate(entries):
            unit_id = entry.msgctxt or ""
            for f in self._glossary_findings(
                check_source(self.glossary, unit_id, doc, entry.msgid), ""
            ):
                findings.append(_item(pos, f, entry.msgid))
        cell = _Cell(sha, StateCounts(), findings)
        self.cache.put_cell(name, cell)
        return cell

    def catalog_cell(self, doc: str, locale: str) -> _Cell:
        path = self.project.catalog_path(locale, doc)
        data, sha = self._read(path)
        name = f"{locale}/{doc}"
        cell = self.cache.cell(name, sha, locale)
        if cell is not None:
            return cell
        from transflow.qa import QAUnit, run_checks

        entries = self._units(data, path)
        counts = StateCounts()
        qa_units: list[QAUnit] = []
        glossary = self.glossary
        module = self.glossary_module
        check_target = module.check_target if glossary is not None and module else None
        findings: list[_Item] = []
        positions: dict[str, int] = {}
        for pos, entry in enumerate(entries):
            state = entry_state(entry)
            words = word_count(entry.msgid)
            if entry.msgid_plural:
                words += word_count(entry.msgid_plural)
            counts.add(state, words)
            unit_id = entry.msgctxt or ""
            positions[unit_id] = pos
            qa_units.append(self._qa_unit(entry, doc, locale, state))
            if check_target is not None and entry.msgstr.strip():
                raw = check_target(glossary, unit_id, doc, locale, entry.msgid, entry.msgstr)
                for f in self._glossary_findings(raw, entry.tcomment):
                    findings.append(_item(pos, f, entry.msgstr))
        for f in run_checks(qa_units, self.unit_config):
            pos = positions.get(f.unit, 0)
            findings.append(_item(pos, f, entries[pos].msgstr if entries else ""))
        findings.sort(key=lambda pair: pair[0])
        cell = _Cell(sha, counts, findings, entries)
        self.cache.put_cell(name, cell)
        return cell

    def _qa_unit(self, entry: PoEntry, doc: str, locale: str, state: State) -> Any:
        return self._QAUnit(
            unit_id=entry.msgctxt or "",
            doc=doc,
            locale=locale,
            source=entry.msgid,
            target=entry.msgstr,
            state=state,
            flags=entry.flags,
            translator_comments=entry.tcomment,
            keep_untranslated_terms=self.keep_terms(entry.comment) if self._keep != {} else (),
            kind=_note(entry.comment, "kind") if entry.comment else "",
        )

    def project_findings(
        self, locale: str, docs: Sequence[str], cells: dict[str, _Cell]
    ) -> list[_Item]:
        """Project-scope checks over every document of ``locale``."""
        if not self.has_project_checks:
            return []
        key = hashlib.sha256(
            "\n".join(f"{doc}\t{cells[doc].sha}" for doc in docs).encode()
        ).hexdigest()
        cached = self.cache.project(locale, key)
        if cached is not None:
            return cached
        from transflow.qa import run_checks

        units: list[Any] = []
        where: list[int] = []
        for doc in docs:
            cell = cells[doc]
            entries = cell.entries
            if entries is None:
                path = self.project.catalog_path(locale, doc)
                data, _ = self._read(path)
                entries = self._units(data, path)
            for pos, entry in enumerate(entries):
                units.append(self._qa_unit(entry, doc, locale, entry_state(entry)))
                where.append(pos)
        index = {(u.doc, u.unit_id): i for i, u in enumerate(units)}
        found: list[_Item] = []
        for f in run_checks(units, self.project_config):
            i = index.get((f.doc, f.unit), 0)
            found.append(_item(where[i], f, units[i].target))
        self.cache.put_project(locale, key, found)
        return found


def run_project(
    project: Project,
    locales: Sequence[str] | None = None,
    docs: Sequence[str] | None = None,
    *,
    use_cache: bool = True,
) -> ProjectResult:
    """Findings and per-catalog counts for ``docs`` × ``locales`` (default: all), cached.

    Source-side glossary findings come first for each document (``locale``
    None), then each locale's, in unit order. Consistency checks always compare
    all documents of a locale; ``docs`` only selects what is reported.
    """
    all_docs = project.docs()
    wanted_docs = list(docs) if docs is not None else all_docs
    wanted_locales = tuple(locales) if locales else project.locales
    runner = _Runner(project, use_cache)
    by_doc: dict[tuple[str, str | None], list[_Item]] = {}
    counts: dict[tuple[str, str], StateCounts] = {}
    for doc in wanted_docs:
        source = runner.source_cell(doc)
        by_doc[(doc, None)] = list(source.findings) if source else []
    for locale in wanted_locales:
        cells = {doc: runner.catalog_cell(doc, locale) for doc in all_docs}
        for doc in wanted_docs:
            by_doc[(doc, locale)] = list(cells[doc].findings)
            counts[(doc, locale)] = cells[doc].counts
        for item in runner.project_findings(locale, all_docs, cells):
            if (item[1].doc, locale) in by_doc:
                by_doc[(item[1].doc, locale)].append(item)
    runner.cache.save()
    findings: list[Finding] = []
    excerpts: list[tuple[str, int]] = []
    for doc in wanted_docs:
        for where in (None, *wanted_locales):
            group = by_doc.get((doc, where), [])
            group.sort(key=lambda item: item[0])  # stable: unit order, then check order
            for _, f, excerpt, offset in group:
                findings.append(f)
                excerpts.append((excerpt, offset))
    return ProjectResult(wanted_docs, wanted_locales, findings, excerpts, counts, runner.read)
