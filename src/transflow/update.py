"""Keeping catalogs in step with the source: the work behind ``transflow segment``.

Everything is read and checked first (every source document, the glossary,
every existing catalog, and that every file to be written can be written);
only then is anything written, so bad input or an unwritable file leaves every
file as it was. A write that fails anyway (a full disk) says exactly which
files were written before it.

A catalog whose source document is gone is reported and kept; ``prune``
removes it and says so. A new document with the same sentences as a gone one
is that document renamed: its catalogs start from the gone one's, with every
unit id and translation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from transflow.catalog import (
    Catalog,
    MergeReport,
    header,
    merge_units,
    now_stamp,
    remove_stale_temporaries,
    unwritable_reason,
)
from transflow.config import Project
from transflow.document import Document, parse_document
from transflow.errors import TransflowError, WriteError
from transflow.locale import display_name
from transflow.poread import read_po
from transflow.reapply import fingerprint
from transflow.reviewer import find_reviewer
from transflow.segment import IdChanges, segment_document
from transflow.unit import Unit

__all__ = [
    "DocumentReport",
    "Orphan",
    "SegmentReport",
    "load_units",
    "previous_ids",
    "segment_project",
    "update_catalogs",
]


@dataclass
class DocumentReport:
    """What ``segment`` did to one document."""

    doc: str
    units: int
    words: int
    changes: IdChanges
    locales: dict[str, MergeReport] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)  # "path:line: what was repaired"
    renamed_from: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "units": self.units,
            "words": self.words,
            "added": len(self.changes.added),
            "changed": len(self.changes.changed),
            "removed": len(self.changes.removed),
            "locales": {
                loc: {
                    "added": r.added,
                    "changed": r.changed,
                    "obsoleted": r.obsoleted,
                    "dropped": r.dropped,
                    "revived": r.revived,
                }
                for loc, r in self.locales.items()
            },
            "written": self.written,
            "repairs": self.repairs,
            "renamed_from": self.renamed_from,
        }


@dataclass
class Orphan:
    """The catalogs of a document whose source file no longer exists."""

    doc: str
    source: str  # the missing source file, relative to the project
    files: dict[str, int]  # relative path → units with a translation in it
    renamed_to: str | None = None  # the document that now has its sentences

    def to_json(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "source": self.source,
            "files": list(self.files),
            "translations": self.files,
            "renamed_to": self.renamed_to,
        }


@dataclass
class SegmentReport:
    """What ``segment`` did to the whole project."""

    documents: list[DocumentReport]
    orphans: list[Orphan] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)  # files removed by ``prune``
    removed_temporaries: list[str] = field(default_factory=list)  # left by killed writes

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": [d.to_json() for d in self.documents],
            "orphans": [o.to_json() for o in self.orphans],
            "pruned": self.pruned,
            "removed_temporaries": self.removed_temporaries,
        }


def previous_ids(project: Project, doc: str) -> list[tuple[str, str]]:
    """The (id, source) pairs last written for a document: from its template, else any catalog."""
    for path in _catalog_paths(project, doc).values():
        if path.exists():
            return Catalog.load(path).ids_and_sources()
    return []


def _catalog_paths(project: Project, doc: str) -> dict[str | None, Path]:
    """A document's template (key None) and catalogs, template first."""
    paths: dict[str | None, Path] = {None: project.template_path(doc)}
    for locale in project.locales:
        paths[locale] = project.catalog_path(locale, doc)
    return paths


def _glossary_terms(project: Project) -> Any:
    """The project's glossary matcher, or None when the project has no glossary."""
    from transflow.project_glossary import load_project_glossary

    return load_project_glossary(project)


def _with_terms(units: list[Unit], glossary: Any) -> list[Unit]:
    if glossary is None:
        return units
    return [
        Unit(u.id, u.kind, u.text, u.doc, u.line, u.block, tuple(glossary.terms_in(u.text)))
        for u in units
    ]


def load_units(
    project: Project, doc: str, glossary: Any = None
) -> tuple[Document, list[Unit], IdChanges]:
    """Parse and segment one document, with ids aligned to its catalogs and terms attached."""
    document = parse_document(project.source_file(doc), doc)
    units, changes = segment_document(document, previous_ids(project, doc))
    return document, _with_terms(units, glossary), changes


def _glossary_notes(glossary: Any, locale: str | None) -> Callable[[str], str | None] | None:
    """The ``glossary:`` note of a term id for ``locale``'s catalogs (None for the template).

    What a translator in Poedit needs: the English name and the approved spelling
    in their language, e.g. ``Ilham Aliyev = İlham Əliyev``.
    """
    if glossary is None or locale is None:
        return None
    known: dict[str, str | None] = {}

    def note(term: str) -> str | None:
        if term not in known:
            known[term] = _glossary_note(glossary, term, locale)
        return known[term]

    return note


def _glossary_note(glossary: Any, term: str, locale: str) -> str | None:
    entry = glossary.get(term)
    if entry is None:
        return None
    rendering = entry.rendering(locale)
    if rendering is not None:
        text = f"{entry.en} = {rendering.approved}"
    else:
        text = f"{entry.en} (no approved {locale} form yet)"
    extra = []
    if entry.keep_untranslated:
        extra.append("kept untranslated")
    if locale in entry.unverified:
        extra.append("spelling not yet verified")
    return f"{text} ({', '.join(extra)})" if extra else text


# -- renamed and deleted sources ----------------------------------------------------------


def _orphan_files(project: Project, docs: Sequence[str]) -> dict[str, list[Path]]:
    """Templates and catalogs of documents that have no source file, by document."""
    known = set(docs)
    paths = sorted(project.locales_dir.glob("*.pot"))
    for locale in project.locales:
        paths += sorted((project.locales_dir / locale).glob("*.po"))
    found: dict[str, list[Path]] = {}
    for path in paths:
        if path.stem not in known and path.is_file():
            found.setdefault(path.stem, []).append(path)
    return found


def _translated(path: Path) -> int:
    return sum(1 for e in read_po(path) if not e.obsolete and not e.is_header and e.msgstr.strip())


def _shared(texts: Sequence[str], pairs: Sequence[tuple[str, str]]) -> int:
    """How many sentences two documents share, when that makes them the same document.

    The same units under a new name: at least half of the larger one's units
    (a rename with a few edits is still a rename), else 0.
    """
    shared = sum((Counter(texts) & Counter(source for _, source in pairs)).values())
    return shared if shared and 2 * shared >= max(len(texts), len(pairs)) else 0


def _moved(catalog: Catalog, path: Path, old: str, new: str) -> Catalog:
    """A gone document's catalog, to be written under its new document's name."""
    po = catalog.po
    po.header = po.header.replace(f": {old} (", f": {new} (", 1)  # "<project>: <doc> (German)"
    return Catalog(path=path, locale=catalog.locale, po=po)


# -- the command -----------------------------------------------------------------------------


def update_catalogs(project: Project) -> list[DocumentReport]:
    """(Re)segment every source document into the template and every locale's catalog."""
    return segment_project(project).documents


def segment_project(project: Project, *, prune: bool = False) -> SegmentReport:
    """(Re)segment every source document; report (with ``prune``, remove) orphaned catalogs."""
    glossary = _glossary_terms(project)
    stamp = now_stamp()
    person = find_reviewer(project)
    new_header = partial(
        header,
        project_name=project.name,
        team=project.team,
        creation_date=stamp,
        translator=str(person) if person else None,
    )
    docs = project.docs()
    orphan_files = _orphan_files(project, docs)
    orphan_pairs = {
        doc: Catalog.load(files[0]).ids_and_sources() for doc, files in orphan_files.items()
    }
    renames = _Renames(dict(orphan_pairs))
    plans = [_plan(project, doc, glossary, new_header, renames) for doc in docs]
    orphans = _orphans(project, orphan_files, orphan_pairs, renames.done, plans)

    to_write: list[tuple[DocumentReport, Catalog]] = []
    for plan in plans:
        template, *localised = plan.catalogs
        if id(template) in plan.changed:
            for catalog in plan.catalogs:
                catalog.po.metadata["POT-Creation-Date"] = stamp
            to_write += [(plan.report, c) for c in plan.catalogs]
        else:
            to_write += [(plan.report, c) for c in localised if id(c) in plan.changed]
    to_prune = [project.root / f for o in orphans for f in o.files] if prune else []
    _check_writable(project, [c.path for _, c in to_write] + to_prune)

    result = SegmentReport([plan.report for plan in plans], orphans)
    for folder in [project.locales_dir] + [project.locales_dir / loc for loc in project.locales]:
        stale = remove_stale_temporaries(folder)
        result.removed_temporaries += [project.relative(p) for p in stale]
    written: list[str] = []
    try:
        for report, catalog in to_write:
            if catalog.save(touch_revision=catalog.locale is not None):
                written.append(project.relative(catalog.path))
                report.written.append(written[-1])
        for path in to_prune:
            path.unlink()
            result.pruned.append(project.relative(path))
    except (TransflowError, OSError) as exc:
        raise _partial(project, exc, written + result.pruned) from exc
    return result


@dataclass
class _Renames:
    """Gone documents a new one may have been renamed from, and the renames made."""

    unclaimed: dict[str, list[tuple[str, str]]]  # gone document → its (id, source) pairs
    done: dict[str, str] = field(default_factory=dict)  # gone document → its new name

    def claim(self, document: Document) -> str | None:
        """The gone document whose sentences ``document`` has, if any (claimed once)."""
        if not self.unclaimed:
            return None
        texts = [u.text for u in segment_document(document)[0]]
        score, old = max((_shared(texts, pairs), old) for old, pairs in self.unclaimed.items())
        if not score:
            return None
        self.done[old] = document.doc
        return old


@dataclass
class _Plan:
    """One document's merged catalogs (template first), before anything is written."""

    report: DocumentReport
    catalogs: list[Catalog]
    changed: set[int]  # ids of the catalogs the merge changed (or that are new files)
    texts: list[str]  # the units' sources, to recognise a renamed document


def _plan(
    project: Project,
    doc: str,
    glossary: Any,
    new_header: Callable[..., dict[str, str]],
    renames: _Renames,
) -> _Plan:
    """Segment one document and merge its units into its template and catalogs, in memory."""
    document = parse_document(project.source_file(doc), doc)
    paths = _catalog_paths(project, doc)
    catalogs = {loc: Catalog.load(path, loc, missing_ok=True) for loc, path in paths.items()}
    previous = next((c.ids_and_sources() for c in catalogs.values() if c.path.exists()), [])
    renamed_from = None
    if not any(path.exists() for path in paths.values()):
        renamed_from = renames.claim(document)
    if renamed_from is not None:
        previous = renames.unclaimed.pop(renamed_from)
        for loc, old in _catalog_paths(project, renamed_from).items():
            if old.exists():
                catalogs[loc] = _moved(Catalog.load(old, loc), paths[loc], renamed_from, doc)
    units, changes = segment_document(document, previous)
    units = _with_terms(units, glossary)
    reference = project.relative(project.source_file(doc))
    report = DocumentReport(doc, len(units), sum(u.words for u in units), changes)
    report.renamed_from = renamed_from
    changed: set[int] = set()
    for locale, catalog in catalogs.items():
        before = _fingerprint(catalog)
        if not catalog.po.metadata:
            language = "template" if locale is None else display_name(locale)
            catalog.po.header = f"{project.name}: {doc} ({language})"
            catalog.po.metadata = new_header(locale=locale)
        merged = merge_units(
            catalog, units, reference, glossary_notes=_glossary_notes(glossary, locale)
        )
        where = project.relative(catalog.path)
        report.repairs += [f"{where}:{line}: {message}" for line, message in merged.repairs]
        if locale is not None:
            report.locales[locale] = merged
        if _fingerprint(catalog) != before or not catalog.path.exists():
            changed.add(id(catalog))
    return _Plan(report, list(catalogs.values()), changed, [u.text for u in units])


def _fingerprint(catalog: Catalog) -> tuple[Any, ...]:
    """Everything a merge can change in a catalog, to tell whether it must be written.

    Comparing this is several times cheaper than rendering the catalog, and a
    catalog the merge left alone is not rewritten even when another tool laid it
    out differently (msgcat wraps lines its own way).
    """
    po = catalog.po
    entries = tuple(fingerprint(e) for e in po)
    return (po.header, tuple(po.metadata.items()), bool(po.metadata_is_fuzzy), entries)


def _orphans(
    project: Project,
    orphan_files: dict[str, list[Path]],
    orphan_pairs: dict[str, list[tuple[str, str]]],
    renamed: dict[str, str],
    plans: Sequence[_Plan],
) -> list[Orphan]:
    """The gone documents, with where their sentences went (moved now or on an earlier run)."""
    out = []
    for doc, files in sorted(orphan_files.items()):
        renamed_to = renamed.get(doc)
        if renamed_to is None:
            pairs = orphan_pairs[doc]
            score, best = max(
                ((_shared(p.texts, pairs), p.report.doc) for p in plans), default=(0, None)
            )
            renamed_to = best if score else None
        counts = {project.relative(p): _translated(p) for p in files}
        source = project.relative(project.source_file(doc))
        out.append(Orphan(doc, source, counts, renamed_to))
    return out


def _check_writable(project: Project, paths: Sequence[Path]) -> None:
    """Refuse the whole run, before the first write, when any of ``paths`` cannot be written."""
    problems = [(path, reason) for path in paths if (reason := unwritable_reason(path))]
    if problems:
        path, reason = problems[0]
        more = f" (and {len(problems) - 1} more files)" if len(problems) > 1 else ""
        raise WriteError(
            f"cannot write: {reason}{more}; nothing was written", Path(project.relative(path))
        )


def _partial(project: Project, exc: BaseException, done: list[str]) -> TransflowError:
    """The one-line error for a write that failed midway, saying what was already written."""
    what = f"written before this error: {', '.join(done)}" if done else "nothing was written"
    if isinstance(exc, TransflowError):
        where = Path(project.relative(exc.path)) if exc.path is not None else None
        return type(exc)(f"{exc.message}; {what}", where, exc.line)
    assert isinstance(exc, OSError)
    where = Path(project.relative(Path(exc.filename))) if exc.filename else None
    return WriteError(f"cannot write: {exc.strerror or exc}; {what}", where)
