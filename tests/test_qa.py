"""Prose QA checks: real sentences of the Bonn appeals in az, de, fr and ru.

Each check gets a case it must catch (name, severity, span) and the false
positives translators hate, which it must not raise.
"""

from __future__ import annotations

import re

import pytest
from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from transflow.errors import InputError
from transflow.finding import Finding, Severity
from transflow.qa import (
    CHECKS,
    QAConfig,
    QAUnit,
    blocking_findings,
    parse_suppressions,
    run_checks,
)
from transflow.unit import State

NBSP, NNBSP = "\u00a0", "\u202f"

JOURNALISTS = "More than 40 journalists, including 9 women, are currently imprisoned."
JOURNALISTS_T = {
    "de": "Mehr als 40 Journalisten, darunter 9 Frauen, sind derzeit inhaftiert.",
    "fr": "Plus de 40 journalistes, dont 9 femmes, sont actuellement emprisonnés.",
    "ru": "Более 40 журналистов, в том числе 9 женщин, в настоящее время находятся в заключении.",
    "az": "Hazırda 9-u qadın olmaqla 40-dan çox jurnalist həbsdədir.",
}
SPELLED_NINE = {
    "de": ("Mehr als 40 Journalisten, darunter neun Frauen, sind derzeit inhaftiert.", "neun"),
    "fr": ("Plus de 40 journalistes, dont neuf femmes, sont actuellement emprisonnés.", "neuf"),
    "ru": (
        "Более 40 журналистов, в том числе девять женщин, в настоящее время находятся в "
        "заключении.",
        "девять",
    ),
    "az": ("Hazırda doqquzu qadın olmaqla 40-dan çox jurnalist həbsdədir.", "doqquzu"),
}
MILLION = (
    "The natural right of 10 million citizens to free movement has been violated, and "
    "lawlessness by police and officials prevails."
)
MILLION_T = {
    "de": "Das natürliche Recht von 10 Millionen Bürgern auf Freizügigkeit wird verletzt, und "
    "es herrscht Willkür von Polizei und Beamten.",
    "fr": "Le droit naturel de 10 millions de citoyens à la libre circulation est bafoué, et "
    "l’arbitraire de la police et des fonctionnaires règne.",
    "ru": "Естественное право 10 миллионов граждан на свободу передвижения нарушено, и царит "
    "беззаконие полиции и чиновников.",
    "az": "10 milyon vətəndaşın sərbəst hərəkət hüququ pozulub, polis və məmurların "
    "özbaşınalığı hökm sürür.",
}
DATELINE = "October 25, 2025, Bonn, Germany"
DATELINE_T = {
    "de": "25. Oktober 2025, Bonn, Deutschland",
    "fr": "25 octobre 2025, Bonn, Allemagne",
    "ru": f"25 октября 2025{NNBSP}г., Бонн, Германия",
    "az": "25 oktyabr 2025, Bonn, Almaniya",
}
OUTLETS = (
    "The founders, editors-in-chief, and leading journalists of the “AbzasMedia” portal, "
    "“Meydan TV,” and “Toplum TV” have been imprisoned."
)
OUTLETS_T = {
    "de": "Die Gründer, Chefredakteure und führenden Journalisten des Portals „AbzasMedia“, "
    "von „Meydan TV“ und „Toplum TV“ wurden inhaftiert.",
    "fr": f"Les fondateurs, rédacteurs en chef et principaux journalistes du portail "
    f"«{NBSP}AbzasMedia{NBSP}», de «{NNBSP}Meydan TV{NNBSP}» et de «{NBSP}Toplum TV{NBSP}» "
    "ont été emprisonnés.",
    "ru": "Основатели, главные редакторы и ведущие журналисты портала «AbzasMedia», "
    "«Meydan TV» и «Toplum TV» заключены под стражу.",
    "az": "“AbzasMedia” portalının, “Meydan TV” və “Toplum TV”nin təsisçiləri, baş "
    "redaktorları və aparıcı jurnalistləri həbs olunub.",
}
ONGOING = "Investigations are ongoing in both cases."
ONGOING_T = {
    "de": "In beiden Fällen dauern die Ermittlungen an.",
    "fr": "Les enquêtes sont en cours dans les deux cas.",
    "ru": "Расследования продолжаются по обоим делам.",
    "az": "Hər iki iş üzrə istintaq davam edir.",
}
LOCALES = ("de", "fr", "ru", "az")


def unit(
    source: str,
    target: str,
    locale: str = "de",
    state: State = State.TRANSLATED,
    unit_id: str = "u1",
    **kw: object,
) -> QAUnit:
    return QAUnit(unit_id, "bonn-appeals", locale, source, target, state, **kw)  # type: ignore[arg-type]


def check(qa_unit: QAUnit, name: str, config: QAConfig | None = None) -> list[Finding]:
    return [f for f in run_checks([qa_unit], config) if f.check == name]


def assert_clean(qa_unit: QAUnit, config: QAConfig | None = None) -> None:
    findings = [f for f in run_checks([qa_unit], config) if f.check != "unreviewed-suggestion"]
    assert findings == [], [(f.check, f.message) for f in findings]


# -- the correct translations raise nothing ----------------------------------


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(
    "source,targets",
    [
        (JOURNALISTS, JOURNALISTS_T),
        (MILLION, MILLION_T),
        (DATELINE, DATELINE_T),
        (OUTLETS, OUTLETS_T),
        (ONGOING, ONGOING_T),
    ],
)
def test_good_translations_are_clean(locale: str, source: str, targets: dict[str, str]) -> None:
    assert_clean(unit(source, targets[locale], locale))


# -- untranslated, unreviewed-suggestion -------------------------------------


def test_untranslated_new_unit_is_info_only() -> None:
    [finding] = run_checks([unit(ONGOING, "", state=State.NEW)])
    assert (finding.check, finding.severity) == ("untranslated", Severity.INFO)


def test_blank_target_marked_translated_is_an_error() -> None:
    [finding] = run_checks([unit(ONGOING, "  ", state=State.TRANSLATED)])
    assert (finding.check, finding.severity) == ("untranslated", Severity.ERROR)
    assert "publish" in finding.message


def test_blank_machine_suggestion_is_a_warning() -> None:
    [finding] = run_checks([unit(ONGOING, " ", state=State.MACHINE, flags=("fuzzy", "machine"))])
    assert (finding.check, finding.severity) == ("untranslated", Severity.WARNING)


@pytest.mark.parametrize("state,flag", [(State.MACHINE, "machine"), (State.MEMORY, "memory")])
def test_unreviewed_suggestion_is_info(state: State, flag: str) -> None:
    qa_unit = unit(ONGOING, ONGOING_T["ru"], "ru", state=state, flags=("fuzzy", flag))
    [finding] = check(qa_unit, "unreviewed-suggestion")
    assert finding.severity == Severity.INFO
    assert (
        check(unit(ONGOING, ONGOING_T["ru"], "ru", state=State.REVIEWED), "unreviewed-suggestion")
        == []
    )


# -- same-as-source -----------------------------------------------------------


def test_copied_source_is_flagged() -> None:
    [finding] = check(unit(ONGOING, ONGOING, "de"), "same-as-source")
    assert finding.severity == Severity.WARNING
    assert finding.span == (0, len(ONGOING))


@pytest.mark.parametrize("text", ["APPEAL", "Dear Minister,", DATELINE])
def test_capitalised_but_translatable_copies_are_flagged(text: str) -> None:
    assert check(unit(text, text, "de"), "same-as-source")


@pytest.mark.parametrize(
    "text,keep",
    [
        ("ASIMKOM", ()),
        ("Dr. Johann David Wadephul", ()),
        ("Meydan TV", ("Meydan TV",)),
        ("Toplum TV, Meydan TV, 2021–2024", ("Meydan TV", "Toplum TV")),
    ],
)
def test_names_numbers_and_kept_terms_may_stay(text: str, keep: tuple[str, ...]) -> None:
    assert check(unit(text, text, "de", keep_untranslated_terms=keep), "same-as-source") == []


# -- numbers ------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_missing_number_is_an_error(locale: str) -> None:
    target = JOURNALISTS_T[locale].replace("40", "")
    [finding] = check(unit(JOURNALISTS, target, locale), "numbers")
    assert finding.severity == Severity.ERROR
    assert "40" in finding.message and "missing" in finding.message


@pytest.mark.parametrize("locale", LOCALES)
def test_spelled_out_number_is_a_warning_saying_so(locale: str) -> None:
    target, word = SPELLED_NINE[locale]
    [finding] = check(unit(JOURNALISTS, target, locale), "numbers")
    assert finding.severity == Severity.WARNING
    assert "spelled out" in finding.message
    assert finding.span is not None
    assert target[finding.span[0] : finding.span[1]] == word


def test_spelled_out_on_purpose_is_suppressed_and_never_blocks() -> None:
    target, _ = SPELLED_NINE["de"]
    comment = "Zahl ausgeschrieben\nqa-ignore: numbers — spelled out on purpose"
    [finding] = run_checks([unit(JOURNALISTS, target, "de", translator_comments=comment)])
    assert finding.suppressed == "spelled out on purpose"
    assert finding.to_json()["suppressed"] == "spelled out on purpose"
    # Even a missing number (an error) does not block publishing once suppressed.
    missing = unit(JOURNALISTS, "Mehr als 40 Journalisten sind inhaftiert.", "de")
    assert blocking_findings(run_checks([missing]))
    suppressed = unit(
        JOURNALISTS,
        "Mehr als 40 Journalisten sind inhaftiert.",
        "de",
        translator_comments="qa-ignore: numbers -- the count of women is in the next sentence",
    )
    [finding] = check(suppressed, "numbers")
    assert finding.severity == Severity.ERROR
    assert finding.suppressed == "the count of women is in the next sentence"
    assert blocking_findings([finding]) == []


def test_decimal_comma_accepted_and_decimal_point_flagged_in_german() -> None:
    source = "The economy grew by 2.5 percent."
    assert_clean(unit(source, "Die Wirtschaft wuchs um 2,5 Prozent.", "de"))
    [finding] = check(unit(source, "Die Wirtschaft wuchs um 2.5 Prozent.", "de"), "numbers")
    assert finding.severity == Severity.WARNING
    assert finding.expected == ("2,5",)
    assert finding.span == (24, 27)


@pytest.mark.parametrize(
    "locale,target",
    [
        ("de", "Etwa 10.000 Menschen haben den Appell unterzeichnet."),
        ("de", "Etwa 10 000 Menschen haben den Appell unterzeichnet."),
        ("fr", f"Environ 10{NNBSP}000 personnes ont signé l’appel."),
        ("fr", f"Environ 10{NBSP}000 personnes ont signé l’appel."),
        ("ru", f"Около 10{NBSP}000 человек подписали обращение."),
        ("az", "Təxminən 10 000 nəfər müraciəti imzalayıb."),
        ("az", "Təxminən 10.000 nəfər müraciəti imzalayıb."),
    ],
)
def test_thousands_separators_of_the_target_locale(locale: str, target: str) -> None:
    assert_clean(unit("About 10,000 people signed the appeal.", target, locale))


@pytest.mark.parametrize(
    "locale,target,expected",
    [
        ("de", "Etwa 10,000 Menschen haben den Appell unterzeichnet.", "10.000"),
        ("fr", "Environ 10,000 personnes ont signé l’appel.", f"10{NNBSP}000"),
        ("fr", "Environ 10.000 personnes ont signé l’appel.", f"10{NNBSP}000"),
        ("ru", "Около 10,000 человек подписали обращение.", f"10{NBSP}000"),
    ],
)
def test_english_thousands_separator_is_flagged(locale: str, target: str, expected: str) -> None:
    [finding] = check(unit("About 10,000 people signed the appeal.", target, locale), "numbers")
    assert finding.severity == Severity.WARNING
    assert finding.expected == (expected,)


def test_year_range_must_keep_both_years() -> None:
    source = "Between 2021–2024, four political refugees were assassinated in Europe."
    good = "Zwischen 2021 und 2024 wurden in Europa vier politische Flüchtlinge ermordet."
    assert_clean(unit(source, good, "de"))
    bad = "Zwischen 2021 und 2023 wurden in Europa vier politische Flüchtlinge ermordet."
    [finding] = check(unit(source, bad, "de"), "numbers")
    assert "2024" in finding.message and finding.severity == Severity.ERROR


@pytest.mark.parametrize("locale", LOCALES)
def test_date_needs_day_and_year(locale: str) -> None:
    target = DATELINE_T[locale].replace("25", "24", 1)
    [finding] = check(unit(DATELINE, target, locale), "numbers")
    assert "25" in finding.message


def test_russian_date_with_plain_space_before_year_abbreviation() -> None:
    assert_clean(unit(DATELINE, "25 октября 2025 г., Бонн, Германия", "ru"))
    assert_clean(
        unit("Bonn, Germany – October 25, 2025", "Бонн, Германия – 25 октября 2025 г.", "ru")
    )


def test_numeric_german_date_keeps_day_and_year() -> None:
    assert_clean(unit(DATELINE, "25.10.2025, Bonn, Deutschland", "de"))


def test_repeated_number_appearing_fewer_times_is_a_warning() -> None:
    source = "Vuqar Rzayev was killed in 2021, and the trial began in 2021."
    target = "Vuqar Rzayev wurde 2021 getötet, und der Prozess begann im selben Jahr."
    [finding] = check(unit(source, target, "de"), "numbers")
    assert finding.severity == Severity.WARNING
    assert "2 times" in finding.message


@settings(max_examples=60, deadline=None)
@given(
    number=st.integers(min_value=0, max_value=10**9),
    locale=st.sampled_from(LOCALES),
)
def test_any_number_written_the_locale_way_passes(number: int, locale: str) -> None:
    source = f"The fund holds {number:,} dollars."
    target = f"X {format_decimal(number, locale=locale)} Y."
    assert check(unit(source, target, locale), "numbers") == []


# -- urls ---------------------------------------------------------------------

URL_SOURCE = "The appeals are published at https://asimkom.org/bonn-2025 and at info@asimkom.org."


def test_changed_url_is_an_error() -> None:
    target = (
        "Die Appelle sind unter https://asimkom.org/bonn-2025-de und info@asimkom.org zu finden."
    )
    [finding] = check(unit(URL_SOURCE, target, "de"), "urls")
    assert finding.severity == Severity.ERROR
    assert finding.expected == ("https://asimkom.org/bonn-2025",)
    assert finding.span is not None
    assert target[finding.span[0] : finding.span[1]] == "https://asimkom.org/bonn-2025-de"


def test_url_kept_with_french_spacing_is_fine() -> None:
    target = (
        "Les appels sont publiés sur https://asimkom.org/bonn-2025 et à l’adresse info@asimkom.org."
    )
    assert_clean(unit(URL_SOURCE, target, "fr"))


def test_missing_email_is_an_error() -> None:
    target = "Обращения опубликованы на https://asimkom.org/bonn-2025."
    [finding] = check(unit(URL_SOURCE, target, "ru"), "urls")
    assert "info@asimkom.org" in finding.message


# -- end-punctuation ------------------------------------------------------------


def test_missing_final_full_stop() -> None:
    target = "In beiden Fällen dauern die Ermittlungen an"
    [finding] = check(unit(ONGOING, target, "de"), "end-punctuation")
    assert finding.severity == Severity.WARNING
    assert finding.span == (len(target) - 1, len(target))
    assert finding.expected == (target + ".",)


def test_question_turned_into_statement() -> None:
    source = "How long will Europe stay silent?"
    target = "Wie lange wird Europa noch schweigen."
    [finding] = check(unit(source, target, "de"), "end-punctuation")
    assert finding.span == (len(target) - 1, len(target))
    assert finding.expected == ("Wie lange wird Europa noch schweigen?",)


def test_heading_without_punctuation_gets_none() -> None:
    assert_clean(unit("APPEAL", "APPELL", "de"))
    [finding] = check(unit("APPEAL", "APPELL.", "de"), "end-punctuation")
    assert "no final punctuation" in finding.message


@pytest.mark.parametrize(
    "source,target,locale",
    [
        # The source's full stop belongs to "Dr."; the Russian abbreviation has none.
        (
            "The appeal was received by the office of Dr.",
            "Обращение получено канцелярией д-ра",
            "ru",
        ),
        (
            "Oil companies have been sanctioned by the EU, the U.K., and the U.S.",
            "Ölkonzerne wurden von der EU, dem Vereinigten Königreich und den USA sanktioniert.",
            "de",
        ),
        # Salutations: Russian and Azerbaijani letters may open with "!".
        ("Dear Dr. Johann David Wadephul,", "Уважаемый г-н Вадефуль!", "ru"),
        ("Dear Minister,", "Hörmətli cənab Nazir!", "az"),
        ("Dear Dr. Johann David Wadephul,", "Sehr geehrter Herr Dr. Wadephul,", "de"),
        # Quotes around or after the final mark.
        (
            "The outlets are “AbzasMedia,” “Meydan TV,” and “Toplum TV.”",
            "Die Medien sind „AbzasMedia“, „Meydan TV“ und „Toplum TV“.",
            "de",
        ),
        # "..." and "…" are the same mark.
        ("And yet the silence continues...", "Und doch geht das Schweigen weiter …", "de"),
        (
            "In summary, ASIMKOM requests the Committee of Ministers to:",
            f"En résumé, l’ASIMKOM demande au Comité des Ministres de{NBSP}:",
            "fr",
        ),
    ],
)
def test_end_punctuation_false_positives(source: str, target: str, locale: str) -> None:
    assert check(unit(source, target, locale), "end-punctuation") == []


def test_french_salutation_keeps_its_comma() -> None:
    [finding] = check(unit("Dear Minister,", "Monsieur le Ministre !", "fr"), "end-punctuation")
    assert "“,”" in finding.message


# -- french-spacing ------------------------------------------------------------------


def test_french_question_without_space() -> None:
    target = "Combien de temps l’Europe restera-t-elle silencieuse?"
    [finding] = check(unit("How long will Europe stay silent?", target, "fr"), "french-spacing")
    assert finding.severity == Severity.WARNING
    assert finding.span == (len(target) - 1, len(target))
    assert finding.expected == (target[:-1] + NNBSP + "?",)


def test_french_colon_after_plain_space_and_guillemets_without_spaces() -> None:
    target = "L’ASIMKOM demande au Comité des Ministres de : soutenir «Meydan TV»."
    [finding] = check(
        unit("ASIMKOM requests the Committee to: support “Meydan TV.”", target, "fr"),
        "french-spacing",
    )
    assert "3 places" in finding.message
    assert finding.expected == (
        f"L’ASIMKOM demande au Comité des Ministres de{NBSP}: soutenir «{NBSP}Meydan TV{NBSP}».",
    )


@pytest.mark.parametrize("space", [NBSP, NNBSP])
def test_french_no_break_spaces_accepted(space: str) -> None:
    target = f"Combien de temps{space}? Jusqu’à quand{space}! Voici «{space}Meydan TV{space}»."
    source = "How long? Until when! Here is “Meydan TV.”"
    assert check(unit(source, target, "fr"), "french-spacing") == []
    assert check(unit(source, target, "fr"), "quotes") == []


def test_french_spacing_ignores_times_urls_and_other_languages() -> None:
    source = "The conference opened at 10:30; see https://asimkom.org/bonn?lang=fr."
    target = f"La conférence a commencé à 10:30{NNBSP}; voir https://asimkom.org/bonn?lang=fr."
    assert check(unit(source, target, "fr"), "french-spacing") == []
    assert check(unit("How long?", "Wie lange?", "de"), "french-spacing") == []


# -- quotes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "locale,target,fixed",
    [
        (
            "de",
            "Die Gründer von “Meydan TV” wurden inhaftiert.",
            "Die Gründer von „Meydan TV“ wurden inhaftiert.",
        ),
        (
            "fr",
            "Les fondateurs de “Meydan TV” ont été emprisonnés.",
            f"Les fondateurs de «{NBSP}Meydan TV{NBSP}» ont été emprisonnés.",
        ),
        (
            "ru",
            "Основатели “Meydan TV” заключены под стражу.",
            "Основатели «Meydan TV» заключены под стражу.",
        ),
        (
            "az",
            '"Meydan TV"-nin təsisçiləri həbs olunub.',
            "“Meydan TV”-nin təsisçiləri həbs olunub.",
        ),
    ],
)
def test_english_quotes_copied(locale: str, target: str, fixed: str) -> None:
    source = "The founders of “Meydan TV” have been imprisoned."
    [finding] = check(unit(source, target, locale), "quotes")
    assert finding.severity == Severity.WARNING
    assert finding.span is not None and target[finding.span[0]] in '“"'
    assert finding.expected == (fixed,)


@pytest.mark.parametrize(
    "locale,target",
    [
        ("de", "Die Gründer von »Meydan TV« wurden inhaftiert."),
        ("ru", "Основатели «Meydan TV» заключены под стражу."),
        ("ru", "Он сказал: «Закройте „Meydan TV“ немедленно»."),
        ("az", "«Meydan TV»-nin təsisçiləri həbs olunub."),
        ("az", "“Meydan TV”-nin təsisçiləri həbs olunub."),
        ("fr", f"Il a dit{NNBSP}: «{NBSP}Fermez “Meydan TV” immédiatement{NBSP}»."),
    ],
)
def test_locale_quotes_accepted(locale: str, target: str) -> None:
    assert (
        check(unit("The founders of “Meydan TV” have been imprisoned.", target, locale), "quotes")
        == []
    )


# -- missing-quotes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "locale,target,fixed",
    [
        (
            "de",
            "Die Gründer, Chefredakteure und führenden Journalisten des Portals AbzasMedia, "
            "von „Meydan TV“ und „Toplum TV“ wurden inhaftiert.",
            "Die Gründer, Chefredakteure und führenden Journalisten des Portals „AbzasMedia“, "
            "von „Meydan TV“ und „Toplum TV“ wurden inhaftiert.",
        ),
        (
            "fr",
            "Les fondateurs, rédacteurs en chef et principaux journalistes du portail "
            f"AbzasMedia, de «{NBSP}Meydan TV{NBSP}» et de «{NBSP}Toplum TV{NBSP}» "
            "ont été emprisonnés.",
            "Les fondateurs, rédacteurs en chef et principaux journalistes du portail "
            f"«{NBSP}AbzasMedia{NBSP}», de «{NBSP}Meydan TV{NBSP}» et de «{NBSP}Toplum TV{NBSP}» "
            "ont été emprisonnés.",
        ),
        (
            "ru",
            "Основатели, главные редакторы и ведущие журналисты портала AbzasMedia, "
            "«Meydan TV» и «Toplum TV» заключены под стражу.",
            "Основатели, главные редакторы и ведущие журналисты портала «AbzasMedia», "
            "«Meydan TV» и «Toplum TV» заключены под стражу.",
        ),
        (
            "az",
            "AbzasMedia portalının, “Meydan TV” və “Toplum TV”nin təsisçiləri, baş "
            "redaktorları və aparıcı jurnalistləri həbs olunub.",
            "“AbzasMedia” portalının, “Meydan TV” və “Toplum TV”nin təsisçiləri, baş "
            "redaktorları və aparıcı jurnalistləri həbs olunub.",
        ),
    ],
)
def test_quotation_dropped_by_the_translation(locale: str, target: str, fixed: str) -> None:
    [finding] = check(unit(OUTLETS, target, locale), "missing-quotes")
    assert finding.severity == Severity.WARNING
    assert finding.span is not None
    assert target[finding.span[0] : finding.span[1]] == "AbzasMedia"
    assert "“AbzasMedia”" in finding.message
    assert finding.expected == (fixed,)
    assert check(unit(OUTLETS, fixed, locale), "missing-quotes") == []


def test_every_dropped_quotation_is_named_and_one_fix_restores_them_all() -> None:
    target = (
        "Die Gründer, Chefredakteure und führenden Journalisten des Portals AbzasMedia, "
        "von Meydan TV und Toplum TV wurden inhaftiert."
    )
    findings = check(unit(OUTLETS, target, "de"), "missing-quotes")
    assert [target[f.span[0] : f.span[1]] for f in findings if f.span] == [
        "AbzasMedia",
        "Meydan TV",
        "Toplum TV",
    ]
    assert {f.expected for f in findings} == {(OUTLETS_T["de"],)}


def test_translated_quotation_without_marks_is_reported_without_a_fix() -> None:
    source = "The minister called the trial “a necessary step” for the region."
    target = "Der Minister nannte den Prozess einen notwendigen Schritt für die Region."
    [finding] = check(unit(source, target, "de"), "missing-quotes")
    assert finding.span is None and finding.expected == ()
    assert "1 quotation (“a necessary step”), the translation 0" in finding.message


@pytest.mark.parametrize(
    "target",
    [
        "Der Minister nannte den Prozess »einen notwendigen Schritt« für die Region.",
        "Der Minister nannte den Prozess „einen notwendigen Schritt“ für die Region.",
        'Der Minister nannte den Prozess "einen notwendigen Schritt" für die Region.',
    ],
)
def test_quotation_in_any_style_is_not_missing(target: str) -> None:
    source = "The minister called the trial “a necessary step” for the region."
    assert check(unit(source, target, "de"), "missing-quotes") == []


def test_apostrophes_and_unquoted_sources_are_no_quotations() -> None:
    source = "Aliyev’s regime and the EU’s silence"
    assert (
        check(unit(source, "Alijews Regime und das Schweigen der EU", "de"), "missing-quotes") == []
    )


def test_salutation_without_any_final_mark_is_flagged() -> None:
    [finding] = check(
        unit("Dear Minister,", "Sehr geehrter Herr Minister", "de"), "end-punctuation"
    )
    assert finding.expected == ("Sehr geehrter Herr Minister,",)


# -- brackets ---------------------------------------------------------------------------

RZAYEV = "Opposition AXCP member Vuqar Rzayev was assassinated in Belgium (2021)."


def test_unclosed_bracket() -> None:
    target = "Das Oppositionsmitglied der AXCP Vuqar Rzayev wurde in Belgien ermordet (2021."
    [finding] = check(unit(RZAYEV, target, "de"), "brackets")
    assert finding.severity == Severity.WARNING
    assert finding.span == (target.index("("), target.index("(") + 1)


def test_dropped_brackets() -> None:
    target = "Член оппозиционной ПНФА Вугар Рзаев был убит в Бельгии в 2021 году."
    [finding] = check(unit(RZAYEV, target, "ru"), "brackets")
    assert "1" in finding.message and "0" in finding.message


def test_balanced_brackets_pass() -> None:
    target = "Müxalif AXCP üzvü Vüqar Rzayev Belçikada qətlə yetirilib (2021)."
    assert check(unit(RZAYEV, target, "az"), "brackets") == []


# -- whitespace -----------------------------------------------------------------------------


def test_double_space_and_space_before_comma() -> None:
    target = "In beiden  Fällen dauern die Ermittlungen an , leider."
    found = check(
        unit("Investigations are ongoing in both cases, sadly.", target, "de"), "whitespace"
    )
    assert [f.message for f in found] == ["double space", "space before “,”"]
    assert found[0].span == (9, 11)
    assert found[0].expected == ("In beiden Fällen dauern die Ermittlungen an, leider.",)


def test_trailing_whitespace_differs() -> None:
    [finding] = check(unit(ONGOING, ONGOING_T["fr"] + " ", "fr"), "whitespace")
    assert finding.span == (len(ONGOING_T["fr"]), len(ONGOING_T["fr"]) + 1)
    assert finding.expected == (ONGOING_T["fr"],)


def test_french_spaces_before_colon_are_not_whitespace_errors() -> None:
    target = f"La conférence demande{NBSP}: la libération des prisonniers."
    assert (
        check(unit("The conference demands: release the prisoners.", target, "fr"), "whitespace")
        == []
    )


# -- repeated-word --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "locale,target,word",
    [
        ("de", "In beiden Fällen dauern die die Ermittlungen an.", "die"),
        ("ru", "Расследования продолжаются и и по обоим делам.", "и"),
        ("fr", "Les enquêtes sont en en cours dans les deux cas.", "en"),
        ("az", "Hər iki iş üzrə istintaq davam davam edir.", "davam"),
    ],
)
def test_repeated_word(locale: str, target: str, word: str) -> None:
    [finding] = check(unit(ONGOING, target, locale), "repeated-word")
    assert finding.severity == Severity.WARNING
    assert finding.span is not None
    assert target[finding.span[0] : finding.span[1]] == word
    assert finding.expected == (target.replace(f" {word} {word} ", f" {word} ", 1),)


@pytest.mark.parametrize(
    "target",
    [
        "Die Ermittlungen (die die Polizei führt) dauern an.",
        "Sie nannten es „die die“ Frage.",
        "Die Ermittlungen dauern an–die die Polizei führt.",
        "Расследования продолжаются («и и» — опечатка).",
    ],
)
def test_a_word_repeated_after_an_opening_mark_is_found(target: str) -> None:
    """A bracket or quotation mark before the first word hides no repetition."""
    [finding] = check(unit(ONGOING, target, "de"), "repeated-word")
    assert finding.span is not None
    assert target[finding.span[0] : finding.span[1]].lower() in {"die", "и"}


def test_french_reflexive_nous_nous_is_fine() -> None:
    target = "Au nom des réfugiés politiques azerbaïdjanais, nous nous adressons à vous."
    source = "On behalf of Azerbaijani political refugees, we are reaching out to you."
    assert check(unit(source, target, "fr"), "repeated-word") == []


# -- length-ratio -------------------------------------------------------------------------------


def test_truncated_machine_output_is_a_warning() -> None:
    [finding] = check(unit(MILLION, "Das natürliche Recht.", "de"), "length-ratio")
    assert finding.severity == Severity.WARNING
    assert "shorter" in finding.message


def test_somewhat_long_target_is_info() -> None:
    target = MILLION_T["de"] + " " + MILLION_T["de"]
    [finding] = check(unit(MILLION, target, "de"), "length-ratio")
    assert finding.severity == Severity.INFO


def test_short_units_are_not_measured() -> None:
    assert check(unit("APPEAL", "ОБРАЩЕНИЕ К МИНИСТРУ", "ru"), "length-ratio") == []


# -- consistency (project scope) ---------------------------------------------------------------


def test_inconsistent_target() -> None:
    units = [
        unit("Dear Minister,", "Sehr geehrter Herr Minister,", unit_id="a", state=State.REVIEWED),
        unit("Dear Minister,", "Sehr geehrter Herr Minister,", unit_id="b"),
        unit("Dear Minister,", "Lieber Herr Minister,", unit_id="c"),
        unit("Dear Minister,", "Hallo Minister,", unit_id="d", state=State.MACHINE),
    ]
    found = [f for f in run_checks(units) if f.check == "inconsistent-target"]
    assert [f.unit for f in found] == ["c"]
    assert found[0].severity == Severity.WARNING
    assert found[0].expected == ("Sehr geehrter Herr Minister,",)


def test_inconsistent_source() -> None:
    target = "Koordinierungszentrum aserbaidschanischer politischer Flüchtlinge"
    units = [
        unit("Coordination Center of Azerbaijani Political Refugees", target, unit_id="a"),
        unit("Coordination Center of Azerbaijani Political Exiles", target, unit_id="b"),
        unit("Coordination Center of Azerbaijani Political Exiles", target, "ru", unit_id="c"),
    ]
    found = [f for f in run_checks(units) if f.check == "inconsistent-source"]
    assert sorted(f.unit for f in found) == ["a", "b"]
    assert "Exiles" in found[0].message


_TEXTS = st.sampled_from(["A.", "A. ", "A  .", "B.", " ", "", "a"])
_STATES = st.sampled_from(list(State))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_TEXTS, _TEXTS, _STATES), max_size=12))
def test_consistency_checks_on_shared_keys_only_find_the_same(
    rows: list[tuple[str, str, State]],
) -> None:
    from transflow.qa.consistency import CONSISTENCY_CHECKS, consistency_key, shared_keys

    units = [unit(s, t, state=st_, unit_id=f"u{i}") for i, (s, t, st_) in enumerate(rows)]
    config = QAConfig(disable=frozenset(set(CHECKS) - CONSISTENCY_CHECKS))
    everything = run_checks(units, config)
    chosen = shared_keys([consistency_key(u.source, u.target, u.state) for u in units])
    assert run_checks([units[i] for i in chosen], config) == everything


def test_findings_come_in_unit_order() -> None:
    units = [
        unit("Dear Minister,", "Lieber Herr Minister,", unit_id="a"),
        unit(ONGOING, "In beiden Fällen dauern die Ermittlungen an", unit_id="b"),
        unit("Dear Minister,", "Sehr geehrter Herr Minister,", unit_id="c"),
        unit("Dear Minister,", "Sehr geehrter Herr Minister,", unit_id="d"),
    ]
    assert [f.unit for f in run_checks(units)] == ["a", "b"]


def test_findings_of_mixed_locales_and_blanks_come_in_unit_then_check_order() -> None:
    # The runner goes check by check over each locale's units, then restores this order.
    units = [
        unit(JOURNALISTS, "Mehr als Journalisten, darunter neun Frauen  sind inhaftiert", "de"),
        unit(ONGOING, "", "fr", state=State.NEW, unit_id="u2"),
        unit(ONGOING, "Les enquêtes sont en en cours dans les deux cas", "fr", unit_id="u3"),
        unit(ONGOING, " ", "de", unit_id="u4"),
        unit(JOURNALISTS, JOURNALISTS_T["de"], "de", unit_id="u5"),
        unit(ONGOING, "Расследования продолжаются по обоим делам", "ru", unit_id="u6"),
    ]
    found = [(f.unit, f.locale, f.check) for f in run_checks(units)]
    assert found == [
        ("u1", "de", "numbers"),
        ("u1", "de", "numbers"),
        ("u1", "de", "end-punctuation"),
        ("u1", "de", "whitespace"),
        ("u2", "fr", "untranslated"),
        ("u3", "fr", "end-punctuation"),
        ("u3", "fr", "repeated-word"),
        ("u4", "de", "untranslated"),
        ("u5", "de", "inconsistent-target"),  # project checks: after the unit checks
        ("u6", "ru", "end-punctuation"),
    ]


# -- suppression ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "comment,expected",
    [
        ("qa-ignore: numbers — spelled out on purpose", {"numbers": "spelled out on purpose"}),
        ("# qa-ignore: numbers—house style", {"numbers": "house style"}),
        (
            "qa-ignore: quotes, end-punctuation -- quoting a tweet",
            {"quotes": "quoting a tweet", "end-punctuation": "quoting a tweet"},
        ),
        ("qa-ignore: same-as-source - brand name", {"same-as-source": "brand name"}),
        ("qa-ignore: length-ratio", {"length-ratio": "no reason given"}),
        ("Checked with the author.", {}),
    ],
)
def test_parse_suppressions(comment: str, expected: dict[str, str]) -> None:
    assert parse_suppressions(comment) == expected


def test_ignore_all_and_other_checks_still_reported() -> None:
    target = "In beiden  Fällen dauern die die Ermittlungen an"
    found = run_checks([unit(ONGOING, target, translator_comments="qa-ignore: repeated-word — x")])
    by_check = {f.check: f.suppressed for f in found}
    assert by_check == {"end-punctuation": None, "whitespace": None, "repeated-word": "x"}
    found = run_checks([unit(ONGOING, target, translator_comments="qa-ignore: all — draft")])
    assert {f.suppressed for f in found} == {"draft"}


# -- configuration ---------------------------------------------------------------------------------


def test_config_disables_and_changes_severity() -> None:
    config = QAConfig.from_settings(
        {"disable": ["length-ratio"], "severity": {"repeated-word": "error"}}
    )
    target = "Das natürliche die die Recht."
    found = run_checks([unit(MILLION, target, "de")], config)
    assert "length-ratio" not in {f.check for f in found}
    [repeated] = [f for f in found if f.check == "repeated-word"]
    assert repeated.severity == Severity.ERROR
    assert blocking_findings(found)


def test_config_severity_overrides_hit_severity() -> None:
    config = QAConfig.from_settings({"severity": {"numbers": "info"}})
    target, _ = SPELLED_NINE["de"]
    [finding] = run_checks([unit(JOURNALISTS, target, "de")], config)
    assert finding.severity == Severity.INFO


def test_config_length_ratio_per_locale() -> None:
    config = QAConfig.from_settings({"length-ratio": {"de": [0.2, 0.5]}})
    assert config.rules_for("de").length_range == (0.2, 0.5)
    assert config.rules_for("ru").length_range == QAConfig().rules_for("ru").length_range
    assert check(unit(MILLION, MILLION_T["de"], "de"), "length-ratio", config)


@pytest.mark.parametrize(
    "settings,words",
    [
        ({"disable": ["length-ratios"]}, "unknown check 'length-ratios'"),
        ({"severity": {"repeated-words": "error"}}, "unknown check"),
        ({"severity": {"repeated-word": "fatal"}}, "unknown severity"),
        ({"length-ratio": {"de": [1.9, 0.8]}}, "length-ratio.de"),
        ({"length-ratio": {"de": "wide"}}, "length-ratio.de"),
        ({"disabled": ["quotes"]}, "unknown setting 'disabled'"),
    ],
)
def test_config_errors_name_pyproject(settings: dict[str, object], words: str) -> None:
    with pytest.raises(InputError) as info:
        QAConfig.from_settings(settings)
    assert str(info.value).startswith("pyproject.toml: [tool.transflow.qa]")
    assert words in str(info.value)


def test_config_accepts_extra_check_names() -> None:
    config = QAConfig.from_settings(
        {"disable": ["glossary-forbidden"]}, extra_checks=["glossary-forbidden"]
    )
    assert not config.enabled("glossary-forbidden")
    assert config.enabled("numbers")


# -- --list -------------------------------------------------------------------------------------


def test_every_check_describes_itself() -> None:
    expected = {
        "untranslated",
        "unreviewed-suggestion",
        "same-as-source",
        "numbers",
        "urls",
        "end-punctuation",
        "french-spacing",
        "quotes",
        "missing-quotes",
        "brackets",
        "whitespace",
        "repeated-word",
        "length-ratio",
        "inconsistent-target",
        "inconsistent-source",
    }
    assert expected <= set(CHECKS)
    for name, registered in CHECKS.items():
        assert registered.name == name
        assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", name)
        assert registered.description and "\n" not in registered.description
        assert isinstance(registered.severity, Severity)
        assert registered.scope in ("unit", "project")
        assert registered.to_json()["severity"] in ("error", "warning", "info")
    assert list(CHECKS)[:3] == ["untranslated", "unreviewed-suggestion", "same-as-source"]


def test_missing_french_question_mark_fix_has_narrow_no_break_space() -> None:
    target = "Combien de temps l’Europe restera-t-elle silencieuse"
    [finding] = check(unit("How long will Europe stay silent?", target, "fr"), "end-punctuation")
    assert finding.expected == (target + NNBSP + "?",)
    assert check(unit("How long?", finding.expected[0], "fr"), "french-spacing") == []


# -- cheap pre-tests: each skips a check only where the check would find nothing -------------


def test_approval_stale_follows_the_state_review_state_reads() -> None:
    from transflow.approval import approval_line
    from transflow.unit import review_state

    source, target = ONGOING, ONGOING_T["de"]
    current = approval_line("Anna Schmidt", source, target, "2026-12-02T10:15Z")
    stale = approval_line("Anna Schmidt", source, target + "!", "2026-12-02T10:15Z")
    cases = [
        ((), current, []),  # REVIEWED: skipped without parsing
        (("fuzzy",), current, ["the unit is marked fuzzy"]),
        ((), stale, ["the text changed since"]),
        (("reviewed",), "", []),  # the legacy flag alone is a current approval
        (("fuzzy", "reviewed"), "", ["old 'reviewed' flag"]),
        ((), "approved: Anna Schmidt", ["is not an approval transflow wrote"]),
    ]
    for flags, comment, words in cases:
        state = review_state(source, target, flags, comment)
        qa_unit = unit(source, target, state=state, flags=flags, translator_comments=comment)
        found = check(qa_unit, "approval-stale")
        assert [w for w in words if any(w in f.message for f in found)] == words
        assert len(found) == len(words), (flags, comment, state)
        assert (state == State.REVIEWED) == (not found and bool(flags or comment))


def test_numbers_ignore_digits_glued_to_letters_only() -> None:
    # A digit but no number token: nothing to look for, whatever the target holds.
    assert check(unit("Water is H2O.", "Wasser ist H2O, 3 Teile.", "de"), "numbers") == []
    [finding] = check(unit("Water is H2O 3 times.", "Wasser ist H2O.", "de"), "numbers")
    assert "the number 3 is missing" in finding.message


@pytest.mark.parametrize(
    "source,target,flagged",
    [
        ("Wait...", "Warte.", True),  # the same last character, but "..." is "…"
        ("Wait.", "Warte...", True),
        ("Wait...", "Warte...", False),
        ("Wait...", "Warte…", False),  # different last characters, the same mark
        ("Wait?", "Warte?", False),
        ("Dear Minister,", "Sehr geehrter Herr Minister,", False),
    ],
)
def test_end_punctuation_same_last_character(source: str, target: str, flagged: bool) -> None:
    assert bool(check(unit(source, target, "de"), "end-punctuation")) == flagged


@pytest.mark.parametrize(
    "source,flagged",
    [
        ("Bring the papers etc.", False),
        ("Ask him approx.", False),  # "approx": the longest English abbreviation
        ("Ask him xapprox.", True),  # one letter longer: no abbreviation
        ("Ask him x.approx.", False),  # "approx" after a dot is one again
        ("Ask him İetc.", False),  # lower-cased, "İ" ends a word: "etc" remains
        ("Ask them, e. g.", False),  # "e. g" is searched as "e.g"
        ("They went to Europe.", True),
        ("Europe.", True),
        ("They were imprisoned.", True),
    ],
)
def test_end_punctuation_abbreviation_at_the_edge(source: str, flagged: bool) -> None:
    found = check(unit(source, "Sie wurden inhaftiert", "de"), "end-punctuation")
    assert bool(found) == flagged


@given(st.text(alphabet="abcgDEİı.- \téz", max_size=24))
@settings(max_examples=300, deadline=None)
def test_abbreviation_shortcut_agrees_with_the_search(text: str) -> None:
    from transflow.qa.language import LANGUAGES
    from transflow.qa.typography import _ABBREV_TAIL, _LAST_WORD, _ends_with_abbreviation

    def searched(text: str, end: int, abbreviations: frozenset[str]) -> bool:
        match = _LAST_WORD.search(_ABBREV_TAIL.sub(".", text[max(0, end - 16) : end]).lower())
        word = match.group(1) if match else ""
        while word:
            if word in abbreviations:
                return True
            cut = word.find(".")
            word = word[cut + 1 :] if cut >= 0 else ""
        return False

    text += "."
    for data in LANGUAGES.values():
        abbreviations = data.abbreviations | {"dezdez"}  # one the alphabet can spell
        expected = searched(text, len(text) - 1, abbreviations)
        assert _ends_with_abbreviation(text, len(text) - 1, abbreviations) == expected


@pytest.mark.parametrize(
    "source,target,messages",
    [
        ("Both cases.", "Beide Fälle.", []),
        ("Both cases.", "Beide\tFälle .", ["space before “.”"]),
        ("Both cases?", "Beide Fälle ?", ["space before “?”"]),
        ("Both  cases.", "Beide  Fälle.", []),  # the source has a double space too
        ("Both cases.", "Beide Fälle.\n", ["trailing whitespace differs from the source"]),
        (" Both cases.", "Beide Fälle.", ["leading whitespace differs from the source"]),
        ("Both cases.", "Beide   Fälle.", ["double space"]),
        ("Both cases.", "Beide Fälle  .", ["double space", "space before “.”"]),
    ],
)
def test_whitespace_edges(source: str, target: str, messages: list[str]) -> None:
    assert [f.message for f in check(unit(source, target, "de"), "whitespace")] == messages


@pytest.mark.parametrize(
    "target,spans",
    [
        ("Sie sind die die Ersten.", [(13, 16)]),
        ("Die die Ersten und und die Letzten.", [(4, 7), (19, 22)]),
        ("Die diese Ersten.", []),
        ("Wir wir-selbst.", []),  # a hyphen is no word boundary for the repetition
        ("Les mentions en en-tête.", []),  # French: "in the header"
        ("Sie sind (die die Ersten).", [(14, 17)]),
        ("Sie sind da dada.", []),
    ],
)
def test_repeated_word_spans(target: str, spans: list[tuple[int, int]]) -> None:
    found = check(unit("They are the first.", target, "de"), "repeated-word")
    assert [f.span for f in found] == spans


def test_suppression_applies_to_each_check_of_a_unit() -> None:
    target = "Mehr als Journalisten, darunter neun Frauen, sind  derzeit inhaftiert"
    comment = "qa-ignore: numbers — on purpose"
    found = run_checks([unit(JOURNALISTS, target, "de", translator_comments=comment)])
    reasons = {(f.check, f.suppressed) for f in found}
    assert reasons == {
        ("numbers", "on purpose"),
        ("end-punctuation", None),
        ("whitespace", None),
    }


@pytest.mark.parametrize(
    "source,target,count",
    [
        ('They wrote "free" and "now".', "Sie schrieben „frei“ und „jetzt“.", 0),
        ('They wrote "free" and "now".', "Sie schrieben „frei“ und jetzt.", 1),
        ('They wrote "free and now.', "Sie schrieben frei und jetzt.", 0),  # never closed
        ('They wrote "a “free” land".', "Sie schrieben „ein freies Land“.", 0),  # one, nested
        ("They wrote “free” and “now”.", "Sie schrieben „frei“ und jetzt.", 1),
    ],
)
def test_missing_quotes_counts_quotations(source: str, target: str, count: int) -> None:
    assert len(check(unit(source, target, "de"), "missing-quotes")) == count


@pytest.mark.parametrize(
    "source,target,flagged",
    [
        ("October 25, 2025, Bonn, Germany", "25. Oktober 2025, Bonn, Deutschland", False),
        ("Bonn, Germany", "Bonn, Deutschland)", False),  # a bracket, but still no mark
        ("Bonn, Germany", "Bonn, Deutschland.)", True),  # a mark inside the bracket
        ("Bonn, Germany", "Bonn, Deutschland. ", True),  # a mark before a space
        ("(Bonn.)", "(Bonn)", True),
    ],
)
def test_end_punctuation_without_final_mark(source: str, target: str, flagged: bool) -> None:
    assert bool(check(unit(source, target, "de"), "end-punctuation")) == flagged
