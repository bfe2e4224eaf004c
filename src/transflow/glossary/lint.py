"""``transflow glossary lint``: every schema and consistency problem, with its line."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from transflow.errors import GlossaryError
from transflow.glossary.check import covered
from transflow.glossary.load import read_glossary
from transflow.glossary.model import ENTRY_TYPES, FORBIDDEN, Entry, Glossary, is_slug
from transflow.glossary_match import fold

__all__ = ["LintProblem", "lint_glossary"]


@dataclass(frozen=True)
class LintProblem:
    """One problem in the glossary file, for ``transflow glossary lint``."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.message}"
            if self.line
            else f"{self.path}: {self.message}"
        )

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "line": self.line, "message": self.message}


def lint_glossary(path: Path | str) -> list[LintProblem]:
    """Every schema and semantic problem in the glossary file, in line order."""
    path = Path(path)
    try:
        text, glossary, schema = read_glossary(path)
    except GlossaryError as exc:
        return [LintProblem(path, exc.line, exc.message)]
    if text is None:
        return [LintProblem(path, None, "no glossary file")]
    problems = [LintProblem(path, line, message) for line, message in schema]
    problems += semantic_problems(glossary, path)
    return sorted(problems, key=lambda p: p.line or 0)


def semantic_problems(glossary: Glossary, path: Path) -> list[LintProblem]:
    out: list[LintProblem] = []

    def add(line: int | None, message: str) -> None:
        out.append(LintProblem(path, line, message))

    first_line: dict[str, int | None] = {}
    claimed: dict[str, tuple[int, str, int | None]] = {}
    for number, entry in enumerate(glossary.entries):
        what = f"entry {entry.id!r}"
        lines = entry.lines
        if entry.id:
            if entry.id in first_line:
                add(
                    entry.line,
                    f"duplicate id {entry.id!r} (first defined at line {first_line[entry.id]})",
                )
            else:
                first_line[entry.id] = entry.line
            if not is_slug(entry.id):
                add(
                    lines.get("id", entry.line),
                    f"{what}: id must be a lowercase ascii slug (a-z, 0-9, -)",
                )
        if entry.type and entry.type not in ENTRY_TYPES:
            add(
                lines.get("type", entry.line),
                f"{what}: unknown type {entry.type!r} ({', '.join(ENTRY_TYPES)})",
            )
        if "en" in lines and not entry.en.strip():
            add(lines["en"], f"{what}: empty 'en'")
        own: set[str] = set()
        for form, status in entry.english_forms():
            if not form.strip():
                continue
            key = fold(" ".join(form.split()), ignore_case=True)
            line = lines.get("en", entry.line) if status is None else _variant_line(entry, form)
            if key in own:
                add(line, f"{what}: {form!r} is listed twice")
                continue
            own.add(key)
            if key in claimed and claimed[key][0] != number:
                _, other, other_line = claimed[key]
                add(
                    line, f"{what}: {form!r} is also claimed by entry {other!r} (line {other_line})"
                )
            else:
                claimed.setdefault(key, (number, entry.id, line))
        for code in glossary.locales:
            if code not in entry.locales:
                add(lines.get("locales", entry.line), f"{what}: locale {code!r} missing")
        for code, forms in entry.locales.items():
            where = forms.line or entry.line
            if not forms.approved.strip():
                add(where, f"{what}, locale {code}: empty 'approved'")
                continue
            if forms.forms and forms.approved not in forms.forms:
                add(
                    where,
                    f"{what}, locale {code}: 'forms' does not contain approved {forms.approved!r}",
                )
            for bad in forms.forbidden:
                if bad in forms.allowed:
                    add(where, f"{what}, locale {code}: {bad!r} is both allowed and forbidden")
            for case, form in forms.cases.items():
                if form not in forms.allowed:
                    add(
                        where,
                        f"{what}, locale {code}: case {case} {form!r} is not listed in 'forms'",
                    )
        out += _variant_problems(glossary, entry, path)
    out += _ignore_problems(glossary, path, claimed)
    return out


def _ignore_problems(
    glossary: Glossary, path: Path, claimed: Mapping[str, tuple[int, str, int | None]]
) -> list[LintProblem]:
    """The top-level ``ignore`` list: no blanks, no repeats, nothing a glossary entry claims."""
    out: list[LintProblem] = []
    seen: dict[str, int | None] = {}
    lines = glossary.ignore_lines or (None,) * len(glossary.ignore)
    for word, line in zip(glossary.ignore, lines, strict=False):
        if not word.strip():
            out.append(LintProblem(path, line, "'ignore': empty item"))
            continue
        if word in seen:
            out.append(
                LintProblem(path, line, f"'ignore': {word!r} is listed twice (line {seen[word]})")
            )
            continue
        seen[word] = line
        key = fold(" ".join(word.split()), ignore_case=True)
        if key in claimed:
            _, entry_id, entry_line = claimed[key]
            out.append(
                LintProblem(
                    path,
                    line,
                    f"'ignore': {word!r} is a form of entry {entry_id!r} (line {entry_line}); "
                    "remove it from 'ignore'",
                )
            )
    return out


def _variant_line(entry: Entry, form: str) -> int | None:
    for v in entry.variants:
        if v.form == form:
            return v.line or entry.line
    return entry.line


def _variant_problems(glossary: Glossary, entry: Entry, path: Path) -> list[LintProblem]:
    """Each variant says how it is rendered: like ``en``, or by its own target per locale.

    Protection during MT replaces a matched variant with its rendering, so a
    variant that says more than a spelling ("Republic of Azerbaijan", "EU",
    "Aliyevs") must not silently fall back to the entry's approved form.
    """
    out: list[LintProblem] = []
    what = f"entry {entry.id!r}"
    for v in entry.variants:
        line = v.line or entry.line
        name = f"{what}: variant {v.form!r}"
        if v.status == "correct":
            if v.same or v.targets:
                out.append(
                    LintProblem(
                        path,
                        line,
                        f"{name} is a misspelling, rendered like 'en': "
                        "drop its 'same' and 'targets'",
                    )
                )
            continue
        if v.same and v.targets:
            out.append(LintProblem(path, line, f"{name} has both 'same' and 'targets'"))
            continue
        if not v.same and not v.targets:
            out.append(
                LintProblem(
                    path,
                    line,
                    f"{name} does not say how it is rendered: 'same: true' if it is another "
                    "spelling of the same name, else 'targets' per locale (null leaves it to MT)",
                )
            )
            continue
        if v.same:
            continue
        for code in glossary.locales:
            if code not in v.targets:
                out.append(
                    LintProblem(
                        path, line, f"{name} has no target for {code} (null leaves it to MT)"
                    )
                )
        for code, target in v.targets.items():
            forms = entry.locales.get(code)
            if target is None or forms is None:
                continue
            for form in target.forms:
                if form in forms.forbidden or _has_forbidden(glossary, entry, code, form):
                    out.append(
                        LintProblem(
                            path, line, f"{name}, locale {code}: target {form!r} is forbidden"
                        )
                    )
    return out


def _has_forbidden(glossary: Glossary, entry: Entry, locale: str, form: str) -> bool:
    hits = [h for h in glossary.target_matcher(locale).find_all(form) if h.payload[0] == entry.id]
    good = [h for h in hits if h.payload[1] != FORBIDDEN]
    return any(h.payload[1] == FORBIDDEN and not covered(h, good) for h in hits)
