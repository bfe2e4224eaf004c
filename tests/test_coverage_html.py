"""The coverage HTML report: self-contained, escaped, and right when a real browser renders it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from projects import make_project, run_cli
from test_checking import fill
from test_coverage import MIXED
from transflow.config import load_project
from transflow.coverage import StateCounts, build_report
from transflow.report_html import render_html
from transflow.unit import State
from transflow.update import update_catalogs

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, object]]:
    root = make_project(tmp_path_factory.mktemp("html") / "p")
    update_catalogs(load_project(root))  # fresh catalogs: tests own every target
    fill(root, MIXED)
    html = root / "out" / "coverage.html"
    result = run_cli("coverage", "--json", "--html", str(html), cwd=root)
    assert result.returncode == 0, result.stderr
    return root, html, json.loads(result.stdout)


def test_page_is_self_contained(report: tuple[Path, Path, dict[str, object]]) -> None:
    _, html, _ = report
    text = html.read_text(encoding="utf-8")
    assert "<script" not in text.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text)
    assert "@import" not in text and "url(" not in text
    assert "<style>" in text


def test_text_is_escaped() -> None:
    counts = StateCounts()
    counts.add(State.REVIEWED, 3)
    page = render_html(build_report([("<b>doc</b>&", "de", counts, 0)], ["de"]), "A <i>team</i>")
    assert "<b>doc</b>" not in page and "&lt;b&gt;doc&lt;/b&gt;&amp;" in page
    assert "<i>team</i>" not in page


def _chromium(args: list[str], tmp: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp / 'profile'}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=90,
    )


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_chromium_renders_the_numbers(
    report: tuple[Path, Path, dict[str, object]], tmp_path: Path
) -> None:
    _, html, data = report
    result = _chromium(["--dump-dom", html.as_uri()], tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert "translation coverage" in dom
    locales = data["locales"]
    assert isinstance(locales, dict)
    for locale, total in locales.items():
        match = re.search(
            rf'<tr data-locale="{locale}">.*?data-field="reviewed-percent">([\d.]+)%.*?'
            r'data-field="reviewed-words">(\d+) / (\d+)',
            dom,
            re.S,
        )
        assert match, locale
        # shown with one decimal: off by at most half of 0.1 (plus float error)
        assert float(match.group(1)) == pytest.approx(total["reviewed_percent"], abs=0.05 + 1e-9)
        assert int(match.group(2)) == total["words"]["reviewed"]
        assert int(match.group(3)) == total["total_words"]
    # One row per document in each locale's table.
    documents = data["documents"]
    assert isinstance(documents, list)
    assert dom.count("<tr data-doc=") == len(documents)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_chromium_screenshot(report: tuple[Path, Path, dict[str, object]], tmp_path: Path) -> None:
    _, html, _ = report
    png = tmp_path / "coverage.png"
    result = _chromium(
        [f"--screenshot={png}", "--window-size=1200,900", "--hide-scrollbars", html.as_uri()],
        tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
