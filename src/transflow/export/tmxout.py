"""TMX 1.4b of the translated and approved units, one file per locale (``<locale>.tmx``).

Written by ``transflow.tmx.render_tmx``, the same writer as ``transflow memory
export``, so a memory exported either way reads the same in OmegaT, Trados or
Weblate: each ``<tu>`` has the English source and one target, its origin
(``locales/<locale>/<doc>.po#<unit>``) and, for approved units,
``x-transflow-reviewed``.
"""

from __future__ import annotations

from collections.abc import Sequence

from transflow import __version__
from transflow.checking import entry_state
from transflow.config import Project
from transflow.export.content import SourceDoc
from transflow.export.outdir import Staging
from transflow.memory import TMEntry
from transflow.tmx import render_tmx
from transflow.unit import State

__all__ = ["tmx_entries", "write_tmx"]


def tmx_entries(project: Project, sources: Sequence[SourceDoc], locale: str) -> list[TMEntry]:
    """The translated and approved units of ``locale``, in document and unit order."""
    entries: list[TMEntry] = []
    for source in sources:
        catalog = source.catalogs[locale]
        where = project.relative(source.catalog_paths[locale])
        for unit in source.units:
            entry = catalog[unit.id]
            state = entry_state(entry)
            if state >= State.TRANSLATED:
                entries.append(
                    TMEntry(
                        unit.text,
                        entry.msgstr,
                        locale,
                        f"{where}#{unit.id}",
                        state == State.REVIEWED,
                    )
                )
    return entries


def write_tmx(
    staging: Staging, project: Project, sources: Sequence[SourceDoc], locales: Sequence[str]
) -> dict[str, list[str]]:
    written: dict[str, list[str]] = {}
    for locale in locales:
        path = f"{locale}.tmx"
        staging.write(path, render_tmx(tmx_entries(project, sources, locale), __version__))
        written[locale] = [path]
    return written
