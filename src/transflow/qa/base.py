"""The pieces every check shares: the unit it looks at, what it returns, the registry.

A check is a plain function registered with ``@unit_check(name, severity)`` or
``@project_check(name, severity)``; the first line of its docstring is the
description ``transflow check --list`` prints (translate-toolkit style). A
unit check sees one source/target pair and returns ``Hit``s (or None); a
project check sees all units of one locale at once. The runner turns hits into
``Finding``s, applying the configured severity and translator suppressions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from transflow.finding import Severity
from transflow.qa.language import LanguageData, NumberFormat
from transflow.unit import State

__all__ = [
    "CHECKS",
    "Check",
    "Hit",
    "LocaleRules",
    "ProjectCheck",
    "QAUnit",
    "UnitCheck",
    "can_block",
    "project_check",
    "unit_check",
    "url_spans",
]


@dataclass(slots=True)  # not frozen: a frozen init costs 5x more, 0.1 s per 100,000 units
class QAUnit:
    """One unit of one locale, as the checks see it.

    ``translator_comments`` is the PO translator comment (``# ...`` lines,
    without the ``# ``), where ``qa-ignore:`` lines live;
    ``keep_untranslated_terms`` are glossary terms that stay verbatim in this
    locale (outlet names and the like); ``kind`` is the block kind
    (``transflow.unit.BlockKind``) when known, e.g. "salutation".
    """

    unit_id: str
    doc: str
    locale: str
    source: str
    target: str
    state: State
    flags: tuple[str, ...] = ()
    translator_comments: str = ""
    keep_untranslated_terms: tuple[str, ...] = ()
    kind: str = ""


class Hit(NamedTuple):
    """What a check found: a message, where (in the target), the fix, an optional severity.

    ``severity`` overrides the check's default for this hit (e.g. a spelled-out
    number is a warning where a missing one is an error); a severity set in
    ``[tool.transflow.qa]`` overrides both.
    """

    message: str
    span: tuple[int, int] | None = None
    expected: tuple[str, ...] = ()
    severity: Severity | None = None


@dataclass(frozen=True)
class LocaleRules:
    """Everything a check needs to know about the target locale, built once per locale."""

    locale: str
    language: str
    data: LanguageData
    numbers: NumberFormat
    length_range: tuple[float, float]


UnitCheck = Callable[[QAUnit, LocaleRules], "list[Hit] | None"]
ProjectCheck = Callable[[Sequence[QAUnit], LocaleRules], "list[tuple[int, Hit]]"]


@dataclass(frozen=True)
class Check:
    """A registered check: ``scope`` is "unit" (one pair) or "project" (one locale's units)."""

    name: str
    severity: Severity
    description: str
    func: UnitCheck | ProjectCheck
    scope: str = "unit"
    highest: Severity | None = None  # the most severe its findings can be, if above ``severity``

    def can_block(self, override: Severity | None = None) -> bool:
        """Whether a finding of this check can be an error (with ``override`` as configured)."""
        return can_block(self.severity, self.highest, override)

    def to_json(self) -> dict[str, str]:
        """What ``transflow check --list --json`` prints for this check."""
        return {
            "name": self.name,
            "severity": self.severity.label,
            "scope": self.scope,
            "description": self.description,
        }


CHECKS: dict[str, Check] = {}


def _describe(func: Callable[..., object]) -> str:
    doc = (func.__doc__ or "").strip()
    line = doc.splitlines()[0].strip() if doc else ""
    if not line:
        raise ValueError(f"check {func.__name__} needs a one-line docstring")
    return line


def can_block(
    severity: Severity, highest: Severity | None = None, override: Severity | None = None
) -> bool:
    """Whether a check can report an error: a configured severity applies to all its findings."""
    if override is not None:
        return override >= Severity.ERROR
    return max(severity, highest if highest is not None else severity) >= Severity.ERROR


def unit_check(
    name: str, severity: Severity, *, highest: Severity | None = None
) -> Callable[[UnitCheck], UnitCheck]:
    """Register a function as a unit-scope check called ``name``.

    ``highest`` is for a check whose findings may be more severe than its
    default (``untranslated`` is an error on a unit marked translated): the
    coverage report, which counts only errors, must still run it.
    """

    def register(func: UnitCheck) -> UnitCheck:
        CHECKS[name] = Check(name, severity, _describe(func), func, "unit", highest)
        return func

    return register


def project_check(name: str, severity: Severity) -> Callable[[ProjectCheck], ProjectCheck]:
    """Register a function as a project-scope check called ``name``."""

    def register(func: ProjectCheck) -> ProjectCheck:
        CHECKS[name] = Check(name, severity, _describe(func), func, "project")
        return func

    return register


URL = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>\"«»“”„]+|mailto:[^\s<>\"«»“”„]+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    re.IGNORECASE,
)
_URL_TRAILING = ".,;:!?)]}'’"


def url_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of URLs and e-mail addresses in ``text``, without trailing punctuation."""
    if "://" not in text and "www." not in text and "@" not in text and "mailto:" not in text:
        return []
    spans = []
    for match in URL.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in _URL_TRAILING:
            end -= 1
        spans.append((start, end))
    return spans
