"""``transflow glossary lint|list|show|add|edit|rename|remove|usage|missing|export``.

Each subcommand is a small handler over :mod:`transflow.glossary`; with
``--json`` each prints exactly one JSON document. ``add``, ``edit``,
``rename`` and ``remove`` change only the lines of what they change, so
maintainers' comments and layout survive; ``rename`` and ``remove`` refuse
while catalogs still use the entry, unless ``--force``.

This module registers the subcommands and their options (in the order
``--help`` lists them); the handlers live by job in :mod:`.read` (``lint``,
``list``, ``show``, ``usage``, ``missing``, ``export``) and :mod:`.edit`
(``add``, ``edit``, ``rename``, ``remove``), and are re-exported here.
"""

from __future__ import annotations

import argparse
from typing import Any

from transflow.cli.glossary.edit import (
    entry_data_from_args,
    run_add,
    run_edit,
    run_remove,
    run_rename,
)
from transflow.cli.glossary.read import (
    run_export,
    run_lint,
    run_list,
    run_missing,
    run_show,
    run_usage,
)

__all__ = [
    "entry_data_from_args",
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
