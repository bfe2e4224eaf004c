"""``transflow review --web``: the same application served to a browser, on this machine only.

The server is started as a user would start it, on a free local port; the
page is fetched over HTTP, and a browser's websocket is opened to check that
the review application itself runs behind it (its screen arrives).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from projects import REVIEWER
from review_support import review_project
from transflow.config import Project


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Project, int, subprocess.Popen[str]]]:
    project = review_project(tmp_path / "appeals")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "transflow.cli", "review", "de", "--web", "--port", str(port)],
        cwd=project.root,
        env={**os.environ, "TRANSFLOW_REVIEWER": REVIEWER},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield project, port, server
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


async def fetch(url: str, timeout: float = 60) -> tuple[int, str]:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as http:
        while True:
            try:
                async with http.get(url) as response:
                    return response.status, await response.text()
            except aiohttp.ClientConnectionError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.2)


async def screen_over_websocket(url: str, wanted: str, timeout: float = 60) -> str:
    """What the application sends a browser, until ``wanted`` shows up (ANSI and all)."""
    received = ""
    async with aiohttp.ClientSession() as http, http.ws_connect(url) as ws:
        deadline = time.monotonic() + timeout
        while wanted not in received and time.monotonic() < deadline:
            try:
                message = await ws.receive(timeout=max(0.1, deadline - time.monotonic()))
            except TimeoutError:
                break
            if message.type == aiohttp.WSMsgType.BINARY:
                received += message.data.decode("utf-8", "replace")
            elif message.type == aiohttp.WSMsgType.TEXT:
                received += message.data
            elif message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                break
    return received


def test_the_page_is_served_on_localhost_and_runs_the_review(
    served: tuple[Project, int, subprocess.Popen[str]],
) -> None:
    _, port, server = served
    status, page = asyncio.run(fetch(f"http://127.0.0.1:{port}/"))
    assert status == 200
    assert "transflow review · ASIMKOM appeals" in page
    assert f"ws://127.0.0.1:{port}/ws" in page
    assert "googleapis" not in page  # nothing is fetched from anyone else
    status, script = asyncio.run(fetch(f"http://127.0.0.1:{port}/static/js/textual.js"))
    assert status == 200 and len(script) > 1000

    shown = asyncio.run(
        screen_over_websocket(f"ws://127.0.0.1:{port}/ws?width=100&height=30", "38f8f03f")
    )
    assert "Source" in shown and "38f8f03f" in shown  # the first unit that needs work

    assert listening_addresses(port) == {"127.0.0.1"}  # this machine only
    assert server.poll() is None


def listening_addresses(port: int) -> set[str]:
    """The local addresses listening on ``port`` (Linux: from /proc/net/tcp and tcp6)."""
    found: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            pytest.skip("no /proc/net/tcp here")
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                if len(address) == 8:
                    found.add(socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1]))
                else:
                    found.add(f"ipv6:{address}")
    return found
