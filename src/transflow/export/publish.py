"""Deciding what is published: every document in the source language, and per locale by the rule.

``plan`` applies the publishing rule (``transflow.export.policy``) to every
document and locale and builds the pages that go out, which the site,
Markdown and JSON writers then only lay out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from transflow.config import Project
from transflow.export.content import Page, Run, SourceDoc, build_page, language_tag
from transflow.export.policy import Blocker, Publication, Status, find_blockers

__all__ = ["Edition", "PageInfo", "in_language", "plan"]


@dataclass
class Edition:
    """What goes out: the pages per document and language, and the decision per locale."""

    source_language: str  # BCP 47 tag
    languages: list[str]  # BCP 47 tags: the source language first, then the locales
    sources: list[SourceDoc]
    pages: dict[str, dict[str, Page]] = field(default_factory=dict)  # doc → lang → page
    publications: list[Publication] = field(default_factory=list)

    def versions(self, doc: str) -> dict[str, Page]:
        """The published language versions of one document, in language order."""
        found = self.pages.get(doc, {})
        return {lang: found[lang] for lang in self.languages if lang in found}

    def infos(self) -> list[PageInfo]:
        """What the index pages need of every page published."""
        return [
            PageInfo(p.doc, lang, p.slug, p.title, p.date, p.date_text)
            for doc in self.pages
            for lang, p in self.versions(doc).items()
        ]


class PageInfo(NamedTuple):
    """What an index needs of a published page (small, so worker processes can return it)."""

    doc: str
    lang: str
    slug: str
    title: Run
    date: dt.date | None
    date_text: str | None


def in_language(pages: Iterable[PageInfo]) -> dict[str, list[PageInfo]]:
    """The pages of each language, newest first, then by title."""
    out: dict[str, list[PageInfo]] = {}
    for page in pages:
        out.setdefault(page.lang, []).append(page)
    for group in out.values():
        group.sort(key=lambda p: p.title.text.casefold())
        group.sort(key=lambda p: p.date.toordinal() if p.date else 0, reverse=True)
    return out


def plan(
    project: Project,
    sources: Sequence[SourceDoc],
    locales: Sequence[str],
    *,
    allow_partial: bool = False,
    blockers: dict[tuple[str, str], list[Blocker]] | None = None,
) -> Edition:
    """Apply the publishing rule to every document × locale and build the pages that go out."""
    if blockers is None:
        blockers = find_blockers(project, sources, locales)
    source_tag = language_tag(project.source_language)
    edition = Edition(
        source_tag, [source_tag, *(language_tag(lo) for lo in locales)], list(sources)
    )
    for source in sources:
        pages = edition.pages.setdefault(source.doc, {})
        pages[source_tag] = build_page(source, None, project.source_language)
        for locale in locales:
            entries = source.catalogs[locale]
            found = blockers[(source.doc, locale)]
            if not found:
                status = Status.PUBLISHED
            elif allow_partial and len({b.unit for b in found}) < len(entries):
                status = Status.PARTIAL  # a page with nothing approved is not a translation
            else:
                status = Status.WITHHELD
            publication = Publication(source.doc, locale, status, len(entries), found)
            edition.publications.append(publication)
            if status != Status.WITHHELD:
                pages[language_tag(locale)] = build_page(
                    source, locale, project.source_language, publication.fallback
                )
    return edition
