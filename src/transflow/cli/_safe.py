"""Data made safe to print on a terminal: control characters shown, never sent.

A target holding ``ESC [2J`` would clear the screen and an OSC sequence
retitle the window; a file name with a newline would split a one-line error.
Kept apart from ``_output`` so that printing an error never has to import Rich.
"""

from __future__ import annotations

import re

__all__ = ["one_line", "safe"]

# C0 controls but tab and newline, DEL, and the C1 controls (0x9b is a one-byte CSI).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_OR_NEWLINE = re.compile("[\x00-\x1f\x7f-\x9f]")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or f"\\x{ord(char):02x}"


def safe(value: object) -> str:
    """``value`` as text with every terminal control character shown as ``\\xNN``."""
    return CONTROL.sub(_escaped, str(value))


def one_line(value: object) -> str:
    """Like :func:`safe`, with newlines and tabs escaped too: for one-line messages."""
    return _CONTROL_OR_NEWLINE.sub(_escaped, str(value))
