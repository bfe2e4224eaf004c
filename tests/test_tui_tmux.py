"""``transflow review de`` in a real terminal: tmux at 80×24, keys sent as a translator types them.

The Pilot tests drive the application from inside; these start the real
command in a detached tmux session (its own server socket), read the screen
with ``capture-pane``, and check the PO file it wrote — and that killing the
process mid-sentence loses nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from projects import REVIEWER
from review_support import entry, review_project
from transflow.approval import find_approval
from transflow.catalog import state_of
from transflow.config import Project
from transflow.unit import State

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

UNIT = "e2ddaa09"  # the first untranslated unit: `u` (PO mode) goes there
TEXT = "Heute ist Aserbaidschan mit fast 400 politischen Gefangenen Schlusslicht im Europarat."


class Tmux:
    """One detached tmux server and session running a command at 80×24."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def run(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30
        )
        return done.stdout

    def start(self, cwd: Path, command: list[str]) -> None:
        env = ["-e", f"TRANSFLOW_REVIEWER={REVIEWER}", "-e", "TERM=tmux-256color"]
        self.run("-f", os.devnull, "new-session", "-d", "-s", "review", "-x", "80", "-y", "24",
                 "-c", str(cwd), *env, *command)  # fmt: skip
        self.run("set-option", "-g", "escape-time", "10")
        self.run("set-option", "-g", "remain-on-exit", "on")

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "review")

    def wait_for(self, text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen:\n{self.screen()}")

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", "review", *(["-l"] if literal else []), *keys)
        time.sleep(0.3)

    def pid(self) -> int:
        return int(self.run("display-message", "-p", "-t", "review", "#{pane_pid}").strip())

    def dead(self) -> bool:
        return self.run("display-message", "-p", "-t", "review", "#{pane_dead}").strip() == "1"

    def kill_server(self) -> None:
        self.run("kill-server")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    session = Tmux(f"transflow-test-{os.getpid()}-{tmp_path.name}")
    yield session
    session.kill_server()


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return review_project(tmp_path / "appeals")


def review_command() -> list[str]:
    return [sys.executable, "-m", "transflow.cli", "review", "de"]


def wait_until_dead(tmux: Tmux, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not tmux.dead():
        assert time.monotonic() < deadline, tmux.screen()
        time.sleep(0.2)


def test_edit_and_approve_one_unit_at_80x24(tmux: Tmux, project: Project) -> None:
    tmux.start(project.root, review_command())
    tmux.wait_for("Source · 38f8f03f")  # the first unit that needs work: translated, unapproved
    tmux.wait_for("(g inserts)")  # the catalog and glossary behind the list are loaded
    tmux.keys("u")  # PO mode: the next untranslated unit
    tmux.wait_for(f"Source · {UNIT}")
    tmux.keys("Enter")
    tmux.keys(TEXT, literal=True)
    shown = tmux.wait_for("edited, not saved yet")
    assert "Schlusslicht" in shown
    tmux.keys("C-o")  # approve
    shown = tmux.wait_for("Source · d9f43a11")  # moved on to the next unit needing work
    row = next(line for line in shown.splitlines() if UNIT in line)
    assert "approved" in row
    assert all(len(line) <= 80 for line in shown.splitlines())
    assert "20t+0f+28u" in shown  # the PO mode count in the status line
    tmux.keys("q")
    tmux.wait_for("Quit transflow review?")
    tmux.keys("y")
    wait_until_dead(tmux)

    saved = entry(project, UNIT)
    assert saved.msgstr == TEXT and state_of(saved) == State.REVIEWED
    approval = find_approval(saved.tcomment, saved.msgid, saved.msgstr, tuple(saved.flags))
    assert approval is not None and approval.reviewer == REVIEWER


def test_a_killed_terminal_loses_nothing(tmux: Tmux, project: Project) -> None:
    tmux.start(project.root, review_command())
    tmux.wait_for("(g inserts)")
    tmux.keys("u")
    tmux.wait_for(f"Source · {UNIT}")
    tmux.keys("Enter")
    tmux.keys(TEXT, literal=True)
    tmux.wait_for("edited, not saved yet")
    time.sleep(1.0)  # the autosave runs half a second after the last key
    os.kill(tmux.pid(), 9)  # as when the SSH link drops: no chance to save
    wait_until_dead(tmux)
    assert state_of(entry(project, UNIT)) == State.NEW

    tmux.run("respawn-pane", "-k", "-t", "review", *review_command())
    tmux.wait_for("An unsaved translation was left behind")
    tmux.keys("r")
    tmux.wait_for("edited, not saved yet")
    tmux.keys("C-s")
    tmux.wait_for("translated, not approved")
    tmux.keys("C-q")
    wait_until_dead(tmux)
    saved = entry(project, UNIT)
    assert saved.msgstr == TEXT and state_of(saved) == State.TRANSLATED
