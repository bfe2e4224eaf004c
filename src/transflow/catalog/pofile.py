"""Reading and rendering PO files: ``transflow.poread`` reads, polib holds and writes.

Reading goes through ``transflow.poread``, the one PO syntax policy of every
command (linear, strict, with file and line in every error); writing through
polib, except that comment lines are written as they are, as GNU gettext does.
"""

from __future__ import annotations

import copy
from pathlib import Path

import polib

from transflow.poread import PoEntry, read_po_text

WRAP_WIDTH = 78  # as GNU gettext writes, so msgmerge/Poedit round-trips produce no diff noise


def _metadata(msgstr: str) -> dict[str, str]:
    """The header's fields, as polib reads them (a line without a colon continues the last)."""
    metadata: dict[str, str] = {}
    key = None
    for line in msgstr.splitlines():
        name, colon, value = line.partition(":")
        if colon:
            key = name
            metadata[key] = value.strip()
        elif key is not None:
            metadata[key] += "\n" + line.strip()
    return metadata


def _occurrences(references: str) -> list[tuple[str, str]]:
    """``#:`` text as polib's (file, line) pairs; a reference with no line keeps ''."""
    out = []
    for token in references.split():
        name, colon, line = token.rpartition(":")
        out.append((name, line) if colon and line.isdigit() else (token, ""))
    return out


def _po_entry(e: PoEntry) -> polib.POEntry:
    plural = e.msgstr_plural is not None
    return polib.POEntry(
        msgctxt=e.msgctxt,
        msgid=e.msgid,
        msgstr="" if plural else e.msgstr,
        msgid_plural=e.msgid_plural or "",
        msgstr_plural=dict(e.msgstr_plural or {}),
        obsolete=e.obsolete,
        comment=e.comment,
        tcomment=e.tcomment,
        occurrences=_occurrences(e.references) if e.references else [],
        flags=list(e.flags),
        previous_msgctxt=e.previous_msgctxt,
        previous_msgid=e.previous_msgid,
        previous_msgid_plural=e.previous_msgid_plural,
        linenum=e.line,
    )


def parse_po(path: Path, text: str) -> polib.POFile:
    """polib objects built from ``transflow.poread``'s entries: one policy, linear time."""
    po = PlainCommentPOFile(wrapwidth=WRAP_WIDTH)
    entries: list[polib.POEntry] = []
    header_seen = False
    for e in read_po_text(text, path):
        if not header_seen and e.is_header and not e.obsolete:
            header_seen = True
            po.header = e.tcomment
            po.metadata = _metadata(e.msgstr)
            po.metadata_is_fuzzy = "fuzzy" in e.flags
        else:
            entries.append(_po_entry(e))
    list.extend(po, entries)  # polib's append would look for duplicates: poread did
    return po


def _render_entry(entry: polib.POEntry, width: int) -> str:
    """polib's rendering of one entry, with its comment lines as they are (never wrapped)."""
    lines = [("# ", c) for c in entry.tcomment.split("\n")] if entry.tcomment else []
    if entry.comment and not entry.obsolete:
        lines += [("#. ", c) for c in entry.comment.split("\n")]
    if width <= 0 or all(len(prefix) + len(c) <= width for prefix, c in lines):
        return str(entry.__unicode__(width))
    bare = copy.copy(entry)  # polib writes comments first: write them, then the rest
    bare.tcomment = bare.comment = ""
    return "\n".join([*(prefix + c for prefix, c in lines), bare.__unicode__(width)])


class PlainCommentPOFile(polib.POFile):  # type: ignore[misc]
    """polib's POFile, writing comment lines unwrapped as GNU gettext does.

    polib wraps ``#`` and ``#.`` lines at 78 columns and breaks words at hyphens,
    so a note such as ``memory: 80% from locales/de/bonn-2025-appeal-committee-of-
    ministers.po#990c0e47`` came out in two pieces; msgcat, msgmerge and Poedit
    keep comment lines whole, and so does transflow. Everything else is polib's.
    """

    def __unicode__(self) -> str:
        head = "".join(
            "#\n" if not line else f"#{line}\n" if line[:1] in ",:" else f"# {line}\n"
            for line in self.header.split("\n")
        )
        width = self.wrapwidth
        entries = [
            self.metadata_as_entry(),
            *(e for e in self if not e.obsolete),
            *(e for e in self if e.obsolete),
        ]
        return head + "\n".join(_render_entry(e, width) for e in entries)
