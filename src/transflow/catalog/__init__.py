"""PO catalogs: the single source of truth for translations and their review state.

One catalog per locale and source document, ``locales/<locale>/<doc>.po``, plus
a template ``locales/<doc>.pot`` that records the unit ids (and lets Weblate or
Poedit start a new language). Conventions (see the design):

* ``msgctxt`` = unit id, ``msgid`` = source text, ``#:`` = ``source/<doc>.md:<line>``;
* ``#.`` holds ``key: value`` notes, one per line and never wrapped (an id, a
  path or a URL is never broken): ``kind``, ``terms`` (glossary ids, for the
  tools), ``glossary`` (one per term: the approved spelling in the catalog's
  locale, for the translator), and the provenance of suggestions (``machine``,
  ``memory``);
* the state is in the flags — none and no target = new; ``fuzzy, machine`` = MT
  suggestion; ``fuzzy, memory`` = fuzzy memory match; ``fuzzy`` = needs review;
  no ``fuzzy`` = translated; ``reviewed`` = approved.

Reading goes through ``transflow.poread``, the one PO syntax policy of every
command (linear, strict, with file and line in every error); writing through
polib, except that comment lines are written as they are, as GNU gettext does.

Saving is atomic (temporary file in the same directory, fsync, rename) and
refuses to overwrite a file that changed on disk since it was read, under an
exclusive lock on the directory, so two writers can never silently lose each
other's edits. A save that would not change the file writes nothing, so
re-running a command on unchanged input leaves every byte as it was.
"""

from __future__ import annotations

from transflow.catalog.catalog import Catalog, header, now_stamp
from transflow.catalog.entrynotes import get_note, get_notes, set_note
from transflow.catalog.merge import MergeReport, merge_units
from transflow.catalog.pofile import WRAP_WIDTH
from transflow.catalog.states import (
    STATE_FLAGS,
    approval_of,
    approve,
    clear,
    migrate_legacy_approval,
    reject,
    set_state,
    set_target,
    state_of,
    unapprove,
)
from transflow.errors import EditConflict
from transflow.files import (
    atomic_write,
    locked_directory,
    remove_stale_temporaries,
    unwritable_reason,
)

__all__ = [
    "STATE_FLAGS",
    "WRAP_WIDTH",
    "Catalog",
    "EditConflict",
    "MergeReport",
    "approval_of",
    "approve",
    "atomic_write",
    "clear",
    "get_note",
    "get_notes",
    "header",
    "locked_directory",
    "merge_units",
    "migrate_legacy_approval",
    "now_stamp",
    "reject",
    "remove_stale_temporaries",
    "set_note",
    "set_state",
    "set_target",
    "state_of",
    "unapprove",
    "unwritable_reason",
]
