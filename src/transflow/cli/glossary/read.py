"""The reading subcommands: ``lint``, ``list``, ``show``, ``usage``, ``missing`` and ``export``.

None of them changes glossary.yaml; ``export`` writes only the file ``--out`` names.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from transflow.cli._output import console, print_json, styled
from transflow.cli._output import text as plain
from transflow.cli.glossary._common import _entry, _load, _shown
from transflow.config import Project
from transflow.errors import GlossaryError, InputError

__all__ = ["run_export", "run_lint", "run_list", "run_missing", "run_show", "run_usage"]


# -- lint -------------------------------------------------------------------------------


def run_lint(args: argparse.Namespace, project: Project) -> int:
    from transflow.glossary import LintProblem, lint_glossary, load_glossary
    from transflow.project_glossary import load_project_glossary, read_project_glossary

    path = project.glossary_path
    try:  # first what every command requires of the file: it exists, is not empty, ...
        read_project_glossary(project)
        problems = lint_glossary(path)
        if not problems:
            load_project_glossary(project)  # ... and has an entries list
    except GlossaryError as exc:
        problems = [LintProblem(path, exc.line, exc.message)]
    name = _shown(project, path)
    entries = 0
    if not problems:
        entries = len(load_glossary(path))
    if args.json:
        print_json(
            {
                "path": name,
                "entries": entries,
                "problems": [
                    {"path": name, "line": p.line, "message": p.message} for p in problems
                ],
            }
        )
    else:
        for p in problems:
            where = f"{name}:{p.line}" if p.line else name
            console.print(plain(f"{where}: {p.message}"), soft_wrap=True)
        if problems:
            console.print(styled("[red]{} problem(s)[/] in {}", len(problems), name))
        else:
            console.print(plain(f"{name}: {entries} entries, no problems"))
    return 2 if problems else 0


# -- list / show ------------------------------------------------------------------------


def run_list(args: argparse.Namespace, project: Project) -> int:
    from rich.table import Table

    glossary = _load(project)
    entries = [e for e in glossary if args.type is None or e.type == args.type]
    if args.json:
        print_json(
            [
                {
                    "id": e.id,
                    "type": e.type,
                    "en": e.en,
                    "keep-untranslated": e.keep_untranslated,
                    "approved": {
                        code: e.locales[code].approved
                        for code in glossary.locales
                        if code in e.locales
                    },
                }
                for e in entries
            ]
        )
        return 0
    title = f"{len(entries)} glossary entries" + (f" of type {args.type}" if args.type else "")
    table = Table(title=plain(title))
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("type", style="dim")
    table.add_column("en", style="bold")
    for code in glossary.locales:
        table.add_column(code)
    for e in entries:
        cells = []
        for code in glossary.locales:
            forms = e.locales.get(code)
            cells.append(plain(forms.approved) if forms else plain("—", "red"))
        en = styled("{} [dim](kept)[/]", e.en) if e.keep_untranslated else plain(e.en)
        table.add_row(plain(e.id), plain(e.type), en, *cells)
    console.print(table)
    return 0


def run_show(args: argparse.Namespace, project: Project) -> int:
    from rich.table import Table

    glossary, entry = _entry(project, args.id)
    if args.json:
        print_json(entry.to_json())
        return 0
    name = _shown(project, project.glossary_path)
    console.print(
        styled("[bold cyan]{}[/] [dim]({}, {}:{})[/]", entry.id, entry.type, name, entry.line)
    )
    kept = "  [yellow]kept untranslated[/]" if entry.keep_untranslated else ""
    console.print(styled("en: [bold]{}[/]" + kept, entry.en))
    for v in entry.variants:
        mark = "[yellow]→ correct to en[/]" if v.status == "correct" else "[green]acceptable[/]"
        console.print(styled("  variant: {}  " + mark, v.form))
    table = Table(show_header=True)
    for column in ("locale", "approved", "forms", "forbidden", "cases"):
        table.add_column(column)
    for code in glossary.locales:
        forms = entry.locales.get(code)
        if forms is None:
            table.add_row(code, plain("missing", "red"), "", "", "")
            continue
        cases = ", ".join(f"{k}: {v}" for k, v in forms.cases.items())
        table.add_row(
            code,
            plain(forms.approved),
            plain(", ".join(forms.forms)),
            plain(", ".join(forms.forbidden)),
            plain(cases),
        )
    console.print(table)
    if entry.note:
        console.print(plain(f"note: {entry.note}"), soft_wrap=True)
    for ref in entry.references:
        console.print(plain(f"  ref: {ref}"), soft_wrap=True)
    if entry.unverified:
        console.print(plain(f"unverified: {', '.join(entry.unverified)}", "yellow"))
    return 0


# -- usage ----------------------------------------------------------------------------------


def run_usage(args: argparse.Namespace, project: Project) -> int:
    from rich.table import Table

    from transflow.glossary.usage import usage_report

    glossary, _ = _entry(project, args.id)
    report = usage_report(project, glossary, args.id)
    if args.json:
        print_json(report)
        return 0
    count = sum(len(d["units"]) for d in report["documents"])
    console.print(
        styled(
            "[bold cyan]{}[/] ({}): {} units in {} documents",
            report["id"],
            report["en"],
            count,
            len(report["documents"]),
        )
    )
    for doc in report["documents"]:
        console.print()
        console.print(plain(doc["doc"], "bold"))
        for unit in doc["units"]:
            line = f":{unit['line']}" if unit["line"] else ""
            console.print(
                styled("  [dim]{}[/] {}", f"{unit['unit']}{line}", unit["text"]), soft_wrap=True
            )
    table = Table(title="targets of those units")
    for column in ("locale", "satisfied", "violated", "untranslated"):
        table.add_column(column, justify="left" if column == "locale" else "right")
    for loc, counts in report["totals"].items():
        violated = counts["violated"]
        table.add_row(
            loc,
            plain(counts["satisfied"], "green"),
            plain(violated, "red") if violated else "0",
            str(counts["untranslated"]),
        )
    console.print(table)
    for doc in report["documents"]:
        for loc, counts in doc["locales"].items():
            for v in counts["violations"]:
                console.print(
                    styled("  [red]{}[/] {} {}: {}", loc, doc["doc"], v["unit"], v["message"]),
                    soft_wrap=True,
                )
    return 0


# -- missing / export -------------------------------------------------------------------


def run_missing(args: argparse.Namespace, project: Project) -> int:
    from rich.table import Table

    from transflow.glossary.missing import missing_names

    names = missing_names(project, _load(project))
    if args.json:
        print_json([n.to_json() for n in names])
        return 0
    if not names:
        console.print("every name in the sources is covered by the glossary", markup=False)
        return 0
    table = Table(title=f"{len(names)} names no glossary entry covers")
    table.add_column("name", overflow="fold")
    table.add_column("count", justify="right")
    table.add_column("first place", overflow="fold")
    for n in names:
        path, line = n.places[0]
        table.add_row(n.name, str(len(n.places)), f"{path}:{line}")
    console.print(table)
    console.print(
        "add an entry (`transflow glossary add`), or, if it is not a name, add it to the "
        "glossary's 'ignore' list",
        markup=False,
    )
    return 0


def run_export(args: argparse.Namespace, project: Project) -> int:
    from transflow.glossary.export import export_csv, export_tbx

    glossary = _load(project)
    for code in args.locale:
        if code not in glossary.locales:
            known = ", ".join(glossary.locales)
            raise InputError(f"--locale {code}: not a glossary locale ({known})")
    if args.json and not args.out:
        raise InputError("--json reports on a written file: give --out FILE")
    if args.format == "tbx":
        title = str(project.settings.get("project-name") or "glossary")
        text = export_tbx(glossary, args.locale, title=title)
    else:
        text = export_csv(glossary, args.locale)
    if not args.out:
        print(text, end="")
        return 0
    from transflow.outfile import write_output

    # Like coverage --html and memory export: a missing folder is made, and said.
    created = write_output(Path(args.out), text.encode("utf-8"))
    locales = list(args.locale) or list(glossary.locales)
    if args.json:
        print_json(
            {
                "path": str(args.out),
                "format": args.format,
                "entries": len(glossary),
                "locales": locales,
                "created_folder": str(created) if created is not None else None,
            }
        )
    else:
        note = f" (created folder {created})" if created is not None else ""
        console.print(
            f"wrote {len(glossary)} entries ({', '.join(locales)}) as {args.format} "
            f"to {args.out}{note}",
            markup=False,
        )
    return 0
