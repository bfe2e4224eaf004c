"""The status line, in the spirit of Emacs PO mode's mode line: where you are and how far along."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from transflow.review.rows import Progress
from transflow.unit import State

__all__ = ["StatusLine"]


class StatusLine(Static):
    """`` de  bonn-2025-notice  3/46  17t+2f+27u  45% of 918 words approved  [todo]``.

    The document's name gives way first when the terminal is narrow.
    """

    def show(
        self,
        *,
        locale: str,
        doc: str,
        progress: Progress,
        position: int | None,
        shown: int,
        filter: str,
        note: str = "",
    ) -> None:
        where = f"{position + 1}/{shown}" if position is not None else f"–/{shown}"
        words = progress.total_words
        approved = progress.words[State.REVIEWED]
        wide = self.size.width >= 100
        percent = f"{progress.percent_approved_words:.0f}%"
        share = (
            f"{approved}/{words} words approved ({percent})"
            if wide
            else f"{percent} of {words} words approved"
        )
        tail = Text()
        tail.append(f"  {where}")
        tail.append(f"  {progress.po_mode()}", style="bold")
        tail.append(f"  {share}")
        if filter != "all":
            tail.append(f"  [{filter}]", style="bold yellow")
        if note:
            tail.append(f"  {note}", style="bold magenta")
        head = Text()
        head.append(f" {locale} ", style="bold reverse")
        room = max(8, (self.size.width or 80) - cell_len(head.plain) - cell_len(tail.plain) - 2)
        name = doc if len(doc) <= room else doc[: room - 1] + "…"
        head.append(f" {name}", style="bold")
        head.append_text(tail)
        head.no_wrap = True
        head.overflow = "ellipsis"
        self.update(head)
