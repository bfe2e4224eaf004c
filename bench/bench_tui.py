"""The review application on a 5,000-unit catalog, measured as a user feels it: in a terminal.

``transflow review de --doc big`` runs in a pseudo-terminal at 80×24 (as over
SSH); the benchmark writes keys and reads the screen updates, timing:

* first paint: from starting the command to the first frame showing the unit
  list and the selected unit (target < 1 s), and to the catalog behind it
  being loaded (the editor's live QA ready);
* next unit (``n``): from the key to the frame showing the next unit (< 50 ms);
* a keystroke in the editor: from the key to the frame showing it (< 50 ms).

Baseline, in the same run and the same terminal: a bare Textual review app as
one would first write it — polib loads the catalog, a ``DataTable`` of its
units and a ``TextArea`` for the selected target, nothing else. The ratios say
what the glossary, QA, memory, context and the rest cost on top.

Frames are told apart by the terminal's synchronized-output markers, which
Textual writes when the terminal says it supports them (this harness does).

    python bench/bench_tui.py [--quick]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import random
import re
import select
import shutil
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SYNC_QUERY = b"\x1b[?2026$p"
SYNC_REPLY = b"\x1b[?2026;2$y"  # "supported, currently off"
SYNC_END = b"\x1b[?2026l"
ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Za-z0-9]|\x1b[=>]")

BASELINE_APP = """
import sys, polib
from textual.app import App
from textual.widgets import DataTable, Static, TextArea

class Bare(App):
    CSS = "DataTable {height: 8} TextArea {height: 5}"
    def compose(self):
        yield DataTable(cursor_type="row")
        yield Static(id="source")
        yield TextArea(id="target")
    def on_mount(self):
        self.entries = [e for e in polib.pofile(sys.argv[1]) if not e.obsolete]
        table = self.query_one(DataTable)
        table.add_columns("state", "id", "source")
        for e in self.entries:
            state = "fuzzy" if "fuzzy" in e.flags else ("done" if e.msgstr else "new")
            table.add_row(state, e.msgctxt, e.msgid[:60], key=e.msgctxt)
        table.focus()
    def on_data_table_row_highlighted(self, event):
        e = self.entries[event.cursor_row]
        self.query_one("#source", Static).update("Source · " + e.msgctxt + "  " + e.msgid)
        self.query_one(TextArea).load_text(e.msgstr)
    def on_data_table_row_selected(self, event):
        self.query_one(TextArea).focus()

Bare().run()
"""


def build_project(root: Path, units: int) -> tuple[Path, list[str]]:
    """A project with a document ``big`` of about ``units`` units (the appeals, shuffled)."""
    from transflow.config import load_project
    from transflow.pretranslate import pretranslate
    from transflow.review.rows import read_rows
    from transflow.update import update_catalogs

    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copy(REPO / "glossary.yaml", root / "glossary.yaml")
    shutil.copytree(REPO / "source", root / "source")
    shutil.copytree(REPO / "locales", root / "locales")
    paragraphs: list[str] = []
    for path in sorted((REPO / "source").glob("*.md")):
        body = path.read_text(encoding="utf-8").split("---", 2)[-1]
        paragraphs += [p for p in body.split("\n\n") if p.strip() and not p.startswith("#")]
    rng = random.Random(5)
    chosen = [rng.choice(paragraphs) for _ in range(units * 17 // 50)]
    (root / "source" / "big.md").write_text(
        "---\ntitle: Big\n---\n\n" + "\n\n".join(chosen) + "\n", encoding="utf-8"
    )
    project = load_project(root)
    update_catalogs(project)
    pretranslate(project, locales=["de"], docs=["big"], engines=["memory"])
    rows = read_rows(project, "de", "big")
    return project.catalog_path("de", "big"), [row.id for row in rows]


class Terminal:
    """A command in a pseudo-terminal of 80×24; what it writes, and when."""

    def __init__(self, command: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.start = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: the terminal's size, then the command
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
            os.chdir(cwd)
            os.execvpe(command[0], command, env)
        self.pid, self.fd = pid, fd
        self.output = bytearray()

    def read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            return False
        if SYNC_QUERY in data:
            os.write(self.fd, SYNC_REPLY)
        self.output += data
        return True

    def wait_for(self, text: str, since: int, timeout: float = 60) -> float:
        """The time at which a finished frame after byte ``since`` shows ``text`` (or: a|b)."""
        wanted = [t.encode() for t in text.split("|")]
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            end = self.output.find(SYNC_END, since)
            while end != -1:
                frame = ANSI.sub(b"", bytes(self.output[since:end]))
                if any(w in frame for w in wanted):
                    return time.perf_counter()
                end = self.output.find(SYNC_END, end + 1)
            self.read(0.05)
        raise TimeoutError(f"{text!r} never shown; last output: {bytes(self.output[-300:])!r}")

    def press(self, key: bytes, text: str, settle: float = 0.15) -> float:
        """Seconds from writing ``key`` to the frame that shows ``text``."""
        self.drain(settle)
        since = len(self.output)
        sent = time.perf_counter()
        os.write(self.fd, key)
        return self.wait_for(text, since) - sent

    def drain(self, quiet: float) -> None:
        while self.read(quiet):
            pass

    def close(self) -> None:
        try:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        os.close(self.fd)


def measure(
    command: list[str], cwd: Path, ids: list[str], rounds: int, app: str
) -> dict[str, float]:
    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    env["TRANSFLOW_REVIEWER"] = "Bench Reviewer <bench@example.org>"
    term = Terminal(command, cwd, env)
    try:
        first = "Source · " + ids[0] if app == "baseline" else "Source · "
        paint = term.wait_for(first, 0) - term.start
        loaded = paint
        if app == "transflow":
            # the glossary panel fills once the catalog and glossary are loaded
            loaded = term.wait_for("(g inserts)|no glossary terms", 0) - term.start
        term.drain(1.0)
        start = ids.index(current(term, ids))
        moves = []
        for i in range(rounds):
            key = b"n" if app == "transflow" else b"\x1b[B"
            moves.append(term.press(key, "Source · " + ids[start + i + 1]))
        term.press(b"\r", "" if app == "baseline" else "Target")
        keys = []
        for i in range(rounds):
            letter = "Zq"[i % 2]
            keys.append(term.press(letter.encode(), letter, settle=0.1))
        return {
            "paint": paint,
            "loaded": loaded,
            "next": statistics.median(moves),
            "key": statistics.median(keys),
        }
    finally:
        term.close()


def current(term: Terminal, ids: list[str]) -> str:
    """The unit the screen shows now (the last "Source · <id>" drawn)."""
    text = ANSI.sub(b"", bytes(term.output)).decode("utf-8", "replace")
    shown = re.findall(r"Source · ([0-9a-f]{8})", text)
    return shown[-1] if shown else ids[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--units", type=int, default=5000)
    args = parser.parse_args()
    rounds = 10 if args.quick else 30
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        catalog, ids = build_project(root, args.units)
        (root / "bare.py").write_text(BASELINE_APP, encoding="utf-8")
        ours_cmd = [sys.executable, "-m", "transflow.cli", "review", "de", "--doc", "big"]
        base_cmd = [sys.executable, str(root / "bare.py"), str(catalog)]
        results: dict[str, list[dict[str, float]]] = {"transflow": [], "baseline": []}
        for _ in range(1 if args.quick else 3):  # interleaved, so a slow spell hits both
            results["baseline"].append(measure(base_cmd, root, ids, rounds, "baseline"))
            results["transflow"].append(measure(ours_cmd, root, ids, rounds, "transflow"))

    def med(app: str, key: str) -> float:
        return statistics.median(r[key] for r in results[app])

    print(f"review UI on a {len(ids):,}-unit catalog, 80x24 pseudo-terminal, medians")
    print(f"{'':34}{'transflow':>12}{'bare app':>12}{'ratio':>8}  target")
    rows = [
        ("first paint (list + unit)", "paint", "< 1 s"),
        ("catalog loaded (live QA ready)", "loaded", ""),
        ("next unit (n / down)", "next", "< 50 ms"),
        ("keystroke in the editor", "key", "< 50 ms"),
    ]
    for label, key, target in rows:
        ours, base = med("transflow", key), med("baseline", key)
        unit = 1000 if key in ("next", "key") else 1
        suffix = " ms" if unit == 1000 else " s"
        print(
            f"{label:34}{ours * unit:>9.{0 if unit == 1000 else 2}f}{suffix}"
            f"{base * unit:>9.{0 if unit == 1000 else 2}f}{suffix}{ours / base:>7.1f}x  {target}"
        )


if __name__ == "__main__":
    main()
