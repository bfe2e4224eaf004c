"""Segmentation: blocks → sentences → translation units with stable ids.

Sentence splitting is rule-based (SRX-style: a break after ``. ! ? …`` and any
closing quotes or brackets, followed by whitespace and a sentence start,
unless an exception applies): abbreviations (Mr., Dr., St., approx., e.g.,
i.e., No., N°., Art., p.), abbreviations that may also end a sentence ("U.S.",
"6 P.M.", "& Co.", "etc."), initials, decimals, ellipses spaced or not,
quotations and a citation after one ("(Smith 55)."), URLs, dates such as
"Oct. 14, 2025", and inline lists ("1) ... 2) ..."). No split leaves a
sentence of punctuation alone. On the Pragmatic Segmenter's 48 English golden
rules the splitter passes all 48 (``bench/bench_golden_rules.py``); pySBD, the
rule-based library that ports them, passes 47 and splits 45-90 times slower, and the statistical
splitters (NLTK punkt, stanza, spaCy) need a model download. Headings,
salutations, address, date and signature lines are never split.

Unit ids are content hashes (8 hex digits of BLAKE2b of the normalised
sentence), with ``-2``, ``-3`` for repeated sentences in one document. On
re-segmentation the previous ids are aligned with the new sentences
(``assign_ids``): unchanged and moved sentences keep their ids, an edited
sentence inherits the id of the sentence it replaced (so its translation can be
kept, marked for review), and inserting a paragraph renumbers nothing. Both
the numbering and the alignment are linear in the number of identical
sentences (``bench/bench_segment.py`` times a 5 MB source of one sentence).
"""

from __future__ import annotations

import hashlib
import re
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from rapidfuzz import fuzz

from transflow.document import Block, Document
from transflow.unit import BlockKind, Unit

__all__ = ["IdChanges", "assign_ids", "segment_document", "split_sentences", "unit_id"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Abbreviations after which a full stop does not end a sentence (lower case, no final dot).
ABBREVIATIONS = _words(
    "mr mrs ms dr prof st sr jr mt ft rev hon gen col capt lt sgt gov sen rep pres approx "
    "e.g i.e cf vs viz al no nos n° nº art arts para paras sec fig figs vol vols ch p pp ed "
    "eds jan feb mar apr jun jul aug sep sept oct nov dec dept univ assn corp inc ltd co "
    "bros est"
)
# Abbreviations that may also end a sentence ("in the U.S.", "at 6 p.m.", "& Co.", "etc."):
# a break after one only before a word that typically opens a sentence, or a title such as
# "Mr.", and only when what precedes is a sentence of its own (see ``_ends_after_abbreviation``).
# Dotted capitals that are not listed ("U.S.A.", "N.Y.") are treated the same way.
SENTENCE_FINAL_ABBREVIATIONS = _words("u.s u.k u.n e.u etc a.m p.m co inc ltd corp bros jr sr")
# Titles before a name: after "at 6 P.M." or "in the U.S.", "Mr. Smith" opens a new sentence.
HONORIFICS = _words("mr mrs ms dr prof rev hon gen col capt lt sgt gov sen")
SENTENCE_OPENERS = _words(
    "the a an this that these those it its we our they their he she his her i you my your "
    "in on at for from with by during but and so yet then thus also however moreover "
    "meanwhile nevertheless since after before because although if as when while where what "
    "why how who which did do does is are was were can could will would should let being "
    "many more most some all there here today currently"
)

_CLOSERS = "\"'”’»)]"
_OPENERS = "\"'“‘«(["
_QUOTES = "\"'”’»"
_C, _O = re.escape(_CLOSERS), re.escape(_OPENERS)
# A run of end punctuation — with the dots of a spaced ellipsis (". . .") — then closing
# quotes or brackets, whitespace and the next word. A run is taken whole (possessive, and
# never entered in the middle), so a spaced ellipsis is never cut between its own dots and a
# long run of dots costs linear time.
_BOUNDARY = re.compile(
    rf"([.!?…](?<![.!?…].)(?<![.!?…] .)[.!?…]*+(?: \.(?=[\s{_C}]|$))*+)"
    rf"([{_C}]*+)(\s+)(?=[{_O}]*\S)"
)
_NEXT_WORD = re.compile(rf"[{_O}]*(\S+)")
_URL_TAIL = re.compile(r"(?:https?://|www\.)\S*$", re.IGNORECASE)
_EMAIL_TAIL = re.compile(r"\S+@\S+$")
_INITIALISM = re.compile(r"(?:[A-Z]\.)+[A-Z]")  # "U.S.A" of "U.S.A.": may end a sentence
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")  # "a.k.a" of "a.k.a.": never does
# "(Smith 55)." after a quotation: the citation and its full stop belong to the quotation.
_CITATION = re.compile(rf"\([^()]{{1,80}}\)[.!?](?=[\s{_C}]|$)")
# An inline list marker: "1.", "2)", "3.)", "a.", "• 9.", "⁃10.", or a bullet alone.
_BULLETS = "•⁃‣◦▪"
_MARKER = re.compile(
    rf"(?<!\S)(?P<bullet>[{_BULLETS}] ?)?(?:(?P<num>\d{{1,3}})|(?P<letter>[a-z]))"
    rf"(?P<delim>\.\)|\)|\.)(?=\s+\S)|(?<!\S)[{_BULLETS}](?=\s+\S)"
)
_BULLET = re.compile(rf"[{_BULLETS}]")
_ITEM_START = re.compile(rf"\s+[{_O}]*(\S)")
_LIST_OPENING = re.compile(rf"[:;.!?…][{_C}]*\s+$")
_HAS_WORD = re.compile(r"[^\W_]")  # a letter or a digit: a unit needs one

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


def _opens_sentence(word: str) -> bool:
    """Whether ``word`` is one that typically starts a sentence ("They", "How", "Mr.")."""
    if not word[:1].isupper():
        return False
    core = word.rstrip(_CLOSERS + ",;:")
    if core.endswith("."):
        return core[:-1].lower() in HONORIFICS
    return re.split(r"['’]", core, maxsplit=1)[0].lower() in SENTENCE_OPENERS


def _ends_after_abbreviation(text: str, sentence_start: int, start: int, nxt: str) -> bool:
    """A break after "U.S.", "p.m.", "Co.": before a sentence opener, after a whole sentence.

    Fewer than four words ("At 5 a.m.", "In the U.S.") is an opening phrase, not a sentence.
    """
    if not _opens_sentence(nxt):
        return False
    return len(text[max(sentence_start, start - 200) : start].split()) >= 4


def _break(text: str, match: re.Match[str], sentence_start: int) -> tuple[int, int] | None:
    """Where the sentence ends and the next begins, if the punctuation of ``match`` ends one."""
    punct, closers = match.group(1), match.group(2)
    start = match.start(1)
    after = _NEXT_WORD.match(text, match.end())
    nxt = after.group(1) if after else ""
    if not nxt:
        return None
    first = nxt[0]
    cut = (match.end(2), match.end())
    if closers and any(q in closers for q in _QUOTES) and _CITATION.match(text, match.end()):
        return None
    if " " in punct:
        # Spaced ellipsis: " . . . " is an omission inside a sentence; "word. . . . Next" is a
        # full stop and an ellipsis that opens the next sentence; " . . . . Next" ends one.
        if not first.isupper():
            return None
        attached = start > 0 and not text[start - 1].isspace()
        if closers or (attached and punct.count(".") < 4):
            return cut
        if attached:
            return (start + 1, start + 2) if punct.startswith(". ") else cut
        return cut if punct.count(".") >= 4 else None
    if punct.startswith("…") or punct.startswith(".."):
        # An ellipsis ends a sentence only before a capital letter or an opening quote.
        return cut if first.isupper() or first in _OPENERS else None
    if punct != "." or closers:
        # ! ? and quoted or bracketed full stops: break unless the next word is lower-case.
        return None if first.islower() else cut
    word = text[text.rfind(" ", 0, start) + 1 : start].lstrip(_OPENERS)
    bare = word.lower()
    if ("/" in word or "@" in word or "www." in bare) and (
        _URL_TAIL.search(word) or _EMAIL_TAIL.search(word)
    ):
        return cut if first.isupper() else None
    dotted = "." in word
    if bare in SENTENCE_FINAL_ABBREVIATIONS or (dotted and _INITIALISM.fullmatch(word)):
        return cut if _ends_after_abbreviation(text, sentence_start, start, nxt) else None
    if bare in ABBREVIATIONS or (dotted and _DOTTED.fullmatch(bare)):
        return None
    if len(word) == 1 and word.isupper():
        # An initial ("Albert I. Jones", "J. D. Wadephul") unless a sentence opener follows
        # ("you and I. Did you ...", "Appendix A. The ...").
        return cut if _opens_sentence(nxt) else None
    return None if first.islower() else cut


def _follows(previous: re.Match[str], marker: re.Match[str]) -> bool:
    """Whether ``marker`` is the next one after ``previous`` in one list (1 → 2, a → b)."""
    if marker.group("delim") != previous.group("delim"):
        return False
    if marker.group("num") and previous.group("num"):
        return int(marker.group("num")) == int(previous.group("num")) + 1
    if marker.group("letter") and previous.group("letter"):
        return ord(marker.group("letter")) == ord(previous.group("letter")) + 1
    return False


def _list_markers(text: str, item: int | None = None) -> list[tuple[int, int]]:
    """Spans of the inline list markers of ``text``: each item is a sentence of its own.

    A bullet always marks an item. Numbers and letters ("1)", "a.") do when they count up
    (1, 2, ...) from the start of the text or after a colon or a sentence end, each followed
    by a word that is not lower case, so "paragraphs 1) and 2)" and "got 1. She got 2." are
    left alone; a number or letter that opens the text is a marker even alone. In the text
    of list item number ``item``, the number after it ("2." in item 1) goes on the list.
    """
    markers: list[tuple[int, int]] = []
    run: list[re.Match[str]] = []

    def close() -> None:
        if run:
            first = run[0].start()
            number = run[0].group("num")
            opens = (
                first == 0
                or (len(run) >= 2 and _LIST_OPENING.search(text, max(0, first - 16), first))
                or (item is not None and number is not None and int(number) == item + 1)
            )
            items = [_ITEM_START.match(text, m.end()) for m in run]
            if opens and all(item and not item.group(1).islower() for item in items):
                markers.extend(m.span() for m in run)
        run.clear()

    for marker in _MARKER.finditer(text):
        if not marker.group("delim") or marker.group("bullet"):
            markers.append(marker.span())
        elif run and _follows(run[-1], marker):
            run.append(marker)
        else:
            close()
            run.append(marker)
    close()
    return sorted(markers)


def split_sentences(text: str, item: int | None = None) -> list[str]:
    """Split a paragraph's text into sentences (whitespace already normalised).

    ``item`` is the number of the list item the text is (Markdown took its "1." away),
    so that "The first item 2. The second item" is two.

    No split leaves punctuation alone: a piece without a letter or a digit joins its
    neighbour, so no sentence is a lone "." or "…" (a text of nothing else stays whole).
    """
    text = text.strip()
    if not text:
        return []
    boundaries = list(_BOUNDARY.finditer(text))
    markers = _list_markers(text, item) if _may_hold_list(text, boundaries) else []
    cuts: list[tuple[int, int]] = []  # (end of a sentence, start of the next)
    sentence_start = 0
    index = 0
    for match in boundaries:
        pos = match.start(1)
        while index < len(markers) and markers[index][0] <= pos:
            if markers[index][0] > sentence_start:
                cuts.append((markers[index][0], markers[index][0]))
                sentence_start = markers[index][0]
            index += 1
        if index and pos < markers[index - 1][1]:
            continue  # the full stop of "1." or "a.": no sentence ends in a list marker
        found = _break(text, match, sentence_start)
        if found:
            cuts.append(found)
            sentence_start = found[1]
    for marker_start, _ in markers[index:]:
        if marker_start > sentence_start:
            cuts.append((marker_start, marker_start))
            sentence_start = marker_start
    return _join_bare(text, cuts)


def _may_hold_list(text: str, boundaries: Sequence[re.Match[str]]) -> bool:
    """A cheap test before looking for list markers: a bullet, a ")", or "1. " or " a. "."""
    if ")" in text or _BULLET.search(text):
        return True
    for match in boundaries:
        at = match.start(1)
        before = text[at - 1] if at else ""
        if before.isdigit() or (before.islower() and (at == 1 or text[at - 2] == " ")):
            return True
    return False


def _join_bare(text: str, cuts: Sequence[tuple[int, int]]) -> list[str]:
    """The sentences between ``cuts``; a piece without a letter or digit joins a neighbour."""
    spans: list[tuple[int, int]] = []
    last_bare = False
    begin = 0
    for end, following in [*cuts, (len(text), len(text))]:
        if end > begin:
            bare = _HAS_WORD.search(text, begin, end) is None
            if spans and (bare or last_bare):
                spans[-1] = (spans[-1][0], end)
                last_bare = last_bare and bare
            else:
                spans.append((begin, end))
                last_bare = bare
        begin = following
    return [text[start:end].strip() for start, end in spans]


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
    replaced: list[tuple[int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in _opcodes(old_texts, list(texts)):
        if tag == "equal":
            for offset in range(i2 - i1):
                ids[j1 + offset] = old_ids[i1 + offset]
                used_old.add(i1 + offset)
        elif tag == "replace":
            replaced.append((i1, i2, j1, j2))
    # Moves: exact text that disappeared from one place and appeared in another.
    free_by_text: dict[str, deque[int]] = {}
    for index, text in enumerate(old_texts):
        if index not in used_old:
            free_by_text.setdefault(text, deque()).append(index)
    for j, text in enumerate(texts):
        if ids[j] is None and free_by_text.get(text):
            index = free_by_text[text].popleft()
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
    # The lowest free suffix of each hash: ``taken`` only grows, so the search for the next
    # copy of a sentence resumes where the last one stopped (linear in the copies, not
    # quadratic: a source of one sentence repeated 80,000 times).
    next_suffix: dict[str, int] = {}
    for j, text in enumerate(texts):
        if ids[j] is None:
            base = unit_id(text)
            n = next_suffix.get(base, 1)
            candidate = base if n == 1 else f"{base}-{n}"
            while candidate in taken:
                n += 1
                candidate = f"{base}-{n}"
            next_suffix[base] = n + 1
            taken.add(candidate)
            ids[j] = candidate
            changes.added.append(candidate)
    changes.removed = [old_ids[i] for i in range(len(old_ids)) if i not in used_old]
    return [i for i in ids if i is not None], changes


def _opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes turning ``old`` into ``new``, the common head and tail matched first.

    SequenceMatcher compares every pair of equal lines, which is quadratic when one
    sentence repeats thousands of times; the unchanged head and tail (all of it when
    nothing changed) are matched in linear time and only the middle is diffed.
    """
    limit = min(len(old), len(new))
    head = 0
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    codes: list[tuple[str, int, int, int, int]] = []
    if head:
        codes.append(("equal", 0, head, 0, head))
    middle = SequenceMatcher(None, old[head : len(old) - tail], new[head : len(new) - tail], False)
    for tag, i1, i2, j1, j2 in middle.get_opcodes():
        codes.append((tag, i1 + head, i2 + head, j1 + head, j2 + head))
    if tail:
        codes.append(("equal", len(old) - tail, len(old), len(new) - tail, len(new)))
    return codes


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
        texts = (
            [block.text]
            if block.kind in UNSPLIT_KINDS
            else split_sentences(block.text, block.number)
        )
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
