"""Glossary protection: placeholders through real and controlled engines, case forms, fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from transflow.errors import EngineError
from transflow.mt.argos import ArgosEngine
from transflow.mt.base import MissingModel
from transflow.mt.controlled import ControlledEngine
from transflow.mt.protect import (
    TargetForms,
    placeholder,
    protect,
    restore,
    translate_protected,
)

ALIYEV_RU = TargetForms(
    approved="Ильхам Алиев",
    cases={
        "genitive": "Ильхама Алиева",
        "dative": "Ильхаму Алиеву",
        "instrumental": "Ильхамом Алиевым",
        "prepositional": "Ильхаме Алиеве",
    },
)
MEYDAN = TargetForms(approved="Meydan TV")
FORMS = {"aliyev": ALIYEV_RU, "meydan": MEYDAN}


def spans_of(text: str, **terms: str) -> list[tuple[int, int, str]]:
    """Spans for each ``term_id=surface`` found in ``text``."""
    out = []
    for term_id, surface in terms.items():
        start = text.index(surface)
        out.append((start, start + len(surface), term_id))
    return out


def test_protect_replaces_spans_in_order() -> None:
    text = "Meydan TV reported that Ilham Aliyev met Meydan TV."
    spans = [(41, 50, "meydan"), (0, 9, "meydan"), (24, 36, "aliyev")]
    p = protect(text, spans)
    assert p.text == "⟦0⟧ reported that ⟦1⟧ met ⟦2⟧."
    assert p.placeholders == {"⟦0⟧": "meydan", "⟦1⟧": "aliyev", "⟦2⟧": "meydan"}
    assert protect("No names here.", []).text == "No names here."
    with pytest.raises(ValueError, match="overlapping"):
        protect(text, [(0, 9, "meydan"), (5, 12, "aliyev")])
    with pytest.raises(ValueError):
        protect(text, [(40, 99, "meydan")])


def test_restore_uses_approved_form_or_the_case_the_preposition_shows() -> None:
    p = protect("x", [(0, 1, "aliyev")])
    cases = {
        "⟦0⟧ подписал указ.": "Ильхам Алиев подписал указ.",
        "Письмо для ⟦0⟧.": "Письмо для Ильхама Алиева.",
        "Обращение к ⟦0⟧.": "Обращение к Ильхаму Алиеву.",
        "Встреча с ⟦0⟧.": "Встреча с Ильхамом Алиевым.",
        "Мы говорили о ⟦0⟧.": "Мы говорили о Ильхаме Алиеве.",
        "Санкции против «⟦0⟧»": "Санкции против «Ильхама Алиева»",
        "У ⟦ 0 ⟧ нет паспорта.": "У Ильхама Алиева нет паспорта.",
    }
    for translated, expected in cases.items():
        r = restore(translated, p, FORMS, "ru")
        assert (r.text, r.restored_terms, r.failed_terms) == (expected, ["aliyev"], []), translated
    # German does not decline names: a preposition changes nothing.
    de = {"aliyev": TargetForms("Ilham Aliyev", {"genitive": "Ilham Alijews"})}
    assert restore("Ein Brief für ⟦0⟧ von ⟦0⟧", p, de, "de").failed_terms == ["aliyev"]
    assert restore("Brief an ⟦0⟧.", p, de, "de").text == "Brief an Ilham Aliyev."
    # a case with no recorded form falls back to the approved form
    assert restore("Письмо для ⟦0⟧.", p, {"aliyev": MEYDAN}, "ru").text == "Письмо для Meydan TV."


def test_restore_reports_missing_duplicated_or_unknown_terms() -> None:
    p = protect("Ilham Aliyev and Meydan TV", [(0, 12, "aliyev"), (17, 26, "meydan")])
    dropped = restore("Ильхам и ⟦1⟧", p, FORMS, "ru")
    assert dropped.failed_terms == ["aliyev"] and dropped.restored_terms == ["meydan"]
    doubled = restore("⟦0⟧ и ⟦0⟧ и ⟦1⟧", p, FORMS, "ru")
    assert doubled.failed_terms == ["aliyev"]
    mangled = restore("⟦7⟧ и ⟦1⟧", p, FORMS, "ru")
    assert mangled.failed_terms == ["aliyev"]
    unknown = restore("⟦0⟧ и ⟦1⟧", p, {"aliyev": ALIYEV_RU}, "ru")
    assert unknown.failed_terms == ["meydan"]


def test_placeholders_survive_the_real_copy_model(installed_models: Path) -> None:
    engine = ArgosEngine(installed_models)
    texts = [
        "We appeal to you on behalf of Ilham Aliyev's critics.",
        "Письмо для Ilham Aliyev и Meydan TV.",  # the copy model keeps the preposition
        "Встреча с Ilham Aliyev, snake_case and Meydan TV_2.",
        "No protected names here.",
    ]
    spans = [
        spans_of(texts[0], aliyev="Ilham Aliyev"),
        spans_of(texts[1], aliyev="Ilham Aliyev", meydan="Meydan TV"),
        spans_of(texts[2], aliyev="Ilham Aliyev", meydan="Meydan TV"),
        [],
    ]
    out = translate_protected(engine, texts, spans, FORMS, "ru")
    assert [r.text for r in out] == [
        "We appeal to you on behalf of Ильхам Алиев's critics.",
        "Письмо для Ильхама Алиева и Meydan TV.",
        "Встреча с Ильхамом Алиевым, snake_case and Meydan TV_2.",
        "No protected names here.",
    ]
    assert [r.failed_terms for r in out] == [[], [], [], []]
    assert out[1].restored_terms == ["aliyev", "meydan"]
    assert not any(r.fallback for r in out)


def test_lost_placeholder_keeps_raw_mt_and_names_the_term() -> None:
    raw = {
        "Ilham Aliyev met Meydan TV.": "Ильхам Алиев встретился с Мейдан ТВ.",
        "Dear Minister,": "Уважаемый министр,",
    }
    engine = ControlledEngine(
        lambda text, locale: raw.get(text, text.replace("met", "встретился с")),
        drop_placeholders=lambda text: "⟦1⟧" in text,
    )
    texts = list(raw)
    spans = [spans_of(texts[0], aliyev="Ilham Aliyev", meydan="Meydan TV"), []]
    out = translate_protected(engine, texts, spans, FORMS, "ru")
    assert out[0].text == "Ильхам Алиев встретился с Мейдан ТВ."  # raw MT, names not dropped
    assert out[0].fallback and out[0].failed_terms == ["aliyev", "meydan"]
    assert out[1].text == "Уважаемый министр," and not out[1].fallback
    # protected batch first, then only the failed text again, unprotected
    assert engine.calls == [
        (["⟦0⟧ met ⟦1⟧.", "Dear Minister,"], "ru"),
        (["Ilham Aliyev met Meydan TV."], "ru"),
    ]


def test_controlled_engine_is_strict_and_can_fail() -> None:
    engine = ControlledEngine({"Hello.": "Hallo."}, locales=["de"])
    assert engine.translate(["Hello."], "de") == ["Hallo."]
    assert engine.model_for("de") == "controlled:controlled-1"
    assert engine.model_for("ru") is None
    with pytest.raises(EngineError, match="no translation given"):
        engine.translate(["Bye."], "de")
    with pytest.raises(MissingModel, match="en→ru"):
        engine.translate(["Hello."], "ru")
    down = ControlledEngine(error=EngineError("server down"))
    with pytest.raises(EngineError, match="server down"):
        down.translate(["Hello."], "de")
    assert placeholder(3) == "⟦3⟧"


def test_each_span_restores_its_own_rendering() -> None:
    text = "the EU and the European Union"
    union = TargetForms("Europäische Union")
    spans = [(4, 6, "eu", TargetForms("EU")), (15, 29, "eu", union)]
    p = protect(text, spans)
    assert p.text == "the ⟦0⟧ and the ⟦1⟧"
    # the span's own rendering wins over the term's forms
    r = restore("die ⟦0⟧ und die ⟦1⟧", p, {"eu": TargetForms("XX")}, "de")
    assert (r.text, r.restored_terms, r.failed_terms) == (
        "die EU und die Europäische Union",
        ["eu", "eu"],
        [],
    )
    engine = ControlledEngine()
    [result] = translate_protected(engine, [text], [spans], {}, "de")
    assert result.text == "the EU and the Europäische Union" and not result.fallback


def test_a_lower_case_form_gets_a_capital_where_a_sentence_starts() -> None:
    p = protect("President Aliyev spoke. President Aliyev left.", [(0, 16, "a"), (24, 40, "a")])
    forms = {"a": TargetForms("président Aliev")}
    r = restore("⟦0⟧ a parlé. « ⟦1⟧ est parti », dit-il.", p, forms, "fr")
    assert r.text == "Président Aliev a parlé. « Président Aliev est parti », dit-il."
    r = restore("Il a vu le ⟦0⟧ et le ⟦1⟧.", p, forms, "fr")
    assert r.text == "Il a vu le président Aliev et le président Aliev."
