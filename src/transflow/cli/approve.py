"""``transflow approve`` and ``transflow unapprove``: sign off translated units, or take it back.

How a reviewer signs off work a translator did in Poedit or Weblate, and what
scripts use. A thin layer over ``transflow.review.approve_units``.
"""

from __future__ import annotations

import argparse
from typing import Any

from transflow.config import Project
from transflow.reviewer import OPTION_HELP

__all__ = ["register"]


def register(subparsers: Any) -> None:
    for name, verb in (("approve", "approve"), ("unapprove", "take back the approval of")):
        cmd = subparsers.add_parser(
            name,
            help=f"{verb} translated units, recording the reviewer",
            description=(
                "Approve translated units: the approval (reviewer, date, and a digest of the "
                "source and target) is kept in a translator comment that msgcat, msgmerge, "
                "msgattrib, Poedit and Weblate preserve, and counts only while the text is "
                "unchanged. New units, suggestions and units with QA errors are refused "
                "unless --force."
                if name == "approve"
                else "Take back approvals; the units stay translated."
            ),
        )
        cmd.add_argument("units", nargs="*", metavar="UNIT_ID", help="unit ids (msgctxt)")
        cmd.add_argument("--locale", required=True, metavar="L", help="the locale")
        cmd.add_argument("--doc", metavar="D", help="only this document")
        if name == "approve":
            cmd.add_argument(
                "--all-translated",
                action="store_true",
                help="every translated unit (of --doc, else of every document)",
            )
            cmd.add_argument(
                "--force",
                action="store_true",
                help="also approve suggestions and units with QA errors (says what it overrode)",
            )
        else:
            cmd.add_argument("--all", action="store_true", help="every approved unit")
        cmd.add_argument(
            "--reviewer",
            metavar="NAME",
            help=OPTION_HELP,
        )
        cmd.add_argument("--json", action="store_true", help="print one JSON document")
        cmd.set_defaults(handler=run, command_name=name)


def run(args: argparse.Namespace, project: Project) -> int:
    from transflow.review import approve_units, unapprove_units
    from transflow.reviewer import require_reviewer

    reviewer = require_reviewer(project, args.reviewer)
    if args.command_name == "approve":
        report = approve_units(
            project,
            args.locale,
            reviewer,
            doc=args.doc,
            ids=args.units,
            all_translated=args.all_translated,
            force=args.force,
        )
    else:
        report = unapprove_units(
            project, args.locale, reviewer, doc=args.doc, ids=args.units, all_approved=args.all
        )
    if args.json:
        from transflow.cli._output import print_json

        print_json(report.to_json())
        return 0
    _print(report, args.command_name)
    return 0


def _print(report: Any, command: str) -> None:
    from rich.text import Text

    from transflow.cli._output import console

    done = "approved" if command == "approve" else "unapproved"
    for doc, unit, source in report.done:
        line = Text.assemble(("  ✓ " if command == "approve" else "  ✗ ", "green"), (unit, "bold"))
        line.append(f"  {doc}  ", style="dim")
        line.append(source if len(source) <= 60 else source[:59] + "…")
        console.print(line, no_wrap=True, overflow="ellipsis")
    for doc, unit, what in report.overridden:
        console.print(Text(f"  --force overrode {unit} ({doc}): {what}", style="yellow"))
    summary = Text(f"{done} {len(report.done)} unit(s) in {report.locale} as {report.reviewer}")
    if report.skipped:
        reasons: dict[str, int] = {}
        for _, _, reason in report.skipped:
            key = reason if not reason.startswith("QA error") else "QA errors"
            reasons[key] = reasons.get(key, 0) + 1
        summary.append("; skipped ")
        summary.append(", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items())))
    console.print(summary)
    for path in report.written:
        console.print(Text(f"  wrote {path}", style="dim"))
