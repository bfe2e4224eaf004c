"""TMX 1.4 import and export: translation memories other tools can read and write.

Import accepts TMX 1.4b (and the ``lang`` attribute of older versions) with an
English source; each other ``<tuv>`` becomes one entry for its locale, matched
by primary language subtag (``de-DE`` -> ``de``). Inline codes (``<bpt>``,
``<ept>``, ``<ph>``, ``<it>``, ``<ut>``) are native markup and are dropped;
``<hi>`` text is kept, ``<sub>`` flows are skipped.

The file is untrusted: a DOCTYPE or entity declaration is rejected before the
tree is built (stdlib ElementTree would expand internal entities), and any
XML error becomes a one-line ``InputError`` naming the file and line.

Export writes one ``<tu>`` per entry (one locale each), with the review state
and provenance as ``x-transflow-*`` properties that import reads back.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.parsers import expat

from transflow.errors import InputError
from transflow.memory import TMEntry

__all__ = ["export_tmx", "import_tmx", "parse_tmx", "render_tmx"]

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_INLINE_CODES = {"bpt", "ept", "ph", "it", "ut", "sub"}
_INVALID_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_REVIEWED = "x-transflow-reviewed"
_ORIGIN = "x-transflow-origin"


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


def _check_xml(data: bytes, path: Path) -> list[int]:
    """Reject DTDs/entities and malformed XML; return the line of each ``<tu>``."""
    lines: list[int] = []
    parser = expat.ParserCreate()

    def refuse(*_: object) -> None:
        raise InputError(
            "TMX must not contain a DOCTYPE or entity declarations", path, parser.CurrentLineNumber
        )

    def start(name: str, _attrs: object) -> None:
        if name == "tu":
            lines.append(parser.CurrentLineNumber)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        reason = expat.errors.messages.get(exc.code, "syntax error")
        raise InputError(f"malformed TMX: {reason}", path, exc.lineno) from None
    return lines


def _seg_text(seg: ET.Element) -> str:
    parts = [seg.text or ""]
    for child in seg:
        if child.tag not in _INLINE_CODES:
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def parse_tmx(
    data: bytes,
    path: Path,
    *,
    origin: str | None = None,
    locales: Sequence[str] | None = None,
    cached: bool = False,
) -> list[TMEntry]:
    """Entries of a TMX document held in ``data`` (read from ``path``).

    ``origin`` defaults to ``tmx:<file name>``; a ``tuid`` is appended after
    ``#``. With ``locales``, targets are mapped to the first locale with the
    same primary subtag and other languages are dropped. ``cached`` is for
    transflow's own cache copies: language tags and origins are taken verbatim.
    """
    tu_lines = _check_xml(data, path)
    root = ET.fromstring(data)
    if root.tag != "tmx":
        raise InputError(f"not a TMX file (root element is <{root.tag}>)", path, 1)
    header = root.find("header")
    srclang = header.get("srclang", "") if header is not None else ""
    if srclang and srclang != "*all*" and _primary(srclang) != "en":
        raise InputError(f"TMX source language is {srclang!r}; transflow translates from en", path)
    body = root.find("body")
    if body is None:
        raise InputError("TMX has no <body>", path)
    wanted: dict[str, str] = {}
    for locale in locales or ():
        wanted.setdefault(_primary(locale), locale)
    base = origin or f"tmx:{path.name}"
    entries: list[TMEntry] = []
    for number, tu in enumerate(root.iter("tu")):
        line = tu_lines[number] if number < len(tu_lines) else None
        props = {p.get("type", ""): (p.text or "") for p in tu.findall("prop")}
        reviewed = props.get(_REVIEWED, "").strip().lower() in {"yes", "true", "1"}
        if cached and _ORIGIN in props:
            where = props[_ORIGIN]
        else:
            tuid = tu.get("tuid")
            where = f"{base}#{tuid}" if tuid else base
        source: str | None = None
        targets: list[tuple[str, str]] = []
        for tuv in tu.findall("tuv"):
            lang = tuv.get(_XML_LANG) or tuv.get("lang")
            seg = tuv.find("seg")
            if not lang or seg is None:
                raise InputError("<tuv> needs xml:lang and a <seg>", path, line)
            text = _seg_text(seg)
            if source is None and _primary(lang) == "en":
                source = text
            elif cached:
                targets.append((lang, text))
            elif locales is None:
                targets.append((_primary(lang), text))
            elif _primary(lang) in wanted:
                targets.append((wanted[_primary(lang)], text))
        if source is None or not source.strip():
            continue  # not an English unit: nothing transflow can reuse
        for locale, text in targets:
            if text.strip():
                entries.append(TMEntry(source, text, locale, where, reviewed))
    return entries


def import_tmx(path: Path, locales: Sequence[str] | None = None) -> list[TMEntry]:
    """Read a TMX file into memory entries (see ``parse_tmx``)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read TMX: {exc.strerror}", path) from None
    return parse_tmx(data, path, locales=locales)


def _checked(text: str, entry: TMEntry) -> str:
    if _INVALID_XML.search(text):
        raise InputError(f"text of {entry.origin} has characters XML cannot hold")
    return text


def render_tmx(entries: Iterable[TMEntry], tool_version: str = "0.1.0") -> bytes:
    """A TMX 1.4 document holding ``entries``, one ``<tu>`` per entry."""
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(
        root,
        "header",
        {
            "creationtool": "transflow",
            "creationtoolversion": tool_version,
            "segtype": "sentence",
            "o-tmf": "transflow",
            "adminlang": "en",
            "srclang": "en",
            "datatype": "plaintext",
        },
    )
    body = ET.SubElement(root, "body")
    for entry in entries:
        tu = ET.SubElement(body, "tu")
        ET.SubElement(tu, "prop", type=_ORIGIN).text = _checked(entry.origin, entry)
        if entry.reviewed:
            ET.SubElement(tu, "prop", type=_REVIEWED).text = "yes"
        for lang, text in (("en", entry.source), (entry.locale, entry.target)):
            tuv = ET.SubElement(tu, "tuv", {_XML_LANG: lang})
            ET.SubElement(tuv, "seg").text = _checked(text, entry)
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def export_tmx(entries: Iterable[TMEntry], path: Path) -> Path | None:
    """Write ``entries`` to ``path`` as TMX 1.4, atomically; return the folder made for it.

    A missing folder is created (and returned), as for ``coverage --html``.
    """
    from transflow.outfile import write_output

    return write_output(Path(path), render_tmx(entries))
