"""The glossary as the checks use it: loaded lazily, through a thin layer.

``transflow.glossary`` was written in parallel with the checks; this layer
finds out whether it is there, what checks it performs, which of its terms are
kept untranslated, and memoises its English-side matching for one run.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType
from typing import Any

from transflow.finding import Severity


def glossary_module() -> ModuleType | None:
    try:
        import transflow.glossary as module
    except ModuleNotFoundError as exc:
        if exc.name != "transflow.glossary":
            raise
        return None
    return module


# The checks ``transflow.glossary`` performs (it has no registry of its own).
GLOSSARY_CHECKS: tuple[tuple[str, Severity, str], ...] = (
    (
        "glossary-variant",
        Severity.WARNING,
        "The English source uses a spelling of a name that the glossary corrects.",
    ),
    (
        "glossary-missing",
        Severity.ERROR,
        "A glossary term of the source is missing from the target or not in an approved form.",
    ),
    (
        "glossary-untranslated",
        Severity.ERROR,
        "A term the glossary keeps untranslated (an outlet's name) was translated.",
    ),
    (
        "glossary-forbidden",
        Severity.ERROR,
        "The target uses a form of a name that the glossary forbids.",
    ),
)


def glossary_checks() -> list[tuple[str, Severity, str]]:
    """(name, default severity, description) of every glossary check, for ``--list``."""
    module = glossary_module()
    if module is None:
        return []
    registry = getattr(module, "CHECKS", None) or getattr(module, "GLOSSARY_CHECKS", None)
    if registry is None:
        return list(GLOSSARY_CHECKS)
    out: list[tuple[str, Severity, str]] = []
    items: Iterable[Any] = registry.values() if isinstance(registry, dict) else registry or ()
    for item in items:
        if isinstance(item, tuple):
            name, severity, description = item[0], item[1], item[2]
        else:
            name = item.name
            severity = item.severity
            description = getattr(item, "description", "")
        if isinstance(severity, str):
            severity = Severity.parse(severity)
        out.append((str(name), Severity(severity), str(description)))
    return out


def keep_untranslated(glossary: Any) -> dict[str, tuple[str, ...]]:
    """Glossary entry id → English forms kept verbatim in translations (outlets and the like)."""
    entries = getattr(glossary, "entries", None)
    if entries is None:
        return {}
    values = entries.values() if isinstance(entries, dict) else entries
    out: dict[str, tuple[str, ...]] = {}
    for entry in values:
        if getattr(entry, "keep_untranslated", False):
            forms = [getattr(entry, "en", None) or getattr(entry, "english", None)]
            forms.extend(getattr(v, "form", v) for v in getattr(entry, "variants", ()) or ())
            out[str(entry.id)] = tuple(str(f) for f in forms if isinstance(f, str) and f)
    return out


_MEMO_LIMIT = 20_000  # English texts whose glossary matches are remembered


class MemoGlossary:
    """The glossary with its English-side matching memoised for one run.

    The source-side check (``match``) and the target-side check of every locale
    (``terms_in``) look up the same English sentences; each is matched once.
    """

    def __init__(self, glossary: Any) -> None:
        self.glossary = glossary
        self._matches: dict[str, Any] = {}
        self._terms: dict[str, tuple[str, ...]] = {}
        self._targets: dict[str, Any] = {}

    def match(self, text: str) -> Any:
        found = self._matches.get(text)
        if found is None:
            if len(self._matches) >= _MEMO_LIMIT:  # bounded: memory stays flat
                self._matches.clear()
            found = self._matches[text] = self.glossary.match(text)
        return found

    def terms_in(self, text: str) -> tuple[str, ...]:
        found = self._terms.get(text)
        if found is None:
            if len(self._terms) >= _MEMO_LIMIT:
                self._terms.clear()
            matches = self._matches.get(text)
            if matches is not None:  # the source-side check matched it already
                found = tuple({m.entry_id: None for m in matches}) if matches else ()
            else:  # no source-side check ran (coverage): the ids alone are cheaper
                found = tuple(self.glossary.terms_in(text))
            self._terms[text] = found
        return found

    def target_forms(self, entry_id: str, locale: str) -> tuple[str, ...]:
        forms: tuple[str, ...] = self.glossary.target_forms(entry_id, locale)
        return forms

    def target_matcher(self, locale: str) -> Any:
        matcher = self._targets.get(locale)
        if matcher is None:
            matcher = self._targets[locale] = self.glossary.target_matcher(locale)
        return matcher

    def __getitem__(self, entry_id: str) -> Any:
        return self.glossary[entry_id]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.glossary, name)


def glossary_available() -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec("transflow.glossary") is not None
    except (ImportError, ValueError):
        return False
