"""Build a tiny but real Argos Translate package whose model copies its input.

Tests and benchmarks need an ``.argosmodel`` that loads through the same code
as a downloaded one (zip layout, ``metadata.json``, a CTranslate2 model, a
SentencePiece model) without shipping 100 MB of weights or training anything.
The CTranslate2 Transformer built here has its weights set directly from numpy
so that the decoder copies the source:

* the model dimension is split in two: a *token* half (each vocabulary entry
  gets a zero-sum ±1 vector) and a *position* half (learned positions, also
  zero-sum ±1 vectors, so layer norms leave both halves alone);
* encoder and decoder self-attention and feed-forward blocks are zeroed, so
  the encoder output at position ``p`` is ``token(x_p) ‖ position(p)``;
* the decoder embeds only its position; its cross-attention matches positions
  (query and key read the position half, scaled to make attention one-hot)
  and its value reads the token half, so step ``t`` sees ``token(x_t)``;
* the output projection is the token table, so ``x_t`` wins by a wide margin;
  ``add_source_eos`` puts ``</s>`` at the end of the source, which is copied
  too and stops decoding.

The default shape is tiny (one layer, one head, d_model 96: ~680 KB, fast
tests). ``ARGOS_SIZED`` builds the same copying wiring at the size of a real
Argos package (6+6 layers, 8 heads, d_model 512, feed-forward 2048, a 32,000
entry vocabulary: ~90 MB int8, a few seconds to build) with small random
weights in every block that does not copy, so CTranslate2 does the work of a
real model while the output still equals the input. It is for the benchmarks
only: tests keep the tiny default.

SentencePiece is trained in memory on a few KB of text with identity
normalisation and byte fallback, so any character (Ə, İ, Cyrillic,
typographic quotes, emoji) round-trips exactly. Builds are deterministic
(fixed seed, one training thread) and take well under a second.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "ARGOS_SIZED",
    "LANGUAGE_NAMES",
    "TINY",
    "TRAINING_TEXT",
    "ModelShape",
    "build_argos_model",
    "build_model_dir",
    "package_name",
]

LANGUAGE_NAMES = {
    "en": "English",
    "de": "German",
    "ru": "Russian",
    "fr": "French",
    "az": "Azerbaijani",
}

# A few KB of appeal-like English (plus the letters of the project's languages) to
# train the tokenizer on; what is not covered falls back to bytes and still copies.
TRAINING_TEXT = """\
The Coordination Center of Azerbaijani Political Refugees held its conference in Bonn, Germany.
During the conference, appeals to several official European institutions were submitted.
These appeals are now being published on our website.
Dear Minister, we are reaching out to you on behalf of political refugees living in Europe.
In Azerbaijan, the regime, which holds absolute power, has abolished democratic institutions.
The Constitution and national legislation have been tailored to serve the interests of the family.
Political activists, journalists and human rights defenders are arrested and imprisoned.
We believe that the Republic of Azerbaijan must respect fundamental human rights.
The European Convention on Human Rights guarantees freedom of expression and assembly.
Independent media have been closed and their journalists have been sentenced to prison.
We ask the European Union and the Council of Europe to impose targeted sanctions.
Support the release of all political prisoners and the return of the refugees.
The elections are not free and fair, according to international observers.
The authorities have failed to fulfil their obligations to the Council of Europe.
Political refugees who were deported from Germany to Baku have been arrested.
We call on the Federal Government to stop deportations to Azerbaijan.
The opposition leader has not been issued a national passport since 2006.
Our organisation is a political platform established by activists and public figures.
We thank you for your attention and hope for your support. Sincerely, the Board.
President, Parliament, Commission, Committee of Ministers, Parliamentary Assembly.
October 25, 2025. Article 10. No. 3. Dr. Mr. Mrs. Ms. e.g. i.e. approx.
Ilham Aliyev, Ali Karimli, Meydan TV, Abzas Media, Toplum TV, Bonn, Berlin, Strasbourg.
“quoted” ‘single’ «guillemets» – — … 0123456789 ( ) [ ] , ; : ! ? % & / @ # *
ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz
ÄÖÜäöüß ÀÂÆÇÉÈÊËÎÏÔŒÙÛÜŸàâæçéèêëîïôœùûüÿ ƏəİıĞğŞşÇçÖöÜü
АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ абвгдеёжзийклмнопрстуфхцчшщъыьэюя
Ильхам Алиев, Али Керимли, Совет Европы, Европейский союз, политические заключённые.
İlham Əliyev, Əli Kərimli, Avropa Şurası, siyasi məhbuslar, insan hüquqları.
"""

_SEED = 20251025
_MAX_POSITIONS = 1024  # CTranslate2 truncates inputs at 1,024 tokens by default
_QUERY_SCALE = 20.0  # makes cross-attention one-hot on the matching position
_OUTPUT_SCALE = 4.0  # makes the copied token win the softmax by a wide margin


@dataclass(frozen=True)
class ModelShape:
    """Sizes of the copy model; d_model is ``token_dim + position_dim``."""

    layers: int = 1  # encoder layers, and as many decoder layers
    heads: int = 1  # the model dimension must split evenly; position_dim <= head size
    token_dim: int = 64  # the part of the model dimension that carries the token
    position_dim: int = 32  # the part that carries the position
    ffn_dim: int = 8
    vocab_size: int = 0  # 0: the SentencePiece vocabulary; more: padded with unused entries
    noise: float = 0.0  # std of the random weights in blocks that do not copy (0: zeros)
    tokenizer_vocab: int = 700  # SentencePiece pieces to aim for (fewer if the text is short)

    @property
    def dim(self) -> int:
        return self.token_dim + self.position_dim


TINY = ModelShape()
"""The test model: one layer, one head, d_model 96, ~680 KB, built in well under a second."""

ARGOS_SIZED = ModelShape(
    layers=6,
    heads=8,
    token_dim=448,
    position_dim=64,
    ffn_dim=2048,
    vocab_size=32000,
    noise=0.01,
    tokenizer_vocab=4000,
)
"""A Transformer-base the size of a real Argos package (~90 MB int8): benchmarks only.

Train its tokenizer on more text than ``TRAINING_TEXT`` (``training_text=``) so that
sentences split into about as many pieces as with a real package's 32k vocabulary."""


def _zero_sum_signs(rng: np.random.Generator, rows: int, dim: int) -> np.ndarray:
    """``rows`` random ±1 vectors of even length ``dim``, each summing to exactly zero."""
    half = dim // 2
    out = np.empty((rows, dim), dtype=np.float32)
    base = np.array([1.0] * half + [-1.0] * (dim - half), dtype=np.float32)
    for i in range(rows):
        out[i] = rng.permutation(base)
    return out


def _train_sentencepiece(text: str, vocab_size: int = 700) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter([line for line in text.splitlines() if line.strip()]),
        model_writer=model,
        model_type="unigram",
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        normalization_rule_name="identity",
        byte_fallback=True,
        character_coverage=1.0,
        num_threads=1,
        minloglevel=2,
    )
    return model.getvalue()


def _vocabulary(sp_model: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=sp_model)
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    assert pieces[:3] == ["<unk>", "<s>", "</s>"], pieces[:3]
    return pieces


def _save_copy_model(vocab: list[str], out_dir: Path, shape: ModelShape = TINY) -> None:
    """Save a CTranslate2 Transformer whose output equals its input to ``out_dir``."""
    from ctranslate2.specs import TransformerSpec

    rng = np.random.default_rng(_SEED)
    tdim, pdim, dim = shape.token_dim, shape.position_dim, shape.dim
    head = dim // shape.heads
    if head * shape.heads != dim or pdim > head:
        raise ValueError(f"{shape}: heads must split d_model, and position_dim fit in a head")
    unused = max(0, shape.vocab_size - len(vocab))
    vocab = vocab + [f"<unused{i}>" for i in range(unused)]
    size = len(vocab)
    tokens = _zero_sum_signs(rng, size, tdim)
    positions = np.zeros((_MAX_POSITIONS, dim), dtype=np.float32)
    positions[:, tdim:] = _zero_sum_signs(rng, _MAX_POSITIONS, pdim)

    def weights(rows: int, cols: int) -> np.ndarray:
        """Zeros, or small random weights for a block that should not disturb the copy."""
        if not shape.noise:
            return np.zeros((rows, cols), dtype=np.float32)
        return rng.normal(0.0, shape.noise, (rows, cols)).astype(np.float32)

    def norm(layer: object) -> None:
        layer.gamma = np.ones(dim, dtype=np.float32)  # type: ignore[attr-defined]
        layer.beta = np.zeros(dim, dtype=np.float32)  # type: ignore[attr-defined]

    def linear(layer: object, rows: int, cols: int, weight: np.ndarray | None = None) -> None:
        layer.weight = weights(rows, cols) if weight is None else weight  # type: ignore[attr-defined]
        layer.bias = np.zeros(rows, dtype=np.float32)  # type: ignore[attr-defined]

    def attention(block: object, inputs: int) -> None:
        """An attention block that adds (almost) nothing: ``inputs`` is 3 (self) or 2 (cross)."""
        norm(block.layer_norm)  # type: ignore[attr-defined]
        if inputs == 3:
            linear(block.linear[0], 3 * dim, dim)  # type: ignore[attr-defined]
        else:
            linear(block.linear[0], dim, dim)  # type: ignore[attr-defined]
            linear(block.linear[1], 2 * dim, dim)  # type: ignore[attr-defined]
        linear(block.linear[-1], dim, dim)  # type: ignore[attr-defined]

    def silence(layer: object) -> None:
        """A layer's self-attention and feed-forward blocks: they add (almost) nothing."""
        attention(layer.self_attention, 3)  # type: ignore[attr-defined]
        ffn = layer.ffn  # type: ignore[attr-defined]
        norm(ffn.layer_norm)
        linear(ffn.linear_0, shape.ffn_dim, dim)
        linear(ffn.linear_1, dim, shape.ffn_dim)

    spec = TransformerSpec.from_config(shape.layers, shape.heads)
    encoder, decoder = spec.encoder, spec.decoder

    source_embeddings = np.zeros((size, dim), dtype=np.float32)
    source_embeddings[:, :tdim] = tokens
    encoder.embeddings[0].weight = source_embeddings
    encoder.scale_embeddings = False
    encoder.position_encodings.encodings = positions.copy()
    norm(encoder.layer_norm)
    for layer in encoder.layer:
        silence(layer)

    decoder.embeddings.weight = np.zeros((size, dim), dtype=np.float32)
    decoder.scale_embeddings = False
    decoder.position_encodings.encodings = positions.copy()
    norm(decoder.layer_norm)
    for layer in decoder.layer:
        silence(layer)
    for layer in decoder.layer[1:]:
        attention(layer.attention, 2)
    # The first decoder layer copies: in every head, the query and key read the
    # position part (the same block, so all heads attend alike), the value the token.
    cross = decoder.layer[0].attention
    norm(cross.layer_norm)
    query = np.zeros((dim, dim), dtype=np.float32)
    key_value = np.zeros((2 * dim, dim), dtype=np.float32)
    for h in range(shape.heads):
        at = h * head + head - pdim
        query[at : at + pdim, tdim:] = _QUERY_SCALE * np.eye(pdim, dtype=np.float32)
        key_value[at : at + pdim, tdim:] = np.eye(pdim, dtype=np.float32)  # keys: positions
    key_value[dim : dim + tdim, :tdim] = np.eye(tdim, dtype=np.float32)  # values: tokens
    output = np.zeros((dim, dim), dtype=np.float32)
    output[:tdim, :tdim] = np.eye(tdim, dtype=np.float32)
    linear(cross.linear[0], dim, dim, query)
    linear(cross.linear[1], 2 * dim, dim, key_value)
    linear(cross.linear[2], dim, dim, output)
    projection = np.zeros((size, dim), dtype=np.float32)
    projection[:, :tdim] = _OUTPUT_SCALE * tokens
    linear(decoder.projection, size, dim, projection)

    spec.config.add_source_eos = True
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.optimize("int8")
    out_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(out_dir))


def build_model_dir(
    package_dir: Path,
    from_code: str = "en",
    to_code: str = "de",
    *,
    package_version: str = "1.9",
    target_prefix: str | None = None,
    shape: ModelShape = TINY,
    training_text: str = TRAINING_TEXT,
) -> Path:
    """Write an unpacked Argos package (metadata, model/, tokenizer) to ``package_dir``."""
    sp_model = _train_sentencepiece(training_text, shape.tokenizer_vocab)
    _save_copy_model(_vocabulary(sp_model), package_dir / "model", shape)
    (package_dir / "sentencepiece.model").write_bytes(sp_model)
    metadata: dict[str, object] = {
        "package_version": package_version,
        "argos_version": "1.9",
        "from_code": from_code,
        "from_name": LANGUAGE_NAMES.get(from_code, from_code),
        "to_code": to_code,
        "to_name": LANGUAGE_NAMES.get(to_code, to_code),
        "type": "translate",
        "links": [],
    }
    if target_prefix is not None:
        metadata["target_prefix"] = target_prefix
    (package_dir / "metadata.json").write_text(
        json.dumps(metadata, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (package_dir / "README.md").write_text(
        f"Test package: copies its {from_code} input to {to_code} unchanged.\n", encoding="utf-8"
    )
    return package_dir


def package_name(from_code: str, to_code: str, version: str = "1.9") -> str:
    """Argos's naming: ``translate-en_de-1_9``."""
    return f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"


def build_argos_model(
    dest_dir: Path,
    from_code: str = "en",
    to_code: str = "de",
    *,
    package_version: str = "1.9",
    target_prefix: str | None = None,
    shape: ModelShape = TINY,
    training_text: str = TRAINING_TEXT,
) -> Path:
    """Build ``dest_dir/translate-<from>_<to>-<version>.argosmodel`` and return its path.

    Entries sit under one top-level folder, as in packages from the Argos index;
    zip timestamps are fixed so identical inputs give byte-identical archives.
    """
    name = package_name(from_code, to_code, package_version)
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    archive = dest_dir / f"{name}.argosmodel"
    with tempfile.TemporaryDirectory(prefix="argos-model-") as tmp:
        root = build_model_dir(
            Path(tmp) / name,
            from_code,
            to_code,
            package_version=package_version,
            target_prefix=target_prefix,
            shape=shape,
            training_text=training_text,
        )
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(root.rglob("*")):
                arcname = f"{name}/{path.relative_to(root).as_posix()}"
                if path.is_dir():
                    info = zipfile.ZipInfo(arcname + "/", date_time=(2025, 10, 25, 0, 0, 0))
                    info.external_attr = 0o40755 << 16
                    zf.writestr(info, b"")
                else:
                    info = zipfile.ZipInfo(arcname, date_time=(2025, 10, 25, 0, 0, 0))
                    info.external_attr = 0o644 << 16
                    info.compress_type = zipfile.ZIP_DEFLATED
                    zf.writestr(info, path.read_bytes())
    return archive
