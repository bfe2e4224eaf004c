"""Loading the glossary: the checked reader, and a cache for ``check`` and ``coverage``.

:func:`load_glossary` is the one way to read ``glossary.yaml`` for work that
needs line numbers or editing; :func:`load_glossary_cached` is the fast path
for checking, which never names a line of the glossary.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from transflow.errors import GlossaryError
from transflow.glossary.model import Entry, Glossary, LocaleForms, Rendering, Variant
from transflow.glossary.schema import Reader, parse_yaml

__all__ = ["load_glossary", "load_glossary_cached", "package_files", "read_glossary"]


def package_files() -> list[Path]:
    """The source files of this package, for cache keys that change when the code does."""
    return sorted(Path(__file__).parent.glob("*.py"))


def read_glossary(
    path: Path, data: bytes | None = None
) -> tuple[str | None, Glossary, list[tuple[int | None, str]]]:
    """(text or None if there is no file, the glossary, its schema problems with their lines)."""
    if data is None:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None, Glossary(path=path), []
        except OSError as exc:
            raise GlossaryError(f"cannot read the glossary: {exc.strerror}", path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GlossaryError("not UTF-8", path, data[: exc.start].count(b"\n") + 1) from None
    reader = Reader(path)
    glossary = reader.glossary(parse_yaml(path, text))
    return text, glossary, reader.problems


def load_glossary(path: Path | str) -> Glossary:
    """Read ``glossary.yaml``; a missing file is an empty glossary.

    Malformed YAML and schema errors (wrong types, unknown keys, unknown
    locales) raise one ``GlossaryError`` naming the file and line; semantic
    problems (duplicate ids, ...) are left to :func:`lint_glossary`.
    """
    return _load(Path(path), None)


def _load(path: Path, data: bytes | None) -> Glossary:
    _, glossary, problems = read_glossary(path, data)
    if problems:
        line, message = problems[0]
        more = (
            f" (and {len(problems) - 1} more; run `transflow glossary lint`)"
            if len(problems) > 1
            else ""
        )
        raise GlossaryError(message + more, path, line)
    return glossary


_CACHE_FORMAT = 2


def _load_fast(path: Path, data: bytes) -> Glossary | None:
    """The glossary read with ruamel's "safe" loader, or None if that finds any problem.

    With ruamel.yaml.clib (a dependency on CPython) about ten times as fast as
    the round-trip loader (0.03 s against 0.3 s for the shipped glossary), but
    without line numbers (the ``line`` fields are placeholders): only for
    checking, where no finding names a line of the glossary. Anything the schema
    rejects (or that does not parse) gives None, so the caller reads the file
    again the normal way and reports the error with its line.
    """
    from ruamel.yaml import YAML

    try:
        parsed = YAML(typ="safe").load(data.decode("utf-8"))  # libyaml (C) when installed
    except Exception:  # reported by the round-trip reader instead
        return None
    reader = Reader(path)
    glossary = reader.glossary(parsed)
    return None if reader.problems else glossary


def _plain(glossary: Glossary) -> tuple[Any, ...]:
    """The glossary as plain tuples, for ``marshal`` (which never runs code, unlike pickle)."""
    entries = tuple(
        (
            e.id,
            e.type,
            e.en,
            tuple((v.form, v.status, v.line, v.same, _plain_targets(v)) for v in e.variants),
            e.keep_untranslated,
            tuple(
                (code, lf.approved, lf.forms, lf.forbidden, dict(lf.cases), lf.line)
                for code, lf in e.locales.items()
            ),
            e.note,
            e.references,
            e.unverified,
            e.line,
            dict(e.lines),
        )
        for e in glossary.entries
    )
    return (glossary.version, glossary.locales, glossary.ignore, glossary.ignore_lines, entries)


def _plain_targets(v: Variant) -> tuple[Any, ...]:
    return tuple(
        (code, None if t is None else (t.approved, dict(t.cases))) for code, t in v.targets.items()
    )


def _from_plain_targets(plain: tuple[Any, ...]) -> dict[str, Rendering | None]:
    return {code: None if t is None else Rendering(t[0], dict(t[1])) for code, t in plain}


def _from_plain(path: Path, plain: tuple[Any, ...]) -> Glossary:
    version, locales, ignore, ignore_lines, entries = plain
    return Glossary(
        path=path,
        version=version,
        locales=tuple(locales),
        ignore=tuple(ignore),
        ignore_lines=tuple(ignore_lines),
        entries=tuple(
            Entry(
                id=entry_id,
                type=kind,
                en=en,
                variants=tuple(
                    Variant(form, status, line, same, _from_plain_targets(targets))
                    for form, status, line, same, targets in variants
                ),
                keep_untranslated=keep,
                locales={
                    code: LocaleForms(approved, tuple(forms), tuple(forbidden), dict(cases), line)
                    for code, approved, forms, forbidden, cases, line in forms_by_locale
                },
                note=note,
                references=tuple(references),
                unverified=tuple(unverified),
                line=line,
                lines=dict(lines),
            )
            for (
                entry_id,
                kind,
                en,
                variants,
                keep,
                forms_by_locale,
                note,
                references,
                unverified,
                line,
                lines,
            ) in entries
        ),
    )


def load_glossary_cached(path: Path | str, cache_dir: Path | str, data: bytes) -> Glossary:
    """``load_glossary`` of the file's bytes ``data``, through a cache file in ``cache_dir``.

    Parsing YAML with ruamel (and importing it) is most of what a ``transflow
    check`` does besides the checks, so the glossary's content is kept in
    ``cache_dir`` as plain ``marshal`` data, keyed on the sha256 of ``data``,
    the path, the Python version and the source of this package; a stale,
    corrupt or foreign cache file is ignored and rewritten. Errors are never
    cached: a bad glossary is parsed (and reported) every time. The line
    numbers of a glossary loaded this way are not reliable (see
    ``_load_fast``): it is for checking only; editing and linting always read
    the YAML itself.
    """
    import marshal
    import sys

    path = Path(path)
    key = hashlib.sha256(f"{_CACHE_FORMAT}\0{sys.version}\0{path}\0".encode())
    for module in package_files():
        try:
            key.update(module.read_bytes())
        except OSError:
            key.update(b"-")
    key.update(hashlib.sha256(data).digest())
    digest = key.hexdigest()
    cache = Path(cache_dir) / "glossary.marshal"
    try:
        stored = marshal.loads(cache.read_bytes())
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == digest:
            return _from_plain(path, stored[1])
    except Exception:  # any unreadable or foreign cache is only rebuilt
        pass
    fast = _load_fast(path, data)
    glossary = fast if fast is not None else _load(path, data)  # (an empty one is falsy)
    from transflow.files import atomic_write

    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(cache, marshal.dumps((digest, _plain(glossary))))
    except (OSError, ValueError):
        pass
    return glossary
