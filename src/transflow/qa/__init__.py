"""Prose QA checks for translations: what ``transflow check`` runs besides the glossary.

Each check is a small function with a name, a default severity and a one-line
description (the first line of its docstring), registered in ``CHECKS`` in the
order ``transflow check --list`` shows them. Usage::

    from transflow.qa import QAConfig, QAUnit, run_checks

    config = QAConfig.from_settings(project.tool("qa"), path=project.root / "pyproject.toml")
    findings = run_checks(units, config)          # list[transflow.finding.Finding]
    for check in CHECKS.values():                 # --list
        print(check.name, check.severity.label, check.scope, check.description)

Modules: ``base`` (QAUnit, Hit, Check, registry), ``language`` (per-language
conventions and defaults), ``config`` (``[tool.transflow.qa]``), ``runner``
(run_checks, ``qa-ignore`` suppressions), and the checks in ``basic``,
``approval``, ``numbers``, ``typography`` and ``consistency``.
"""

from __future__ import annotations

# Importing the check modules registers their checks.
from transflow.qa import approval, basic, consistency, numbers, typography  # noqa: F401
from transflow.qa.base import CHECKS, Check, Hit, LocaleRules, QAUnit
from transflow.qa.config import QAConfig
from transflow.qa.language import DEFAULT_LENGTH_RATIO
from transflow.qa.runner import blocking_findings, parse_suppressions, run_checks, suppress

# The order of ``transflow check --list`` and of findings within a unit.
_ORDER = (
    "untranslated",
    "unreviewed-suggestion",
    "same-as-source",
    "numbers",
    "urls",
    "end-punctuation",
    "french-spacing",
    "quotes",
    "missing-quotes",
    "brackets",
    "whitespace",
    "repeated-word",
    "length-ratio",
    "approval-stale",
    "inconsistent-target",
    "inconsistent-source",
)
_registered = sorted(
    CHECKS.items(), key=lambda item: _ORDER.index(item[0]) if item[0] in _ORDER else len(_ORDER)
)
CHECKS.clear()
CHECKS.update(_registered)

__all__ = [
    "CHECKS",
    "DEFAULT_LENGTH_RATIO",
    "Check",
    "Hit",
    "LocaleRules",
    "QAConfig",
    "QAUnit",
    "blocking_findings",
    "parse_suppressions",
    "run_checks",
    "suppress",
]
