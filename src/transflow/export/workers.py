"""Publishing documents in worker processes: each document's pages depend on that document only.

A site of 1,000 documents in five languages is mostly per-document work
(parse, segment, read and check five catalogs, decide, build and render five
pages, write them); only the index pages need every document.
``publish_in_chunks`` cuts the documents into pieces of a few documents, forks
one worker per further CPU (so the workers share the parent's loaded modules,
templates and checks) and has every process, the parent too, take the next
piece from a pipe until none is left: whichever core runs faster (a shared
machine slows one now, the other then) takes more, and nobody waits long for
the last piece. It returns what the index pages and the report need, in
document order. Every process writes into the same staging folder; the parent
writes the index pages and swaps the folder in only when all are done.

Errors are reported exactly as a sequential run reports them: a process stops
at its first failing piece, and the parent publishes every piece not delivered
(failed, or lost with a worker that died) itself, in document order, so the
first failing document raises its own one-line error. With one CPU, or a few
documents, everything runs in-process.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from transflow.config import Project
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
    """What publishing one piece of documents produced."""

    publications: list[Publication] = field(default_factory=list)
    pages: list[PageInfo] = field(default_factory=list)
    files: dict[str, list[str]] = field(default_factory=dict)
    json_pages: list[tuple[PageInfo, dict[str, Any]]] = field(default_factory=list)
    count: int = 0
    bytes: int = 0


_JOB: Job | None = None  # set before the workers fork; they inherit it


def _publish(job: Job, docs: list[str], cache: LoadCache, staging: Staging) -> Chunk:
    """Publish one piece of documents."""
    from transflow.export.content import load_sources
    from transflow.export.policy import find_blockers
    from transflow.export.publish import plan

    files, size = staging.files, staging.bytes
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
    chunk.count, chunk.bytes = staging.files - files, staging.bytes - size
    return chunk


def _take(pieces: list[list[str]], queue: int | None, done: dict[int, Chunk]) -> None:
    """Publish the pieces this process takes from ``queue`` (None: all of them, in order)
    into ``done``, until none is left or one fails (it is then left for the parent)."""
    job = _JOB
    assert job is not None
    cache = LoadCache(job.project.cache_dir)  # opened here: a connection must not cross a fork
    staging = Staging(job.staging)
    collecting = gc.isenabled()
    # A piece is many small objects (entries, runs, elements) that form no cycles: the
    # cycle collector's full passes over them cost a fifth of the time and found nothing.
    gc.disable()
    try:
        if queue is None:
            for index, piece in enumerate(pieces):
                done[index] = _publish(job, piece, cache, staging)
        else:
            while (index := _token(queue)) >= 0:
                try:
                    done[index] = _publish(job, pieces[index], cache, staging)
                except Exception:  # the parent publishes it again and reports the error
                    return
    finally:
        cache.close()  # the documents loaded before an error are kept
        if collecting:
            gc.enable()


def _token(queue: int) -> int:
    """The next piece's number from the pipe (one whole 2-byte token), or -1 at its end."""
    token = os.read(queue, 2)
    return int.from_bytes(token, "little") if token else -1


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


# Pieces per process: enough that the last ones even out the processes' speeds; at most
# 2,048 in all (2-byte tokens: 4 KiB, what any pipe holds at once).
_PIECES_PER_WORKER = 16
_MAX_PIECES = 2048


def publish_in_chunks(job: Job, docs: Sequence[str], workers: int | None = None) -> list[Chunk]:
    """Publish ``docs`` in ``workers`` processes (default: one per CPU); chunks in doc order."""
    global _JOB
    count = _workers(len(docs)) if workers is None else max(1, workers)
    size = max(1, -(-len(docs) // min(count * _PIECES_PER_WORKER, _MAX_PIECES)))  # ceiling
    pieces = [list(docs[i : i + size]) for i in range(0, len(docs), size)]
    _JOB = job
    _prepare(job)
    done: dict[int, Chunk] = {}
    try:
        threading = sys.modules.get("threading")
        if (
            count > 1
            and len(pieces) > 1
            and hasattr(os, "fork")
            and (threading is None or threading.active_count() == 1)  # else fork is unsafe
        ):
            _share(pieces, min(count, len(pieces)), done)
        # What no process delivered, in order: a failing document raises its own error here.
        missing = [i for i in range(len(pieces)) if i not in done]
        if missing:
            got: dict[int, Chunk] = {}
            _take([pieces[i] for i in missing], None, got)
            done.update({i: got[n] for n, i in enumerate(missing)})
    finally:
        _JOB = None
    return [done[i] for i in range(len(pieces))]


def _share(pieces: list[list[str]], count: int, done: dict[int, Chunk]) -> None:
    """The pieces taken by this process and ``count - 1`` forked workers, into ``done``."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    queue, tokens = os.pipe()
    # Every token is in the pipe before anyone reads (so this write never waits: see
    # _MAX_PIECES), then its write end is closed: an empty pipe reads as the end of the work.
    os.write(tokens, b"".join(i.to_bytes(2, "little") for i in range(len(pieces))))
    os.close(tokens)
    children: list[tuple[int, int]] = []  # (pid, read end of its result pipe)
    try:
        for _ in range(count - 1):
            read_end, write_end = os.pipe()
            try:
                pid = os.fork()
            except OSError:
                os.close(read_end)
                os.close(write_end)
                break
            if pid == 0:  # a worker: publish what it takes, send it, leave without cleanup
                code = 1
                try:
                    os.close(read_end)
                    for _, other in children:
                        os.close(other)
                    got: dict[int, Chunk] = {}
                    _take(pieces, queue, got)
                    with os.fdopen(write_end, "wb") as out:
                        pickle.dump(got, out, protocol=pickle.HIGHEST_PROTOCOL)
                    code = 0
                finally:
                    os._exit(code)
            os.close(write_end)
            children.append((pid, read_end))
        _take(pieces, queue, done)
    except BaseException:
        for pid, read_end in children:
            os.close(read_end)
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)  # our own worker: its work is no longer wanted
            os.waitpid(pid, 0)
        raise
    finally:
        os.close(queue)
    for pid, read_end in children:
        with os.fdopen(read_end, "rb") as inp:
            payload = inp.read()
        _, status = os.waitpid(pid, 0)
        if status == 0:
            with contextlib.suppress(Exception):  # unreadable: the parent does that work
                done.update(pickle.loads(payload))
