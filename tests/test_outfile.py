"""Writing a file named on the command line (``transflow.outfile``)."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

from transflow.outfile import write_output


def test_a_pipe_or_device_is_written_to_not_replaced(tmp_path: Path) -> None:
    # `--out /dev/stdout` (a pipe) or /dev/full: the atomic write renamed a regular file over
    # it (as root it replaced the device node; as anyone else it was "cannot write" in /dev)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert write_output(fifo, b"id,en\n") is None
    reader.join(timeout=10)
    assert got == [b"id,en\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]
