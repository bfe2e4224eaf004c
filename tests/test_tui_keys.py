"""Key bindings: every one has an id, can be remapped, is in the palette, F1 and the README."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from projects import REPO
from review_support import make_app, review_project, settle
from transflow.config import Project, load_project
from transflow.unit import State

pytestmark = pytest.mark.asyncio

GOOD = "Heute ist Aserbaidschan mit fast 400 politischen Gefangenen Schlusslicht im Europarat."


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return review_project(tmp_path / "appeals")


def all_bindings() -> list[Any]:
    from transflow_tui.keys import sections

    return [b for _, bindings in sections() for b in bindings]


async def test_every_binding_has_an_id_and_twins_agree() -> None:
    by_id: dict[str, Any] = {}
    for binding in all_bindings():
        assert binding.id and binding.description, binding
        twin = by_id.setdefault(binding.id, binding)
        # The same id in two places (the editor shows what the screen binds) = the same keys.
        assert (twin.key, twin.action.split(".")[-1]) == (
            binding.key,
            binding.action.split(".")[-1],
        )


async def test_po_mode_keys_are_in_the_list() -> None:
    from transflow_tui.widgets.unit_table import UnitTable

    keys = {b.key: b.action for b in UnitTable.BINDINGS}  # type: ignore[union-attr]
    for key in (
        "n",
        "p",
        "f",
        "F",
        "u",
        "U",
        "tab",
        "enter",
        "k",
        "number_sign",
        "underscore",
        "q",
    ):
        assert key in keys, key


async def test_the_readme_has_the_key_table_of_this_version() -> None:
    from transflow_tui.keys import markdown_table

    table = markdown_table()
    listed = set(re.findall(r"`([a-z0-9-]+)`", table))
    digits = {f"suggestion-{n}" for n in range(1, 10)}
    assert {b.id for b in all_bindings()} - digits <= listed and "suggestion-9" in listed
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert table in readme, "README: paste markdown_table() from transflow_tui.keys"


async def test_a_key_remapped_in_the_settings_works(project: Project) -> None:
    from transflow_tui.settings import load_settings

    config = project.root / "pyproject.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + '\n[tool.transflow.review]\nkeys = { next-unit = "ctrl+n", approve-unit = "y" }\n',
        encoding="utf-8",
    )
    project = load_project(project.root)
    app = make_app(project, unit="e2ddaa09", settings=load_settings(project))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        review = app.review_screen()
        start = review.current
        await pilot.press("n")  # no longer bound
        assert review.current == start
        await pilot.press("ctrl+n")
        assert review.current != start
        await pilot.press("p", "enter")
        await pilot.press(*[{" ": "space"}.get(c, c) for c in GOOD])
        await pilot.press("escape", "y")  # approve, with the new key
        await settle(pilot)
        assert review.wb.row(start).state == State.REVIEWED


async def test_every_binding_is_a_command_in_the_palette(project: Project) -> None:
    app = make_app(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = {c.title: c.help for c in app.get_system_commands(app.screen)}
        approve = titles["Approve, go to the next unit needing work"]
        assert approve == "a, Ctrl+o, F3 · id approve-unit, approve"
        assert "Next fuzzy" in titles and "Concordance: search all catalogs" in titles
        await pilot.press("f1")
        from transflow_tui.screens.help import HelpScreen, key_table

        assert isinstance(app.screen, HelpScreen)
        ids = set(key_table().columns[2].cells)
        assert {"approve", "next-fuzzy", "undo", "quit"} <= {str(i) for i in ids}
