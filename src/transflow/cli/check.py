"""``transflow check``: glossary and prose QA over the source and every translation."""

from __future__ import annotations

import argparse
import json
import json.encoder
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from transflow.config import Project
from transflow.finding import Finding, Severity

if TYPE_CHECKING:  # Rich is imported only to print for people
    from transflow.cli._output import Line

__all__ = ["register", "run_check"]

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def register(subparsers: Any) -> None:
    cmd = subparsers.add_parser(
        "check",
        help="QA: glossary and prose checks over the source and the translations",
        description="Check the English source against the glossary and every translation "
        "against the glossary and the prose checks. Every finding names the file and line to "
        "fix: the PO entry for a translation, the source document for the English text. "
        "Exits 1 if any error-severity finding shown "
        "is not suppressed by a `# qa-ignore: CHECK — reason` translator comment.",
    )
    cmd.add_argument(
        "--locale",
        action="append",
        metavar="L",
        help="only this locale's translations (repeatable); the English source's findings "
        "are then left out unless --source is given too",
    )
    cmd.add_argument(
        "--source",
        action="store_true",
        help="the English source's findings (glossary spellings); alone, only those",
    )
    cmd.add_argument("--doc", metavar="D", help="only this document")
    cmd.add_argument(
        "--severity",
        metavar="S",
        default="warning",
        help="show findings of at least this severity: error, warning (default) or info "
        "(info adds untranslated units and unreviewed suggestions); the exit code "
        "always counts every error",
    )
    cmd.add_argument("--list", action="store_true", help="list every check and exit")
    cmd.add_argument("--no-cache", action="store_true", help="ignore cached results")
    cmd.add_argument("--json", action="store_true", help="print one JSON document")
    cmd.set_defaults(handler=run_check, needs_project=False, exit_fast=True)


def _checks(project: Project | None) -> list[dict[str, Any]]:
    """Every check (glossary first, then prose) with its effective severity."""
    from transflow.checking import glossary_checks
    from transflow.qa import CHECKS

    overrides: dict[str, Severity] = {}
    if project is not None:
        from transflow.qa import QAConfig

        names = [name for name, _, _ in glossary_checks()]
        config = QAConfig.from_settings(
            project.tool("qa"), extra_checks=names, path=project.root / "pyproject.toml"
        )
        overrides = dict(config.severity)
        disabled = config.disable
    else:
        disabled = frozenset()
    out = []
    for name, severity, description in glossary_checks():
        scope = "source" if name == "glossary-variant" else "target"
        out.append(
            {
                "name": name,
                "group": "glossary",
                "severity": overrides.get(name, severity).label,
                "scope": scope,
                "description": description,
                "enabled": name not in disabled,
            }
        )
    for check in CHECKS.values():
        out.append(
            {
                "name": check.name,
                "group": "qa",
                "severity": overrides.get(check.name, check.severity).label,
                "scope": "target" if check.scope == "unit" else "locale",
                "description": check.description,
                "enabled": check.name not in disabled,
            }
        )
    return out


def _list(args: argparse.Namespace, project: Project | None) -> int:
    checks = _checks(project)
    if args.json:
        _print_json(checks)
        return 0
    from rich.table import Table

    from transflow.cli._output import console, styled, text

    table = Table(title="transflow checks")
    for column in ("check", "group", "severity", "scope"):
        table.add_column(column, no_wrap=True)
    table.add_column("description", ratio=1)
    for c in checks:
        style = _STYLE[Severity.parse(c["severity"])]
        name = (
            text(c["name"]) if c["enabled"] else styled("[dim strike]{}[/] (disabled)", c["name"])
        )
        table.add_row(
            name, c["group"], text(c["severity"], style), c["scope"], text(c["description"])
        )
    console.print(table)
    console.print(
        text(
            "Severities and the checks that run are set in [tool.transflow.qa]; a translator "
            "silences one finding with a `# qa-ignore: CHECK — reason` comment.",
            "dim",
        )
    )
    return 0


def _load(args: argparse.Namespace) -> Project | None:
    from transflow.config import load_project
    from transflow.errors import ProjectNotFound

    if args.list:
        try:
            return load_project(args.project)
        except ProjectNotFound:
            return None
    return load_project(args.project)


def run_check(args: argparse.Namespace, project: Project | None) -> int:
    from transflow.errors import InputError

    project = project or _load(args)
    if args.list:
        return _list(args, project)
    assert project is not None
    try:
        threshold = Severity.parse(args.severity)
    except ValueError as exc:
        raise InputError(f"--severity: {exc}") from None
    from transflow.checking import run_project

    # The English source is one text, not one per locale: its findings come with the
    # whole project, with --source, or alone with --source only.
    locales: tuple[str, ...] | None = None
    if args.locale:
        locales = project.check_locales(args.locale)
    elif args.source:
        locales = ()
    source = args.source or not args.locale
    docs = project.check_doc(args.doc)
    result = run_project(project, locales, docs, use_cache=not args.no_cache, source=source)
    blocking = result.blocking_count()
    if args.json:
        _write_json(result, threshold)
    else:
        _print(result, threshold, blocking)
    return 1 if blocking else 0


def _write_json(result: Any, threshold: Severity) -> None:
    """The findings as one JSON list, written as they are read (never all in memory).

    The cache keeps them as UTF-8: they go to stdout's byte stream as they are when
    stdout writes UTF-8 with no newline translation, else decoded and written as text.
    """
    stream = sys.stdout
    buffer: Any = getattr(stream, "buffer", None)
    encoding = str(getattr(stream, "encoding", None) or "").lower().replace("_", "-")
    write: Callable[[bytes | memoryview], Any]
    raw = buffer is not None and encoding in ("utf-8", "utf8") and os.linesep == "\n"
    if raw:
        stream.flush()
        write = buffer.write  # pieces are views into the cache's reads: written, not copied
    else:

        def write(data: bytes | memoryview) -> None:
            stream.write(str(data, "utf-8", "surrogateescape"))

    first = True
    for piece in result.json_chunks(threshold):  # one or more findings each
        write(b"[\n" if first else b",\n")
        write(piece)
        first = False
    write(b"[]\n" if first else b"\n]\n")
    if raw:
        buffer.flush()


_encode_str = json.encoder.encode_basestring  # what json.dumps uses with ensure_ascii=False


class _Unsupported(Exception):
    pass


def _layout(value: Any, indent: str) -> str:
    """JSON of ``value`` laid out exactly as ``json.dumps(..., indent=2)`` does."""
    if isinstance(value, str):
        return _encode_str(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    kind = type(value)
    if kind is int:
        return int.__repr__(value)
    if kind is float and value == value and value not in (float("inf"), float("-inf")):
        return float.__repr__(value)
    inner = indent + "  "
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        items = [inner + _layout(item, inner) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    if kind is dict:
        if not value:
            return "{}"
        fields = []
        for key, item in value.items():
            if type(key) is not str:
                raise _Unsupported
            if isinstance(item, str):  # the common case, without a call
                fields.append(inner + _encode_str(key) + ": " + _encode_str(item))
            elif item is None:
                fields.append(inner + _encode_str(key) + ": null")
            else:
                fields.append(inner + _encode_str(key) + ": " + _layout(item, inner))
        return "{\n" + ",\n".join(fields) + "\n" + indent + "}"
    raise _Unsupported


def dumps_json(data: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=2)``, several times faster.

    With ``indent`` the standard library encodes in Python, slowly; this covers
    what the commands print (dicts with str keys, lists, str, int, float, bool,
    None) and hands anything else to ``json.dumps``.
    """
    try:
        return _layout(data, "")
    except (_Unsupported, RecursionError):
        return json.dumps(data, ensure_ascii=False, indent=2)


def _print_json(data: Any) -> None:
    """``print_json`` of ``transflow.cli._output``, without importing Rich for it."""
    sys.stdout.write(dumps_json(data) + "\n")


def _highlighted(f: Finding, excerpt: tuple[str, int]) -> Line:
    text, offset = excerpt
    line = [("      ", "")]
    if offset:
        line.append(("…", "dim"))
    if f.span is None:
        line.append((text, ""))
    else:
        a, b = f.span[0] - offset, f.span[1] - offset
        line.append((text[:a], ""))
        line.append((text[a:b] or "⎀", "bold reverse red" if f.severity else "reverse"))
        line.append((text[b:], ""))
    return line


def _print(result: Any, threshold: Severity, blocking: int) -> None:
    """Findings grouped by document and locale, each led by ``path:line:`` as compilers do.

    Editors and terminals turn ``path:line`` into a jump (vim's quickfix, Emacs's
    compilation mode, VS Code's terminal links): the PO entry of a translation's
    finding, the source document's line for the English source's.
    """
    from rich.text import Text

    from transflow.checking import excerpt, to_finding
    from transflow.cli._output import console, print_lines

    group: tuple[str, str | None] | None = None
    shown = 0
    lines: list[Line] = []  # a document's, printed together
    for raw, locale, path in result.raw(threshold):
        f = to_finding(raw, locale, path)
        shown += 1
        if (f.doc, f.locale) != group:
            print_lines(console, lines)
            group = (f.doc, f.locale)
            lines.append([])
            lines.append([(f"{f.doc} · {f.locale or 'source (en)'}", "bold underline")])
        lines.append(
            [
                ("  ", ""),
                (f"{f.location}:", "bold"),
                (f" {f.unit}", "dim"),
                (f" {f.severity.label}", "dim" if f.suppressed else _STYLE[f.severity]),
                (f" {f.check}", "cyan"),
                (f"  {f.message}", "dim" if f.suppressed else ""),
            ]
        )
        text = excerpt(raw)
        if text[0]:
            lines.append(_highlighted(f, text))
        if f.expected:
            lines.append([("      fix: ", "dim"), (" | ".join(f.expected), "dim green")])
        if f.suppressed:
            lines.append([(f"      suppressed: {f.suppressed}", "dim italic")])
    print_lines(console, lines)
    errors, warnings, infos, suppressed = result.summary()
    console.print()
    summary = Text()
    summary.append(_count(errors, "error"), style="bold red" if blocking else "green")
    summary.append(f", {_count(warnings, 'warning')}, {infos} info, {suppressed} suppressed")
    hidden = errors + warnings + infos + suppressed - shown
    if hidden:
        summary.append(f" ({hidden} below --severity not shown)", style="dim")
    console.print(summary)
    if blocking:
        console.print(Text("check failed: fix the errors or suppress them with a reason", "red"))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
