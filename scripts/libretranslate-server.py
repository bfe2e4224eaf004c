"""Run a real LibreTranslate server that cannot reach the network, on given Argos models.

Why: transflow's tests (and anyone trying the LibreTranslate engine locally)
need a real server, but LibreTranslate and Argos download things on their own
(package index, MiniSBD sentence splitters, models at boot). This launcher runs
inside the LibreTranslate virtualenv (``scripts/libretranslate-env.sh``) and,
before LibreTranslate is imported:

* points every Argos/XDG directory at ``--home`` so nothing outside is read or written;
* writes ``[]`` as the local package index, so Argos never fetches one;
* installs the ``--model`` packages, and gives each package without a sentence
  splitter a 610-byte MiniSBD model (split after ``. ! ?``), so the first
  translation does not download one from GitHub;
* adds ``--api-key`` keys to a fresh API key database (and turns keys on);
* with ``--guard`` (the default), refuses every connection and DNS look-up that
  is not to the loopback interface and reports it on stderr as
  ``transflow-guard: blocked ...``, so a test can prove nothing was attempted.

Usage (with the LibreTranslate venv's python)::

    python scripts/libretranslate-server.py --home DIR --port 5000 \\
        --model en_de.argosmodel --model de_en.argosmodel [--api-key KEY] \\
        [-- extra libretranslate options]

LibreTranslate only loads models at boot when fewer than two are installed: give
it at least two (e.g. en→de and de→en) so it never tries to download any.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import socket
import struct
import sys
import zipfile
from pathlib import Path
from typing import Any

__all__ = ["main", "minisbd_model"]

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


# -- a tiny MiniSBD model (ONNX, hand-encoded protobuf: no onnx package needed) ----------------
def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | 0x80 if n else byte)
        if not n:
            return bytes(out)


def _field(number: int, value: int | str | bytes) -> bytes:
    if isinstance(value, int):
        return _varint(number << 3) + _varint(value)
    data = value.encode("utf-8") if isinstance(value, str) else value
    return _varint(number << 3 | 2) + _varint(len(data)) + data


def _value_info(name: str, elem_type: int, dims: list[int | str]) -> bytes:
    shape = b"".join(_field(1, _field(2, d) if isinstance(d, str) else _field(1, d)) for d in dims)
    tensor_type = _field(1, elem_type) + _field(2, shape)
    return _field(1, name) + _field(2, _field(1, tensor_type))


def minisbd_model(split_after: str = ".!?") -> bytes:
    """An ONNX MiniSBD model: every character ends a token; ``split_after`` ends a sentence.

    The graph is one Gather from a per-character logits table; the metadata holds
    the config and vocabulary MiniSBD reads (see ``minisbd/inference.py``).
    """
    vocab = ["<PAD>", "<UNK>", *split_after]
    rows = [[9.0, 0, 0, 0, 0], [0, 9.0, 0, 0, 0]] + [[0, 0, 9.0, 0, 0]] * len(split_after)
    values = [float(v) for row in rows for v in row]
    table = (
        _field(1, len(rows))
        + _field(1, 5)
        + _field(2, 1)  # FLOAT
        + _field(8, "table")
        + _field(9, struct.pack(f"<{len(values)}f", *values))
    )
    node = (
        _field(1, "table")
        + _field(1, "units")
        + _field(2, "logits")
        + _field(3, "gather")
        + _field(4, "Gather")
    )
    graph = (
        _field(1, node)
        + _field(2, "transflow-test-sbd")
        + _field(5, table)
        + _field(11, _value_info("units", 7, ["batch", "length"]))  # INT64
        + _field(11, _value_info("features", 1, ["batch", "length", 1]))
        + _field(12, _value_info("logits", 1, ["batch", "length", 5]))
    )
    config = {"feat_funcs": ["space_before"], "batch_size": 32, "max_seqlen": 1000}
    state = {
        "lang": "",
        "idx": 0,
        "cutoff": 0,
        "lower": False,
        "_id2unit": vocab,
        "_unit2id": {unit: i for i, unit in enumerate(vocab)},
    }
    metadata = {
        "lang_code": "xx",
        "config": json.dumps(config),
        "vocab": json.dumps(state),
        "lexicon": "null",
    }
    model = (
        _field(1, 8)  # ir_version
        + _field(2, "transflow")
        + _field(7, graph)
        + _field(8, _field(1, "") + _field(2, 13))  # opset 13
    )
    for key, value in metadata.items():
        model += _field(14, _field(1, key) + _field(2, value))
    return model


# -- network guard -------------------------------------------------------------------------------
def _is_loopback(host: Any) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host).strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def install_guard() -> None:
    """Refuse and report any connection or DNS look-up leaving the machine."""

    def blocked(what: str) -> OSError:
        print(f"transflow-guard: blocked {what}", file=sys.stderr, flush=True)
        return OSError(101, f"network disabled by transflow test guard ({what})")

    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            raise blocked(f"connect to {address!r}")
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            raise blocked(f"connect to {address!r}")
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _is_loopback(host):
            raise socket.gaierror(socket.EAI_NONAME, str(blocked(f"DNS look-up of {host!r}")))
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo


# -- isolation and models ------------------------------------------------------------------------
def isolate(home: Path) -> Path:
    """Point Argos, XDG and LibreTranslate state at ``home``; return the packages dir."""
    packages = home / "packages"
    for sub in ("data", "config", "cache", "packages", "db"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    os.environ.update(
        {
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "ARGOS_PACKAGES_DIR": str(packages),
            "ARGOS_PACKAGE_INDEX": "http://127.0.0.1:9/",  # never used; loopback if it were
            "ARGOS_MODEL_PROVIDER": "OPENNMT",
            "ARGOS_CHUNK_TYPE": "MINISBD",
            "ARGOS_DEVICE_TYPE": "cpu",
            "ARGOS_INTRA_THREADS": os.environ.get("ARGOS_INTRA_THREADS", "1"),
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
        }
    )
    index = home / "data" / "argos-translate" / "index.json"
    index.parent.mkdir(parents=True, exist_ok=True)
    if not index.exists():
        index.write_text("[]\n", encoding="utf-8")
    return packages


def install_models(models: list[Path], packages: Path) -> list[str]:
    """Unpack ``.argosmodel`` files into ``packages``; add a MiniSBD model where none is."""
    names = []
    for model in models:
        with zipfile.ZipFile(model) as archive:
            tops = {name.split("/", 1)[0] for name in archive.namelist() if name.strip("/")}
            if len(tops) != 1:
                raise SystemExit(f"{model}: expected one top-level folder, found {sorted(tops)}")
            archive.extractall(packages)
        names.append(tops.pop())
    for package in sorted(p for p in packages.iterdir() if p.is_dir()):
        if not any((package / sbd).exists() for sbd in ("minisbd", "stanza", "spacy")):
            (package / "minisbd").mkdir()
            (package / "minisbd" / "transflow-test.onnx").write_bytes(minisbd_model())
    return names


def add_api_keys(db_path: Path, keys: list[str]) -> None:
    from libretranslate.api_keys import Database

    database = Database(str(db_path))
    for key in keys:
        database.add(1000, key)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1 :]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, required=True, help="state directory (isolated)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--model", type=Path, action="append", default=[], help=".argosmodel")
    parser.add_argument("--load-only", default=None, help="language codes (default: the models')")
    parser.add_argument("--api-key", action="append", default=[], help="accepted API key")
    parser.add_argument("--no-guard", dest="guard", action="store_false")
    args = parser.parse_args(argv)

    home = args.home.resolve()
    packages = isolate(home)
    if args.guard:
        install_guard()
    install_models([m.resolve() for m in args.model], packages)
    os.chdir(home)

    codes = args.load_only
    if codes is None:
        found: set[str] = set()
        for meta in packages.glob("*/metadata.json"):
            data = json.loads(meta.read_text(encoding="utf-8"))
            found.update({data["from_code"], data["to_code"]})
        codes = ",".join(sorted(found))
    lt_args = [
        "--host",
        args.host,
        "--port",
        str(args.port),
        "--load-only",
        codes,
        "--threads",
        "2",
        "--disable-web-ui",
        "--disable-files-translation",
    ]
    if args.api_key:
        db_path = home / "db" / "api_keys.db"
        add_api_keys(db_path, args.api_key)
        lt_args += ["--api-keys", "--api-keys-db-path", str(db_path)]

    from libretranslate.main import main as libretranslate_main

    sys.argv = ["libretranslate", *lt_args, *extra]
    print(f"transflow: starting LibreTranslate {' '.join(sys.argv[1:])}", file=sys.stderr)
    libretranslate_main()


if __name__ == "__main__":
    main()
