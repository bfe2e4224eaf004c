"""The Argos engine on a real (tiny, copying) Argos package: batching, threads, offline."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from transflow.errors import EngineError
from transflow.models import install_model
from transflow.mt.argos import ArgosEngine
from transflow.mt.base import Engine, MissingModel

REPO = Path(__file__).resolve().parents[1]


def appeal_sentences() -> list[str]:
    """Sentences of the real appeals in the repository's source/."""
    paths = sorted((REPO / "source").glob("*.md"))
    text = "\n".join(p.read_text(encoding="utf-8") for p in paths)
    sentences = [s.strip() for line in text.splitlines() for s in re.split(r"(?<=[.!?])\s+", line)]
    return [s for s in sentences if s]


NON_ASCII = [
    "ASİMKOM – Coordination Center of Azerbaijani Political Refugees.",
    "İlham Əliyev, Əli Kərimli and “Meydan TV” – «Abzas Media» …",
    "Ильхам Алиев и Али Керимли встретились в Страсбурге.",
    "Straße, Ærø, Œuvre, naïve café; 漢字 🙂 and a_snake_case name.",
]


class Spy:
    """Wraps ``ctranslate2.Translator`` to record how the engine calls it."""

    def __init__(self) -> None:
        self.created: list[dict[str, Any]] = []
        self.batches: list[dict[str, Any]] = []

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import ctranslate2

        real = ctranslate2.Translator
        spy = self

        class Recording:
            def __init__(self, path: str, **kwargs: Any) -> None:
                spy.created.append({"path": path, **kwargs})
                self._real = real(path, **kwargs)

            def translate_batch(self, source: list[list[str]], **kwargs: Any) -> Any:
                spy.batches.append({"size": len(source), **kwargs})
                return self._real.translate_batch(source, **kwargs)

        monkeypatch.setattr(ctranslate2, "Translator", Recording)


def test_copy_model_returns_the_appeals_exactly(installed_models: Path) -> None:
    engine = ArgosEngine(installed_models)
    sentences = appeal_sentences() + NON_ASCII
    assert engine.translate(sentences, "de") == sentences
    assert engine.translate(NON_ASCII, "ru") == NON_ASCII


def test_model_builds_are_byte_identical(tmp_path: Path) -> None:
    from argos_model import build_argos_model

    first = build_argos_model(tmp_path / "a", "en", "ru")
    second = build_argos_model(tmp_path / "b", "en", "ru")
    assert first.name == "translate-en_ru-1_9.argosmodel"
    assert first.read_bytes() == second.read_bytes()


def test_batches_many_units_per_call_and_passes_threads(
    installed_models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = Spy()
    spy.install(monkeypatch)
    engine = ArgosEngine(installed_models, threads=2, beam_size=2, batch_size=5)
    texts = [f"Appeal number {i} to the Council of Europe." for i in range(12)]
    assert engine.translate(texts, "de") == texts
    assert engine.translate(texts[:3], "de") == texts[:3]
    assert len(spy.created) == 1  # loaded once, cached for the locale
    created = spy.created[0]
    assert created["path"].endswith("translate-en_de-1_9/model")
    # threads are CTranslate2 workers, each decoding its own sub-batch on one core
    assert (created["device"], created["inter_threads"], created["intra_threads"]) == ("cpu", 2, 1)
    probe, first, second = spy.batches
    assert probe["size"] == 1  # the test sentence every package translates when loaded
    assert first["size"] == 12  # all units in one call; CTranslate2 splits them
    assert (first["max_batch_size"], first["batch_type"]) == (5, "examples")
    assert first["beam_size"] == 2 and first["replace_unknowns"] is True
    assert second["max_batch_size"] == 2  # 3 units: split so both workers get some


def test_identical_units_are_translated_once(
    installed_models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = Spy()
    spy.install(monkeypatch)
    engine = ArgosEngine(installed_models)
    texts = ["Dear Minister,", " Dear Minister,\n", "Sincerely", "Dear Minister,", ""]
    assert engine.translate(texts, "de") == texts
    assert spy.batches[1]["size"] == 2  # after the load's test sentence
    assert ArgosEngine(installed_models, threads=0).workers == (os.cpu_count() or 1)


def test_blank_units_and_surrounding_space_are_kept(installed_models: Path) -> None:
    engine = ArgosEngine(installed_models)
    texts = ["", "   ", "  Dear Minister,\n", "Sincerely"]
    assert engine.translate(texts, "de") == texts
    assert engine.translate([], "de") == []


def test_missing_model_says_what_to_install(installed_models: Path) -> None:
    engine = ArgosEngine(installed_models)
    assert engine.model_for("de") == "argos:translate-en_de-1_9 1.9"
    assert engine.model_for("fr") is None
    with pytest.raises(MissingModel) as caught:
        engine.translate(["Hello."], "fr")
    message = str(caught.value)
    assert isinstance(caught.value, EngineError)
    assert message.startswith("no Argos model for en→fr")
    assert "`transflow models install translate-en_fr-1_9.argosmodel`" in message
    assert "networked machine" in message and "\n" not in message
    assert engine.translate([""], "fr") == [""]  # nothing to translate, nothing to load


def test_engines_satisfy_the_protocol(installed_models: Path) -> None:
    from transflow.mt.controlled import ControlledEngine

    assert isinstance(ArgosEngine(installed_models), Engine)
    assert isinstance(ControlledEngine(), Engine)


def test_target_prefix_is_sent_and_stripped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sentencepiece

    from argos_model import build_argos_model

    text = "Dear Minister, we appeal to you."
    archive = build_argos_model(tmp_path, "en", "de", target_prefix="PLACEHOLDER")
    models = tmp_path / "models"
    install_model(models, archive, ["de"])
    package = models / "translate-en_de-1_9"
    sp = sentencepiece.SentencePieceProcessor(model_file=str(package / "sentencepiece.model"))
    first = sp.encode(text, out_type=str)[0]  # the copy model echoes it in the prefix's place
    meta = package / "metadata.json"
    meta.write_text(meta.read_text().replace("PLACEHOLDER", first), encoding="utf-8")
    spy = Spy()
    spy.install(monkeypatch)
    out = ArgosEngine(models).translate([text], "de")
    assert spy.batches[0]["target_prefix"] == [[first]]
    # the copy model echoes the rest; the prefix token itself is not in the output
    assert out == [text[len(first.lstrip("▁")) :].lstrip()]
    assert out[0].endswith("Minister, we appeal to you.") and not out[0].startswith("Dear")


def test_translates_with_the_network_blocked(
    models_dir: Path, argos_packages: dict[str, Path], block_network: list[str]
) -> None:
    install_model(models_dir, argos_packages["ru"], ["ru"])
    engine = ArgosEngine(models_dir)
    texts = appeal_sentences()[:10]
    assert engine.translate(texts, "ru") == texts
    assert block_network == []
    assert "argostranslate.translate" not in sys.modules
    assert "torch" not in sys.modules


def test_guard_really_blocks(block_network: list[str]) -> None:
    import socket

    with pytest.raises(OSError, match="blocked"):
        socket.create_connection(("example.org", 80), timeout=1)
    assert block_network


def _run(code: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


HEAVY = ("ctranslate2", "sentencepiece", "argostranslate", "numpy", "torch")


def test_help_and_import_do_not_load_ctranslate2() -> None:
    out = _run(
        "import sys, contextlib, io\n"
        "import transflow.mt.argos, transflow.mt.protect, transflow.models\n"
        "from transflow.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['models', '--help'])\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    assert out == "[]"


def test_loading_writes_nothing_outside_the_models_dir(
    installed_models: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "XDG_DATA_HOME": "", "XDG_CONFIG_HOME": "", "XDG_CACHE_HOME": ""}
    env = {k: v for k, v in env.items()}
    out = _run(
        "import os, sys\n"
        "for k in ('XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME'): os.environ.pop(k)\n"
        "from pathlib import Path\n"
        "from transflow.mt.argos import ArgosEngine\n"
        f"e = ArgosEngine(Path({str(installed_models)!r}))\n"
        "print(e.translate(['Dear Minister,'], 'de'))\n"
        "print('XDG_DATA_HOME' in os.environ, 'ARGOS_PACKAGES_DIR' in os.environ)\n",
        env=env,
    )
    assert out.splitlines() == ["['Dear Minister,']", "False False"]
    assert list(home.rglob("*")) == []
