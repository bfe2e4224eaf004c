"""Messages the screens send to the application (dataclasses, as posting does)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

__all__ = ["OpenCoverage", "OpenDocuments", "OpenReview"]


@dataclass
class OpenReview(Message):
    """Open ``doc`` in ``locale`` for review (``doc`` None: the first one that needs work)."""

    locale: str
    doc: str | None = None
    filter: str = "all"
    unit: str | None = None


@dataclass
class OpenCoverage(Message):
    """Show the coordinators' coverage matrix."""


@dataclass
class OpenDocuments(Message):
    """Go back to the list of documents × locales."""
