"""The project's glossary: one loader, and the rule for when a project has none.

Every command that reads the glossary (segment, pretranslate, check, coverage,
the glossary commands) goes through :func:`load_project_glossary`, so they all
agree on what a missing or broken glossary means:

* no ``glossary`` setting in ``[tool.transflow]`` and no ``glossary.yaml``: the
  project has no glossary, and the commands work without one;
* a glossary named by the setting must exist;
* a glossary file that exists must be a valid glossary: empty, blank or
  comment-only files and files without an ``entries`` list are errors (a
  glossary that is meant to be empty says ``entries: []``), as are folders and
  unreadable files.

A glossary that silently counts as empty would let ``check`` pass having checked
no name and let ``segment`` strip every ``terms:`` note, so each of these is one
``GlossaryError`` (exit 2) raised before anything is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from transflow.errors import GlossaryError

if TYPE_CHECKING:
    from transflow.config import Project
    from transflow.glossary import Glossary

__all__ = ["load_project_glossary", "read_project_glossary"]

_EMPTY_HINT = "a glossary with no entries says `entries: []`"


def read_project_glossary(project: Project) -> bytes | None:
    """The bytes of the project's glossary file, or None if the project has no glossary."""
    path = project.glossary_path
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if project.glossary_configured:
            raise GlossaryError(
                "no such glossary file (named by `glossary` in [tool.transflow] of pyproject.toml)",
                path,
            ) from None
        return None
    except IsADirectoryError:
        raise GlossaryError("is a folder, not a glossary file", path) from None
    except OSError as exc:
        raise GlossaryError(f"cannot read the glossary: {exc.strerror or exc}", path) from None
    if not data.strip():
        raise GlossaryError(f"the glossary file is empty; {_EMPTY_HINT}", path)
    return data


def load_project_glossary(
    project: Project, data: bytes | None = None, *, cached: bool = False
) -> Glossary | None:
    """The project's glossary (None if it has none), or a ``GlossaryError`` naming file and line.

    ``data`` is the file's content when the caller already read it with
    :func:`read_project_glossary`. With ``cached``, the parsed glossary comes
    from the cache in the project's cache folder (for ``check`` and ``coverage``,
    which never show glossary line numbers).
    """
    from transflow.glossary import load_glossary, load_glossary_cached

    if data is None:
        data = read_project_glossary(project)
        if data is None:
            return None
    path = project.glossary_path
    if cached:
        glossary = load_glossary_cached(path, project.cache_dir, data)
    else:
        glossary = load_glossary(path)
    if len(glossary) == 0:
        _check_meant_to_be_empty(project, data)
    return glossary


def _check_meant_to_be_empty(project: Project, data: bytes) -> None:
    """A glossary without entries is valid only if it says so with an ``entries`` list."""
    from ruamel.yaml import YAML

    parsed = YAML(typ="safe").load(data.decode("utf-8"))  # load_glossary parsed it already
    if not isinstance(parsed, dict) or not isinstance(parsed.get("entries"), list):
        raise GlossaryError(f"no entries; {_EMPTY_HINT}", project.glossary_path)
