"""The ``numbers`` check: every number of the source survives, written the target's way.

Numbers are compared by value, not by spelling: the English source "10,000"
and "2.5" are 10000 and 2.5, which German writes "10.000" (or "10 000") and
"2,5", French "10 000" (narrow no-break space) and "2,5", and so on; the
symbols come from CLDR via Babel, and a space, no-break space, narrow no-break
space or thin space is accepted as a thousands separator everywhere (SI
style). Dates and ranges need no special case: "October 25, 2025" holds 25 and
2025, and so must "25. Oktober 2025", "25 октября 2025 г." or "25.10.2025";
"2021–2024" holds 2021 and 2024. Words around numbers are the translator's
business ("10 million" → "10 Millionen" passes because 10 survives).

Outcomes for one source number: found → fine; found but with the English (or
another locale's) separators, as "2.5" in German → warning with the right form;
spelled out ("neun", "девять", "neuf", "doqquz") → warning saying so; fewer
occurrences than in the source → warning; absent → error.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from transflow.finding import Severity
from transflow.qa.base import Hit, LocaleRules, QAUnit, unit_check
from transflow.qa.language import SPACES, NumberFormat

__all__ = ["check_numbers", "number_values"]

# Digits with inner separators; a space-like separator only before a group of exactly three
# digits; not glued to a preceding letter ("H2O"). ASCII digits only.
_NUMBER = re.compile(
    rf"[0-9](?<!\w[0-9])[0-9]*(?:(?:[.,]|[{SPACES}](?=[0-9]{{3}}(?![0-9])))[0-9]+)*"
)
_RUN = re.compile(r"[0-9]+")
_ENGLISH = NumberFormat(".", "," + SPACES)
_CONTINENTAL = NumberFormat(",", "." + SPACES)
_ALTERNATIVES = (_ENGLISH, _CONTINENTAL)
_TO_SPACE: dict[str, dict[int, str]] = {}


def _canon(whole: str, frac: str | None) -> str:
    """A normalised value: no leading zeros, no trailing zeros in the fraction."""
    whole = whole.lstrip("0") or "0"
    if frac is None:
        return whole
    return f"{whole}.{frac.rstrip('0') or '0'}"


def _value(token: str, fmt: NumberFormat) -> str | None:
    """The value of ``token`` ("10000", "2.5") if it is well-formed in ``fmt``, else None."""
    if token.isdigit():
        return _canon(token, None)
    whole, frac = token, None
    if fmt.decimal in token:
        whole, _, frac = token.partition(fmt.decimal)
        if not frac.isdigit():
            return None
    if whole.isdigit():
        return _canon(whole, frac)
    table = _TO_SPACE.get(fmt.groups)
    if table is None:
        table = _TO_SPACE[fmt.groups] = {ord(c): " " for c in fmt.groups}
    chunks = whole.translate(table).split(" ")
    if not 1 <= len(chunks[0]) <= 3 or not chunks[0].isdigit():
        return None
    for chunk in chunks[1:]:
        if len(chunk) != 3 or not chunk.isdigit():
            return None
    return _canon("".join(chunks), frac)


def number_values(text: str, fmt: NumberFormat = _ENGLISH) -> list[tuple[str, str, int, int]]:
    """(value, raw text, start, end) of every number in ``text`` read with ``fmt``.

    Values are normalised strings ("10000", "2.5"). A token that is not
    well-formed in ``fmt`` (a date like "25.10.2025", or "2021 400" where two
    numbers meet) counts as its separate digit runs.
    """
    out = []
    for match in _NUMBER.finditer(text):
        token = match.group()
        value = _value(token, fmt)
        if value is not None:
            out.append((value, token, match.start(), match.end()))
            continue
        for run in _RUN.finditer(token):
            start = match.start() + run.start()
            out.append((_canon(run.group(), None), run.group(), start, start + len(run.group())))
    return out


def _target_values(tokens: list[str], fmt: NumberFormat) -> list[str]:
    """The values of a target's number tokens (``_NUMBER.findall``), read with ``fmt``."""
    out = []
    for token in tokens:
        if token.isdigit():
            out.append(token.lstrip("0") or "0")
            continue
        value = _value(token, fmt)
        if value is not None:
            out.append(value)
        else:
            out.extend(_canon(run, None) for run in _RUN.findall(token))
    return out


@lru_cache(maxsize=4096)
def _wanted(tokens: tuple[str, ...]) -> tuple[tuple[str, str, int], ...]:
    """The numbers of a source whose number tokens are ``tokens`` (``_NUMBER.findall``),
    once each, in order: (value, raw text, occurrences). Keyed on the tokens, not the
    sentence, so sentences with the same numbers share the work (``number_values``
    reads each token alone too)."""
    counts: dict[str, int] = {}
    raws: dict[str, str] = {}
    for token in tokens:
        value = _value(token, _ENGLISH)
        pairs = [(value, token)] if value is not None else _runs(token)
        for value, raw in pairs:
            counts[value] = counts.get(value, 0) + 1
            raws.setdefault(value, raw)
    return tuple((value, raws[value], count) for value, count in counts.items())


def _runs(token: str) -> list[tuple[str, str]]:
    """(value, raw text) of the digit runs of a token that is no well-formed number."""
    return [(_canon(run, None), run) for run in _RUN.findall(token)]


def _formatted(value: str, rules: LocaleRules) -> str:
    return _format(value, rules.locale, rules.numbers.decimal)


@lru_cache(maxsize=4096)
def _format(value: str, locale: str, decimal: str) -> str:
    """``value`` as CLDR writes it in ``locale`` (Babel takes 40 µs a call: memoised)."""
    from babel.numbers import format_decimal

    try:
        return str(format_decimal(Decimal(value), locale=locale.replace("-", "_")))
    except (InvalidOperation, ValueError, TypeError, LookupError):
        return value.replace(".", decimal)


@unit_check("numbers", Severity.ERROR)
def check_numbers(unit: QAUnit, rules: LocaleRules) -> list[Hit] | None:
    """Every number in the source appears in the target, in the target locale's format."""
    # No number token (no digit, or only digits glued to letters as in "H2O"): nothing can
    # be missing. One regex pass where a digit search and then this one took two.
    tokens = _NUMBER.findall(unit.source)
    if not tokens:
        return None
    target = unit.target
    found = _NUMBER.findall(target)
    # The common case, without reading any value: the same plain digit runs (no
    # separators, no leading zeros) in source and target, as in years and dates. (Tested
    # on the joined tokens and their first digits: twice as fast as a generator.)
    if tokens == found and "".join(tokens).isdigit() and "0" not in [t[0] for t in tokens]:
        return None
    wanted = _wanted(tuple(tokens))
    if not wanted:
        return None
    have = _target_values(found, rules.numbers)
    hits: list[Hit] | None = None
    for value, raw, need in wanted:
        count = have.count(value)
        if count >= need:
            continue
        if hits is None:
            hits = []
        if count:
            message = (
                f"the number {raw} appears {need} times in the source "
                f"but {count} in the translation"
            )
            hits.append(Hit(message, None, (raw,), Severity.WARNING))
        else:
            hits.append(_absent(value, raw, target, bool(found), rules))
    return hits


@lru_cache(maxsize=64)
def _others(decimal: str, groups: str) -> tuple[NumberFormat, ...]:
    """The other locales' ways of writing numbers, to recognise one written the wrong way.

    Keyed on the two strings of the locale's ``NumberFormat``: the dataclass's own hash
    is Python code, the strings' is cached."""
    return tuple(fmt for fmt in _ALTERNATIVES if fmt != NumberFormat(decimal, groups))


def _absent(value: str, raw: str, target: str, has_numbers: bool, rules: LocaleRules) -> Hit:
    """Why a source number is not in the target: wrong format, spelled out, or missing."""
    expected = _formatted(value, rules)
    if has_numbers:  # number tokens in the target (``check_numbers`` found some)
        others = _others(rules.numbers.decimal, rules.numbers.groups)
        for match in _NUMBER.finditer(target):
            token = match.group()
            for fmt in others:
                if _value(token, fmt) == value:
                    message = (
                        f"“{token}” is not how {rules.data.name} writes {raw}; write “{expected}”"
                    )
                    return Hit(message, match.span(), (expected,), Severity.WARNING)
    pattern = rules.data.spelled.get(value)
    if pattern is not None:
        word = pattern.search(target)
        if word is not None:
            message = (
                f"the number {raw} is spelled out (“{word.group()}”); fine if on purpose "
                "(add “qa-ignore: numbers — reason” to the translator comment)"
            )
            return Hit(message, word.span(), (expected,), Severity.WARNING)
    return Hit(f"the number {raw} is missing from the translation", None, (expected,))
