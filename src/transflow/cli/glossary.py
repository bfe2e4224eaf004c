"""``transflow glossary lint|list|show|add|edit|rename|remove|usage|missing|export``.

Each subcommand is a small handler over :mod:`transflow.glossary`; with
``--json`` each prints exactly one JSON document. ``add``, ``edit``,
``rename`` and ``remove`` change only the lines of what they change, so
maintainers' comments and layout survive; ``rename`` and ``remove`` refuse
while catalogs still use the entry, unless ``--force``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from transflow.cli._output import console, print_json, styled
from transflow.cli._output import text as plain
from transflow.config import Project
from transflow.errors import GlossaryError, InputError

__all__ = [
    "register",
    "run_add",
    "run_edit",
    "run_export",
    "run_lint",
    "run_list",
    "run_missing",
    "run_remove",
    "run_rename",
    "run_show",
    "run_usage",
]


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
        "--variant",
        action="append",
        default=[],
        metavar="FORM",
        help="another English spelling of the same name, rendered like --en in every locale "
        "(a form that says more, such as a title or a plural, gets its own rendering with "
        "`glossary edit ID --add-variant FORM --locale L --variant-target FORM=TEXT`)",
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
    _register_maintenance(command)


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
    variants = [{"form": f, "status": "acceptable", "same": True} for f in args.variant]
    variants += [{"form": f, "status": "correct"} for f in args.correct]
    data: dict[str, Any] = {"id": args.id, "type": args.type, "en": args.en}
    if variants:
        data["variants"] = variants
    data["keep-untranslated"] = bool(args.keep_untranslated)
    data["locales"] = locales
    data["note"] = args.note
    data["references"] = []
    return data  # without 'unverified': a new entry starts with every locale unverified


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


# -- edit / rename / remove / missing / export ----------------------------------------------


def _register_maintenance(command: Any) -> None:
    from transflow.glossary.export import FORMATS

    edit = command(
        "edit",
        "change an entry: a form in one locale, an inflection, a forbidden form, a variant",
    )
    edit.add_argument("id", help="the entry id")
    edit.add_argument("--locale", metavar="L", help="the locale the form options apply to")
    edit.add_argument("--approved", metavar="FORM", help="the approved form in --locale")
    for name, what in (
        ("--add-form", "an allowed (inflected or short) form in --locale"),
        ("--remove-form", "drop an allowed form from --locale"),
        ("--add-forbidden", "a form that must never appear in --locale"),
        ("--remove-forbidden", "drop a forbidden form from --locale"),
    ):
        edit.add_argument(name, action="append", default=[], metavar="FORM", help=what)
    edit.add_argument(
        "--case",
        action="append",
        default=[],
        metavar="CASE=FORM",
        help="a case form in --locale (nom, gen, dat, acc, ins, pre, ...)",
    )
    edit.add_argument("--en", metavar="FORM", help="a new approved English form")
    edit.add_argument("--note", help="a new note")
    edit.add_argument(
        "--add-variant",
        action="append",
        default=[],
        metavar="FORM",
        help="an English form that says more than a spelling; give its rendering in each "
        "locale with --variant-target",
    )
    edit.add_argument(
        "--add-spelling",
        action="append",
        default=[],
        metavar="FORM",
        help="another spelling of the same name, rendered like 'en'",
    )
    edit.add_argument(
        "--add-correct",
        action="append",
        default=[],
        metavar="FORM",
        help="a misspelling the source check corrects to 'en'",
    )
    edit.add_argument(
        "--remove-variant", action="append", default=[], metavar="FORM", help="drop a variant"
    )
    edit.add_argument(
        "--variant-target",
        action="append",
        default=[],
        metavar="FORM=TEXT",
        help="how variant FORM is written in --locale (an empty TEXT leaves it to MT)",
    )
    edit.add_argument(
        "--verified", action="append", default=[], metavar="L", help="L has been checked"
    )
    edit.add_argument(
        "--unverified", action="append", default=[], metavar="L", help="L needs checking"
    )
    edit.set_defaults(handler=run_edit)

    rename = command("rename", "give an entry a new id (refused while catalogs use it)")
    rename.add_argument("old", help="the entry's id")
    rename.add_argument("new", help="its new id, a lowercase ascii slug")
    rename.add_argument("--force", action="store_true", help="rename even if catalogs use it")
    rename.set_defaults(handler=run_rename)

    remove = command("remove", "delete an entry (refused while catalogs use it)")
    remove.add_argument("id", help="the entry id")
    remove.add_argument("--force", action="store_true", help="remove even if catalogs use it")
    remove.set_defaults(handler=run_remove)

    missing = command("missing", "capitalised names and acronyms in source/ no entry covers")
    missing.set_defaults(handler=run_missing)

    export = command("export", "write the glossary as TBX or CSV for other CAT tools")
    export.add_argument("--format", choices=FORMATS, required=True)
    export.add_argument(
        "--locale",
        action="append",
        default=[],
        metavar="L",
        help="only these locales (one locale gives a bilingual file)",
    )
    export.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    export.set_defaults(handler=run_export)


def _split(value: str, option: str) -> tuple[str, str]:
    key, sep, text = value.partition("=")
    if not sep or not key.strip():
        raise InputError(f"{option} expects NAME=TEXT, got {value!r}")
    return key.strip(), text.strip()


def _save_edit(project: Project, change: Any) -> Any:
    """Read the file, apply ``change(file)``, save atomically; return what it returned."""
    from transflow.glossary import GlossaryFile

    path = project.glossary_path
    if not path.exists():
        raise GlossaryError("no glossary file; create one with `transflow glossary add`", path)
    file = GlossaryFile.read(path, project.locales)
    result = change(file)
    file.save()
    return result


def run_edit(args: argparse.Namespace, project: Project) -> int:
    from transflow.glossary.edit import EntryChange

    targets = {}
    for value in args.variant_target:
        form, text = _split(value, "--variant-target")
        targets[form] = text or None
    adds = [(f, "targets") for f in args.add_variant]
    adds += [(f, "same") for f in args.add_spelling]
    adds += [(f, "correct") for f in args.add_correct]
    change = EntryChange(
        locale=args.locale,
        approved=args.approved,
        add_forms=args.add_form,
        remove_forms=args.remove_form,
        add_forbidden=args.add_forbidden,
        remove_forbidden=args.remove_forbidden,
        cases=dict(_split(v, "--case") for v in args.case),
        en=args.en,
        note=args.note,
        add_variants=adds,
        remove_variants=args.remove_variant,
        variant_targets=targets,
        verified=args.verified,
        unverified=args.unverified,
    )
    entry = _save_edit(project, lambda file: file.edit_entry(args.id, change))
    name = _shown(project, project.glossary_path)
    if args.json:
        print_json({"edited": entry.to_json(), "path": name})
    else:
        console.print(f"edited {entry.id} in {name}:{entry.line}", markup=False)
    return 0


def _refuse_if_used(project: Project, entry_id: str, force: bool, what: str) -> list[str]:
    """The catalogs' uses of ``entry_id``; an InputError if there are some and no ``force``."""
    from transflow.glossary.usage import entry_uses

    glossary = _load(project)
    entry = glossary.get(entry_id)
    if entry is None:
        raise GlossaryError(f"no entry with id {entry_id!r}", project.glossary_path)
    uses = [f"{doc}#{unit}" for doc, unit in entry_uses(project, glossary, entry_id)]
    if uses and not force:
        shown = ", ".join(uses[:3]) + (f" and {len(uses) - 3} more" if len(uses) > 3 else "")
        units = "1 catalog unit uses" if len(uses) == 1 else f"{len(uses)} catalog units use"
        raise GlossaryError(
            f"not {what} {entry_id!r}: {units} it ({shown}); "
            f"use --force to {what.removesuffix('d')} it anyway",
            project.glossary_path,
            entry.line,
        )
    return uses


def run_rename(args: argparse.Namespace, project: Project) -> int:
    from transflow.glossary import is_slug

    if not is_slug(args.new):  # before anything else: a bad id is never worth forcing
        raise GlossaryError(
            f"{args.new!r} is not a valid id: use a lowercase ascii slug (a-z, 0-9, -)",
            project.glossary_path,
        )
    uses = _refuse_if_used(project, args.old, args.force, "renamed")
    entry = _save_edit(project, lambda file: file.rename_entry(args.old, args.new))
    name = _shown(project, project.glossary_path)
    hint = "run `transflow segment` to update the catalogs' notes" if uses else ""
    if args.json:
        print_json({"renamed": args.old, "to": entry.id, "path": name, "uses": uses})
    else:
        console.print(f"renamed {args.old} to {entry.id} in {name}:{entry.line}", markup=False)
        if hint:
            console.print(f"{len(uses)} catalog units used it: {hint}", markup=False)
    return 0


def run_remove(args: argparse.Namespace, project: Project) -> int:
    uses = _refuse_if_used(project, args.id, args.force, "removed")
    entry = _save_edit(project, lambda file: file.remove_entry(args.id))
    name = _shown(project, project.glossary_path)
    if args.json:
        print_json({"removed": entry.to_json(), "path": name, "uses": uses})
    else:
        console.print(f"removed {entry.id} from {name} (was line {entry.line})", markup=False)
        if uses:
            console.print(
                f"{len(uses)} catalog units named it: run `transflow segment` to update "
                "their notes",
                markup=False,
            )
    return 0


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
