"""Running the checks: units in, findings out, with severities and suppressions applied.

A translator silences a finding they disagree with in the PO translator
comment of the unit:

    # qa-ignore: numbers — spelled out on purpose
    # qa-ignore: quotes, end-punctuation -- house style for this letter

The finding is still reported, with ``suppressed`` set to the reason, and never
counts as an error; ``all`` silences every check. The separator may be an em
or en dash (with or without spaces) or a hyphen or double hyphen between
spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import cast

from transflow.finding import Finding, Severity
from transflow.gcpause import paused_gc
from transflow.qa.base import CHECKS, Check, Hit, LocaleRules, ProjectCheck, QAUnit, UnitCheck
from transflow.qa.config import QAConfig

__all__ = ["blocking_findings", "parse_suppressions", "run_checks", "suppress"]

_IGNORE = re.compile(
    r"^[#\s]*qa-ignore\s*:\s*(?P<names>.*?)\s*(?:(?:[—–]|\s--?\s)\s*(?P<reason>.*?))?\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_NAME_SPLIT = re.compile(r"[,\s]+")
NO_REASON = "no reason given"


@lru_cache(maxsize=4096)
def parse_suppressions(comments: str) -> dict[str, str]:
    """Check name (or "all") → reason, from ``qa-ignore:`` lines of a translator comment."""
    found: dict[str, str] = {}
    if "qa-ignore" not in comments.lower():
        return found
    for match in _IGNORE.finditer(comments):
        reason = (match.group("reason") or "").strip() or NO_REASON
        for name in _NAME_SPLIT.split(match.group("names")):
            if name:
                found[name.lower()] = reason
    return found


def suppress(finding: Finding, suppressions: dict[str, str]) -> Finding:
    """``finding`` with its ``suppressed`` reason set if the comment names its check (or all)."""
    reason = suppressions.get(finding.check) or suppressions.get("all")
    return replace(finding, suppressed=reason) if reason else finding


def blocking_findings(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that fail the ``check`` gate: errors nobody suppressed."""
    return [f for f in findings if f.severity >= Severity.ERROR and not f.suppressed]


def _finding(unit: QAUnit, check: Check, severity: Severity | None, hit: Hit) -> Finding:
    reason = None
    if unit.translator_comments:
        ignored = parse_suppressions(unit.translator_comments)
        if ignored:
            reason = ignored.get(check.name) or ignored.get("all")
    if severity is None:  # Severity.INFO is falsy: compare with None, never use `or`
        severity = check.severity if hit.severity is None else hit.severity
    return Finding(
        unit=unit.unit_id,
        doc=unit.doc,
        locale=unit.locale,
        check=check.name,
        severity=severity,
        message=hit.message,
        expected=hit.expected,
        span=hit.span,
        suppressed=reason,
    )


def run_checks(units: Iterable[QAUnit], config: QAConfig | None = None) -> list[Finding]:
    """Run every enabled check over ``units``; findings come in unit order, then check order.

    Blank targets only get the ``untranslated`` check. Project-scope checks
    (consistency) compare the units of each locale with each other, so pass all
    units of a locale in one call.
    """
    with paused_gc():  # the checks create no reference cycles
        return _run(units, config or QAConfig())


def _run(units: Iterable[QAUnit], config: QAConfig) -> list[Finding]:
    enabled = [check for check in CHECKS.values() if config.enabled(check.name)]
    overrides = {check.name: config.severity.get(check.name) for check in enabled}
    blank_checks = [
        (check, cast(UnitCheck, check.func))
        for check in enabled
        if check.scope == "unit" and check.name == "untranslated"
    ]
    unit_checks = [
        (check, cast(UnitCheck, check.func))
        for check in enabled
        if check.scope == "unit" and check.name != "untranslated"
    ]
    project_checks = [check for check in enabled if check.scope == "project"]

    all_units: list[QAUnit] = []
    findings: list[tuple[int, Finding]] = []
    rules_for = config.rules_for
    locale: str | None = None
    rules: LocaleRules | None = None
    for index, unit in enumerate(units):
        all_units.append(unit)
        if unit.locale != locale:
            locale = unit.locale
            rules = rules_for(locale)
        assert rules is not None
        target = unit.target
        checks = unit_checks if target and not target.isspace() else blank_checks
        for check, func in checks:
            hits = func(unit, rules)
            if hits:
                severity = overrides[check.name]
                for hit in hits:
                    findings.append((index, _finding(unit, check, severity, hit)))

    if project_checks and all_units:
        extra = _project_findings(all_units, project_checks, config, overrides)
        if extra:
            findings.extend(extra)
            findings.sort(key=lambda pair: pair[0])  # stable: project findings after unit ones
    return [finding for _, finding in findings]


def _project_findings(
    units: Sequence[QAUnit],
    checks: list[Check],
    config: QAConfig,
    overrides: dict[str, Severity | None],
) -> list[tuple[int, Finding]]:
    by_locale: dict[str, list[int]] = {}
    for index, unit in enumerate(units):
        by_locale.setdefault(unit.locale, []).append(index)
    out: list[tuple[int, Finding]] = []
    for locale, indexes in by_locale.items():
        group = tuple(units[i] for i in indexes)  # one tuple for all checks (see consistency)
        rules = config.rules_for(locale)
        for check in checks:
            func = cast(ProjectCheck, check.func)
            for local, hit in func(group, rules):
                out.append(
                    (indexes[local], _finding(group[local], check, overrides[check.name], hit))
                )
    return out
