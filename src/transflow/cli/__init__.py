"""The ``transflow`` command: a thin layer over the core library.

Every command finds the project from the current directory upwards (or
``--project DIR``), prints human-readable output by default and exactly one
JSON document with ``--json``, and exits 0 on success, 1 when a gate fails
(QA errors, coverage under threshold) and 2 on bad usage or bad input, with a
one-line message naming the file and line. Command modules import heavy
dependencies (CTranslate2, Textual) only inside their handlers, so
``transflow --help`` stays instant.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from transflow import __version__
from transflow.errors import TransflowError

__all__ = ["build_parser", "main"]

# One module per command group; each has register(subparsers).
COMMAND_MODULES = (
    "transflow.cli.segment",
    "transflow.cli.glossary",
    "transflow.cli.pretranslate",
    "transflow.cli.check",
    "transflow.cli.coverage",
    "transflow.cli.models",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="transflow",
        description="Translation workflow: segment, glossary, pre-translate, check, coverage.",
    )
    parser.add_argument("--version", action="version", version=f"transflow {__version__}")
    parser.add_argument(
        "--project",
        metavar="DIR",
        type=Path,
        help="the project directory (default: found from the current directory upwards)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return (and, as a script, exit with) its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        project = None
        if getattr(args, "needs_project", True):
            from transflow.config import load_project

            project = load_project(args.project)
        code: int = args.handler(args, project)
        return code
    except TransflowError as exc:
        print(f"transflow: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("transflow: interrupted; finished work was saved", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def run() -> None:
    sys.exit(main())
