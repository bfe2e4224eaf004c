"""Live QA of one unit (the review UI): every check ``transflow check`` runs, for one edit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from transflow.checking.findings import entry_state
from transflow.checking.runner import Runner
from transflow.config import Project
from transflow.finding import Finding
from transflow.unit import State


@dataclass(slots=True)
class _LocaleUnit:
    """What the project-scope checks need of one unit of the checked locale."""

    doc: str
    unit_id: str
    source: str
    target: str
    state: State
    flags: tuple[str, ...]
    tcomment: str
    comment: str
    key: tuple[str, str] | None  # ``consistency_key``, computed once

    @classmethod
    def of(
        cls,
        doc: str,
        unit_id: str,
        source: str,
        target: str,
        state: State,
        flags: Sequence[str],
        tcomment: str,
        comment: str,
    ) -> _LocaleUnit:
        """The unit as it reads now, with its consistency key."""
        key = _consistency_key()(source, target, state)
        return cls(doc, unit_id, source, target, state, tuple(flags), tcomment, comment, key)


@cache
def _consistency_key() -> Callable[[str, str, State], tuple[str, str] | None]:
    """``qa.consistency.consistency_key``, imported once (``_LocaleUnit.of`` runs per unit
    of a locale; the prose checks are loaded only when a unit is checked)."""
    from transflow.qa.consistency import consistency_key

    return consistency_key


class UnitChecker:
    """Every check ``transflow check`` runs, for one unit of one locale, in milliseconds.

    Built once per locale (it reads the settings, the glossary and, for the
    consistency checks, every catalog of the locale); ``check`` then gives the
    findings ``transflow check`` would report for that unit with the given
    target: the source-side glossary findings (``locale`` None) first, then the
    target's, in the same order and with the same severities, ``disable``
    settings and ``qa-ignore`` suppressions. ``update`` keeps the consistency
    index in step with edits made since.
    """

    def __init__(self, project: Project, locale: str) -> None:
        self.project = project
        self.locale = locale
        self._runner = Runner(project, use_cache=False)
        self._runner.setup()
        self._runner.prepare([locale])
        self._units: list[_LocaleUnit] | None = None
        self._where: dict[tuple[str, str], int] = {}

    def _load(self) -> list[_LocaleUnit]:
        if self._units is None:
            from transflow.poread import read_po

            units: list[_LocaleUnit] = []
            for doc in self.project.docs():
                path = self.project.catalog_path(self.locale, doc)
                if not path.exists():
                    continue
                for e in read_po(path):
                    if e.obsolete or e.is_header:
                        continue
                    self._where[(doc, e.msgctxt or "")] = len(units)
                    units.append(
                        _LocaleUnit.of(
                            doc,
                            e.msgctxt or "",
                            e.msgid,
                            e.msgstr,
                            entry_state(e),
                            e.flags,
                            e.tcomment,
                            e.comment,
                        )
                    )
            self._units = units
        return self._units

    def update(
        self,
        doc: str,
        unit_id: str,
        source: str,
        target: str,
        state: State,
        flags: Sequence[str],
        tcomment: str,
        comment: str,
    ) -> None:
        """Tell the checker a unit of the locale now reads like this (after an edit)."""
        units = self._load()
        row = _LocaleUnit.of(doc, unit_id, source, target, state, flags, tcomment, comment)
        where = self._where.get((doc, unit_id))
        if where is None:
            self._where[(doc, unit_id)] = len(units)
            units.append(row)
        else:
            units[where] = row

    def check(
        self,
        doc: str,
        unit_id: str,
        source: str,
        target: str,
        state: State,
        flags: Sequence[str] = (),
        tcomment: str = "",
        comment: str = "",
    ) -> list[Finding]:
        """The findings of ``transflow check`` for this unit, were it saved like this."""
        from transflow.qa import run_checks

        runner = self._runner
        locale = self.locale
        found: list[Finding] = []
        glossary = runner.glossary
        module = runner.glossary_module
        if glossary is not None and module is not None and runner.source_checks:
            raw = module.check_source(glossary, unit_id, doc, source)
            found.extend(runner.glossary_findings(raw, ""))
        kind, keep = runner.comment_notes(comment)
        if glossary is not None and module is not None and target.strip():
            raw = module.check_target(glossary, unit_id, doc, locale, source, target, kind)
            found.extend(runner.glossary_findings(raw, tcomment))
        unit = runner.qa_unit(
            unit_id, doc, locale, source, target, state, tuple(flags), tcomment, keep, kind
        )
        found.extend(run_checks([unit], runner.unit_config))
        if runner.has_project_checks:
            row = _LocaleUnit.of(doc, unit_id, source, target, state, flags, tcomment, comment)
            if row.key is not None:
                found.extend(self._project_findings(row))
        return found

    def _project_findings(self, row: _LocaleUnit) -> list[Finding]:
        """The consistency findings of one unit: checked with the units sharing its texts."""
        from transflow.qa import run_checks

        runner = self._runner
        key = row.key
        assert key is not None
        units = self._load()
        where = self._where.get((row.doc, row.unit_id), len(units))
        group = []
        for i in range(len(units) + (where == len(units))):
            u = row if i == where else units[i]
            other = u.key
            if other is not None and (other[0] == key[0] or other[1] == key[1]):
                kind, keep = runner.comment_notes(u.comment)
                group.append(
                    runner.qa_unit(
                        u.unit_id,
                        u.doc,
                        self.locale,
                        u.source,
                        u.target,
                        u.state,
                        u.flags,
                        u.tcomment,
                        keep,
                        kind,
                    )
                )
        if len(group) < 2:
            return []
        return [
            f
            for f in run_checks(tuple(group), runner.project_config)
            if f.unit == row.unit_id and f.doc == row.doc
        ]
