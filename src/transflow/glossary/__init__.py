"""The controlled glossary (``glossary.yaml``): load, lint, match, check, edit, export.

Names of people, organisations and outlets must be spelled one agreed way in
the English source and in every translation. The package is split by job:

* :mod:`~transflow.glossary.model` — the typed, immutable entries and the matchers;
* :mod:`~transflow.glossary.schema` and :mod:`~transflow.glossary.load` — reading
  the YAML with the line of every problem, and the cached load for ``check``;
* :mod:`~transflow.glossary.lint` — ``transflow glossary lint``;
* :mod:`~transflow.glossary.check` — the ``glossary-*`` findings of ``transflow check``;
* :mod:`~transflow.glossary.edit` — adding, editing, renaming and removing entries
  while every comment and every other byte of the file stays;
* :mod:`~transflow.glossary.usage`, :mod:`~transflow.glossary.missing` and
  :mod:`~transflow.glossary.export` — where a term is used, which names of the
  source no entry covers, and TBX/CSV for other CAT tools.

Matching rules are in :mod:`transflow.glossary_match`.
"""

from __future__ import annotations

from transflow.glossary.check import check_source, check_target, source_hits, target_hits
from transflow.glossary.edit import GlossaryFile, add_entry
from transflow.glossary.lint import LintProblem, lint_glossary
from transflow.glossary.load import load_glossary, load_glossary_cached
from transflow.glossary.model import (
    ENTRY_TYPES,
    Entry,
    Glossary,
    LocaleForms,
    Rendering,
    TermMatch,
    Variant,
    is_slug,
)

__all__ = [
    "ENTRY_TYPES",
    "Entry",
    "Glossary",
    "GlossaryFile",
    "LintProblem",
    "LocaleForms",
    "Rendering",
    "TermMatch",
    "Variant",
    "add_entry",
    "check_source",
    "check_target",
    "is_slug",
    "lint_glossary",
    "load_glossary",
    "load_glossary_cached",
    "source_hits",
    "target_hits",
]
