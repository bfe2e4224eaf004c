"""Suggestions for the selected unit: the machine suggestion and memory matches, numbered 1–9."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text

if TYPE_CHECKING:
    from transflow.memory import Match
from transflow.review import MachineSuggestion

from ..widgets.panel import Panel
from ..widgets.source_panel import diff_text

__all__ = [
    "Suggestion",
    "SuggestionsPanel",
    "machine_suggestion",
    "memory_suggestion",
    "short_origin",
]


@dataclass(frozen=True)
class Suggestion:
    """A text the translator can take with one key, and where it comes from."""

    label: Text
    text: str
    source_diff: Text | None = None  # how the suggestion's English differs from this unit's


def machine_suggestion(text: str, origin: MachineSuggestion) -> Suggestion:
    return Suggestion(Text.assemble(("machine", "magenta"), (f" · {origin}", "dim")), text)


def short_origin(origin: str) -> str:
    """``locales/de/bonn-2025-notice.po#3ede016e`` → ``bonn-2025-notice#3ede016e``."""
    path, _, unit = origin.partition("#")
    name = path.rsplit("/", 1)[-1].removesuffix(".po")
    return f"{name}#{unit}" if unit else name


def memory_suggestion(match: Match, source: str) -> Suggestion:
    entry = match.entry
    status = "approved" if entry.reviewed else "translated"
    label = Text.assemble(
        ("memory", "blue"),
        (f" {match.score}%", "bold green" if match.exact else "bold"),
        (f" · {status} · {short_origin(entry.origin)}", "dim"),
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
        parts: list[Text] = []
        for n, item in enumerate(self.items, start=1):
            # The text to take first (it wraps), then where it comes from (one line).
            text = Text.assemble((f"{n}", "bold reverse"), " ", " ".join(item.text.split()))
            parts.append(text)
            label = Text("  ", no_wrap=True, overflow="ellipsis")
            label.append_text(item.label)
            parts.append(label)
            if item.source_diff is not None:
                diff = Text("  ≠ ", style="dim")
                diff.append_text(item.source_diff)
                parts.append(diff)
        self.set_body(Group(*parts))
