"""Output helpers shared by the commands: one JSON document, or Rich for people.

Everything a command prints comes from data nobody vetted: sentences from
``source/``, targets typed by translators, glossary spellings, file names. So
the shared consoles never read Rich markup or emoji codes in what they print
(``[/]`` in a sentence would raise ``MarkupError``; ``glossary.yaml:100:`` would
turn into an emoji), and control characters in data are shown as ``\\x1b``
instead of reaching the terminal (a target holding ``ESC [2J`` would clear the
screen, an OSC sequence retitle the window). Styling is written as markup
templates whose data is escaped (:func:`styled`) or as ``rich.text.Text``.
"""

from __future__ import annotations

import json
import re
import sys
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text

from transflow.cli._safe import CONTROL, one_line, safe

if TYPE_CHECKING:
    from rich.console import ConsoleOptions, RenderableType, RenderResult

__all__ = [
    "HyphenWrapped",
    "Line",
    "console",
    "err_console",
    "one_line",
    "print_json",
    "print_lines",
    "safe",
    "styled",
    "text",
]


def text(value: object, style: str = "") -> Text:
    """Data as a Rich ``Text``: printed exactly as it is, control characters shown."""
    return Text(safe(value), style=style)


def styled(template: str, *values: object) -> Text:
    """Rich markup from a trusted ``template`` with ``{}`` slots filled by data.

    Each value is made :func:`safe` and markup-escaped before it is put in, so
    ``styled("[green]installed[/] {}", name)`` styles the word and prints any
    ``name`` verbatim.
    """
    return Text.from_markup(
        template.format(*(escape(safe(value)) for value in values)), emoji=False
    )


class _SafeConsole(Console):
    """A console whose printed text can never carry a terminal control sequence.

    The helpers above clean data before it is laid out; this is the last line
    of defence for text that reached Rich another way. Segments that Rich marks
    as control (cursor moves of a progress bar) are its own and pass through.
    """

    def render(self, renderable: RenderableType, options: ConsoleOptions | None = None) -> Any:
        for segment in super().render(renderable, options):
            if segment.control is None and CONTROL.search(segment.text):
                yield Segment(safe(segment.text), segment.style)
            else:
                yield segment


console = _SafeConsole(highlight=False, markup=False, emoji=False)
err_console = _SafeConsole(stderr=True, highlight=False, markup=False, emoji=False)


# A line of a long report: (text, style) pieces. Rich renders them on a terminal that shows
# styles; anywhere else (a file, a pipe, a CI log) they are joined as Rich would print them
# unstyled, without Rich's per-piece work: 180,000 findings took half a minute to print.
Line = list[tuple[str, str]]


def print_lines(console: Console, lines: list[Line]) -> None:
    """Print ``lines`` (never wrapped: a terminal wraps them itself) and forget them:
    styled by Rich where the console shows styles, else exactly as Rich prints them
    unstyled (control codes it drops dropped, tabs expanded, the rest shown escaped)."""
    if not lines:
        return
    if console.color_system is not None:
        console.print(Text("\n").join(Text.assemble(*line) for line in lines), soft_wrap=True)
    else:
        from rich.control import strip_control_codes

        plain = strip_control_codes("\n".join("".join(t for t, _ in line) for line in lines))
        if "\t" in plain:
            expanded = Text(plain)
            expanded.expand_tabs(console.tab_size)
            plain = expanded.plain
        console.file.write(safe(plain) + "\n")
    lines.clear()


_PIECE = re.compile(r"[^-\s]*[-\s]+|[^-\s]+")


class HyphenWrapped:
    """A table cell for a name such as ``bonn-2025-appeal-committee-of-ministers``.

    Rich wraps only at spaces and otherwise folds anywhere ("...appeal-committ" /
    "ee-of-ministers"); this breaks a name that does not fit only after a hyphen
    (or a space), so every line of it is made of whole words.
    """

    def __init__(self, value: str, style: str = "") -> None:
        self.value = safe(value)
        self.style = style
        self.pieces = _PIECE.findall(self.value) or [""]

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.cells import cell_len

        longest = max(cell_len(piece.rstrip()) for piece in self.pieces)
        return Measurement(longest, cell_len(self.value))

    def lines(self, width: int) -> list[str]:
        from rich.cells import cell_len

        lines: list[str] = []
        current = ""
        for piece in self.pieces:
            if current and cell_len((current + piece).rstrip()) > width:
                lines.append(current.rstrip())
                current = ""
            current += piece
        lines.append(current.rstrip())
        return lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = self.lines(options.max_width)
        yield Text("\n".join(lines), style=self.style, overflow="fold")


def print_json(data: Any) -> None:
    """Print exactly one JSON document (UTF-8, not ASCII-escaped) on stdout."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
