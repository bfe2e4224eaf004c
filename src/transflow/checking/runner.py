"""One check run's computing: the cache key, the checks of each catalog, and the fork.

``Runner`` holds a run's project, settings and lazily loaded checks and
glossary; it computes the cells (one source or catalog each) that the cache
lacks, the second half of them in a forked child when that pays, and the
project-scope checks of a locale.
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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from transflow.check_cache import CACHE_FILE, Cell, CheckCache, unnamed_file
from transflow.checking.findings import (
    STATES,
    UnitRow,
    Where,
    by_position,
    count_words,
    entry_state,
    from_glossary_hit,
    from_unit_hit,
    joined_texts,
    summarize_findings,
)
from transflow.checking.glossary import (
    MemoGlossary,
    glossary_available,
    glossary_checks,
    glossary_module,
    keep_untranslated,
)
from transflow.checking.places import Lines
from transflow.config import Project
from transflow.errors import CatalogError
from transflow.finding import Finding
from transflow.gcpause import paused_gc
from transflow.notes import note

if TYPE_CHECKING:
    from transflow.glossary.check import GlossaryHit
    from transflow.poread import PoEntry
    from transflow.unit import State


def _note(comment: str, key: str) -> str:
    """A ``#.`` note's value, wrapped lines joined (``transflow.notes``), or ""."""
    return (note(comment, key) or "").strip()


# The modules outside the checks' packages whose code decides what a run finds or caches.
_CODE_MODULES = (
    "glossary_match",
    "coverage",
    "poread",
    "notes",
    "approval",
    "check_cache",
    "finding",
    "unit",
)


def code_files() -> list[Path]:
    """The source files hashed into the cache key: every module of the checks' packages
    (this one, ``transflow.qa`` and ``transflow.glossary``) and the modules they use."""
    here = Path(__file__).parent.parent
    files: list[Path] = []
    for package in ("qa", "glossary", "checking"):
        files += sorted((here / package).glob("*.py"))
    files += [here / f"{name}.py" for name in _CODE_MODULES]
    return files


def _code_digest() -> str:
    """A hash of the checks' source code, so an upgraded transflow never reuses old results."""
    import transflow

    digest = hashlib.sha256(transflow.__version__.encode())
    digest.update(sys.version.encode())  # the marshal format and str methods
    for path in code_files():
        digest.update(path.name.encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"-")
    return digest.hexdigest()


# A cell to compute: (cache name, "source" or "catalog", doc, locale, path, bytes, sha256,
# run the checks, return the units for the project-scope checks, path shown in findings).
Job = tuple[str, str, str, str | None, str, bytes, str, bool, bool, str]
# What computing a job gives: (cache name, the cell, units for the project-scope checks or
# None); from a forked child, the cell as plain values with its findings in the spill file.
_Result = tuple[str, Cell | None, list[UnitRow] | None]

# Fork a second process only when there is enough work to pay for it.
_PARALLEL_MIN_BYTES = 1 << 20
# The most pieces the work is cut into for the two processes to take from (2-byte tokens:
# 4 KiB, what any pipe holds at once).
_QUEUE_PIECES = 2048


def _pieces(jobs: Sequence[Job]) -> list[tuple[int, int]]:
    """``jobs`` cut into pieces (first, end) for the processes to take one at a time: the
    jobs of one file stay together (a source and its catalog share the parsing), and a
    big project's files are taken a few at a time."""
    groups: list[tuple[int, int]] = []
    first = 0
    for index in range(1, len(jobs) + 1):
        if index == len(jobs) or jobs[index][6] != jobs[first][6]:
            groups.append((first, index))
            first = index
    per_piece = -(-len(groups) // _QUEUE_PIECES)  # ceiling division
    return [
        (groups[i][0], groups[min(i + per_piece, len(groups)) - 1][1])
        for i in range(0, len(groups), per_piece)
    ]


class Runner:
    """One run: the project, its settings, and everything loaded lazily."""

    def __init__(self, project: Project, use_cache: bool, errors_only: bool = False) -> None:
        self.project = project
        self.errors_only = errors_only
        settings = project.tool("qa")
        glossary_bytes: bytes | None = None
        if glossary_available():
            from transflow.project_glossary import read_project_glossary

            glossary_bytes = read_project_glossary(project)
        self.glossary_bytes = glossary_bytes
        key = hashlib.sha256()
        key.update(_code_digest().encode())
        key.update(json.dumps(settings, sort_keys=True, default=str).encode())
        key.update(hashlib.sha256(glossary_bytes or b"-").digest())
        self.key = key.hexdigest()  # what the results depend on besides the files checked
        self.cache = CheckCache(project.cache_dir / CACHE_FILE, self.key, use_cache)
        self.read = 0
        self._ready = False
        self.files: dict[str, tuple[bytes, str]] = {}
        self._parsed: dict[str, list[PoEntry]] = {}  # content hash → live entries, this run
        self.glossary: Any = None
        self._keep: dict[str, tuple[str, ...]] = {}
        self._notes: dict[str, tuple[str, tuple[str, ...]]] = {}

    # -- set-up (only when something has to be computed) -------------------------
    def setup(self) -> None:
        if self._ready:
            return
        from transflow.qa import CHECKS, QAConfig, QAUnit

        self.qa_unit = QAUnit
        project = self.project
        self.glossary_module = glossary_module() if self.glossary_bytes is not None else None
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
            self.glossary = MemoGlossary(loaded)
            self._keep = keep_untranslated(self.glossary)
        self._ready = True

    def prepare(self, locales: Iterable[str | None]) -> None:
        """Build everything the checks build lazily, before forking (so it is built once)."""
        self.setup()
        for locale in locales:
            if locale is None:
                continue
            self.unit_config.rules_for(locale)
            if self.glossary is not None:
                self.glossary.target_matcher(locale)

    # -- reading ------------------------------------------------------------------
    def read_file(self, path: str) -> tuple[bytes, str]:
        """The bytes of a catalog and their sha256 (each file read once per run)."""
        known = self.files.get(path)
        if known is not None:
            return known
        try:
            with open(path, "rb", buffering=0) as file:
                data = file.readall()
        except FileNotFoundError:
            raise CatalogError(
                "no such catalog; run `transflow segment` first", Path(path)
            ) from None
        known = self.files[path] = (data, hashlib.sha256(data).hexdigest())
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
    def glossary_findings(self, findings: list[Finding], tcomment: str) -> list[Finding]:
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

    def comment_notes(self, comment: str) -> tuple[str, tuple[str, ...]]:
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

    def compute(self, jobs: Sequence[Job]) -> list[_Result]:
        """Compute ``jobs`` in this process (with the cyclic garbage collector paused).

        Each cell's findings go to the cache's new pack as soon as they are
        computed, so only one catalog's findings are ever held.
        """
        self.setup()
        with paused_gc():
            return [self._compute(job) for job in jobs]

    def _compute(self, job: Job) -> _Result:
        name, kind, doc, locale, _, data, sha, checks, want_units, shown = job
        entries = self._units(data, sha, shown)
        if kind == "source":
            findings = self.source_findings(doc, entries, data)
            return (name, self._cell(sha, shown, None, None, None, findings), None)
        assert locale is not None
        units, words, found, rows = self.catalog(doc, locale, entries, data, checks, want_units)
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
        findings.sort(key=by_position)
        dump = self.cache.dump
        blob = dump(findings)
        texts = None
        if not self.errors_only and findings:  # coverage counts errors; it never prints them
            texts = self.cache.store_texts(joined_texts(findings, locale, shown))
        summary = summarize_findings(findings)
        return Cell(sha, not self.errors_only, shown, units, words, summary, blob, texts)

    def source_findings(
        self, doc: str, entries: list[PoEntry], data: bytes
    ) -> list[tuple[Any, ...]]:
        assert self.glossary_module is not None
        source_hits = self.glossary_module.source_hits
        glossary = self.glossary
        findings: list[tuple[Any, ...]] = []
        lines = Lines(data)
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
        where: Where,
    ) -> list[tuple[Any, ...]]:
        """The cached form of the glossary's findings in one unit, as ``glossary_findings``
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
            out.append(from_glossary_hit(pos, unit_id, doc, hit, severity, reason, text, where))
        return out

    def catalog(
        self,
        doc: str,
        locale: str,
        entries: list[PoEntry],
        data: bytes,
        checks: bool,
        want_units: bool,
        counting: bool = True,
        states: Sequence[State] | None = None,
    ) -> tuple[list[int], list[int], list[tuple[Any, ...]] | None, list[UnitRow] | None]:
        from transflow.qa.consistency import consistency_key
        from transflow.qa.runner import check_units

        units = [0] * len(STATES)
        words = [0] * len(STATES)
        rows: list[UnitRow] = []
        qa_units: list[Any] = []
        findings: list[tuple[Any, ...]] = []
        glossary = self.glossary
        module = self.glossary_module
        target_hits = module.target_hits if glossary is not None and module else None
        make_unit = self.qa_unit
        notes = self.comment_notes
        lines = Lines(data)
        for pos, entry in enumerate(entries):
            state = entry_state(entry) if states is None else states[pos]
            unit_id = entry.msgctxt or ""
            kind, keep = notes(entry.comment)
            if want_units:
                key = consistency_key(entry.msgid, entry.msgstr, state)
                rows.append(None if key is None else (hash(key[0]), hash(key[1])))
            if not checks:
                continue
            if counting:
                n = count_words(entry.msgid)
                if entry.msgid_plural:
                    n += count_words(entry.msgid_plural)
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
        last = -1
        for hit in check_units(qa_units, self.unit_config):
            pos = hit[0]  # every entry became a unit, in order
            if pos != last:  # a unit's findings come together: find its place once
                at = entries[pos]
                where = lines.of(at)
                unit_id = at.msgctxt or ""
                last = pos
            findings.append(from_unit_hit(pos, unit_id, doc, hit, at.msgstr, where))
        return units, words, findings, rows if want_units else None

    def compute_all(self, jobs: list[Job]) -> list[_Result]:
        """``compute``, shared with a forked child when there is enough work.

        Both processes take the next piece of work from a pipe holding one token per
        piece until it is empty, so whichever runs faster (a shared machine slows one
        core now, the other then) takes more, and neither waits long for the other at the
        end. The child writes its cells' findings to a spill file the parent opened (so
        they never pass through a pipe or sit in memory twice) and sends back the rest;
        the parent copies those findings into its own pack.
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
        pieces = _pieces(jobs)
        if len(pieces) < 2:
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
        queue, tokens = os.pipe()
        # Every token is in the pipe before anyone reads (at most _QUEUE_PIECES × 2 bytes,
        # what any pipe holds, so this write never waits), and its write end is closed:
        # an empty pipe reads as the end of the work.
        os.write(tokens, b"".join(i.to_bytes(2, "little") for i in range(len(pieces))))
        os.close(tokens)
        try:
            pid = os.fork()
        except OSError:
            for fd in (read_end, write_end, spill, queue):
                os.close(fd)
            return self.compute(jobs)
        if pid == 0:  # the child: compute what it takes, send it, and leave without cleanup
            code = 1
            try:
                os.close(read_end)
                self.cache.spill_to(spill)
                plain = [
                    (name, None if cell is None else cell.to_plain(), rows)
                    for name, cell, rows in self._compute_taken(jobs, pieces, queue)
                ]
                payload = marshal.dumps((plain, self.read - read_before))
                with os.fdopen(write_end, "wb") as out:
                    out.write(payload)
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        try:
            results = self._compute_taken(jobs, pieces, queue)
        except BaseException:
            import signal

            for fd in (read_end, spill, queue):
                os.close(fd)
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)  # our own child: its work is no longer wanted
            os.waitpid(pid, 0)
            raise
        os.close(queue)
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
            # What the child took and did not deliver (this reproduces its error, if any).
            done = {name for name, _, _ in results}
            results.extend(self.compute([job for job in jobs if job[0] not in done]))
        finally:
            self.cache.drop_spill(spill)
        return results

    def _compute_taken(
        self, jobs: list[Job], pieces: list[tuple[int, int]], queue: int
    ) -> list[_Result]:
        """``compute`` of each piece of ``jobs`` this process takes from the ``queue`` pipe."""
        results: list[_Result] = []
        while True:
            token = os.read(queue, 2)  # one whole token: the kernel serialises a pipe's reads
            if not token:
                return results
            first, end = pieces[int.from_bytes(token, "little")]
            results += self.compute(jobs[first:end])

    def project_findings(
        self,
        locale: str,
        docs: Sequence[str],
        rows: dict[str, list[UnitRow]],
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
        make_unit = self.qa_unit
        notes = self.comment_notes
        units: list[Any] = []
        where: list[tuple[int, Where]] = []
        entries: list[PoEntry] = []
        lines = Lines(b"")
        current = None
        for doc, pos in places:
            if doc != current:
                current = doc
                shown, data, sha = files[f"{locale}/{doc}"]
                entries = self._units(data, sha, shown, count=False)  # parsed before
                lines = Lines(data)
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
            found.append(from_unit_hit(pos, unit.unit_id, unit.doc, hit, unit.target, place))
        return found
