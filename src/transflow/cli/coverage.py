"""``transflow coverage``: translation and review progress per document and locale."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from transflow.config import Project

__all__ = ["register", "run_coverage"]

_BAR_WIDTH = 16
# Rich colours of the states, in State order (new … reviewed); matches the HTML report.
_STATE_STYLE = ("grey50", "magenta", "blue", "yellow", "cyan", "green")


def register(subparsers: Any) -> None:
    cmd = subparsers.add_parser(
        "coverage",
        help="translation and review coverage per document and locale",
        description="Units and source words in each state (new, machine, memory, needs review, "
        "translated, reviewed) per document and locale, the share of words reviewed, open QA "
        "errors, and whether each translation is publishable.",
    )
    cmd.add_argument("--json", action="store_true", help="print one JSON document")
    cmd.add_argument(
        "--html", metavar="FILE", type=Path, help="also write a self-contained HTML page"
    )
    cmd.add_argument(
        "--fail-under",
        metavar="PCT",
        type=float,
        help="exit 1 if any locale has less than PCT%% of its source words reviewed",
    )
    cmd.add_argument("--locale", action="append", metavar="L", help="only this locale (repeatable)")
    cmd.add_argument("--no-cache", action="store_true", help="ignore cached results")
    cmd.set_defaults(handler=run_coverage, exit_fast=True)


def run_coverage(args: argparse.Namespace, project: Project) -> int:
    from transflow.errors import InputError

    if args.fail_under is not None and not 0 <= args.fail_under <= 100:
        raise InputError("--fail-under must be a percentage between 0 and 100")
    from transflow.coverage import coverage_report

    report = coverage_report(project, args.locale, args.fail_under, use_cache=not args.no_cache)
    created: Path | None = None
    if args.html is not None:
        from transflow.outfile import write_output
        from transflow.report_html import render_html

        created = write_output(args.html, render_html(report, project.name).encode("utf-8"))
    failing = report.failing_locales
    if args.json:
        data = report.to_json()
        data["html"] = str(args.html) if args.html is not None else None
        data["created_folder"] = str(created) if created is not None else None
        from transflow.cli.check import dumps_json  # print_json, without importing Rich

        sys.stdout.write(dumps_json(data) + "\n")
    else:
        from transflow.cli._output import console, styled

        _print(report, project)
        if args.html is not None:
            note = f" (created folder {created})" if created is not None else ""
            console.print(styled("HTML report written to [bold]{}[/]{}", args.html, note))
        if failing:
            console.print(
                styled(
                    "[bold red]coverage under {}% of words reviewed:[/] {}",
                    f"{args.fail_under:g}",
                    ", ".join(failing),
                )
            )
    return 1 if failing else 0


def _bar(counts: Any, width: int = _BAR_WIDTH) -> Any:
    from rich.text import Text

    total = counts.total_words
    bar = Text()
    if not total:
        return Text("·" * width, style="grey50")
    # Largest-remainder rounding so the segments always add up to the full width.
    exact = [width * w / total for w in counts.words]
    cells = [int(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: exact[i] - cells[i], reverse=True):
        if sum(cells) >= width:
            break
        cells[i] += 1
    for width, style in zip(cells, _STATE_STYLE, strict=True):
        if width:
            bar.append("█" * width, style=style)
    return bar


def _print(report: Any, project: Project) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from transflow.cli._output import HyphenWrapped, console, text

    table = Table(
        title=text(f"{project.name}: translation coverage (by source words)"),
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("locale")
    table.add_column("document", ratio=1)
    table.add_column("progress", no_wrap=True)
    table.add_column("reviewed", justify="right", no_wrap=True)
    table.add_column("words", justify="right")
    table.add_column("QA err", justify="right")
    table.add_column("publish", justify="center")

    # In a narrow terminal the bars shrink before document names are folded: a
    # coordinator reads names, the bar only summarises the numbers beside it.
    longest = max((len(r.doc) for r in report.rows), default=8)
    bar_width = max(8, min(_BAR_WIDTH, console.width - longest - 52))

    def add(row: Any, first: str, second: HyphenWrapped | Text, **kwargs: Any) -> None:
        c = row.counts
        pct = c.percent_reviewed()
        style = "green" if pct >= 100 else "yellow" if pct >= 50 else "red"
        table.add_row(
            first,
            second,
            _bar(c, bar_width),
            Text(f"{pct:.1f}%", style=style),
            str(c.total_words),
            Text(str(row.qa_errors), style="bold red") if row.qa_errors else Text("0"),
            Text("yes", style="green") if row.publishable else Text("no", style="red"),
            **kwargs,
        )

    for locale, total in report.totals.items():
        rows = [r for r in report.rows if r.locale == locale]
        for i, row in enumerate(rows):
            add(row, locale if i == 0 else "", HyphenWrapped(row.doc))
        add(total, "", Text("total", style="bold"), end_section=True)
    console.print(table)
    legend = Text("  ")
    labels = ("new", "machine", "memory", "needs review", "translated", "reviewed")
    for label, style in zip(labels, _STATE_STYLE, strict=True):
        legend.append("█ ", style=style)
        legend.append(label + "  ")
    console.print(legend)
