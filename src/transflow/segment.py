"""Segmentation: blocks → sentences → translation units with stable ids.

Sentence splitting is rule-based (SRX-style: a break after ``. ! ? …`` and any
closing quotes or brackets, followed by whitespace and a sentence start,
unless an exception applies). We measured the rules against the hard cases in
``tests/test_segment.py`` — abbreviations (Mr., Dr., St., approx., e.g., i.e.,
No., Art., U.S., p.), decimals, ellipses, quotations, URLs, dates such as
"Oct. 14, 2025" — and they get all of them right, where a general-purpose
library needs a language model download (NLTK punkt, stanza, spaCy) or
mis-splits "U.S." and "Oct.". Headings, salutations, address, date and
signature lines are never split.

Unit ids are content hashes (8 hex digits of BLAKE2b of the normalised
sentence), with ``-2``, ``-3`` for repeated sentences in one document. On
re-segmentation the previous ids are aligned with the new sentences
(``assign_ids``): unchanged and moved sentences keep their ids, an edited
sentence inherits the id of the sentence it replaced (so its translation can be
kept, marked for review), and inserting a paragraph renumbers nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from rapidfuzz import fuzz

from transflow.document import Block, Document
from transflow.unit import BlockKind, Unit

__all__ = ["IdChanges", "assign_ids", "segment_document", "split_sentences", "unit_id"]

# Abbreviations after which a full stop does not end a sentence (lower case, no final dot).
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "sr",
        "jr",
        "mt",
        "ft",
        "rev",
        "hon",
        "gen",
        "col",
        "capt",
        "lt",
        "sgt",
        "gov",
        "sen",
        "rep",
        "pres",
        "approx",
        "e.g",
        "i.e",
        "cf",
        "vs",
        "viz",
        "al",
        "no",
        "nos",
        "art",
        "arts",
        "para",
        "paras",
        "sec",
        "fig",
        "figs",
        "vol",
        "vols",
        "ch",
        "p",
        "pp",
        "ed",
        "eds",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "dept",
        "univ",
        "assn",
        "corp",
        "inc",
        "ltd",
        "co",
        "bros",
        "est",
    ]
)
# Abbreviations that also end sentences: a break after them only before a typical sentence opener.
SENTENCE_FINAL_ABBREVIATIONS = frozenset({"u.s", "u.k", "u.n", "e.u", "etc", "a.m", "p.m"})
SENTENCE_OPENERS = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "we",
        "our",
        "they",
        "their",
        "he",
        "she",
        "his",
        "her",
        "i",
        "you",
        "in",
        "on",
        "at",
        "for",
        "but",
        "and",
        "however",
        "since",
        "after",
        "before",
        "as",
        "when",
        "while",
        "there",
        "here",
        "today",
        "currently",
    ]
)

_CLOSERS = "\"'”’»)]"
_OPENERS = "\"'“‘«(["
_BOUNDARY = re.compile(rf"([.!?…]+)([{re.escape(_CLOSERS)}]*)(\s+)(?=[{re.escape(_OPENERS)}]*\S)")
_URL_TAIL = re.compile(r"(?:https?://|www\.)\S*$", re.IGNORECASE)
_EMAIL_TAIL = re.compile(r"\S+@\S+$")

# Kinds whose block is one unit; paragraphs and list items are split into sentences.
UNSPLIT_KINDS = frozenset(
    {
        BlockKind.TITLE,
        BlockKind.HEADING,
        BlockKind.SALUTATION,
        BlockKind.ADDRESS,
        BlockKind.DATELINE,
        BlockKind.SIGNATURE,
    }
)


def _next_word(text: str, pos: int) -> str:
    match = re.match(rf"[{re.escape(_OPENERS)}]*(\S+)", text[pos:])
    return match.group(1) if match else ""


def _is_break(text: str, start: int, punct: str, closers: str, end: int) -> bool:
    """Decide whether the punctuation at ``start`` ends a sentence."""
    word = text[max(text.rfind(" ", 0, start), -1) + 1 : start]
    nxt = _next_word(text, end)
    if not nxt:
        return False
    first = nxt[0]
    if punct.startswith("…") or punct.startswith(".."):
        # An ellipsis ends a sentence only before a capital letter or an opening quote.
        return first.isupper() or first in _OPENERS
    if punct != "." or closers:
        # ! ? and quoted or bracketed full stops: break unless the next word is lower-case.
        return not first.islower()
    bare = word.lstrip(_OPENERS).lower()
    if _URL_TAIL.search(word) or _EMAIL_TAIL.search(word):
        return first.isupper()
    if bare in SENTENCE_FINAL_ABBREVIATIONS:
        return nxt.lower().strip(_CLOSERS + ",;:") in SENTENCE_OPENERS and first.isupper()
    if bare in ABBREVIATIONS:
        return False
    if re.fullmatch(r"[a-z]", bare) and word[:1].isupper():
        return False  # an initial: "J. Smith"
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", bare):
        return False  # unlisted dotted abbreviations such as "a.k.a."
    return not first.islower()


def split_sentences(text: str) -> list[str]:
    """Split a paragraph's text into sentences (whitespace already normalised)."""
    text = text.strip()
    if not text:
        return []
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        punct, closers = match.group(1), match.group(2)
        if _is_break(text, match.start(1), punct, closers, match.end()):
            cut = match.end(2)
            sentence = text[start:cut].strip()
            if sentence:
                sentences.append(sentence)
            start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def unit_id(text: str) -> str:
    """The content hash id of a sentence: 8 hex digits of BLAKE2b of its normalised text."""
    normal = " ".join(text.split())
    return hashlib.blake2b(normal.encode("utf-8"), digest_size=4).hexdigest()


@dataclass
class IdChanges:
    """What ``assign_ids`` found: ids added, changed (edited text) and removed."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)


# An edited sentence inherits its predecessor's id when they are at least this similar.
EDIT_SIMILARITY = 60.0


def assign_ids(
    texts: Sequence[str], previous: Sequence[tuple[str, str]] = ()
) -> tuple[list[str], IdChanges]:
    """Give each sentence of a document an id, reusing ``previous`` (id, text) pairs.

    Alignment is a diff of the two sentence sequences (difflib): equal runs keep
    their ids; inside a replaced run, a new sentence at least EDIT_SIMILARITY
    similar to an old one inherits its id (an edit); a sentence whose exact text
    vanished elsewhere keeps its id (a move); everything else gets a fresh
    content-hash id, never one already used.
    """
    changes = IdChanges()
    ids: list[str | None] = [None] * len(texts)
    old_ids = [i for i, _ in previous]
    old_texts = [t for _, t in previous]
    used_old: set[int] = set()
    matcher = SequenceMatcher(None, old_texts, list(texts), autojunk=False)
    replaced: list[tuple[int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                ids[j1 + offset] = old_ids[i1 + offset]
                used_old.add(i1 + offset)
        elif tag == "replace":
            replaced.append((i1, i2, j1, j2))
    # Moves: exact text that disappeared from one place and appeared in another.
    free_by_text: dict[str, list[int]] = {}
    for index, text in enumerate(old_texts):
        if index not in used_old:
            free_by_text.setdefault(text, []).append(index)
    for j, text in enumerate(texts):
        if ids[j] is None and free_by_text.get(text):
            index = free_by_text[text].pop(0)
            ids[j] = old_ids[index]
            used_old.add(index)
            changes.moved.append(old_ids[index])
    # Edits: inside replaced runs, pair each new sentence with the most similar free old one.
    for i1, i2, j1, j2 in replaced:
        for j in range(j1, j2):
            if ids[j] is not None:
                continue
            best, best_score = -1, EDIT_SIMILARITY
            for i in range(i1, i2):
                if i in used_old:
                    continue
                score = fuzz.ratio(texts[j], old_texts[i])
                if score >= best_score and (best < 0 or score > best_score):
                    best, best_score = i, score
            if best >= 0:
                ids[j] = old_ids[best]
                used_old.add(best)
                changes.changed.append(old_ids[best])
    taken = set(old_ids) | {i for i in ids if i is not None}
    for j, text in enumerate(texts):
        if ids[j] is None:
            base = unit_id(text)
            candidate, n = base, 1
            while candidate in taken:
                n += 1
                candidate = f"{base}-{n}"
            taken.add(candidate)
            ids[j] = candidate
            changes.added.append(candidate)
    changes.removed = [old_ids[i] for i in range(len(old_ids)) if i not in used_old]
    return [i for i in ids if i is not None], changes


@dataclass(frozen=True)
class _Piece:
    kind: str
    text: str
    line: int
    block: int


def _pieces(document: Document) -> list[_Piece]:
    pieces: list[_Piece] = []
    for kind, text, line in document.front_matter_units():  # title, recipient, place
        pieces.append(_Piece(kind, text, line, -1))
    for index, block in enumerate(document.blocks):
        if block.kind == BlockKind.SEPARATOR:
            continue
        texts = [block.text] if block.kind in UNSPLIT_KINDS else split_sentences(block.text)
        pieces.extend(_Piece(block.kind, t, block.line, index) for t in texts)
    return pieces


def segment_document(
    document: Document, previous: Sequence[tuple[str, str]] = ()
) -> tuple[list[Unit], IdChanges]:
    """The units of a document, with ids aligned to ``previous`` (id, source) pairs.

    The front-matter title, recipient and place, where present, are the first
    units (kinds ``title``, ``recipient``, ``place``; block -1).
    """
    pieces = _pieces(document)
    ids, changes = assign_ids([p.text for p in pieces], previous)
    units = [
        Unit(id=i, kind=p.kind, text=p.text, doc=document.doc, line=p.line, block=p.block)
        for i, p in zip(ids, pieces, strict=True)
    ]
    return units, changes


def block_units(units: Sequence[Unit]) -> dict[int, list[Unit]]:
    """Units grouped by the index of the block they came from (for rebuilding)."""
    grouped: dict[int, list[Unit]] = {}
    for unit in units:
        grouped.setdefault(unit.block, []).append(unit)
    return grouped


def join_sentences(sentences: Sequence[str]) -> str:
    """Join a block's sentences back into its text (one space, as the parser normalised)."""
    return " ".join(s.strip() for s in sentences if s.strip())


def rebuild_block(block: Block, texts: Sequence[str]) -> str:
    return join_sentences(texts)
