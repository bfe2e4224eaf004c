"""What each exported page says, in each language, rebuilt from the document's structure.

A page is never the English file with strings replaced: the source document
is parsed into its skeleton (``transflow.document``: headings with levels,
paragraphs, list items with their numbers, separators, letter parts), each
block's units come from segmenting it exactly as ``transflow segment`` does,
and each unit's text is taken from the language's catalog. The front-matter
title, recipient and place are units too; the date is formatted per language
with Babel.

Loading also checks that the catalogs are in step with the source: if a
source file changed since the last ``transflow segment`` (a sentence added,
edited, removed or moved), or a catalog lacks the units its template lists,
the export is refused with a message saying to run ``transflow segment`` —
translations of yesterday's text must never be published under today's.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from transflow.config import Project
from transflow.document import Block, Document, parse_document, parse_text
from transflow.errors import CatalogError, InputError, SourceError
from transflow.export.loadcache import LoadCache, inputs_digest
from transflow.export.outdir import slug
from transflow.finding import Finding, Severity
from transflow.poread import PoEntry, read_po, read_po_bytes
from transflow.segment import segment_document
from transflow.unit import BlockKind, State, Unit

if TYPE_CHECKING:  # Babel is imported on first use; the checks only when asked for
    from babel import Locale

    from transflow.checking.errors import DocumentErrors

__all__ = [
    "Page",
    "PageBlock",
    "Run",
    "SourceDoc",
    "format_date",
    "language_dir",
    "language_name",
    "language_tag",
    "load_sources",
]


# -- languages ---------------------------------------------------------------------------


def language_tag(code: str) -> str:
    """The BCP 47 tag of a locale code, as HTML ``lang`` and ``hreflang`` want (pt_BR → pt-BR)."""
    return code.replace("_", "-")


@lru_cache(maxsize=64)
def _babel(code: str) -> Locale:
    from babel import Locale

    return Locale.parse(code.replace("-", "_"))


@lru_cache(maxsize=64)
def language_name(code: str) -> str:
    """The language's own name for a menu: "Deutsch", "Русский", "Azərbaycan".

    CLDR writes many names in lower case, as they appear in running text;
    a menu entry starts with a capital, so only the first letter is raised.
    """
    locale = _babel(code)
    name = str(locale.get_display_name(locale) or code)
    return name[:1].upper() + name[1:]


@lru_cache(maxsize=64)
def language_dir(code: str) -> str:
    """``ltr`` or ``rtl`` for ``<html dir>``, from CLDR's character order."""
    order = str(_babel(code).character_order)
    return "rtl" if order == "right-to-left" else "ltr"


@lru_cache(maxsize=1024)
def format_date(value: dt.date, code: str) -> str:
    """The date as a reader of the language writes it (de "25. Oktober 2025")."""
    from babel.dates import format_date as babel_format_date

    return str(babel_format_date(value, "long", locale=code.replace("-", "_")))


# -- sources and catalogs ------------------------------------------------------------------


@dataclass
class SourceDoc:
    """One source document with its units and, per locale, its catalog's live entries by id."""

    doc: str
    slug: str
    document: Document
    units: list[Unit]
    date: dt.date | None
    catalogs: dict[str, dict[str, PoEntry]] = field(default_factory=dict)
    catalog_paths: dict[str, Path] = field(default_factory=dict)
    # Open QA errors on the source and in each catalog, when checked as loaded (else None),
    # and then the review state of each catalog's entries, in order.
    errors: list[Finding] | None = None
    states: dict[str, list[State]] = field(default_factory=dict)


def _live(entries: Iterable[PoEntry]) -> list[PoEntry]:
    return [e for e in entries if not e.obsolete and not e.is_header and e.msgctxt is not None]


def _date(document: Document) -> dt.date | None:
    raw = document.meta.get("date")
    if raw is None:
        return None
    try:
        return dt.date.fromisoformat(raw.strip()[:10])
    except ValueError:
        raise SourceError(
            f"front matter date {raw!r} is not a date (write it as YYYY-MM-DD)",
            document.path,
            document.meta_lines.get("date"),
        ) from None


def _stale(project: Project, path: Path, why: str) -> InputError:
    return InputError(
        f"{why}; the catalogs are out of step with the source: run `transflow segment` first",
        project.relative(path) if path.is_absolute() else path,
    )


def _read_inputs(
    source: Path, template: Path, catalogs: Sequence[Path]
) -> tuple[str, list[bytes]] | None:
    """The source's text and every file's bytes, or None if one cannot be read as is.

    None sends the document down the uncached path, which reads the files
    again and reports the problem exactly as it always did.
    """
    try:
        files = [source.read_bytes(), template.read_bytes(), *(p.read_bytes() for p in catalogs)]
        return files[0].decode("utf-8"), files
    except (OSError, UnicodeDecodeError):
        return None


def load_source(
    project: Project,
    doc: str,
    locales: Sequence[str],
    cache: LoadCache | None = None,
    errors: DocumentErrors | None = None,
) -> SourceDoc:
    """Parse and segment one document and read its catalogs, refusing stale ones.

    With ``errors`` (``transflow.checking.errors``), the source and catalogs are
    also checked as they are read (``SourceDoc.errors``), so each file is parsed
    once. With a ``cache`` (``transflow.export.loadcache``), a document whose
    files (and, if checked, checks' settings and glossary) are byte for byte
    those of a previous clean load is rebuilt from it.
    """
    source_path = project.source_file(doc)
    template = project.template_path(doc)
    catalog_paths = [project.catalog_path(locale, doc) for locale in locales]
    inputs = _read_inputs(source_path, template, catalog_paths)
    if cache is None or inputs is None:
        return _load_source(project, doc, locales, inputs, errors)
    key, files = ",".join(locales), inputs[1]
    if errors is not None:
        key, files = f"{key}\tchecked", [errors.key.encode(), *files]
    digest = inputs_digest(files)
    stored = cache.get(doc, key, digest)
    if stored is not None:
        with contextlib.suppress(ValueError, TypeError, IndexError):
            return _from_plain(stored, project, doc, source_path, locales, catalog_paths)
    loaded = _load_source(project, doc, locales, inputs, errors)
    cache.put(doc, key, digest, _to_plain(loaded))
    return loaded


def _load_source(
    project: Project,
    doc: str,
    locales: Sequence[str],
    inputs: tuple[str, list[bytes]] | None,
    errors: DocumentErrors | None = None,
) -> SourceDoc:
    """``load_source`` itself, from ``inputs`` (the files' contents) if given, else from disk."""
    source_path = project.source_file(doc)
    if inputs is None:
        document = parse_document(source_path, doc)
    else:
        document = parse_text(inputs[0], source_path, doc)
    template = project.template_path(doc)
    if not template.exists():
        raise _stale(project, template, "no template for this document")
    template_entries = _live(
        read_po(template) if inputs is None else read_po_bytes(inputs[1][1], template)
    )
    registered = [(e.msgctxt or "", e.msgid) for e in template_entries]
    units, changes = segment_document(document, registered)
    current = [(u.id, u.text) for u in units]
    if current != registered:
        parts = []
        for label, ids in (
            ("added", changes.added),
            ("edited", changes.changed),
            ("removed", changes.removed),
            ("moved", changes.moved),
        ):
            if ids:
                parts.append(f"{len(ids)} {'sentence' if len(ids) == 1 else 'sentences'} {label}")
        what = ", ".join(parts) or "units reordered"
        raise _stale(project, source_path, f"changed since the last segment ({what})")
    loaded = SourceDoc(doc, slug(doc), document, units, _date(document))
    for index, locale in enumerate(locales):
        path = project.catalog_path(locale, doc)
        try:
            read = read_po(path) if inputs is None else read_po_bytes(inputs[1][2 + index], path)
            entries = _live(read)
        except CatalogError as exc:
            if path.exists():
                raise
            raise _stale(project, path, "no catalog") from exc
        if [(e.msgctxt, e.msgid) for e in entries] != registered:
            raise _stale(project, path, "its units differ from the template's")
        loaded.catalogs[locale] = {e.msgctxt or "": e for e in entries}
        loaded.catalog_paths[locale] = path
    if errors is not None:
        from transflow.checking import entry_state

        files = inputs[1] if inputs is not None else None
        data = files[1] if files is not None else template.read_bytes()
        found = errors.source(doc, template_entries, data, template)
        for index, locale in enumerate(locales):
            path = loaded.catalog_paths[locale]
            data = files[2 + index] if files is not None else path.read_bytes()
            entries = list(loaded.catalogs[locale].values())
            states = [entry_state(e) for e in entries]
            found += errors.catalog(doc, locale, entries, data, path, states)
            loaded.states[locale] = states
        loaded.errors = found
    return loaded


# A cached document is plain data (``marshal``): its front matter, blocks and units, per
# locale its live entries in unit order, less the context and source (the unit's id and
# text, which the load checked they equal), and its QA errors' fields if it was checked.
_Plain = tuple[
    dict[str, str],
    dict[str, int],
    list[tuple[str, str, int, int, int | None]],
    list[tuple[str, str, str, int, int, tuple[str, ...]]],
    list[list[tuple[Any, ...]]],
    list[tuple[Any, ...]] | None,
    list[list[int]],
]


def _to_plain(source: SourceDoc) -> _Plain:
    document = source.document
    return (
        document.meta,
        document.meta_lines,
        [(b.kind, b.text, b.line, b.level, b.number) for b in document.blocks],
        [(u.id, u.kind, u.text, u.line, u.block, u.terms) for u in source.units],
        [
            [
                (
                    e.msgstr,
                    e.flags,
                    e.tcomment,
                    e.comment,
                    e.msgid_plural,
                    e.msgstr_plural,
                    e.previous_msgctxt,
                    e.previous_msgid,
                    e.line,
                    e.references,
                    e.previous_msgid_plural,
                )
                for e in entries.values()
            ]
            for entries in source.catalogs.values()
        ],
        None if source.errors is None else [_finding_plain(f) for f in source.errors],
        [[int(state) for state in source.states[locale]] for locale in source.states],
    )


def _finding_plain(f: Finding) -> tuple[Any, ...]:
    return (
        f.unit, f.doc, f.locale, f.check, int(f.severity), f.message, f.term, f.expected,
        f.span, f.suppressed, f.path, f.line, f.source_path, f.source_line,
    )  # fmt: skip


def _from_plain(
    plain: _Plain,
    project: Project,
    doc: str,
    source_path: Path,
    locales: Sequence[str],
    catalog_paths: Sequence[Path],
) -> SourceDoc:
    meta, meta_lines, blocks, units, catalogs, errors, states = plain
    document = Document(doc, source_path, meta, tuple(Block(*b) for b in blocks), meta_lines)
    loaded = SourceDoc(
        doc,
        slug(doc),
        document,
        [
            Unit(i, kind, text, doc, line, block, terms)
            for i, kind, text, line, block, terms in units
        ],
        _date(document),
    )
    if len(catalogs) != len(locales):
        raise ValueError("locales")
    for locale, path, entries in zip(locales, catalog_paths, catalogs, strict=True):
        loaded.catalogs[locale] = {
            unit.id: PoEntry(unit.id, unit.text, msgstr, flags, tcomment, comment, plural, strs,
                             prev_ctxt, prev_id, False, line, refs, prev_plural)
            for unit, (msgstr, flags, tcomment, comment, plural, strs, prev_ctxt, prev_id, line,
                       refs, prev_plural) in zip(loaded.units, entries, strict=True)
        }  # fmt: skip
        loaded.catalog_paths[locale] = path
    if errors is not None:
        loaded.errors = [
            Finding(u, d, lo, c, Severity(sev), *rest) for u, d, lo, c, sev, *rest in errors
        ]
    if states:
        if len(states) != len(locales):
            raise ValueError("locales")
        for locale, known in zip(locales, states, strict=True):
            loaded.states[locale] = [_STATES[n] for n in known]
    return loaded


_STATES = list(State)  # by value


def check_slugs(project: Project, docs: Sequence[str]) -> None:
    """Refuse two documents whose file names would be the same once made safe."""
    seen: dict[str, str] = {}
    for doc in docs:
        other = seen.setdefault(slug(doc), doc)
        if other != doc:
            raise InputError(
                f"documents {other!r} and {doc!r} would both be published as "
                f"{slug(doc)!r}; rename one of the source files",
                project.source_file(doc),
            )


def load_sources(
    project: Project,
    docs: Sequence[str],
    locales: Sequence[str],
    cache: LoadCache | None = None,
    errors: DocumentErrors | None = None,
) -> list[SourceDoc]:
    """Every requested document, checked; two documents whose slugs collide are refused."""
    check_slugs(project, docs)
    return [load_source(project, doc, locales, cache, errors) for doc in docs]


# -- pages ------------------------------------------------------------------------------


class Run(NamedTuple):
    """A stretch of text in one language: one unit's translation, or its English source."""

    text: str
    lang: str
    unit: str | None = None


class PageBlock(NamedTuple):
    """One block of the skeleton with its text in the page's language (some runs may not be)."""

    kind: str
    runs: tuple[Run, ...]
    level: int = 0
    number: int | None = None

    @property
    def text(self) -> str:
        return " ".join(r.text for r in self.runs)

    def lang(self, page_lang: str) -> str:
        """The block's language: the one all its runs share, else the page's."""
        first = self.runs[0].lang if self.runs else page_lang
        return first if all(r.lang == first for r in self.runs) else page_lang


@dataclass(frozen=True)
class Page:
    """One document in one language, ready for any template or format."""

    doc: str
    slug: str
    lang: str  # BCP 47
    title: Run
    recipient: Run | None
    place: Run | None
    date: dt.date | None
    date_text: str | None
    blocks: tuple[PageBlock, ...]
    fallback: tuple[str, ...] = ()  # ids of units shown in the source language

    @property
    def partial(self) -> bool:
        return bool(self.fallback)


def build_page(
    source: SourceDoc,
    locale: str | None,
    source_language: str,
    fallback: frozenset[str] = frozenset(),
) -> Page:
    """The page of ``source`` in ``locale`` (None: the source language).

    Units in ``fallback`` (those not publishable in this locale) are shown in
    the source language, each run saying so in its ``lang``.
    """
    src_tag = language_tag(source_language)
    tag = src_tag if locale is None else language_tag(locale)
    entries = source.catalogs.get(locale, {}) if locale is not None else {}
    used: list[str] = []
    by_block: dict[int, list[Run]] = {}
    front: dict[str, Run] = {}
    new = tuple.__new__  # a page has a run per unit: made without NamedTuple's Python __new__
    for unit in source.units:
        uid = unit.id
        if locale is None:
            run = new(Run, (unit.text, src_tag, uid))
        else:
            target = entries[uid].msgstr
            if uid in fallback or not target or target.isspace():
                used.append(uid)
                run = new(Run, (unit.text, src_tag, uid))
            else:
                run = new(Run, (target, tag, uid))
        block = unit.block
        if block < 0:
            front[unit.kind] = run
        else:
            runs = by_block.get(block)
            if runs is None:
                by_block[block] = [run]
            else:
                runs.append(run)
    blocks = tuple(
        [
            new(PageBlock, (b.kind, tuple(by_block.get(i, ())), b.level, b.number))
            for i, b in enumerate(source.document.blocks)
        ]
    )
    title = front.get(BlockKind.TITLE) or Run(source.doc, src_tag)
    date_text = format_date(source.date, locale or source_language) if source.date else None
    return Page(
        doc=source.doc,
        slug=source.slug,
        lang=tag,
        title=title,
        recipient=front.get(BlockKind.RECIPIENT),
        place=front.get(BlockKind.PLACE),
        date=source.date,
        date_text=date_text,
        blocks=blocks,
        fallback=tuple(used),
    )
