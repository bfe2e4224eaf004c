"""``transflow review``: the Textual review application, in the terminal or in a browser.

Everything is checked before the application starts (the locale, the
document, the filter, the unit, the reviewer's name, the settings), so a
mistake is the usual one-line error and exit 2, not a screen that opens and
closes. Textual is imported only here, inside the handler, so other commands
never pay for it. ``--web`` serves the same application with ``textual-serve``,
bound to 127.0.0.1 unless ``--host`` says otherwise: each browser tab runs its
own ``transflow review`` process with the same arguments.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from typing import Any

from transflow.config import Project
from transflow.errors import InputError
from transflow.review.rows import FILTERS
from transflow.reviewer import OPTION_HELP

__all__ = ["register"]

FILTER_NAMES = tuple(FILTERS)


def register(subparsers: Any) -> None:
    cmd = subparsers.add_parser(
        "review",
        help="review translations in the terminal (or a browser with --web)",
        description=(
            "The review application: the units of one document in one locale with the "
            "source, context, glossary, memory and machine suggestions, live QA, and Emacs PO "
            "mode's keys (F1 lists them all). Without LOCALE it starts on the list of "
            "documents x locales. Every change is written at once, next to other writers "
            "(pretranslate may run meanwhile)."
        ),
    )
    cmd.add_argument("locale", nargs="?", metavar="LOCALE", help="the locale to review")
    cmd.add_argument("--doc", metavar="D", help="the document (default: the first not publishable)")
    cmd.add_argument(
        "--filter",
        default="all",
        choices=FILTER_NAMES,
        metavar="S",
        help="show only these units: " + ", ".join(FILTER_NAMES),
    )
    cmd.add_argument("--unit", metavar="ID", help="start at this unit")
    cmd.add_argument(
        "--reviewer",
        metavar="NAME",
        help=OPTION_HELP,
    )
    cmd.add_argument("--web", action="store_true", help="serve the application to a browser")
    cmd.add_argument("--port", type=int, metavar="N", help="port for --web (default 8000)")
    cmd.add_argument(
        "--host",
        metavar="ADDR",
        help="address for --web to listen on (default 127.0.0.1: this machine only)",
    )
    cmd.set_defaults(handler=run)


def _check(args: argparse.Namespace, project: Project) -> None:
    if (args.port is not None or args.host is not None) and not args.web:
        raise InputError("--port and --host go with --web")
    if args.port is not None and not 0 < args.port < 65536:
        raise InputError(f"--port {args.port}: not a port number")
    if args.locale is None:
        if args.doc or args.unit:
            raise InputError("--doc and --unit need a LOCALE")
        return
    project.check_locales([args.locale])
    if args.doc is not None:
        (doc,) = project.check_doc(args.doc)
        path = project.catalog_path(args.locale, doc)
        if not path.exists():
            raise InputError("no such catalog; run `transflow segment` first", path)
        if args.unit is not None:
            from transflow.review.rows import read_rows

            if all(row.id != args.unit for row in read_rows(project, args.locale, doc)):
                raise InputError(f"no unit {args.unit!r} in {doc} ({args.locale})", path)


def run(args: argparse.Namespace, project: Project) -> int:
    from transflow.reviewer import find_reviewer, require_reviewer

    _check(args, project)
    # In a terminal, a translator with no name configured anywhere is asked for it by the
    # app (browsing needs no name, saving records one); a script or --web gets the error.
    found = find_reviewer(project, args.reviewer)
    in_terminal = not args.web and sys.stdin.isatty() and sys.stdout.isatty()
    reviewer: str | None = None
    if found is not None:
        reviewer = str(found)
    elif not in_terminal:
        reviewer = str(require_reviewer(project, args.reviewer))  # the one-line error
    # transflow_tui lives in tui/ (setuptools maps it), where mypy checks it as its own tree.
    from transflow_tui.settings import load_settings  # type: ignore[import-not-found,unused-ignore]

    settings = load_settings(project)
    if args.web:
        assert reviewer is not None
        return _serve(args, project, reviewer)
    from transflow_tui.app import ReviewApp  # type: ignore[import-not-found,unused-ignore]

    app = ReviewApp(
        project,
        reviewer,
        locale=args.locale,
        doc=args.doc,
        filter=args.filter,
        unit=args.unit,
        settings=settings,
    )
    app.run()
    return 0


def _serve(args: argparse.Namespace, project: Project, reviewer: str) -> int:
    from importlib.resources import files
    from pathlib import Path

    from textual_serve.server import Server

    host = args.host or "127.0.0.1"
    port = args.port or 8000
    command = [sys.executable, "-m", "transflow.cli", "--project", str(project.root), "review"]
    if args.locale:
        command.append(args.locale)
    for option, value in (("--doc", args.doc), ("--unit", args.unit)):
        if value:
            command += [option, value]
    command += ["--filter", args.filter, "--reviewer", reviewer]
    # textual-serve's page, less its Google Fonts link: the fonts ship with it anyway,
    # and a reviewer's browser should not tell a third party what they are working on.
    templates = Path(str(files("transflow_tui") / "web"))
    server = Server(
        shlex.join(command),
        host=host,
        port=port,
        title=f"transflow review · {project.name}",
        templates_path=templates,
    )
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"transflow: warning: serving on {host}: anyone who can reach this address can "
            "edit the catalogs as you",
            file=sys.stderr,
        )
    print(f"transflow review: open http://{host}:{port} in a browser (Ctrl+C stops)", flush=True)
    server.serve()
    return 0
