"""``transflow pretranslate``: memory first, then machine translation, with a progress bar."""

from __future__ import annotations

import argparse
from typing import Any

from transflow.cli._output import console, err_console, print_json, text
from transflow.config import Project

__all__ = ["register"]


def _engines(value: str) -> list[str]:
    names = [v.strip() for v in value.split(",") if v.strip()]
    if not names:
        raise argparse.ArgumentTypeError("name at least one engine")
    return names


def register(subparsers: Any) -> None:
    cmd = subparsers.add_parser(
        "pretranslate",
        help="fill new units from translation memory, then machine translation",
        description="Fill every new unit with the best offline suggestion: translation memory "
        "first, then Argos Translate (or a LibreTranslate server), glossary terms protected. "
        "Translated and reviewed units are never touched. Resumable: saves after every batch.",
    )
    cmd.add_argument("--locale", action="append", metavar="L", help="only this locale (repeatable)")
    cmd.add_argument("--doc", action="append", metavar="D", help="only this document (repeatable)")
    cmd.add_argument(
        "--engine",
        type=_engines,
        metavar="E[,E...]",
        help="engines in order of preference: memory, argos, libretranslate "
        "(default: memory,argos — argos only where a model is installed)",
    )
    cmd.add_argument(
        "--min-score", type=int, default=75, metavar="N", help="lowest fuzzy memory score (75)"
    )
    cmd.add_argument("--batch-size", type=int, default=32, metavar="N", help="units per MT batch")
    cmd.add_argument("--threads", type=int, default=1, metavar="N", help="CPU threads for Argos")
    cmd.add_argument("--json", action="store_true", help="print one JSON document")
    cmd.set_defaults(handler=run)


class _RichProgress:
    """A Rich progress bar per locale (on stderr, so --json output stays clean)."""

    def __init__(self) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.bar = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
            transient=False,
        )
        self.tasks: dict[str, Any] = {}

    def start(self, locale: str, total: int) -> None:
        # Started on the first locale, not before: errors found while reading
        # the catalogs then print as one clean line.
        if not self.tasks:
            self.bar.start()
        self.tasks[locale] = self.bar.add_task(f"pre-translating {locale}", total=total)

    def close(self) -> None:
        if self.tasks:
            self.bar.stop()

    def advance(self, locale: str, count: int) -> None:
        self.bar.advance(self.tasks[locale], count)

    def finish(self, locale: str) -> None:
        task = self.tasks[locale]
        self.bar.update(task, completed=self.bar.tasks[task].total)


def run(args: argparse.Namespace, project: Project) -> int:
    from rich import box
    from rich.table import Table

    from transflow.errors import InputError
    from transflow.pretranslate import DEFAULT_ENGINES, pretranslate

    locales = project.check_locales(args.locale)
    docs = sorted({d for doc in (args.doc or [None]) for d in project.check_doc(doc)})
    if args.min_score < 1 or args.min_score > 100:
        raise InputError("--min-score must be between 1 and 100")
    progress = None if args.json else _RichProgress()  # --json: one document, nothing else
    try:
        summaries = pretranslate(
            project,
            locales=locales,
            docs=docs,
            engines=args.engine or DEFAULT_ENGINES,
            explicit=args.engine is not None,
            min_score=args.min_score,
            batch_size=max(1, args.batch_size),
            threads=max(1, args.threads),
            progress=progress,
        )
    finally:
        if progress is not None:
            progress.close()
    if args.json:
        print_json({"locales": [s.to_json() for s in summaries]})
        return 0
    table = Table(title="Pre-translation", box=box.SIMPLE_HEAD, pad_edge=False)
    # Short two-line headers (never cut to "…"), so the table fits 80 columns;
    # TM and MT are what every translator calls memory and machine translation.
    columns = (
        "locale",
        "new\nbefore",
        "TM\nexact",
        "TM\nfuzzy",
        "MT",
        "left\nempty",
        "terms\nprotected",
        "terms\nlost",
        "time",
    )
    for column in columns:
        table.add_column(column, justify="left" if column == "locale" else "right", overflow="fold")
    for s in summaries:
        table.add_row(
            s.locale,
            str(s.new_before),
            str(s.memory_exact),
            str(s.memory_fuzzy),
            str(s.machine),
            str(s.empty),
            str(s.terms_protected),
            text(s.protection_failures, "red") if s.protection_failures else "0",
            f"{s.seconds:.1f} s",
        )
    console.print(table)
    for s in summaries:
        if s.engine:
            console.print(text(f"{s.locale}: machine translation by {s.engine}"))
        if s.missing:
            # Not wrapped: the install command in it must survive copy and paste.
            console.print(text(f"{s.locale}: {s.missing}", "yellow"), soft_wrap=True)
    return 0
