"""Editing ``glossary.yaml`` without disturbing what maintainers wrote by hand.

Every edit changes only the lines of what it edits: comments, blank lines,
key order and the wrapping of every other list stay byte for byte, and the
result is read back and compared with what was meant before it is saved.
Saves are atomic and refuse to overwrite a file that changed since it was read.
"""

from __future__ import annotations

import hashlib
import io
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from transflow.errors import GlossaryError
from transflow.glossary.change import EntryChange, edit_text, remove_text, rename_text
from transflow.glossary.model import (
    DEFAULT_LOCALES,
    ENTRY_KEYS,
    LOCALE_KEYS,
    Entry,
    Glossary,
    is_slug,
)
from transflow.glossary.schema import Reader, new_yaml, parse_yaml

if TYPE_CHECKING:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import FoldedScalarString

__all__ = ["EntryChange", "GlossaryFile", "add_entry"]


def _suggest_slug(text: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower())) or "entry"


def _digest(data: bytes | None) -> str | None:
    return hashlib.sha256(data).hexdigest() if data is not None else None


_SKELETON = (
    "# glossary.yaml — controlled names. Comments survive every transflow command.\n"
    "version: 1\n"
    "locales: [{locales}]\n"
    "entries:\n"
)


@dataclass
class GlossaryFile:
    """The glossary's text as read from disk, for edits that keep every other byte.

    ``add_entry`` renders the new entry with ruamel.yaml and splices it after
    the last entry; the text of everything else is untouched (a full ruamel
    round-trip would re-wrap multi-line flow lists such as long ``forms``).
    The result is parsed again before it is accepted. ``save`` is atomic and
    refuses to overwrite a file that changed since it was read.
    """

    path: Path
    text: str
    digest: str | None
    locales: tuple[str, ...] = DEFAULT_LOCALES

    @classmethod
    def read(cls, path: Path | str, locales: Sequence[str] = DEFAULT_LOCALES) -> GlossaryFile:
        path = Path(path)
        try:
            data: bytes | None = path.read_bytes()
        except FileNotFoundError:
            data = None
        if data is None:
            text = _SKELETON.format(locales=", ".join(locales))
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise GlossaryError("not UTF-8", path, data[: exc.start].count(b"\n") + 1) from None
        return cls(path=path, text=text, digest=_digest(data), locales=tuple(locales))

    def glossary(self) -> Glossary:
        reader = Reader(self.path)
        glossary = reader.glossary(parse_yaml(self.path, self.text))
        if reader.problems:
            line, message = reader.problems[0]
            raise GlossaryError(message, self.path, line)
        return glossary

    def add_entry(self, entry_data: Mapping[str, Any]) -> Entry:
        """Append one entry (a plain dict in the file's schema); return it as loaded."""
        from ruamel.yaml.comments import CommentedSeq

        before = self.glossary()
        entry_id = entry_data.get("id")
        if isinstance(entry_id, str) and not is_slug(entry_id):
            raise GlossaryError(
                f"{entry_id!r} is not a valid id: use a lowercase ascii slug (a-z, 0-9, -), "
                f"e.g. {_suggest_slug(entry_id)!r}",
                self.path,
            )
        if "unverified" not in entry_data:  # nobody has checked a new entry's spellings yet
            entry_data = {**entry_data, "unverified": list(before.locales)}
        existing = before.get(entry_id) if isinstance(entry_id, str) else None
        if existing is not None:
            raise GlossaryError(
                f"an entry with id {entry_id!r} already exists (line {existing.line})",
                self.path,
                existing.line,
            )
        node = _entry_node(entry_data)
        reader = Reader(self.path)
        reader.locales = before.locales
        new = reader.entry(node, None)
        reader.control_characters(node, None, set())
        if reader.problems or new is None:
            _, message = reader.problems[0] if reader.problems else (None, "invalid entry")
            raise GlossaryError(f"cannot add entry: {message}", self.path)
        data = parse_yaml(self.path, self.text)
        entries = data.get("entries") if isinstance(data, Mapping) else None
        if isinstance(entries, CommentedSeq) and len(entries) and not entries.fa.flow_style():
            text = self._splice(data, entries, node)
        else:
            text = self._redump(data, node)
        after = Reader(self.path)
        result = after.glossary(parse_yaml(self.path, text))
        if after.problems or result.entries[:-1] != before.entries or not result.entries:
            raise GlossaryError("internal error: the edited glossary did not read back", self.path)
        self.text = text
        return result.entries[-1]

    def _splice(self, data: CommentedMap, entries: CommentedSeq, node: CommentedMap) -> str:
        lines = self.text.splitlines(keepends=True)
        first = entries[0]
        dash_col = max(0, int(first.lc.col) - 2)
        keys = list(data.keys())
        position = keys.index("entries")
        if position + 1 < len(keys):
            insert_at = int(data.lc.key(keys[position + 1])[0])
            # keep the comment block that introduces the next key with that key
            while insert_at > 0 and lines[insert_at - 1].lstrip().startswith("#"):
                insert_at -= 1
            while insert_at > 0 and not lines[insert_at - 1].strip():
                insert_at -= 1
        else:
            # before a closing comment block written at the file's top level ("# end of entries")
            insert_at = len(lines)
            while insert_at > 0 and (
                not lines[insert_at - 1].strip() or lines[insert_at - 1].startswith("#")
            ):
                insert_at -= 1
        head = "".join(lines[:insert_at])
        tail = "".join(lines[insert_at:])
        if head and not head.endswith("\n"):
            head += "\n"
        last_line = int(entries.lc.item(len(entries) - 1)[0])
        spaced = last_line > 0 and not lines[last_line - 1].strip()
        rendered = _render_entry(node, dash_col)
        if spaced and tail and not tail.startswith("\n"):
            rendered += "\n"
        return head + ("\n" if spaced else "") + rendered + tail

    def _redump(self, data: Any, node: CommentedMap) -> str:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        if not isinstance(data, CommentedMap):
            data = CommentedMap()
        entries = CommentedSeq([node])
        data["entries"] = entries
        out = io.StringIO()
        new_yaml().dump(data, out)
        return out.getvalue()

    def edit_entry(self, entry_id: str, change: EntryChange) -> Entry:
        """Change one entry (see :class:`EntryChange`); return it as it reads back."""
        self.text, entry = edit_text(self.text, self.path, entry_id, change)
        return entry

    def rename_entry(self, old_id: str, new_id: str) -> Entry:
        """Give entry ``old_id`` the id ``new_id``; return it as it reads back."""
        self.text, entry = rename_text(self.text, self.path, old_id, new_id)
        return entry

    def remove_entry(self, entry_id: str) -> Entry:
        """Take entry ``entry_id`` out of the file; return it as it was."""
        self.text, entry = remove_text(self.text, self.path, entry_id)
        return entry

    def save(self) -> None:
        """Write atomically; ConcurrentEditError if the file changed since it was read."""
        from transflow.files import atomic_write

        data = self.text.encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, data, expected_digest=self.digest)
        self.digest = _digest(data)


def _flow(items: Sequence[Any]) -> CommentedSeq:
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _folded(text: str, width: int = 90) -> FoldedScalarString:
    """A ``>-`` block scalar folded at spaces, as maintainers write notes by hand."""
    from ruamel.yaml.scalarstring import FoldedScalarString

    words = " ".join(text.split())
    folded: FoldedScalarString = FoldedScalarString(words)
    positions, line_start = [], 0
    for lineno, line in enumerate(textwrap.wrap(words, width, break_long_words=False)):
        if lineno:
            positions.append(line_start - 1)  # the space where the previous line ended
        line_start += len(line) + 1
    setattr(folded, "fold_pos", positions)  # noqa: B010 (untyped ruamel attribute)
    return folded


def _entry_node(data: Mapping[str, Any]) -> CommentedMap:
    """The entry as ruamel nodes, keys in schema order, short lists in flow style."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    data = dict(data)
    if "keep_untranslated" in data and "keep-untranslated" not in data:
        data["keep-untranslated"] = data.pop("keep_untranslated")
    node = CommentedMap()
    for key in ENTRY_KEYS:
        if key in data:
            node[key] = data[key]
    for key in data:  # unknown keys stay, so validation names them
        if key not in node:
            node[key] = data[key]
    note = node.get("note")
    if isinstance(note, str) and (len(note) > 60 or "\n" in note):
        node["note"] = _folded(note)
    variants = node.get("variants")
    if isinstance(variants, list):
        seq = CommentedSeq()
        for v in variants:
            if isinstance(v, Mapping):
                m = CommentedMap(v)
                m.fa.set_flow_style()
                seq.append(m)
            else:
                seq.append(v)
        node["variants"] = seq
    for key in ("references", "unverified"):
        if isinstance(node.get(key), list) and (key == "unverified" or not node[key]):
            node[key] = _flow(node[key])
    locales = node.get("locales")
    if isinstance(locales, Mapping):
        out = CommentedMap()
        for code, forms in locales.items():
            if isinstance(forms, Mapping):
                lf = CommentedMap()
                for key in LOCALE_KEYS:
                    if key in forms:
                        value = forms[key]
                        lf[key] = _flow(value) if isinstance(value, list) else value
                for key in forms:
                    if key not in lf:
                        lf[key] = forms[key]
                out[code] = lf
            else:
                out[code] = forms
        node["locales"] = out
    return node


def _render_entry(node: CommentedMap, dash_col: int) -> str:
    from ruamel.yaml.comments import CommentedSeq

    yaml = new_yaml()
    yaml.indent(mapping=2, sequence=dash_col + 2, offset=dash_col)
    out = io.StringIO()
    yaml.dump(CommentedSeq([node]), out)
    return out.getvalue()


def add_entry(path: Path | str, entry_data: Mapping[str, Any]) -> None:
    """Append an entry to the glossary file, keeping every comment and every other byte.

    Refuses a duplicate id or an invalid entry (GlossaryError) and a file that
    changed while it was being edited (ConcurrentEditError).
    """
    file = GlossaryFile.read(path)
    file.add_entry(entry_data)
    file.save()
