"""Checks on the unit as a whole: is it translated, reviewed, plausible in length, URLs intact.

``untranslated`` is the only check that runs on a blank target (the runner
skips every other check for those). Choice, made with translators in mind:
``transflow check`` runs before publishing, and coverage already counts new
units, so a NEW unit is only ``info`` ("not translated yet", for coordinators
who filter on it); a blank target in a unit marked as a suggestion or as needing
review is a ``warning`` (someone accepted an empty suggestion); a blank target
marked translated or reviewed is an ``error``, because it would publish as
empty text.
"""

from __future__ import annotations

import re

from transflow.finding import Severity
from transflow.qa.base import Hit, LocaleRules, QAUnit, unit_check, url_spans
from transflow.unit import State

__all__ = [
    "check_length_ratio",
    "check_same_as_source",
    "check_unreviewed_suggestion",
    "check_untranslated",
    "check_urls",
]


@unit_check("untranslated", Severity.INFO, highest=Severity.ERROR)
def check_untranslated(unit: QAUnit, rules: LocaleRules) -> list[Hit] | None:
    """The target is empty: info for new units, error if marked translated or reviewed."""
    if unit.target.strip():
        return None
    if unit.state == State.NEW:
        return [Hit("not translated yet")]
    if unit.state >= State.TRANSLATED:
        message = f"the target is blank but marked {unit.state.label}; it would publish as empty"
        return [Hit(message, severity=Severity.ERROR)]
    return [Hit(f"the {unit.state.label} suggestion is blank", severity=Severity.WARNING)]


@unit_check("unreviewed-suggestion", Severity.INFO)
def check_unreviewed_suggestion(unit: QAUnit, rules: LocaleRules) -> list[Hit] | None:
    """A machine-translation or memory suggestion nobody has reviewed yet."""
    if unit.state >= State.TRANSLATED:  # most units: what both tests below conclude
        return None
    if unit.state == State.MACHINE or ("machine" in unit.flags and unit.state < State.TRANSLATED):
        return [Hit("machine translation not reviewed yet", (0, len(unit.target)))]
    if unit.state == State.MEMORY or ("memory" in unit.flags and unit.state < State.TRANSLATED):
        return [Hit("translation-memory suggestion not reviewed yet", (0, len(unit.target)))]
    return None


# A "word" of a source that may legitimately stay as it is: a capitalised word
# (a name, an acronym), a number, or nothing but punctuation.
_WORD = re.compile(r"[^\W\d_][\w’'\-]*|\d[\d.,:/\-]*")


# Capitalised words that are not names: salutations, headings, months, days.
_NOT_NAMES_TEXT = """dear to from the of and in on for with by at appeal appeals letter
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday"""
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())


def _only_names(source: str, keep: tuple[str, ...]) -> bool:
    """Whether ``source`` may legitimately be copied: only kept terms, names, numbers, marks."""
    for term in keep:
        if term:
            source = source.replace(term, " ")
    for word in _WORD.findall(source):
        if word[0].isalpha() and (not word[0].isupper() or word.lower() in _NOT_NAMES):
            return False
    return True


@unit_check("same-as-source", Severity.WARNING)
def check_same_as_source(unit: QAUnit, rules: LocaleRules) -> list[Hit] | None:
    """The target is a copy of the source (names, numbers and kept terms excepted)."""
    target = unit.target
    if target != unit.source and target.strip() != unit.source.strip():
        return None
    if _only_names(unit.source, unit.keep_untranslated_terms):
        return None
    return [Hit("the target is identical to the English source", (0, len(target)))]


@unit_check("urls", Severity.ERROR)
def check_urls(unit: QAUnit, rules: LocaleRules) -> list[Hit] | None:
    """URLs and e-mail addresses in the source appear unchanged in the target."""
    source = unit.source
    # ``url_spans``'s own pre-test, without a call: most sources hold no address.
    if (
        "://" not in source
        and "www." not in source
        and "@" not in source
        and "mailto:" not in source
    ):
        return None
    source_spans = url_spans(source)
    if not source_spans:
        return None
    target = unit.target
    target_spans = url_spans(target)
    target_urls = [target[a:b] for a, b in target_spans]
    hits = []
    for a, b in source_spans:
        url = unit.source[a:b]
        if url in target_urls:
            target_urls.remove(url)
            continue
        # Point at the changed address if there is exactly one candidate left.
        stray = [span for span in target_spans if target[span[0] : span[1]] not in unit.source]
        span = stray[0] if len(stray) == 1 else None
        hits.append(Hit(f"{url} is missing or changed", span, (url,)))
    return hits


@unit_check("length-ratio", Severity.INFO)
def check_length_ratio(unit: QAUnit, rules: LocaleRules) -> list[Hit] | None:
    """The target is far shorter or longer than usual for this language (20+ character units)."""
    n_source = len(unit.source)
    if n_source < 20:
        return None
    ratio = len(unit.target) / n_source
    low, high = rules.length_range
    if n_source < 60:  # short sentences vary more
        low, high = low * 0.75, high * 1.3
    if low <= ratio <= high:
        return None
    # Far outside the range usually means truncated or run-on machine output.
    severity = Severity.WARNING if ratio < low * 0.6 or ratio > high * 1.5 else None
    word, question = ("shorter", "missing") if ratio < low else ("longer", "added")
    message = (
        f"the target is {ratio:.2f}× the source's length, {word} than the usual "
        f"{low:.2f}–{high:.2f} for {rules.data.name}; is something {question}?"
    )
    return [Hit(message, (0, len(unit.target)), severity=severity)]
