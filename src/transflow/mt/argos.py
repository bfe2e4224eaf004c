"""Offline machine translation with Argos Translate packages, batched through CTranslate2.

Argos's own ``translate()`` splits text into sentences with stanza, spaCy or
MiniSBD (pulling in torch and, offline, trying to download models) and then
translates in batches of 32 *tokens*, about two sentences. transflow has
already segmented its units, so this engine skips all of that: it loads an
installed package through Argos's ``Package`` class (metadata, tokenizer),
opens the CTranslate2 model itself, and sends a whole batch of units through
one ``translate_batch`` call (identical units translated once), which sorts
them by length and decodes them in sub-batches of ``batch_size`` units.
Tokenising, ``target_prefix`` handling and detokenising follow Argos, so a
package gives the same text it would give in Argos, minus one quirk (see
:func:`_detokenize`).

CTranslate2 and SentencePiece are imported only when a model is first used,
so ``transflow --help`` and the rest of the CLI stay fast.

Speed (``bench/bench_mt.py``, a model the size of a real Argos package, beam 4):
decoding many units at once is what pays on a CPU, and the threads are best
spent as CTranslate2 *workers* (``inter_threads``), each decoding its own
sub-batch with one thread, rather than as intra-op threads sharing one small
matrix product; a call's units are split so that every worker gets some.
``threads=0`` means one worker per core.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from transflow.errors import InputError, ModelError
from transflow.models import ModelInfo, find_model, load_argos_package
from transflow.mt.base import MissingModel

if TYPE_CHECKING:
    from transflow.config import Project

__all__ = ["ArgosEngine", "load_package"]

_ARGOS_LENGTH_PENALTY = 0.2  # what argostranslate.translate passes
DEFAULT_BATCH_SIZE = 16  # units per sub-batch: with beam 4, 64 rows per matrix product


@dataclass
class _Loaded:
    """A package ready to translate: its CTranslate2 translator and Argos tokenizer."""

    info: ModelInfo
    translator: Any
    tokenizer: Any
    target_prefix: str


def _detokenize(loaded: _Loaded, tokens: list[str], source: str) -> str:
    """Argos's detokenisation: SentencePiece decode, ``▁`` → space, strip prefix and a lead space.

    The target prefix is dropped as a token first (Argos compares it with the
    decoded text, which misses when decoding changed it, e.g. ``__de__``).

    Argos also turns every ``_`` into a space (some models emit it as a word
    separator); that destroys ``snake_case`` names and URLs, so here it happens
    only when the source itself has no underscore.
    """
    tokenizer = loaded.tokenizer
    prefix = loaded.target_prefix
    if prefix and tokens[:1] == [prefix]:
        tokens = tokens[1:]
    if "_" in source and hasattr(tokenizer, "lazy_processor"):
        value = str(tokenizer.lazy_processor().decode_pieces(tokens)).replace("▁", " ")
    else:
        value = str(tokenizer.decode(tokens))
    if prefix and value.startswith(prefix):
        value = value[len(prefix) :]
    if value.startswith(" "):
        value = value[1:]
    return value


# A sentence every tokenizer and model must get through before a package is trusted.
_PROBE = "The conference was held in Bonn."


def _reason(exc: BaseException) -> str:
    """The first line of an exception's message (CTranslate2 and SentencePiece write several)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _tokenize(loaded: _Loaded, text: str) -> list[str]:
    try:
        return list(loaded.tokenizer.encode(text))
    except ImportError as exc:  # BPE packages need sacremoses
        raise ModelError(
            f"this package's tokenizer needs {exc.name or 'a missing module'} "
            "(pip install sacremoses)",
            loaded.info.path,
        ) from None


def load_package(models_dir: Path, info: ModelInfo, workers: int = 1) -> _Loaded:
    """Load a package completely and translate one sentence with it, or raise ``ModelError``.

    Argos opens the tokenizer lazily and CTranslate2 reads some of a model only
    when decoding, so a corrupt ``sentencepiece.model`` (or a vocabulary that does
    not fit the model) would otherwise surface mid-run, after catalogs were
    written. Everything that can fail is made to fail here, before any work.
    """
    package = load_argos_package(models_dir, info)
    tokenizer = getattr(package, "tokenizer", None)
    if tokenizer is None:
        raise ModelError("package has no sentencepiece.model or bpe.model", info.path)
    import ctranslate2

    try:
        translator = ctranslate2.Translator(
            str(info.path / "model"), device="cpu", inter_threads=workers, intra_threads=1
        )
    except (RuntimeError, ValueError, OSError) as exc:
        raise ModelError(f"cannot load CTranslate2 model: {_reason(exc)}", info.path) from None
    loaded = _Loaded(info, translator, tokenizer, str(package.target_prefix or ""))
    tokenizer_file = getattr(tokenizer, "model_file", None)
    tokenizer_name = Path(tokenizer_file).name if tokenizer_file else "tokenizer"
    try:
        tokens = _tokenize(loaded, _PROBE)
    except (RuntimeError, ValueError, OSError) as exc:
        raise ModelError(f"cannot load {tokenizer_name}: {_reason(exc)}", info.path) from None
    prefix = [[loaded.target_prefix]] if loaded.target_prefix else None
    try:
        [output] = translator.translate_batch(
            [tokens], target_prefix=prefix, beam_size=1, max_decoding_length=64
        )
        _detokenize(loaded, output.hypotheses[0], _PROBE)
    except (RuntimeError, ValueError, OSError, IndexError) as exc:
        raise ModelError(
            f"the package cannot translate a test sentence: {_reason(exc)}", info.path
        ) from None
    return loaded


class ArgosEngine:
    """Translate English units with installed Argos packages, fully offline."""

    name = "argos"

    def __init__(
        self,
        models_dir: Path,
        threads: int = 1,
        beam_size: int = 4,
        batch_size: int = DEFAULT_BATCH_SIZE,
        source: str = "en",
    ) -> None:
        if threads < 0 or beam_size < 1 or batch_size < 1:
            raise InputError(
                "Argos: threads must be 0 (all cores) or more, beam size and batch size at least 1"
            )
        self.models_dir = Path(models_dir)
        self.threads = threads
        self.workers = threads or os.cpu_count() or 1
        self.beam_size = beam_size
        self.batch_size = batch_size
        self.source = source
        self._loaded: dict[str, _Loaded] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_project(cls, project: Project, **options: Any) -> ArgosEngine:
        """An engine over the project's models directory and source language."""
        return cls(project.models_dir, source=project.source_language, **options)

    # -- models --------------------------------------------------------------------
    def model_info(self, locale: str) -> ModelInfo | None:
        """The installed package that would translate into ``locale``, if any."""
        loaded = self._loaded.get(locale)
        if loaded is not None:
            return loaded.info
        return find_model(self.models_dir, self.source, locale)

    def model_for(self, locale: str) -> str | None:
        """``argos:translate-en_de-1_9 1.9`` for the package in use, or None."""
        info = self.model_info(locale)
        if info is None:
            return None
        return f"argos:{info.name} {info.version}".rstrip()

    def prepare(self, locale: str) -> None:
        """Load the model for ``locale`` now (and translate a test sentence), so a broken
        package fails before any work."""
        self._load(locale)

    def _load(self, locale: str) -> _Loaded:
        with self._lock:
            loaded = self._loaded.get(locale)
            if loaded is not None:
                return loaded
            info = find_model(self.models_dir, self.source, locale)
            if info is None:
                raise MissingModel(locale, self.source, self.models_dir)
            try:
                loaded = load_package(self.models_dir, info, self.workers)
            except ModelError as exc:
                raise ModelError(
                    f"{exc.message}; the installed package is damaged: install its "
                    ".argosmodel again with `transflow models install --force FILE`",
                    exc.path,
                ) from None
            self._loaded[locale] = loaded
            return loaded

    def unload(self) -> None:
        """Forget loaded models (e.g. after ``models install --force``)."""
        with self._lock:
            self._loaded.clear()

    # -- translation -------------------------------------------------------------------
    def translate(self, texts: Sequence[str], locale: str) -> list[str]:
        """Translate ``texts`` into ``locale``; blank texts come back unchanged."""
        results = list(texts)
        todo = [i for i, text in enumerate(texts) if text.strip()]
        if not todo:
            return results
        loaded = self._load(locale)
        cores = list(dict.fromkeys(texts[i].strip() for i in todo))  # each distinct text once
        tokens = [_tokenize(loaded, text) for text in cores]
        longest = max(len(t) for t in tokens)
        prefix = [[loaded.target_prefix]] * len(tokens) if loaded.target_prefix else None
        # Enough sub-batches for every worker, none larger than batch_size.
        per_batch = min(self.batch_size, math.ceil(len(tokens) / self.workers))
        try:
            outputs = loaded.translator.translate_batch(
                tokens,
                target_prefix=prefix,
                max_batch_size=per_batch,
                batch_type="examples",
                beam_size=self.beam_size,
                length_penalty=_ARGOS_LENGTH_PENALTY,
                replace_unknowns=True,
                max_decoding_length=min(1024, max(256, 2 * longest + 16)),
            )
            translated = {
                core: _detokenize(loaded, output.hypotheses[0], core)
                for core, output in zip(cores, outputs, strict=True)
            }
        except (RuntimeError, ValueError, IndexError) as exc:  # loaded fine, failed on this text
            raise ModelError(f"translation failed: {_reason(exc)}", loaded.info.path) from None
        for i in todo:
            text = texts[i]
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()) :]
            results[i] = lead + translated[text.strip()] + trail
        return results
