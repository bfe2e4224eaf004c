"""``transflow segment`` and ``transflow segments FILE``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from transflow.cli._output import console, print_json, styled
from transflow.config import Project

if TYPE_CHECKING:
    from transflow.update import SegmentReport

__all__ = ["register"]


def register(subparsers: Any) -> None:
    seg = subparsers.add_parser(
        "segment",
        help="(re)segment source/ into the catalogs of every locale",
        description="Segment every source document into units and merge them into "
        "locales/<locale>/<doc>.po, keeping every existing translation. Catalogs whose "
        "source file is gone are reported and kept (a renamed source takes its "
        "translations along); --prune removes them.",
    )
    seg.add_argument("--json", action="store_true", help="print one JSON document")
    seg.add_argument(
        "--prune",
        action="store_true",
        help="remove the template and catalogs of documents whose source file is gone",
    )
    seg.set_defaults(handler=run_segment)

    one = subparsers.add_parser(
        "segments",
        help="print the units of one source file without writing anything",
    )
    one.add_argument("file", type=Path, help="a source document (Markdown or pasted text)")
    one.add_argument("--json", action="store_true", help="print one JSON document")
    one.set_defaults(handler=run_segments, needs_project=False)


def run_segment(args: argparse.Namespace, project: Project) -> int:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from transflow.cli._output import HyphenWrapped, text
    from transflow.update import segment_project

    result = segment_project(project, prune=args.prune)
    reports = result.documents
    if args.json:
        print_json(result.to_json())
        return 0
    table = Table(
        title=text(f"Segmented {len(reports)} documents into {', '.join(project.locales)}"),
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    # Document names break only after a hyphen: three appeals must not look alike,
    # and no name is cut mid-word.
    table.add_column("document")
    for column in ("units", "words", "added", "changed", "removed", "written"):
        table.add_column(column, justify="right", no_wrap=True)

    def count(items: list[Any], style: str) -> Text:
        return Text(str(len(items)), style=style if items else "")

    for r in reports:
        c = r.changes
        table.add_row(
            HyphenWrapped(r.doc),
            str(r.units),
            str(r.words),
            count(c.added, "green"),
            count(c.changed, "yellow"),
            count(c.removed, "red"),
            str(len(r.written)),
        )
    table.add_row(
        Text("total", style="bold"),
        str(sum(r.units for r in reports)),
        str(sum(r.words for r in reports)),
        str(sum(len(r.changes.added) for r in reports)),
        str(sum(len(r.changes.changed) for r in reports)),
        str(sum(len(r.changes.removed) for r in reports)),
        str(sum(len(r.written) for r in reports)),
        end_section=True,
    )
    console.print(table)
    kept = sum(lr.obsoleted for r in reports for lr in r.locales.values())
    review = sum(lr.changed for r in reports for lr in r.locales.values())
    if review:
        console.print(
            Text(
                f"{review} translations now need review: their source sentence changed.",
                style="yellow",
            )
        )
    if kept:
        console.print(f"{kept} translations of removed sentences kept as obsolete (#~) entries.")
    _print_project_notes(result)
    return 0


def _print_project_notes(result: SegmentReport) -> None:
    """Repairs, gone sources, pruned files: whole lines, never wrapped, data never markup."""
    from transflow.cli._output import text as safe_text

    def say(message: str, style: str = "") -> None:
        console.print(safe_text(message, style), soft_wrap=True)

    for report in result.documents:
        if report.renamed_from:
            say(f"{report.doc}: renamed from {report.renamed_from}; its translations came along")
        for repair in report.repairs:
            say(f"repaired {repair}", "yellow")
    for orphan in result.orphans:
        renamed = f"; its sentences are now in {orphan.renamed_to}" if orphan.renamed_to else ""
        say(f"{orphan.source} no longer exists{renamed}", "yellow")
        if not result.pruned:
            for path, count in orphan.files.items():
                say(f"  kept {path} ({_translations(path, count)})")
    if result.orphans and not result.pruned:
        say("Nothing was deleted; `transflow segment --prune` removes these catalogs.")
    counts = {path: count for o in result.orphans for path, count in o.files.items()}
    for path in result.pruned:
        say(f"removed {path} ({_translations(path, counts.get(path, 0))})")
    if result.removed_temporaries:
        say(f"removed {len(result.removed_temporaries)} temporary files left by an interrupted run")


def _translations(path: str, count: int) -> str:
    if path.endswith(".pot"):
        return "template"
    return f"{count} translation{'' if count == 1 else 's'}"


def run_segments(args: argparse.Namespace, project: Project | None) -> int:
    from transflow.document import parse_document
    from transflow.segment import segment_document

    document = parse_document(args.file)
    units, _ = segment_document(document)
    data = [{"id": u.id, "kind": u.kind, "text": u.text} for u in units]
    if args.json:
        print_json(data)
        return 0
    for u in units:
        console.print(
            styled("[dim]{}[/] [cyan]{}[/] {}", f"{u.id:>10}", f"{u.kind:<10}", u.text),
            soft_wrap=True,
        )
    return 0
