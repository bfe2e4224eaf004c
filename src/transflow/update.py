"""Keeping catalogs in step with the source: the work behind ``transflow segment``.

Everything is read and checked first (every source document, the glossary,
every existing catalog); only then is anything written, so bad input leaves
every file as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from transflow.catalog import Catalog, MergeReport, header, merge_units, now_stamp
from transflow.config import Project
from transflow.document import Document, parse_document
from transflow.locale import display_name
from transflow.reviewer import find_reviewer
from transflow.segment import IdChanges, segment_document
from transflow.unit import Unit

__all__ = ["DocumentReport", "load_units", "previous_ids", "update_catalogs"]


@dataclass
class DocumentReport:
    """What ``segment`` did to one document."""

    doc: str
    units: int
    words: int
    changes: IdChanges
    locales: dict[str, MergeReport] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)

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
        }


def previous_ids(project: Project, doc: str) -> list[tuple[str, str]]:
    """The (id, source) pairs last written for a document: from its template, else any catalog."""
    template = project.template_path(doc)
    candidates = [template] + [project.catalog_path(loc, doc) for loc in project.locales]
    for path in candidates:
        if path.exists():
            return Catalog.load(path).ids_and_sources()
    return []


def _glossary_terms(project: Project) -> Any:
    """The project's glossary matcher, or None when there is no glossary file."""
    if not project.glossary_path.exists():
        return None
    from transflow.glossary import load_glossary

    return load_glossary(project.glossary_path)


def load_units(
    project: Project, doc: str, glossary: Any = None
) -> tuple[Document, list[Unit], IdChanges]:
    """Parse and segment one document, with ids aligned to its catalogs and terms attached."""
    document = parse_document(project.source_file(doc), doc)
    units, changes = segment_document(document, previous_ids(project, doc))
    if glossary is not None:
        units = [
            Unit(u.id, u.kind, u.text, u.doc, u.line, u.block, tuple(glossary.terms_in(u.text)))
            for u in units
        ]
    return document, units, changes


def update_catalogs(project: Project) -> list[DocumentReport]:
    """(Re)segment every source document into the template and every locale's catalog."""
    glossary = _glossary_terms(project)
    stamp = now_stamp()
    person = find_reviewer(project)
    translator = str(person) if person else None
    plans: list[tuple[DocumentReport, list[Catalog]]] = []
    for doc in project.docs():
        _, units, changes = load_units(project, doc, glossary)
        reference = project.relative(project.source_file(doc))
        report = DocumentReport(doc, len(units), sum(u.words for u in units), changes)
        catalogs: list[Catalog] = []
        for locale in (None, *project.locales):
            path = (
                project.template_path(doc) if locale is None else project.catalog_path(locale, doc)
            )
            catalog = Catalog.load(path, locale, missing_ok=True)
            if not catalog.po.metadata:
                language = "template" if locale is None else display_name(locale)
                catalog.po.header = f"{project.name}: {doc} ({language})"
                catalog.po.metadata = header(
                    project_name=project.name,
                    team=project.team,
                    locale=locale,
                    creation_date=stamp,
                    translator=translator,
                )
            result = merge_units(catalog, units, reference)
            if locale is not None:
                report.locales[locale] = result
            catalogs.append(catalog)
        plans.append((report, catalogs))
    # Everything parsed: now write, template first.
    for report, catalogs in plans:
        template, *localised = catalogs
        if template.render() != (template.path.read_bytes() if template.path.exists() else b""):
            template.po.metadata["POT-Creation-Date"] = stamp
            for catalog in localised:
                catalog.po.metadata["POT-Creation-Date"] = stamp
        for catalog in catalogs:
            if catalog.save(touch_revision=catalog.locale is not None):
                report.written.append(project.relative(catalog.path))
    return [report for report, _ in plans]
