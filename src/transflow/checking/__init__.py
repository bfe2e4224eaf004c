"""Running the glossary and prose checks over a whole project, fast enough to run on every save.

``transflow check`` and ``transflow coverage`` both need, for every catalog,
the units' states and source words and the QA findings. This package computes
them once and keeps them in a derived-data cache in ``project.cache_dir``
(``transflow.check_cache``):

* source-side glossary checks run once per source unit (from the ``.pot``
  template, else the first locale's catalog), with ``locale`` None;
* per catalog: states and words per unit, the target-side glossary checks and
  the unit-scope prose checks (``transflow.qa``), keyed on the sha256 of the
  catalog's bytes — never on its name, size or modification time;
* per locale: the project-scope prose checks (consistency across documents),
  keyed on the hashes of all of that locale's catalogs.

Everything is also keyed on the glossary's content, the ``[tool.transflow.qa]``
settings, the Python version and the source code of the checks, so a cached
result is never used when anything it was computed from changed. A warm run
therefore reads and hashes the catalogs, reads the cache's index, and imports
neither the checks nor the glossary.

Every finding names where to act on it: the PO file and the line of its
entry's ``msgctxt``, and the entry's ``#:`` reference into the source
document. Findings are never all held at once: each catalog's go to the cache
as soon as they are computed, and ``ProjectResult.raw`` reads them back one
catalog at a time, in report order, so memory does not grow with the number
of findings.

On a cold run the catalogs to compute are split in two halves by size and the
second half is computed in a forked child process (where ``os.fork`` exists and
there is more than one CPU), which writes its findings to a spill file and
sends the rest of its results back through a pipe; if the child fails for any
reason the parent computes that half itself, so errors (a malformed catalog)
are reported exactly as in a sequential run. Catalogs are read with the fast
reader in ``transflow.poread``.

The package is split by job: ``findings`` (the cached finding tuples and what
is made of them), ``glossary`` (the glossary, loaded lazily), ``places`` (where
a finding's entry is), ``runner`` (computing a run's cells, the cache key and
the fork), ``project`` (``run_project``: what is cached and what to compute),
``result`` (``ProjectResult``), ``unit`` (``UnitChecker``, live QA of one
unit) and ``errors`` (``DocumentErrors``: the errors of files a caller has
already read, uncached — the export checks each document as it loads it).
"""

from __future__ import annotations

from transflow.check_cache import CACHE_FILE
from transflow.checking.findings import (
    entry_state,
    excerpt,
    finding_json,
    finding_json_text,
    severity_of,
    to_finding,
)
from transflow.checking.glossary import GLOSSARY_CHECKS, glossary_checks
from transflow.checking.project import run_project
from transflow.checking.result import ProjectResult
from transflow.checking.unit import UnitChecker

__all__ = [
    "CACHE_FILE",
    "GLOSSARY_CHECKS",
    "ProjectResult",
    "UnitChecker",
    "entry_state",
    "excerpt",
    "finding_json",
    "finding_json_text",
    "glossary_checks",
    "run_project",
    "severity_of",
    "to_finding",
]
