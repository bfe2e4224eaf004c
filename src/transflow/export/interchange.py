"""Units as translators' tools see them, independent of the file format.

The XLIFF, TMX and PO writers and the import all speak in these terms: a
unit's source and target, its state, the suggestion a catalog holds for it
(machine translation, a memory match, or the translation of an earlier
source) with its origin, and the glossary terms it contains with their
approved forms in the target language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from transflow.checking import entry_state
from transflow.config import Project
from transflow.export.content import SourceDoc
from transflow.notes import note
from transflow.poread import PoEntry
from transflow.unit import State

__all__ = ["Suggestion", "Term", "TransUnit", "load_glossary_terms", "trans_units"]


@dataclass(frozen=True)
class Suggestion:
    """A target a catalog holds but nobody confirmed: what XLIFF calls a match."""

    text: str
    kind: str  # "mt", "tm" or "other" (XLIFF 2.0 match types)
    origin: str
    score: int | None = None  # memory similarity in percent


@dataclass(frozen=True)
class Term:
    """A glossary term in a unit: its English form and, for the locale, the forms to use."""

    id: str
    english: str
    approved: str | None
    forms: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    keep_untranslated: bool = False

    def describe(self) -> str:
        """One line for a translator: "Ilham Aliyev → İlham Əliyev (also …; never …)"."""
        text = f"{self.english} → {self.approved or self.english}"
        extra = []
        others = [f for f in self.forms if f != self.approved]
        if others:
            extra.append("also " + ", ".join(others))
        if self.forbidden:
            extra.append("never " + ", ".join(self.forbidden))
        if self.keep_untranslated:
            extra.append("keep untranslated")
        return f"{text} ({'; '.join(extra)})" if extra else text


@dataclass(frozen=True)
class TransUnit:
    """One unit of one document in one locale, with everything a CAT tool can show."""

    id: str
    kind: str
    source: str
    target: str  # a confirmed target (translated or approved), else ""
    state: State
    location: str
    suggestion: Suggestion | None = None
    terms: tuple[Term, ...] = ()
    comments: str = ""  # the translator comments of the PO entry
    previous_source: str | None = None
    notes: tuple[str, ...] = field(default=())
    catalog: str = ""  # the catalog and line of the unit's entry, for messages
    line: int = 0


def load_glossary_terms(project: Project, locale: str) -> dict[str, Term]:
    """Glossary entry id → Term for ``locale`` (empty without a glossary file)."""
    if not project.glossary_path.exists():
        return {}
    from transflow.glossary import load_glossary

    glossary: Any = load_glossary(project.glossary_path)
    terms: dict[str, Term] = {}
    for entry in glossary:
        forms = entry.locales.get(locale)
        terms[entry.id] = Term(
            id=entry.id,
            english=entry.en,
            approved=forms.approved if forms else None,
            forms=tuple(forms.forms) if forms else (),
            forbidden=tuple(forms.forbidden) if forms else (),
            keep_untranslated=bool(entry.keep_untranslated),
        )
    return terms


def _suggestion(entry: PoEntry, state: State) -> Suggestion | None:
    """The suggestion a catalog holds for a unit, with its origin (the review API's reading)."""
    from transflow.review import MachineSuggestion, MemorySuggestion, parse_provenance

    if state not in (State.MACHINE, State.MEMORY, State.NEEDS_REVIEW) or not entry.msgstr:
        return None
    provenance = parse_provenance(entry.comment)
    if state == State.MACHINE:
        model = str(provenance) if isinstance(provenance, MachineSuggestion) else "machine"
        return Suggestion(entry.msgstr, "mt", model)
    if state == State.MEMORY:
        if isinstance(provenance, MemorySuggestion):
            return Suggestion(entry.msgstr, "tm", provenance.origin, provenance.score)
        return Suggestion(entry.msgstr, "tm", "translation memory")
    return Suggestion(entry.msgstr, "other", "earlier translation; the English changed since")


def trans_units(
    source: SourceDoc, locale: str, terms: dict[str, Term], project: Project
) -> list[TransUnit]:
    """The units of one document in one locale, in document order."""
    entries = source.catalogs[locale]
    reference = project.relative(project.source_file(source.doc))
    catalog = project.relative(source.catalog_paths[locale])
    out: list[TransUnit] = []
    for unit in source.units:
        entry = entries[unit.id]
        state = entry_state(entry)
        term_ids = [t.strip() for t in (note(entry.comment, "terms") or "").split(",") if t.strip()]
        out.append(
            TransUnit(
                id=unit.id,
                kind=unit.kind,
                source=unit.text,
                target=entry.msgstr if state >= State.TRANSLATED else "",
                state=state,
                location=f"{reference}:{unit.line}",
                suggestion=_suggestion(entry, state),
                terms=tuple(terms[t] for t in term_ids if t in terms),
                comments=entry.tcomment,
                previous_source=entry.previous_msgid,
                catalog=catalog,
                line=entry.keyword_line or entry.line,
            )
        )
    return out


def doc_from_reference(reference: str, docs: Sequence[str]) -> str | None:
    """The document a ``source/<doc>.md`` reference (or a bare doc id or file name) names."""
    name = Path(reference.split(":")[0]).name
    stem = name[:-3] if name.endswith(".md") else name
    for candidate in (stem, name):
        if candidate in docs:
            return candidate
    return None
