"""Enforcing the glossary: source spellings to correct, target forms missing or forbidden.

These produce the ``glossary-*`` findings of ``transflow check``. One wrong
name is one finding: a target that writes a forbidden form of a term (say
"Aliyev" in German) gets ``glossary-forbidden`` with the fix, not also a
``glossary-missing`` for the same name. Names inside URLs and e-mail
addresses are never findings, in the source or in the target.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from transflow.finding import Finding, Severity
from transflow.glossary.model import FORBIDDEN, Entry, Glossary, outside_urls
from transflow.glossary_match import Hit, longest_non_overlapping

__all__ = ["GlossaryHit", "check_source", "check_target", "covered", "source_hits", "target_hits"]

# A glossary finding before it becomes a ``Finding``: (check, severity, message, term,
# expected, span). ``transflow.checking`` keeps findings as plain tuples; a frozen
# ``Finding`` costs more to make than the check that found it.
GlossaryHit = tuple[str, Severity, str, str, tuple[str, ...], tuple[int, int] | None]


def _findings(hits: list[GlossaryHit], unit_id: str, doc: str, locale: str | None) -> list[Finding]:
    return [
        Finding(unit_id, doc, locale, check, severity, message, term, expected, span)
        for check, severity, message, term, expected, span in hits
    ]


def check_source(glossary: Glossary, unit_id: str, doc: str, text: str) -> list[Finding]:
    """Warnings for spellings in the English source that the glossary corrects."""
    return _findings(source_hits(glossary, text), unit_id, doc, None)


def source_hits(glossary: Glossary, text: str) -> list[GlossaryHit]:
    """``check_source``'s findings as ``GlossaryHit`` tuples."""
    hits: list[GlossaryHit] = []
    for m in glossary.match(text):
        if m.variant_status != "correct":
            continue
        entry = glossary[m.entry_id]
        message = f"{m.matched} → {entry.en}"
        hits.append(
            ("glossary-variant", Severity.WARNING, message, entry.id, (entry.en,), (m.start, m.end))
        )
    return hits


def _list_forms(forms: Sequence[str], limit: int = 4) -> str:
    shown = ", ".join(forms[:limit])
    return shown + (", …" if len(forms) > limit else "")


def _fix_first(wrong: str, allowed: Sequence[str]) -> tuple[str, ...]:
    """``allowed`` with the form closest to the ``wrong`` one first: the fix to offer."""
    if len(allowed) < 2:
        return tuple(allowed)
    best = _closest()(wrong, allowed)
    first = best[0] if best else allowed[0]
    return (first, *(f for f in allowed if f != first))


@cache
def _closest() -> Any:
    """rapidfuzz's best match by ratio, imported on first use (14 ms that most runs never
    need) and once (an import statement in a function runs importlib on every call)."""
    from rapidfuzz import fuzz, process

    return lambda wrong, forms: process.extractOne(wrong, forms, scorer=fuzz.ratio)


def check_target(
    glossary: Glossary,
    unit_id: str,
    doc: str,
    locale: str,
    source: str,
    target: str,
    kind: str = "",
) -> list[Finding]:
    """Errors for glossary terms of ``source`` that ``target`` misses or misspells.

    For each entry found in the source: a forbidden form of it in the target is
    an error (``glossary-forbidden``, with the closest allowed form as the fix)
    unless it is part of a longer allowed form; otherwise the target must
    contain one of the locale's forms (``glossary-missing``), or, for a
    keep-untranslated entry, the English form verbatim or one of the locale's
    listed forms of it (``glossary-untranslated``). Empty targets give nothing:
    the QA 'untranslated' check reports those.

    In a salutation (``kind`` "salutation") a person's missing name is only a
    warning: "Dear Ms. Ursula von der Leyen," is "Madame la Présidente," in
    French and "Уважаемая госпожа Председатель!" in Russian, by convention.
    """
    return _findings(target_hits(glossary, locale, source, target, kind), unit_id, doc, locale)


def target_hits(
    glossary: Glossary, locale: str, source: str, target: str, kind: str = ""
) -> list[GlossaryHit]:
    """``check_target``'s findings as ``GlossaryHit`` tuples."""
    if not target.strip():
        return []
    ids = glossary.terms_in(source)
    if not ids:
        return []
    hits = outside_urls(target, glossary.target_matcher(locale).find_all(target))
    good = [h for h in hits if h.payload[1] != FORBIDDEN]
    present = {h.payload[0] for h in good}
    forbidden = [h for h in hits if h.payload[1] == FORBIDDEN]
    if not forbidden and present.issuperset(ids):  # the common case: all there, nothing wrong
        return []
    found: list[GlossaryHit] = []
    error = Severity.ERROR
    for entry_id in ids:
        entry = glossary[entry_id]
        allowed = glossary.target_forms(entry_id, locale)
        bad = [h for h in forbidden if h.payload[0] == entry_id and not covered(h, good)]
        if entry_id not in present and not bad:
            if entry.keep_untranslated:
                expected = tuple(dict.fromkeys((entry.en, *allowed)))
                message = (
                    f"{entry.en} must stay untranslated ({entry_id}): "
                    f"expected one of {_list_forms(expected)}"
                )
                found.append(("glossary-untranslated", error, message, entry_id, expected, None))
            elif allowed and kind == "salutation" and entry.type == "person":
                message = (
                    f"the salutation leaves out {entry_id}: fine if the title alone "
                    f"addresses the person, else use one of {_list_forms(allowed)}"
                )
                found.append(
                    ("glossary-missing", Severity.WARNING, message, entry_id, allowed, None)
                )
            elif allowed:
                message = (
                    f"missing glossary term {entry_id}: expected one of {_list_forms(allowed)}"
                )
                found.append(("glossary-missing", error, message, entry_id, allowed, None))
        for hit in longest_non_overlapping(bad):
            found.append(_forbidden(entry, locale, allowed, target, hit))
    return found


def _forbidden(
    entry: Entry, locale: str, allowed: tuple[str, ...], target: str, hit: Hit[tuple[str, str]]
) -> GlossaryHit:
    wrong = target[hit.start : hit.end]
    forms = entry.locales.get(locale)
    fixes = _fix_first(wrong, allowed) or (
        (forms.approved,) if forms and forms.approved else (entry.en,)
    )
    message = f"forbidden form {wrong!r} for {entry.id}: use {fixes[0]}"
    return ("glossary-forbidden", Severity.ERROR, message, entry.id, fixes, (hit.start, hit.end))


def covered(hit: Hit[tuple[str, str]], good: list[Hit[tuple[str, str]]]) -> bool:
    """Whether ``hit`` lies inside a longer allowed form (or the same span of its own entry)."""
    for g in good:
        inside = g.start <= hit.start and hit.end <= g.end
        if inside and (g.end - g.start > hit.end - hit.start or g.payload[0] == hit.payload[0]):
            return True
    return False
