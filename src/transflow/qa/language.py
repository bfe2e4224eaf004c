"""What the QA checks know about each target language, in one place.

Number symbols come from Babel (CLDR); the rest is typographic convention that
CLDR does not carry: quotation marks, abbreviations that may end a sentence,
spelled-out numbers, accepted repetitions and the expected length of a
translation relative to its English source. A language missing here still gets
the number, URL, bracket and whitespace checks; the language-specific checks
(quotes, French spacing, spelled-out numbers) stay silent for it.

Sources for the defaults: Duden and DIN 5008 (German „…“ and »…«, space or dot
as thousands separator), the Lexique des règles typographiques de l'Imprimerie
nationale (French « … » with no-break spaces, narrow no-break space before
; ! ?), Мильчин's Справочник издателя и автора (Russian «…» with „…“ nested,
"25 октября 2025 г."), and Azerbaijani press usage, where both “…” and «…» are
common (the state orthography dictionary prints «…», news sites mostly “…”), so
both are accepted. Length ranges: the W3C note "Text size in translation" and
IBM's globalisation guidelines put the average expansion of English prose at
+10–35 % for German, +15–25 % for French, +10–20 % for Russian; Azerbaijani
(agglutinative, Latin script) lands in the same band. Single sentences vary
far more than averages, so the ranges below are wide: they catch truncated or
run-on machine output, not style.

Spelled-out numbers cover 0–20, the tens and 100. "1" is left out for German,
French and Azerbaijani, where its word is also the indefinite article (ein, un,
bir): counting every article as a spelled-out 1 would turn a missing "1" (an
error) into a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from transflow.locale import language_of

__all__ = [
    "DEFAULT_LENGTH_RATIO",
    "FALLBACK_LENGTH_RATIO",
    "LanguageData",
    "NumberFormat",
    "language_data",
    "language_of",
    "number_format",
]

# Expected len(target) / len(source) for sentences of 60+ characters.
DEFAULT_LENGTH_RATIO: dict[str, tuple[float, float]] = {
    "de": (0.8, 1.9),
    "fr": (0.8, 1.9),
    "ru": (0.7, 1.8),
    "az": (0.7, 1.8),
}
FALLBACK_LENGTH_RATIO = (0.5, 2.5)

SPACES = " \u00a0\u202f\u2009"  # space, no-break space, narrow no-break space, thin space


@dataclass(frozen=True)
class NumberFormat:
    """How a locale writes numbers: its decimal mark and accepted group separators."""

    decimal: str
    groups: str

    @property
    def group_class(self) -> str:
        return re.escape(self.groups)


@lru_cache(maxsize=64)
def number_format(locale: str) -> NumberFormat:
    """CLDR's decimal and group symbols; spaces are accepted as groups everywhere (SI style)."""
    from babel import Locale, UnknownLocaleError
    from babel.numbers import get_decimal_symbol, get_group_symbol

    try:
        parsed = Locale.parse(locale.replace("-", "_"))
        decimal, group = get_decimal_symbol(parsed), get_group_symbol(parsed)
    except (UnknownLocaleError, ValueError, TypeError):
        decimal, group = ".", ","
    groups = SPACES if group in SPACES else group + SPACES
    return NumberFormat(decimal=decimal, groups=groups)


def _words_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _words(pattern: str, *, suffixes: bool = False) -> re.Pattern[str]:
    tail = r"\w*" if suffixes else r"(?!\w)"
    return re.compile(rf"(?<!\w)(?:{pattern}){tail}", re.IGNORECASE)


def _spelled(table: dict[int, str], *, suffixes: bool = False) -> dict[str, re.Pattern[str]]:
    return {str(n): _words(forms, suffixes=suffixes) for n, forms in table.items()}


_RU_CARDINAL = "ь|и|ью"
_SPELLED_RU = {
    0: "ноль|нуля|нулю|нулём",
    1: "один|одна|одно|одного|одной|одному|одним|одну|одном",
    2: "два|две|двух|двум|двумя|двое|двоих|двоим|двоими",
    3: "три|трёх|трех|трём|трем|тремя|трое|троих|троим|троими",
    4: "четыре|четырёх|четырех|четырём|четырем|четырьмя|четверо|четверых",
    5: f"пят(?:{_RU_CARDINAL})|пятеро|пятерых",
    6: f"шест(?:{_RU_CARDINAL})|шестеро|шестерых",
    7: f"сем(?:{_RU_CARDINAL})|семеро|семерых",
    8: f"восем(?:{_RU_CARDINAL})|восьми|восьмью",
    9: f"девят(?:{_RU_CARDINAL})|девятеро|девятерых",
    10: f"десят(?:{_RU_CARDINAL})|десятеро|десятерых",
    11: f"одиннадцат(?:{_RU_CARDINAL})",
    12: f"двенадцат(?:{_RU_CARDINAL})",
    13: f"тринадцат(?:{_RU_CARDINAL})",
    14: f"четырнадцат(?:{_RU_CARDINAL})",
    15: f"пятнадцат(?:{_RU_CARDINAL})",
    16: f"шестнадцат(?:{_RU_CARDINAL})",
    17: f"семнадцат(?:{_RU_CARDINAL})",
    18: f"восемнадцат(?:{_RU_CARDINAL})",
    19: f"девятнадцат(?:{_RU_CARDINAL})",
    20: f"двадцат(?:{_RU_CARDINAL})",
    30: f"тридцат(?:{_RU_CARDINAL})",
    40: "сорок|сорока",
    50: "пятьдесят|пятидесяти|пятьюдесятью",
    60: "шестьдесят|шестидесяти|шестьюдесятью",
    70: "семьдесят|семидесяти|семьюдесятью",
    80: "восемьдесят|восьмидесяти|восемьюдесятью",
    90: "девяносто|девяноста",
    100: "сто|ста",
}
_SPELLED_DE = {
    0: "null",
    1: "eins",
    2: "zwei|zweier|zweien",
    3: "drei|dreier",
    4: "vier",
    5: "fünf",
    6: "sechs",
    7: "sieben",
    8: "acht",
    9: "neun",
    10: "zehn",
    11: "elf",
    12: "zwölf",
    13: "dreizehn",
    14: "vierzehn",
    15: "fünfzehn",
    16: "sechzehn",
    17: "siebzehn",
    18: "achtzehn",
    19: "neunzehn",
    20: "zwanzig",
    30: "dreißig",
    40: "vierzig",
    50: "fünfzig",
    60: "sechzig",
    70: "siebzig",
    80: "achtzig",
    90: "neunzig",
    100: "hundert|einhundert",
}
_SPELLED_FR = {
    0: "zéro",
    2: "deux",
    3: "trois",
    4: "quatre",
    5: "cinq",
    6: "six",
    7: "sept",
    8: "huit",
    9: "neuf",
    10: "dix",
    11: "onze",
    12: "douze",
    13: "treize",
    14: "quatorze",
    15: "quinze",
    16: "seize",
    17: "dix-sept",
    18: "dix-huit",
    19: "dix-neuf",
    20: "vingt",
    30: "trente",
    40: "quarante",
    50: "cinquante",
    60: "soixante",
    70: "soixante-dix",
    80: "quatre-vingts?",
    90: "quatre-vingt-dix",
    100: "cents?",
}
_AZ_UNITS = {
    2: "iki",
    3: "üç",
    4: "dörd",
    5: "beş",
    6: "altı",
    7: "yeddi",
    8: "səkkiz",
    9: "doqquz",
}
# Azerbaijani numerals take case suffixes (doqquzu, üçünün): match the stem.
_SPELLED_AZ = {
    0: "sıfır",
    **_AZ_UNITS,
    10: "on",
    **{10 + n: f"on {word}" for n, word in _AZ_UNITS.items()},
    11: "on bir",
    20: "iyirmi",
    30: "otuz",
    40: "qırx",
    50: "əlli",
    60: "altmış",
    70: "yetmiş",
    80: "səksən",
    90: "doxsan",
    100: "yüz",
}


@dataclass(frozen=True)
class LanguageData:
    """Typographic facts about one target language (see the module docstring)."""

    name: str
    quote_open: str = "“"
    quote_close: str = "”"
    # Lower-case abbreviations (without their final dot) that may end a sentence.
    abbreviations: frozenset[str] = frozenset()
    spelled: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # Words whose doubling is normal grammar ("nous nous adressons").
    repeat_ok: frozenset[str] = frozenset()
    # Final punctuation a salutation may take instead of the English comma.
    salutation_ends: str = ","


_COMMON_ABBREVIATIONS = frozenset({"etc", "dr", "prof"})

LANGUAGES: dict[str, LanguageData] = {
    "en": LanguageData(
        name="English",
        abbreviations=_COMMON_ABBREVIATIONS
        | _words_set("""mr mrs ms st jr sr no nos art approx vs e.g i.e u.s u.k u.n e.u a.m p.m
            inc ltd co corp bros jan feb mar apr jun jul aug sep sept oct nov dec p pp"""),
        repeat_ok=frozenset({"that", "had"}),
    ),
    "de": LanguageData(
        name="German",
        quote_open="„",
        quote_close="“",
        abbreviations=_COMMON_ABBREVIATIONS
        | _words_set("""usw bzw nr ca vgl z.b d.h u.a o.ä u.ä ggf jh jhd mio mrd str hr fr abs
            art bd s ff u.s.w"""),
        spelled=_spelled(_SPELLED_DE),
        salutation_ends=",!",
    ),
    "fr": LanguageData(
        name="French",
        quote_open="«\u00a0",
        quote_close="\u00a0»",
        abbreviations=_COMMON_ABBREVIATIONS
        | _words_set("cf av env hab mlle m mm p pp j.-c av.j.-c apr.j.-c"),
        spelled=_spelled(_SPELLED_FR),
        repeat_ok=frozenset({"nous", "vous"}),
    ),
    "ru": LanguageData(
        name="Russian",
        quote_open="«",
        quote_close="»",
        abbreviations=_COMMON_ABBREVIATIONS
        | _words_set("г гг т.д т.п др пр проч млн млрд тыс руб ул им д с стр"),
        spelled=_spelled(_SPELLED_RU),
        salutation_ends=",!",
    ),
    "az": LanguageData(
        name="Azerbaijani",
        abbreviations=_COMMON_ABBREVIATIONS | _words_set("s b e.ə b.e mln mlrd min man"),
        spelled=_spelled(_SPELLED_AZ, suffixes=True),
        salutation_ends=",!",
    ),
}


def language_data(locale: str) -> LanguageData:
    """The facts for a locale's language, or neutral defaults for languages not listed."""
    lang = language_of(locale)
    return LANGUAGES.get(lang) or LanguageData(name=lang)
