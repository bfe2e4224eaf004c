"""``transflow export``: publish the approved translations, or hand the work to other tools."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from transflow.cli._output import Line, console, print_json, print_lines, text
from transflow.config import Project

__all__ = ["register", "run"]

_FORMATS = ("site", "markdown", "json", "xliff", "tmx", "po")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export",
        help="publish (site, markdown, json) or hand off (xliff, tmx, po)",
        description="Export the catalogs. site/markdown/json publish a document in a language "
        "only when every unit is approved and has no QA error (--allow-partial shows the gaps "
        "in English, labelled); xliff/tmx/po hand every unit, with its state, to translators' "
        "tools. The output folder is replaced whole, only once everything is written.",
    )
    parser.add_argument("--format", required=True, choices=_FORMATS, help="what to write")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="output folder")
    parser.add_argument(
        "--locale", action="append", metavar="L", help="only this locale (repeatable)"
    )
    parser.add_argument("--doc", action="append", metavar="D", help="only this document")
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="where the site will be published (default: [tool.transflow] base-url)",
    )
    parser.add_argument(
        "--allow-partial",
        action="store_true",
        help="publish pages with gaps, showing the English source there (labelled)",
    )
    parser.add_argument(
        "--xliff-version", default="2.0", choices=("2.0", "1.2"), help="XLIFF version to write"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, project: Project) -> int:
    from transflow.errors import InputError
    from transflow.export import PUBLISHING_FORMATS, run_export
    from transflow.export.policy import Status

    if args.allow_partial and args.format not in PUBLISHING_FORMATS:
        raise InputError(f"--allow-partial is for site, markdown and json, not {args.format}")
    docs = [d for name in args.doc for d in project.check_doc(name)] if args.doc else None
    result = run_export(
        project,
        args.format,
        args.out,
        locales=args.locale,
        docs=docs,
        base_url=args.base_url,
        allow_partial=args.allow_partial,
        xliff_version=args.xliff_version,
    )
    if args.json:
        print_json(result.to_json())
        return 0
    if result.publications:
        styles = {Status.PUBLISHED: "green", Status.PARTIAL: "yellow", Status.WITHHELD: "red"}
        # Locales with the same outcome for a document share one entry.
        rows: dict[tuple[str, Status, str], list[str]] = {}
        for item in result.publications:
            rows.setdefault((item.doc, item.status, item.summary()), []).append(item.locale)
        width = max(len(doc) for doc, _, _ in rows)
        lines: list[Line] = []
        for (doc, status, why), locales in rows.items():
            lines.append(
                [
                    (f"{doc.ljust(width)}  ", ""),
                    (f"{status:<9}", styles[status]),
                    (f" {', '.join(locales)}", ""),
                ]
            )
            lines.append([(f"    {why}", "dim")])
        print_lines(console, lines)  # 5,000 decisions: one write, not a Rich layout each
        console.print(
            f"published {result.count(Status.PUBLISHED)}, partial {result.count(Status.PARTIAL)}, "
            f"withheld {result.count(Status.WITHHELD)} (document × locale); "
            f"every document in {project.source_language}"
        )
    where = result.out / "index.html" if args.format == "site" else result.out
    console.print(
        text(
            f"wrote {result.file_count} files ({result.bytes / 1024:.0f} KiB) in "
            f"{result.seconds:.2f} s: {where}"
        )
    )
    return 0
