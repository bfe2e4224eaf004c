"""What every machine-translation engine offers: one small protocol.

Pre-translation, the CLI and the tests talk to engines only through
:class:`Engine`, so the real Argos engine, the LibreTranslate client and the
controlled engine used in tests (like httpx's ``MockTransport``) are
interchangeable. Engines translate from English (the source language) into a
project locale and say which model does it, so catalogs can record it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from transflow.errors import EngineError
from transflow.locale import language_of

__all__ = ["Engine", "MissingModel", "argos_package_name", "missing_model_message"]


@runtime_checkable
class Engine(Protocol):
    """A machine-translation engine: English → one locale, batch at a time."""

    name: str

    def model_for(self, locale: str) -> str | None:
        """The model (name and version) that would translate en→``locale``, or None."""
        ...

    def translate(self, texts: Sequence[str], locale: str) -> list[str]:
        """Translate ``texts`` from English into ``locale``; one result per input, in order."""
        ...


def argos_package_name(source: str, target: str, version: str = "1.9") -> str:
    """The file name Argos's package index uses: ``translate-en_de-1_9.argosmodel``."""
    target = language_of(target)  # packages are per language, not locale
    return f"translate-{source}_{target}-{version.replace('.', '_')}.argosmodel"


def missing_model_message(target: str, source: str = "en", models_dir: Path | None = None) -> str:
    """Which Argos model is missing and how to install it, in one line."""
    where = f" in {models_dir}" if models_dir is not None else ""
    return (
        f"no Argos model for {source}→{target}{where}: install one with "
        f"`transflow models install {argos_package_name(source, target)}` "
        "(download it on a networked machine from the Argos package index)"
    )


class MissingModel(EngineError):
    """No installed model for a pair: says which one and how to install it."""

    def __init__(self, target: str, source: str = "en", models_dir: Path | None = None):
        self.source = source
        self.target = target
        self.models_dir = models_dir
        super().__init__(missing_model_message(target, source, models_dir))
