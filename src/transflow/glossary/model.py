"""The glossary as typed, immutable data, and the matchers built from it.

``Glossary`` holds the entries in file order and compiles, once, the matcher
that finds English forms in source text and, per locale, the matcher of every
allowed, forbidden and verbatim target form. A name inside a URL or an e-mail
address is never a match: "https://example.org/asimkom/" names a web address,
not the organisation, and must not be "corrected" or replaced.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from transflow.glossary_match import Hit, PhraseMatcher, fold

__all__ = [
    "CASE_NAMES",
    "DEFAULT_LOCALES",
    "ENTRY_KEYS",
    "ENTRY_TYPES",
    "LOCALE_KEYS",
    "TOP_KEYS",
    "VARIANT_KEYS",
    "VARIANT_STATUSES",
    "Entry",
    "Glossary",
    "LocaleForms",
    "Rendering",
    "TermMatch",
    "Variant",
    "is_slug",
    "outside_urls",
]

ENTRY_TYPES = (
    "person",
    "organisation",
    "outlet",
    "institution",
    "document",
    "place",
    "programme",
    "event",
    "other",
)
VARIANT_STATUSES = ("acceptable", "correct")
VARIANT_KEYS = ("form", "status", "same", "targets")
CASE_NAMES = ("nom", "gen", "dat", "acc", "ins", "pre", "loc", "abl", "voc")
DEFAULT_LOCALES = ("az", "de", "fr", "ru")
TOP_KEYS = ("version", "locales", "ignore", "entries")
ENTRY_KEYS = (
    "id",
    "type",
    "en",
    "variants",
    "keep-untranslated",
    "locales",
    "note",
    "references",
    "unverified",
)
LOCALE_KEYS = ("approved", "forms", "forbidden", "cases")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def is_slug(text: str) -> bool:
    """Whether ``text`` is a valid entry id: lowercase ascii words joined by single hyphens."""
    return bool(_SLUG.match(text))


@dataclass(frozen=True)
class Rendering:
    """The target form of one English form in one locale: a base form and its case forms.

    ``cases`` uses the glossary's short case names (``gen``, ``pre``, ...).
    """

    approved: str
    cases: dict[str, str] = field(default_factory=dict)

    @property
    def forms(self) -> tuple[str, ...]:
        """The base form and every case form, without duplicates."""
        return tuple(dict.fromkeys(f for f in (self.approved, *self.cases.values()) if f))


@dataclass(frozen=True)
class Variant:
    """Another English form of a name, and how it is rendered in each locale.

    ``status`` is ``acceptable`` (fine as is) or ``correct`` (a misspelling the
    source check fixes to ``en``). A correct variant, and an acceptable one with
    ``same``, is rendered like ``en``; an acceptable variant that says more or
    less than ``en`` ("Republic of Azerbaijan", "EU", "the Aliyevs") has its own
    rendering per locale in ``targets``, where None means the MT engine
    translates that span itself (there is no fixed rendering that says the same).
    """

    form: str
    status: str
    line: int | None = field(default=None, compare=False)
    same: bool = False
    targets: dict[str, Rendering | None] = field(default_factory=dict)

    @property
    def rendered_like_en(self) -> bool:
        return self.status == "correct" or self.same


@dataclass(frozen=True)
class LocaleForms:
    """How an entry may and may not appear in one locale."""

    approved: str
    forms: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    cases: dict[str, str] = field(default_factory=dict)
    line: int | None = field(default=None, compare=False)

    @cached_property
    def allowed(self) -> tuple[str, ...]:
        """``approved`` and every listed form, without duplicates, approved first."""
        return tuple(dict.fromkeys(f for f in (self.approved, *self.forms) if f))


@dataclass(frozen=True)
class Entry:
    """One controlled name; ``line`` is the entry's line, ``lines`` the line of each field."""

    id: str
    type: str
    en: str
    variants: tuple[Variant, ...] = ()
    keep_untranslated: bool = False
    locales: dict[str, LocaleForms] = field(default_factory=dict)
    note: str = ""
    references: tuple[str, ...] = ()
    unverified: tuple[str, ...] = ()
    line: int | None = field(default=None, compare=False)
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def english_forms(self) -> list[tuple[str, str | None]]:
        """``(form, variant status)`` for ``en`` (status None) and every variant."""
        return [(self.en, None), *((v.form, v.status) for v in self.variants)]

    def variant(self, form: str) -> Variant | None:
        for v in self.variants:
            if v.form == form:
                return v
        return None

    def rendering(self, locale: str, variant: str | None = None) -> Rendering | None:
        """How the English form ``variant`` (None: ``en``) is written in ``locale``.

        None when the glossary gives no faithful rendering there: the span is
        then left to the MT engine rather than replaced by a form that drops or
        changes what the source says.
        """
        v = self.variant(variant) if variant is not None else None
        if v is not None and not v.rendered_like_en:
            return v.targets.get(locale)
        forms = self.locales.get(locale)
        if forms is not None and forms.approved:
            return Rendering(forms.approved, dict(forms.cases))
        if self.keep_untranslated and self.en:
            return Rendering(self.en)
        return None

    def target_forms(self, locale: str) -> tuple[str, ...]:
        """Every form a target in ``locale`` may use: listed forms and variant renderings."""
        forms = self.locales.get(locale)
        out = list(forms.allowed) if forms else []
        for v in self.variants:
            target = v.targets.get(locale) if not v.rendered_like_en else None
            if target is not None:
                out += target.forms
        return tuple(dict.fromkeys(out))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "en": self.en,
            "variants": [_variant_json(v) for v in self.variants],
            "keep-untranslated": self.keep_untranslated,
            "locales": {
                code: {
                    "approved": lf.approved,
                    "forms": list(lf.forms),
                    "forbidden": list(lf.forbidden),
                    "cases": dict(lf.cases),
                }
                for code, lf in self.locales.items()
            },
            "note": self.note,
            "references": list(self.references),
            "unverified": list(self.unverified),
            "line": self.line,
        }


def _variant_json(v: Variant) -> dict[str, Any]:
    data: dict[str, Any] = {"form": v.form, "status": v.status}
    if v.same:
        data["same"] = True
    if v.targets:
        data["targets"] = {
            code: None if t is None else {"approved": t.approved, "cases": dict(t.cases)}
            for code, t in v.targets.items()
        }
    return data


class TermMatch(NamedTuple):
    """A glossary term found in English text: ``text[start:end] == matched``.

    ``variant_status`` is None for the approved ``en`` form, else the variant's
    status (``acceptable`` or ``correct``); ``variant`` is the variant's form as
    the glossary writes it (None for ``en``), for :meth:`Entry.rendering`. A
    named tuple, not a frozen dataclass: as immutable, and four times cheaper to
    make (``check`` makes one per name per sentence).
    """

    entry_id: str
    start: int
    end: int
    matched: str
    variant_status: str | None
    variant: str | None = None


# What a target-side phrase means: (entry id, kind), kind one of these.
ALLOWED, FORBIDDEN, VERBATIM = "allowed", "forbidden", "verbatim"

# A source phrase's payload: (entry id, variant status, variant form).
_SourcePayload = tuple[str, str | None, str | None]


def outside_urls(text: str, hits: list[Any]) -> list[Any]:
    """``hits`` (anything with ``start`` and ``end``) that lie outside every URL and e-mail address.

    Cheap when ``text`` cannot hold one; the URL pattern is the QA checks' own.
    """
    if "://" not in text and "www." not in text and "@" not in text and "mailto:" not in text:
        return hits
    from transflow.qa.base import url_spans

    spans = url_spans(text)
    if not spans:
        return hits
    return [h for h in hits if all(h.end <= a or h.start >= b for a, b in spans)]


@dataclass(frozen=True)
class Glossary:
    """A loaded glossary: entries in file order, and matchers built once from them."""

    path: Path | None = None
    version: int = 1
    locales: tuple[str, ...] = DEFAULT_LOCALES
    ignore: tuple[str, ...] = ()
    entries: tuple[Entry, ...] = ()
    ignore_lines: tuple[int | None, ...] = field(default=(), compare=False, repr=False)
    _by_id: dict[str, Entry] = field(default_factory=dict, init=False, repr=False, compare=False)
    _source: PhraseMatcher[_SourcePayload] = field(init=False, repr=False, compare=False)
    _targets: dict[str, PhraseMatcher[tuple[str, str]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _forms: dict[tuple[str, str], tuple[str, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        by_id: dict[str, Entry] = {}
        matcher: PhraseMatcher[_SourcePayload] = PhraseMatcher(ignore_case=True)
        seen: set[str] = set()
        for entry in self.entries:
            by_id.setdefault(entry.id, entry)
            forms: list[tuple[str, str | None, str | None]] = [(entry.en, None, None)]
            forms += [(v.form, v.status, v.form) for v in entry.variants]
            for form, status, variant in forms:
                key = fold(" ".join(form.split()), ignore_case=True)
                if form and key not in seen:  # a form claimed twice: the first entry wins
                    seen.add(key)
                    matcher.add(form, (entry.id, status, variant))
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_source", matcher)

    # -- lookup --------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._by_id

    def __getitem__(self, entry_id: str) -> Entry:
        return self._by_id[entry_id]

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    # -- source side ---------------------------------------------------------------------
    def _find(self, text: str) -> list[Hit[_SourcePayload]]:
        return outside_urls(text, self._source.find(text))

    def match(self, text: str) -> list[TermMatch]:
        """Glossary terms in English ``text``, longest match first among overlaps, in order."""
        return [
            TermMatch(h.payload[0], h.start, h.end, text[h.start : h.end], *h.payload[1:])
            for h in self._find(text)
        ]

    def terms_in(self, text: str) -> tuple[str, ...]:
        """Ids of the entries in ``text``, in order of first occurrence, each once."""
        return tuple(dict.fromkeys(h.payload[0] for h in self._find(text)))

    # -- target side ---------------------------------------------------------------------
    def target_forms(self, entry_id: str, locale: str) -> tuple[str, ...]:
        """``Entry.target_forms`` of an entry, computed once per locale (``check`` asks often)."""
        key = (entry_id, locale)
        forms = self._forms.get(key)
        if forms is None:
            forms = self._forms[key] = self._by_id[entry_id].target_forms(locale)
        return forms

    def target_matcher(self, locale: str) -> PhraseMatcher[tuple[str, str]]:
        """Every allowed, forbidden and verbatim form for ``locale``, compiled once."""
        matcher = self._targets.get(locale)
        if matcher is None:
            matcher = PhraseMatcher(ignore_case=False, sentence_case=True)
            for entry in self.entries:
                if entry.keep_untranslated:
                    matcher.add(entry.en, (entry.id, VERBATIM))
                for form in entry.target_forms(locale):
                    matcher.add(form, (entry.id, ALLOWED))
                forms = entry.locales.get(locale)
                for form in forms.forbidden if forms else ():
                    matcher.add(form, (entry.id, FORBIDDEN))
            self._targets[locale] = matcher
        return matcher
