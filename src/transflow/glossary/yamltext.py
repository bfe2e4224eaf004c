"""YAML text in the glossary's own layout, and the line range of any key or list item.

Why not dump the edited document with ruamel.yaml: a round-trip dump re-wraps
every multi-line flow list of the file (``forms: [...]`` continued under its
first item) and every folded note, so a one-word edit would touch hundreds of
lines. Edits here replace only the lines of the key or item they change, and
render those lines the way the file is written by hand: flow lists wrapped at
100 columns with continuation lines under the first item, block mappings for
entries and locales. Scalars are quoted by ruamel.yaml, so anything YAML would
misread ("On", "null", "a: b") is quoted exactly as ruamel would quote it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["WIDTH", "flow", "item_range", "key_range", "render_key", "scalar"]

WIDTH = 100


def scalar(value: Any) -> str:
    """``value`` as a YAML scalar that reads back as itself inside a flow collection."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 1 << 20
    yaml.default_flow_style = True
    out = io.StringIO()
    yaml.dump([str(value)], out)
    text = out.getvalue().strip()
    return text[1:-1]  # "[value]" → "value"


def _pieces(value: Any) -> list[str]:
    if isinstance(value, Mapping):
        return [f"{scalar(k)}: {flow(v, 0)}" for k, v in value.items()]
    return [flow(v, 0) for v in value]


def flow(value: Any, column: int, width: int = WIDTH) -> str:
    """``value`` in flow style, starting at ``column``; long collections wrap under the first item.

    Nested collections are rendered on one line each (they are short: case forms,
    variant targets).
    """
    if isinstance(value, Mapping) or (isinstance(value, Sequence) and not isinstance(value, str)):
        opening, closing = ("{", "}") if isinstance(value, Mapping) else ("[", "]")
        pieces = _pieces(value)
        if not pieces:
            return opening + closing
        lines: list[str] = []
        current = opening
        for i, piece in enumerate(pieces):
            tail = closing if i == len(pieces) - 1 else ","
            sep = "" if current == opening else " "
            candidate = current + sep + piece + tail
            offset = column if not lines else 0  # the first line starts at ``column``
            if sep and offset + len(candidate) > width:
                lines.append(current)
                current = " " * (column + 1) + piece + tail
            else:
                current = candidate
        lines.append(current)
        return "\n".join(lines)
    return scalar(value)


def render_key(key: str, value: Any, column: int, block: bool = False) -> str:
    """``key: value`` at ``column`` (with its newline); mappings in block style if ``block``."""
    pad = " " * column
    if block and isinstance(value, Mapping):
        out = f"{pad}{key}:\n"
        for k, v in value.items():
            out += render_key(str(k), v, column + 2)
        return out
    head = f"{pad}{key}: "
    return head + flow(value, len(head)) + "\n"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _block_end(lines: Sequence[str], start: int, column: int) -> int:
    """The line after the block that starts at line ``start`` and nests deeper than ``column``.

    Blank lines and comments at or left of ``column`` just before the next
    sibling belong to that sibling (a section comment), not to this block.
    """
    end = start + 1
    while end < len(lines) and not (_is_content(lines[end]) and _indent(lines[end]) <= column):
        end += 1
    while end > start + 1 and (
        not lines[end - 1].strip()
        or (lines[end - 1].lstrip().startswith("#") and _indent(lines[end - 1]) <= column)
    ):
        end -= 1
    return end


def key_range(lines: Sequence[str], node: Any, key: str) -> tuple[int, int]:
    """0-based [start, end) lines of ``key`` and its value in the block mapping ``node``."""
    line, column = node.lc.key(key)
    return int(line), _block_end(lines, int(line), int(column))


def item_range(lines: Sequence[str], seq: Any, index: int) -> tuple[int, int]:
    """0-based [start, end) lines of item ``index`` of the block sequence ``seq``."""
    line, column = seq.lc.item(index)
    dash = int(column) - 2  # ruamel gives the column of the item's content, after "- "
    return int(line), _block_end(lines, int(line), max(dash, 0))
