"""Typographic checks: final punctuation, French spacing, quotation marks, brackets, spaces.

Each check knows the target language's conventions (``language.py``) and
offers the corrected target as ``expected`` where the fix is mechanical, so a
review tool can apply it with one key.
"""

from __future__ import annotations

import re

from transflow.finding import Severity
from transflow.qa.base import Hit, LocaleRules, QAUnit, unit_check, url_spans
from transflow.qa.language import LANGUAGES, LanguageData

__all__ = [
    "check_brackets",
    "check_end_punctuation",
    "check_french_spacing",
    "check_missing_quotes",
    "check_quotes",
    "check_repeated_word",
    "check_whitespace",
    "final_punctuation",
]

_END_MARKS = ".?!:;…,"
# Closing quotes and brackets (and spaces, for French) that may follow the final mark.
_TAIL_CHARS = " \t\n\r\u00a0\u202f\u2009" + _END_MARKS + "\"'”’“‘»«›‹)]}*"
_ABBREV_TAIL = re.compile(r"\.\s+")
_LAST_WORD = re.compile(r"([^\W\d_][\w.\-]*)$")
_ENGLISH_ABBREVIATIONS = LANGUAGES["en"].abbreviations
_WINDOW = 16  # how many characters before a full stop may hold an abbreviation


def final_punctuation(text: str) -> tuple[str, int]:
    """The final punctuation mark of ``text`` ('' if none) and its index (or len of content).

    Closing quotes and brackets around it are skipped, so `“Meydan TV.”` and
    `„Meydan TV“.` both end in a full stop; "..." counts as "…".
    """
    last = text[-1:]
    if last and last in _END_MARKS:  # the common case: the mark is the last character
        index = len(text) - 1
        if last == "." and text.endswith("..."):
            return "…", index
        return last, index
    start = len(text.rstrip(_TAIL_CHARS))
    for index in range(len(text) - 1, start - 1, -1):
        char = text[index]
        if char in _END_MARKS:
            if char == "." and text[max(0, index - 2) : index + 1] == "...":
                return "…", index
            return char, index
    return "", len(text.rstrip())


def _ends_with_abbreviation(text: str, end: int, abbreviations: frozenset[str]) -> bool:
    """Whether the full stop at ``end`` belongs to an abbreviation ("Dr.", "z. B.", "г.")."""
    window = text[max(0, end - _WINDOW) : end]
    # Most sentences end in a plain word after a space ("in Europe."): the word is then
    # what the search below would find, and the only candidate (no dot in it), at a third
    # of the cost. Not after ". " ("z. B."), which the search joins into one word.
    before, space, last = window.rpartition(" ")
    if space and before[-1:] != "." and not before[-1:].isspace():
        word = last.lower()
        if word.isalpha():  # not "İ" (lower-cased, a letter and a combining dot)
            return word in abbreviations
    head = _ABBREV_TAIL.sub(".", window).lower()
    match = _LAST_WORD.search(head)
    if match is None:
        return False
    word = match.group(1)
    # "z.B" → try "z.b", then "b"; "J.-C" → "j.-c", "c".
    while word:
        if word in abbreviations:
            return True
        cut = word.find(".")
        if cut < 0:
            return False
        word = word[cut + 1 :]
    return False


def _mark_name(mark: str) -> str:
    return f"“{mark}”" if mark else "no final punctuation"


@unit_check("end-punctuation", Severity.WARNING)
def check_end_punctuation(unit: QAUnit, rules: LocaleRules) -> list[Hit] | None:
    """The target ends with the same kind of punctuation as the source (. ? ! : ; … ,)."""
    source = unit.source
    target = unit.target
    # Most units end with the same mark as their last character, or both with neither a
    # mark nor a quote, bracket or space (headings, datelines): what comparing the two
    # ``final_punctuation`` would conclude ("..." counts as "…"), without calling it twice.
    last, target_last = source[-1:], target[-1:]
    if (
        last
        and last in _END_MARKS
        and last == target_last
        and (last != "." or source.endswith("...") == target.endswith("..."))
    ):
        return None
    if last not in _TAIL_CHARS and target_last not in _TAIL_CHARS:  # (an empty text is "in")
        return None
    source_mark, source_at = final_punctuation(source)
    target_mark, target_at = final_punctuation(target)
    if source_mark == target_mark:
        return None
    data = rules.data
    # An abbreviation's full stop may or may not double as the sentence's.
    if (
        source_mark == "."
        and not target_mark
        and _ends_with_abbreviation(unit.source, source_at, _ENGLISH_ABBREVIATIONS)
    ):
        return None
    if (
        target_mark == "."
        and not source_mark
        and _ends_with_abbreviation(target, target_at, data.abbreviations)
    ):
        return None
    # Salutations: "Dear Minister," is "Уважаемый господин министр!" in Russian (a
    # salutation with no mark at all is still a finding: "" is in every string).
    if (
        source_mark == ","
        and target_mark
        and target_mark in data.salutation_ends
        and unit.kind in ("", "salutation")
    ):
        return None
    if not target_mark:
        at = len(target.rstrip())
        mark = source_mark
        if rules.language == "fr" and mark in ";:!?":
            mark = ("\u00a0" if mark == ":" else "\u202f") + mark
        fixed = target[:at] + mark + target[at:]
        message = f"the source ends with {_mark_name(source_mark)}, the translation does not"
        return [Hit(message, (max(0, at - 1), at), (fixed,))]
    fixed = target[:target_at] + source_mark + target[target_at + 1 :]
    if not source_mark:
        message = f"the translation ends with “{target_mark}”, the source has no final punctuation"
    else:
        message = (
            f"the source ends with {_mark_name(source_mark)}, "
            f"the translation with {_mark_name(target_mark)}"
        )
    return [Hit(message, (target_at, target_at + 1), (fixed,))]


# ---------------------------------------------------------------------------
# French spacing
_NBSP = "\u00a0"
_NNBSP = "\u202f"
_SPACES = " \u00a0\u202f\u2009"
_FRENCH = re.compile(
    r"(?P<sp>[ \u00a0\u202f\u2009\t]*)(?P<p>[;:!?»])|«(?P<after>[ \u00a0\u202f\u2009\t]*)"
)


def _inside(spans: list[tuple[int, int]], index: int) -> bool:
    return any(a <= index < b for a, b in spans)


@unit_check("french-spacing", Severity.WARNING)
def check_french_spacing(unit: QAUnit, rules: LocaleRules) -> list[Hit] | None:
    """French needs a no-break space before ; : ! ? » and after « (U+00A0 or U+202F)."""
    if rules.language != "fr":
        return None
    target = unit.target
    if not (
        ";" in target
        or ":" in target
        or "!" in target
        or "?" in target
        or "«" in target
        or "»" in target
    ):
        return None
    urls = url_spans(target)
    out: list[str] = []
    last = 0
    first: tuple[int, int] | None = None
    count = 0
    for match in _FRENCH.finditer(target):
        if match.group("p") is not None:
            mark, space, at = match.group("p"), match.group("sp"), match.start("p")
            before = target[match.start() - 1] if match.start() > 0 else ""
            after = target[at + 1] if at + 1 < len(target) else ""
            if space in (_NBSP, _NNBSP) or _inside(urls, at) or match.start() == 0:
                continue
            if not space and (before in ";:!?«(/" or (mark == ":" and before.isdigit())):
                continue  # "?!", "10:30", "(:"
            if mark == ":" and not space and after == "/":
                continue  # a scheme such as "https:"
            good = _NBSP if mark in ":»" else _NNBSP
            out.append(target[last : match.start()] + good + mark)
            last = match.end()
        else:
            space, at = match.group("after"), match.start()
            if space in (_NBSP, _NNBSP) or match.end() >= len(target):
                continue
            out.append(target[last:at] + "«" + _NBSP)
            last = match.end()
        count += 1
        if first is None:
            first = (at, at + 1)
    if first is None:
        return None
    fixed = "".join(out) + target[last:]
    places = "1 place" if count == 1 else f"{count} places"
    message = f"French punctuation needs a no-break space ({places})"
    return [Hit(message, first, (fixed,))]


# ---------------------------------------------------------------------------
# Quotation marks
_QUOTE = re.compile(r"[\"“”„«»]")
_QUOTE_TRIGGER = frozenset('"“”„')


def _bad_quotes(target: str, language: str) -> list[tuple[int, str]]:
    """(index, role) of quotation marks wrong for ``language``; role is 'open' or 'close'."""
    bad: list[tuple[int, str]] = []
    depth = 0  # inside «…» (fr, ru) other marks are nested quotes, and fine
    german_open = False  # a German „ waiting for its “
    pending = False  # a wrong opening mark waiting for its closing mark
    for match in _QUOTE.finditer(target):
        char, at = match.group(), match.start()
        if char == "«":
            depth += 1
            continue
        if char == "»":
            depth = max(0, depth - 1)
            continue
        if depth and language in ("fr", "ru"):
            continue
        if language == "de" and not pending:
            if char == "„":
                german_open = True
                continue
            if char == "“" and german_open:
                german_open = False
                continue
        if language == "az" and char in "“”" and not pending:
            continue
        bad.append((at, "close" if pending else "open"))
        pending = not pending
    return bad


@unit_check("quotes", Severity.WARNING)
def check_quotes(unit: QAUnit, rules: LocaleRules) -> list[Hit] | None:
    """Quotation marks follow the target language (de „…“, fr « … », ru «…», az “…” or «…»)."""
    if rules.language not in ("de", "fr", "ru", "az"):
        return None
    target = unit.target
    if not ('"' in target or "“" in target or "”" in target or "„" in target):
        return None
    bad = _bad_quotes(target, rules.language)
    if not bad:
        return None
    data: LanguageData = rules.data
    pieces: list[str] = []
    last = 0
    for at, role in bad:
        if role == "open":
            pieces.append(target[last:at] + data.quote_open)
            last = at + 1
            if data.quote_open.endswith(_NBSP):  # French: one no-break space inside
                while last < len(target) and target[last] in _SPACES:
                    last += 1
        else:
            head = target[last:at]
            if data.quote_close.startswith(_NBSP):
                head = head.rstrip(_SPACES)
            pieces.append(head + data.quote_close)
            last = at + 1
    fixed = "".join(pieces) + target[last:]
    first = bad[0][0]
    mark = target[first]
    style = f"{data.quote_open.strip()}…{data.quote_close.strip()}"
    if rules.language == "az":
        style = "“…” or «…»"
    message = f"quotation mark {mark} is not {data.name} style; use {style}"
    return [Hit(message, (first, first + 1), (fixed,))]


# ---------------------------------------------------------------------------
# Quotations the translation drops (pofilter's "doublequoting")
_SOURCE_QUOTATION = re.compile(r"“([^“”]*)”|\"([^\"]*)\"")
# Double quotation marks of every convention: a quotation in any style counts here (its
# style is the ``quotes`` check's business). Single marks are left out on both sides:
# ’ is also the apostrophe.
_DOUBLE_MARKS = '"“”„‟«»'
_QUOTED_EDGE = " \u00a0\u202f\u2009,.;:!?…"


def _quote_marks(text: str) -> int:
    return sum(map(text.count, _DOUBLE_MARKS))


def _is_quoted(target: str, start: int, end: int) -> bool:
    """Whether ``target[start:end]`` stands between quotation marks (spaces and marks aside)."""
    before = target[:start].rstrip(_QUOTED_EDGE)[-1:]
    after = target[end:].lstrip(_QUOTED_EDGE)[:1]
    return before != "" != after and before in _DOUBLE_MARKS and after in _DOUBLE_MARKS


@unit_check("missing-quotes", Severity.WARNING)
def check_missing_quotes(unit: QAUnit, rules: LocaleRules) -> list[Hit] | None:
    """The source quotes something (“AbzasMedia”) that the translation leaves unquoted."""
    source = unit.source
    if "“" not in source and '"' not in source:
        return None
    target = unit.target
    have = _quote_marks(target) // 2
    # Each quotation opens with a “ or takes two ": as many quotations in the target as
    # that allows in the source means none missing, without the source's regex pass.
    if have >= source.count("“") + source.count('"') // 2:
        return None
    quoted = [a or b for a, b in _SOURCE_QUOTATION.findall(source)]
    missing = len(quoted) - have
    if missing <= 0:
        return None
    # Name the quotations whose words stand unquoted in the translation (names, titles).
    data: LanguageData = rules.data
    places: list[tuple[int, int]] = []
    for text in quoted:
        core = text.strip(_QUOTED_EDGE)
        at = target.find(core) if core else -1
        while at >= 0:
            end = at + len(core)
            if not _is_quoted(target, at, end) and all(b <= at or a >= end for a, b in places):
                places.append((at, end))
                break
            at = target.find(core, at + 1)
        if len(places) == missing:
            break
    if not places:
        shown = ", ".join(f"“{text.strip(_QUOTED_EDGE)}”" for text in quoted[:3])
        more = ", …" if len(quoted) > 3 else ""
        noun = "quotation" if len(quoted) == 1 else "quotations"
        message = (
            f"the source has {len(quoted)} {noun} ({shown}{more}), the translation "
            f"{have}: are quotation marks missing?"
        )
        return [Hit(message)]
    places.sort()
    pieces: list[str] = []
    last = 0
    for a, b in places:
        pieces.append(target[last:a] + data.quote_open + target[a:b] + data.quote_close)
        last = b
    fixed = "".join(pieces) + target[last:]
    return [
        Hit(f"the source quotes “{target[a:b]}”, the translation does not", (a, b), (fixed,))
        for a, b in places
    ]


# ---------------------------------------------------------------------------
# Brackets
_BRACKETS = re.compile(r"[()\[\]{}]")
_PAIRS = {")": "(", "]": "[", "}": "{"}


@unit_check("brackets", Severity.WARNING)
def check_brackets(unit: QAUnit, rules: LocaleRules) -> list[Hit] | None:
    """Brackets are balanced in the target and as many as in the source."""
    target = unit.target
    source = unit.source
    in_target = "(" in target or ")" in target or "[" in target or "]" in target
    in_target = in_target or "{" in target or "}" in target
    if not in_target and not (
        "(" in source or ")" in source or "[" in source or "]" in source or "{" in source
    ):
        return None
    stack: list[tuple[str, int]] = []
    for match in _BRACKETS.finditer(target):
        char, at = match.group(), match.start()
        if char in "([{":
            stack.append((char, at))
        elif stack and stack[-1][0] == _PAIRS[char]:
            stack.pop()
        else:
            return [Hit(f"“{char}” closes nothing", (at, at + 1))]
    if stack:
        char, at = stack[-1]
        return [Hit(f"“{char}” is never closed", (at, at + 1))]
    for opener in "([{":
        want, got = source.count(opener), target.count(opener)
        if want != got:
            message = f"the source has {want} “{opener}…{_closer(opener)}”, the translation {got}"
            span = None
            if got > want:
                at = target.rfind(opener)
                span = (at, at + 1)
            return [Hit(message, span)]
    return None


def _closer(opener: str) -> str:
    return {"(": ")", "[": "]", "{": "}"}[opener]


# ---------------------------------------------------------------------------
# Whitespace
# Each pattern starts with a literal space and looks behind only from there (rather than
# "(?<=\S)  +"): the regex engine then jumps from space to space instead of trying every
# position, 2-3x faster for the same matches.
_DOUBLE_SPACE = re.compile(r" (?<=\S ) +(?=\S)")  # 2+ spaces between two non-spaces
# Spaces after a word, before a mark (not "..."); in French only before , and .
_SPACE_BEFORE = re.compile(r" (?<=\w ) *(?=[,.](?!\.)|[;:!?])")
_SPACE_BEFORE_FR = re.compile(r" (?<=\w ) *(?=[,.](?!\.))")
# A space before another space or before a mark: what every test of ``check_whitespace``
# but the one for leading and trailing spaces needs (see ``_space_before_mark``).
_SPACE_THEN = re.compile(" [ ,.;:!?]")


def _space_before_mark(text: str) -> bool:
    return " ;" in text or " :" in text or " !" in text or " ?" in text


def _edge(text: str) -> tuple[str, str]:
    core = text.strip()
    if not core:
        return text, ""
    start = text.find(core)
    return text[:start], text[start + len(core) :]


@unit_check("whitespace", Severity.WARNING)
def check_whitespace(unit: QAUnit, rules: LocaleRules) -> list[Hit] | None:
    """Leading/trailing spaces match the source; no double spaces or spaces before punctuation.

    Every hit offers the same fix: the target with all of its whitespace problems corrected.
    """
    target = unit.target
    source = unit.source
    if not target or not source:
        return None
    edges = (
        target[0].isspace() or target[-1].isspace() or source[0].isspace() or source[-1].isspace()
    )
    # One regex pass (a fast search for its leading space) instead of seven ``in`` tests:
    # without it, none of the tests below can find anything.
    if not edges and _SPACE_THEN.search(target) is None:
        return None
    found: list[tuple[str, tuple[int, int]]] = []
    fixed = target
    s_lead = s_trail = ""  # what ``_edge`` gives a source without edge whitespace
    if edges:
        s_lead, s_trail = _edge(source)
        t_lead, t_trail = _edge(target)
        if s_lead != t_lead:
            found.append(("leading whitespace differs from the source", (0, len(t_lead))))
        if s_trail != t_trail:
            end = len(target) - len(t_trail)
            found.append(("trailing whitespace differs from the source", (end, len(target))))
        fixed = fixed.strip()
    if "  " in target:
        match = _DOUBLE_SPACE.search(target)
        if match is not None and "  " not in source:
            found.append(("double space", match.span()))
            fixed = _DOUBLE_SPACE.sub(" ", fixed)
    french = rules.language == "fr"
    if " ," in target or " ." in target or (not french and _space_before_mark(target)):
        pattern = _SPACE_BEFORE_FR if french else _SPACE_BEFORE
        match = pattern.search(target)
        if match is not None and not pattern.search(source):
            found.append((f"space before “{target[match.end()]}”", match.span()))
            fixed = pattern.sub("", fixed)
    if not found:
        return None
    fixed = s_lead + fixed.strip() + s_trail
    return [Hit(message, span, (fixed,)) for message, span in found]


# ---------------------------------------------------------------------------
# Repeated words
# Possessive "++": only a whole word and all the spaces after it can match, so giving
# back characters never helps; not trying saves a third of the search.
_REPEAT = re.compile(r"(?<!\w)(\w++)(\s++)(\1)(?!\w)", re.IGNORECASE)
_WORD_TRAIL = ".,;:!?…\"'“”„«»()[]"


def _ends_word(text: str, end: int) -> bool:
    """Whether the repeated word ends a word of the text: a space, the end, or a closing
    mark after it. "en en-tête" (French "in the header") repeats nothing."""
    return end == len(text) or text[end].isspace() or text[end] in _WORD_TRAIL


@unit_check("repeated-word", Severity.WARNING)
def check_repeated_word(unit: QAUnit, rules: LocaleRules) -> list[Hit] | None:
    """A word is repeated by mistake ("die die", "и и"); suppress deliberate ones."""
    target = unit.target
    hits: list[Hit] = []
    # No pre-test: one search of the expression (in C) costs about what splitting the
    # text into words does, and a split-based test missed "(die die)" and „die die“.
    for match in _REPEAT.finditer(target):
        word = match.group(1)
        if word.isdigit() or word.lower() in rules.data.repeat_ok:
            continue
        if not _ends_word(target, match.end(3)):
            continue
        if match.group().lower() in unit.source.lower():
            continue
        fixed = target[: match.start(2)] + target[match.end(3) :]
        hits.append(Hit(f"“{word}” is repeated", match.span(3), (fixed,)))
    return hits or None
