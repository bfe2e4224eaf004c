"""``transflow export --format site``: the publishing rule, structure, languages, links, safety."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from export_support import (
    BASE_URL,
    REVIEWER,
    approve,
    approved_project,
    copy_bundled,
    copy_project,
)
from projects import REPO, make_project, run_cli, snapshot
from transflow.catalog import Catalog
from transflow.catalog import approve as approve_entry

NOTICE = "bonn-2025-notice"
APPEALS = (
    "bonn-2025-appeal-committee-of-ministers",
    "bonn-2025-appeal-european-commission",
    "bonn-2025-appeal-german-foreign-minister",
)
VNU = REPO / ".transflow" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture(scope="module")
def approved(tmp_path_factory: pytest.TempPathFactory, installed_models: Path) -> Path:
    return approved_project(tmp_path_factory, installed_models)


@pytest.fixture(scope="module")
def site(approved: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The site of the approved copy, all locales, with --allow-partial; and the JSON report."""
    out = tmp_path_factory.mktemp("site") / "site"
    result = run_cli(
        "export", "--format", "site", "--out", str(out), "--base-url", BASE_URL,
        "--allow-partial", "--json", cwd=approved,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return out, json.loads(result.stdout)


def export(root: Path, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(
        "export", "--format", "site", "--out", str(out), "--base-url", BASE_URL, *args, cwd=root
    )


def status(report: dict[str, Any], doc: str, locale: str) -> dict[str, Any]:
    found: dict[str, Any] = next(
        d for d in report["documents"] if d["doc"] == doc and d["locale"] == locale
    )
    return found


class Page(HTMLParser):
    """What the tests read from a page: attributes, links, text, and the article's structure."""

    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.html_attrs: dict[str, str | None] = {}
        self.alternates: dict[str, str] = {}
        self.canonical = ""
        self.switcher: list[dict[str, str | None]] = []
        self.structure: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.tags: list[str] = []
        self._stack: list[str] = []
        self._in_nav = False
        self._in_article = False
        self._in_header = False
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.html_attrs = a
        elif tag == "link" and a.get("rel") == "alternate":
            self.alternates[a["hreflang"] or ""] = a["href"] or ""
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a["href"] or ""
        elif tag == "nav":
            self._in_nav = True
        elif tag == "a" and self._in_nav:
            self.switcher.append(a)
        elif tag == "article":
            self._in_article = True
        elif tag == "header":
            self._in_header = True
        body = self._in_article and not self._in_header
        if body and tag in ("h2", "h3", "h4", "h5", "h6", "p", "hr", "li"):
            if tag == "p" and "notice" in (a.get("class") or ""):
                return
            self.structure.append((tag, a.get("value")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_nav = False
        elif tag == "article":
            self._in_article = False
        elif tag == "header":
            self._in_header = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


# -- the publishing rule -------------------------------------------------------------------


def test_a_page_is_published_only_when_every_unit_is_approved(tmp_path: Path) -> None:
    root = copy_bundled(tmp_path / "p")
    out = tmp_path / "site"
    result = export(root, out, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    # The bundled German notice is approved except its place line ("Bonn, Germany"), which a
    # translator typed but nobody approved yet: it is withheld, and the report says why.
    notice = status(report, NOTICE, "de")
    assert notice["status"] == "withheld"
    assert [(b["unit"], b["state"]) for b in notice["blockers"]] == [("9458a18d", "translated")]
    assert "1 of 5 units not approved (1 translated)" in notice["reason"]
    assert not (out / "de" / f"{NOTICE}.html").exists()
    assert (out / "en" / f"{NOTICE}.html").exists()  # the source language is always published
    # A reviewer approves it: now it is published.
    approve(root, "de", NOTICE)
    report = json.loads(export(root, out, "--json").stdout)
    assert status(report, NOTICE, "de")["status"] == "published"
    assert status(report, NOTICE, "de")["blockers"] == []
    assert (out / "de" / f"{NOTICE}.html").exists()
    assert status(report, NOTICE, "fr")["status"] == "withheld"


def test_a_qa_error_withholds_an_approved_page(tmp_path: Path) -> None:
    root = copy_bundled(tmp_path / "p")
    approve(root, "de", NOTICE)
    path = root / "locales" / "de" / f"{NOTICE}.po"
    catalog = Catalog.load(path, "de")
    entry = catalog.entry("1d67e96e")
    assert entry is not None and "25. Oktober" in entry.msgstr
    entry.msgstr = entry.msgstr.replace("25. Oktober", "26. Oktober")  # a wrong date
    approve_entry(entry, REVIEWER)
    catalog.save()
    report = json.loads(export(root, tmp_path / "site", "--json").stdout)
    notice = status(report, NOTICE, "de")
    assert notice["status"] == "withheld"
    assert [f["check"] for b in notice["blockers"] for f in b["findings"]] == ["numbers"]
    assert "1 QA error (numbers)" in notice["reason"]
    # the table for people says the same
    text = export(root, tmp_path / "site").stdout
    assert "withheld" in text and "QA error" in text


def test_allow_partial_shows_the_gaps_in_english_and_says_so(
    site: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    root = copy_bundled(tmp_path / "p")
    approve(root, "de")  # the bundled translations: the first part of the first appeal
    out = tmp_path / "site"
    report = json.loads(export(root, out, "--allow-partial", "--json").stdout)
    appeal = APPEALS[0]
    entry = status(report, appeal, "de")
    assert entry["status"] == "partial"
    assert "units shown in English" in entry["reason"]
    page = (out / "de" / f"{appeal}.html").read_text(encoding="utf-8")
    assert "Teile dieser Seite sind noch nicht übersetzt" in page
    assert "<h1>Appell an den Präsidenten des Ministerkomitees des Europarats</h1>" in page
    # a whole English paragraph is marked as English, and so is an English sentence
    # inside a German paragraph
    assert re.search(r'<p class="paragraph untranslated" lang="en">The chairman', page)
    assert '<span lang="en" class="untranslated">Today, with nearly 400' in page
    # a page with nothing approved is not published even with --allow-partial
    assert status(report, APPEALS[1], "az")["status"] == "withheld"
    assert not (out / "az" / f"{APPEALS[1]}.html").exists()


def test_a_stale_catalog_is_refused_and_nothing_written(tmp_path: Path) -> None:
    root = copy_bundled(tmp_path / "p")
    out = tmp_path / "site"
    assert export(root, out).returncode == 0
    before = snapshot(out)
    source = root / "source" / f"{NOTICE}.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("now being published", "published"),
        encoding="utf-8",
    )
    result = export(root, out)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert f"source/{NOTICE}.md" in result.stderr
    assert "1 sentence edited" in result.stderr and "run `transflow segment`" in result.stderr
    assert snapshot(out) == before
    assert run_cli("segment", cwd=root).returncode == 0
    assert export(root, out).returncode == 0


def test_the_site_needs_an_absolute_base_url(tmp_path: Path) -> None:
    root = copy_bundled(tmp_path / "p")
    result = run_cli("export", "--format", "site", "--out", str(tmp_path / "s"), cwd=root)
    assert result.returncode == 2
    assert "--base-url" in result.stderr and result.stderr.count("\n") == 1
    bad = run_cli(
        "export", "--format", "site", "--out", str(tmp_path / "s"), "--base-url", "/appeals/",
        cwd=root,
    )  # fmt: skip
    assert bad.returncode == 2 and "absolute" in bad.stderr
    config = root / "pyproject.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "[tool.transflow]\n", '[tool.transflow]\nbase-url = "https://asimkom.example/appeals"\n'
        ),
        encoding="utf-8",
    )
    assert (
        run_cli("export", "--format", "site", "--out", str(tmp_path / "s"), cwd=root).returncode
        == 0
    )
    page = Page(tmp_path / "s" / "en" / f"{NOTICE}.html")
    assert page.canonical == f"https://asimkom.example/appeals/en/{NOTICE}.html"


# -- languages, links, structure ------------------------------------------------------------


def test_pages_say_their_language_and_link_every_version(site: tuple[Path, dict[str, Any]]) -> None:
    out, _ = site
    page = Page(out / "ru" / f"{APPEALS[0]}.html")
    assert page.html_attrs == {"lang": "ru", "dir": "ltr"}
    names = [(a["lang"], a["hreflang"]) for a in page.switcher]
    assert names == [(c, c) for c in ("en", "az", "de", "fr", "ru")]
    labels = re.findall(
        r'hreflang="\w+" lang="\w+"(?: aria-current="page")?>([^<]+)</a>',
        (out / "ru" / f"{APPEALS[0]}.html").read_text(encoding="utf-8"),
    )
    assert labels == ["English", "Azərbaycan", "Deutsch", "Français", "Русский"]
    current = [a for a in page.switcher if a.get("aria-current") == "page"]
    assert [a["lang"] for a in current] == ["ru"]
    assert "25 октября 2025 г." in page.all_text
    assert "25. Oktober 2025" in Page(out / "de" / f"{APPEALS[0]}.html").all_text
    assert "October 25, 2025" in Page(out / "en" / f"{APPEALS[0]}.html").all_text


def _url_to_file(out: Path, url: str) -> Path:
    assert url.startswith(BASE_URL), url
    return out / url[len(BASE_URL) :]


def test_hreflang_sets_are_complete_absolute_and_reciprocal(
    site: tuple[Path, dict[str, Any]],
) -> None:
    out, _ = site
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        page = Page(path)
        alternates = page.alternates
        assert "x-default" in alternates, path
        for lang, url in alternates.items():
            parts = urlsplit(url)
            assert parts.scheme == "https" and parts.netloc, url  # absolute
            target = _url_to_file(out, url)
            assert target.is_file(), f"{path}: {lang} → {url} does not exist"
            if lang != "x-default":
                assert Page(target).html_attrs["lang"] == lang
                # reciprocal: the page it points at lists exactly the same set
                assert Page(target).alternates == alternates, (path, target)
        # complete: itself included
        assert page.canonical in alternates.values(), path
        assert page.canonical == BASE_URL + path.relative_to(out).as_posix()


def test_the_german_page_has_the_structure_of_the_english_one(
    site: tuple[Path, dict[str, Any]],
) -> None:
    out, report = site
    for doc in (*APPEALS, NOTICE):
        assert status(report, doc, "de")["status"] == "published"
        english = Page(out / "en" / f"{doc}.html")
        german = Page(out / "de" / f"{doc}.html")
        assert german.structure == english.structure, doc
        assert german.html_attrs["lang"] == "de"
    cm = Page(out / "de" / f"{APPEALS[0]}.html").structure
    assert ("li", "1") in cm and ("li", "6") in cm and ("h2", None) in cm


PASTED = """---
title: Pasted from the web
date: 2025-10-25
---

Dear Minister,

First paragraph. It has two sentences.

\\ ** *****

** 2.** The second demand.
** 4**. The fourth demand, as pasted.

- a bullet
- another bullet

## A subheading

<!-- signature -->
The Coordination Center
"""


def test_pasted_debris_becomes_clean_structure_in_every_language(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", sources={"pasted.md": PASTED}, copy_sources=False)
    assert run_cli("segment", cwd=root).returncode == 0
    approve(root, "de", translate=lambda _id, text: f"DE {text}", only=lambda _s: True)
    out = tmp_path / "site"
    result = export(root, out, "--locale", "de")
    assert result.returncode == 0, result.stderr
    english = Page(out / "en" / "pasted.html").structure
    assert Page(out / "de" / "pasted.html").structure == english
    assert english == [
        ("p", None),  # salutation
        ("p", None),  # one paragraph of two sentences
        ("hr", None),
        ("li", "2"),
        ("li", "4"),
        ("li", None),
        ("li", None),
        ("h3", None),
        ("p", None),  # signature
    ]
    html = (out / "de" / "pasted.html").read_text(encoding="utf-8")
    assert "**" not in html and "\\" not in html
    assert '<p class="paragraph">DE First paragraph. DE It has two sentences.</p>' in html


def test_index_pages_list_what_is_published(site: tuple[Path, dict[str, Any]]) -> None:
    out, report = site
    de = (out / "de" / "index.html").read_text(encoding="utf-8")
    for doc in (*APPEALS, NOTICE):
        assert f'href="{doc}.html"' in de
    assert "<h1>Appelle</h1>" in de
    az = (out / "az" / "index.html").read_text(encoding="utf-8")
    az_published = [
        d["doc"] for d in report["documents"] if d["locale"] == "az" and d["status"] != "withheld"
    ]
    for doc in (*APPEALS, NOTICE):
        assert (f'href="{doc}.html"' in az) == (doc in az_published)
    home = Page(out / "index.html")
    assert home.html_attrs["lang"] == "en"
    assert set(home.alternates) == {"en", "az", "de", "fr", "ru", "x-default"}


# -- safety ------------------------------------------------------------------------------------


def test_translator_text_is_escaped_in_every_format(approved: Path, tmp_path: Path) -> None:
    root = copy_project(approved, tmp_path / "p")
    path = root / "locales" / "de" / f"{NOTICE}.po"
    catalog = Catalog.load(path, "de")
    attack = '<script>alert("x")</script> Fish & Chips <b>bold</b> *stars*'
    for unit_id in ("3ede016e", "49398fe2"):  # the title and a sentence
        entry = catalog.entry(unit_id)
        assert entry is not None
        entry.msgstr = f"{attack} {entry.msgstr}"  # the names stay: no glossary error
        approve_entry(entry, REVIEWER)
    catalog.save()
    out = tmp_path / "site"
    report = json.loads(export(root, out, "--locale", "de", "--json").stdout)
    assert status(report, NOTICE, "de")["status"] == "published", status(report, NOTICE, "de")
    html = (out / "de" / f"{NOTICE}.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Fish &amp; Chips" in html
    assert "<title>&lt;script&gt;" in html
    index = (out / "de" / "index.html").read_text(encoding="utf-8")
    assert "<script" not in index and "&lt;script&gt;" in index
    # shown as typed: in <title>, in <h1> and in the paragraph
    assert Page(out / "de" / f"{NOTICE}.html").all_text.count(attack) == 3
    md_out = tmp_path / "md"
    assert run_cli("export", "--format", "markdown", "--out", str(md_out), "--locale", "de",
                   cwd=root).returncode == 0  # fmt: skip
    md = (md_out / "content" / "de" / f"{NOTICE}.md").read_text(encoding="utf-8")
    assert "\\<script\\>" in md and "\\*stars\\*" in md
    assert 'title: "<script>alert(\\"x\\")</script> Fish & Chips' in md  # YAML, not Markdown
    json_out = tmp_path / "json"
    assert run_cli("export", "--format", "json", "--out", str(json_out), "--locale", "de",
                   cwd=root).returncode == 0  # fmt: skip
    raw = (json_out / "de.json").read_text(encoding="utf-8")
    assert "<" not in raw and "\\u003cscript\\u003e" in raw
    titles = [d["title"]["text"] for d in json.loads(raw)["documents"]]
    assert any(title.startswith(attack) for title in titles)


# -- the outside judge -----------------------------------------------------------------------


def test_every_page_passes_the_nu_html_checker(site: tuple[Path, dict[str, Any]]) -> None:
    if shutil.which("java") is None:
        pytest.skip("Java is not installed: the Nu HTML checker (vnu.jar) needs it")
    if not VNU.is_file():
        pytest.skip(f"vnu.jar not installed at {VNU} (make test installs it with npm)")
    out, _ = site
    pages = sorted(str(p) for p in out.rglob("*.html"))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    assert errors == [], errors[:5]
    assert result.returncode == 0


def test_worker_processes_publish_the_same_site(approved: Path, tmp_path: Path) -> None:
    from transflow.config import load_project
    from transflow.errors import InputError
    from transflow.export import run_export

    project = load_project(approved)
    for fmt in ("site", "json"):
        one = run_export(project, fmt, tmp_path / f"{fmt}1", base_url=BASE_URL, workers=1)
        two = run_export(project, fmt, tmp_path / f"{fmt}2", base_url=BASE_URL, workers=2)
        assert snapshot(tmp_path / f"{fmt}1") == snapshot(tmp_path / f"{fmt}2")
        assert [p.to_json() for p in one.publications] == [p.to_json() for p in two.publications]
        assert one.file_count == two.file_count
    # an error met in a worker is the same one-line error, naming the file
    root = copy_project(approved, tmp_path / "stale")
    source = root / "source" / f"{APPEALS[2]}.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nA new last sentence.\n", "utf-8")
    with pytest.raises(InputError) as caught:
        run_export(load_project(root), "site", tmp_path / "s", base_url=BASE_URL, workers=2)
    assert str(caught.value).startswith(f"source/{APPEALS[2]}.md: changed since the last segment")
    assert not (tmp_path / "s").exists()


def test_a_worker_that_dies_loses_no_page(
    approved: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a worker took and never delivered, the parent publishes itself."""
    from transflow.config import load_project
    from transflow.export import run_export, workers

    parent = os.getpid()
    publish = workers._publish

    def dying(*args: Any) -> workers.Chunk:
        if os.getpid() != parent:
            os._exit(3)  # killed, out of memory...: no result, no clean-up
        return publish(*args)

    monkeypatch.setattr(workers, "_publish", dying)
    project = load_project(approved)
    one = run_export(project, "site", tmp_path / "one", base_url=BASE_URL, workers=1)
    two = run_export(project, "site", tmp_path / "two", base_url=BASE_URL, workers=2)
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")
    assert [p.to_json() for p in one.publications] == [p.to_json() for p in two.publications]
