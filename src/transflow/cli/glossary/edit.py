"""The editing subcommands: ``add``, ``edit``, ``rename`` and ``remove``, and their option parsing.

Each reads glossary.yaml, changes only the lines of what it changes (maintainers'
comments and layout survive) and saves it atomically; ``rename`` and ``remove``
refuse while catalogs still use the entry, unless ``--force``.
"""

from __future__ import annotations

import argparse
from typing import Any

from transflow.cli._output import console, print_json, styled
from transflow.cli.glossary._common import NO_GLOSSARY, _entry, _shown
from transflow.config import Project
from transflow.errors import GlossaryError, InputError

__all__ = ["entry_data_from_args", "run_add", "run_edit", "run_remove", "run_rename"]


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


# -- edit / rename / remove -------------------------------------------------------------


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
        raise GlossaryError(NO_GLOSSARY, path)
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

    glossary, entry = _entry(project, entry_id)
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
