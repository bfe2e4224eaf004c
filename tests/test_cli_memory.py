"""``transflow memory``: earlier work from other tools comes in as TMX and fills new units."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest

from projects import make_project, run_cli, snapshot
from transflow.catalog import get_note
from transflow.config import load_project
from transflow.update import update_catalogs

MINISTER = "bonn-2025-appeal-german-foreign-minister"
SENTENCE = "More than 40 journalists, including 9 women, are currently imprisoned."
GERMAN = "Mehr als 40 Journalisten, darunter 9 Frauen, sind inhaftiert."

OMEGAT_TMX = f"""<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="OmegaT" creationtoolversion="6.0" segtype="sentence"
          o-tmf="OmegaT TMX" adminlang="EN-US" srclang="EN-US" datatype="plaintext"/>
  <body>
    <tu>
      <tuv xml:lang="EN-US"><seg>{SENTENCE}</seg></tuv>
      <tuv xml:lang="DE-DE"><seg>{GERMAN}</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="EN-US"><seg>Unrelated sentence.</seg></tuv>
      <tuv xml:lang="JA"><seg>無関係</seg></tuv>
    </tu>
  </body>
</tmx>
"""


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "appeals")
    update_catalogs(load_project(root))
    return root


def test_imported_tmx_fills_a_new_unit(project_dir: Path, tmp_path: Path) -> None:
    tmx = tmp_path / "omegat-project.tmx"
    tmx.write_text(OMEGAT_TMX, encoding="utf-8")

    result = run_cli("memory", "import", str(tmx), "--json", cwd=project_dir)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["imported"] == 1  # the Japanese unit is not ours

    stats = json.loads(run_cli("memory", "stats", "--json", cwd=project_dir).stdout)
    de = next(row for row in stats["locales"] if row["locale"] == "de")
    assert de["from_tmx"] == 1

    result = run_cli("pretranslate", "--locale", "de", "--engine", "memory", cwd=project_dir)
    assert result.returncode == 0, result.stderr
    po = polib.pofile(str(project_dir / "locales" / "de" / f"{MINISTER}.po"))
    entry = next(e for e in po if e.msgid == SENTENCE)
    assert entry.msgstr.startswith("Mehr als 40 Journalisten")
    assert get_note(entry, "memory") == "100% from tmx:omegat-project.tmx (translated)"


def test_export_writes_reviewed_work_as_tmx(project_dir: Path, tmp_path: Path) -> None:
    path = project_dir / "locales" / "de" / f"{MINISTER}.po"
    po = polib.pofile(str(path), wrapwidth=78)
    entry = next(e for e in po if e.msgid == SENTENCE)
    entry.msgstr, entry.flags = "Mehr als 40 Journalisten sind inhaftiert.", ["reviewed"]
    po.save(str(path))
    out = tmp_path / "export.tmx"

    result = run_cli("memory", "export", str(out), "--reviewed-only", cwd=project_dir)

    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.count("<tu>") == 1 and 'xml:lang="de"' in text and SENTENCE in text


def test_malformed_tmx_is_one_line_and_changes_nothing(project_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.tmx"
    bad.write_text(OMEGAT_TMX.replace("</body>", ""), encoding="utf-8")
    before = snapshot(project_dir)
    result = run_cli("memory", "import", str(bad), cwd=project_dir)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "bad.tmx:" in result.stderr
    assert snapshot(project_dir) == before
