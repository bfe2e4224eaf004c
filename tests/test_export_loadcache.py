"""The export's cache of loaded documents: the same pages with it, without it, after a change."""

from __future__ import annotations

from pathlib import Path

import pytest

from export_support import BASE_URL, approve, copy_bundled
from projects import snapshot
from transflow.catalog import Catalog, set_target
from transflow.catalog import approve as approve_entry
from transflow.config import load_project
from transflow.export import content, loadcache, run_export
from transflow.export.content import load_sources
from transflow.export.loadcache import CACHE_FILE, LoadCache

NOTICE = "bonn-2025-notice"


def _export(root: Path, out: Path, fmt: str = "site") -> dict[str, bytes]:
    run_export(load_project(root), fmt, out, base_url=BASE_URL, allow_partial=True, workers=1)
    return snapshot(out)


def _no_loading(*args: object) -> None:
    raise AssertionError("a document was loaded from its files, not from the cache")


def test_a_cached_document_is_the_document_loaded_from_its_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = load_project(copy_bundled(tmp_path / "p"))
    docs, locales = project.docs(), tuple(project.locales)
    loaded = load_sources(project, docs, locales)  # no cache at all
    cache = LoadCache(project.cache_dir)
    assert load_sources(project, docs, locales, cache) == loaded  # cold: loads and stores
    cache.close()
    assert (project.cache_dir / CACHE_FILE).exists()
    with monkeypatch.context() as patch:
        patch.setattr(content, "_load_source", _no_loading)
        cache = LoadCache(project.cache_dir)
        assert load_sources(project, docs, locales, cache) == loaded  # warm: rebuilt from rows
        cache.close()
        # another set of locales is another row
        with pytest.raises(AssertionError, match="not from the cache"):
            load_sources(project, docs, ("de",), LoadCache(project.cache_dir))
    # an upgraded transflow (other code) never reuses the rows of the old one
    monkeypatch.setattr(loadcache, "code_digest", lambda: b"another version")
    monkeypatch.setattr(content, "_load_source", _no_loading)
    with pytest.raises(AssertionError, match="not from the cache"):
        load_sources(project, docs, locales, LoadCache(project.cache_dir))


def test_pages_are_the_same_with_a_cold_and_a_warm_cache(tmp_path: Path) -> None:
    root = copy_bundled(tmp_path / "p")
    approve(root, "de")  # partial pages: English runs and spans among the German
    cache = root / ".transflow" / "cache" / CACHE_FILE
    for fmt in ("site", "markdown", "json"):
        cache.unlink(missing_ok=True)
        cold = _export(root, tmp_path / f"{fmt}-cold", fmt)
        assert cache.exists()
        warm = _export(root, tmp_path / f"{fmt}-warm", fmt)
        assert cold == warm
        assert any("untranslated" in data.decode("utf-8") for data in warm.values())


def test_a_changed_catalog_is_read_again(tmp_path: Path) -> None:
    root = copy_bundled(tmp_path / "p")
    approve(root, "de", NOTICE)
    out = tmp_path / "site"
    before = _export(root, out)[f"de/{NOTICE}.html"].decode("utf-8")
    assert '<span class="place">Bonn, Deutschland</span>' in before
    path = root / "locales" / "de" / f"{NOTICE}.po"
    catalog = Catalog.load(path, "de")
    entry = catalog.entry("9458a18d")  # the place line
    assert entry is not None
    set_target(entry, "Bonn am Rhein, Deutschland")
    approve_entry(entry, "Test Reviewer <reviewer@example.org>")
    catalog.save()
    after = _export(root, out)[f"de/{NOTICE}.html"].decode("utf-8")
    assert '<span class="place">Bonn am Rhein, Deutschland</span>' in after


def test_a_damaged_or_unusable_cache_only_costs_time(tmp_path: Path) -> None:
    root = copy_bundled(tmp_path / "p")
    approve(root, "de", NOTICE)
    expected = _export(root, tmp_path / "first")
    cache = root / ".transflow" / "cache" / CACHE_FILE
    cache.write_bytes(b"not a database" * 100)  # damaged: ignored, then rebuilt
    assert _export(root, tmp_path / "damaged") == expected
    assert cache.read_bytes().startswith(b"SQLite format 3\x00")
    cache.unlink()
    cache.mkdir()  # cannot be opened at all: loaded without a cache, nothing left behind
    assert _export(root, tmp_path / "unusable") == expected
    assert list(cache.iterdir()) == []


def test_a_cached_document_is_checked_again_when_the_glossary_or_the_settings_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document's QA errors and states are cached with it, so the row is keyed on what
    the checks read besides its files: the glossary and the ``[tool.transflow.qa]`` settings."""
    from transflow.export.policy import Status

    root = copy_bundled(tmp_path / "p")
    approve(root, "de", NOTICE)

    def notice() -> tuple[Status, set[str]]:
        result = run_export(
            load_project(root), "site", tmp_path / "out", base_url=BASE_URL, workers=1
        )
        found = next(p for p in result.publications if p.doc == NOTICE and p.locale == "de")
        return found.status, {f.check for b in found.blockers for f in b.findings}

    assert notice() == (Status.PUBLISHED, set())
    glossary = root / "glossary.yaml"
    text = glossary.read_text(encoding="utf-8")
    old = "      de:\n        approved: Bonn\n        forms: [Bonn, Bonner, Bonns]\n"
    assert old in text
    # the glossary now wants "Bonn am Rhein": "Bonn, Deutschland" misses the approved form
    new = "      de:\n        approved: Bonn am Rhein\n        forms: [Bonn am Rhein, Bonner]\n"
    glossary.write_text(text.replace(old, new), encoding="utf-8")
    assert notice() == (Status.WITHHELD, {"glossary-missing"})
    with monkeypatch.context() as patch:  # the same again: every document from the cache
        patch.setattr(content, "_load_source", _no_loading)
        assert notice() == (Status.WITHHELD, {"glossary-missing"})
    with (root / "pyproject.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[tool.transflow.qa.severity]\nglossary-missing = "warning"\n')
    assert notice() == (Status.PUBLISHED, set())
