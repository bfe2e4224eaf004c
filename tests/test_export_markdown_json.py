"""``--format markdown`` (Hugo content) and ``--format json`` (for a JavaScript front end)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from export_support import approved_project
from projects import run_cli
from transflow.export.markdown import escape

NOTICE = "bonn-2025-notice"
APPEAL = "bonn-2025-appeal-committee-of-ministers"


@pytest.fixture(scope="module")
def approved(tmp_path_factory: pytest.TempPathFactory, installed_models: Path) -> Path:
    return approved_project(tmp_path_factory, installed_models)


def front_matter(path: Path) -> tuple[dict[str, object], str]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    data = YAML(typ="safe", pure=True).load(front)
    return dict(data), body


def test_markdown_is_hugo_content_linked_by_translation_key(approved: Path, tmp_path: Path) -> None:
    out = tmp_path / "md"
    result = run_cli("export", "--format", "markdown", "--out", str(out), cwd=approved)
    assert result.returncode == 0, result.stderr
    # az and fr have nothing wholly approved in this copy: nothing published there
    assert sorted(p.name for p in (out / "content").iterdir()) == ["de", "en", "ru"]
    de, body = front_matter(out / "content" / "de" / f"{APPEAL}.md")
    en, en_body = front_matter(out / "content" / "en" / f"{APPEAL}.md")
    assert de["translationKey"] == en["translationKey"] == APPEAL
    assert de["lang"] == "de" and en["lang"] == "en"
    assert str(de["date"]) == "2025-10-25"
    assert de["title"] == "Appell an den Präsidenten des Ministerkomitees des Europarats"
    assert de["place"] == "Bonn, Deutschland"
    assert "partial" not in de
    # the structure, rebuilt: the heading under the title, the list with its numbers
    assert "\n## APPELL\n" in body and "\n## APPEAL\n" in en_body
    items = [m.group(1) for m in re.finditer(r"^(\d+)\. ", body, re.M)]
    assert items == ["1", "2", "3", "4", "5", "6"]
    assert items == [m.group(1) for m in re.finditer(r"^(\d+)\. ", en_body, re.M)]
    # "25. Oktober 2025, Bonn" is a dateline, not list item 25: the dot is escaped
    assert "\n25\\. Oktober 2025, Bonn, Deutschland\n" in body


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("Plain text.", "Plain text."),
        ("*not emphasis* and _not_ either", "\\*not emphasis\\* and \\_not\\_ either"),
        ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
        ("# not a heading", "\\# not a heading"),
        ("2025. A year", "2025\\. A year"),
        ("- not a bullet", "\\- not a bullet"),
        ("AT&T &amp; co", "AT&T \\&amp; co"),
        ("[link](x)", "\\[link\\](x)"),
    ],
)
def test_markdown_escaping_keeps_translator_text_as_text(text: str, markdown: str) -> None:
    assert escape(text) == markdown


def test_hugo_renders_the_escaped_text_as_typed(tmp_path: Path) -> None:
    hugo = shutil.which("hugo")
    if hugo is None:
        pytest.skip("hugo is not installed (make bench installs it)")
    site = tmp_path / "hugo"
    (site / "content" / "en").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
        '[languages.en]\ncontentDir = "content/en"\n',
        encoding="utf-8",
    )
    (site / "layouts" / "_default" / "single.html").write_text("{{ .Content }}", encoding="utf-8")
    (site / "layouts" / "_default" / "list.html").write_text("", encoding="utf-8")
    texts = ["<script>x</script> *a* _b_", "# h", "2025. A year", "AT&T &amp; co", "[l](x)"]
    body = "\n\n".join(escape(t) for t in texts)
    (site / "content" / "en" / "p.md").write_text(f"---\ntitle: t\n---\n\n{body}\n", "utf-8")
    done = subprocess.run([hugo, "--quiet"], cwd=site, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    html = (site / "public" / "p" / "index.html").read_text(encoding="utf-8")
    expected = [
        "<p>&lt;script&gt;x&lt;/script&gt; *a* _b_</p>",
        "<p># h</p>",
        "<p>2025. A year</p>",
        "<p>AT&amp;T &amp;amp; co</p>",
        "<p>[l](x)</p>",
    ]
    assert [line for line in html.splitlines() if line] == expected


def test_json_one_document_per_language(approved: Path, tmp_path: Path) -> None:
    out = tmp_path / "json"
    result = run_cli("export", "--format", "json", "--out", str(out), cwd=approved)
    assert result.returncode == 0, result.stderr
    data = json.loads((out / "ru.json").read_text(encoding="utf-8"))
    assert (data["lang"], data["name"], data["dir"]) == ("ru", "Русский", "ltr")
    assert [lang["lang"] for lang in data["languages"]] == ["en", "az", "de", "fr", "ru"]
    notice = next(d for d in data["documents"] if d["id"] == NOTICE)
    assert notice["date"] == "2025-10-25" and notice["date_text"] == "25 октября 2025\u202fг."
    assert notice["place"] == {"text": "Бонн, Германия", "lang": "ru", "unit": "9458a18d"}
    assert notice["partial"] is False and notice["untranslated"] == []
    assert set(notice["versions"]) >= {"en", "de", "ru"}
    appeal = next(d for d in data["documents"] if d["id"] == APPEAL)
    kinds = [b["kind"] for b in appeal["blocks"]]
    assert kinds.count("list-item") == 6 and "heading" in kinds
    numbers = [b["number"] for b in appeal["blocks"] if b["kind"] == "list-item"]
    assert numbers == [1, 2, 3, 4, 5, 6]
    assert all(r["lang"] == "ru" for b in appeal["blocks"] for r in b["runs"])
    english = json.loads((out / "en.json").read_text(encoding="utf-8"))
    assert len(english["documents"]) == 4
    # a locale with nothing published still has its (empty) document
    az = json.loads((out / "az.json").read_text(encoding="utf-8"))
    assert az["documents"] == []
