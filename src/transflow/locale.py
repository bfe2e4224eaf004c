"""Locales: validation and the facts Babel knows about them (plural forms, names)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from transflow.errors import LocaleError

if TYPE_CHECKING:  # Babel is imported on first use (it costs start-up time otherwise)
    from babel import Locale

__all__ = ["display_name", "language_of", "plural_forms", "validate_locale"]


def language_of(code: str) -> str:
    """The language part of a locale or language tag: 'de_AT', 'de-AT', 'DE-DE' → 'de'.

    The one place transflow reduces a locale to its language (Argos packages,
    LibreTranslate, TMX language tags, per-language QA rules and case rules).
    """
    for sep in "-_@.":
        code = code.split(sep, 1)[0]
    return code.lower()


@lru_cache(maxsize=64)
def _parse(code: str) -> Locale:
    from babel import Locale

    return Locale.parse(code.replace("-", "_"))


def validate_locale(code: str, path: Path | str | None = None) -> str:
    """Return ``code`` if Babel knows it, else raise a one-line LocaleError."""
    from babel import UnknownLocaleError

    try:
        _parse(code)
    except (UnknownLocaleError, ValueError, TypeError):
        raise LocaleError(f"unknown locale {code!r}", path) from None
    return code


def plural_forms(code: str) -> str:
    """The gettext ``Plural-Forms`` header value, from Babel's CLDR data."""
    from babel.messages.plurals import get_plural

    plural = get_plural(_parse(code))
    return f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"


def display_name(code: str) -> str:
    """The locale's English name, e.g. 'Azerbaijani'."""
    name = _parse(code).get_display_name("en")
    return name or code
