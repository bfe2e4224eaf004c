"""Reading ``glossary.yaml`` into the model, with the line of every problem.

The round-trip parser of ruamel.yaml keeps the position of every key, so a
schema problem (a wrong type, an unknown key, an unknown locale) names the
line a maintainer has to fix. :class:`Reader` collects every problem rather
than stopping at the first, for ``transflow glossary lint``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from transflow.errors import GlossaryError, LocaleError
from transflow.glossary.model import (
    CASE_NAMES,
    DEFAULT_LOCALES,
    ENTRY_KEYS,
    LOCALE_KEYS,
    TOP_KEYS,
    VARIANT_KEYS,
    VARIANT_STATUSES,
    Entry,
    Glossary,
    LocaleForms,
    Rendering,
    Variant,
)
from transflow.locale import validate_locale
from transflow.unit import control_character

if TYPE_CHECKING:  # ruamel.yaml is imported where it is used: a cached load never needs it
    from ruamel.yaml import YAML

__all__ = ["Reader", "key_line", "kind_of", "new_yaml", "node_line", "parse_yaml"]


def new_yaml() -> YAML:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def parse_yaml(path: Path, text: str) -> Any:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return new_yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "malformed YAML"
        raise GlossaryError(f"malformed YAML: {problem}", path, line) from None
    except YAMLError as exc:
        raise GlossaryError(f"malformed YAML: {exc}", path) from None


def key_line(node: Any, key: str | int, default: int | None) -> int | None:
    """The 1-based line of ``node[key]`` from ruamel's position data, or ``default``."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return default
    try:
        if isinstance(key, int):
            return int(lc.item(key)[0]) + 1
        return int(lc.key(key)[0]) + 1
    except (KeyError, IndexError, TypeError, AttributeError):
        return default


def node_line(node: Any, default: int | None) -> int | None:
    lc = getattr(node, "lc", None)
    line = getattr(lc, "line", None)
    return int(line) + 1 if isinstance(line, int) else default


class Reader:
    """Turns parsed YAML into the model, collecting schema problems with their lines."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[tuple[int | None, str]] = []
        self.locales: tuple[str, ...] = DEFAULT_LOCALES

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append((line, message))

    def mapping(self, node: Any, what: str, line: int | None) -> Mapping[str, Any] | None:
        if node is None:
            return {}
        if not isinstance(node, Mapping):
            self.problem(line, f"{what} must be a mapping, not {kind_of(node)}")
            return None
        return node

    def unknown_keys(self, node: Mapping[str, Any], allowed: Sequence[str], what: str) -> None:
        for key in node:
            if key not in allowed:
                line = key_line(node, key, None)
                hint = f" (expected one of: {', '.join(allowed)})"
                self.problem(line, f"unknown key {key!r} in {what}{hint}")

    def string(self, node: Mapping[str, Any], key: str, what: str, line: int | None) -> str:
        value = node.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            where = key_line(node, key, line)
            self.problem(where, f"{what}: '{key}' must be a string, not {kind_of(value)}")
            return ""
        return value

    def strings(
        self, node: Mapping[str, Any], key: str, what: str, line: int | None
    ) -> tuple[str, ...]:
        value = node.get(key)
        if value is None:
            return ()
        where = key_line(node, key, line)
        if isinstance(value, str) or not isinstance(value, Sequence):
            self.problem(where, f"{what}: '{key}' must be a list of strings, not {kind_of(value)}")
            return ()
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str):
                item_line = key_line(value, i, where)
                self.problem(
                    item_line, f"{what}: '{key}' items must be strings, not {kind_of(item)}"
                )
                continue
            out.append(item)
        return tuple(out)

    # -- the file ------------------------------------------------------------------------
    def control_characters(self, node: Any, line: int | None, seen: set[int]) -> None:
        """Report each text holding a control character (a terminal escape, a NUL)."""
        if id(node) in seen:  # an alias met again (YAML may even make a list hold itself)
            return
        seen.add(id(node))
        if isinstance(node, Mapping):
            items: list[tuple[Any, Any]] = list(node.items())
        elif isinstance(node, Sequence) and not isinstance(node, str):
            items = list(enumerate(node))
        else:
            return
        for key, value in items:
            where = key_line(node, key, line)
            found = control_character(value) if isinstance(value, str) else None
            if found:
                self.problem(
                    where,
                    f"control character \\x{ord(found.group()):02x} in a text "
                    "(a terminal escape or binary debris); remove it",
                )
            elif not isinstance(value, str):
                self.control_characters(value, where, seen)

    def glossary(self, data: Any) -> Glossary:
        self.control_characters(data, 1, set())
        top = self.mapping(data, "the glossary", 1)
        if top is None:
            return Glossary(path=self.path)
        self.unknown_keys(top, TOP_KEYS, "the glossary")
        version = top.get("version", 1)
        if version != 1 or isinstance(version, bool):
            self.problem(key_line(top, "version", 1), f"unsupported version {version!r} (1)")
        locales = self.strings(top, "locales", "the glossary", 1) or DEFAULT_LOCALES
        for i, code in enumerate(locales):
            try:
                validate_locale(code)
            except LocaleError:
                line = key_line(top.get("locales"), i, key_line(top, "locales", 1))
                self.problem(line, f"unknown locale {code!r} in 'locales'")
        self.locales = tuple(locales)
        ignore = self.strings(top, "ignore", "the glossary", 1)
        ignore_node: Any = top.get("ignore") if ignore else ()
        ignore_lines = tuple(
            key_line(ignore_node, i, key_line(top, "ignore", 1))
            for i, item in enumerate(ignore_node)
            if isinstance(item, str)
        )
        entries_node = top.get("entries")
        entries: list[Entry] = []
        if entries_node is not None:
            line = key_line(top, "entries", 1)
            if isinstance(entries_node, str) or not isinstance(entries_node, Sequence):
                self.problem(line, f"'entries' must be a list, not {kind_of(entries_node)}")
            else:
                for i, node in enumerate(entries_node):
                    entry = self.entry(node, key_line(entries_node, i, line))
                    if entry is not None:
                        entries.append(entry)
        return Glossary(
            path=self.path,
            version=1,
            locales=self.locales,
            ignore=ignore,
            entries=tuple(entries),
            ignore_lines=ignore_lines,
        )

    def entry(self, node: Any, line: int | None) -> Entry | None:
        data = self.mapping(node, "an entry", line)
        if data is None:
            return None
        line = node_line(data, line)
        entry_id = self.string(data, "id", "entry", line)
        what = f"entry {entry_id!r}" if entry_id else "entry"
        if "id" not in data:
            self.problem(line, "entry without 'id'")
        self.unknown_keys(data, ENTRY_KEYS, what)
        for required in ("type", "en"):
            if required not in data:
                self.problem(line, f"{what}: missing '{required}'")
        lines = {key: key_line(data, key, line) or 0 for key in data}
        keep = data.get("keep-untranslated", False)
        if not isinstance(keep, bool):
            where = key_line(data, "keep-untranslated", line)
            self.problem(where, f"{what}: 'keep-untranslated' must be true or false")
            keep = False
        locales: dict[str, LocaleForms] = {}
        locales_node = self.mapping(
            data.get("locales"), f"{what}: 'locales'", key_line(data, "locales", line)
        )
        for code, value in (locales_node or {}).items():
            where = key_line(locales_node, code, line)
            if not self.locale_key(code, where, what):
                continue
            forms = self.locale_forms(value, where, f"{what}, locale {code}")
            if forms is not None:
                locales[code] = forms
        unverified = self.strings(data, "unverified", what, line)
        for i, code in enumerate(unverified):
            if code != "en" and code not in self.locales:
                where = key_line(data.get("unverified"), i, key_line(data, "unverified", line))
                self.problem(where, f"{what}: 'unverified' lists {code!r}, not a glossary locale")
        return Entry(
            id=entry_id,
            type=self.string(data, "type", what, line),
            en=self.string(data, "en", what, line),
            variants=self.variants(data, what, line),
            keep_untranslated=keep,
            locales=locales,
            note=self.string(data, "note", what, line),
            references=self.strings(data, "references", what, line),
            unverified=unverified,
            line=line,
            lines=lines,
        )

    def locale_key(self, code: Any, line: int | None, what: str) -> bool:
        if not isinstance(code, str):
            self.problem(line, f"{what}: locale keys must be locale codes, not {kind_of(code)}")
            return False
        try:
            validate_locale(code)
        except LocaleError:
            self.problem(line, f"{what}: unknown locale {code!r}")
            return False
        if code not in self.locales:
            known = ", ".join(self.locales)
            self.problem(
                line, f"{what}: locale {code!r} is not in the glossary's locales ({known})"
            )
            return False
        return True

    def locale_forms(self, node: Any, line: int | None, what: str) -> LocaleForms | None:
        data = self.mapping(node, what, line)
        if data is None:
            return None
        self.unknown_keys(data, LOCALE_KEYS, what)
        if "approved" not in data:
            self.problem(line, f"{what}: missing 'approved'")
        cases: dict[str, str] = {}
        cases_line = key_line(data, "cases", line)
        for key, value in (
            self.mapping(data.get("cases"), f"{what}: 'cases'", cases_line) or {}
        ).items():
            where = key_line(data.get("cases"), key, cases_line)
            if key not in CASE_NAMES:
                self.problem(where, f"{what}: unknown case {key!r} ({', '.join(CASE_NAMES)})")
            elif not isinstance(value, str):
                self.problem(where, f"{what}: case {key!r} must be a string, not {kind_of(value)}")
            else:
                cases[key] = value
        return LocaleForms(
            approved=self.string(data, "approved", what, line),
            forms=self.strings(data, "forms", what, line),
            forbidden=self.strings(data, "forbidden", what, line),
            cases=cases,
            line=line,
        )

    def variants(self, data: Mapping[str, Any], what: str, line: int | None) -> tuple[Variant, ...]:
        node = data.get("variants")
        if node is None:
            return ()
        where = key_line(data, "variants", line)
        if isinstance(node, str) or not isinstance(node, Sequence):
            self.problem(where, f"{what}: 'variants' must be a list, not {kind_of(node)}")
            return ()
        out = []
        for i, item in enumerate(node):
            item_line = key_line(node, i, where)
            if isinstance(item, str):  # shorthand: a bare form is an acceptable variant
                out.append(Variant(item, "acceptable", item_line))
                continue
            variant = self.variant(item, what, item_line)
            if variant is not None:
                out.append(variant)
        return tuple(out)

    def variant(self, item: Any, what: str, line: int | None) -> Variant | None:
        mapping = self.mapping(item, f"{what}: a variant", line)
        if mapping is None:
            return None
        self.unknown_keys(mapping, VARIANT_KEYS, f"{what}: a variant")
        form = self.string(mapping, "form", f"{what}: a variant", line)
        status = mapping.get("status", "acceptable")
        if not form:
            self.problem(line, f"{what}: a variant without 'form'")
            return None
        if status not in VARIANT_STATUSES:
            self.problem(
                line, f"{what}: variant {form!r} has status {status!r} (acceptable or correct)"
            )
            return None
        same = mapping.get("same", False)
        if not isinstance(same, bool):
            self.problem(line, f"{what}: variant {form!r}: 'same' must be true or false")
            same = False
        targets: dict[str, Rendering | None] = {}
        targets_line = key_line(mapping, "targets", line)
        node = self.mapping(
            mapping.get("targets"), f"{what}: variant {form!r}: 'targets'", targets_line
        )
        for code, value in (node or {}).items():
            where = key_line(node, code, targets_line)
            if not self.locale_key(code, where, f"{what}: variant {form!r}: 'targets'"):
                continue
            targets[code] = self.rendering(value, where, f"{what}: variant {form!r}, locale {code}")
        return Variant(form, str(status), line, same, targets)

    def rendering(self, value: Any, line: int | None, what: str) -> Rendering | None:
        """A variant's target: a form, a mapping of case forms with ``nom``, or null (MT)."""
        if value is None:
            return None
        if isinstance(value, str):
            if not value.strip():
                self.problem(line, f"{what}: empty target (write null to leave it to MT)")
            return Rendering(value)
        if not isinstance(value, Mapping):
            self.problem(
                line, f"{what}: a target is a form or a mapping of cases, not {kind_of(value)}"
            )
            return None
        cases: dict[str, str] = {}
        for key, form in value.items():
            where = key_line(value, key, line)
            if key not in CASE_NAMES:
                self.problem(where, f"{what}: unknown case {key!r} ({', '.join(CASE_NAMES)})")
            elif not isinstance(form, str) or not form.strip():
                self.problem(where, f"{what}: case {key!r} must be a form, not {kind_of(form)}")
            else:
                cases[key] = form
        if "nom" not in cases:
            self.problem(line, f"{what}: a target with cases needs 'nom' (the base form)")
            return None
        return Rendering(cases["nom"], cases)


def kind_of(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, Sequence):
        return "a list"
    return type(value).__name__
