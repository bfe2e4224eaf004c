"""What every glossary subcommand needs: the project's glossary, one entry of it, a file's name.

Its own module so that :mod:`.read` and :mod:`.edit` share it without importing the
package that registers them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from transflow.config import Project
from transflow.errors import GlossaryError

# What a command that needs glossary.yaml says when there is none.
NO_GLOSSARY = "no glossary file; create one with `transflow glossary add`"


def _load(project: Project) -> Any:
    from transflow.project_glossary import load_project_glossary

    glossary = load_project_glossary(project)
    if glossary is None:
        raise GlossaryError(NO_GLOSSARY, project.glossary_path)
    return glossary


def _entry(project: Project, entry_id: str) -> Any:
    glossary = _load(project)
    entry = glossary.get(entry_id)
    if entry is None:
        raise GlossaryError(f"no entry with id {entry_id!r}", project.glossary_path)
    return glossary, entry


def _shown(project: Project, path: Path) -> str:
    return project.relative(path)
