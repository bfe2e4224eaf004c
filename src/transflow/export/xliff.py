"""XLIFF 2.0 and 1.2: hand a document to an outside translator's tool, and read it back.

One file per document and locale, ``<locale>/<doc>.xlf``. States map both ways:

=================  ==========================  ===================================
transflow          XLIFF 2.0 ``<segment>``     XLIFF 1.2 ``<target>``
=================  ==========================  ===================================
new                ``initial``, no target      no target
machine, memory,   ``initial``, no target;     no target; the suggestion as
needs review       the suggestion as an        ``<alt-trans>`` with ``origin``
                   ``mtc:match`` with origin   (and ``match-quality``)
translated         ``translated``              ``state="translated"``
approved           ``reviewed``                ``state="signed-off"``, ``approved="yes"``
=================  ==========================  ===================================

Read back, a target that differs from the catalog's becomes *translated*;
``reviewed``/``final`` (2.0) or ``signed-off``/``final``/``approved="yes"``
(1.2) is a claim of approval, trusted only on request (``transflow import
--trust-review``). Glossary terms travel with each unit (2.0: the glossary
module, ``gls:glossEntry``; 1.2: a ``<note from="glossary">``), with the kind
of block, its place in the source and the translator's comments as notes.

Reading is for untrusted files: ``defusedxml`` refuses entity declarations
(the "billion laughs") and external entities, and every error names the file
and the line.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from transflow import __version__
from transflow.errors import InputError
from transflow.export.interchange import TransUnit
from transflow.unit import State

__all__ = [
    "XLIFF12",
    "XLIFF20",
    "IncomingUnit",
    "XliffPart",
    "parse_xml",
    "read_xliff",
    "render_xliff",
]

XLIFF20 = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
MTC = "urn:oasis:names:tc:xliff:matches:2.0"
GLS = "urn:oasis:names:tc:xliff:glossary:2.0"
_XML = "http://www.w3.org/XML/1998/namespace"
_INVALID_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# Writing: element names are written as they are, the core namespace as the default one
# declared on the root (ElementTree cannot combine a default namespace with plain
# attribute names); reading uses ElementTree's {namespace}name form.
_PREFIX = {XLIFF20: "", XLIFF12: "", MTC: "mtc:", GLS: "gls:", _XML: "xml:"}


def _w(ns: str, tag: str) -> str:
    """The written name of ``tag`` in namespace ``ns``."""
    return _PREFIX[ns] + tag


def _q(ns: str, tag: str) -> str:
    """The name ElementTree gives ``tag`` in namespace ``ns`` when reading."""
    return f"{{{ns}}}{tag}"


def _text(value: str, unit: TransUnit, where: str) -> str:
    if _INVALID_XML.search(value):
        raise InputError(
            f"unit {unit.id} ({where}) has characters XML cannot hold; fix it in the catalog",
            unit.catalog or None,
            unit.line or None,
        )
    return value


# -- writing ----------------------------------------------------------------------------


def _notes20(parent: ET.Element, unit: TransUnit) -> None:
    notes = ET.SubElement(parent, _w(XLIFF20, "notes"))
    ET.SubElement(notes, _w(XLIFF20, "note"), category="kind").text = unit.kind
    ET.SubElement(notes, _w(XLIFF20, "note"), category="location").text = unit.location
    if unit.previous_source:
        ET.SubElement(notes, _w(XLIFF20, "note"), category="previous-source").text = _text(
            unit.previous_source, unit, "previous source"
        )
    if unit.comments:
        ET.SubElement(notes, _w(XLIFF20, "note"), category="translator").text = _text(
            unit.comments, unit, "comment"
        )


def _unit20(file: ET.Element, unit: TransUnit) -> None:
    node = ET.SubElement(file, _w(XLIFF20, "unit"), id=unit.id, name=unit.kind)
    if unit.suggestion is not None:
        matches = ET.SubElement(node, _w(MTC, "matches"))
        attrs = {"ref": "#s1", "type": unit.suggestion.kind, "origin": unit.suggestion.origin}
        if unit.suggestion.score is not None:
            attrs["similarity"] = str(unit.suggestion.score)
        match = ET.SubElement(matches, _w(MTC, "match"), attrs)
        ET.SubElement(match, _w(XLIFF20, "source")).text = _text(unit.source, unit, "source")
        ET.SubElement(match, _w(XLIFF20, "target")).text = _text(
            unit.suggestion.text, unit, "suggestion"
        )
    if unit.terms:
        glossary = ET.SubElement(node, _w(GLS, "glossary"))
        for term in unit.terms:
            entry = ET.SubElement(glossary, _w(GLS, "glossEntry"), ref="#s1")
            ET.SubElement(entry, _w(GLS, "term"), source="glossary.yaml").text = term.english
            if term.approved:
                ET.SubElement(
                    entry, _w(GLS, "translation"), source="glossary.yaml"
                ).text = term.approved
            ET.SubElement(entry, _w(GLS, "definition")).text = term.describe()
    _notes20(node, unit)
    state = {State.TRANSLATED: "translated", State.REVIEWED: "reviewed"}.get(unit.state, "initial")
    segment = ET.SubElement(node, _w(XLIFF20, "segment"), id="s1", state=state)
    ET.SubElement(segment, _w(XLIFF20, "source")).text = _text(unit.source, unit, "source")
    if unit.target:
        ET.SubElement(segment, _w(XLIFF20, "target")).text = _text(unit.target, unit, "target")


def _unit12(body: ET.Element, unit: TransUnit, locale: str) -> None:
    attrs = {"id": unit.id, "resname": unit.id, "restype": "x-" + unit.kind}
    if unit.state == State.REVIEWED:
        attrs["approved"] = "yes"
    node = ET.SubElement(body, _w(XLIFF12, "trans-unit"), attrs)
    ET.SubElement(node, _w(XLIFF12, "source")).text = _text(unit.source, unit, "source")
    if unit.target:
        state = "signed-off" if unit.state == State.REVIEWED else "translated"
        target = ET.SubElement(node, _w(XLIFF12, "target"), state=state)
        target.text = _text(unit.target, unit, "target")
    for term in unit.terms:
        note = ET.SubElement(node, _w(XLIFF12, "note"), {"from": "glossary", "priority": "2"})
        note.text = term.describe()
    ET.SubElement(
        node, _w(XLIFF12, "note"), {"from": "transflow"}
    ).text = f"{unit.kind} · {unit.location}"
    if unit.comments:
        ET.SubElement(node, _w(XLIFF12, "note"), {"from": "translator"}).text = _text(
            unit.comments, unit, "comment"
        )
    if unit.suggestion is not None:
        alt_attrs = {"origin": unit.suggestion.origin}
        if unit.suggestion.score is not None:
            alt_attrs["match-quality"] = f"{unit.suggestion.score}%"
        if unit.suggestion.kind == "other":
            alt_attrs["alttranstype"] = "previous-version"
        alt = ET.SubElement(node, _w(XLIFF12, "alt-trans"), alt_attrs)
        if unit.previous_source:
            ET.SubElement(alt, _w(XLIFF12, "source")).text = _text(
                unit.previous_source, unit, "previous source"
            )
        qualifier = {"mt": "mt-suggestion", "tm": "tm-suggestion"}.get(unit.suggestion.kind)
        target_attrs = {_w(_XML, "lang"): locale}
        if qualifier:
            target_attrs["state-qualifier"] = qualifier
        ET.SubElement(alt, _w(XLIFF12, "target"), target_attrs).text = _text(
            unit.suggestion.text, unit, "suggestion"
        )


def render_xliff(
    units: Sequence[TransUnit],
    *,
    doc: str,
    original: str,
    source_language: str,
    locale: str,
    version: str = "2.0",
) -> bytes:
    """One document's units in one locale as an XLIFF 2.0 (or 1.2) file."""
    if version == "2.0":
        root = ET.Element(
            "xliff",
            {
                "xmlns": XLIFF20,
                "xmlns:mtc": MTC,
                "xmlns:gls": GLS,
                "version": "2.0",
                "srcLang": source_language,
                "trgLang": locale,
            },
        )
        file = ET.SubElement(root, _w(XLIFF20, "file"), id=doc, original=original)
        notes = ET.SubElement(file, _w(XLIFF20, "notes"))
        ET.SubElement(notes, _w(XLIFF20, "note"), category="tool").text = (
            f"Exported by transflow {__version__}. Translate the targets; units in state "
            f"initial carry any suggestion as a match. Return the file for `transflow import`."
        )
        for unit in units:
            _unit20(file, unit)
    elif version == "1.2":
        root = ET.Element("xliff", {"xmlns": XLIFF12, "version": "1.2"})
        file = ET.SubElement(
            root,
            _w(XLIFF12, "file"),
            {
                "original": original,
                "source-language": source_language,
                "target-language": locale,
                "datatype": "plaintext",
                "tool-id": "transflow",
            },
        )
        header = ET.SubElement(file, _w(XLIFF12, "header"))
        ET.SubElement(
            header,
            _w(XLIFF12, "tool"),
            {"tool-id": "transflow", "tool-name": "transflow", "tool-version": __version__},
        )
        body = ET.SubElement(file, _w(XLIFF12, "body"))
        for unit in units:
            _unit12(body, unit, locale)
    else:
        raise InputError(f"unknown XLIFF version {version!r} (2.0 or 1.2)")
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


# -- reading ----------------------------------------------------------------------------


class _LineBuilder(ET.TreeBuilder):
    """A TreeBuilder that remembers the line each element starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.parser: Any = None

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = super().start(tag, attrs)
        self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


def parse_xml(data: bytes, path: Path) -> tuple[ET.Element, dict[int, int]]:
    """Parse an untrusted XML file: (root, line of each element by ``id``), or a one-line error."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=False)
    builder.parser = parser
    try:
        parser.feed(data)
        root: ET.Element = parser.close()
    except DefusedXmlException as exc:
        line = parser.parser.CurrentLineNumber
        raise InputError(
            f"refused: the file declares XML entities ({type(exc).__name__}); "
            "export it again without a DOCTYPE",
            path,
            line,
        ) from None
    except ET.ParseError as exc:
        line, _ = exc.position
        message = str(exc).split(":")[0]
        raise InputError(f"malformed XML: {message}", path, line) from None
    return root, builder.lines


@dataclass(frozen=True)
class IncomingUnit:
    """A unit as a returned file has it."""

    id: str
    source: str
    target: str | None  # None: no target (nothing to import)
    claims_approval: bool
    line: int | None
    fuzzy: bool = False  # PO only: the translator left it marked as needing work
    # The file says the target is done (XLIFF state past initial/new, PO not fuzzy); an
    # unconfirmed target equal to the suggestion the catalog holds is not taken as a decision.
    confirmed: bool = True


@dataclass
class XliffPart:
    """The units of one ``<file>`` of an XLIFF document, for one document and locale."""

    original: str
    locale: str
    units: list[IncomingUnit]
    line: int | None  # of the element that named the target language


def _all_text(element: ET.Element | None) -> str | None:
    if element is None:
        return None
    return "".join(element.itertext())


def read_xliff(data: bytes, path: Path) -> tuple[str, list[XliffPart]]:
    """The version and the parts of an XLIFF 2.0 or 1.2 file, or a one-line error."""
    root, lines = parse_xml(data, path)

    def line(element: ET.Element) -> int | None:
        return lines.get(id(element))

    if root.tag == _q(XLIFF20, "xliff"):
        return "2.0", _read20(root, path, line)
    if root.tag == _q(XLIFF12, "xliff") or (
        root.tag == "xliff" and root.get("version") in ("1.2", "1.1")
    ):
        ns = XLIFF12 if root.tag.startswith("{") else ""
        return "1.2", _read12(root, path, line, ns)
    name = root.tag.split("}")[-1]
    raise InputError(f"not an XLIFF 2.0 or 1.2 file (root element <{name}>)", path, line(root))


def _read20(root: ET.Element, path: Path, line: Any) -> list[XliffPart]:
    locale = root.get("trgLang")
    if not locale:
        raise InputError("XLIFF has no trgLang: which language is it in?", path, line(root))
    parts = []
    for file in root.iter(_q(XLIFF20, "file")):
        units = []
        for unit in file.iter(_q(XLIFF20, "unit")):
            unit_id = unit.get("id") or ""
            sources: list[str] = []
            targets: list[str] = []
            has_target = False
            states: list[str] = []
            for child in unit:
                if child.tag not in (_q(XLIFF20, "segment"), _q(XLIFF20, "ignorable")):
                    continue
                sources.append(_all_text(child.find(_q(XLIFF20, "source"))) or "")
                target = _all_text(child.find(_q(XLIFF20, "target")))
                has_target = has_target or target is not None
                targets.append(target or "")
                if child.tag == _q(XLIFF20, "segment"):
                    states.append(child.get("state", "initial"))
            if not sources:
                raise InputError(f"unit {unit_id!r} has no segment", path, line(unit))
            claims = bool(states) and all(s in ("reviewed", "final") for s in states)
            confirmed = bool(states) and all(s != "initial" for s in states)
            units.append(
                IncomingUnit(
                    unit_id,
                    "".join(sources),
                    "".join(targets) if has_target else None,
                    claims,
                    line(unit),
                    confirmed=confirmed,
                )
            )
        original = file.get("original") or file.get("id") or ""
        parts.append(XliffPart(original, locale, units, line(root)))
    return parts


# XLIFF 1.2 target states that say the target is not a translator's decision yet.
_UNCONFIRMED_12 = frozenset({"new", "needs-translation", "needs-adaptation", "needs-l10n"})


def _read12(root: ET.Element, path: Path, line: Any, ns: str) -> list[XliffPart]:
    def tag(name: str) -> str:
        return _q(ns, name) if ns else name

    parts = []
    for file in root.iter(tag("file")):
        locale = file.get("target-language")
        if not locale:
            raise InputError(
                "XLIFF <file> has no target-language: which language is it in?", path, line(file)
            )
        units = []
        for unit in file.iter(tag("trans-unit")):
            unit_id = unit.get("id") or ""
            target = unit.find(tag("target"))
            state = target.get("state", "") if target is not None else ""
            claims = unit.get("approved") == "yes" or state in ("signed-off", "final")
            units.append(
                IncomingUnit(
                    unit_id,
                    _all_text(unit.find(tag("source"))) or "",
                    _all_text(target),
                    claims,
                    line(unit),
                    confirmed=state not in _UNCONFIRMED_12,
                )
            )
        parts.append(XliffPart(file.get("original") or "", locale, units, line(file)))
    return parts
