"""Project settings: where the project is and what ``[tool.transflow]`` says.

A transflow project is a directory whose ``pyproject.toml`` has a
``[tool.transflow]`` table. Commands find it from the current directory
upwards, like git, unless ``--project DIR`` is given.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from transflow.errors import InputError, ProjectNotFound
from transflow.locale import validate_locale

__all__ = ["Project", "find_project", "load_project"]

CONFIG_FILE = "pyproject.toml"


@dataclass(frozen=True)
class Project:
    """A translation project on disk and its settings."""

    root: Path
    source_language: str = "en"
    locales: tuple[str, ...] = ("az", "de", "fr", "ru")
    source_dir: Path = Path("source")
    locales_dir: Path = Path("locales")
    glossary_path: Path = Path("glossary.yaml")
    models_dir: Path = Path(".transflow/models")
    cache_dir: Path = Path(".transflow/cache")
    memory_dir: Path = Path("memory")  # imported translation memories, tracked in git
    name: str = "transflow project"
    team: str = ""
    settings: dict[str, Any] = field(default_factory=dict)

    # -- paths ---------------------------------------------------------------
    def source_files(self) -> list[Path]:
        """Source documents, sorted by name so every run sees the same order."""
        return sorted(p for p in self.source_dir.glob("*.md") if p.is_file())

    def doc_id(self, source_file: Path) -> str:
        return source_file.stem

    def source_file(self, doc: str) -> Path:
        return self.source_dir / f"{doc}.md"

    def catalog_path(self, locale: str, doc: str) -> Path:
        return self.locales_dir / locale / f"{doc}.po"

    def template_path(self, doc: str) -> Path:
        """The POT template: the registry of unit ids, shared by all locales."""
        return self.locales_dir / f"{doc}.pot"

    def docs(self) -> list[str]:
        """The documents' ids (``doc_id`` of ``source_files()``), without a Path per file."""
        try:
            with os.scandir(self.source_dir) as entries:
                names = sorted(
                    entry.name
                    for entry in entries
                    if entry.name.endswith(".md") and entry.is_file()
                )
        except (FileNotFoundError, NotADirectoryError):
            return []
        # Path.stem: "x.md" → "x", but ".md" (a dotfile with no suffix) stays ".md".
        return [name[:-3] if len(name) > 3 else name for name in names]

    def relative(self, path: Path) -> str:
        """A path as shown in PO references and messages: relative to the project."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def check_locales(self, requested: list[str] | None) -> tuple[str, ...]:
        """The requested locales, validated, or all configured ones."""
        if not requested:
            return self.locales
        out = []
        for code in requested:
            validate_locale(code)
            if code not in self.locales:
                raise InputError(
                    f"locale {code!r} is not one of this project's locales "
                    f"({', '.join(self.locales)})",
                    self.root / CONFIG_FILE,
                )
            out.append(code)
        return tuple(out)

    def check_doc(self, doc: str | None) -> list[str]:
        docs = self.docs()
        if doc is None:
            return docs
        name = Path(doc).stem
        if name not in docs:
            raise InputError(f"no source document {name!r} (have: {', '.join(docs)})")
        return [name]

    def tool(self, section: str) -> dict[str, Any]:
        """A sub-table of [tool.transflow], e.g. ``tool("qa")``, or {}."""
        value = self.settings.get(section, {})
        return value if isinstance(value, dict) else {}


def _table(data: dict[str, Any]) -> dict[str, Any] | None:
    tool = data.get("tool")
    if isinstance(tool, dict):
        table = tool.get("transflow")
        if isinstance(table, dict):
            return table
    return None


def find_project(start: Path | None = None) -> Path:
    """The nearest directory at or above ``start`` that is a transflow project."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        config = candidate / CONFIG_FILE
        if config.is_file():
            try:
                data = tomllib.loads(config.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                continue
            if _table(data) is not None:
                return candidate
    raise ProjectNotFound(
        f"no transflow project here or above ({CONFIG_FILE} with [tool.transflow]); "
        "use --project DIR",
        here,
    )


def load_project(root: Path | None = None, *, search: bool = True) -> Project:
    """Load the project at ``root`` (or found from the current directory)."""
    if root is None or (search and not (root / CONFIG_FILE).is_file()):
        root = find_project(root)
    root = root.resolve()
    config = root / CONFIG_FILE
    try:
        text = config.read_text(encoding="utf-8")
    except OSError as exc:
        raise ProjectNotFound(f"cannot read project settings: {exc.strerror}", config) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"malformed TOML: {exc}", config, getattr(exc, "lineno", None)) from None
    table = _table(data)
    if table is None:
        raise ProjectNotFound("no [tool.transflow] table", config)

    def path_setting(key: str, default: str, env: str | None = None) -> Path:
        value = os.environ.get(env) if env else None
        value = value or table.get(key, default)
        if not isinstance(value, str):
            raise InputError(f"[tool.transflow] {key} must be a string", config)
        path = Path(value).expanduser()
        return path if path.is_absolute() else root / path

    locales = table.get("locales", ["az", "de", "fr", "ru"])
    if not isinstance(locales, list) or not all(isinstance(x, str) for x in locales):
        raise InputError("[tool.transflow] locales must be a list of locale codes", config)
    for code in locales:
        validate_locale(code, config)
    source_language = str(table.get("source-language", "en"))
    validate_locale(source_language, config)
    return Project(
        root=root,
        source_language=source_language,
        locales=tuple(locales),
        source_dir=path_setting("source-dir", "source"),
        locales_dir=path_setting("locales-dir", "locales"),
        glossary_path=path_setting("glossary", "glossary.yaml"),
        models_dir=path_setting("models-dir", ".transflow/models", "TRANSFLOW_MODELS_DIR"),
        cache_dir=path_setting("cache-dir", ".transflow/cache"),
        memory_dir=path_setting("memory-dir", "memory"),
        name=str(table.get("project-name", root.name)),
        team=str(table.get("team", "")),
        settings=dict(table),
    )
