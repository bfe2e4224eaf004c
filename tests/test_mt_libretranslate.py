"""The LibreTranslate engine against a real LibreTranslate server and small fakes.

The real server runs from its own virtualenv (``scripts/libretranslate-env.sh``),
launched by ``scripts/libretranslate-server.py`` on the tiny copy models the
tests build, with every connection off the machine refused and reported. The
fakes (stdlib ``http.server``) cover what a real server will not do on demand:
fail twice with 503, go down, sit behind a second URL.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from transflow.config import load_project
from transflow.errors import EngineError, InputError
from transflow.mt.libretranslate import LibreTranslateEngine

REPO = Path(__file__).resolve().parents[1]
ENV_SCRIPT = REPO / "scripts" / "libretranslate-env.sh"
LAUNCHER = REPO / "scripts" / "libretranslate-server.py"
VENV = Path(
    os.environ.get("TRANSFLOW_LIBRETRANSLATE_VENV", REPO / ".transflow/libretranslate-venv")
)
API_KEY = "transflow-test-key"
START_TIMEOUT = 120.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _closed_url() -> str:
    return f"http://127.0.0.1:{_free_port()}"


# -- a fake LibreTranslate: scripted answers, records requests ----------------------------------
@dataclass
class Fake:
    url: str = ""
    targets: list[str] = field(default_factory=lambda: ["de"])
    fail_first: int = 0  # answer this many /translate requests with 503
    key: str | None = None  # if set, any other api_key gets 403
    requests: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
def fake() -> Iterator[Fake]:
    state = Fake()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path == "/languages":
                langs = [{"code": "en", "name": "English", "targets": ["en", *state.targets]}]
                self._send(200, langs)
            else:
                self._send(404, {"error": "not found"})

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.requests.append(body)
            if state.fail_first > 0:
                state.fail_first -= 1
                self._send(503, {"error": "busy"})
            elif state.key is not None and body.get("api_key") not in (None, state.key):
                self._send(403, {"error": "Invalid API key"})
            else:
                self._send(200, {"translatedText": [t.upper() for t in body["q"]]})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


# -- behaviour against fakes --------------------------------------------------------------------
def test_server_down_is_one_line_after_the_configured_attempts_and_quick() -> None:
    url = _closed_url()
    engine = LibreTranslateEngine([url], timeout=1, retries=3, backoff=0.05)
    start = time.monotonic()
    with pytest.raises(EngineError) as info:
        engine.translate(["Hello."], "de")
    elapsed = time.monotonic() - start
    message = str(info.value)
    assert (
        message == f"LibreTranslate at {url} is not reachable (connection refused) after 3 attempts"
    )
    assert "\n" not in message
    assert 0.15 <= elapsed < 2  # back-off 0.05 + 0.1 was waited, no long timeout


def test_transient_503s_are_retried(fake: Fake) -> None:
    fake.fail_first = 2
    engine = LibreTranslateEngine([fake.url], retries=3, backoff=0.01)
    assert engine.translate(["a", "b"], "de") == ["A", "B"]
    assert len(fake.requests) == 3


def test_persistent_503_is_reported_with_the_servers_message(fake: Fake) -> None:
    fake.fail_first = 10
    engine = LibreTranslateEngine([fake.url], retries=2, backoff=0.01)
    with pytest.raises(EngineError, match=r"failed \(HTTP 503: busy\) after 2 attempts"):
        engine.translate(["a"], "de")
    assert len(fake.requests) == 2


def test_api_key_is_sent_and_a_rejected_key_is_reported_without_retrying(fake: Fake) -> None:
    fake.key = "right"
    assert LibreTranslateEngine([fake.url], api_key="right").translate(["x"], "de") == ["X"]
    assert fake.requests[-1]["api_key"] == "right"
    fake.requests.clear()
    with pytest.raises(EngineError, match=r"rejected the API key \(HTTP 403: Invalid API key\)"):
        LibreTranslateEngine([fake.url], api_key="wrong", backoff=0.01).translate(["x"], "de")
    assert len(fake.requests) == 1


def test_failover_to_the_second_url_when_the_first_is_down(fake: Fake) -> None:
    engine = LibreTranslateEngine([_closed_url(), fake.url], retries=1, timeout=2, batch_size=2)
    texts = [f"t{i}" for i in range(7)]
    assert engine.translate(texts, "de") == [t.upper() for t in texts]
    assert [len(r["q"]) for r in fake.requests] == [2, 2, 2, 1]


def test_round_robin_spreads_batches_over_servers_and_keeps_order(fake: Fake) -> None:
    other: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            other.append(len(body["q"]))
            data = json.dumps({"translatedText": [t.upper() for t in body["q"]]}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        second = f"http://127.0.0.1:{server.server_address[1]}"
        engine = LibreTranslateEngine([fake.url, second], batch_size=3)
        texts = [f"s{i}" for i in range(20)]
        assert engine.translate(texts, "de") == [t.upper() for t in texts]
        assert sorted([len(fake.requests), len(other)]) == [3, 4]  # 7 batches, alternating
    finally:
        server.shutdown()
        server.server_close()


def test_unoffered_pair_is_a_clear_error_before_any_translation(fake: Fake) -> None:
    engine = LibreTranslateEngine([fake.url])
    assert engine.model_for("de") == "libretranslate:en-de"
    assert engine.model_for("fr") is None
    with pytest.raises(EngineError, match=r"does not offer en→fr \(offers: de from en\)"):
        engine.translate(["Hello."], "fr")
    assert fake.requests == []


def test_blank_texts_are_not_sent(fake: Fake) -> None:
    engine = LibreTranslateEngine([fake.url])
    assert engine.translate(["", "a", "  "], "de") == ["", "A", "  "]
    assert fake.requests[0]["q"] == ["a"]


def test_settings_from_project_and_environment(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.transflow]\nlocales = ['de']\n"
        "[tool.transflow.libretranslate]\n"
        "urls = ['http://mt1:5000/', 'http://mt2:5000']\n"
        "api-key-env = 'MY_LT_KEY'\nbatch-size = 8\n",
        encoding="utf-8",
    )
    project = load_project(tmp_path)
    engine = LibreTranslateEngine.from_project(project, {"MY_LT_KEY": "k1"})
    assert engine.urls == ("http://mt1:5000", "http://mt2:5000")
    assert engine.api_key == "k1" and engine.batch_size == 8
    env = {"TRANSFLOW_LIBRETRANSLATE_URL": "http://a:1,http://b:2", "LIBRETRANSLATE_API_KEY": "x"}
    engine = LibreTranslateEngine.from_project(project, env)
    assert engine.urls == ("http://a:1", "http://b:2")
    assert engine.api_key is None  # the project names another variable

    (tmp_path / "pyproject.toml").write_text(
        "[tool.transflow]\n[tool.transflow.libretranslate]\nurl = 'mt1:5000'\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"pyproject.toml: .*'mt1:5000' is not an http\(s\) URL"):
        LibreTranslateEngine.from_project(load_project(tmp_path), {})


# -- the real LibreTranslate server -------------------------------------------------------------
@dataclass
class RealServer:
    url: str
    log: Path
    startup_seconds: float


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"LibreTranslate server unavailable in CI: {reason}")
    pytest.skip(f"LibreTranslate server unavailable: {reason}")


@pytest.fixture(scope="module")
def real_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealServer]:
    python = VENV / "bin" / "python"
    if not (python.exists() and (VENV / ".transflow-stamp").exists()):
        build = subprocess.run(
            ["bash", str(ENV_SCRIPT), str(VENV)], capture_output=True, text=True, check=False
        )
        if build.returncode != 0:
            tail = " | ".join(build.stderr.strip().splitlines()[-3:])
            _unavailable(f"{ENV_SCRIPT.name} failed: {tail}")
    try:
        from argos_model import build_argos_model
    except ImportError as exc:
        _unavailable(f"no test model builder (tests/argos_model.py): {exc}")

    home = tmp_path_factory.mktemp("libretranslate")
    models = [
        build_argos_model(home / "built", from_code="en", to_code="de"),
        build_argos_model(home / "built", from_code="de", to_code="en"),
    ]
    port = _free_port()
    log = home / "server.log"
    command = [str(python), str(LAUNCHER), "--home", str(home / "state"), "--port", str(port)]
    for model in models:
        command += ["--model", str(model)]
    command += ["--api-key", API_KEY]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARGOS_", "XDG_"))}
    start = time.monotonic()
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            if process.poll() is not None:
                tail = " | ".join(log.read_text(errors="replace").strip().splitlines()[-3:])
                _unavailable(f"server exited with {process.returncode}: {tail}")
            try:
                with urllib.request.urlopen(url + "/languages", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() - start > START_TIMEOUT:
                _unavailable(f"server not ready after {START_TIMEOUT:.0f} s (log: {log})")
            time.sleep(0.2)
        yield RealServer(url, log, time.monotonic() - start)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    print(f"\nLibreTranslate server started in {time.monotonic() - start:.1f} s", file=sys.stderr)


def test_real_server_translates_batches_in_order_with_the_copy_model(
    real_server: RealServer,
) -> None:
    engine = LibreTranslateEngine([real_server.url], api_key=API_KEY, batch_size=4)
    texts = [f"The committee met {n} times in Bonn." for n in range(10)]
    texts[3] = "Free the journalists now!"
    assert engine.translate(texts, "de") == texts


def test_real_server_reports_offered_pairs(real_server: RealServer) -> None:
    engine = LibreTranslateEngine([real_server.url])
    assert engine.model_for("de") == "libretranslate:en-de"
    assert engine.model_for("fr") is None
    with pytest.raises(EngineError, match="does not offer en→fr"):
        engine.translate(["Hello."], "fr")


def test_real_server_rejects_a_wrong_api_key_clearly(real_server: RealServer) -> None:
    engine = LibreTranslateEngine([real_server.url], api_key="not-the-key", backoff=0.01)
    with pytest.raises(EngineError) as info:
        engine.translate(["Hello."], "de")
    assert str(info.value) == (
        f"LibreTranslate at {real_server.url} rejected the API key "
        "(HTTP 403: Invalid API key); set a valid key in $LIBRETRANSLATE_API_KEY"
    )


def test_real_server_attempted_no_connection_off_the_machine(real_server: RealServer) -> None:
    LibreTranslateEngine([real_server.url], api_key=API_KEY).translate(["One. Two!"], "de")
    log = real_server.log.read_text(errors="replace")
    assert "transflow-guard: blocked" not in log, log
