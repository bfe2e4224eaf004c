"""``[tool.transflow.qa]``: which checks run, how severe they are, expected lengths.

    [tool.transflow.qa]
    disable = ["length-ratio"]
    severity = { "repeated-word" = "error" }
    length-ratio = { de = [0.8, 1.9] }   # merged over the defaults in language.py

Every check name is validated against the registry (plus any extra names the
caller knows, such as the glossary checks), so a typo fails loudly with the
file named instead of silently checking nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from transflow.errors import InputError
from transflow.finding import Severity
from transflow.qa.base import CHECKS, LocaleRules
from transflow.qa.language import (
    DEFAULT_LENGTH_RATIO,
    FALLBACK_LENGTH_RATIO,
    language_data,
    language_of,
    number_format,
)

__all__ = ["QAConfig"]

_KEYS = ("disable", "severity", "length-ratio")


@dataclass(frozen=True)
class QAConfig:
    """Settings for ``run_checks``; ``QAConfig()`` is every check at its default severity."""

    disable: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    length_ratio: Mapping[str, tuple[float, float]] = field(
        default_factory=lambda: dict(DEFAULT_LENGTH_RATIO)
    )
    _rules: dict[str, LocaleRules] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def enabled(self, name: str) -> bool:
        return name not in self.disable

    def severity_for(self, name: str, default: Severity) -> Severity:
        """The configured severity of check ``name``, or ``default``."""
        return self.severity.get(name, default)

    def rules_for(self, locale: str) -> LocaleRules:
        """What the checks need to know about ``locale`` (built once, then cached)."""
        rules = self._rules.get(locale)
        if rules is None:
            language = language_of(locale)
            length = self.length_ratio.get(locale) or self.length_ratio.get(language)
            rules = LocaleRules(
                locale=locale,
                language=language,
                data=language_data(locale),
                numbers=number_format(locale),
                length_range=length or FALLBACK_LENGTH_RATIO,
            )
            self._rules[locale] = rules
        return rules

    @classmethod
    def from_settings(
        cls,
        settings: Mapping[str, Any],
        *,
        extra_checks: Iterable[str] = (),
        path: Path | str = "pyproject.toml",
    ) -> QAConfig:
        """Read ``project.tool("qa")``; ``extra_checks`` are other valid names (glossary checks).

        Raises ``InputError`` naming ``path`` for unknown keys, unknown check
        names, unknown severities and malformed length ranges.
        """
        known = set(CHECKS) | set(extra_checks)

        def fail(message: str) -> InputError:
            return InputError(f"[tool.transflow.qa] {message}", path)

        def check_name(key: str, name: object) -> str:
            if not isinstance(name, str) or name not in known:
                names = ", ".join(sorted(known))
                raise fail(f"{key}: unknown check {name!r} (known: {names})")
            return name

        if not isinstance(settings, Mapping):
            raise fail("must be a table")
        for key in settings:
            if key not in _KEYS:
                raise fail(f"unknown setting {key!r} (known: {', '.join(_KEYS)})")

        disable = settings.get("disable", [])
        if not isinstance(disable, list):
            raise fail("disable must be a list of check names")
        disabled = frozenset(check_name("disable", name) for name in disable)

        severity_table = settings.get("severity", {})
        if not isinstance(severity_table, Mapping):
            raise fail('severity must be a table, e.g. { "repeated-word" = "error" }')
        severities: dict[str, Severity] = {}
        for name, value in severity_table.items():
            check_name("severity", name)
            try:
                severities[name] = Severity.parse(str(value))
            except ValueError as exc:
                raise fail(f"severity of {name}: {exc}") from None

        ratio_table = settings.get("length-ratio", {})
        if not isinstance(ratio_table, Mapping):
            raise fail("length-ratio must be a table, e.g. { de = [0.8, 1.9] }")
        ratios = dict(DEFAULT_LENGTH_RATIO)
        for locale, value in ratio_table.items():
            if (
                not isinstance(value, list)
                or len(value) != 2
                or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in value)
                or not 0 < value[0] < value[1]
            ):
                raise fail(f"length-ratio.{locale} must be [low, high] with 0 < low < high")
            ratios[str(locale)] = (float(value[0]), float(value[1]))
        return cls(disable=disabled, severity=severities, length_ratio=ratios)
