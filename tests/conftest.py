"""Shared fixtures: tiny real Argos packages, an isolated models directory, no network.

The packages are built once per test session (well under a second each) by
``tests/argos_model.py``; their CTranslate2 model copies its input, so a
translation through the real Argos/CTranslate2 code path is predictable.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from argos_model import build_argos_model


@pytest.fixture(scope="session")
def argos_packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Built ``.argosmodel`` files by target locale: ``{"de": ..., "ru": ...}``."""
    out = tmp_path_factory.mktemp("argos-packages")
    return {code: build_argos_model(out, "en", code) for code in ("de", "ru")}


@pytest.fixture
def models_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty, isolated models directory (also set as $TRANSFLOW_MODELS_DIR)."""
    path = tmp_path / "models"
    monkeypatch.setenv("TRANSFLOW_MODELS_DIR", str(path))
    return path


@pytest.fixture(scope="session")
def installed_models(
    tmp_path_factory: pytest.TempPathFactory, argos_packages: dict[str, Path]
) -> Path:
    """A models directory with the en→de and en→ru copy models installed (shared, read-only)."""
    from transflow.models import install_model

    path = tmp_path_factory.mktemp("installed") / "models"
    for archive in argos_packages.values():
        install_model(path, archive, ["de", "ru"])
    return path


class NetworkBlocked(OSError):
    """Raised by every connect or DNS lookup while ``block_network`` is active."""


@pytest.fixture
def block_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Make every outgoing connection and DNS lookup fail; yields the attempts made.

    Guards connect and name resolution, not ``bind``: importing urllib3 binds a
    socket on ``::1`` to probe IPv6, which sends nothing.
    """
    attempts: list[str] = []

    def refuse(what: str) -> Any:
        def blocked(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{what}{args[1:] if what == 'connect' else args}")
            raise NetworkBlocked(f"network access blocked in tests: {what}{args}")

        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    yield attempts


@pytest.fixture(scope="session")
def segmented_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled appeals and glossary in a project, segmented once per session (read-only)."""
    from projects import make_project
    from transflow.config import load_project
    from transflow.update import update_catalogs

    root = make_project(tmp_path_factory.mktemp("segmented") / "appeals")
    update_catalogs(load_project(root))
    return root


@pytest.fixture
def segmented_project(segmented_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of ``segmented_template`` for one test to change as it likes."""
    import shutil

    return Path(shutil.copytree(segmented_template, tmp_path / "appeals", symlinks=True))
