"""The static multilingual website: one HTML page per document and language, ready to upload.

Layout of the output folder::

    index.html            the front door: every language in its own name (x-default)
    style.css             the one stylesheet (copied from the templates)
    <lang>/index.html     the appeals published in that language
    <lang>/<slug>.html    one appeal in one language

Pages come from Jinja2 templates in ``transflow/templates`` (autoescaping
on, undefined variables an error), so translator text is always HTML-escaped
and the organisation can restyle the site without touching code. Links
between pages are relative, so the folder also works opened from disk; the
``hreflang`` alternates and the canonical link are absolute, from the base
URL, as search engines require. Every language version of a document lists
every version (itself included) and ``x-default`` (the source-language
page), so the sets are complete and reciprocal.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from transflow.errors import InputError
from transflow.export.content import PageBlock, Run, language_dir, language_name
from transflow.export.outdir import Staging
from transflow.export.publish import Edition, PageInfo, in_language

__all__ = ["check_base_url", "environment", "write_indexes", "write_pages"]


def check_base_url(url: str, where: str = "--base-url") -> str:
    """An absolute http(s) URL ending in ``/``, or a one-line error."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise InputError(
            f"{where} must be an absolute http(s) address such as "
            f"https://example.org/appeals/, not {url!r}"
        )
    text = url.strip()
    return text if text.endswith("/") else text + "/"


@lru_cache(maxsize=1)
def environment() -> Any:
    """The Jinja2 environment over the packaged templates (autoescape on, strict undefined)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=PackageLoader("transflow", "templates"),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )


@lru_cache(maxsize=1)
def _strings() -> dict[str, dict[str, str]]:
    text = resources.files("transflow").joinpath("templates/strings.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return {str(k): {str(a): str(b) for a, b in v.items()} for k, v in data.items()}


@lru_cache(maxsize=64)
def _words(lang: str, source_lang: str) -> tuple[Callable[[str], str], Callable[[str], Markup]]:
    """``word(key)`` in ``lang`` (falling back to English) and its ``lang`` attribute if needed."""
    strings = _strings()
    own = strings.get(lang) or strings.get(lang.split("-")[0]) or {}
    english = strings.get("en", {})

    def word(key: str) -> str:
        return own.get(key) or english.get(key, key)

    def word_lang(key: str) -> Markup:
        if key in own or lang == "en":
            return Markup("")
        return Markup(' lang="en"')

    return word, word_lang


class _Element(NamedTuple):
    """One element of the article, ready for the template.

    ``attrs`` are its ``class`` and ``lang`` attributes; ``content`` its text,
    escaped, with a ``<span lang>`` around each run not in the element's language.
    """

    tag: str
    attrs: Markup
    content: Markup
    value: int | None = None  # a numbered list item's number


class _Item(NamedTuple):
    """One thing in an article's body: an element, or a list of them (``ol``/``ul``)."""

    element: _Element | None = None
    list_tag: str | None = None
    children: tuple[_Element, ...] = ()


@lru_cache(maxsize=256)
def _attrs(kind: str | None, lang: str, page_lang: str) -> Markup:
    """``class`` and ``lang`` attributes for an element whose text is in ``lang``."""
    classes = [kind] if kind else []
    if lang != page_lang:
        classes.append("untranslated")
    out = f' class="{" ".join(classes)}"' if classes else ""
    if lang != page_lang:
        out += f' lang="{escape(lang)}"'
    return Markup(out)


_SPAN = '<span lang="{}" class="untranslated">{}</span>'
_NO_ATTRS = Markup("")
_HR = _Item(element=_Element("hr", _NO_ATTRS, _NO_ATTRS))
_new = tuple.__new__  # pages have many elements: made without NamedTuple's Python __new__


def _escape(text: str) -> str:
    """HTML-escape as Jinja's autoescape does (``&<>"'``), without a Markup object per run."""
    if not any(c in text for c in "&<>\"'"):
        return text
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )


def _element(tag: str, block: PageBlock, page_lang: str, cls: str | None = None) -> _Element:
    runs = block.runs
    lang = runs[0].lang if runs else page_lang
    if all(r.lang == lang for r in runs):  # the common case: one language, escaped at once
        content = escape(" ".join([r.text for r in runs]))
    else:  # the block's language is the page's; each run in another is marked
        lang = page_lang
        content = Markup(
            " ".join(
                _escape(r.text)
                if r.lang == lang
                else _SPAN.format(_escape(r.lang), _escape(r.text))
                for r in runs
            )
        )
    value = block.number if tag == "li" else None
    return _new(_Element, (tag, _attrs(cls, lang, page_lang), content, value))


def _items(blocks: Sequence[PageBlock], page_lang: str) -> list[_Item]:
    """The article body: consecutive list items grouped into lists, headings under the h1."""
    out: list[_Item] = []
    pending: list[PageBlock] = []

    def flush() -> None:
        if pending:
            tag = "ol" if pending[0].number is not None else "ul"
            children = tuple([_element("li", b, page_lang) for b in pending])
            out.append(_new(_Item, (None, tag, children)))
            pending.clear()

    for block in blocks:
        kind = block.kind
        if kind == "list-item":
            if pending and (pending[0].number is None) != (block.number is None):
                flush()
            pending.append(block)
            continue
        if pending:
            flush()
        if kind == "separator":
            out.append(_HR)
        elif not block.runs:
            continue
        elif kind == "heading":
            tag = f"h{min(max(block.level, 1) + 1, 6)}"
            out.append(_new(_Item, (_element(tag, block, page_lang), None, ())))
        else:
            out.append(_new(_Item, (_element("p", block, page_lang, kind), None, ())))
    flush()
    return out


def _one(run: Run | None, page_lang: str, cls: str | None = None) -> _Element | None:
    """A front-matter line (title, recipient, place) as an element."""
    if run is None:
        return None
    return _Element("", _attrs(cls, run.lang, page_lang), escape(run.text))


@dataclass(frozen=True)
class _Link:
    lang: str
    name: str
    href: str
    current: bool = False


@dataclass(frozen=True)
class _Alternate:
    hreflang: str
    href: str


def _page_path(lang: str, slug: str) -> str:
    return f"{lang}/{slug}.html"


def _frame(
    lang: str,
    source: str,
    canonical: str,
    alternates: list[_Alternate],
    switcher: list[_Link],
) -> dict[str, object]:
    """What every page in ``lang`` (an appeal or the language's index) has around its content."""
    word, word_lang = _words(lang, source)
    return {
        "lang": lang,
        "dir": language_dir(lang),
        "css": "../style.css",
        "home": "index.html",
        "canonical": canonical,
        "alternates": alternates,
        "switcher": switcher,
        "word": word,
        "word_lang": word_lang,
    }


def write_pages(staging: Staging, edition: Edition, base_url: str) -> dict[str, list[str]]:
    """Every published page of the edition's documents; the files written per language."""
    env = environment()
    page_template = env.get_template("page.html")
    source = edition.source_language
    written: dict[str, list[str]] = {lang: [] for lang in edition.languages}
    for doc in (s.doc for s in edition.sources):
        versions = edition.versions(doc)
        alternates = [
            _Alternate(lang, base_url + _page_path(lang, page.slug))
            for lang, page in versions.items()
        ]
        alternates.append(
            _Alternate("x-default", base_url + _page_path(source, versions[source].slug))
        )
        for lang, page in versions.items():
            path = _page_path(lang, page.slug)
            switcher = [
                _Link(other, language_name(other), f"../{_page_path(other, p.slug)}", other == lang)
                for other, p in versions.items()
            ]
            html = page_template.render(
                **_frame(lang, source, base_url + path, alternates, switcher),
                page=page,
                items=_items(page.blocks, lang),
                title=_one(page.title, lang),
                recipient=_one(page.recipient, lang, "recipient"),
                place=_one(page.place, lang, "place"),
            )
            staging.write_text(path, html)
            written[lang].append(path)
    return written


def write_indexes(
    staging: Staging,
    pages: Sequence[PageInfo],
    languages: Sequence[str],
    base_url: str,
    site_name: str,
) -> dict[str, list[str]]:
    """The stylesheet, an index page per language and the front door (``index.html``).

    ``pages`` are every page published (from all documents); ``languages`` the
    BCP 47 tags, the source language first.
    """
    env = environment()
    index_template = env.get_template("index.html")
    home_template = env.get_template("home.html")
    source = languages[0]
    written: dict[str, list[str]] = {lang: [] for lang in languages}
    staging.write(
        "style.css", resources.files("transflow").joinpath("templates/style.css").read_bytes()
    )
    by_lang = in_language(pages)
    # Languages with something published (the source language always has every document).
    live = [lang for lang in languages if by_lang.get(lang)] or [source]
    alternates = [_Alternate(lang, f"{base_url}{lang}/index.html") for lang in live]
    alternates.append(_Alternate("x-default", f"{base_url}index.html"))
    for lang in live:
        entries = [{"page": p, "href": f"{p.slug}.html"} for p in by_lang[lang]]
        switcher = [
            _Link(other, language_name(other), f"../{other}/index.html", other == lang)
            for other in live
        ]
        path = f"{lang}/index.html"
        staging.write_text(
            path,
            index_template.render(
                **_frame(lang, source, base_url + path, alternates, switcher), entries=entries
            ),
        )
        written[lang].append(path)
    word, word_lang = _words(source, source)
    choices = [_Link(lang, language_name(lang), f"{lang}/index.html") for lang in live]
    staging.write_text(
        "index.html",
        home_template.render(
            lang=source,
            dir=language_dir(source),
            site_name=site_name,
            choices=choices,
            css="style.css",
            home=f"{source}/index.html",
            canonical=base_url + "index.html",
            alternates=alternates,
            switcher=[],
            word=word,
            word_lang=word_lang,
        ),
    )
    return written
