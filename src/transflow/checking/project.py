"""Running the checks over a project: what is cached, what to compute, and the report's order."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from transflow.check_cache import EMPTY_SUMMARY, Cell
from transflow.checking.findings import DOC, STATES, UnitRow
from transflow.checking.result import Group, ProjectResult
from transflow.checking.runner import Job, Runner
from transflow.config import Project
from transflow.coverage import StateCounts
from transflow.gcpause import paused_gc


def _counts(cell: Cell) -> StateCounts:
    zero = [0] * len(STATES)
    return StateCounts(list(cell.units or zero), list(cell.words or zero))


class Layout:
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
    runner = Runner(project, use_cache, errors_only)
    try:
        return _run(project, runner, all_docs, wanted_docs, wanted_locales, with_source)
    except BaseException:
        runner.cache.close()
        raise


def _run(
    project: Project,
    runner: Runner,
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
    layout = Layout(project, all_docs)
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
    jobs: list[Job] = []
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
    runner.files.clear()
    # What the project-scope checks may need to read again: the very bytes hashed above.
    files = {job[0]: (job[9], job[5], job[6]) for job in jobs if job[8]}
    rows: dict[str, dict[str, list[UnitRow]]] = {locale: {} for locale in need_units}
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
            if item[DOC] in wanted:
                extra.setdefault((item[DOC], locale), []).append(item)
    del files
    known_docs = set(all_docs)
    known_locales = set(project.locales)

    def keep(name: str) -> bool:
        """Cells of documents and locales that still exist stay cached."""
        head, _, doc = name.partition("/")
        return doc in known_docs and (head == "source" or head in known_locales)

    runner.cache.save(keep)
    groups: list[Group] = []
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
