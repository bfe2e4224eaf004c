"""Project settings: where the project is and what ``[tool.transflow]`` says.

A transflow project is a directory whose ``pyproject.toml`` has a
``[tool.transflow]`` table. Commands find it from the current directory
upwards, like git, unless ``--project DIR`` is given.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from transflow.errors import InputError, ProjectNotFound, SourceError
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
    glossary_configured: bool = False  # named in [tool.transflow]: then it must exist
    models_dir: Path = Path(".transflow/models")
    cache_dir: Path = Path(".transflow/cache")
    memory_dir: Path = Path("memory")  # imported translation memories, tracked in git
    name: str = "transflow project"
    team: str = ""
    settings: dict[str, Any] = field(default_factory=dict)

    # -- paths ---------------------------------------------------------------
    def source_files(self) -> list[Path]:
        """Source documents, sorted by name so every run sees the same order."""
        return [self.source_dir / name for name in self._source_names()]

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
        # Path.stem: "x.md" → "x", but ".md" (a dotfile with no suffix) stays ".md".
        return [name[:-3] if len(name) > 3 else name for name in self._source_names()]

    def _source_names(self) -> list[str]:
        """The ``*.md`` files of the source folder, sorted; links leading outside are refused.

        A source is read, written into every catalog and perhaps sent to a
        translation server, so a symbolic link must not bring in a file from
        elsewhere (``source/x.md -> /etc/passwd``): every source must resolve
        inside the project, or inside ``source-dir`` when that is set to a folder
        outside the project.
        """
        area = self._source_area()
        try:
            with os.scandir(self.source_dir) as entries:
                found = [
                    (entry.name, entry.is_symlink())
                    for entry in entries
                    if entry.name.endswith(".md") and entry.is_file()
                ]
        except (FileNotFoundError, NotADirectoryError):
            return []
        folder = self.source_dir.resolve()
        if not folder.is_relative_to(area):
            raise SourceError(
                f"the source folder leads outside the project (to {folder}); refusing to read it",
                self.source_dir,
            )
        for name, link in found:
            if not link:  # a plain file in a folder checked above (resolving each costs 0.1 s)
                continue
            target = (self.source_dir / name).resolve()
            if not target.is_relative_to(area):
                raise SourceError(
                    f"a symbolic link to {target}, outside the project; refusing to read it",
                    self.source_dir / name,
                )
        return sorted(name for name, _ in found)

    def _source_area(self) -> Path:
        """Where sources may live: the project, or a source folder configured outside it."""
        root = self.root.resolve()
        written = Path(os.path.normpath(self.source_dir))  # as configured, links not followed
        return root if written.is_relative_to(self.root) else self.source_dir.resolve()

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
        if not isinstance(value, dict):
            config = self.root / CONFIG_FILE
            raise InputError(
                f"[tool.transflow] {section} must be a table ([tool.transflow.{section}])",
                config,
                _setting_line(config, section),
            )
        return value


def _table(data: dict[str, Any]) -> dict[str, Any] | None:
    tool = data.get("tool")
    if isinstance(tool, dict):
        table = tool.get("transflow")
        if isinstance(table, dict):
            return table
    return None


def _read_toml(config: Path) -> dict[str, Any]:
    """Parse a pyproject.toml; malformed TOML or text is an ``InputError`` naming its line."""
    try:
        data = config.read_bytes()
    except OSError as exc:
        raise ProjectNotFound(f"cannot read project settings: {exc.strerror}", config) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError("not UTF-8 text", config, line) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = re.sub(r" \(at (line \d+, column \d+|end of document)\)$", "", str(exc))
        raise InputError(f"malformed TOML: {message}", config, _toml_line(exc, text)) from None


def _toml_line(exc: tomllib.TOMLDecodeError, text: str) -> int:
    """The line of a TOML error; "at end of document" is the last line with text."""
    found = re.search(r"\(at line (\d+)", str(exc))
    if found:
        return int(found.group(1))
    return len(text.rstrip().splitlines()) or 1


def find_project(start: Path | None = None) -> Path:
    """The nearest directory at or above ``start`` that is a transflow project.

    A pyproject.toml that cannot be parsed is an error if it mentions
    ``tool.transflow`` (it is meant to be this project); otherwise it belongs to
    something else and the search goes on upwards, and is reported only if no
    project is found at all, since it may be the project after all.
    """
    here = (start or Path.cwd()).resolve()
    broken: InputError | None = None
    for candidate in (here, *here.parents):
        config = candidate / CONFIG_FILE
        if config.is_file():
            try:
                data = _read_toml(config)
            except InputError as exc:
                try:
                    mentioned = b"tool.transflow" in config.read_bytes()
                except OSError:
                    mentioned = False
                if mentioned:
                    raise
                broken = broken or exc
                continue
            if _table(data) is not None:
                return candidate
    if broken is not None:
        raise broken
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
    data = _read_toml(config)
    table = _table(data)
    if table is None:
        raise ProjectNotFound("no [tool.transflow] table", config)

    def line_of(key: str) -> int | None:
        return _setting_line(config, key)

    def path_setting(key: str, default: str, env: str | None = None) -> Path:
        value = os.environ.get(env) if env else None
        value = value or table.get(key, default)
        if not isinstance(value, str):
            raise InputError(f"[tool.transflow] {key} must be a string", config, line_of(key))
        path = Path(value).expanduser()
        return path if path.is_absolute() else root / path

    def text_setting(key: str, default: str) -> str:
        value = table.get(key, default)
        if not isinstance(value, str):
            raise InputError(f"[tool.transflow] {key} must be a string", config, line_of(key))
        return value

    locales = table.get("locales", ["az", "de", "fr", "ru"])
    if not isinstance(locales, list) or not all(isinstance(x, str) for x in locales):
        raise InputError(
            "[tool.transflow] locales must be a list of locale codes", config, line_of("locales")
        )
    for code in locales:
        _validate(code, config, line_of("locales"))
    twice = next((code for index, code in enumerate(locales) if code in locales[:index]), None)
    if twice is not None:
        raise InputError(
            f"[tool.transflow] locales lists {twice!r} twice", config, line_of("locales")
        )
    for key in ("reviewer", "base-url"):  # optional, read where they are used
        if key in table:
            text_setting(key, "")
    source_language = str(table.get("source-language", "en"))
    _validate(source_language, config, line_of("source-language"))
    return Project(
        root=root,
        source_language=source_language,
        locales=tuple(locales),
        source_dir=path_setting("source-dir", "source"),
        locales_dir=path_setting("locales-dir", "locales"),
        glossary_path=path_setting("glossary", "glossary.yaml"),
        glossary_configured="glossary" in table,
        models_dir=path_setting("models-dir", ".transflow/models", "TRANSFLOW_MODELS_DIR"),
        cache_dir=path_setting("cache-dir", ".transflow/cache"),
        memory_dir=path_setting("memory-dir", "memory"),
        name=text_setting("project-name", root.name),
        team=text_setting("team", ""),
        settings=dict(table),
    )


def _validate(code: str, config: Path, line: int | None) -> None:
    """``validate_locale``, the error naming the line of the setting."""
    from transflow.errors import LocaleError

    try:
        validate_locale(code, config)
    except LocaleError as exc:
        raise LocaleError(exc.message, config, line) from None


def _setting_line(config: Path, key: str) -> int | None:
    """The line of ``key = ...`` in the ``[tool.transflow]`` table of ``config``, if found.

    tomllib reports no positions for valid TOML, so a setting with a wrong value
    is found again in the text (only for the error message).
    """
    try:
        lines = config.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    inside = False
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped.replace(" ", "") == "[tool.transflow]"
        elif inside and re.match(rf"[\"']?{re.escape(key)}[\"']?\s*=", stripped):
            return number
    return None
