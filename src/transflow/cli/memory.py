"""``transflow memory stats|import|export``: the translation memory behind pre-translation.

The memory is every translated and reviewed unit of the catalogs plus the
project's memory files (``memory/*.tmx``, tracked like the catalogs); these
commands show what it holds, bring in earlier work from other tools as TMX
(into a memory file, without duplicates), and hand the project's work to them.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from transflow.cli._output import console, print_json, text
from transflow.config import Project

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    memory = subparsers.add_parser(
        "memory",
        help="translation memory: stats, import TMX, export TMX",
        description="The translation memory is built from every translated and reviewed unit "
        "of every catalog, plus the imported TMX files in memory/; pretranslate uses it "
        "before MT.",
    )
    actions = memory.add_subparsers(dest="memory_action", metavar="ACTION", required=True)

    stats = actions.add_parser("stats", help="entries per locale, reviewed and translated")
    stats.add_argument("--json", action="store_true", help="print one JSON document")
    stats.set_defaults(handler=run)

    imp = actions.add_parser(
        "import",
        help="add a TMX file (OmegaT, Trados, Okapi) to the project's memory files",
        description="Adds the entries of a TMX file that the memory does not hold yet to "
        "memory/NAME.tmx (see memory-dir in [tool.transflow]); importing again adds nothing.",
    )
    imp.add_argument("file", type=Path, metavar="FILE.tmx")
    imp.add_argument("--json", action="store_true", help="print one JSON document")
    imp.set_defaults(handler=run)

    exp = actions.add_parser("export", help="write the project's memory as TMX 1.4")
    exp.add_argument("file", type=Path, metavar="FILE.tmx")
    exp.add_argument("--locale", action="append", metavar="L", help="only this locale")
    exp.add_argument("--reviewed-only", action="store_true", help="only units a reviewer approved")
    exp.add_argument("--json", action="store_true", help="print one JSON document")
    exp.set_defaults(handler=run)


def run(args: argparse.Namespace, project: Project) -> int:
    """Dispatch ``memory stats|import|export``."""
    from transflow.errors import InputError
    from transflow.pretranslate import memory_store
    from transflow.tmx import export_tmx

    store = memory_store(project)
    if args.memory_action == "import":
        if not args.file.is_file():
            raise InputError(
                "is a folder, not a TMX file" if args.file.is_dir() else "no such file", args.file
            )
        report = store.import_tmx(args.file)
        where = project.relative(report.memory_file)
        result: dict[str, Any] = {
            "file": str(args.file),
            "memory_file": where,
            "units": report.units,
            "imported": report.added,
            "duplicates": report.duplicates,
            "other_languages": list(report.other_languages),
        }
        if args.json:
            print_json(result)
            return 0
        noun = "entry" if report.added == 1 else "entries"
        line = f"imported {report.added} new {noun} from {args.file}"
        if report.added:
            line += f" into {where}"
        if report.duplicates:
            line += f"; {report.duplicates} already in the memory"
        console.print(text(line))
        if report.other_languages:
            console.print(
                text(
                    "skipped languages this project does not translate: "
                    + ", ".join(report.other_languages)
                )
            )
        if report.added:
            console.print(
                text(f"{where} is part of the project: commit it to share it with the team")
            )
        return 0
    if args.memory_action == "export":
        locales = project.check_locales(args.locale)
        entries = [
            e
            for e in store.memory().entries()
            if e.locale in locales and (e.reviewed or not args.reviewed_only)
        ]
        created = export_tmx(entries, args.file)
        if args.json:
            print_json(
                {
                    "exported": len(entries),
                    "file": str(args.file),
                    "created_folder": str(created) if created is not None else None,
                }
            )
        else:
            note = f" (created folder {created})" if created is not None else ""
            console.print(text(f"wrote {len(entries)} translation units to {args.file}{note}"))
        return 0
    memory = store.memory()
    rows = []
    for locale in project.locales:
        entries = memory.entries(locale)
        reviewed = sum(1 for e in entries if e.reviewed)
        rows.append(
            {
                "locale": locale,
                "entries": len(entries),
                "reviewed": reviewed,
                "translated": len(entries) - reviewed,
                "from_tmx": sum(1 for e in entries if e.origin.startswith("tmx:")),
            }
        )
    if args.json:
        print_json({"locales": rows})
        return 0
    from rich.table import Table

    table = Table(title="Translation memory")
    for column in ("locale", "entries", "reviewed", "translated", "from TMX"):
        table.add_column(column, justify="left" if column == "locale" else "right")
    for row in rows:
        table.add_row(*(str(v) for v in row.values()))
    console.print(table)
    return 0
