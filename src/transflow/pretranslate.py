"""Pre-translation: fill new units with the best offline suggestion.

Order of preference, per unit that has no target yet (state *new*):

1. the translation memory — exact and fuzzy matches from approved work
   anywhere in the project, written as ``fuzzy, memory`` with the score and
   origin in a ``#.`` note;
2. machine translation (Argos, or a LibreTranslate server), with glossary
   terms protected by placeholders and restored as the glossary renders what
   the source says (a variant keeps what it adds: "the EU" stays "EU"),
   written as ``fuzzy, machine`` with the engine and model in a ``#.`` note.

Units that are translated, reviewed, or already carry a suggestion are never
touched. Catalogs are saved atomically after the memory pass and after every
MT batch, so an interrupted run (Ctrl-C, ``kill -9``) loses at most the batch
in flight, and running the command again continues where it stopped: the
units already filled are no longer new.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from transflow.catalog import Catalog, EditConflict, set_note, set_state, state_of
from transflow.config import Project
from transflow.errors import EngineError, InputError
from transflow.memory import TranslationMemory, group_identical
from transflow.memory_store import MemoryStore
from transflow.reapply import Side
from transflow.unit import State

if TYPE_CHECKING:
    import polib

    from transflow.glossary import Glossary
    from transflow.mt.base import Engine
    from transflow.mt.protect import Span

__all__ = [
    "ENGINES",
    "LocaleSummary",
    "Progress",
    "glossary_spans",
    "memory_store",
    "pretranslate",
]

ENGINES = ("memory", "argos", "libretranslate")
DEFAULT_ENGINES = ("memory", "argos")


class Progress(Protocol):
    """What the command line (or the TUI) shows while a locale is being filled."""

    def start(self, locale: str, total: int) -> None: ...

    def advance(self, locale: str, count: int) -> None: ...

    def finish(self, locale: str) -> None: ...


@dataclass
class LocaleSummary:
    """What pre-translation did for one locale."""

    locale: str
    new_before: int = 0
    memory_exact: int = 0
    memory_fuzzy: int = 0
    machine: int = 0
    propagated: int = 0  # identical new units filled from one translation
    empty: int = 0
    terms_protected: int = 0
    protection_failures: int = 0
    seconds: float = 0.0
    engine: str | None = None  # "argos translate-en_de-1.9" when MT ran
    missing: str | None = None  # why MT could not run for this locale
    catalogs_written: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["seconds"] = round(self.seconds, 3)
        return data


def memory_store(project: Project) -> MemoryStore:
    """The project's translation memory, synced with every catalog of every locale."""
    store = MemoryStore(
        project.cache_dir / "memory",
        root=project.root,
        memory_dir=project.memory_dir,
        locales=project.locales,
    )
    store.sync(
        (locale, project.catalog_path(locale, doc))
        for locale in project.locales
        for doc in project.docs()
        if project.catalog_path(locale, doc).exists()
    )
    return store


def make_engine(name: str, project: Project, threads: int = 1) -> Engine:
    """Build an MT engine by name; heavy imports happen here, not at start-up."""
    if name == "argos":
        from transflow.mt.argos import ArgosEngine

        return ArgosEngine(project.models_dir, threads=threads)
    if name == "libretranslate":
        from transflow.mt.libretranslate import LibreTranslateEngine

        return LibreTranslateEngine.from_project(project)
    raise InputError(f"unknown engine {name!r} (choose from {', '.join(ENGINES)})")


def _missing_message(engine: Engine, locale: str, project: Project) -> str:
    if engine.name == "argos":
        from transflow.mt.base import missing_model_message

        return missing_model_message(locale, project.source_language, project.models_dir)
    return f"{engine.name} offers no {project.source_language}→{locale} translation"


@dataclass
class _Todo:
    catalog: Catalog
    entry: polib.POEntry


def _load_catalogs(project: Project, locale: str, docs: Sequence[str]) -> list[Catalog]:
    return [Catalog.load(project.catalog_path(locale, doc), locale) for doc in docs]


def _fill_from_memory(
    todo: list[_Todo],
    memory: TranslationMemory,
    locale: str,
    min_score: int,
    summary: LocaleSummary,
) -> list[_Todo]:
    """Fill what memory can; return what is left for MT."""
    left: list[_Todo] = []
    for item in todo:
        matches = memory.lookup(item.entry.msgid, locale, min_score=min_score, limit=1)
        if not matches:
            left.append(item)
            continue
        match = matches[0]
        item.entry.msgstr = match.entry.target
        set_state(item.entry, State.MEMORY)
        status = "reviewed" if match.entry.reviewed else "translated"
        set_note(item.entry, "memory", f"{match.score}% from {match.entry.origin} ({status})")
        if match.exact:
            summary.memory_exact += 1
        else:
            summary.memory_fuzzy += 1
    return left


# The glossary names cases briefly (``gen``); the protection rules use full names.
_CASE_NAMES = {
    "nom": "nominative",
    "gen": "genitive",
    "dat": "dative",
    "acc": "accusative",
    "ins": "instrumental",
    "pre": "prepositional",
    "loc": "locative",
    "abl": "ablative",
    "voc": "vocative",
}


def glossary_spans(glossary: Glossary | None, text: str, locale: str) -> list[Span]:
    """The spans of ``text`` to protect during MT, each with the rendering of what it says.

    A span is protected only when the glossary gives a faithful rendering of
    the matched form in ``locale``: ``en`` and its spellings get the approved
    form (with its case forms), a variant that says more or less ("Republic of
    Azerbaijan", "EU", "the Aliyevs") its own target. Everything else is left
    to the engine, so no word of the source is ever dropped or replaced by a
    name that says something else: a variant the glossary leaves to MT, and a
    name the text goes on inflecting (the "s" of "Aliyevs'" when the glossary
    has no plural) — there the engine sees the words as they are.
    """
    if glossary is None:
        return []
    from transflow.mt.protect import TargetForms

    spans: list[Span] = []
    for m in glossary.match(text):
        if text[m.end : m.end + 1].isalnum():  # "Aliyev|s'": the span stops inside a word
            continue
        rendering = glossary[m.entry_id].rendering(locale, m.variant)
        if rendering is None or not rendering.approved:
            continue
        cases = {_CASE_NAMES.get(k, k): v for k, v in rendering.cases.items()}
        spans.append((m.start, m.end, m.entry_id, TargetForms(rendering.approved, cases)))
    return spans


def _fill_from_engine(
    todo: list[_Todo],
    engine: Engine,
    model: str,
    locale: str,
    glossary: Glossary | None,
    summary: LocaleSummary,
    batch_size: int,
    progress: Progress | None,
    save: Any,
) -> None:
    from transflow.mt.protect import translate_protected

    groups = group_identical([item.entry.msgid for item in todo])
    sources = list(groups)
    for start in range(0, len(sources), batch_size):
        batch = sources[start : start + batch_size]
        spans = [glossary_spans(glossary, text, locale) for text in batch]
        results = translate_protected(engine, batch, spans, {}, locale)
        for source, result in zip(batch, results, strict=True):
            members = [todo[i] for i in groups[source]]
            for position, item in enumerate(members):
                # A save takes in other writers' edits: someone may have translated it meanwhile.
                if not result.text.strip() or state_of(item.entry) != State.NEW:
                    continue
                item.entry.msgstr = result.text
                set_state(item.entry, State.MACHINE)
                set_note(item.entry, "machine", model)
                failed = ", ".join(result.failed_terms) if result.failed_terms else None
                set_note(item.entry, "protection-failed", failed)
                summary.machine += 1
                if position:
                    summary.propagated += 1
            summary.terms_protected += len(result.restored_terms)
            summary.protection_failures += len(result.failed_terms)
        save()
        if progress is not None:
            progress.advance(locale, sum(len(groups[s]) for s in batch))


def pretranslate(
    project: Project,
    *,
    locales: Sequence[str],
    docs: Sequence[str],
    engines: Sequence[str] = DEFAULT_ENGINES,
    explicit: bool = False,
    min_score: int = 75,
    batch_size: int = 32,
    threads: int = 1,
    progress: Progress | None = None,
    engine_factory: Any = None,
) -> list[LocaleSummary]:
    """Fill the new units of ``docs`` in ``locales``; see the module docstring.

    With ``explicit`` (the user named the engines), an MT engine that cannot
    serve a requested locale is an error raised before anything is written;
    otherwise the locale is filled from memory only and the summary says which
    model is missing.
    """
    for name in engines:
        if name not in ENGINES:
            raise InputError(f"unknown engine {name!r} (choose from {', '.join(ENGINES)})")
    factory = engine_factory or (lambda name: make_engine(name, project, threads))
    mt_engines = [factory(name) for name in engines if name != "memory"]
    # Decide which engine serves each locale before writing anything.
    chosen: dict[str, tuple[Engine, str] | None] = {}
    missing: dict[str, str] = {}
    for locale in locales:
        chosen[locale] = None
        reasons = []
        for engine in mt_engines:
            model = engine.model_for(locale)
            if model:
                chosen[locale] = (engine, model)
                break
            reasons.append(_missing_message(engine, locale, project))
        if chosen[locale] is None and reasons:
            missing[locale] = "; ".join(reasons)
            if explicit:
                raise EngineError(reasons[0])
    # Load the chosen models (a broken package is an error) before writing anything.
    for locale, engine_model in chosen.items():
        prepare = getattr(engine_model[0], "prepare", None) if engine_model else None
        if prepare is not None:
            prepare(locale)
    # Read everything before writing anything.
    catalogs = {locale: _load_catalogs(project, locale, docs) for locale in locales}
    glossary = _load_glossary(project)
    store = memory_store(project) if "memory" in engines else None

    summaries = []
    for locale in locales:
        started = time.perf_counter()
        summary = LocaleSummary(locale, missing=missing.get(locale))
        todo = [
            _Todo(catalog, entry)
            for catalog in catalogs[locale]
            for entry in catalog.units
            if state_of(entry) == State.NEW
        ]
        summary.new_before = len(todo)

        def save(
            locale_catalogs: list[Catalog] = catalogs[locale], s: LocaleSummary = summary
        ) -> None:
            for catalog in locale_catalogs:
                if _save_yielding(catalog):
                    name = project.relative(catalog.path)
                    if name not in s.catalogs_written:
                        s.catalogs_written.append(name)

        if progress is not None:
            progress.start(locale, len(todo))
        if store is not None and todo:
            before = len(todo)
            todo = _fill_from_memory(todo, store.memory(locale), locale, min_score, summary)
            save()
            if progress is not None:
                progress.advance(locale, before - len(todo))
        engine_model = chosen[locale]
        if engine_model is not None and todo:
            engine, model = engine_model
            summary.engine = model
            _fill_from_engine(
                todo, engine, model, locale, glossary, summary, batch_size, progress, save
            )
            todo = [item for item in todo if state_of(item.entry) == State.NEW]
        summary.empty = len(todo)
        summary.seconds = time.perf_counter() - started
        if progress is not None:
            progress.finish(locale)
        summaries.append(summary)
    return summaries


def _save_yielding(catalog: Catalog) -> bool:
    """Save, keeping what anybody else wrote meanwhile: a suggestion never beats a person.

    A unit someone changed on disk since this run read it (a reviewer typing in
    ``transflow review``) keeps their version; this run's suggestion for it is dropped.
    """
    theirs: dict[str, Side] = {}
    while True:
        try:
            return catalog.save(prefer=theirs)
        except EditConflict as conflict:
            more: dict[str, Side] = {
                c.unit: "theirs" for c in conflict.conflicts if c.unit not in theirs
            }
            if not more:
                raise
            theirs.update(more)


def _load_glossary(project: Project) -> Glossary | None:
    from transflow.project_glossary import load_project_glossary

    return load_project_glossary(project)
