"""Publishing and hand-off: the catalogs as a website, Markdown, JSON, XLIFF, TMX or PO — and back.

``run_export`` is what ``transflow export`` does, for any front end:

* ``site``, ``markdown``, ``json`` publish. Each page is rebuilt from the
  document's structure (``content``); a locale's page goes out only when the
  publishing rule allows it (``policy``, ``publish``): every unit approved and
  QA-clean, or, with ``allow_partial``, the gaps filled with the English
  source and said so.
* ``xliff`` (2.0 or 1.2), ``tmx``, ``po`` hand the work to translators' tools,
  every unit with its state (``interchange``); ``transflow import`` brings
  XLIFF and PO back (``importer``).

Every format first checks that the catalogs are in step with the source
(else: run ``transflow segment``) and writes into a staging folder that
replaces ``--out`` only when complete (``outdir``).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from transflow.config import CONFIG_FILE, Project
from transflow.errors import InputError
from transflow.export.content import load_sources
from transflow.export.outdir import staged_output
from transflow.export.policy import Publication, Status

__all__ = ["FORMATS", "PUBLISHING_FORMATS", "ExportResult", "run_export"]

FORMATS = ("site", "markdown", "json", "xliff", "tmx", "po")
PUBLISHING_FORMATS = ("site", "markdown", "json")
XLIFF_VERSIONS = ("2.0", "1.2")


@dataclass
class ExportResult:
    """What an export wrote and, for the publishing formats, what it published and why."""

    format: str
    out: Path
    files: dict[str, list[str]]  # language (or "templates") → paths relative to ``out``
    publications: list[Publication] = field(default_factory=list)
    base_url: str | None = None
    seconds: float = 0.0
    file_count: int = 0
    bytes: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "out": str(self.out),
            "base_url": self.base_url,
            "files": self.file_count,
            "bytes": self.bytes,
            "seconds": round(self.seconds, 3),
            "documents": [p.to_json() for p in self.publications],
            "written": self.files,
        }

    def count(self, status: Status) -> int:
        return sum(1 for p in self.publications if p.status == status)


def _base_url(project: Project, explicit: str | None) -> str:
    from transflow.export.site import check_base_url

    if explicit:
        return check_base_url(explicit)
    configured = project.settings.get("base-url")
    if isinstance(configured, str) and configured.strip():
        return check_base_url(configured, f"[tool.transflow] base-url in {CONFIG_FILE}")
    raise InputError(
        "the site's language links must be absolute addresses: pass --base-url URL "
        "(where the site will be published) or set base-url in [tool.transflow]",
        project.root / CONFIG_FILE,
    )


def run_export(
    project: Project,
    fmt: str,
    out: Path,
    *,
    locales: Sequence[str] | None = None,
    docs: Sequence[str] | None = None,
    base_url: str | None = None,
    allow_partial: bool = False,
    xliff_version: str = "2.0",
    workers: int | None = None,
) -> ExportResult:
    """Export the project in ``fmt`` to ``out``, replacing it whole; see the module docstring.

    ``workers`` is how many processes publish documents (default: one per CPU for
    a large project; see ``transflow.export.workers``).
    """
    started = time.perf_counter()
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if xliff_version not in XLIFF_VERSIONS:
        raise InputError(f"unknown XLIFF version {xliff_version!r} (2.0 or 1.2)")
    chosen = project.check_locales(list(locales) if locales else None)
    wanted_docs = list(docs) if docs is not None else project.docs()
    if not wanted_docs:
        raise InputError("no source documents to export", project.source_dir)
    url = _base_url(project, base_url) if fmt == "site" else None
    protected = (project.source_dir, project.locales_dir, project.root / CONFIG_FILE)
    result = ExportResult(fmt, Path(out), {}, base_url=url)
    if fmt in PUBLISHING_FORMATS:
        _publish(
            project, result, wanted_docs, chosen, allow_partial, workers, protected, docs is None
        )
        result.seconds = time.perf_counter() - started
        return result

    sources = load_sources(project, wanted_docs, chosen)
    with staged_output(Path(out), protected=protected) as staging:
        if fmt == "xliff":
            from transflow.export.interchange import load_glossary_terms, trans_units
            from transflow.export.xliff import render_xliff

            for locale in chosen:
                terms = load_glossary_terms(project, locale)
                for source in sources:
                    path = f"{locale}/{source.slug}.xlf"
                    data = render_xliff(
                        trans_units(source, locale, terms, project),
                        doc=source.slug,
                        original=project.relative(project.source_file(source.doc)),
                        source_language=project.source_language,
                        locale=locale,
                        version=xliff_version,
                    )
                    staging.write(path, data)
                    result.files.setdefault(locale, []).append(path)
        elif fmt == "tmx":
            from transflow.export.tmxout import write_tmx

            result.files = write_tmx(staging, project, sources, chosen)
        else:
            from transflow.export.po import write_po

            result.files = write_po(staging, project, sources, chosen)
        result.file_count = staging.files
        result.bytes = staging.bytes
    result.seconds = time.perf_counter() - started
    return result


def _publish(
    project: Project,
    result: ExportResult,
    docs: list[str],
    locales: tuple[str, ...],
    allow_partial: bool,
    workers: int | None,
    protected: tuple[Path, ...],
    every_doc: bool,
) -> None:
    """site, markdown, json: the documents' pages in worker processes, then the indexes."""
    from transflow.checking import run_project
    from transflow.checking.errors import DocumentErrors
    from transflow.export.content import check_slugs, language_tag
    from transflow.export.loadcache import LoadCache
    from transflow.export.workers import Job, publish_in_chunks

    check_slugs(project, docs)
    # The QA errors (the source's too: blockers count them) are found as each worker loads
    # its documents, each file parsed once; when the settings make a consistency check
    # (which compares every document of a locale) able to report an error, one QA run
    # first, shared by every worker.
    qa = errors = None
    if locales:
        errors = DocumentErrors(project, locales)
        if not errors.per_document:
            qa = run_project(project, list(locales), docs, errors_only=True, source=True)
            errors = None
    languages = [language_tag(project.source_language), *(language_tag(lo) for lo in locales)]
    with contextlib.ExitStack() as stack:
        if qa is not None:
            stack.callback(qa.close)
        staging = stack.enter_context(staged_output(result.out, protected=protected))
        job = Job(
            project, result.format, locales, allow_partial, result.base_url, staging.root, qa,
            errors,
        )  # fmt: skip
        chunks = publish_in_chunks(job, docs, workers)
        for chunk in chunks:
            result.publications += chunk.publications
            for key, paths in chunk.files.items():
                result.files.setdefault(key, []).extend(paths)
            staging.files += chunk.count
            staging.bytes += chunk.bytes
        if every_doc:  # the cache forgets documents no longer there
            LoadCache(project.cache_dir).close(keep=docs)
        pages = [page for chunk in chunks for page in chunk.pages]
        if result.format == "site":
            from transflow.export.site import write_indexes

            assert result.base_url is not None
            written = write_indexes(staging, pages, languages, result.base_url, project.name)
        elif result.format == "json":
            from transflow.export.jsonout import write_json

            json_pages = [item for chunk in chunks for item in chunk.json_pages]
            written = write_json(staging, json_pages, languages)
        else:
            written = {}
        for key, paths in written.items():
            result.files.setdefault(key, []).extend(paths)
        result.file_count, result.bytes = staging.files, staging.bytes
