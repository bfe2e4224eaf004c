"""QA findings: what ``transflow check`` reports, from the glossary and the prose checks."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import IntEnum
from typing import Any

__all__ = ["Finding", "Severity"]


class Severity(IntEnum):
    """How much a finding matters; ``error`` fails the ``check`` gate (exit 1)."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, name: str) -> Severity:
        try:
            return cls[name.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {name!r} (error, warning, info)") from None


@dataclass(frozen=True)
class Finding:
    """One problem in one unit.

    ``locale`` is None for checks on the English source. ``term`` names the
    glossary entry for glossary checks; ``expected`` lists the forms or the fix
    that would satisfy the check; ``suppressed`` holds the translator's reason
    when a ``# qa-ignore: <check> — reason`` comment silences it.

    Where to act on it, so an editor can jump there: ``path`` and ``line`` are
    the PO file and line of the unit's entry (its ``msgctxt`` line; for a
    finding on the English source, the ``.pot`` template's entry), relative to
    the project; ``source_path`` and ``source_line`` are the unit's place in the
    source document (its ``#:`` reference), which is where a finding on the
    English source is fixed. The checks themselves leave them None;
    ``transflow.checking`` fills them in.
    """

    unit: str
    doc: str
    locale: str | None
    check: str
    severity: Severity
    message: str
    term: str | None = None
    expected: tuple[str, ...] = field(default=())
    span: tuple[int, int] | None = (
        None  # offending text in the target (or source), for highlighting
    )
    suppressed: str | None = None
    path: str | None = None
    line: int | None = None
    source_path: str | None = None
    source_line: int | None = None

    @property
    def location(self) -> str | None:
        """``path:line`` where the finding is fixed: the source document's for source findings."""
        if self.locale is None and self.source_path is not None:
            return _join(self.source_path, self.source_line)
        if self.path is not None:
            return _join(self.path, self.line)
        return None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.label
        data["expected"] = list(self.expected)
        data["span"] = list(self.span) if self.span else None
        return data


def _join(path: str, line: int | None) -> str:
    return f"{path}:{line}" if line else path
