"""JSON for a JavaScript front end: one document per language, ``<lang>.json``.

Each holds the language (tag, own name, direction), the other languages, and
every page published in it: title, recipient, place, ISO and formatted date,
and the blocks in document order (kind, heading level, list number) with
their text as runs, each naming its language and unit, so a partial page's
English parts can be marked. ``<``, ``>`` and ``&`` are written as ``\\u003c``,
``\\u003e``, ``\\u0026``: the JSON stays the same to a parser, and cannot
close a ``<script>`` element if a site inlines it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from transflow.export.content import Page, Run, language_dir, language_name
from transflow.export.outdir import Staging
from transflow.export.publish import Edition, PageInfo, in_language

__all__ = ["page_json", "pages_json", "write_json"]

_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def _run(run: Run | None) -> dict[str, Any] | None:
    if run is None:
        return None
    return {"text": run.text, "lang": run.lang, "unit": run.unit}


def page_json(page: Page, versions: dict[str, str]) -> dict[str, Any]:
    """One page as plain data; ``versions`` maps each language of the document to its slug."""
    return {
        "id": page.doc,
        "slug": page.slug,
        "lang": page.lang,
        "title": _run(page.title),
        "recipient": _run(page.recipient),
        "place": _run(page.place),
        "date": page.date.isoformat() if page.date else None,
        "date_text": page.date_text,
        "partial": page.partial,
        "untranslated": list(page.fallback),
        "versions": versions,
        "blocks": [
            {
                "kind": block.kind,
                "level": block.level if block.kind == "heading" else None,
                "number": block.number,
                "runs": [_run(r) for r in block.runs],
            }
            for block in page.blocks
        ],
    }


def pages_json(edition: Edition) -> list[tuple[PageInfo, dict[str, Any]]]:
    """Every published page of the edition as plain data, with what sorting it needs."""
    out = []
    for info in edition.infos():
        versions = {v: q.slug for v, q in edition.versions(info.doc).items()}
        out.append((info, page_json(edition.pages[info.doc][info.lang], versions)))
    return out


def write_json(
    staging: Staging, pages: Sequence[tuple[PageInfo, dict[str, Any]]], languages: Sequence[str]
) -> dict[str, list[str]]:
    """``<lang>.json`` for every language; the files written per language."""
    written: dict[str, list[str]] = {}
    summary = [
        {"lang": lang, "name": language_name(lang), "dir": language_dir(lang)} for lang in languages
    ]
    data_of = {(info.doc, info.lang): data for info, data in pages}
    by_lang = in_language(info for info, _ in pages)
    for lang in languages:
        data = {
            "lang": lang,
            "name": language_name(lang),
            "dir": language_dir(lang),
            "languages": summary,
            "documents": [data_of[(info.doc, lang)] for info in by_lang.get(lang, [])],
        }
        text = json.dumps(data, ensure_ascii=False, indent=1).translate(_SAFE) + "\n"
        path = f"{lang}.json"
        staging.write_text(path, text)
        written[lang] = [path]
    return written
