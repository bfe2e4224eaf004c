"""``transflow glossary lint|list|show|add|usage``: maintain the controlled glossary.

Each subcommand is a small handler over :mod:`transflow.glossary`; with
``--json`` each prints exactly one JSON document. ``add`` edits the file
without touching any other byte of it, so maintainers' comments survive.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from transflow.cli._output import console, print_json, styled
from transflow.cli._output import text as plain
from transflow.config import Project
from transflow.errors import GlossaryError, InputError

__all__ = ["register", "run_add", "run_lint", "run_list", "run_show", "run_usage"]


def register(subparsers: Any) -> None:
    from transflow.glossary import ENTRY_TYPES

    glossary = subparsers.add_parser(
        "glossary",
        help="lint, list, show, add glossary entries, and find where a term is used",
        description="Maintain glossary.yaml: the controlled spellings of names in every locale.",
    )
    sub = glossary.add_subparsers(dest="glossary_command", metavar="SUBCOMMAND", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = sub.add_parser(
            name, help=help_text, description=help_text
        )
        parser.add_argument("--json", action="store_true", help="print one JSON document")
        return parser

    lint = command("lint", "validate glossary.yaml (schema and consistency), with line numbers")
    lint.set_defaults(handler=run_lint)

    listing = command("list", "list the entries with their approved forms")
    listing.add_argument("--type", choices=ENTRY_TYPES, help="only entries of this type")
    listing.set_defaults(handler=run_list)

    show = command("show", "show one entry in full")
    show.add_argument("id", help="the entry id, e.g. ilham-aliyev")
    show.set_defaults(handler=run_show)

    add = command("add", "append an entry (comments and all other entries are kept as they are)")
    add.add_argument("id", help="a lowercase ascii slug, e.g. meydan-tv")
    add.add_argument("--type", required=True, choices=ENTRY_TYPES)
    add.add_argument("--en", required=True, metavar="FORM", help="the approved English form")
    add.add_argument(
        "--locale-form",
        action="append",
        default=[],
        metavar="LOCALE=FORM",
        help="a form in a locale; the first one given for a locale is its approved form "
        "(repeat for inflected forms)",
    )
    add.add_argument(
        "--forbidden",
        action="append",
        default=[],
        metavar="LOCALE=FORM",
        help="a form that must never appear in a locale",
    )
    add.add_argument(
        "--variant", action="append", default=[], metavar="FORM", help="an acceptable English form"
    )
    add.add_argument(
        "--correct",
        action="append",
        default=[],
        metavar="FORM",
        help="an English misspelling the source check corrects to --en",
    )
    add.add_argument(
        "--keep-untranslated", action="store_true", help="the name stays verbatim in every locale"
    )
    add.add_argument("--note", default="", help="why this spelling")
    add.set_defaults(handler=run_add)

    usage = command("usage", "where a term occurs in the source, and how each locale renders it")
    usage.add_argument("id", help="the entry id")
    usage.set_defaults(handler=run_usage)


def _load(project: Project) -> Any:
    from transflow.project_glossary import load_project_glossary

    glossary = load_project_glossary(project)
    if glossary is None:
        raise GlossaryError(
            "no glossary file; create one with `transflow glossary add`", project.glossary_path
        )
    return glossary


def _entry(project: Project, entry_id: str) -> Any:
    glossary = _load(project)
    entry = glossary.get(entry_id)
    if entry is None:
        raise GlossaryError(f"no entry with id {entry_id!r}", project.glossary_path)
    return glossary, entry


def _shown(project: Project, path: Path) -> str:
    return project.relative(path)


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


# -- add --------------------------------------------------------------------------------


def _pairs(values: list[str], option: str) -> list[tuple[str, str]]:
    out = []
    for value in values:
        code, sep, form = value.partition("=")
        if not sep or not code.strip() or not form.strip():
            raise InputError(f"{option} expects LOCALE=FORM, got {value!r}")
        out.append((code.strip(), form.strip()))
    return out


def entry_data_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The new entry as a plain dict in the file's schema, from ``glossary add`` options."""
    locales: dict[str, dict[str, Any]] = {}
    for code, form in _pairs(args.locale_form, "--locale-form"):
        slot = locales.setdefault(code, {"approved": form, "forms": [], "forbidden": []})
        if form not in slot["forms"]:
            slot["forms"].append(form)
    for code, form in _pairs(args.forbidden, "--forbidden"):
        if code not in locales:
            raise InputError(f"--forbidden {code}={form}: give --locale-form {code}=... first")
        locales[code]["forbidden"].append(form)
    variants = [{"form": f, "status": "acceptable"} for f in args.variant]
    variants += [{"form": f, "status": "correct"} for f in args.correct]
    data: dict[str, Any] = {"id": args.id, "type": args.type, "en": args.en}
    if variants:
        data["variants"] = variants
    data["keep-untranslated"] = bool(args.keep_untranslated)
    data["locales"] = locales
    data["note"] = args.note
    data["references"] = []
    data["unverified"] = []
    return data


def run_add(args: argparse.Namespace, project: Project) -> int:
    from transflow.glossary import GlossaryFile, lint_glossary

    path = project.glossary_path
    data = entry_data_from_args(args)
    file = GlossaryFile.read(path, project.locales)
    entry = file.add_entry(data)
    file.save()
    name = _shown(project, path)
    warnings = [
        p
        for p in lint_glossary(path)
        if entry.line is not None and p.line is not None and p.line >= entry.line
    ]
    if args.json:
        print_json(
            {
                "added": entry.to_json(),
                "path": name,
                "warnings": [{"line": p.line, "message": p.message} for p in warnings],
            }
        )
        return 0
    console.print(styled("added [cyan]{}[/] to {}:{}", entry.id, name, entry.line))
    for p in warnings:
        console.print(
            styled("[yellow]warning:[/] {}:{}: {}", name, p.line, p.message), soft_wrap=True
        )
    return 0


# -- usage ------------------------------------------------------------------------------


def _source_units(project: Project, doc: str) -> list[tuple[str, str, int | None]]:
    """(unit id, source text, source line) of one document, from its template or a catalog."""
    from transflow.catalog import Catalog

    candidates = [project.template_path(doc)]
    candidates += [project.catalog_path(loc, doc) for loc in project.locales]
    for path in candidates:
        if path.exists():
            out = []
            for e in Catalog.load(path).units:
                line = None
                if e.occurrences:
                    try:
                        line = int(e.occurrences[0][1])
                    except (TypeError, ValueError):
                        line = None
                out.append((e.msgctxt or "", e.msgid, line))
            return out
    return []


def _docs(project: Project) -> list[str]:
    docs = set(project.docs())
    if project.locales_dir.is_dir():
        docs.update(p.stem for p in project.locales_dir.glob("*.pot"))
        for loc in project.locales:
            docs.update(p.stem for p in (project.locales_dir / loc).glob("*.po"))
    return sorted(docs)


def usage_report(project: Project, entry_id: str) -> dict[str, Any]:
    """Where ``entry_id`` occurs in the source and whether each locale's targets satisfy it."""
    from transflow.catalog import Catalog
    from transflow.glossary import check_target

    glossary, entry = _entry(project, entry_id)
    documents = []
    totals = {loc: {"satisfied": 0, "violated": 0, "untranslated": 0} for loc in project.locales}
    for doc in _docs(project):
        units: list[dict[str, Any]] = []
        for unit_id, text, line in _source_units(project, doc):
            found = [m for m in glossary.match(text) if m.entry_id == entry_id]
            if found:
                units.append(
                    {
                        "unit": unit_id,
                        "line": line,
                        "text": text,
                        "matched": [m.matched for m in found],
                    }
                )
        if not units:
            continue
        per_locale: dict[str, Any] = {}
        for loc in project.locales:
            index = Catalog.load(project.catalog_path(loc, doc), loc, missing_ok=True).index()
            counts: dict[str, Any] = {"satisfied": 0, "violated": 0, "untranslated": 0}
            violations = []
            for unit in units:
                po = index.get(unit["unit"])
                target = po.msgstr if po is not None else ""
                if not target.strip():
                    counts["untranslated"] += 1
                    continue
                problems = [
                    f
                    for f in check_target(glossary, unit["unit"], doc, loc, unit["text"], target)
                    if f.term == entry_id
                ]
                if problems:
                    counts["violated"] += 1
                    violations += [
                        {"unit": unit["unit"], "check": f.check, "message": f.message}
                        for f in problems
                    ]
                else:
                    counts["satisfied"] += 1
            for key in ("satisfied", "violated", "untranslated"):
                totals[loc][key] += counts[key]
            counts["violations"] = violations
            per_locale[loc] = counts
        documents.append({"doc": doc, "units": units, "locales": per_locale})
    return {"id": entry.id, "en": entry.en, "documents": documents, "totals": totals}


def run_usage(args: argparse.Namespace, project: Project) -> int:
    from rich.table import Table

    report = usage_report(project, args.id)
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
