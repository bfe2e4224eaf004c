"""Merging a document's units into a catalog, as ``msgmerge`` would, never losing a translation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import polib

from transflow.catalog.catalog import Catalog
from transflow.catalog.entrynotes import set_notes
from transflow.catalog.states import drop_provenance, set_state
from transflow.unit import State, Unit


@dataclass
class MergeReport:
    """What merging a document's units into one catalog did."""

    added: int = 0
    changed: int = 0  # source edited under an existing translation (now needs review)
    obsoleted: int = 0  # translated or commented units whose sentence left the source (#~)
    dropped: int = 0  # untranslated units whose sentence left the source
    revived: int = 0  # obsolete translations brought back because their sentence returned
    # (line, what was done): entries sharing one id, repaired without losing either
    repairs: list[tuple[int, str]] = field(default_factory=list)


def _has_work(entry: polib.POEntry) -> bool:
    """Whether an entry holds something a person wrote: a translation or a comment."""
    return bool(
        entry.msgstr.strip()
        or any(v.strip() for v in (entry.msgstr_plural or {}).values())
        or entry.tcomment.strip()
    )


def _by_id(
    entries: Sequence[polib.POEntry], units: dict[str, Unit]
) -> tuple[dict[str, polib.POEntry], list[tuple[polib.POEntry, polib.POEntry]]]:
    """Live entries by id, and the (displaced, kept) pairs where two share an id.

    A merge or a hand edit can leave two entries with one ``msgctxt`` (msgfmt
    accepts it). The one whose source is the unit's keeps the id, else the first;
    the other is displaced: ``merge_units`` gives it back to the unit whose
    sentence it translates, or keeps it as obsolete.
    """
    kept: dict[str, polib.POEntry] = {}
    displaced: list[tuple[polib.POEntry, polib.POEntry]] = []
    for entry in entries:
        if entry.obsolete or entry.msgctxt is None:
            continue
        first = kept.setdefault(entry.msgctxt, entry)
        if first is entry:
            continue
        unit = units.get(entry.msgctxt)
        if unit is not None and entry.msgid == unit.text and first.msgid != unit.text:
            kept[entry.msgctxt] = entry
            displaced.append((first, entry))
        else:
            displaced.append((entry, first))
    return kept, displaced


def _revivals(
    missing: Sequence[Unit], candidates: Sequence[polib.POEntry]
) -> dict[str, polib.POEntry]:
    """For units with no live entry, the earlier entry to bring back, by unit id.

    Obsolete entries are keyed by id: one with the unit's id and sentence comes
    back first; then any with the same sentence, in file order. Each is used once,
    so two translations of one repeated sentence never collapse into one.
    """
    exact: dict[tuple[str | None, str], polib.POEntry] = {}
    by_source: dict[str, list[polib.POEntry]] = {}
    for entry in candidates:
        exact.setdefault((entry.msgctxt, entry.msgid), entry)
        by_source.setdefault(entry.msgid, []).append(entry)
    used: set[int] = set()
    chosen: dict[str, polib.POEntry] = {}
    for unit in missing:
        found = exact.get((unit.id, unit.text))
        if found is not None:
            chosen[unit.id] = found
            used.add(id(found))
    positions: dict[str, int] = {}
    for unit in missing:
        if unit.id in chosen:
            continue
        queue = by_source.get(unit.text, [])
        at = positions.get(unit.text, 0)
        while at < len(queue) and id(queue[at]) in used:
            at += 1
        positions[unit.text] = at + 1
        if at < len(queue):
            chosen[unit.id] = queue[at]
            used.add(id(queue[at]))
    return chosen


def merge_units(
    catalog: Catalog,
    units: Sequence[Unit],
    reference: str,
    *,
    glossary_notes: Callable[[str], str | None] | None = None,
) -> MergeReport:
    """Bring a catalog in line with a document's units, as msgmerge would.

    Existing translations are never lost: an edited source keeps its
    translation marked ``fuzzy`` with the old source as ``#| msgid``; a removed
    sentence's translation (or translator comment) becomes obsolete (``#~``); an
    obsolete translation whose sentence returns is revived. ``glossary_notes``
    gives the ``glossary:`` note of a term id for this catalog's locale (none in
    the template).
    """
    report = MergeReport()
    by_unit = {u.id: u for u in units}
    existing, displaced = _by_id(catalog.po, by_unit)
    losers = {id(loser) for loser, _ in displaced}
    candidates = [loser for loser, _ in displaced] + [e for e in catalog.po if e.obsolete]
    revivals = _revivals([u for u in units if u.id not in existing], candidates)
    new_entries: list[polib.POEntry] = []
    for unit in units:
        entry = existing.get(unit.id)
        if entry is None:
            entry = revivals.get(unit.id)
            if entry is not None:
                report.revived += bool(entry.obsolete)
                entry.obsolete = False
                entry.msgctxt = unit.id
            else:
                entry = polib.POEntry(msgctxt=unit.id, msgid=unit.text, msgstr="")
                report.added += 1
        elif entry.msgid != unit.text:
            if entry.msgstr.strip():
                # Keep the source the translation was made for, as msgmerge does.
                if entry.previous_msgid is None:
                    entry.previous_msgid = entry.msgid
                set_state(entry, State.NEEDS_REVIEW)
                drop_provenance(entry)
                report.changed += 1
            entry.msgid = unit.text
        entry.occurrences = [(reference, str(unit.line))]
        notes = [glossary_notes(t) for t in unit.terms] if glossary_notes else []
        set_notes(
            entry,
            {
                "kind": unit.kind,
                "terms": ", ".join(unit.terms) if unit.terms else None,
                "glossary": [n for n in notes if n],
            },
        )
        new_entries.append(entry)
    placed = {id(e) for e in new_entries}
    wanted = by_unit.keys()
    obsolete: list[polib.POEntry] = []
    for e in catalog.po:
        if id(e) in placed:
            continue
        if e.obsolete:
            obsolete.append(e)
        elif id(e) in losers or e.msgctxt not in wanted:
            if _has_work(e):
                e.obsolete = True
                e.occurrences = []
                obsolete.append(e)
                report.obsoleted += 1
            else:
                report.dropped += 1
    for loser, winner in displaced:
        both = (
            f"two entries with id {winner.msgctxt} (line {winner.linenum} and line {loser.linenum})"
        )
        if id(loser) in placed:
            outcome = f"went back to the unit of its own sentence ({loser.msgctxt})"
        elif loser.obsolete:
            outcome = "is kept as obsolete (#~): its sentence is not in the source"
        else:
            outcome = "had no translation or comment and was removed"
        if id(winner) in placed:
            done = (
                f"line {winner.linenum} keeps the id; the entry of line {loser.linenum} {outcome}"
            )
        else:
            done = "the id left the source: each is kept as obsolete if it has a translation"
        report.repairs.append((loser.linenum or 0, f"{both}; {done}"))
    catalog.po[:] = new_entries + obsolete
    return report
