"""``transflow import``: bring back XLIFF or PO files an outside translator worked on.

Units are matched by id (XLIFF ``unit``/``trans-unit`` id, PO ``msgctxt``)
in the catalog of the file's document and target language. The rules, in
the order they are applied:

* Anything wrong with a file as a whole — malformed XML or PO, a DOCTYPE
  declaring entities, a language or document this project does not have, a
  unit id no catalog ever had — is a one-line error naming the file and line,
  and *nothing* is written, from any file.
* A unit whose English in the file differs from the catalog's (the source
  changed since the export) or that left the source is refused and listed;
  the catalog keeps what it had.
* A target that is empty or missing changes nothing: work in the catalogs is
  never lost to a blank.
* A target that differs from the catalog's (or confirms a suggestion the
  catalog held only as machine, memory or needs-review) lands as
  *translated* — as *needs review* when a PO file leaves it fuzzy.
* A claim of approval in the file (XLIFF ``reviewed``/``final``,
  ``signed-off``, ``approved="yes"``; an approved PO entry) is trusted only
  with ``trust_review``, and then recorded under the importing reviewer's
  name; otherwise the unit lands as translated and the report says so.

Catalogs are saved with ``Catalog.save``, which refuses to overwrite a file
another writer changed meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib

from transflow.catalog import Catalog, set_state, set_target, state_of
from transflow.catalog import approve as approve_entry
from transflow.config import Project
from transflow.errors import InputError
from transflow.export.interchange import doc_from_reference
from transflow.export.xliff import IncomingUnit, read_xliff
from transflow.locale import language_of
from transflow.reviewer import require_reviewer
from transflow.unit import State, control_character

__all__ = ["Change", "ImportResult", "Refusal", "import_files"]


@dataclass(frozen=True)
class Change:
    """One unit the import changed (or, with ``dry_run``, would change)."""

    file: str
    doc: str
    locale: str
    unit: str
    before: State
    after: State
    old: str
    new: str
    reviewer: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "doc": self.doc,
            "locale": self.locale,
            "unit": self.unit,
            "before": self.before.label,
            "after": self.after.label,
            "old": self.old,
            "new": self.new,
            "approved_by": self.reviewer,
        }


@dataclass(frozen=True)
class Refusal:
    """One unit the import refused, and why."""

    file: str
    line: int | None
    doc: str
    locale: str
    unit: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "doc": self.doc,
            "locale": self.locale,
            "unit": self.unit,
            "reason": self.reason,
        }


@dataclass
class ImportResult:
    changes: list[Change] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    untrusted: list[str] = field(default_factory=list)  # "locale/doc#unit": approval not trusted
    unchanged: int = 0
    written: list[str] = field(default_factory=list)
    dry_run: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "changed": [c.to_json() for c in self.changes],
            "refused": [r.to_json() for r in self.refused],
            "approval_not_trusted": self.untrusted,
            "unchanged": self.unchanged,
            "written": self.written,
        }


# -- the state changes (the review API's rules, in ``transflow.catalog``) -----------------


def _set_target(entry: polib.POEntry, text: str, *, fuzzy: bool) -> None:
    """A typed target: translated, or needs review if the translator left it fuzzy."""
    set_target(entry, text)
    if fuzzy:
        set_state(entry, State.NEEDS_REVIEW)


# -- reading the returned files -------------------------------------------------------------


@dataclass
class _Part:
    path: Path
    doc: str
    locale: str
    units: list[IncomingUnit]


def _locale(project: Project, code: str, path: Path, line: int | None) -> str:
    """The project locale a file's language tag names: the same tag (de-AT, de_AT), else the
    only locale of the same language (de-DE → de)."""
    wanted = code.replace("_", "-").lower()
    for locale in project.locales:
        if locale.replace("_", "-").lower() == wanted:
            return locale
    same = [lo for lo in project.locales if language_of(lo) == language_of(code)]
    if len(same) == 1:
        return same[0]
    raise InputError(
        f"the file is in {code!r}, which is not one of this project's locales "
        f"({', '.join(project.locales)})",
        path,
        line,
    )


def _read_xliff(project: Project, path: Path, data: bytes) -> list[_Part]:
    version, parts = read_xliff(data, path)
    docs = project.docs()
    out = []
    for part in parts:
        locale = _locale(project, part.locale, path, part.line)
        doc = doc_from_reference(part.original, docs)
        if doc is None:
            raise InputError(
                f"XLIFF {version} <file original={part.original!r}> names no document of this "
                "project",
                path,
                part.line,
            )
        out.append(_Part(path, doc, locale, part.units))
    return out


def _read_po(project: Project, path: Path) -> list[_Part]:
    returned = Catalog.load(path)
    language = returned.po.metadata.get("Language", "").strip()
    if not language:
        raise InputError("the PO file has no Language header: which language is it in?", path, 1)
    locale = _locale(project, language, path, 1)
    docs = project.docs()
    doc = None
    for entry in returned.units:
        for reference, _ in entry.occurrences:
            doc = doc_from_reference(reference, docs)
            if doc:
                break
        if doc:
            break
    doc = doc or doc_from_reference(path.stem, docs)
    if doc is None:
        raise InputError(
            "cannot tell which document this PO file is for (no #: source/<doc>.md reference "
            "and no such file name)",
            path,
        )
    units = []
    for entry in returned.po:
        if entry.obsolete:  # a deleted sentence's kept translation (#~): not a unit
            continue
        if entry.msgctxt is None and entry.msgid == "":
            continue
        if entry.msgctxt is None:
            raise InputError("entry without a unit id (msgctxt)", path, entry.linenum)
        units.append(
            IncomingUnit(
                entry.msgctxt,
                entry.msgid,
                entry.msgstr,
                state_of(entry) == State.REVIEWED,
                entry.linenum,
                fuzzy="fuzzy" in entry.flags,
                confirmed="fuzzy" not in entry.flags,
            )
        )
    return [_Part(path, doc, locale, units)]


def _read(project: Project, path: Path) -> list[_Part]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path) from None
    head = data.lstrip()[:200].lstrip(b"\xef\xbb\xbf")
    if head.startswith(b"<"):
        return _read_xliff(project, path, data)
    if path.suffix.lower() in (".po", ".pot") or b"msgid" in data[:4096]:
        return _read_po(project, path)
    raise InputError("not an XLIFF or PO file", path, 1)


# -- merging ----------------------------------------------------------------------------------


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"


def import_files(
    project: Project,
    paths: Sequence[Path],
    *,
    dry_run: bool = False,
    trust_review: bool = False,
    reviewer: str | None = None,
) -> ImportResult:
    """Merge the returned files into the catalogs (see the module docstring)."""
    parts = [part for path in paths for part in _read(project, Path(path))]
    who = str(require_reviewer(project, reviewer)) if trust_review else None
    catalogs: dict[tuple[str, str], Catalog] = {}
    result = ImportResult(dry_run=dry_run)
    for part in parts:
        key = (part.locale, part.doc)
        if key not in catalogs:
            catalogs[key] = Catalog.load(project.catalog_path(part.locale, part.doc), part.locale)
        catalog = catalogs[key]
        live = catalog.index()
        gone = {e.msgctxt for e in catalog.po if e.obsolete and e.msgctxt}
        seen: set[str] = set()
        shown = project.relative(part.path)
        for unit in part.units:
            if unit.id in seen:
                raise InputError(f"unit {unit.id!r} appears twice", part.path, unit.line)
            control = control_character(unit.target or "")
            if control:
                raise InputError(
                    f"unit {unit.id!r}: the translation holds the control character "
                    f"\\x{ord(control.group()):02x} (a terminal escape or binary debris); "
                    "remove it",
                    part.path,
                    unit.line,
                )
            seen.add(unit.id)
            entry = live.get(unit.id)
            if entry is None and unit.id not in gone:
                raise InputError(
                    f"unknown unit id {unit.id!r}: not in {project.relative(catalog.path)}",
                    part.path,
                    unit.line,
                )
            if entry is None:
                reason = "no longer in the source"
            elif unit.source != entry.msgid:
                reason = f"the English changed since the export (now: {_short(entry.msgid)!r})"
            else:
                _merge(result, entry, unit, shown, part, who)
                continue
            result.refused.append(Refusal(shown, unit.line, part.doc, part.locale, unit.id, reason))
    if not dry_run:
        for catalog in catalogs.values():
            if catalog.save():
                result.written.append(project.relative(catalog.path))
    return result


def _merge(
    result: ImportResult,
    entry: polib.POEntry,
    unit: IncomingUnit,
    shown: str,
    part: _Part,
    who: str | None,
) -> None:
    before = state_of(entry)
    old = entry.msgstr
    target = unit.target if unit.target is not None and unit.target.strip() else None
    if target is None:
        result.unchanged += 1
        return
    # A new text, or a suggestion the file confirms as the translation.
    if target != old or (before < State.TRANSLATED and unit.confirmed):
        _set_target(entry, target, fuzzy=unit.fuzzy)
    approve = unit.claims_approval and not unit.fuzzy and state_of(entry) == State.TRANSLATED
    approved_by = None
    if approve and who is not None:
        approve_entry(entry, who)
        approved_by = who
    elif approve:
        result.untrusted.append(f"{part.locale}/{part.doc}#{unit.id}")
    after = state_of(entry)
    if after == before and entry.msgstr == old:
        result.unchanged += 1
        return
    result.changes.append(
        Change(shown, part.doc, part.locale, unit.id, before, after, old, entry.msgstr, approved_by)
    )
