"""Publishing documents in worker processes: each document's pages depend on that document only.

A site of 1,000 documents in five languages is mostly per-document work
(parse, segment, read five catalogs, decide, build and render five pages, write
them); only the index pages need every document. ``publish_in_chunks`` splits
the documents into one chunk per CPU, publishes each chunk in a forked worker
(``multiprocessing``'s fork context, so the workers share the parent's loaded
modules and templates), and returns what the index pages and the report need.
Every worker writes into the same staging folder; the parent writes the index
pages and swaps the folder in only when every worker is done.

The QA results are computed once in the parent first, so every worker reads
them from the cache. An error a worker meets (a stale catalog, say) is sent
back as it is and raised by the parent, naming the file and line like a
sequential run; with one CPU, or a few documents, everything runs in-process.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from transflow.config import Project
from transflow.errors import TransflowError
from transflow.export.loadcache import LoadCache
from transflow.export.outdir import Staging
from transflow.export.policy import Publication
from transflow.export.publish import PageInfo

if TYPE_CHECKING:
    from transflow.checking import ProjectResult
    from transflow.checking.errors import DocumentErrors

__all__ = ["Chunk", "Job", "publish_in_chunks"]

# Below this many documents a worker process costs more than it saves.
MIN_DOCS_PER_WORKER = 40


@dataclass(frozen=True)
class Job:
    """What every chunk is published with."""

    project: Project
    fmt: str  # site, markdown or json
    locales: tuple[str, ...]
    allow_partial: bool
    base_url: str | None
    staging: Path
    qa: ProjectResult | None = None  # the parent's QA run, shared with the workers, or
    errors: DocumentErrors | None = None  # the checks each worker runs as it loads


@dataclass
class Chunk:
    """What publishing one chunk of documents produced."""

    publications: list[Publication] = field(default_factory=list)
    pages: list[PageInfo] = field(default_factory=list)
    files: dict[str, list[str]] = field(default_factory=dict)
    json_pages: list[tuple[PageInfo, dict[str, Any]]] = field(default_factory=list)
    count: int = 0
    bytes: int = 0
    error: tuple[type[TransflowError], str, str | None, int | None] | None = None


_JOB: Job | None = None  # set before the workers fork; they inherit it


def _publish(docs: list[str]) -> Chunk:
    """Publish one chunk of documents (in a worker, or in-process)."""
    from transflow.export.content import load_sources
    from transflow.export.policy import find_blockers
    from transflow.export.publish import plan

    job = _JOB
    assert job is not None
    staging = Staging(job.staging)
    cache = LoadCache(job.project.cache_dir)  # opened here: a connection must not cross a fork
    collecting = gc.isenabled()
    # A chunk is millions of small objects (entries, runs, elements) that form no cycles:
    # the cycle collector's full passes over them cost a fifth of the time and found nothing.
    gc.disable()
    try:
        sources = load_sources(job.project, docs, job.locales, cache, job.errors)
        blockers = find_blockers(job.project, sources, job.locales, job.qa)
        edition = plan(
            job.project, sources, job.locales, allow_partial=job.allow_partial, blockers=blockers
        )
        chunk = Chunk(edition.publications, edition.infos())
        if job.fmt == "site":
            from transflow.export.site import write_pages

            assert job.base_url is not None
            chunk.files = write_pages(staging, edition, job.base_url)
        elif job.fmt == "markdown":
            from transflow.export.markdown import write_markdown

            chunk.files = write_markdown(staging, edition)
        else:
            from transflow.export.jsonout import pages_json

            chunk.json_pages = pages_json(edition)
    except TransflowError as exc:  # sent back whole: path and line do not survive pickling
        path = str(exc.path) if exc.path is not None else None
        return Chunk(error=(type(exc), exc.message, path, exc.line))
    finally:
        cache.close()  # the documents loaded before an error are kept
        if collecting:
            gc.enable()
    chunk.count, chunk.bytes = staging.files, staging.bytes
    return chunk


def _prepare(job: Job) -> None:
    """Load what every worker needs once, before the fork: CLDR data, templates, a hash."""
    import datetime as dt

    from transflow.export.content import format_date, language_dir, language_name, language_tag
    from transflow.export.loadcache import code_digest

    code_digest()
    for code in (job.project.source_language, *job.locales):
        language_name(language_tag(code))
        language_dir(language_tag(code))
        format_date(dt.date(2000, 1, 1), code)
    if job.fmt == "site":
        from transflow.export.site import environment

        for name in ("base.html", "page.html"):
            environment().get_template(name)


def _workers(docs: int) -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, docs // MIN_DOCS_PER_WORKER))


def publish_in_chunks(job: Job, docs: Sequence[str], workers: int | None = None) -> list[Chunk]:
    """Publish ``docs`` in ``workers`` processes (default: one per CPU); chunks in doc order."""
    global _JOB
    count = _workers(len(docs)) if workers is None else max(1, workers)
    size = -(-len(docs) // count)  # ceiling
    chunks = [list(docs[i : i + size]) for i in range(0, len(docs), size)]
    _JOB = job
    _prepare(job)
    try:
        if len(chunks) <= 1 or not hasattr(os, "fork"):
            results = [_publish(c) for c in chunks]
        else:
            import multiprocessing

            with multiprocessing.get_context("fork").Pool(len(chunks)) as pool:
                results = pool.map(_publish, chunks)
    finally:
        _JOB = None
    for result in results:
        if result.error is not None:
            kind, message, path, line = result.error
            raise kind(message, path, line)
    return results
