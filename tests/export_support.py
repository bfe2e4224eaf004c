"""Test helpers for the export: approve units in a throw-away copy, as a reviewer would."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from projects import REPO
from transflow.catalog import Catalog, set_target, state_of
from transflow.catalog import approve as approve_entry
from transflow.unit import State

BASE_URL = "https://appeals.example.org/"
REVIEWER = "Test Reviewer <reviewer@example.org>"


def copy_bundled(root: Path) -> Path:
    """A copy of this repository's project: its sources, catalogs, glossary and settings."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("pyproject.toml", "glossary.yaml"):
        shutil.copy(REPO / name, root / name)
    for name in ("source", "locales"):
        shutil.copytree(REPO / name, root / name)
    return root


def approve(
    root: Path,
    locale: str,
    doc: str | None = None,
    *,
    translate: Callable[[str, str], str] | None = None,
    only: Callable[[State], bool] = lambda state: state == State.TRANSLATED,
) -> int:
    """Approve units of ``locale`` (those ``only`` accepts), typing ``translate(id, source)`` first.

    Without ``translate`` only units that already have a target can be approved
    (a suggestion is accepted as it is first). Returns how many were approved.
    """
    count = 0
    paths = sorted((root / "locales" / locale).glob(f"{doc or '*'}.po"))
    for path in paths:
        catalog = Catalog.load(path, locale)
        for entry in catalog.units:
            state = state_of(entry)
            if not only(state):
                continue
            if translate is not None:
                set_target(entry, translate(entry.msgctxt, entry.msgid))
            elif state < State.TRANSLATED:
                set_target(entry, entry.msgstr)  # a suggestion accepted as it is
            if not entry.msgstr:
                continue
            approve_entry(entry, REVIEWER)
            count += 1
        catalog.save()
    return count


_BUILT: dict[str, Path] = {}


def approved_project(factory: object, models: Path) -> Path:
    """A copy of the bundled project with every de and ru unit approved (built once a session).

    The units are pre-translated by the test suite's copying Argos models, which
    write the glossary's approved spellings (so QA finds no error), then approved
    as a reviewer would; az and fr keep the bundled state (mostly untranslated).
    The bundled human translations (the notice, the start of the first appeal)
    stay as they are. Tests must not change this copy: they copy it first.
    """
    import os
    import subprocess
    import sys

    if "approved" in _BUILT:
        return _BUILT["approved"]
    root = copy_bundled(factory.mktemp("approved") / "project")  # type: ignore[attr-defined]
    env = dict(os.environ, TRANSFLOW_MODELS_DIR=str(models))
    done = subprocess.run(
        [sys.executable, "-m", "transflow.cli", "pretranslate", "--locale", "de", "--locale", "ru"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    for locale in ("de", "ru"):
        approve(root, locale, only=lambda state: state != State.NEW)
    _silence_copy_model_findings(root, ("de", "ru"))
    _BUILT["approved"] = root
    return root


def _silence_copy_model_findings(root: Path, locales: tuple[str, ...]) -> None:
    """Silence, with a ``qa-ignore`` comment, the QA errors the copying model causes.

    Glossary protection leaves a name the text goes on inflecting to the MT engine;
    the test model copies it in English, which the glossary check rightly reports.
    """
    from transflow.config import load_project
    from transflow.review import blockers_by_cell

    project = load_project(root)
    found = blockers_by_cell(project, project.docs(), list(locales))
    for (doc, locale), blockers in found.items():
        checks = {b.unit: sorted({f.check for f in b.findings}) for b in blockers if b.findings}
        if not checks:
            continue
        catalog = Catalog.load(project.catalog_path(locale, doc), locale)
        for entry in catalog.units:
            if entry.msgctxt in checks:
                line = f"qa-ignore: {', '.join(checks[entry.msgctxt])} — the test model copies"
                entry.tcomment = f"{entry.tcomment}\n{line}" if entry.tcomment else line
        catalog.save()


def copy_project(source: Path, dest: Path) -> Path:
    """A private copy of a test project (without its caches)."""
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns(".transflow"))
    return dest
