"""The source of the selected unit: glossary terms marked, what changed, the sentences around it."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from transflow.finding import Finding, Severity
from transflow.review import TermView
from transflow.textdiff import changed, word_diff

from ..widgets.panel import Panel

__all__ = ["SourcePanel", "diff_text"]

TERM_STYLE = "bold underline cyan"
VARIANT_STYLE = "bold underline yellow"  # a spelling the glossary corrects


def diff_text(old: str, new: str) -> Text:
    """``new`` with the words not in ``old`` green and the words only in ``old`` struck red."""
    out = Text()
    previous = ""
    for part in word_diff(old, new):
        if part.op == "equal":
            out.append(part.text)
        elif part.op == "insert":
            if previous == "delete" and not out.plain[-1:].isspace() and part.text[:1].strip():
                out.append(" ")  # "Appeal Mr.", not "AppealMr.", where one word replaced another
            out.append(part.text, style="bold green")
        else:
            out.append(part.text, style="strike red")
        previous = part.op
    return out


class SourcePanel(Panel):
    """The English sentence to translate, and its context."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Source", id=id)

    def show(
        self,
        source: str,
        *,
        terms: Sequence[TermView] = (),
        findings: Sequence[Finding] = (),
        previous: str | None = None,
        before: str | None = None,
        after: str | None = None,
        title: str = "Source",
    ) -> None:
        self.border_title = title
        text = Text(source)
        for term in terms:
            style = TERM_STYLE if term.variant_status is None else VARIANT_STYLE
            text.stylize(style, term.start, term.end)
        for finding in findings:  # source-side checks (a misspelt name in the English)
            if finding.span and finding.severity >= Severity.WARNING and not finding.suppressed:
                text.stylize(VARIANT_STYLE, *finding.span)
        if previous is not None and changed(word_diff(previous, source)):
            text.append("\nChanged since it was translated: ", style="bold yellow")
            text.append_text(diff_text(previous, source))
        if before:
            text.append("\n↑ ", style="dim")
            text.append(" ".join(before.split()), style="dim italic")
        if after:
            text.append("\n↓ ", style="dim")
            text.append(" ".join(after.split()), style="dim italic")
        self.set_body(text)
