"""Project-scope checks: one source, one translation, across all documents of a locale.

Only approved units (translated or reviewed) take part: suggestions are
expected to disagree until someone reviews them. Texts are compared after
collapsing whitespace, so a stray double space is the ``whitespace`` check's
business, not an inconsistency (no-break spaces are kept as they are).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from transflow.finding import Severity
from transflow.qa.base import Hit, LocaleRules, QAUnit, project_check
from transflow.unit import State

__all__ = [
    "CONSISTENCY_CHECKS",
    "check_inconsistent_source",
    "check_inconsistent_target",
    "consistency_key",
    "shared_keys",
]

CONSISTENCY_CHECKS = frozenset({"inconsistent-target", "inconsistent-source"})


def _norm(text: str) -> str:
    if "  " in text or "\n" in text or "\t" in text:
        return " ".join(text.split())
    return text.strip()


def consistency_key(source: str, target: str, state: State) -> tuple[str, str] | None:
    """(normalised source, normalised target) of an approved unit, as the checks compare them.

    None for a unit that takes no part (not approved, or a blank target).
    """
    if state >= State.TRANSLATED and target.strip():
        return _norm(source), _norm(target)
    return None


def shared_keys(keys: Sequence[tuple[Hashable, Hashable] | None]) -> list[int]:
    """Indexes of the keys whose source or target another key shares.

    A key is ``consistency_key``'s pair, or any pair that stands for it (hashes).

    Both checks only report units in a group of at least two approved units with
    the same source (or the same target), and only compare units within such a
    group; so running them over just these units, in their order, gives exactly
    the hits (mapped back to these indexes) of running them over all units. In a
    project of unique sentences that is almost none.
    """
    from collections import Counter

    present = [key for key in keys if key is not None]
    source_list = [key[0] for key in present]
    target_list = [key[1] for key in present]
    # Mostly every text is unique: a set says so at half the cost of counting.
    if len(set(source_list)) == len(present) and len(set(target_list)) == len(present):
        return []
    sources = Counter(source_list)
    targets = Counter(target_list)
    return [
        index
        for index, key in enumerate(keys)
        if key is not None and (sources[key[0]] > 1 or targets[key[1]] > 1)
    ]


# The approved pairs of the last tuple of units seen: the runner gives both checks the
# same tuple, so the texts are normalised once. Only a tuple (of frozen units) cannot
# change between the two calls; identity, not equality, decides.
_last_pairs: tuple[tuple[QAUnit, ...] | None, list[tuple[int, str, str]]] = (None, [])


def _pairs(units: Sequence[QAUnit]) -> list[tuple[int, str, str]]:
    """(index, normalised source, normalised target) of the approved units."""
    global _last_pairs
    if _last_pairs[0] is units:
        return _last_pairs[1]
    pairs = [
        (index, _norm(unit.source), _norm(unit.target))
        for index, unit in enumerate(units)
        if unit.state >= State.TRANSLATED and unit.target.strip()
    ]
    if isinstance(units, tuple):
        _last_pairs = (units, pairs)
    return pairs


def _groups(units: Sequence[QAUnit], key_source: bool) -> dict[str, dict[str, list[int]]]:
    """key text → other text → indexes of the approved units pairing them."""
    groups: dict[str, dict[str, list[int]]] = {}
    for index, source, target in _pairs(units):
        key, other = (source, target) if key_source else (target, source)
        groups.setdefault(key, {}).setdefault(other, []).append(index)
    return groups


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@project_check("inconsistent-target", Severity.WARNING)
def check_inconsistent_target(units: Sequence[QAUnit], rules: LocaleRules) -> list[tuple[int, Hit]]:
    """The same source sentence is translated differently in approved units of one locale."""
    hits: list[tuple[int, Hit]] = []
    for variants in _groups(units, key_source=True).values():
        if len(variants) < 2:
            continue
        # The most used translation (the first seen on a tie) is taken as the reference.
        best = max(variants, key=lambda text: len(variants[text]))
        reference = units[variants[best][0]]
        for text, indexes in variants.items():
            if text == best:
                continue
            message = (
                f"the same source is translated differently in {reference.doc} "
                f"({reference.unit_id}): “{_short(best)}”"
            )
            for index in indexes:
                hits.append((index, Hit(message, (0, len(units[index].target)), (best,))))
    return hits


@project_check("inconsistent-source", Severity.WARNING)
def check_inconsistent_source(units: Sequence[QAUnit], rules: LocaleRules) -> list[tuple[int, Hit]]:
    """One translation is used for different source sentences in one locale."""
    hits: list[tuple[int, Hit]] = []
    for variants in _groups(units, key_source=False).values():
        if len(variants) < 2:
            continue
        for source, indexes in variants.items():
            others = [text for text in variants if text != source]
            other = units[variants[others[0]][0]]
            more = f" and {len(others) - 1} more" if len(others) > 1 else ""
            message = (
                f"this translation is also used for a different source in {other.doc} "
                f"({other.unit_id}): “{_short(others[0])}”{more}"
            )
            for index in indexes:
                hits.append((index, Hit(message, (0, len(units[index].target)))))
    return hits
