"""A non-editable install ships every module: the wheel is what users get, not the checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from projects import REPO


def test_wheel_contains_every_package_and_module(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    [wheel] = tmp_path.glob("transflow-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "transflow/" + p.relative_to(REPO / "src" / "transflow").as_posix()
        for p in (REPO / "src" / "transflow").rglob("*.py")
    } | {
        "transflow_tui/" + p.relative_to(REPO / "tui").as_posix()
        for p in (REPO / "tui").rglob("*.py")
    }
    assert expected - names == set()
    assert "transflow/py.typed" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "transflow = transflow.cli:run" in zipfile.ZipFile(wheel).read(entry_points).decode()
