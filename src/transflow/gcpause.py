"""Pausing Python's cyclic garbage collector around bulk work on units.

Checking 100,000 units keeps hundreds of thousands of small objects alive, none
of them in a reference cycle; with the collector on, its full passes cost a
third of the run. Reference counting still frees everything as usual.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused_gc"]


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic collection inside the block; the collector's former state after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
