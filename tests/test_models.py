"""Model management: install, list, remove, and refusing bad packages without side effects."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from projects import make_project, run_cli
from transflow.errors import ModelError
from transflow.models import find_model, install_model, list_models, remove_model

LOCALES = ["az", "de", "fr", "ru"]
TOP = "translate-en_de-1_9"


def listing(root: Path) -> dict[str, bytes | None]:
    """Every entry under ``root`` (directories as None), to prove nothing changed."""
    if not root.exists():
        return {}
    return {
        p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


def rewrite(
    good: Path,
    out: Path,
    *,
    rename: Callable[[str], str] = lambda name: name,
    drop: tuple[str, ...] = (),
    metadata: Callable[[dict[str, object]], object] | None = None,
    extra: dict[str, bytes] | None = None,
) -> Path:
    """A copy of the package ``good`` with members renamed, dropped, added or edited."""
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename in drop:
                continue
            if metadata is not None and info.filename.endswith("/metadata.json"):
                data = json.dumps(metadata(json.loads(data))).encode()
            dst.writestr(rename(info.filename), data)
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    return out


def test_install_list_find_remove(models_dir: Path, argos_packages: dict[str, Path]) -> None:
    assert list_models(models_dir) == []
    info = install_model(models_dir, argos_packages["de"], LOCALES)
    assert (info.name, info.from_code, info.to_code, info.version) == (TOP, "en", "de", "1.9")
    assert (models_dir / TOP / "model" / "model.bin").is_file()
    assert info.size_bytes == sum(p.stat().st_size for p in info.path.rglob("*") if p.is_file())
    install_model(models_dir, argos_packages["ru"], LOCALES)
    assert [m.name for m in list_models(models_dir)] == [TOP, "translate-en_ru-1_9"]
    found = find_model(models_dir, "en", "ru")
    assert found is not None and found.to_code == "ru"
    assert find_model(models_dir, "en", "fr") is None
    assert find_model(models_dir, "en", "de_AT") == list_models(models_dir)[0]

    removed = remove_model(models_dir, TOP)
    assert removed.name == TOP
    assert [m.name for m in list_models(models_dir)] == ["translate-en_ru-1_9"]
    # besides the package, only Argos's own settings folder (.argos, made when a package loads)
    assert sorted(p.name for p in models_dir.iterdir() if p.name != ".argos") == [
        "translate-en_ru-1_9"
    ]


def test_same_pair_needs_force(
    models_dir: Path, argos_packages: dict[str, Path], tmp_path: Path
) -> None:
    install_model(models_dir, argos_packages["de"], LOCALES)
    before = listing(models_dir)
    newer = rewrite(
        argos_packages["de"],
        tmp_path / "translate-en_de-2_0.argosmodel",
        rename=lambda n: n.replace(TOP, "translate-en_de-2_0"),
        metadata=lambda m: {**m, "package_version": "2.0"},
    )
    with pytest.raises(ModelError, match=r"already installed \(translate-en_de-1_9\).*--force"):
        install_model(models_dir, newer, LOCALES)
    assert listing(models_dir) == before

    info = install_model(models_dir, newer, LOCALES, force=True)
    assert info.version == "2.0"
    assert [(m.name, m.version) for m in list_models(models_dir)] == [
        ("translate-en_de-2_0", "2.0")
    ]
    assert not any(p.name.startswith(".tmp") for p in models_dir.iterdir())
    # reinstalling the very same package with --force replaces it in place
    install_model(models_dir, newer, LOCALES, force=True)
    assert [m.name for m in list_models(models_dir)] == ["translate-en_de-2_0"]


def bad_packages(good: Path, tmp: Path) -> dict[str, tuple[Path, str]]:
    """Broken archives and the message each must produce."""
    garbage = tmp / "garbage.argosmodel"
    garbage.write_bytes(b"PK\x03\x04 this is not really a zip")
    truncated = tmp / "truncated.argosmodel"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    flat = rewrite(good, tmp / "flat.argosmodel", rename=lambda n: n.split("/", 1)[1] or "x/")
    return {
        "garbage": (garbage, "not a zip archive"),
        "truncated": (truncated, "not a zip archive"),
        "not argos": (
            rewrite(good, tmp / "docs.zip", drop=tuple(n for n in _names(good) if "model" in n)),
            "not an Argos package",
        ),
        "files at root": (flat, "one top-level folder"),
        "two folders": (
            rewrite(good, tmp / "two.argosmodel", extra={"other/readme.txt": b"hi"}),
            "one top-level folder",
        ),
        "zip-slip": (
            rewrite(good, tmp / "slip.argosmodel", extra={f"{TOP}/../../evil.txt": b"owned"}),
            "unsafe path",
        ),
        "absolute path": (
            rewrite(good, tmp / "abs.argosmodel", extra={"/etc/evil.txt": b"owned"}),
            "unsafe path",
        ),
        "no metadata": (
            rewrite(good, tmp / "nometa.argosmodel", drop=(f"{TOP}/metadata.json",)),
            "no translate-en_de-1_9/metadata.json",
        ),
        "bad metadata": (
            rewrite(good, tmp / "badmeta.argosmodel", metadata=lambda m: "[not json"),
            "metadata.json",
        ),
        "no to_code": (
            rewrite(
                good,
                tmp / "nocode.argosmodel",
                metadata=lambda m: {k: v for k, v in m.items() if k != "to_code"},
            ),
            "metadata.json has no to_code",
        ),
        "no model": (
            rewrite(good, tmp / "nomodel.argosmodel", drop=(f"{TOP}/model/model.bin",)),
            "model/model.bin missing",
        ),
        "no tokenizer": (
            rewrite(good, tmp / "notok.argosmodel", drop=(f"{TOP}/sentencepiece.model",)),
            "sentencepiece.model or",
        ),
        "en→xx": (
            rewrite(good, tmp / "enja.argosmodel", metadata=lambda m: {**m, "to_code": "ja"}),
            "package translates en→ja; this project needs en→{az, de, fr, ru}",
        ),
        "xx→en": (
            rewrite(
                good,
                tmp / "deen.argosmodel",
                metadata=lambda m: {**m, "from_code": "de", "to_code": "en"},
            ),
            "package translates de→en",
        ),
    }


def _names(archive: Path) -> list[str]:
    with zipfile.ZipFile(archive) as zf:
        return zf.namelist()


def test_bad_packages_are_refused_and_change_nothing(
    models_dir: Path, argos_packages: dict[str, Path], tmp_path: Path
) -> None:
    install_model(models_dir, argos_packages["ru"], LOCALES)
    before = listing(models_dir)
    for case, (archive, message) in bad_packages(argos_packages["de"], tmp_path).items():
        with pytest.raises(ModelError) as caught:
            install_model(models_dir, archive, LOCALES)
        text = str(caught.value)
        assert message in text, case
        assert text.startswith(f"{archive}: "), case  # names the file
        assert "\n" not in text, case
        assert listing(models_dir) == before, case
    assert not (tmp_path.parent / "evil.txt").exists()
    assert not Path("/etc/evil.txt").exists()


def test_failed_first_install_leaves_no_directory(tmp_path: Path) -> None:
    target = tmp_path / "models"
    bad = tmp_path / "bad.argosmodel"
    bad.write_bytes(b"nope")
    with pytest.raises(ModelError, match="not a zip archive"):
        install_model(target, bad, LOCALES)
    assert not target.exists()
    with pytest.raises(ModelError, match="no such file"):
        install_model(target, tmp_path / "missing.argosmodel", LOCALES)


def test_remove_unknown_or_unsafe_name(models_dir: Path, argos_packages: dict[str, Path]) -> None:
    install_model(models_dir, argos_packages["de"], LOCALES)
    before = listing(models_dir)
    for name in ("nope", "../models", ".", "", f"{TOP}/model"):
        with pytest.raises(ModelError, match=r"no installed model .*installed: translate-en_de"):
            remove_model(models_dir, name)
    assert listing(models_dir) == before


def test_cli_models_install_list_remove(tmp_path: Path, argos_packages: dict[str, Path]) -> None:
    project = make_project(tmp_path / "proj", copy_sources=False, copy_glossary=False)
    empty = run_cli("models", "list", cwd=project)
    assert empty.returncode == 0 and "No Argos packages" in empty.stdout

    ok = run_cli("models", "install", str(argos_packages["de"]), cwd=project)
    assert ok.returncode == 0, ok.stderr
    assert "installed translate-en_de-1_9" in ok.stdout
    assert (project / ".transflow" / "models" / TOP / "metadata.json").is_file()

    again = run_cli("models", "install", str(argos_packages["de"]), cwd=project)
    assert again.returncode == 2
    assert again.stderr.count("\n") == 1 and "--force" in again.stderr

    table = run_cli("models", "list", cwd=project)
    assert "en→de" in table.stdout and TOP in table.stdout and "1.9" in table.stdout
    data = json.loads(run_cli("models", "list", "--json", cwd=project).stdout)
    assert [(m["name"], m["from"], m["to"]) for m in data["models"]] == [(TOP, "en", "de")]

    gone = run_cli("models", "remove", TOP, "--json", cwd=project)
    assert gone.returncode == 0 and json.loads(gone.stdout)["removed"]["name"] == TOP
    assert json.loads(run_cli("models", "list", "--json", cwd=project).stdout)["models"] == []


def _corrupt_tokenizer(good: Path, out: Path) -> Path:
    """``good`` with its sentencepiece.model replaced by bytes SentencePiece cannot load."""
    with zipfile.ZipFile(good) as src:
        data = src.read(f"{TOP}/sentencepiece.model")
    broken = data[:40] + b"\xff" * 64 + data[200:]
    return rewrite(
        good,
        out,
        drop=(f"{TOP}/sentencepiece.model",),
        extra={f"{TOP}/sentencepiece.model": broken},
    )


def test_install_refuses_a_package_that_cannot_translate(
    models_dir: Path, argos_packages: dict[str, Path], tmp_path: Path
) -> None:
    """The package is loaded and test-translated before it is accepted (issue 13 point 6)."""
    install_model(models_dir, argos_packages["ru"], LOCALES)
    before = listing(models_dir)
    archive = _corrupt_tokenizer(argos_packages["de"], tmp_path / "badsp.argosmodel")
    with pytest.raises(ModelError) as caught:
        install_model(models_dir, archive, LOCALES)
    text = str(caught.value)
    assert text.startswith(f"{archive}: ") and "sentencepiece.model" in text, text
    assert "\n" not in text
    assert listing(models_dir) == before
