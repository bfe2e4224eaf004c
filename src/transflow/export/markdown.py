"""Hugo-style Markdown: ``content/<lang>/<slug>.md`` per page, linked by ``translationKey``.

Each file has YAML front matter (``title``, ``date`` in ISO form, ``lang``,
``translationKey`` = the document's slug, and ``recipient``/``place`` where
the document has them) and a body rebuilt from the document's structure:
headings one level under the title (which the theme shows as the page's h1),
numbered lists with their numbers, bullets, separators, paragraphs.
Translator text is Markdown-escaped, so a ``*`` or a ``<script>`` in a
translation is shown as typed and never becomes markup. A partial page (with
``--allow-partial``) says ``partial: true`` and lists its units in English.
"""

from __future__ import annotations

import json
import re

from transflow.export.content import Page, PageBlock
from transflow.export.outdir import Staging
from transflow.export.publish import Edition

__all__ = ["escape", "render_page", "write_markdown"]

# Backslash-escapable ASCII punctuation that can start or end inline markup.
_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# What would make a line a heading, list item, quote, thematic break or setext underline.
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))")


def escape(text: str) -> str:
    """``text`` as Markdown that renders exactly to ``text`` (CommonMark, as Hugo's goldmark)."""
    text = _INLINE.sub(r"\\\1", " ".join(text.split()))
    text = _ENTITY.sub(r"\\&", text)
    match = _LINE_START.match(text)
    if match:
        marker = match.group(2)
        if marker.isdigit():
            # "2025. ..." would start an ordered list: escape the dot after the number.
            end = match.end()
            return text[:end] + "\\" + text[end:]
        return text[: match.start(2)] + "\\" + text[match.start(2) :]
    return text


def _text(block: PageBlock) -> str:
    return escape(block.text)


def _yaml(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def render_page(page: Page) -> str:
    """One page as a Hugo content file."""
    front = ["---", f"title: {_yaml(page.title.text)}"]
    if page.date is not None:
        front.append(f"date: {page.date.isoformat()}")
    front.append(f"lang: {_yaml(page.lang)}")
    front.append(f"translationKey: {_yaml(page.slug)}")
    if page.recipient is not None:
        front.append(f"recipient: {_yaml(page.recipient.text)}")
    if page.place is not None:
        front.append(f"place: {_yaml(page.place.text)}")
    if page.partial:
        front.append("partial: true")
        front.append(f"untranslated: [{', '.join(_yaml(u) for u in page.fallback)}]")
    front.append("---")
    body: list[str] = []
    previous: PageBlock | None = None
    for block in page.blocks:
        if block.kind != "separator" and not block.runs:
            continue
        in_list = (
            previous is not None
            and previous.kind == "list-item"
            and block.kind == "list-item"
            and (previous.number is None) == (block.number is None)
        )
        if body and not in_list:
            body.append("")
        if block.kind == "separator":
            body.append("***")
        elif block.kind == "heading":
            body.append(f"{'#' * min(max(block.level, 1) + 1, 6)} {_text(block)}")
        elif block.kind == "list-item":
            body.append(f"{block.number}. {_text(block)}" if block.number else f"- {_text(block)}")
        else:
            body.append(_text(block))
        previous = block
    return "\n".join(front) + "\n\n" + "\n".join(body) + "\n"


def write_markdown(staging: Staging, edition: Edition) -> dict[str, list[str]]:
    """Every published page as ``content/<lang>/<slug>.md``; the files written per language."""
    written: dict[str, list[str]] = {lang: [] for lang in edition.languages}
    for doc in (s.doc for s in edition.sources):
        for lang, page in edition.versions(doc).items():
            path = f"content/{lang}/{page.slug}.md"
            staging.write_text(path, render_page(page))
            written[lang].append(path)
    return written
