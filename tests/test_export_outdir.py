"""The output folder: names that cannot escape it, and a swap that never leaves it half-written."""

from __future__ import annotations

from pathlib import Path

import pytest

from export_support import BASE_URL, copy_bundled
from projects import make_project, run_cli, snapshot
from transflow.config import load_project
from transflow.errors import InputError
from transflow.export import run_export
from transflow.export.outdir import MARKER, Staging, slug, staged_output


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bonn-2025-notice", "bonn-2025-notice"),
        ("../../etc/passwd", "etc-passwd"),
        ("a/b\\c", "a-b-c"),
        ("..", None),
        ("Müraciət İlham", "muraciet-ilham"),
        ("Обращение", None),
        ("UPPER case", "upper-case"),
    ],
)
def test_slugs_keep_only_safe_characters(name: str, expected: str | None) -> None:
    made = slug(name)
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in made)
    assert "/" not in made and ".." not in made and made
    if expected is None:
        assert made.startswith("doc-") and made == slug(name)  # stable
    else:
        assert made == expected


def test_a_nul_in_a_name_is_refused() -> None:
    with pytest.raises(InputError, match="NUL"):
        slug("a\x00b")


@pytest.mark.parametrize("relative", ["../x", "/etc/x", "a/../../x", "a//b", "", "a/\x00"])
def test_staging_refuses_paths_that_leave_it(tmp_path: Path, relative: str) -> None:
    with pytest.raises(InputError, match="outside the output folder"):
        Staging(tmp_path).path(relative)


def test_documents_with_hostile_names_stay_inside_out(tmp_path: Path) -> None:
    text = "---\ntitle: ../../../etc/passwd\n---\n\nA sentence.\n"
    root = make_project(
        tmp_path / "p", sources={"...md": text, "..%2F..%2Fx.md": text}, copy_sources=False
    )
    assert run_cli("segment", cwd=root).returncode == 0
    out = tmp_path / "deep" / "site"
    for fmt in ("site", "markdown", "json", "xliff", "tmx", "po"):
        result = run_cli(
            "export", "--format", fmt, "--out", str(out), "--base-url", BASE_URL, cwd=root
        )
        assert result.returncode == 0, result.stderr
        written = [p for p in (tmp_path / "deep").rglob("*") if p.is_file()]
        assert written and all(p.resolve().is_relative_to(out.resolve()) for p in written), fmt
        assert not (tmp_path / "etc").exists()
    names = sorted(p.name for p in (out / "de" / "LC_MESSAGES").iterdir())
    assert names == sorted(
        f"{slug(d)}.{ext}" for d in ("..", "..%2F..%2Fx") for ext in ("po", "mo")
    )
    assert slug("..%2F..%2Fx") == "2f-2fx"


def test_existing_output_is_replaced_whole(tmp_path: Path) -> None:
    root = copy_bundled(tmp_path / "p")
    out = tmp_path / "site"
    first = run_cli(
        "export", "--format", "site", "--out", str(out), "--base-url", BASE_URL, cwd=root
    )
    assert first.returncode == 0, first.stderr
    (out / "stale-page.html").write_text("left from an old export", encoding="utf-8")
    again = run_cli("export", "--format", "json", "--out", str(out), cwd=root)
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [MARKER, "az.json", "de.json", "en.json", "fr.json", "ru.json"]
    )
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_a_failed_export_leaves_the_old_output_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_bundled(tmp_path / "p")
    out = tmp_path / "site"
    project = load_project(root)
    run_export(project, "site", out, base_url=BASE_URL)
    before = snapshot(out)

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("transflow.export.site._items", broken)
    with pytest.raises(OSError):
        run_export(project, "site", out, base_url=BASE_URL)
    assert snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_folders_transflow_did_not_write_are_never_replaced(tmp_path: Path) -> None:
    root = copy_bundled(tmp_path / "p")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.txt").write_text("years of work", encoding="utf-8")
    for out in (mine, root, root / "locales", root / "source" / "x"):
        before = snapshot(root)
        result = run_cli("export", "--format", "json", "--out", str(out), cwd=root)
        assert result.returncode == 2, out
        assert result.stderr.count("\n") == 1 and "--out" in result.stderr
        assert snapshot(root) == before
    assert (mine / "thesis.txt").read_text(encoding="utf-8") == "years of work"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_cli("export", "--format", "json", "--out", str(empty), cwd=root).returncode == 0


def test_staged_output_swaps_in_one_step(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with staged_output(out) as staging:
        staging.write_text("a.txt", "one")
    with staged_output(out) as staging:
        staging.write_text("b.txt", "two")
        assert (out / "a.txt").exists()  # the old output stays until the new one is complete
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "b.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging folder left
