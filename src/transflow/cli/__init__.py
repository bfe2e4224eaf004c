"""The ``transflow`` command: a thin layer over the core library.

Every command finds the project from the current directory upwards (or
``--project DIR``), prints human-readable output by default and exactly one
JSON document with ``--json``, and exits 0 on success, 1 when a gate fails
(QA errors, coverage under threshold) and 2 on bad usage or bad input, with a
one-line message naming the file and line. Command modules import heavy
dependencies (CTranslate2, Textual) only inside their handlers, so
``transflow --help`` stays instant.

Start-up time counts (``transflow check`` on an unchanged project takes a
fraction of a second), so a command line naming a known command imports only
that command's module (``COMMANDS``); ``transflow --help``, a bare
``transflow`` and anything not in the table import every module in
``COMMAND_MODULES``, as before, so the top-level help always lists them all.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

__all__ = ["build_parser", "main"]

# Modules are imported inside the functions below, not here: the ``transflow`` script
# imports this module before ``run`` can catch anything, and a Ctrl-C during those
# first milliseconds must end in one line, not a traceback out of an import.

# One module per command group; each has register(subparsers).
COMMAND_MODULES = (
    "transflow.cli.segment",
    "transflow.cli.glossary",
    "transflow.cli.pretranslate",
    "transflow.cli.check",
    "transflow.cli.coverage",
    "transflow.cli.models",
    "transflow.cli.memory",
    "transflow.cli.approve",
    "transflow.cli.review",
    "transflow.cli.export",
    "transflow.cli.import_",
)

# Command name → the module that registers it, for the commands of COMMAND_MODULES.
COMMANDS = {
    "segment": "transflow.cli.segment",
    "segments": "transflow.cli.segment",
    "glossary": "transflow.cli.glossary",
    "pretranslate": "transflow.cli.pretranslate",
    "check": "transflow.cli.check",
    "coverage": "transflow.cli.coverage",
    "models": "transflow.cli.models",
    "memory": "transflow.cli.memory",
    "approve": "transflow.cli.approve",
    "unapprove": "transflow.cli.approve",
    "review": "transflow.cli.review",
    "export": "transflow.cli.export",
    "import": "transflow.cli.import_",
}
# Top-level options that take a value (the word after them is not the command).
_VALUE_OPTIONS = ("--project",)


def _command_module(argv: Sequence[str]) -> str | None:
    """The module of the command ``argv`` names, if it is known and nothing needs them all."""
    args = iter(argv)
    for arg in args:
        if arg == "--":
            return None
        if arg in _VALUE_OPTIONS:
            next(args, None)
            continue
        if arg.startswith("-"):
            if arg.startswith(tuple(f"{o}=" for o in _VALUE_OPTIONS)):
                continue
            if arg.startswith("--") and any(o.startswith(arg) for o in _VALUE_OPTIONS):
                next(args, None)  # an abbreviation argparse accepts, e.g. --proj DIR
                continue
            return None  # --help, --version, or something argparse should report
        module = COMMANDS.get(arg)
        return module if module in COMMAND_MODULES else None
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given ``argv`` naming a known command, with only that command registered."""
    import argparse
    import importlib
    from pathlib import Path

    from transflow import __version__

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
    only = _command_module(argv) if argv is not None else None
    for name in (only,) if only else COMMAND_MODULES:
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
    return _dispatch(argv, script=False)


def run() -> None:
    """The ``transflow`` script: never a traceback, whatever happens."""
    import signal

    # From here Ctrl-C is a KeyboardInterrupt again (``transflow/__init__.py`` ended the
    # process quietly until now), so a command can save its finished work first.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        code = _dispatch(None, script=True)
    except KeyboardInterrupt:  # while modules were still loading: nothing was written yet
        _say("transflow: interrupted")
        code = 130
    except Exception as exc:  # a bug: one line, and how to see the rest
        import os
        import traceback

        if os.environ.get("TRANSFLOW_DEBUG"):
            traceback.print_exc()
        _say(
            f"transflow: internal error: {type(exc).__name__}: {exc} "
            "(a bug in transflow; set TRANSFLOW_DEBUG=1 to see where)"
        )
        code = 3
    sys.exit(code)


def _say(message: str) -> None:
    """Print one line on stderr: control characters and newlines in it are shown escaped."""
    import contextlib

    from transflow.cli._safe import one_line

    with contextlib.suppress(BrokenPipeError, ValueError):  # stderr closed: nothing to tell
        print(one_line(message), file=sys.stderr)


def _dispatch(argv: Sequence[str] | None, script: bool) -> int:
    if argv is None:
        argv = sys.argv[1:]
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    # A command registered with ``exit_fast`` (check, coverage) leaves nothing to clean
    # up once its output is flushed: files are written atomically before it returns.
    # Run as the script, its process then has no cyclic garbage collection (the library
    # pauses it for the run; turning it back on makes the next young collection walk
    # every result still alive) and ends with ``os._exit``, as mypy does, skipping the
    # teardown of a large heap: 0.1-0.15 s together after checking 100,000 units.
    exit_fast = script and getattr(args, "exit_fast", False)
    if exit_fast:
        import gc

        gc.disable()
    code = _call(args)
    if exit_fast:
        import os

        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BrokenPipeError:
            pass
        os._exit(code)
    return code


def _call(args: argparse.Namespace) -> int:
    from transflow.errors import TransflowError

    try:
        project = None
        if getattr(args, "needs_project", True):
            from transflow.config import load_project

            project = load_project(args.project)
        code: int = args.handler(args, project)
        return code
    except TransflowError as exc:
        _say(f"transflow: error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        _say("transflow: interrupted; finished work was saved")
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a file no check named first (a folder where a file belongs, ...)
        _say(f"transflow: error: {_os_error(exc)}")
        return 2


def _os_error(exc: OSError) -> str:
    """``path: reason`` for an ``OSError``, the path relative to the current folder if inside."""
    import os

    reason = exc.strerror or str(exc)
    if exc.filename is None:
        return reason
    name = os.fsdecode(exc.filename)
    try:
        shown = os.path.relpath(name)
        name = shown if not shown.startswith("..") else name
    except ValueError:
        pass
    return f"{name}: {reason}"
