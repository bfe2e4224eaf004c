"""Where a finding's entry is: the PO line an editor should open and its source reference."""

from __future__ import annotations

from typing import TYPE_CHECKING

from transflow.checking.findings import Where

if TYPE_CHECKING:
    from transflow.poread import PoEntry


class Lines:
    """Where the entries of one PO file are, found only for entries with a finding.

    The fast reader gives each entry's first line (its first comment); an editor
    should land on the line that names the unit, its ``msgctxt`` (else its
    ``msgid``), and a finding on the English source points into the source
    document, from the entry's first ``#:`` reference.
    """

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._lines: list[bytes] | None = None
        self._known: dict[int, Where] = {}
        self._paths: dict[bytes, str] = {}

    def of(self, entry: PoEntry) -> Where:
        """``where`` of an entry, from what the fast reader saw of it when it can tell.

        That is its msgctxt's line and the first ``#:`` reference, when that
        reference is plain printable ASCII (read alike as text and as bytes);
        anything else is found in the file's lines.
        """
        keyword = entry.keyword_line
        if not keyword:
            return self.where(entry.line)
        refs = entry.references
        if not refs:
            return (keyword, None, None)
        first = refs.partition("\n")[0]
        if not (first.isascii() and first.isprintable()):
            return self.where(entry.line)
        fields = first.split()
        if not fields:
            return (keyword, None, None)
        token = fields[0]
        raw_path, colon, number = token.rpartition(":")
        if not colon or not number.isdigit() or not raw_path:
            return (keyword, token, None)
        return (keyword, raw_path, int(number))

    def where(self, first_line: int) -> Where:
        known = self._known.get(first_line)
        if known is not None:
            return known
        lines = self._lines
        if lines is None:
            lines = self._lines = self._data.split(b"\n")
            lines.append(b"")  # the scan below always stops
        index = first_line - 1
        reference = None
        while True:  # comments up to the msgctxt/msgid line
            head = lines[index][:2]
            if head == b"#:":
                if reference is None:
                    reference = lines[index]
            elif head[:1] != b"#":
                break
            index += 1
        head = lines[index][:5]
        line = index + 1 if head == b"msgct" or head == b"msgid" else first_line
        path, number = self._reference(reference) if reference is not None else (None, None)
        found = self._known[first_line] = (line, path, number)
        return found

    def _reference(self, comment: bytes) -> tuple[str | None, int | None]:
        """The first ``path:line`` of a ``#:`` comment (gettext wraps names with spaces in ⁨…⁩)."""
        fields = comment[2:].split()
        if not fields:
            return None, None
        token = fields[0]
        if token.startswith("\u2068".encode()):
            value = comment[2:].decode("utf-8", "replace").strip()
            end = value.find("\u2069")
            tail = value[end + 1 :]
            name = value[1:end] + ("" if not tail or tail[0].isspace() else tail.split()[0])
            token = name.encode()
        raw_path, colon, number = token.rpartition(b":")
        if not colon or not number.isdigit() or not raw_path:
            raw_path, number = token, b""
        path = self._paths.get(raw_path)
        if path is None:
            path = self._paths[raw_path] = raw_path.decode("utf-8", "replace")
        return path, int(number) if number else None
