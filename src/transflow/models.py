"""Argos Translate model packages in a directory transflow controls.

Argos installs whatever zip it is given and, left to itself, reaches for the
network (package index updates, sentence-splitter downloads). transflow keeps
packages in the project's ``models_dir`` (``.transflow/models`` by default,
``TRANSFLOW_MODELS_DIR`` to share one directory), installs only ``.argosmodel``
files a user hands it, and validates each one *before* touching the directory:
a zip with one top-level folder, no member escaping it (zip-slip), a
``metadata.json`` naming the pair, a CTranslate2 model and a tokenizer, a
pair from the project's source language to one of its locales, and, once
unpacked, a package that loads (tokenizer included) and translates a test
sentence through the code pre-translation uses. Unpacking goes
to a temporary folder inside ``models_dir`` and is moved into place with
``os.replace``, so a failure leaves the directory exactly as it was.

Installed packages load through Argos's own ``Package`` class (see
:func:`load_argos_package`), imported with its settings pointed at
transflow-controlled folders and an empty package index, so nothing Argos does
at import time touches the user's home directory or the network.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from transflow.errors import ModelError
from transflow.locale import language_of

__all__ = [
    "ARGOS_HOME",
    "ModelInfo",
    "find_model",
    "install_model",
    "language_of",
    "list_models",
    "load_argos_package",
    "read_model",
    "remove_model",
]

# Argos's settings, data, config and cache folders, inside models_dir; dot-folders
# (this one and the temporary install folders) are never listed as packages.
ARGOS_HOME = ".argos"
_TMP_PREFIX = ".tmp-"
_MAX_UNPACKED_BYTES = 4 * 1024**3  # a real package is ~100 MB; refuse zip bombs
_TOKENIZER_FILES = ("sentencepiece.model", "bpe.model")
_MODEL_FILES = ("model/model.bin", "model/config.json")


@dataclass(frozen=True)
class ModelInfo:
    """One installed Argos package."""

    name: str
    from_code: str
    to_code: str
    version: str
    size_bytes: int
    path: Path

    @property
    def pair(self) -> str:
        return f"{self.from_code}→{self.to_code}"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "from": self.from_code,
            "to": self.to_code,
            "version": self.version,
            "size_bytes": self.size_bytes,
            "path": str(self.path),
        }


def _matches(code: str, locale: str) -> bool:
    return code.lower() in (locale.lower(), language_of(locale))


def _metadata(data: bytes | str, where: Path) -> dict[str, Any]:
    try:
        metadata = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelError(f"metadata.json is not valid JSON ({exc})", where) from None
    if not isinstance(metadata, dict):
        raise ModelError("metadata.json is not a JSON object", where)
    for key in ("from_code", "to_code"):
        if not isinstance(metadata.get(key), str) or not metadata[key]:
            raise ModelError(f"metadata.json has no {key}", where)
    kind = metadata.get("type", "translate")
    if kind != "translate":
        raise ModelError(f"not a translation package (type {kind!r})", where)
    return metadata


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def read_model(path: Path) -> ModelInfo:
    """The :class:`ModelInfo` of an unpacked package directory."""
    metadata = _metadata((path / "metadata.json").read_bytes(), path / "metadata.json")
    return ModelInfo(
        name=path.name,
        from_code=metadata["from_code"],
        to_code=metadata["to_code"],
        version=str(metadata.get("package_version", "")),
        size_bytes=_size(path),
        path=path,
    )


def list_models(models_dir: Path) -> list[ModelInfo]:
    """Installed packages, sorted by pair then name; unreadable folders are skipped."""
    if not models_dir.is_dir():
        return []
    out = []
    for path in sorted(models_dir.iterdir()):
        if path.name.startswith(".") or not (path / "metadata.json").is_file():
            continue
        try:
            out.append(read_model(path))
        except (ModelError, OSError):
            continue
    return sorted(out, key=lambda m: (m.from_code, m.to_code, m.name))


def _version_key(info: ModelInfo) -> tuple[Any, ...]:
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(info.version), info.name)
    except InvalidVersion:
        return (0, Version("0"), info.name)


def find_model(models_dir: Path, from_code: str, to_code: str) -> ModelInfo | None:
    """The installed package for ``from_code``→``to_code`` (newest if several), or None.

    ``to_code`` may be a locale (``pt_BR``): a package for its language matches.
    """
    found = [
        m
        for m in list_models(models_dir)
        if _matches(m.from_code, from_code) and _matches(m.to_code, to_code)
    ]
    return max(found, key=_version_key) if found else None


# -- install ---------------------------------------------------------------------


def _check_archive(archive: Path, zf: zipfile.ZipFile) -> tuple[str, dict[str, Any]]:
    """Validate an opened ``.argosmodel``; return its top-level folder and metadata."""
    infos = zf.infolist()
    if not infos:
        raise ModelError("not an Argos package: the zip archive is empty", archive)
    tops: set[str] = set()
    names: set[str] = set()  # paths below the top-level folder
    total = 0
    for info in infos:
        name = info.filename
        parts = PurePosixPath(name).parts
        if (
            not parts
            or name.startswith(("/", "\\"))
            or "\\" in name
            or ":" in parts[0]
            or any(p in ("..", ".") for p in parts)
        ):
            raise ModelError(f"unsafe path in archive: {name!r} (refusing to unpack)", archive)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ModelError(f"symbolic link in archive: {name!r} (refusing to unpack)", archive)
        if len(parts) == 1 and not info.is_dir():
            tops.add("")  # a file at the root of the zip
        else:
            tops.add(parts[0])
            names.add("/".join(parts[1:]))
        total += info.file_size
    if len(tops) != 1 or "" in tops or next(iter(tops)).startswith("."):
        shown = ", ".join(sorted(t or "files at the root" for t in tops)[:3])
        raise ModelError(
            f"not an Argos package: entries must sit under one top-level folder (found {shown})",
            archive,
        )
    top = tops.pop()
    if total > _MAX_UNPACKED_BYTES:
        raise ModelError(f"archive unpacks to {total} bytes; refusing (limit 4 GiB)", archive)
    if "metadata.json" not in names:
        raise ModelError(f"not an Argos package: no {top}/metadata.json", archive)
    missing = [f for f in _MODEL_FILES if f not in names]
    if missing:
        raise ModelError(
            f"not an Argos package: no CTranslate2 model ({top}/{missing[0]} missing)", archive
        )
    if not any(f in names for f in _TOKENIZER_FILES):
        raise ModelError(
            f"not an Argos package: no {top}/sentencepiece.model or {top}/bpe.model", archive
        )
    try:
        data = zf.read(f"{top}/metadata.json")
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise ModelError(f"cannot read metadata.json ({exc})", archive) from None
    return top, _metadata(data, archive)


def _check_loads(models_dir: Path, info: ModelInfo, archive: Path) -> None:
    """Load the unpacked package the way pre-translation will and translate one sentence.

    A package can have every file in place and still be unusable (a corrupt
    ``sentencepiece.model``, a model the tokenizer does not fit); it is refused
    here, before it replaces anything, rather than found in the middle of a run.
    """
    from transflow.mt.argos import load_package

    try:
        load_package(models_dir, info)
    except ModelError as exc:  # the reason names files in the temporary folder: name members
        reason = exc.message.replace(f"{info.path.parent}{os.sep}", "")
        raise ModelError(f"broken package: {reason}", archive) from None


def _remove_tree(models_dir: Path, path: Path) -> None:
    """Move ``path`` aside (atomic), then delete it."""
    trash = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=models_dir))
    os.replace(path, trash / path.name)
    shutil.rmtree(trash, ignore_errors=True)


def install_model(
    models_dir: Path,
    archive: Path,
    allowed_targets: Iterable[str],
    *,
    source: str = "en",
    force: bool = False,
) -> ModelInfo:
    """Validate ``archive`` and install it into ``models_dir``; return the installed package.

    Only ``source``→(one of ``allowed_targets``) packages are accepted. A package
    already installed for the same pair is replaced only with ``force``. Any
    failure raises :class:`ModelError` and leaves ``models_dir`` unchanged.
    """
    archive = Path(archive)
    allowed = list(allowed_targets)
    if not archive.is_file():
        raise ModelError("no such file", archive)
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        reason = "not a zip archive" if isinstance(exc, zipfile.BadZipFile) else str(exc)
        raise ModelError(f"not an Argos package: {reason}", archive) from None
    with zf:
        top, metadata = _check_archive(archive, zf)
        from_code, to_code = metadata["from_code"], metadata["to_code"]
        if not _matches(from_code, source) or not any(_matches(to_code, t) for t in allowed):
            raise ModelError(
                f"package translates {from_code}→{to_code}; this project needs "
                f"{source}→{{{', '.join(allowed)}}}",
                archive,
            )
        existing = [
            m
            for m in list_models(models_dir)
            if (m.from_code, m.to_code) == (from_code, to_code) or m.name == top
        ]
        if existing and not force:
            names = ", ".join(m.name for m in existing)
            raise ModelError(
                f"a package for {from_code}→{to_code} is already installed ({names}); "
                "use --force to replace it",
                archive,
            )
        if (models_dir / top).exists() and not existing and not force:
            raise ModelError(f"{models_dir / top} already exists; use --force", archive)
        created = not models_dir.exists()
        try:
            models_dir.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=models_dir))
        except OSError as exc:
            raise ModelError(
                f"cannot create {models_dir}: {exc.strerror or exc}", archive
            ) from None
        ok = False
        try:
            try:
                zf.extractall(tmp)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise ModelError(f"cannot unpack: {exc}", archive) from None
            unpacked = tmp / top
            info = read_model(unpacked)  # re-read from disk: what will actually be loaded
            _check_loads(models_dir, info, archive)
            target = models_dir / top
            backup = tmp / ".previous"
            if target.exists():
                os.replace(target, backup)
            try:
                os.replace(unpacked, target)
            except OSError:
                if backup.exists():
                    os.replace(backup, target)
                raise
            ok = True
            for old in existing:
                if old.path != target and old.path.exists():
                    _remove_tree(models_dir, old.path)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise ModelError(f"cannot install into {models_dir}: {reason}", archive) from None
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            if created and not ok:  # only what this call created (Argos's settings too)
                shutil.rmtree(models_dir, ignore_errors=True)
    return ModelInfo(
        name=top,
        from_code=info.from_code,
        to_code=info.to_code,
        version=info.version,
        size_bytes=info.size_bytes,
        path=models_dir / top,
    )


def remove_model(models_dir: Path, name: str) -> ModelInfo:
    """Remove the installed package ``name``; return what was removed."""
    path = models_dir / name
    if (
        not name
        or name.startswith(".")
        or "/" in name
        or "\\" in name
        or not path.is_dir()
        or path.is_symlink()
    ):
        installed = ", ".join(m.name for m in list_models(models_dir)) or "none"
        raise ModelError(f"no installed model {name!r} (installed: {installed})", models_dir)
    try:
        info = read_model(path)
    except (ModelError, OSError):
        info = ModelInfo(name, "?", "?", "", _size(path), path)
    _remove_tree(models_dir, path)
    return info


# -- loading through Argos -------------------------------------------------------


def _argos_environment(models_dir: Path) -> dict[str, str]:
    """Argos settings pointing at folders under ``models_dir/.argos``, index seeded empty."""
    home = models_dir / ARGOS_HOME
    try:
        (home / "data" / "argos-translate").mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only shared models_dir: use a private temporary home
        home = Path(tempfile.mkdtemp(prefix="transflow-argos-"))
        (home / "data" / "argos-translate").mkdir(parents=True, exist_ok=True)
    index = home / "data" / "argos-translate" / "index.json"
    if not index.exists():
        index.write_text("[]\n", encoding="utf-8")
    return {
        "ARGOS_PACKAGES_DIR": str(home / "packages"),
        "ARGOS_PACKAGE_INDEX": "file:///dev/null/",  # never fetched; no http(s) either way
        "ARGOS_CHUNK_TYPE": "ARGOSTRANSLATE",
        "ARGOS_MODEL_PROVIDER": "OPENNMT",
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }


def _import_argos_package(models_dir: Path) -> Any:
    """``argostranslate.package``, imported with transflow-controlled settings.

    Argos reads its settings once, at import, and creates folders there; the
    environment is changed only around the first import and then restored, so
    the rest of the process (and its children) sees the user's environment.
    """
    loaded = sys.modules.get("argostranslate.package")
    if loaded is not None:
        return loaded
    overrides = _argos_environment(models_dir)
    saved = {key: os.environ.get(key) for key in overrides}
    os.environ.update(overrides)
    try:
        import argostranslate.package as module
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return module


def load_argos_package(models_dir: Path, info: ModelInfo) -> Any:
    """An ``argostranslate.package.Package`` for an installed package (no network, no index)."""
    package = _import_argos_package(models_dir)
    try:
        return package.Package(info.path)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"cannot load Argos package: {exc}", info.path) from None
