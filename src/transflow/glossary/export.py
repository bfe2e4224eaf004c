"""The glossary for other CAT tools: TBX (OmegaT, Weblate, Trados) and CSV (Poedit, spreadsheets).

TBX follows TBX-Basic (ISO 30042): one ``termEntry`` per entry (its id as
``id``, its type and note as ``note``), one ``langSet`` per language, one
``tig`` per term with an ``administrativeStatus``: the approved form is
``preferredTerm-admn-sts``, other allowed forms and acceptable English variants
``admittedTerm-admn-sts``, misspellings and forbidden forms
``deprecatedTerm-admn-sts`` — so a tool that flags deprecated terms flags what
``transflow check`` would. With one locale the file is bilingual (English and
that locale), which every importer understands; without, it holds every locale.

CSV has a header row. With one locale it is bilingual, ``source,target,comment,
context`` (the column names translate-toolkit and Weblate recognise; OmegaT
reads source, target and comment in that order): one row per English form that
has a rendering there. Without a locale it is one row per entry with the
approved form in each locale.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from transflow.glossary.model import Entry, Glossary

__all__ = ["FORMATS", "export_csv", "export_tbx"]

FORMATS = ("tbx", "csv")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFERRED, ADMITTED, DEPRECATED = (
    "preferredTerm-admn-sts",
    "admittedTerm-admn-sts",
    "deprecatedTerm-admn-sts",
)
_DOCTYPE = (
    '<!DOCTYPE martif PUBLIC "ISO 12200:1999A//DTD MARTIF core (DXFcdV04)//EN" "TBXcdv04.dtd">'
)


def _terms(entry: Entry, locale: str) -> list[tuple[str, str]]:
    """(term, administrative status) of ``entry`` in ``locale`` ("en" for the English side)."""
    if locale == "en":
        out = [(entry.en, PREFERRED)]
        out += [(v.form, DEPRECATED if v.status == "correct" else ADMITTED) for v in entry.variants]
        return out
    forms = entry.locales.get(locale)
    if forms is None:
        return []
    allowed = entry.target_forms(locale)
    out = [(forms.approved, PREFERRED)]
    out += [(f, ADMITTED) for f in allowed if f != forms.approved]
    out += [(f, DEPRECATED) for f in forms.forbidden if f not in allowed]
    return out


def _note(entry: Entry) -> str:
    parts = [entry.type]
    if entry.keep_untranslated:
        parts.append("kept untranslated")
    if entry.unverified:
        parts.append(f"unverified: {', '.join(entry.unverified)}")
    head = "; ".join(p for p in parts if p)
    return f"{head}. {' '.join(entry.note.split())}".strip() if entry.note else head


def export_tbx(glossary: Glossary, locales: Sequence[str] = (), title: str = "") -> str:
    """The glossary as a TBX document (English and ``locales``, or every locale)."""
    codes = list(locales) or list(glossary.locales)
    root = ET.Element("martif", {"type": "TBX", _XML_LANG: "en"})
    header = ET.SubElement(root, "martifHeader")
    file_desc = ET.SubElement(header, "fileDesc")
    title_stmt = ET.SubElement(file_desc, "titleStmt")
    ET.SubElement(title_stmt, "title").text = title or "glossary"
    source_desc = ET.SubElement(file_desc, "sourceDesc")
    ET.SubElement(source_desc, "p").text = "transflow glossary export of glossary.yaml"
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for entry in glossary:
        term_entry = ET.SubElement(body, "termEntry", {"id": entry.id})
        note = _note(entry)
        if note:
            ET.SubElement(term_entry, "note").text = note
        for code in ("en", *codes):
            terms = _terms(entry, code)
            if not terms:
                continue
            lang_set = ET.SubElement(term_entry, "langSet", {_XML_LANG: code})
            for term, status in terms:
                tig = ET.SubElement(lang_set, "tig")
                ET.SubElement(tig, "term").text = term
                status_note = ET.SubElement(tig, "termNote", {"type": "administrativeStatus"})
                status_note.text = status
    ET.indent(root, space="  ")
    xml = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{_DOCTYPE}\n{xml}\n'


def export_csv(glossary: Glossary, locales: Sequence[str] = ()) -> str:
    """The glossary as CSV with a header row (bilingual with exactly one locale)."""
    out = io.StringIO()
    # every field quoted: the notes hold commas, semicolons and apostrophes, and the
    # dialect sniffers of the importers (translate-toolkit's, OmegaT's) then agree on ","
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    if len(locales) == 1:
        [code] = locales
        writer.writerow(["source", "target", "comment", "context"])
        for entry in glossary:
            note = _note(entry)
            for form, status in _terms(entry, "en"):
                variant = None if form == entry.en else form
                rendering = entry.rendering(code, variant)
                if rendering is None:
                    continue
                comment = note
                if status == DEPRECATED:
                    comment = f"misspelling of {entry.en} — {note}"
                writer.writerow([form, rendering.approved, comment, entry.id])
        return out.getvalue()
    codes = list(locales) or list(glossary.locales)
    writer.writerow(["id", "type", "en", *codes, "note"])
    for entry in glossary:
        approved = [entry.locales[c].approved if c in entry.locales else "" for c in codes]
        writer.writerow([entry.id, entry.type, entry.en, *approved, " ".join(entry.note.split())])
    return out.getvalue()
