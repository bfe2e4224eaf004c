"""Where a glossary entry is used: the source units that name it, and how each locale renders it.

``transflow glossary usage ID`` prints :func:`usage_report`; ``glossary rename``
and ``glossary remove`` ask :func:`entry_uses` before they change an entry that
the catalogs still rely on. Both read the units of each document from its
template (or, without one, from any catalog of it), as ``segment`` wrote them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from transflow.glossary.check import check_target
from transflow.glossary.model import Glossary

if TYPE_CHECKING:
    from transflow.config import Project

__all__ = ["entry_uses", "source_units", "usage_report"]


def source_units(project: Project, doc: str) -> list[tuple[str, str, int | None, str]]:
    """(unit id, source text, source line, ``#.`` comment) of one document's units."""
    from transflow.catalog import Catalog

    candidates = [project.template_path(doc)]
    candidates += [project.catalog_path(loc, doc) for loc in project.locales]
    for path in candidates:
        if path.exists():
            out = []
            for e in Catalog.load(path).units:
                line = None
                if e.occurrences:
                    try:
                        line = int(e.occurrences[0][1])
                    except (TypeError, ValueError):
                        line = None
                out.append((e.msgctxt or "", e.msgid, line, e.comment or ""))
            return out
    return []


def project_docs(project: Project) -> list[str]:
    """Every document of the project: its sources, templates and catalogs."""
    docs = set(project.docs())
    if project.locales_dir.is_dir():
        docs.update(p.stem for p in project.locales_dir.glob("*.pot"))
        for loc in project.locales:
            docs.update(p.stem for p in (project.locales_dir / loc).glob("*.po"))
    return sorted(docs)


def _names_term(comment: str, entry_id: str) -> bool:
    """Whether a ``#. terms: a, b`` note lists ``entry_id``."""
    text = " ".join(comment.split("\n"))
    start = text.find("terms:")
    if start < 0:
        return False
    listed = text[start + len("terms:") :].split(":")[0]
    return entry_id in {t.strip() for t in listed.replace(",", " ").split()}


def entry_uses(project: Project, glossary: Glossary, entry_id: str) -> list[tuple[str, str]]:
    """(doc, unit id) of every unit whose source names ``entry_id`` or whose notes list it."""
    uses = []
    for doc in project_docs(project):
        for unit_id, text, _, comment in source_units(project, doc):
            named = any(m.entry_id == entry_id for m in glossary.match(text))
            if named or _names_term(comment, entry_id):
                uses.append((doc, unit_id))
    return uses


def usage_report(project: Project, glossary: Glossary, entry_id: str) -> dict[str, Any]:
    """Where ``entry_id`` occurs in the source and whether each locale's targets satisfy it.

    ``{"id", "en", "documents": [{"doc", "units": [{"unit", "line", "text",
    "matched"}], "locales": {locale: {"satisfied", "violated", "untranslated",
    "violations": [{"unit", "check", "message"}]}}}], "totals": {locale: counts}}``.
    Raises KeyError for an unknown id.
    """
    from transflow.catalog import Catalog

    entry = glossary[entry_id]
    documents = []
    totals = {loc: {"satisfied": 0, "violated": 0, "untranslated": 0} for loc in project.locales}
    for doc in project_docs(project):
        units: list[dict[str, Any]] = []
        for unit_id, text, line, _ in source_units(project, doc):
            found = [m for m in glossary.match(text) if m.entry_id == entry_id]
            if found:
                units.append(
                    {
                        "unit": unit_id,
                        "line": line,
                        "text": text,
                        "matched": [m.matched for m in found],
                    }
                )
        if not units:
            continue
        per_locale: dict[str, Any] = {}
        for loc in project.locales:
            index = Catalog.load(project.catalog_path(loc, doc), loc, missing_ok=True).index()
            counts: dict[str, Any] = {"satisfied": 0, "violated": 0, "untranslated": 0}
            violations = []
            for unit in units:
                po = index.get(unit["unit"])
                target = po.msgstr if po is not None else ""
                if not target.strip():
                    counts["untranslated"] += 1
                    continue
                problems = [
                    f
                    for f in check_target(glossary, unit["unit"], doc, loc, unit["text"], target)
                    if f.term == entry_id
                ]
                if problems:
                    counts["violated"] += 1
                    violations += [
                        {"unit": unit["unit"], "check": f.check, "message": f.message}
                        for f in problems
                    ]
                else:
                    counts["satisfied"] += 1
            for key in ("satisfied", "violated", "untranslated"):
                totals[loc][key] += counts[key]
            counts["violations"] = violations
            per_locale[loc] = counts
        documents.append({"doc": doc, "units": units, "locales": per_locale})
    return {"id": entry.id, "en": entry.en, "documents": documents, "totals": totals}
