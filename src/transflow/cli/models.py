"""``transflow models list|install|remove``: Argos packages in the project's models directory.

Nothing is ever downloaded: users fetch ``.argosmodel`` files on a networked
machine and install them here, where they are validated before anything on
disk changes.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from transflow.cli._output import console, print_json, styled, text
from transflow.config import Project

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    models = subparsers.add_parser(
        "models",
        help="list, install or remove Argos model packages (never downloads)",
        description="Manage Argos Translate packages (.argosmodel) in the project's models "
        "directory (.transflow/models, or $TRANSFLOW_MODELS_DIR). Download packages on a "
        "networked machine from the Argos package index; transflow never does.",
    )
    actions = models.add_subparsers(dest="models_action", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="installed packages: pair, name, version, size")
    listing.add_argument("--json", action="store_true", help="print one JSON document")
    listing.set_defaults(handler=run)

    install = actions.add_parser("install", help="validate and install an .argosmodel file")
    install.add_argument("file", type=Path, metavar="FILE.argosmodel")
    install.add_argument(
        "--force", action="store_true", help="replace a package already installed for the pair"
    )
    install.add_argument("--json", action="store_true", help="print one JSON document")
    install.set_defaults(handler=run)

    remove = actions.add_parser("remove", help="remove an installed package by name")
    remove.add_argument("name", metavar="NAME", help="as shown by `transflow models list`")
    remove.add_argument("--json", action="store_true", help="print one JSON document")
    remove.set_defaults(handler=run)


def _size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB"):
        if value < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def run(args: argparse.Namespace, project: Project) -> int:
    """Dispatch ``models list|install|remove``."""
    from transflow import models

    models_dir = project.models_dir
    action = args.models_action
    if action == "install":
        info = models.install_model(
            models_dir,
            args.file,
            project.locales,
            source=project.source_language,
            force=args.force,
        )
        if args.json:
            print_json({"installed": info.to_json()})
        else:
            console.print(
                styled(
                    "[green]installed[/] {} ({}, version {}, {}) into {}",
                    info.name,
                    info.pair,
                    info.version or "?",
                    _size(info.size_bytes),
                    project.relative(models_dir),
                )
            )
        return 0
    if action == "remove":
        info = models.remove_model(models_dir, args.name)
        if args.json:
            print_json({"removed": info.to_json()})
        else:
            console.print(styled("[yellow]removed[/] {} ({})", info.name, info.pair))
        return 0

    installed = models.list_models(models_dir)
    if args.json:
        print_json({"models_dir": str(models_dir), "models": [m.to_json() for m in installed]})
        return 0
    from rich.table import Table

    where = project.relative(models_dir)
    if not installed:
        console.print(
            text(
                f"No Argos packages in {where}. Install one with "
                "`transflow models install translate-en_de-1_9.argosmodel`."
            )
        )
        return 0
    table = Table(title=text(f"Argos packages in {where}"))
    for column in ("pair", "name", "version", "size"):
        table.add_column(column, justify="right" if column == "size" else "left")
    for m in installed:
        table.add_row(text(m.pair), text(m.name), text(m.version), _size(m.size_bytes))
    console.print(table)
    missing = [
        loc
        for loc in project.locales
        if models.find_model(models_dir, project.source_language, loc) is None
    ]
    if missing:
        pairs = ", ".join(f"{project.source_language}→{loc}" for loc in missing)
        console.print(text(f"no package for {pairs}", "yellow"))
    return 0
