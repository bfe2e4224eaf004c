"""A deterministic engine for tests and demos, behind the same protocol as the real ones.

Like httpx's ``MockTransport``: code under test gets an :class:`Engine` whose
answers the test decides (a mapping, a function, or the identity), which
records every call, and which can misbehave on purpose (drop or mangle
placeholders, fail outright) so the failure paths of pre-translation and
glossary protection can be tested without a model or a server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from transflow.errors import EngineError
from transflow.mt.base import MissingModel
from transflow.mt.protect import PLACEHOLDER_RE

__all__ = ["ControlledEngine"]

Translator = Mapping[str, str] | Callable[[str, str], str]


class ControlledEngine:
    """Translate by lookup or function; identity if given nothing.

    ``locales`` limits the pairs it "has a model" for (None: every locale).
    ``drop_placeholders`` removes glossary placeholders from the output, for
    every text (True) or for the texts a predicate picks. ``error``, if set, is
    raised by every ``translate`` call (a server that is down).
    """

    def __init__(
        self,
        translate: Translator | None = None,
        *,
        name: str = "controlled",
        model: str = "controlled-1",
        locales: Iterable[str] | None = None,
        drop_placeholders: bool | Callable[[str], bool] = False,
        error: Exception | None = None,
    ) -> None:
        self.name = name
        self.model = model
        self.locales = None if locales is None else frozenset(locales)
        self.drop_placeholders = drop_placeholders
        self.error = error
        self._translate = translate
        self.calls: list[tuple[list[str], str]] = []

    def model_for(self, locale: str) -> str | None:
        if self.locales is not None and locale not in self.locales:
            return None
        return f"{self.name}:{self.model}"

    def _one(self, text: str, locale: str) -> str:
        how = self._translate
        if how is None:
            return text
        if callable(how):
            return how(text, locale)
        if text not in how:
            raise EngineError(f"{self.name}: no translation given for {text!r}")
        return how[text]

    def _drops(self, text: str) -> bool:
        drop = self.drop_placeholders
        return drop(text) if callable(drop) else bool(drop)

    def translate(self, texts: Sequence[str], locale: str) -> list[str]:
        self.calls.append((list(texts), locale))
        if self.error is not None:
            raise self.error
        if self.model_for(locale) is None:
            raise MissingModel(locale)
        out = []
        for text in texts:
            result = self._one(text, locale)
            if self._drops(text):
                result = " ".join(PLACEHOLDER_RE.sub("", result).split())
            out.append(result)
        return out
