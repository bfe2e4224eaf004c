"""Save the README's screenshots of ``transflow review`` (SVG, Textual's own screenshot).

Runs the real application on a fresh copy of the bundled project, after a
memory-only pre-translation, so what the pictures show is what a translator
sees on the bundled appeals:

    .venv/bin/python scripts/tui_screenshots.py    # writes docs/review*.svg, docs/coverage-screen.svg
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

from transflow.config import load_project
from transflow.pretranslate import pretranslate
from transflow_tui.app import ReviewApp

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
DOC = "bonn-2025-appeal-european-commission"
UNIT = "e82e65a4"  # an 80 % memory match from the Committee of Ministers appeal
REVIEWER = "Anna Schmidt <anna@example.org>"


async def settle(pilot: object) -> None:
    app = pilot.app  # type: ignore[attr-defined]
    for _ in range(3):
        await pilot.pause()  # type: ignore[attr-defined]
        await app.workers.wait_for_complete()
    await pilot.pause(0.3)  # type: ignore[attr-defined]


async def review(root: Path, size: tuple[int, int], name: str) -> None:
    app = ReviewApp(load_project(root), REVIEWER, locale="de", doc=DOC, unit=UNIT)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.save_screenshot(name, str(DOCS))


async def coverage(root: Path, size: tuple[int, int], name: str) -> None:
    app = ReviewApp(load_project(root), REVIEWER)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("right", "down")  # de, the European Commission appeal
        await settle(pilot)
        app.save_screenshot(name, str(DOCS))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "appeals"
        root.mkdir()
        for name in ("pyproject.toml", "glossary.yaml"):
            shutil.copy(REPO / name, root / name)
        for name in ("source", "locales", "memory"):
            if (REPO / name).exists():
                shutil.copytree(REPO / name, root / name)
        project = load_project(root)
        pretranslate(project, locales=["de"], docs=[DOC], engines=["memory"])
        asyncio.run(review(root, (140, 40), "review.svg"))
        asyncio.run(review(root, (80, 24), "review-80x24.svg"))
        asyncio.run(coverage(root, (100, 30), "coverage-screen.svg"))
    print("wrote", ", ".join(str(p.relative_to(REPO)) for p in sorted(DOCS.glob("*.svg"))))


if __name__ == "__main__":
    main()
