"""Changing one entry of ``glossary.yaml``: a form in one locale, a variant, the id, or all of it.

:func:`edit_text`, :func:`rename_text` and :func:`remove_text` take the file's
text and return the new text. Only the lines of the keys that change are
rewritten (in the file's hand-written layout, see :mod:`.yamltext`): every
comment, blank line, key order and the wrapping of every untouched list stay
as they are. Each result is read back and compared with what was meant, and an
edit that would make the entry inconsistent (a form both allowed and
forbidden, a case form that is not listed) is refused with the reason.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from transflow.errors import GlossaryError
from transflow.glossary.model import (
    CASE_NAMES,
    ENTRY_KEYS,
    LOCALE_KEYS,
    VARIANT_KEYS,
    Entry,
    Glossary,
    is_slug,
)
from transflow.glossary.schema import Reader, parse_yaml
from transflow.glossary.yamltext import WIDTH, flow, item_range, key_range, render_key, scalar

__all__ = ["EntryChange", "edit_text", "remove_text", "rename_text"]


@dataclass
class EntryChange:
    """What ``glossary edit`` changes in one entry; empty fields change nothing.

    Locale-level fields apply to ``locale``. ``variant_targets`` sets the
    rendering of a variant in ``locale`` (None: left to MT); ``verified`` and
    ``unverified`` move locales out of and into the entry's ``unverified`` list.
    """

    locale: str | None = None
    approved: str | None = None
    add_forms: Sequence[str] = ()
    remove_forms: Sequence[str] = ()
    add_forbidden: Sequence[str] = ()
    remove_forbidden: Sequence[str] = ()
    cases: Mapping[str, str] = field(default_factory=dict)
    en: str | None = None
    note: str | None = None
    add_variants: Sequence[tuple[str, str]] = ()  # (form, "same" | "correct" | "targets")
    remove_variants: Sequence[str] = ()
    variant_targets: Mapping[str, str | None] = field(default_factory=dict)  # form → target
    verified: Sequence[str] = ()
    unverified: Sequence[str] = ()

    def is_empty(self) -> bool:
        return not any(
            (
                self.approved is not None,
                self.add_forms,
                self.remove_forms,
                self.add_forbidden,
                self.remove_forbidden,
                self.cases,
                self.en is not None,
                self.note is not None,
                self.add_variants,
                self.remove_variants,
                self.variant_targets,
                self.verified,
                self.unverified,
            )
        )


# -- plain data ------------------------------------------------------------------------


def _plain(node: Any) -> Any:
    """ruamel nodes as plain dicts, lists and scalars (order kept)."""
    if isinstance(node, Mapping):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


def _fail(path: Path, message: str, line: int | None = None) -> GlossaryError:
    return GlossaryError(message, path, line)


def _apply(data: dict[str, Any], change: EntryChange, locales: Sequence[str], path: Path) -> None:
    """Apply ``change`` to the entry's plain data, refusing what cannot be done."""
    what = f"entry {data.get('id')!r}"
    if change.en is not None:
        if not change.en.strip():
            raise _fail(path, f"{what}: 'en' cannot be empty")
        data["en"] = change.en
    if change.note is not None:
        data["note"] = change.note
    locale_fields = (
        change.approved is not None
        or change.add_forms
        or change.remove_forms
        or change.add_forbidden
        or change.remove_forbidden
        or change.cases
        or change.variant_targets
    )
    code = change.locale
    if locale_fields:
        if code is None:
            raise _fail(path, "say which locale with --locale")
        if code not in locales:
            raise _fail(
                path, f"locale {code!r} is not in the glossary's locales ({', '.join(locales)})"
            )
        _apply_locale(data, code, change, path, what)
    _apply_variants(data, change, locales, path, what)
    for code in (*change.verified, *change.unverified):
        if code not in locales and code != "en":
            raise _fail(path, f"{what}: {code!r} is not a glossary locale")
    if change.verified or change.unverified:
        current = list(data.get("unverified") or [])
        for code in change.verified:
            if code not in current:
                raise _fail(path, f"{what}: {code} is not marked unverified")
            current.remove(code)
        for code in change.unverified:
            if code in current:
                raise _fail(path, f"{what}: {code} is already marked unverified")
            current.append(code)
        order = ("en", *locales)
        data["unverified"] = sorted(current, key=lambda c: order.index(c) if c in order else 99)


def _apply_locale(
    data: dict[str, Any], code: str, change: EntryChange, path: Path, what: str
) -> None:
    locales = data.setdefault("locales", {})
    forms = locales.get(code)
    if forms is None:
        if change.approved is None:
            raise _fail(path, f"{what} has no {code} forms yet: give --approved first")
        forms = locales[code] = {"approved": change.approved, "forms": [change.approved]}
    where = f"{what}, locale {code}"
    listed: list[str] = list(forms.get("forms") or [])
    forbidden: list[str] = list(forms.get("forbidden") or [])
    cases: dict[str, str] = dict(forms.get("cases") or {})
    if change.approved is not None and change.approved != forms.get("approved"):
        old = forms.get("approved")
        new = change.approved
        if not new.strip():
            raise _fail(path, f"{where}: the approved form cannot be empty")
        if old in listed:
            listed[listed.index(old)] = new
            listed = list(dict.fromkeys(listed))
        elif listed and new not in listed:
            listed.insert(0, new)
        if new in forbidden:
            raise _fail(path, f"{where}: {new!r} is forbidden; remove it with --remove-forbidden")
        cases = {k: (new if v == old else v) for k, v in cases.items()}
        forms["approved"] = new
    for form in change.remove_forms:
        if form not in listed:
            raise _fail(path, f"{where}: no form {form!r} to remove")
        if form == forms.get("approved"):
            raise _fail(path, f"{where}: {form!r} is the approved form; change it with --approved")
        if form in cases.values():
            raise _fail(path, f"{where}: {form!r} is a case form; change the case first")
        listed.remove(form)
    for form in change.add_forms:
        if form in listed:
            raise _fail(path, f"{where}: {form!r} is already a form")
        listed.append(form)
    for form in change.remove_forbidden:
        if form not in forbidden:
            raise _fail(path, f"{where}: no forbidden form {form!r} to remove")
        forbidden.remove(form)
    for form in change.add_forbidden:
        if form in forbidden:
            raise _fail(path, f"{where}: {form!r} is already forbidden")
        forbidden.append(form)
    for case, form in change.cases.items():
        if case not in CASE_NAMES:
            raise _fail(path, f"{where}: unknown case {case!r} ({', '.join(CASE_NAMES)})")
        cases[case] = form
        if form not in listed and form != forms.get("approved"):
            listed.append(form)
    for key, value in (("forms", listed), ("forbidden", forbidden), ("cases", cases)):
        if value or key in forms:
            forms[key] = value


def _apply_variants(
    data: dict[str, Any], change: EntryChange, locales: Sequence[str], path: Path, what: str
) -> None:
    if not (change.remove_variants or change.add_variants or change.variant_targets):
        return
    variants: list[Any] = list(data.get("variants") or [])

    def find(form: str) -> int:
        for i, v in enumerate(variants):
            if (v.get("form") if isinstance(v, Mapping) else v) == form:
                return i
        return -1

    for form in change.remove_variants:
        i = find(form)
        if i < 0:
            raise _fail(path, f"{what}: no variant {form!r} to remove")
        del variants[i]
    for form, how in change.add_variants:
        if not form.strip():
            raise _fail(path, f"{what}: a variant cannot be empty")
        if find(form) >= 0 or form == data.get("en"):
            raise _fail(path, f"{what}: {form!r} is already a form of the entry")
        item: dict[str, Any] = {
            "form": form,
            "status": "correct" if how == "correct" else "acceptable",
        }
        if how == "same":
            item["same"] = True
        elif how == "targets":
            item["targets"] = dict.fromkeys(locales)
        variants.append(item)
    for form, target in change.variant_targets.items():
        i = find(form)
        if i < 0:
            raise _fail(path, f"{what}: no variant {form!r}")
        item = variants[i] if isinstance(variants[i], Mapping) else {"form": variants[i]}
        item = dict(item)
        if item.get("status") == "correct":
            raise _fail(path, f"{what}: {form!r} is a misspelling, rendered like 'en'")
        item.pop("same", None)
        targets = dict(item.get("targets") or dict.fromkeys(locales))
        assert change.locale is not None
        targets[change.locale] = target
        item["targets"] = targets
        variants[i] = item
    if variants:
        data["variants"] = variants
    else:
        data.pop("variants", None)


# -- rendering in the file's layout ------------------------------------------------------


def _note(key: str, text: str, column: int) -> str:
    pad = " " * column
    words = " ".join(text.split())
    if len(words) <= 60 and "\n" not in text:
        return f"{pad}{key}: {scalar(words)}\n"
    inner = " " * (column + 2)
    body = textwrap.wrap(words, WIDTH - len(inner), break_long_words=False)
    return f"{pad}{key}: >-\n" + "".join(f"{inner}{line}\n" for line in body)


def _variant_item(item: Any, column: int) -> str:
    pad = " " * column
    if not isinstance(item, Mapping) or "targets" not in item:
        return f"{pad}- {flow(item, column + 2)}\n"
    out = f"{pad}- form: {scalar(item['form'])}\n"
    for key in VARIANT_KEYS[1:]:
        if key in item and key != "targets":
            out += f"{pad}  {key}: {flow(item[key], column + 4 + len(key))}\n"
    out += f"{pad}  targets:\n"
    for code, target in item["targets"].items():
        out += render_key(code, target, column + 4)
    return out


def _locale_block(code: str, forms: Mapping[str, Any], column: int) -> str:
    out = " " * column + f"{code}:\n"
    for key, value in forms.items():
        out += render_key(key, value, column + 2, block=key == "cases")
    return out


def _render(key: str, value: Any, column: int, item_column: int) -> str:
    """One key of an entry in the layout of the shipped glossary."""
    if key == "note" and isinstance(value, str):
        return _note(key, value, column)
    if key == "variants" and isinstance(value, list):
        return " " * column + "variants:\n" + "".join(_variant_item(v, item_column) for v in value)
    if key == "references" and isinstance(value, list) and value:
        pad = " " * item_column
        return " " * column + "references:\n" + "".join(f"{pad}- {scalar(r)}\n" for r in value)
    if key == "locales" and isinstance(value, Mapping):
        out = " " * column + "locales:\n"
        for code, forms in value.items():
            if isinstance(forms, Mapping):
                out += _locale_block(str(code), forms, column + 2)
            else:
                out += render_key(str(code), forms, column + 2)
        return out
    return render_key(key, value, column)


# -- patching the text -----------------------------------------------------------------


class _Patch:
    """Line replacements on the file's text, applied bottom-up at the end."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines(keepends=True)
        if self.lines and not self.lines[-1].endswith("\n"):
            self.lines[-1] += "\n"
        self.edits: list[tuple[int, int, str]] = []

    def replace(self, start: int, end: int, text: str) -> None:
        self.edits.append((start, end, text))

    def replace_key(self, node: Any, key: str, text: str) -> None:
        """Replace ``key`` of ``node`` with ``text`` (rendered at the key's column).

        The text before the key on its first line stays: "  - " when the key
        is the first of a list item.
        """
        start, end = key_range(self.lines, node, key)
        column = int(node.lc.key(key)[1])
        self.replace(start, end, self.lines[start][:column] + text[column:])

    def text(self) -> str:
        lines = list(self.lines)
        for start, end, new in sorted(self.edits, key=lambda e: (e[0], e[1]), reverse=True):
            lines[start:end] = [new]
        return "".join(lines)


def _is_flow(node: Any) -> bool:
    fa = getattr(node, "fa", None)
    return bool(fa is not None and fa.flow_style())


def _patch_mapping(
    patch: _Patch,
    node: Any,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    order: Sequence[str],
    render: Callable[[str, Any, int], str],
    nested: Mapping[str, Sequence[str]] = {},
) -> None:
    """Rewrite the keys of block mapping ``node`` whose value changed from ``old`` to ``new``."""
    keys = list(node.keys())
    column = int(node.lc.key(keys[0])[1]) if keys else 0
    for key in [k for k in old if k not in new]:
        start, end = key_range(patch.lines, node, key)
        patch.replace(start, end, "")
    for key, value in new.items():
        if key in old and old[key] == value:
            continue
        child = node.get(key) if key in old else None
        if (
            key in old
            and key in nested
            and isinstance(value, Mapping)
            and isinstance(old[key], Mapping)
            and isinstance(child, Mapping)
            and child
            and not _is_flow(child)
        ):
            _patch_mapping(patch, child, old[key], value, nested[key], render, nested)
            continue
        rendered = render(key, value, column)
        if key in old:
            patch.replace_key(node, key, rendered)
            continue
        # a new key: after the last existing key that comes before it in schema order
        rank = {k: i for i, k in enumerate(order)}
        before = [k for k in keys if rank.get(k, len(order)) < rank.get(key, len(order))]
        if before:
            _, at = key_range(patch.lines, node, before[-1])
        elif keys:
            at, _ = key_range(patch.lines, node, keys[0])
        else:
            at = int(node.lc.line) + 1
        patch.replace(at, at, rendered)


def _entry_patch(text: str, entry_id: str, path: Path) -> tuple[Any, Any, int]:
    data = parse_yaml(path, text)
    entries = data.get("entries") if isinstance(data, Mapping) else None
    if entries is None or _is_flow(entries):
        raise _fail(path, "the glossary's entries are not a block list; edit it by hand")
    for i, node in enumerate(entries):
        if isinstance(node, Mapping) and node.get("id") == entry_id:
            if _is_flow(node):
                raise _fail(path, f"entry {entry_id!r} is written in flow style; edit it by hand")
            return entries, node, i
    raise _fail(path, f"no entry with id {entry_id!r}")


def _read_back(path: Path, text: str) -> Glossary:
    reader = Reader(path)
    glossary = reader.glossary(parse_yaml(path, text))
    if reader.problems:
        line, message = reader.problems[0]
        raise GlossaryError(f"the edit would make the glossary invalid: {message}", path, line)
    return glossary


def _entry_problems(glossary: Glossary, entry_id: str, path: Path) -> list[str]:
    from transflow.glossary.lint import semantic_problems

    prefix = f"entry {entry_id!r}"
    return [p.message for p in semantic_problems(glossary, path) if p.message.startswith(prefix)]


def _entry_render(column: int, item_column: int) -> Callable[[str, Any, int], str]:
    def render(key: str, value: Any, col: int) -> str:
        if col == column:
            return _render(key, value, col, item_column)
        return render_key(key, value, col, block=key == "cases")

    return render


def edit_text(text: str, path: Path, entry_id: str, change: EntryChange) -> tuple[str, Entry]:
    """``text`` with ``change`` made to entry ``entry_id``; the entry as it reads back."""
    if change.is_empty():
        raise _fail(path, "nothing to change: give at least one option")
    before = _read_back(path, text)
    _, node, index = _entry_patch(text, entry_id, path)
    old = _plain(node)
    new = _plain(node)
    try:
        _apply(new, change, before.locales, path)
    except GlossaryError as exc:  # point at the entry being edited
        raise GlossaryError(exc.message, path, exc.line or before.entries[index].line) from None
    if new == old:
        raise _fail(path, f"entry {entry_id!r} already reads that way")
    patch = _Patch(text)
    column = int(node.lc.key(next(iter(node)))[1])
    variants: Any = node.get("variants")
    item_column = column + 2
    if isinstance(variants, list) and variants and not _is_flow(variants):
        item_column = int(getattr(variants, "lc").item(0)[1]) - 2  # noqa: B009 (untyped ruamel)
    nested = {"locales": list(before.locales), **{c: LOCALE_KEYS for c in before.locales}}
    _patch_mapping(patch, node, old, new, ENTRY_KEYS, _entry_render(column, item_column), nested)
    result_text = patch.text()
    after = _read_back(path, result_text)
    return result_text, _check_result(path, before, after, entry_id, entry_id, index)


def _check_result(
    path: Path, before: Glossary, after: Glossary, old_id: str, new_id: str, index: int
) -> Entry:
    others_before = [e for i, e in enumerate(before.entries) if i != index]
    others_after = [e for i, e in enumerate(after.entries) if i != index]
    if others_before != others_after or len(after.entries) != len(before.entries):
        raise GlossaryError("internal error: the edit touched another entry", path)
    entry = after.entries[index]
    if entry.id != new_id:
        raise GlossaryError("internal error: the edited entry did not read back", path)
    old_problems = {
        m.replace(f"entry {old_id!r}", f"entry {new_id!r}")
        for m in _entry_problems(before, old_id, path)
    }
    for message in _entry_problems(after, new_id, path):
        if message not in old_problems:
            raise GlossaryError(f"refused: {message}", path, entry.line)
    return entry


def rename_text(text: str, path: Path, old_id: str, new_id: str) -> tuple[str, Entry]:
    """``text`` with entry ``old_id`` renamed to ``new_id`` (a new slug, not taken)."""
    if not is_slug(new_id):
        raise _fail(path, f"{new_id!r} is not a valid id: use a lowercase ascii slug (a-z, 0-9, -)")
    before = _read_back(path, text)
    taken = before.get(new_id)
    if taken is not None:
        raise _fail(
            path, f"an entry with id {new_id!r} already exists (line {taken.line})", taken.line
        )
    _, node, index = _entry_patch(text, old_id, path)
    patch = _Patch(text)
    patch.replace_key(node, "id", render_key("id", new_id, int(node.lc.key("id")[1])))
    result_text = patch.text()
    after = _read_back(path, result_text)
    return result_text, _check_result(path, before, after, old_id, new_id, index)


def remove_text(text: str, path: Path, entry_id: str) -> tuple[str, Entry]:
    """``text`` without entry ``entry_id`` (and one blank line that separated it)."""
    before = _read_back(path, text)
    entries, _, index = _entry_patch(text, entry_id, path)
    patch = _Patch(text)
    start, end = item_range(patch.lines, entries, index)
    if start > 0 and not patch.lines[start - 1].strip():
        start -= 1
    elif end < len(patch.lines) and not patch.lines[end].strip():
        end += 1
    patch.replace(start, end, "")
    result_text = patch.text()
    after = _read_back(path, result_text)
    removed = before.entries[index]
    if list(after.entries) != [e for i, e in enumerate(before.entries) if i != index]:
        raise GlossaryError("internal error: removing the entry touched another one", path)
    return result_text, removed
