"""Benchmark: the Argos engine against raw CTranslate2 and against Argos's per-sentence path.

The engine should cost almost nothing on top of CTranslate2 (target: at least
0.9x raw ``translate_batch`` on pre-tokenised input) and be much faster than
translating one sentence at a time the way ``argostranslate.translate`` does
(target: at least 5x). All three run the same tiny copy model built by
``tests/argos_model.py`` on sentences of the real appeals, with the same beam
size and one CPU thread, in this process.

The Argos baseline needs the full argostranslate (torch, stanza, ...), which
``make bench`` installs; without it that row is skipped with the reason. It
calls Argos's ``apply_packaged_translation`` per sentence, with a one-sentence
splitter in place of MiniSBD (whose first use downloads a model): that is
Argos's own tokenising, token-counted batching and decoding, minus sentence
splitting, so the baseline is, if anything, flattered.

    python bench/bench_mt.py [--quick]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from argos_model import build_argos_model  # noqa: E402
from transflow.models import install_model  # noqa: E402
from transflow.mt.argos import ArgosEngine  # noqa: E402

SEED = Path("/work/shared/seed/asimkom-bonn-conference-2025.txt")
BEAM = 4
BATCH = 32


def appeal_sentences(count: int) -> list[str]:
    """``count`` sentences of the real appeals, repeated as needed."""
    if SEED.is_file():
        text = SEED.read_text(encoding="utf-8")
    else:
        text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("source/*.md")))
    found = [s.strip() for line in text.splitlines() for s in re.split(r"(?<=[.!?])\s+", line)]
    found = [s for s in found if s and not s.startswith(("*", "\\", "#"))]
    return [found[i % len(found)] for i in range(count)]


def best_rate(run: Callable[[], list[str]], units: int, repeats: int) -> tuple[float, list[str]]:
    """Best units/second over ``repeats`` runs, and the last output."""
    best = 0.0
    out: list[str] = []
    for _ in range(repeats):
        start = time.perf_counter()
        out = run()
        best = max(best, units / (time.perf_counter() - start))
    return best, out


class _OneSentence:
    """A sentence splitter that leaves its input whole (transflow has already segmented)."""

    def split_sentences(self, text: str) -> list[str]:
        return [text]


def argos_per_sentence(package_dir: Path, threads: int) -> Callable[[list[str]], list[str]] | str:
    """Argos's own per-sentence translation, or the reason it cannot run here."""
    try:
        import argostranslate.package as argos_package
        import argostranslate.translate as argos_translate
    except Exception as exc:  # torch/stanza/minisbd missing: the usual case in .venv
        return f"{type(exc).__name__}: {exc}"
    import ctranslate2

    package = argos_package.Package(package_dir)
    translator = ctranslate2.Translator(
        str(package_dir / "model"), device="cpu", inter_threads=1, intra_threads=threads
    )
    splitter: Any = _OneSentence()

    def run(sentences: list[str]) -> list[str]:
        return [
            argos_translate.apply_packaged_translation(package, s, translator, splitter, 1)[0].value
            for s in sentences
        ]

    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, finishes in seconds")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    count = 100 if args.quick else 1000
    repeats = 2 if args.quick else 3
    sentences = appeal_sentences(count)

    with tempfile.TemporaryDirectory(prefix="bench-mt-") as tmp:
        started = time.perf_counter()
        archive = build_argos_model(Path(tmp), "en", "de")
        built = time.perf_counter() - started
        models = Path(tmp) / "models"
        info = install_model(models, archive, ["de"])
        print(
            f"{count} appeal sentences, tiny copy model ({info.size_bytes // 1024} KB, "
            f"built in {built:.2f} s), beam {BEAM}, {args.threads} thread(s)"
        )

        engine = ArgosEngine(models, threads=args.threads, beam_size=BEAM, batch_size=BATCH)
        engine.translate(sentences[:8], "de")  # load the model outside the timing

        import ctranslate2
        import sentencepiece

        sp = sentencepiece.SentencePieceProcessor(model_file=str(info.path / "sentencepiece.model"))
        tokens = [sp.encode(s, out_type=str) for s in sentences]
        raw = ctranslate2.Translator(
            str(info.path / "model"), device="cpu", inter_threads=1, intra_threads=args.threads
        )

        def run_raw() -> list[str]:
            results = raw.translate_batch(
                tokens,
                max_batch_size=BATCH,
                batch_type="examples",
                beam_size=BEAM,
                length_penalty=0.2,
                replace_unknowns=True,
            )
            return [" ".join(r.hypotheses[0]) for r in results]

        # Interleave the two so load from other processes hits both alike.
        engine_rate = raw_rate = 0.0
        engine_out: list[str] = []
        for _ in range(repeats):
            rate, engine_out = best_rate(lambda: engine.translate(sentences, "de"), count, 1)
            engine_rate = max(engine_rate, rate)
            raw_rate = max(raw_rate, best_rate(run_raw, count, 1)[0])

        rows = [
            ("ArgosEngine.translate (transflow)", engine_rate),
            ("ctranslate2 translate_batch, pre-tokenised", raw_rate),
        ]
        argos_rates: list[tuple[str, float]] = []
        for threads, label in ((args.threads, f"{args.threads} thread(s)"), (0, "its default")):
            argos = argos_per_sentence(info.path, threads)
            if isinstance(argos, str):
                print(f"argostranslate per-sentence baseline skipped: {argos}")
                break
            # one run: these are slow, and far from the engine's rate
            rate, argos_out = best_rate(lambda argos=argos: argos(sentences), count, 1)
            name = f"argostranslate, one sentence per call, {label}"
            if threads == 0:
                name += " intra_threads=0"
            rows.append((name, rate))
            argos_rates.append((label, rate))
            if argos_out != sentences:
                print("warning: Argos's output differs from its input on the copy model")

    width = max(len(name) for name, _ in rows)
    for name, rate in rows:
        print(f"  {name:<{width}}  {rate:8.1f} units/s")
    ok = engine_out == sentences
    print(f"engine output equals input (copy model): {ok}")
    ratio = engine_rate / raw_rate
    print(f"engine / raw ctranslate2: {ratio:.2f}x (target >= 0.9x)")
    for label, rate in argos_rates:
        speedup = engine_rate / rate
        print(f"engine / argostranslate per sentence ({label}): {speedup:.1f}x (target >= 5x)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
