"""``transflow import``: merge XLIFF or PO files returned by outside translators."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from transflow.cli._output import console, print_json
from transflow.config import Project
from transflow.reviewer import OPTION_HELP

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import",
        help="bring back translated XLIFF (2.0, 1.2) or PO files",
        description="Merge returned XLIFF or PO files into the catalogs by unit id. Changed "
        "targets land as translated; an approval in the file counts only with --trust-review. "
        "Units whose English changed since the export are refused and listed (exit 1); a bad "
        "file changes nothing (exit 2).",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument(
        "--dry-run", action="store_true", help="show what would change, write nothing"
    )
    parser.add_argument(
        "--trust-review",
        action="store_true",
        help="record approvals the file claims, under the reviewer's name",
    )
    parser.add_argument(
        "--reviewer", metavar="NAME", help=f"who vouches for --trust-review: {OPTION_HELP}"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, project: Project) -> int:
    from transflow.export.importer import import_files

    result = import_files(
        project,
        args.files,
        dry_run=args.dry_run,
        trust_review=args.trust_review,
        reviewer=args.reviewer,
    )
    code = 1 if result.refused else 0
    if args.json:
        print_json(result.to_json())
        return code
    verb = "would change" if args.dry_run else "changed"
    for change in result.changes:
        by = f" by {change.reviewer}" if change.reviewer else ""
        console.print(
            f"{change.locale} {change.doc} {change.unit}  "
            f"{change.before.label} → {change.after.label}{by}",
            markup=False,
            soft_wrap=True,
        )
        if change.old != change.new:
            if change.old:
                console.print(f"    - {change.old}", markup=False, soft_wrap=True)
            console.print(f"    + {change.new}", markup=False, soft_wrap=True)
    for refusal in result.refused:
        where = f"{refusal.file}:{refusal.line}" if refusal.line else refusal.file
        console.print(
            f"refused {where}: unit {refusal.unit}: {refusal.reason}", markup=False, soft_wrap=True
        )
    if result.untrusted:
        console.print(
            f"{len(result.untrusted)} approvals in the files were not recorded "
            "(landed as translated); use --trust-review to record them",
            markup=False,
            soft_wrap=True,
        )
    console.print(
        f"{verb} {len(result.changes)} units, {result.unchanged} unchanged, "
        f"{len(result.refused)} refused"
        + ("" if args.dry_run else f"; wrote {len(result.written)} catalogs"),
        markup=False,
        soft_wrap=True,
    )
    return code
