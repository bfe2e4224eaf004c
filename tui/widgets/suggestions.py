"""Suggestions for the selected unit: the machine suggestion and memory matches, numbered 1–9."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text

from transflow.memory import Match
from transflow.review import MachineSuggestion

from ..widgets.panel import Panel
from ..widgets.source_panel import diff_text

__all__ = ["Suggestion", "SuggestionsPanel", "machine_suggestion", "memory_suggestion"]


@dataclass(frozen=True)
class Suggestion:
    """A text the translator can take with one key, and where it comes from."""

    label: Text
    text: str
    source_diff: Text | None = None  # how the suggestion's English differs from this unit's


def machine_suggestion(text: str, origin: MachineSuggestion) -> Suggestion:
    return Suggestion(Text.assemble(("machine", "magenta"), f" · {origin}"), text)


def memory_suggestion(match: Match, source: str) -> Suggestion:
    entry = match.entry
    status = "approved" if entry.reviewed else "translated"
    origin = entry.origin.removeprefix("locales/")
    label = Text.assemble(
        ("memory", "blue"),
        (f" {match.score}%", "bold green" if match.exact else "bold"),
        f" · {origin} · {status}",
    )
    diff = None if match.exact or entry.source == source else diff_text(entry.source, source)
    return Suggestion(label, entry.target, diff)


class SuggestionsPanel(Panel):
    """Numbered suggestions; the number is the key that puts one into the editor."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Suggestions", id=id)
        self.items: list[Suggestion] = []

    def show(self, items: Sequence[Suggestion], *, searching: bool = False) -> None:
        self.items = list(items)[:9]
        self.border_title = "Suggestions (1–9 puts one in)" if self.items else "Suggestions"
        if not self.items:
            note = "searching the memory…" if searching else "no machine suggestion or memory match"
            self.set_body(Text(note, style="dim"))
            return
        text = Text()
        for n, item in enumerate(self.items, start=1):
            if n > 1:
                text.append("\n")
            text.append(f"{n} ", style="bold reverse")
            text.append(" ")
            text.append_text(item.label)
            text.append("\n  ")
            text.append(" ".join(item.text.split()))
            if item.source_diff is not None:
                text.append("\n  ≠ ", style="dim")
                text.append_text(item.source_diff)
        self.set_body(text)
