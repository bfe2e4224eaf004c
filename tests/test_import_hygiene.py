"""The core library never loads the terminal UI: a second front end must not need Textual."""

from __future__ import annotations

import subprocess
import sys

CORE = (
    "transflow.review",
    "transflow.catalog",
    "transflow.checking",
    "transflow.coverage",
    "transflow.pretranslate",
    "transflow.update",
    "transflow.cli.approve",
    "transflow.cli.coverage",
    "transflow.review.rows",
    "transflow.review.workbench",
    "transflow.review.autosave",
    "transflow.textdiff",
    "transflow.cli.review",  # registering `transflow review` loads no UI; its handler does
)


def test_the_core_does_not_import_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module(name)\n"
        "ui = ('textual', 'transflow_tui')\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ui)\n"
        "print(','.join(loaded))\n"
    )
    command = [sys.executable, "-c", code]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
