"""Keep glossary names intact through machine translation.

Before a unit goes to an engine, each glossary span (a person, organisation,
outlet...) is replaced by a placeholder the engine carries through untouched;
afterwards the placeholder is replaced by the approved target form, or, where
the target language declines names and the translation shows the case, by the
matching case form. If a placeholder does not come back (dropped, duplicated,
mangled), the term is reported as failed and :func:`translate_protected` keeps
the engine's raw translation of the *unprotected* text instead: a name the
engine spelled its own way is a review finding; a name silently dropped is not
acceptable.

Each span carries the rendering of *what it says*: the glossary gives a
variant its own target form ("Republic of Azerbaijan" → "Republik
Aserbaidschan", "EU" → "EU"), and a span with no faithful rendering is never
protected at all, so the engine translates it (see
:func:`transflow.pretranslate.glossary_spans`). A form that starts in lower
case ("président Aliev") gets a capital where the translation starts a
sentence with it.

Placeholders look like ``⟦0⟧``: no letters a model could transliterate or
inflect, no underscores (Argos turns them into spaces), and SentencePiece
carries the brackets as unknown or byte-fallback pieces that CTranslate2
copies back (``replace_unknowns``). Restoring tolerates spaces the detokeniser
puts inside (``⟦ 0 ⟧``).

Case from context, deliberately simple: only the word right before the
placeholder is looked at, and only for languages listed in
:data:`PREPOSITION_CASES` (Russian). A preposition there selects the case
(``у/для/против/без/от/до/из/после/около/кроме/среди`` → genitive,
``к/по`` → dative, ``с/над/под/между/перед`` → instrumental,
``о/об/в/на/при`` → prepositional; ``в``/``на`` with a direction would be
accusative, which is rare before a name). No preposition, or no form for that
case, gives the approved (nominative) form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from transflow.locale import language_of
from transflow.mt.base import Engine

__all__ = [
    "PLACEHOLDER_RE",
    "PREPOSITION_CASES",
    "Protected",
    "ProtectedTranslation",
    "Restored",
    "Span",
    "TargetForms",
    "placeholder",
    "protect",
    "restore",
    "translate_protected",
]

PLACEHOLDER_RE = re.compile(r"⟦\s*(\d+)\s*⟧")

_GENITIVE = ("у", "для", "против", "без", "от", "ото", "до", "из", "изо", "после", "около")
_GENITIVE_MORE = ("кроме", "среди", "вокруг", "возле", "мимо", "ради")
_DATIVE = ("к", "ко", "по")
_INSTRUMENTAL = ("с", "со", "над", "надо", "под", "подо", "между", "перед", "передо")
_PREPOSITIONAL = ("о", "об", "обо", "в", "во", "на", "при")

PREPOSITION_CASES: dict[str, dict[str, str]] = {
    "ru": {
        **dict.fromkeys(_GENITIVE + _GENITIVE_MORE, "genitive"),
        **dict.fromkeys(_DATIVE, "dative"),
        **dict.fromkeys(_INSTRUMENTAL, "instrumental"),
        **dict.fromkeys(_PREPOSITIONAL, "prepositional"),
    },
}

_WORD_BEFORE = re.compile(r"(\w+)[^\w⟦⟧]*$")


def placeholder(index: int) -> str:
    """The placeholder for the ``index``-th protected span of a text."""
    return f"⟦{index}⟧"


@dataclass(frozen=True)
class TargetForms:
    """How a glossary term may appear in one target locale."""

    approved: str
    cases: Mapping[str, str] = field(default_factory=dict)  # case name → form


# A span to protect: (start, end, term id), or with the rendering that replaces it.
Span = tuple[int, int, str] | tuple[int, int, str, TargetForms]


@dataclass(frozen=True)
class Protected:
    """A text with glossary spans replaced; ``placeholders`` maps each placeholder to a term id.

    ``renderings`` holds the target forms a span brought with it (by placeholder);
    a placeholder without one is restored from the ``forms`` given to :func:`restore`.
    """

    text: str
    placeholders: dict[str, str]
    renderings: dict[str, TargetForms] = field(default_factory=dict)


@dataclass(frozen=True)
class Restored:
    """A translation with placeholders replaced, and which terms made it through."""

    text: str
    restored_terms: list[str]
    failed_terms: list[str]


@dataclass(frozen=True)
class ProtectedTranslation:
    """What :func:`translate_protected` returns per text.

    ``fallback`` is true when a placeholder was lost and ``text`` is the raw
    machine translation of the unprotected source; ``failed_terms`` says which.
    """

    text: str
    restored_terms: list[str]
    failed_terms: list[str]
    fallback: bool = False


def protect(text: str, spans: Sequence[Span]) -> Protected:
    """Replace each ``(start, end, term_id[, forms])`` span of ``text`` with a placeholder."""
    ordered = sorted(spans, key=lambda span: (span[0], span[1]))
    parts: list[str] = []
    placeholders: dict[str, str] = {}
    renderings: dict[str, TargetForms] = {}
    pos = 0
    for index, span in enumerate(ordered):
        start, end, term_id = span[0], span[1], span[2]
        if not 0 <= start < end <= len(text) or start < pos:
            raise ValueError(f"bad or overlapping span ({start}, {end}) in {text!r}")
        token = placeholder(index)
        parts += [text[pos:start], token]
        placeholders[token] = term_id
        if len(span) == 4:
            renderings[token] = span[3]
        pos = end
    parts.append(text[pos:])
    return Protected("".join(parts), placeholders, renderings)


def _case_before(prefix: str, languages: Sequence[str]) -> str | None:
    match = _WORD_BEFORE.search(prefix)
    if match is None:
        return None
    word = match.group(1).lower()
    for language in languages:
        case = PREPOSITION_CASES.get(language, {}).get(word)
        if case is not None:
            return case
    return None


_SENTENCE_END = ".!?…"
_OPENERS = "\"'«»„“”‚‘’([{-–—* \t\n\u00a0"


def _starts_sentence(prefix: str) -> bool:
    """Whether text continuing ``prefix`` starts a sentence (text start, or after . ! ? …)."""
    core = prefix.rstrip(_OPENERS)
    return not core or (core[-1] in _SENTENCE_END and core != prefix)


def restore(
    translated: str,
    protected: Protected,
    forms: Mapping[str, TargetForms],
    locale: str | None = None,
) -> Restored:
    """Put each term's target form where its placeholder came back.

    A placeholder's own rendering (from its span) wins; otherwise ``forms``
    maps term ids to their forms in the target locale (a term with neither
    cannot be restored and is reported as failed). ``locale`` selects the case
    rules; None tries every language that has them.
    """
    language = language_of(locale) if locale else None
    languages = [language] if language else list(PREPOSITION_CASES)
    found: dict[str, list[re.Match[str]]] = {}
    for match in PLACEHOLDER_RE.finditer(translated):
        found.setdefault(placeholder(int(match.group(1))), []).append(match)
    failed: list[str] = []
    for token, term in protected.placeholders.items():
        known = token in protected.renderings or term in forms
        if (len(found.get(token, [])) != 1 or not known) and term not in failed:
            failed.append(term)
    restored: list[str] = []
    pieces: list[str] = []
    pos = 0
    for match in PLACEHOLDER_RE.finditer(translated):
        token = placeholder(int(match.group(1)))
        term_id = protected.placeholders.get(token)
        if term_id is None or term_id in failed or len(found[token]) != 1:
            continue
        target = protected.renderings.get(token) or forms[term_id]
        before = translated[: match.start()]
        case = _case_before(before, languages)
        form = target.cases.get(case, target.approved) if case else target.approved
        if form[:1].islower() and _starts_sentence(before):
            form = form[0].upper() + form[1:]
        pieces += [translated[pos : match.start()], form]
        pos = match.end()
        restored.append(term_id)
    pieces.append(translated[pos:])
    return Restored("".join(pieces), restored, failed)


def translate_protected(
    engine: Engine,
    texts: Sequence[str],
    spans_per_text: Sequence[Sequence[Span]],
    forms: Mapping[str, TargetForms],
    locale: str,
) -> list[ProtectedTranslation]:
    """Translate ``texts`` with their glossary spans protected, falling back per text.

    Texts whose placeholders all survive get the target forms restored; the
    others are translated again without protection and returned raw, with the
    failed terms named, so no name is ever dropped.
    """
    if len(spans_per_text) != len(texts):
        raise ValueError("one list of spans per text is needed")
    protected = [protect(text, spans) for text, spans in zip(texts, spans_per_text, strict=True)]
    outputs = engine.translate([p.text for p in protected], locale)
    results: list[ProtectedTranslation] = []
    redo: list[int] = []
    for i, (output, prot) in enumerate(zip(outputs, protected, strict=True)):
        r = restore(output, prot, forms, locale)
        results.append(ProtectedTranslation(r.text, r.restored_terms, r.failed_terms))
        if r.failed_terms:
            redo.append(i)
    if redo:
        raw = engine.translate([texts[i] for i in redo], locale)
        for i, text in zip(redo, raw, strict=True):
            results[i] = ProtectedTranslation(text, [], results[i].failed_terms, fallback=True)
    return results
