"""What a unit looks like to a reviewer: read-only views, the suggestion's origin."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from transflow.approval import Approval
from transflow.unit import State, word_count


@dataclass(frozen=True)
class MachineSuggestion:
    """Where a machine suggestion came from: ``engine`` "argos", ``model`` its package."""

    engine: str
    model: str

    def __str__(self) -> str:
        return f"{self.engine}: {self.model}" if self.model else self.engine


@dataclass(frozen=True)
class MemorySuggestion:
    """Where a memory match came from: its score, the catalog and unit (or TMX file)."""

    score: int | None
    origin: str
    catalog: str | None
    unit: str | None
    reviewed: bool

    def __str__(self) -> str:
        score = f"{self.score}% " if self.score is not None else ""
        status = "reviewed" if self.reviewed else "translated"
        return f"{score}from {self.origin} ({status})"


Provenance = MachineSuggestion | MemorySuggestion
_MEMORY_NOTE = re.compile(r"^(?:(\d{1,3})% )?from (\S+)(?: \((reviewed|translated)\))?\s*$")


def parse_provenance(comment: str) -> Provenance | None:
    """The suggestion's origin from an entry's ``#.`` notes (``machine:`` or ``memory:``)."""
    from transflow.notes import note

    machine = note(comment, "machine")
    if machine:
        engine, _, model = machine.partition(":")
        return MachineSuggestion(engine.strip(), model.strip())
    memory = note(comment, "memory")
    if memory:
        match = _MEMORY_NOTE.match(memory.strip())
        if match is None:
            return MemorySuggestion(None, memory.strip(), None, None, False)
        score, origin, status = match.groups()
        catalog, _, unit = origin.partition("#")
        return MemorySuggestion(
            int(score) if score else None,
            origin,
            catalog if unit else None,
            unit or None,
            status == "reviewed",
        )
    return None


@dataclass(frozen=True)
class TermView:
    """A glossary term found in a unit's source, with the forms allowed in the unit's locale."""

    id: str
    type: str
    english: str  # the approved English form
    matched: str  # what the source says (the form itself or a variant)
    start: int
    end: int
    variant_status: str | None  # None: the approved form; "acceptable" or "correct"
    approved: str | None  # how the matched form is written in the locale (None: left to MT)
    allowed: tuple[str, ...]  # that rendering and its cases first, then every allowed form
    cases: Mapping[str, str]
    forbidden: tuple[str, ...]
    keep_untranslated: bool
    note: str


@dataclass(frozen=True)
class UnitView:
    """A read-only view of one unit in one locale, as a reviewer needs it."""

    id: str
    doc: str
    locale: str
    index: int  # position in the catalog (document order)
    kind: str
    source: str
    target: str
    state: State
    approval: Approval | None
    provenance: Provenance | None
    previous_source: str | None  # the source the translation was made for, if edited since
    comments: str  # the translator comments, approval lines aside
    terms: tuple[TermView, ...]
    reference: str | None  # "source/<doc>.md:<line>"
    po_line: int | None
    protection_failed: tuple[str, ...] = ()

    @property
    def words(self) -> int:
        return word_count(self.source)

    @property
    def stale_approval(self) -> bool:
        """An approval is recorded, but the text changed since: it does not count."""
        return self.approval is not None and not self.approval.current


@dataclass(frozen=True)
class SaveResult:
    """What ``ReviewSession.save`` did: written or not, and units another writer changed."""

    written: bool
    from_disk: frozenset[str] = frozenset()
