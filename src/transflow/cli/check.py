"""``transflow check``: glossary and prose QA over the source and every translation."""

from __future__ import annotations

import argparse
from typing import Any

from transflow.cli._output import console, print_json
from transflow.config import Project
from transflow.finding import Finding, Severity

__all__ = ["register", "run_check"]

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def register(subparsers: Any) -> None:
    cmd = subparsers.add_parser(
        "check",
        help="QA: glossary and prose checks over the source and the translations",
        description="Check the English source against the glossary and every translation "
        "against the glossary and the prose checks. Exits 1 if any error-severity finding "
        "is not suppressed by a `# qa-ignore: CHECK — reason` translator comment.",
    )
    cmd.add_argument("--locale", action="append", metavar="L", help="only this locale (repeatable)")
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
    cmd.set_defaults(handler=run_check, needs_project=False)


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
        print_json(checks)
        return 0
    from rich.table import Table

    table = Table(title="transflow checks")
    for column in ("check", "group", "severity", "scope", "description"):
        table.add_column(column)
    for c in checks:
        style = _STYLE[Severity.parse(c["severity"])]
        name = c["name"] if c["enabled"] else f"[dim strike]{c['name']}[/] (disabled)"
        table.add_row(
            name, c["group"], f"[{style}]{c['severity']}[/]", c["scope"], c["description"]
        )
    console.print(table)
    console.print(
        "[dim]Severities and the checks that run are set in [tool.transflow.qa]; a translator "
        "silences one finding with a `# qa-ignore: CHECK — reason` comment.[/]"
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

    locales = project.check_locales(args.locale)
    docs = project.check_doc(args.doc)
    result = run_project(project, locales, docs, use_cache=not args.no_cache)
    blocking = result.blocking()
    shown = [
        (f, excerpt)
        for f, excerpt in zip(result.findings, result.excerpts, strict=True)
        if f.severity >= threshold
    ]
    if args.json:
        print_json([f.to_json() for f, _ in shown])
    else:
        _print(shown, result.findings, len(blocking))
    return 1 if blocking else 0


def _highlighted(f: Finding, excerpt: tuple[str, int]) -> Any:
    from rich.text import Text

    text, offset = excerpt
    line = Text("      ")
    if offset:
        line.append("…", style="dim")
    if f.span is None:
        line.append(text)
    else:
        a, b = f.span[0] - offset, f.span[1] - offset
        line.append(text[:a])
        line.append(text[a:b] or "⎀", style="bold reverse red" if f.severity else "reverse")
        line.append(text[b:])
    return line


def _print(
    shown: list[tuple[Finding, tuple[str, int]]], everything: list[Finding], blocking: int
) -> None:
    from rich.text import Text

    group: tuple[str, str | None] | None = None
    for f, excerpt in shown:
        if (f.doc, f.locale) != group:
            group = (f.doc, f.locale)
            console.print()
            console.print(Text(f"{f.doc} · {f.locale or 'source (en)'}", style="bold underline"))
        head = Text("  ")
        head.append(f"{f.unit:<10}", style="dim")
        head.append(f" {f.severity.label:<7}", style="dim" if f.suppressed else _STYLE[f.severity])
        head.append(f" {f.check}", style="cyan")
        head.append(f"  {f.message}", style="dim" if f.suppressed else "")
        console.print(head, soft_wrap=True)
        if excerpt[0]:
            console.print(_highlighted(f, excerpt), soft_wrap=True)
        if f.expected:
            fix = Text("      fix: ", style="dim")
            fix.append(" | ".join(f.expected), style="green")
            console.print(fix, soft_wrap=True)
        if f.suppressed:
            console.print(Text(f"      suppressed: {f.suppressed}", style="dim italic"))
    counts = {s: 0 for s in Severity}
    suppressed = 0
    for f in everything:
        if f.suppressed:
            suppressed += 1
        else:
            counts[f.severity] += 1
    console.print()
    summary = Text()
    summary.append(f"{counts[Severity.ERROR]} errors", style="bold red" if blocking else "green")
    summary.append(f", {counts[Severity.WARNING]} warnings, {counts[Severity.INFO]} info")
    summary.append(f", {suppressed} suppressed")
    hidden = len(everything) - len(shown)
    if hidden:
        summary.append(f" ({hidden} below --severity not shown)", style="dim")
    console.print(summary)
    if blocking:
        console.print(Text("check failed: fix the errors or suppress them with a reason", "red"))
