"""A real browser opens the German and Russian pages of one appeal (headless Chromium)."""

from __future__ import annotations

import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from export_support import BASE_URL, approved_project
from projects import run_cli

APPEAL = "bonn-2025-appeal-committee-of-ministers"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("Chromium is not installed (make test installs the Debian package)")


def browse(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [chromium(), *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )


class Dom(HTMLParser):
    """The rendered DOM as Chromium dumps it: visible text and the language switcher."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.text: list[str] = []
        self.switcher: list[tuple[str, str, bool]] = []  # (lang, label, current)
        self.html_lang = ""
        self._link: dict[str, str | None] | None = None
        self._in_nav = False
        self._skip = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang") or ""
        elif tag == "nav":
            self._in_nav = True
        elif tag == "a" and self._in_nav:
            self._link = a
        elif tag in ("head", "style", "script"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_nav = False
        elif tag in ("head", "style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            current = self._link.get("aria-current") == "page"
            self.switcher.append((self._link.get("lang") or "", data.strip(), current))
            self._link = None
        if not self._skip:
            self.text.append(data)

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, installed_models: Path) -> Path:
    root = approved_project(tmp_path_factory, installed_models)
    out = tmp_path_factory.mktemp("browser") / "site"
    result = run_cli(
        "export", "--format", "site", "--out", str(out), "--base-url", BASE_URL, cwd=root
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.parametrize(
    ("lang", "title", "date", "own_name"),
    [
        ("de", "Appell an den Präsidenten des Ministerkomitees des Europarats",
         "25. Oktober 2025", "Deutsch"),
        ("ru", "Обращение к председателю Комитета министров Совета Европы",
         "25 октября 2025 г.", "Русский"),
    ],
)  # fmt: skip
def test_a_browser_shows_the_page_in_its_language(
    site: Path, tmp_path: Path, lang: str, title: str, date: str, own_name: str
) -> None:
    page = site / lang / f"{APPEAL}.html"
    dumped = browse(page, tmp_path / "profile", "--dump-dom")
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = Dom(dumped.stdout)
    assert dom.html_lang == lang
    assert title in dom.visible
    assert date in dom.visible  # from the front-matter date, in the reader's language
    assert "October 25, 2025" not in dom.visible
    # the versions that are published (az and fr are not, in this copy), each in its own name
    assert [(code, label) for code, label, _ in dom.switcher] == [
        ("en", "English"),
        ("de", "Deutsch"),
        ("ru", "Русский"),
    ]
    assert [label for _, label, current in dom.switcher if current] == [own_name]
    shot = tmp_path / f"{lang}.png"
    taken = browse(page, tmp_path / "profile2", "--window-size=1000,1200", f"--screenshot={shot}")
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert png_size(shot) == (1000, 1200)
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one
