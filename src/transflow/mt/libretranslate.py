"""Machine translation through LibreTranslate servers over HTTP.

Teams that share one translation server, or a pool of them behind a load
balancer or listed explicitly, point transflow at their URLs instead of
installing Argos models on every laptop. The server runs the same Argos models;
this module only speaks LibreTranslate's documented HTTP API (``POST
/translate`` with a list ``q`` for batches, ``GET /languages``), with timeouts,
retries with exponential back-off, round-robin across servers with failover,
and one-line errors a translator can act on. It uses the standard library's
``urllib`` only, so the core install gains no HTTP dependency.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

from transflow.config import CONFIG_FILE, Project
from transflow.errors import EngineError, InputError

__all__ = [
    "DEFAULT_API_KEY_ENV",
    "DEFAULT_URL",
    "URL_ENV",
    "LibreTranslateEngine",
]

DEFAULT_URL = "http://127.0.0.1:5000"
URL_ENV = "TRANSFLOW_LIBRETRANSLATE_URL"
DEFAULT_API_KEY_ENV = "LIBRETRANSLATE_API_KEY"
_RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


class _Retryable(Exception):
    """A failure worth trying again (elsewhere or later): connection, timeout, 5xx, 429."""

    def __init__(self, url: str, reason: str):
        super().__init__(reason)
        self.url = url
        self.reason = reason


def _normalise_url(url: str, where: str) -> str:
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"{where}: {url!r} is not an http(s) URL")
    return url


def _reason(exc: BaseException) -> str:
    """A short human reason for a network failure."""
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError):
        inner = exc.reason
        if isinstance(inner, BaseException):
            return _reason(inner)
        return str(inner)
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError):
        return "connection reset"
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(exc, socket.gaierror):
        return f"unknown host ({exc.strerror})"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__


def _error_text(body: bytes) -> str:
    """LibreTranslate's ``{"error": "..."}`` message, or the start of the body."""
    text = body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        text = data["error"]
    text = " ".join(text.split())
    return text[:200]


class LibreTranslateEngine:
    """Translate English batches with one or more LibreTranslate servers."""

    name = "libretranslate"

    def __init__(
        self,
        urls: Sequence[str],
        api_key: str | None = None,
        timeout: float = 30,
        retries: int = 3,
        backoff: float = 0.5,
        batch_size: int = 32,
        source: str = "en",
    ) -> None:
        if isinstance(urls, str):
            urls = [urls]
        if not urls:
            raise InputError("LibreTranslate: no server URL given")
        if retries < 1 or batch_size < 1 or timeout <= 0 or backoff < 0:
            raise InputError(
                "LibreTranslate: retries and batch size must be at least 1, timeout positive"
            )
        self.urls: tuple[str, ...] = tuple(_normalise_url(u, "LibreTranslate URL") for u in urls)
        self.api_key = api_key or None
        self.api_key_env = DEFAULT_API_KEY_ENV  # named in messages; from_project may change it
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.batch_size = batch_size
        self.source = source
        self._next = 0
        self._lock = threading.Lock()
        self._targets: dict[str, frozenset[str]] | None = None

    # -- settings ------------------------------------------------------------
    @classmethod
    def from_project(
        cls, project: Project, environ: Mapping[str, str] | None = None
    ) -> LibreTranslateEngine:
        """The engine configured by ``[tool.transflow.libretranslate]`` and the environment.

        ``TRANSFLOW_LIBRETRANSLATE_URL`` (comma-separated for several) overrides
        ``url``/``urls``; the API key is read from the variable named by
        ``api-key-env`` (default ``LIBRETRANSLATE_API_KEY``), never from the file.
        """
        env = os.environ if environ is None else environ
        table = project.tool("libretranslate")
        config = project.root / CONFIG_FILE
        where = "[tool.transflow.libretranslate]"

        def bad(message: str) -> InputError:
            return InputError(f"{where} {message}", config)

        urls: list[str]
        if env.get(URL_ENV, "").strip():
            urls = [u for u in env[URL_ENV].split(",") if u.strip()]
        elif "urls" in table:
            value = table["urls"]
            if (
                not isinstance(value, list)
                or not value
                or not all(isinstance(u, str) for u in value)
            ):
                raise bad("urls must be a non-empty list of URLs")
            urls = value
        elif "url" in table:
            if not isinstance(table["url"], str):
                raise bad("url must be a string")
            urls = [table["url"]]
        else:
            urls = [DEFAULT_URL]

        key_env = table.get("api-key-env", DEFAULT_API_KEY_ENV)
        if not isinstance(key_env, str) or not key_env:
            raise bad("api-key-env must be the name of an environment variable")
        if "api-key" in table:
            raise bad(f"api-key: keep the key out of the repository; set ${key_env} instead")

        def number(key: str, default: float, kind: type[int] | type[float]) -> Any:
            value = table.get(key, default)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise bad(f"{key} must be a number")
            if kind is int and not isinstance(value, int):
                raise bad(f"{key} must be a whole number")
            return value

        try:
            engine = cls(
                [_normalise_url(u, f"{where} url") for u in urls],
                api_key=env.get(key_env) or None,
                timeout=number("timeout", 30, float),
                retries=number("retries", 3, int),
                backoff=number("backoff", 0.5, float),
                batch_size=number("batch-size", 32, int),
                source=project.source_language,
            )
        except InputError as exc:
            raise InputError(exc.message, config) from None
        engine.api_key_env = key_env
        return engine

    # -- HTTP ----------------------------------------------------------------
    def _where(self, urls: Sequence[str] | None = None) -> str:
        return ", ".join(urls if urls is not None else self.urls)

    def _request_once(self, url: str, path: str, payload: dict[str, Any] | None) -> Any:
        """One HTTP exchange; retryable failures raise ``_Retryable``."""
        data = None
        headers = {"Accept": "application/json"}
        if payload is not None:
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url + path, data=data, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            message = _error_text(exc.read())
            status = f"HTTP {exc.code}" + (f": {message}" if message else "")
            if exc.code in _RETRYABLE_STATUS:
                raise _Retryable(url, status) from None
            if exc.code in (401, 403):
                hint = "set a valid key in $" + self.api_key_env
                if self.api_key is None:
                    hint = "this server needs an API key: set $" + self.api_key_env
                raise EngineError(
                    f"LibreTranslate at {url} rejected the API key ({status}); {hint}"
                ) from None
            raise EngineError(f"LibreTranslate at {url} refused the request ({status})") from None
        except (urllib.error.URLError, OSError) as exc:
            raise _Retryable(url, _reason(exc)) from None
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise EngineError(
                f"LibreTranslate at {url} answered {path} with something that is not JSON"
            ) from None

    def _request(self, path: str, payload: dict[str, Any] | None = None) -> tuple[str, Any]:
        """Send to the servers in round-robin order, failing over; retry with back-off."""
        with self._lock:
            start = self._next
            self._next = (self._next + 1) % len(self.urls)
        order = self.urls[start:] + self.urls[:start]
        last: _Retryable | None = None
        for attempt in range(self.retries):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            for url in order:
                try:
                    return url, self._request_once(url, path, payload)
                except _Retryable as exc:
                    last = exc
        assert last is not None
        attempts = f"{self.retries} attempt{'s' if self.retries != 1 else ''}"
        if last.reason.startswith("HTTP "):
            raise EngineError(
                f"LibreTranslate at {self._where(order)} failed ({last.reason}) after {attempts}"
            )
        raise EngineError(
            f"LibreTranslate at {self._where(order)} is not reachable ({last.reason}) "
            f"after {attempts}"
        )

    # -- the Engine protocol -------------------------------------------------
    def _languages(self) -> dict[str, frozenset[str]]:
        """Source code → target codes offered by the servers (asked once)."""
        if self._targets is None:
            url, data = self._request("/languages")
            if not isinstance(data, list):
                raise EngineError(f"LibreTranslate at {url} answered /languages unexpectedly")
            targets: dict[str, frozenset[str]] = {}
            for item in data:
                if isinstance(item, dict) and isinstance(item.get("code"), str):
                    offered = item.get("targets", [])
                    codes = (
                        [t for t in offered if isinstance(t, str)]
                        if isinstance(offered, list)
                        else []
                    )
                    targets[item["code"]] = frozenset(codes)
            self._targets = targets
        return self._targets

    def _target_code(self, locale: str) -> str | None:
        offered = self._languages().get(self.source, frozenset())
        for code in (locale, locale.replace("_", "-"), locale.replace("_", "-").split("-")[0]):
            if code in offered and code != self.source:
                return code
        return None

    def model_for(self, locale: str) -> str | None:
        """``libretranslate:en-de`` if the servers offer English → ``locale``, else None."""
        code = self._target_code(locale)
        return None if code is None else f"libretranslate:{self.source}-{code}"

    def translate(self, texts: Sequence[str], locale: str) -> list[str]:
        """Translate ``texts`` into ``locale``; results in input order."""
        if not texts:
            return []
        code = self._target_code(locale)
        if code is None:
            offered = sorted(self._languages().get(self.source, frozenset()) - {self.source})
            raise EngineError(
                f"LibreTranslate at {self._where()} does not offer {self.source}→{locale} "
                f"(offers: {', '.join(offered) or 'nothing'} from {self.source})"
            )
        results = list(texts)
        todo = [i for i, text in enumerate(texts) if text.strip()]
        batches = [todo[i : i + self.batch_size] for i in range(0, len(todo), self.batch_size)]

        def run(batch: list[int]) -> list[str]:
            return self._translate_batch([texts[i] for i in batch], code)

        workers = min(len(self.urls), len(batches))
        if workers > 1:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                outputs = list(pool.map(run, batches))
        else:
            outputs = [run(batch) for batch in batches]
        for batch, output in zip(batches, outputs, strict=True):
            for i, text in zip(batch, output, strict=True):
                results[i] = text
        return results

    def _translate_batch(self, texts: list[str], target: str) -> list[str]:
        payload: dict[str, Any] = {
            "q": texts,
            "source": self.source,
            "target": target,
            "format": "text",
        }
        if self.api_key is not None:
            payload["api_key"] = self.api_key
        url, data = self._request("/translate", payload)
        out = data.get("translatedText") if isinstance(data, dict) else None
        if (
            not isinstance(out, list)
            or len(out) != len(texts)
            or not all(isinstance(t, str) for t in out)
        ):
            raise EngineError(
                f"LibreTranslate at {url} answered {len(texts)} texts with something other "
                f"than {len(texts)} translations"
            )
        return out
