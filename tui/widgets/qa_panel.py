"""Live QA of the target being typed: the findings ``transflow check`` would report."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from transflow.finding import Finding, Severity

__all__ = ["SEVERITY_LOOK", "STATE_NOTES", "QAPanel"]

SEVERITY_LOOK = {
    Severity.ERROR: ("✗", "bold red"),
    Severity.WARNING: ("!", "bold yellow"),
    Severity.INFO: ("i", "dim"),
}


# Findings that only restate the unit's state (the target's title says it already),
# unless a project raised their severity.
STATE_NOTES = frozenset({"untranslated", "unreviewed-suggestion"})


class QAPanel(Static):
    """One line per finding, worst first; a quiet line when there is nothing to say."""

    def show(self, findings: Sequence[Finding] | None, *, target: str = "x") -> None:
        """The findings for ``target`` (with no target, only real problems are shown)."""
        if findings is None:
            self.update(Text("QA: waiting for the catalog…", style="dim"))
            return
        findings = [
            f for f in findings if not (f.check in STATE_NOTES and f.severity == Severity.INFO)
        ]
        shown = sorted((f for f in findings if not f.suppressed), key=lambda f: -int(f.severity))
        if not shown and not target.strip():
            self.update(Text("QA: the checks run as you type", style="dim"))
            return
        if not shown:
            ignored = len(findings)
            note = f" ({ignored} ignored by qa-ignore comments)" if ignored else ""
            self.update(Text(f"✓ QA: nothing to report{note}", style="green"))
            return
        text = Text(no_wrap=True, overflow="ellipsis")
        for i, finding in enumerate(shown):
            mark, style = SEVERITY_LOOK[finding.severity]
            if i:
                text.append("\n")
            text.append(f"{mark} {finding.check}", style=style)
            where = "source: " if finding.locale is None else ""
            text.append(f"  {where}{finding.message}")
            fixes = [e for e in finding.expected[:3] if e not in finding.message]
            if fixes and finding.severity >= Severity.WARNING:
                text.append(f"  → {' / '.join(fixes)}", style="green")
        self.update(text)
