"""Enforcing the glossary: source spellings to correct, target forms missing or forbidden.

These produce the ``glossary-*`` findings of ``transflow check``. One wrong
name is one finding: a target that writes a forbidden form of a term (say
"Aliyev" in German) gets ``glossary-forbidden`` with the fix, not also a
``glossary-missing`` for the same name. Names inside URLs and e-mail
addresses are never findings, in the source or in the target.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from transflow.finding import Finding, Severity
from transflow.glossary.model import FORBIDDEN, Entry, Glossary, outside_urls
from transflow.glossary_match import Hit, longest_non_overlapping

__all__ = ["check_source", "check_target", "covered"]


def check_source(glossary: Glossary, unit_id: str, doc: str, text: str) -> list[Finding]:
    """Warnings for spellings in the English source that the glossary corrects."""
    findings = []
    for m in glossary.match(text):
        if m.variant_status != "correct":
            continue
        entry = glossary[m.entry_id]
        findings.append(
            Finding(
                unit=unit_id,
                doc=doc,
                locale=None,
                check="glossary-variant",
                severity=Severity.WARNING,
                message=f"{m.matched} → {entry.en}",
                term=entry.id,
                expected=(entry.en,),
                span=(m.start, m.end),
            )
        )
    return findings


def _list_forms(forms: Sequence[str], limit: int = 4) -> str:
    shown = ", ".join(forms[:limit])
    return shown + (", …" if len(forms) > limit else "")


def _fix_first(wrong: str, allowed: Sequence[str]) -> tuple[str, ...]:
    """``allowed`` with the form closest to the ``wrong`` one first: the fix to offer."""
    if len(allowed) < 2:
        return tuple(allowed)
    from rapidfuzz import fuzz, process

    best = process.extractOne(wrong, allowed, scorer=fuzz.ratio)
    first = best[0] if best else allowed[0]
    return (first, *(f for f in allowed if f != first))


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
    findings: list[Finding] = []

    def finding(
        check: str,
        entry: Entry,
        message: str,
        expected: Sequence[str],
        span: tuple[int, int] | None = None,
    ) -> Finding:
        return Finding(
            unit=unit_id,
            doc=doc,
            locale=locale,
            check=check,
            severity=Severity.ERROR,
            message=message,
            term=entry.id,
            expected=tuple(expected),
            span=span,
        )

    for entry_id in ids:
        entry = glossary[entry_id]
        forms = entry.locales.get(locale)
        allowed = entry.target_forms(locale)
        bad = [h for h in forbidden if h.payload[0] == entry_id and not covered(h, good)]
        if entry_id not in present and not bad:
            if entry.keep_untranslated:
                expected = tuple(dict.fromkeys((entry.en, *allowed)))
                findings.append(
                    finding(
                        "glossary-untranslated",
                        entry,
                        f"{entry.en} must stay untranslated ({entry_id}): "
                        f"expected one of {_list_forms(expected)}",
                        expected,
                    )
                )
            elif allowed and kind == "salutation" and entry.type == "person":
                findings.append(
                    dataclasses.replace(
                        finding(
                            "glossary-missing",
                            entry,
                            f"the salutation leaves out {entry_id}: fine if the title alone "
                            f"addresses the person, else use one of {_list_forms(allowed)}",
                            allowed,
                        ),
                        severity=Severity.WARNING,
                    )
                )
            elif allowed:
                findings.append(
                    finding(
                        "glossary-missing",
                        entry,
                        f"missing glossary term {entry_id}: expected one of {_list_forms(allowed)}",
                        allowed,
                    )
                )
        for hit in longest_non_overlapping(bad):
            wrong = target[hit.start : hit.end]
            fixes = _fix_first(wrong, allowed) or (
                (forms.approved,) if forms and forms.approved else (entry.en,)
            )
            findings.append(
                finding(
                    "glossary-forbidden",
                    entry,
                    f"forbidden form {wrong!r} for {entry_id}: use {fixes[0]}",
                    fixes,
                    (hit.start, hit.end),
                )
            )
    return findings


def covered(hit: Hit[tuple[str, str]], good: list[Hit[tuple[str, str]]]) -> bool:
    """Whether ``hit`` lies inside a longer allowed form (or the same span of its own entry)."""
    for g in good:
        inside = g.start <= hit.start and hit.end <= g.end
        if inside and (g.end - g.start > hit.end - hit.start or g.payload[0] == hit.payload[0]):
            return True
    return False
