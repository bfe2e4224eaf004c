"""Test data more than one test file needs: the team's German notice, and an OmegaT memory.

Written once here so that a change to the bundled notice or to what OmegaT writes is
made in one place.
"""

from __future__ import annotations

__all__ = ["GERMAN", "NOTICE_DE", "OMEGAT_TMX", "SENTENCE"]

# The team's German translations of the notice's paragraphs (bundled catalog), by unit id.
NOTICE_DE = {
    "3ede016e": "ASİMKOM – Materialien der Bonner Konferenz",
    "1d67e96e": "ASİMKOM – das Koordinierungszentrum aserbaidschanischer politischer "
    "Flüchtlinge – hat am 25. Oktober in Bonn, Deutschland, seine jüngste Konferenz abgehalten.",
    "8052fb97": "Auf der Konferenz wurden Appelle an mehrere offizielle europäische "
    "Institutionen übergeben.",
    "49398fe2": "Diese Appelle werden nun auf unserer Website veröffentlicht.",
}

# A sentence of the German foreign minister's appeal, and its German translation.
SENTENCE = "More than 40 journalists, including 9 women, are currently imprisoned."
GERMAN = "Mehr als 40 Journalisten, darunter 9 Frauen, sind derzeit inhaftiert."

# OmegaT's project memory (project_save.tmx) and its "-omegat.tmx" export: TMX 1.1 with a
# DOCTYPE, `lang` rather than `xml:lang`, upper-case codes, who/when on the target <tuv>,
# OmegaT's tag shortcuts kept as text, and a unit in a language the project does not
# translate. Line 8 is the first <tu> (tests name it in error messages).
OMEGAT_TMX = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx11.dtd">
<tmx version="1.1">
  <header creationtool="OmegaT" o-tmf="OmegaT TMX" adminlang="EN-US" datatype="plaintext"
    creationtoolversion="6.0.1_0_1fa3a1b5" segtype="sentence" srclang="EN-US"/>
  <body>
<!-- Default translations -->
    <tu>
      <tuv lang="EN-US">
        <seg>{SENTENCE}</seg>
      </tuv>
      <tuv lang="DE-DE" changeid="anna" changedate="20250302T101500Z" creationid="jonas"
        creationdate="20250301T090000Z">
        <seg>{GERMAN}</seg>
      </tuv>
    </tu>
    <tu>
      <tuv lang="EN-US">
        <seg><g0>Dear</g0> Minister,</seg>
      </tuv>
      <tuv lang="DE-DE" changeid="anna" changedate="20250302T101700Z">
        <seg><g0>Sehr geehrte</g0> Frau Ministerin,</seg>
      </tuv>
    </tu>
    <tu>
      <tuv lang="EN-US">
        <seg>Unrelated sentence.</seg>
      </tuv>
      <tuv lang="JA">
        <seg>無関係</seg>
      </tuv>
    </tu>
  </body>
</tmx>
"""
