"""TMX import and export: translation memories from and for OmegaT, Trados and Okapi.

Reading
-------
The file is untrusted, so it is parsed with defusedxml's hardened expat parser:
a DOCTYPE is accepted (OmegaT writes ``<!DOCTYPE tmx SYSTEM "tmx11.dtd">`` or
``"tmx14.dtd"``; the DTD is never fetched) but any entity declaration, and so
any internal or external entity, is refused. Every problem is a one-line
``InputError`` naming the file and line.

What the tools write, and what is read of it:

* TMX 1.1 (``<tuv lang="EN-US">``, OmegaT's project memory and level-1
  export) and 1.4/1.4b (``xml:lang``); any encoding expat knows (Trados used
  to write UTF-16).
* Language codes in any case and with ``-`` or ``_``: ``EN-US``, ``de_DE``,
  ``fr-fr``. The source is the English ``<tuv>`` (transflow translates from
  English); each other ``<tuv>`` is mapped to a project locale: the same tag,
  else the locale that is its language alone (``DE-DE`` -> ``de``), else the one
  project locale of that language (``pt-PT`` -> ``pt-BR``); others are skipped.
* Inline codes ``<bpt>``, ``<ept>``, ``<ph>``, ``<it>``, ``<ut>`` hold the
  original format's markup (Trados' ``{1}``, Okapi's ``<b>``): dropped, with
  the text around them kept; ``<hi>`` text is kept and ``<sub>`` sub-flows are
  skipped. OmegaT's own TMX keeps its tag shortcuts (``<g0>``, ``<x1/>``) as
  text; those are removed too, so they never reach a catalog.
* ``creationdate``, ``creationid``, ``changedate`` and ``changeid`` of the
  target ``<tuv>`` (where OmegaT writes them), else of the ``<tu>`` (where
  Trados does). Dates are kept in TMX's form, ``YYYYMMDDThhmmssZ`` (UTC); an
  ISO 8601 date is converted to it.

Writing
-------
``render_tmx`` writes TMX 1.4, one ``<tu>`` per entry (one target each), with
the dates and user ids on the ``<tu>`` (every tool reads them there), and the
review state and provenance as ``x-transflow-*`` properties that import reads
back. The same entries always give the same bytes, so a memory kept in git
changes only where its entries do.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.parsers import expat

from defusedxml import EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from transflow.errors import InputError
from transflow.locale import language_of
from transflow.memory import TMEntry
from transflow.unit import control_character

__all__ = ["TMX_DATE", "TmxContent", "export_tmx", "import_tmx", "read_tmx", "render_tmx"]

TMX_DATE = "%Y%m%dT%H%M%SZ"  # TMX's date form, always UTC
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_INLINE_CODES = {"bpt", "ept", "ph", "it", "ut", "sub"}
_INVALID_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# OmegaT's tag shortcuts as they stand in its own TMX text: <g0>, </g0>, <x1/>, <bold2>.
_OMEGAT_TAG = re.compile(r"</?[^\s<>/\d]+\d+/?>")
_REVIEWED = "x-transflow-reviewed"
_ORIGIN = "x-transflow-origin"
_WHO_AND_WHEN = ("creationdate", "creationid", "changedate", "changeid")


@dataclass(frozen=True, slots=True)
class TmxContent:
    """What a TMX file holds for this project."""

    entries: list[TMEntry]
    units: int  # <tu> elements read
    other_languages: set[str] = field(default_factory=set)  # target tags no locale matched


# -- parsing --------------------------------------------------------------------------


class _LineRecorder(ET.TreeBuilder):
    """A tree builder that remembers the line of each ``<tu>``, for error messages."""

    def __init__(self) -> None:
        super().__init__()
        self.expat: Any = None
        self.tu_lines: list[int] = []

    def start(self, tag: str, attrs: dict[str, str], /) -> ET.Element:
        if tag == "tu":
            self.tu_lines.append(self.expat.CurrentLineNumber)
        return super().start(tag, attrs)


def _parse_xml(data: bytes, path: Path) -> tuple[ET.Element, list[int]]:
    """The document's root and the line of each ``<tu>``; refuses entities."""
    builder = _LineRecorder()
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    builder.expat = parser.parser
    try:
        parser.feed(data)
        root: ET.Element = parser.close()
    except EntitiesForbidden as exc:
        raise InputError(
            f"TMX must not declare entities (<!ENTITY {exc.name}>): refused as unsafe",
            path,
            parser.parser.CurrentLineNumber,
        ) from None
    except ExternalReferenceForbidden:
        raise InputError(
            "TMX must not refer to external entities: refused as unsafe",
            path,
            parser.parser.CurrentLineNumber,
        ) from None
    except ET.ParseError as exc:
        reason = expat.errors.messages.get(exc.code, "syntax error")
        if exc.code == expat.errors.codes[expat.errors.XML_ERROR_UNDEFINED_ENTITY]:
            reason = str(exc).split(":")[0]  # names the entity: "undefined entity &nbsp;"
        raise InputError(f"malformed TMX: {reason}", path, exc.position[0]) from None
    return root, builder.tu_lines


def _tag(lang: str) -> str:
    """A language tag compared case-insensitively, ``_`` read as ``-``."""
    return lang.strip().replace("_", "-").lower()


class _LocaleMap:
    """Maps a ``<tuv>`` language to a project locale, with how close the match is.

    0: the same tag; 1: the project locale is the language alone (``DE-DE`` ->
    ``de``); 2: the only project locale of that language (``pt-PT`` -> ``pt-BR``).
    Without project locales every language maps to its language subtag.
    """

    def __init__(self, locales: Sequence[str] | None) -> None:
        self.locales = locales
        self.by_tag = {_tag(locale): locale for locale in reversed(locales or ())}
        by_language: dict[str, list[str]] = {}
        for locale in locales or ():
            by_language.setdefault(language_of(locale), []).append(locale)
        self.only = {lang: same[0] for lang, same in by_language.items() if len(same) == 1}

    def __call__(self, lang: str) -> tuple[str, int] | None:
        if self.locales is None:
            return language_of(lang), 0
        tag = _tag(lang)
        if tag in self.by_tag:
            return self.by_tag[tag], 0
        language = language_of(tag)
        if language in self.by_tag:
            return self.by_tag[language], 1
        if language in self.only:
            return self.only[language], 2
        return None


def _seg_text(seg: ET.Element) -> str:
    parts = [seg.text or ""]
    for child in seg:
        if child.tag not in _INLINE_CODES:
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _date(value: str | None, path: Path, line: int | None) -> str | None:
    """A TMX date attribute in TMX's form (UTC), or None if absent; refuses a non-date."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text)  # also reads TMX's basic form
    except ValueError:
        raise InputError(
            f"{text!r} is not a date (TMX dates look like 20250131T142500Z)", path, line
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime(TMX_DATE)


def read_tmx(
    data: bytes,
    path: Path,
    *,
    locales: Sequence[str] | None = None,
    origin: str | None = None,
    own_origins: bool = False,
) -> TmxContent:
    """The English-source entries of a TMX document held in ``data`` (read from ``path``).

    ``origin`` defaults to ``tmx:<file name>``, with ``#<tuid>`` appended when a
    unit has one. With ``locales``, targets are mapped to those locales and
    other languages are skipped; without, each target keeps its language
    subtag. ``own_origins`` is for the memory files transflow writes: their
    ``x-transflow-origin`` property is taken as the entry's origin.
    """
    root, tu_lines = _parse_xml(data, path)
    if root.tag != "tmx":
        raise InputError(f"not a TMX file (root element is <{root.tag}>)", path, 1)
    header = root.find("header")
    srclang = header.get("srclang", "") if header is not None else ""
    if srclang and srclang != "*all*" and language_of(srclang) != "en":
        raise InputError(f"TMX source language is {srclang!r}; transflow translates from en", path)
    body = root.find("body")
    if body is None:
        raise InputError("TMX has no <body>", path)
    omegat = header is not None and header.get("creationtool", "").startswith("OmegaT")
    locale_of = _LocaleMap(locales)
    base = origin or f"tmx:{path.name}"
    entries: list[TMEntry] = []
    other: set[str] = set()
    units = 0
    for number, tu in enumerate(root.iter("tu")):
        units += 1
        line = tu_lines[number] if number < len(tu_lines) else None
        props = {p.get("type", ""): (p.text or "") for p in tu.findall("prop")}
        reviewed = props.get(_REVIEWED, "").strip().lower() in {"yes", "true", "1"}
        if own_origins and _ORIGIN in props:
            where = props[_ORIGIN]
        else:
            tuid = tu.get("tuid")
            where = f"{base}#{tuid}" if tuid else base
        source: str | None = None
        best: dict[str, tuple[int, str, ET.Element]] = {}  # locale -> (rank, text, tuv)
        for tuv in tu.findall("tuv"):
            lang = tuv.get(_XML_LANG) or tuv.get("lang")
            seg = tuv.find("seg")
            if not lang or seg is None:
                raise InputError("<tuv> needs xml:lang (or lang) and a <seg>", path, line)
            text = _seg_text(seg)
            control = control_character(text)  # XML lets DEL and C1 through
            if control:
                raise InputError(
                    f"a <seg> holds the control character \\x{ord(control.group()):02x} "
                    "(a terminal escape or binary debris); remove it",
                    path,
                    line,
                )
            if omegat:
                text = _OMEGAT_TAG.sub("", text)
            if source is None and language_of(lang) == "en":
                source = text
                continue
            found = locale_of(lang)
            if found is None:
                other.add(lang)
                continue
            locale, rank = found
            if locale not in best or rank < best[locale][0]:
                best[locale] = (rank, text, tuv)
        if source is None or not source.strip():
            continue  # not an English unit: nothing transflow can reuse
        for locale, (_, text, tuv) in best.items():
            if not text.strip():
                continue
            dates = [tuv.get(name) or tu.get(name) for name in _WHO_AND_WHEN]
            entries.append(
                TMEntry(
                    source,
                    text,
                    locale,
                    where,
                    reviewed,
                    created=_date(dates[0], path, line),
                    created_by=dates[1] or None,
                    changed=_date(dates[2], path, line),
                    changed_by=dates[3] or None,
                )
            )
    return TmxContent(entries, units, other)


def import_tmx(path: Path, locales: Sequence[str] | None = None) -> list[TMEntry]:
    """Read a TMX file into memory entries (see ``read_tmx``)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read TMX: {exc.strerror}", path) from None
    return read_tmx(data, path, locales=locales).entries


# -- writing --------------------------------------------------------------------------


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
        who_and_when = {
            "creationdate": entry.created,
            "creationid": entry.created_by,
            "changedate": entry.changed,
            "changeid": entry.changed_by,
        }
        tu = ET.SubElement(
            body, "tu", {k: _checked(v, entry) for k, v in who_and_when.items() if v}
        )
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
