"""Running the glossary and prose checks over a whole project, fast enough to run on every save.

``transflow check`` and ``transflow coverage`` both need, for every catalog,
the units' states and source words and the QA findings. This module computes
them once and keeps them in a derived-data cache in ``project.cache_dir``:

* source-side glossary checks run once per source unit (from the ``.pot``
  template, else the first locale's catalog), with ``locale`` None;
* per catalog: states and words per unit, the target-side glossary checks and
  the unit-scope prose checks (``transflow.qa``), keyed on the sha256 of the
  catalog's bytes — never on its name, size or modification time;
* per locale: the project-scope prose checks (consistency across documents),
  keyed on the hashes of all of that locale's catalogs.

Everything is also keyed on the glossary's content, the ``[tool.transflow.qa]``
settings, the Python version and the source code of the checks, so a cached
result is never used when anything it was computed from changed. The cache is
one ``marshal`` file of plain tuples (loading it is a few milliseconds, where
JSON took a tenth of a second), written atomically; a corrupt or foreign cache
is ignored and rebuilt. A warm run therefore reads and hashes the catalogs,
loads the cache, and imports neither the checks nor the glossary.

On a cold run the catalogs to compute are split in two halves by size and the
second half is computed in a forked child process (where ``os.fork`` exists and
there is more than one CPU), which sends its results back through a pipe; if
the child fails for any reason the parent computes that half itself, so errors
(a malformed catalog) are reported exactly as in a sequential run. Catalogs
are read with the fast reader in ``transflow.poread``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import marshal
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from transflow.config import Project
from transflow.coverage import StateCounts, word_count
from transflow.errors import CatalogError
from transflow.finding import Finding, Severity
from transflow.gcpause import paused_gc
from transflow.notes import note
from transflow.unit import _PUNCTUATION_ONLY, State, review_state

if TYPE_CHECKING:
    from transflow.poread import PoEntry

__all__ = [
    "CACHE_FILE",
    "GLOSSARY_CHECKS",
    "ProjectResult",
    "entry_state",
    "finding_json",
    "glossary_checks",
    "run_project",
]

CACHE_FILE = "checks-v2.marshal"
CACHE_FORMAT = 3


def entry_state(entry: PoEntry) -> State:
    """The review state of an entry (as ``catalog.state_of`` reads a polib entry)."""
    return review_state(entry.msgid, entry.msgstr, entry.flags, entry.tcomment)


def _word_count(text: str) -> int:
    """``word_count``, with its common case inlined: no markup and no dot inside the text.

    ``word_count`` replaces a dot between two non-digits ("x.y") by a space; a
    dot can only be such a dot if it has a character on either side, so a text
    with no "<" and no dot but at its ends is counted without that regex pass.
    """
    if "<" in text or text.find(".", 1, len(text) - 1) != -1:
        return word_count(text)
    return len(text.split()) - len(_PUNCTUATION_ONLY.findall(text))


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

# A finding as it is cached and sent between processes: plain values only —
# (unit position in its catalog, unit id, check, severity, message, term, expected,
# span, suppressed, document, excerpt of the text it is about, offset of the excerpt
# in that text). The excerpt lets the human output highlight ``span`` without reading
# the catalog again; the locale is known from where the finding is kept. Typed
# ``tuple[Any, ...]`` below.
_CONTEXT = 40
_SEVERITIES: tuple[Severity, ...] = tuple(sorted(Severity))
_LABELS: tuple[str, ...] = tuple(s.label for s in _SEVERITIES)
_STATES: tuple[State, ...] = tuple(sorted(State))
# A unit as the project-scope checks first need it: the hashes of its consistency key
# (``transflow.qa.consistency.consistency_key``), or None; the units are read again only
# if they can take part in a finding. (A forked child inherits the parent's str hashes.)
_UnitRow = tuple[int, int] | None


def _raw(pos: int, f: Finding, text: str) -> tuple[Any, ...]:
    if f.span is None:
        excerpt, offset = text[: 2 * _CONTEXT], 0
    else:
        offset = max(0, f.span[0] - _CONTEXT)
        excerpt = text[offset : min(len(text), f.span[1] + _CONTEXT)]
    span = (int(f.span[0]), int(f.span[1])) if f.span else None
    return (
        pos,
        f.unit,
        f.check,
        int(f.severity),
        f.message,
        f.term,
        tuple(f.expected),
        span,
        f.suppressed,
        f.doc,
        excerpt,
        offset,
    )


def _finding(raw: Sequence[Any], locale: str | None) -> Finding:
    span = raw[7]
    return Finding(
        raw[1],
        raw[9],
        locale,
        raw[2],
        _SEVERITIES[raw[3]],
        raw[4],
        raw[5],
        tuple(raw[6]),
        (span[0], span[1]) if span else None,
        raw[8],
    )


def finding_json(raw: Sequence[Any], locale: str | None) -> dict[str, Any]:
    """``Finding.to_json()`` of a cached finding, without building the ``Finding``."""
    span = raw[7]
    return {
        "unit": raw[1],
        "doc": raw[9],
        "locale": locale,
        "check": raw[2],
        "severity": _LABELS[raw[3]],
        "message": raw[4],
        "term": raw[5],
        "expected": list(raw[6]),
        "span": list(span) if span else None,
        "suppressed": raw[8],
    }


@dataclass
class _Cell:
    """What is known about one catalog (or one document's source): counts and findings."""

    sha: str
    units: list[int] | None
    words: list[int] | None
    findings: list[tuple[Any, ...]]
    complete: bool = True  # False: only the checks that can report errors ran (coverage)

    @property
    def counts(self) -> StateCounts:
        zero = [0] * len(_STATES)
        return StateCounts(list(self.units or zero), list(self.words or zero))


@dataclass
class ProjectResult:
    """Findings and counts for the requested documents and locales.

    ``items`` are the findings in report order as (cached finding, locale);
    ``findings`` and ``excerpts`` build the ``Finding`` objects on first use, so a
    caller that only needs counts or JSON never pays for them.
    """

    docs: list[str]
    locales: tuple[str, ...]
    items: list[tuple[tuple[Any, ...], str | None]]
    counts: dict[tuple[str, str], StateCounts] = field(default_factory=dict)
    read: int = 0  # catalogs parsed in this run (0 on a fully warm run)
    _findings: list[Finding] | None = field(default=None, repr=False)
    _errors: dict[tuple[str, str | None], int] | None = field(default=None, repr=False)

    @property
    def findings(self) -> list[Finding]:
        if self._findings is None:
            self._findings = [_finding(raw, locale) for raw, locale in self.items]
        return self._findings

    @property
    def excerpts(self) -> list[tuple[str, int]]:
        """Per finding: excerpt of its text, offset of the excerpt."""
        return [(raw[10], raw[11]) for raw, _ in self.items]

    def errors(self, doc: str, locale: str | None) -> int:
        """Unsuppressed error findings in one document and locale."""
        if self._errors is None:
            self._errors = {}
            for raw, where in self.items:
                if raw[3] >= Severity.ERROR and not raw[8]:
                    key = (raw[9], where)
                    self._errors[key] = self._errors.get(key, 0) + 1
        return self._errors.get((doc, locale), 0)

    def blocking_count(self) -> int:
        """Unsuppressed error findings in total (what fails the gate)."""
        return sum(1 for raw, _ in self.items if raw[3] >= Severity.ERROR and not raw[8])

    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.severity >= Severity.ERROR and not f.suppressed]


def _code_digest() -> str:
    """A hash of the checks' source code, so an upgraded transflow never reuses old results."""
    import transflow

    digest = hashlib.sha256(transflow.__version__.encode())
    digest.update(sys.version.encode())  # the marshal format and str methods
    here = Path(__file__).parent
    files = sorted((here / "qa").glob("*.py")) + sorted((here / "glossary").glob("*.py"))
    names = ["glossary_match.py", "checking.py", "coverage.py", "poread.py"]
    names += ["notes.py", "approval.py"]
    files += [here / name for name in (*names, "finding.py", "unit.py")]
    for path in files:
        digest.update(path.name.encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"-")
    return digest.hexdigest()


class _Cache:
    """The marshal cache file: loaded once, updated in memory, written once if it changed."""

    def __init__(self, path: Path, key: str, load: bool) -> None:
        self.path = path
        self.key = key
        self.changed = False
        self.cells: dict[str, Any] = {}
        self.project: dict[str, Any] = {}
        if not load:
            return
        try:
            loaded = marshal.loads(path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return
        if (
            isinstance(loaded, tuple)
            and len(loaded) == 4
            and loaded[0] == CACHE_FORMAT
            and loaded[1] == key
            and isinstance(loaded[2], dict)
            and isinstance(loaded[3], dict)
        ):
            self.cells, self.project = loaded[2], loaded[3]

    def cell(self, name: str, sha: str, complete: bool = True) -> _Cell | None:
        """The cached cell of ``name`` if its content is ``sha`` (and it is complete if asked)."""
        raw = self.cells.get(name)
        if not isinstance(raw, tuple) or len(raw) != 5 or raw[0] != sha:
            return None
        _, units, words, findings, done = raw
        if not isinstance(findings, list) or not (units is None or isinstance(units, list)):
            return None
        if complete and not done:
            return None
        return _Cell(sha, units, words, findings, bool(done))

    def put_cell(self, name: str, cell: _Cell) -> None:
        self.cells[name] = (cell.sha, cell.units, cell.words, cell.findings, cell.complete)
        self.changed = True

    def project_findings(self, locale: str, key: str) -> list[tuple[Any, ...]] | None:
        raw = self.project.get(locale)
        if not isinstance(raw, tuple) or len(raw) != 2 or raw[0] != key:
            return None
        return raw[1] if isinstance(raw[1], list) else None

    def put_project(self, locale: str, key: str, findings: list[tuple[Any, ...]]) -> None:
        self.project[locale] = (key, findings)
        self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        from transflow.catalog import atomic_write

        with contextlib.suppress(OSError, ValueError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            data = marshal.dumps((CACHE_FORMAT, self.key, self.cells, self.project))
            atomic_write(self.path, data)
            with contextlib.suppress(OSError):  # the JSON cache of earlier versions
                (self.path.parent / "checks-v1.json").unlink()


# A cell to compute: (cache name, "source" or "catalog", doc, locale, path, bytes, sha256,
# run the checks, return the units for the project-scope checks).
_Job = tuple[str, str, str, str | None, str, bytes, str, bool, bool]
# What computing a job gives: (cache name, sha256, units per state, words per state,
# findings, units for the project-scope checks); None where the job did not ask for it.
_Result = tuple[Any, ...]

# Fork a second process only when there is enough work to pay for it.
_PARALLEL_MIN_BYTES = 1 << 20
# The child's share of the work: the parent also merges the results afterwards.
_CHILD_SHARE = 0.5


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
        self.cache = _Cache(project.cache_dir / CACHE_FILE, key.hexdigest(), use_cache)
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

    def _units(self, data: bytes, sha: str, path: str, count: bool = True) -> list[PoEntry]:
        parsed = self._parsed.get(sha)
        if parsed is None:
            from transflow.poread import read_po_bytes

            self.read += count
            shown = Path(self.project.relative(Path(path)))
            entries = read_po_bytes(data, shown)
            # Jobs come file by file (a source and its catalog together): keep one file.
            self._parsed.clear()
            parsed = self._parsed[sha] = [e for e in entries if not e.obsolete and not e.is_header]
        return parsed

    # -- computing ------------------------------------------------------------------
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
        """Compute ``jobs`` in this process (with the cyclic garbage collector paused)."""
        self.setup()
        with paused_gc():
            return [self._compute(job) for job in jobs]

    def _compute(self, job: _Job) -> _Result:
        name, kind, doc, locale, path, data, sha, checks, want_units = job
        entries = self._units(data, sha, path)
        if kind == "source":
            return (name, sha, None, None, self._source_findings(doc, entries), None)
        assert locale is not None
        return self._catalog(name, sha, doc, locale, entries, checks, want_units)

    def _source_findings(self, doc: str, entries: list[PoEntry]) -> list[tuple[Any, ...]]:
        assert self.glossary_module is not None
        check_source = self.glossary_module.check_source
        glossary = self._glossary
        findings: list[tuple[Any, ...]] = []
        for pos, entry in enumerate(entries):
            raw = check_source(glossary, entry.msgctxt or "", doc, entry.msgid)
            if raw:
                for f in self._glossary_findings(raw, ""):
                    findings.append(_raw(pos, f, entry.msgid))
        return findings

    def _catalog(
        self,
        name: str,
        sha: str,
        doc: str,
        locale: str,
        entries: list[PoEntry],
        checks: bool,
        want_units: bool,
    ) -> _Result:
        from transflow.qa import run_checks
        from transflow.qa.consistency import consistency_key

        units = [0] * len(_STATES)
        words = [0] * len(_STATES)
        rows: list[_UnitRow] = []
        qa_units: list[Any] = []
        findings: list[tuple[Any, ...]] = []
        positions: dict[str, int] = {}
        glossary = self._glossary
        module = self.glossary_module
        check_target = module.check_target if glossary is not None and module else None
        make_unit = self._QAUnit
        notes = self._comment_notes
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
            positions[unit_id] = pos
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
            if check_target is not None and entry.msgstr.strip():
                raw = check_target(glossary, unit_id, doc, locale, entry.msgid, entry.msgstr, kind)
                if raw:
                    for f in self._glossary_findings(raw, entry.tcomment):
                        findings.append(_raw(pos, f, entry.msgstr))
        if not checks:
            return (name, sha, None, None, None, rows)
        for f in run_checks(qa_units, self.unit_config):
            pos = positions.get(f.unit, 0)
            findings.append(_raw(pos, f, entries[pos].msgstr if entries else ""))
        findings.sort(key=lambda item: item[0])
        return (name, sha, units, words, findings, rows if want_units else None)

    def compute_all(self, jobs: list[_Job]) -> list[_Result]:
        """``compute``, the second half of the work in a forked child when that pays."""
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
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return self.compute(jobs)
        if pid == 0:  # the child: compute its half, send it, and leave without cleanup
            code = 1
            try:
                os.close(read_end)
                payload = marshal.dumps((self.compute(theirs), self.read - read_before))
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
            self.read += int(read)
            results.extend(child)
        except (ValueError, EOFError, TypeError):
            results.extend(self.compute(theirs))  # reproduces the child's error, if any
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
        ``files`` the (path, bytes, sha256) of each catalog (``locale/doc``), as
        they were read for this run. Only the units that can take part in a
        finding are read again from those bytes and checked.
        """
        if not self.has_project_checks:
            return []
        from transflow.qa import CHECKS, run_checks
        from transflow.qa.consistency import CONSISTENCY_CHECKS, shared_keys

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
        where: list[int] = []
        entries: list[PoEntry] = []
        current = None
        for doc, pos in places:
            if doc != current:
                current = doc
                path, data, sha = files[f"{locale}/{doc}"]
                entries = self._units(data, sha, path, count=False)  # parsed before
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
            where.append(pos)
        index = {(u.doc, u.unit_id): i for i, u in enumerate(units)}
        found: list[tuple[Any, ...]] = []
        for f in run_checks(units, self.project_config):
            i = index.get((f.doc, f.unit), 0)
            found.append(_raw(where[i], f, units[i].target))
        return found


class _Layout:
    """Catalog and template paths as strings, as ``Project`` names them, without pathlib.

    Building a ``Path`` per file costs more than reading a small catalog; the
    string form is checked against ``Project.catalog_path`` and
    ``Project.template_path`` once, and those are used if they ever differ.
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

    def catalog(self, locale: str, doc: str) -> str:
        if self.fast:
            return os.path.join(self.dir, locale, doc + ".po")
        return os.fspath(self.project.catalog_path(locale, doc))

    def template(self, doc: str) -> str:
        if self.fast:
            return os.path.join(self.dir, doc + ".pot")
        return os.fspath(self.project.template_path(doc))


def run_project(
    project: Project,
    locales: Sequence[str] | None = None,
    docs: Sequence[str] | None = None,
    *,
    use_cache: bool = True,
    errors_only: bool = False,
) -> ProjectResult:
    """Findings and per-catalog counts for ``docs`` × ``locales`` (default: all), cached.

    Source-side glossary findings come first for each document (``locale``
    None), then each locale's, in unit order. Consistency checks always compare
    all documents of a locale; ``docs`` only selects what is reported.

    ``errors_only`` (what ``coverage`` asks for: it counts open errors) runs only
    the checks that can report an error as configured, so the result may lack
    warnings and infos; cached results of a full run are used as they are, and
    the partial results cached by such a run are never taken for a full one.
    """
    with paused_gc():
        return _run_project(project, locales, docs, use_cache, errors_only)


def _run_project(
    project: Project,
    locales: Sequence[str] | None,
    docs: Sequence[str] | None,
    use_cache: bool,
    errors_only: bool = False,
) -> ProjectResult:
    all_docs = project.docs()
    wanted_docs = list(docs) if docs is not None else all_docs
    wanted_locales = tuple(locales) if locales else project.locales
    runner = _Runner(project, use_cache, errors_only)
    complete = not errors_only

    def slot(locale: str) -> str:
        """Where a locale's project-scope findings are cached (a partial run's apart)."""
        return locale if complete else f"{locale}\terrors-only"

    cache = runner.cache
    cells: dict[str, _Cell] = {}
    todo: dict[str, tuple[str, str, str | None, str, bool]] = {}  # name → what to compute
    layout = _Layout(project, all_docs)
    # Sources: glossary checks of the English text (from the template, else a catalog).
    source_names: dict[str, str] = {}
    if runner.glossary_bytes is not None:
        for doc in wanted_docs:
            path = layout.template(doc)
            if not os.path.exists(path):
                path = layout.catalog(project.locales[0], doc)
            name = source_names[doc] = f"source/{doc}"
            _, sha = runner.read_file(path)
            cell = cache.cell(name, sha, complete)
            if cell is None:
                todo[name] = ("source", doc, None, path, True)
            else:
                cells[name] = cell
    if errors_only and any(name.startswith("source/") for name in todo):
        runner.setup()
        if not runner.source_checks:  # no source-side check can report an error
            for name in source_names.values():
                if name in todo:
                    _, sha = runner.read_file(todo.pop(name)[3])
                    cells[name] = _Cell(sha, None, None, [], False)
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
                todo[name] = ("catalog", doc, locale, path, True)
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
                kind, _, _, path, _ = todo[name]
                data, sha = runner.read_file(path)
                jobs.append((name, kind, doc, where_locale, path, data, sha, True, wants))
            elif wants and where_locale is not None:
                path = layout.catalog(where_locale, doc)
                data, sha = runner.read_file(path)
                jobs.append((name, "catalog", doc, where_locale, path, data, sha, False, True))
    runner._files.clear()
    # What the project-scope checks may need to read again: the very bytes hashed above.
    files = {job[0]: (job[4], job[5], job[6]) for job in jobs if job[8]}
    rows: dict[str, dict[str, list[_UnitRow]]] = {locale: {} for locale in need_units}
    if jobs:
        for name, sha, units, words, findings, unit_rows in runner.compute_all(jobs):
            if findings is not None:
                cell = cells[name] = _Cell(sha, units, words, findings, not errors_only)
                cache.put_cell(name, cell)
            if unit_rows is not None:
                row_locale, row_doc = name.split("/", 1)
                rows[row_locale][row_doc] = unit_rows
    by_doc: dict[tuple[str, str | None], list[tuple[Any, ...]]] = {}
    counts: dict[tuple[str, str], StateCounts] = {}
    for doc in wanted_docs:
        source_name = source_names.get(doc)
        by_doc[(doc, None)] = list(cells[source_name].findings) if source_name else []
    for locale in wanted_locales:
        for doc in wanted_docs:
            cell = cells[f"{locale}/{doc}"]
            by_doc[(doc, locale)] = list(cell.findings)
            counts[(doc, locale)] = cell.counts
        found = project_cached.get(locale)
        if found is None:
            found = runner.project_findings(locale, all_docs, rows[locale], files)
            cache.put_project(slot(locale), project_keys[locale], found)
        for item in found:
            if (item[9], locale) in by_doc:
                by_doc[(item[9], locale)].append(item)
    cache.save()
    items: list[tuple[tuple[Any, ...], str | None]] = []
    for doc in wanted_docs:
        for group_locale in (None, *wanted_locales):
            group = by_doc.get((doc, group_locale), [])
            group.sort(key=lambda item: item[0])  # stable: unit order, then check order
            items.extend((raw, group_locale) for raw in group)
    return ProjectResult(wanted_docs, wanted_locales, items, counts, runner.read)


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
