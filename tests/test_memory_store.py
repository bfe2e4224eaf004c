"""The memory on disk: catalogs and the project's memory files, indexed in a cache that
can always be rebuilt; imports that land in tracked files and never add an entry twice."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import polib
import pytest

from transflow.catalog import approve
from transflow.errors import InputError
from transflow.memory import TMEntry
from transflow.memory_store import MemoryStore
from transflow.tmx import export_tmx, import_tmx, render_tmx

IMPRISONED = "More than 40 journalists, including 9 women, are currently imprisoned."
DETAINED = "More than 40 journalists, including 9 women, are currently detained."
ASSASSINATED = "Between 2021–2024, four political refugees were assassinated in Europe:"
TENDERS = "State tenders are invariably awarded to the Aliyev family."
CONSTITUTION = (
    "The Constitution and national legislation have been tailored to serve the interests "
    "of the Aliyev family."
)
UNRELATED = (
    "We invite the German government and the Foreign Ministry to cooperate in these efforts."
)
LOCALES = ("az", "de", "fr", "ru")


def write_po(path: Path, units: list[tuple[str, str, str, list[str]]], obsolete=()) -> Path:
    """Units are (id, source, target, flags)."""
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": path.parent.name}
    for unit_id, source, target, flags in units:
        po.append(polib.POEntry(msgctxt=unit_id, msgid=source, msgstr=target, flags=flags))
    for unit_id, source, target in obsolete:
        po.append(polib.POEntry(msgctxt=unit_id, msgid=source, msgstr=target, obsolete=True))
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_po(
        tmp_path / "locales/de/appeal-to-borg.po",
        [
            ("u1", IMPRISONED, "Mehr als 40 Journalisten sind inhaftiert.", []),
            ("u2", TENDERS, "Staatliche Aufträge gehen an die Familie Aliyev.", ["reviewed"]),
            ("u3", ASSASSINATED, "MT-Vorschlag", ["fuzzy", "machine"]),
            ("u4", CONSTITUTION, "Speicher-Vorschlag", ["fuzzy", "memory"]),
            ("u5", UNRELATED, "", []),
        ],
        obsolete=[("u0", "An old sentence that was removed.", "Ein alter Satz.")],
    )
    write_po(
        tmp_path / "locales/fr/appeal-to-borg.po",
        [("u1", IMPRISONED, "Plus de 40 journalistes sont emprisonnés.", ["reviewed"])],
    )
    return tmp_path


def catalogs(root: Path) -> list[tuple[str, Path]]:
    return [(p.parent.name, p) for p in sorted((root / "locales").glob("*/*.po"))]


def store_of(root: Path) -> MemoryStore:
    """The store as ``transflow`` builds it for a project, synced with its catalogs."""
    store = MemoryStore(
        root / ".transflow/cache/memory", root=root, memory_dir=root / "memory", locales=LOCALES
    )
    store.sync(catalogs(root))
    return store


# -- catalogs --------------------------------------------------------------------------


def test_sync_reads_translated_and_reviewed_entries_only(project: Path) -> None:
    store = MemoryStore(project / ".transflow/cache", root=project)
    report = store.sync(catalogs(project))
    assert (report.files_read, report.files_skipped, report.entries) == (2, 0, 3)
    de = store.memory("de").entries("de")
    assert [(e.source, e.reviewed, e.origin) for e in de] == [
        (IMPRISONED, False, "locales/de/appeal-to-borg.po#u1"),
        (TENDERS, True, "locales/de/appeal-to-borg.po#u2"),
    ]
    [match] = store.memory("de").lookup(DETAINED, "de")
    assert match.entry.target == "Mehr als 40 Journalisten sind inhaftiert."
    assert store.memory("fr").lookup(IMPRISONED, "fr")[0].entry.reviewed is True


def test_reviewed_means_a_current_approval(project: Path) -> None:
    """An approval counts only while the text it approved is unchanged (transflow.approval)."""
    path = project / "locales/de/appeal-to-borg.po"
    po = polib.pofile(str(path))
    current, edited = po.find("u1", by="msgctxt"), po.find("u2", by="msgctxt")
    current.flags, edited.flags = [], []
    approve(current, "Anna Schmidt <anna@example.org>")
    approve(edited, "Anna Schmidt <anna@example.org>")
    edited.msgstr = "Staatsaufträge gehen an die Familie Aliyev."  # edited after the approval
    po.save(str(path))
    store = MemoryStore(project / "cache", root=project)
    store.sync(catalogs(project))
    assert [(e.target, e.reviewed) for e in store.memory("de").entries("de")] == [
        ("Mehr als 40 Journalisten sind inhaftiert.", True),
        ("Staatsaufträge gehen an die Familie Aliyev.", False),
    ]


def test_second_sync_reads_nothing_and_a_new_store_uses_the_cache(project: Path) -> None:
    cache = project / ".transflow/cache"
    MemoryStore(cache, root=project).sync(catalogs(project))
    fresh = MemoryStore(cache, root=project)  # a later run of transflow
    report = fresh.sync(catalogs(project))
    assert (report.files_read, report.files_skipped, report.entries) == (0, 2, 3)
    assert len(fresh.memory()) == 3


def test_changed_catalog_is_reread_and_its_old_entries_replaced(project: Path) -> None:
    store = MemoryStore(project / "cache", root=project)
    store.sync(catalogs(project))
    assert store.memory("de").lookup(IMPRISONED, "de")[0].exact
    write_po(
        project / "locales/de/appeal-to-borg.po",
        [("u9", UNRELATED, "Wir laden die Bundesregierung ein.", [])],
    )
    report = store.sync(catalogs(project))
    assert (report.files_read, report.files_skipped, report.entries) == (1, 1, 2)
    memory = store.memory("de")
    assert memory.lookup(IMPRISONED, "de") == []
    assert [e.target for e in memory.entries("de")] == ["Wir laden die Bundesregierung ein."]


def test_deleted_catalog_entries_disappear(project: Path) -> None:
    store = MemoryStore(project / "cache", root=project)
    store.sync(catalogs(project))
    (project / "locales/fr/appeal-to-borg.po").unlink()
    report = store.sync(catalogs(project))
    assert (report.entries, report.files_removed) == (2, 1)
    assert store.memory("fr").lookup(IMPRISONED, "fr") == []


def test_corrupt_cache_is_rebuilt_silently(project: Path) -> None:
    cache = project / "cache"
    MemoryStore(cache, root=project).sync(catalogs(project))
    db = cache / "memory.sqlite"
    db.write_bytes(b"this is not a database" * 100)
    store = MemoryStore(cache, root=project)
    report = store.sync(catalogs(project))
    assert (report.files_read, report.entries) == (2, 3)
    assert store.memory("de").lookup(IMPRISONED, "de")[0].exact
    # a truncated database is rebuilt too
    size = db.stat().st_size
    with open(db, "r+b") as handle:
        handle.truncate(size // 2)
    report = MemoryStore(cache, root=project).sync(catalogs(project))
    assert report.entries == 3
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)


def test_malformed_catalog_is_a_one_line_error(project: Path) -> None:
    bad = project / "locales/ru/appeal-to-borg.po"
    bad.parent.mkdir(parents=True)
    bad.write_text('msgid "x"\nmsgstr "y\nmsgid\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        MemoryStore(project / "cache", root=project).sync(catalogs(project))
    message = str(info.value)
    assert "appeal-to-borg.po:" in message and "\n" not in message


# -- imports ---------------------------------------------------------------------------

OLD_WORK = [
    TMEntry(
        UNRELATED,
        "Wir laden die Bundesregierung ein.",
        "de",
        "tmx:old.tmx#1",
        created="20240115T143000Z",
        created_by="k.meyer",
        changed="20240220T091500Z",
        changed_by="l.schmidt",
    ),
    TMEntry(DETAINED, "Plus de 40 journalistes sont détenus.", "fr", "tmx:old.tmx#2"),
]


def test_import_lands_in_a_project_file_that_outlives_the_cache(
    project: Path, tmp_path: Path
) -> None:
    tmx = tmp_path / "incoming" / "old.tmx"
    tmx.parent.mkdir()
    export_tmx(OLD_WORK, tmx)
    report = store_of(project).import_tmx(tmx)
    assert (report.memory_file, report.added, report.duplicates) == (
        project / "memory/old.tmx",
        2,
        0,
    )
    tmx.unlink()
    shutil.rmtree(project / ".transflow")  # what `make clean` does
    store = store_of(project)
    assert len(store.memory()) == 5
    [match] = store.memory("de").lookup(UNRELATED, "de")
    assert match.exact and match.entry.who == OLD_WORK[0].who  # who and when survive SQLite
    assert match.entry.origin == "tmx:old.tmx"


def test_importing_the_same_file_twice_adds_nothing(project: Path, tmp_path: Path) -> None:
    tmx = tmp_path / "old.tmx"
    export_tmx(OLD_WORK, tmx)
    store = store_of(project)
    assert store.import_tmx(tmx).added == 2
    kept = (project / "memory/old.tmx").read_bytes()
    again = store.import_tmx(tmx)
    assert (again.added, again.duplicates) == (0, 2)
    assert (project / "memory/old.tmx").read_bytes() == kept
    assert len(store_of(project).memory()) == 5


def test_importing_the_projects_own_export_adds_nothing(project: Path, tmp_path: Path) -> None:
    store = store_of(project)
    before = store.memory().entries()
    export_tmx(before, tmp_path / "export.tmx")
    report = store.import_tmx(tmp_path / "export.tmx")
    assert (report.added, report.duplicates) == (0, 3)
    assert not (project / "memory").exists()
    assert store_of(project).memory().entries() == before


def test_a_new_version_of_a_file_adds_only_its_new_entries(project: Path, tmp_path: Path) -> None:
    tmx = tmp_path / "old.tmx"
    export_tmx(OLD_WORK[:1], tmx)
    store = store_of(project)
    store.import_tmx(tmx)
    newer = TMEntry(TENDERS, "Les marchés publics vont à la famille Aliyev.", "fr", "x")
    export_tmx([*OLD_WORK, newer], tmx)
    report = store.import_tmx(tmx)
    assert (report.added, report.duplicates) == (2, 1)
    kept = import_tmx(project / "memory/old.tmx")
    assert [e.target for e in kept] == [OLD_WORK[0].target, OLD_WORK[1].target, newer.target]


def test_a_tmx_that_cannot_be_read_changes_nothing(project: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.tmx"
    bad.write_text('<!DOCTYPE tmx [\n<!ENTITY a "b">\n]>\n<tmx/>\n', encoding="utf-8")
    store = store_of(project)
    with pytest.raises(InputError, match=r"bad\.tmx:2: "):
        store.import_tmx(bad)
    assert not (project / "memory").exists()
    assert len(store.memory()) == 3


def test_a_tmx_committed_by_a_teammate_is_read_with_the_projects_locales(
    project: Path,
) -> None:
    (project / "memory").mkdir()
    (project / "memory/from-omegat.tmx").write_text(
        f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx11.dtd">
<tmx version="1.1"><header creationtool="OmegaT" srclang="EN-US" adminlang="EN-US"
 o-tmf="OmegaT TMX" datatype="plaintext" segtype="sentence" creationtoolversion="6"/>
<body><tu><tuv lang="EN-US"><seg>{UNRELATED}</seg></tuv>
<tuv lang="DE-DE" changeid="anna"><seg>Wir laden ein.</seg></tuv></tu></body></tmx>
""",
        encoding="utf-8",
    )
    store = store_of(project)
    [match] = store.memory("de").lookup(UNRELATED, "de")
    assert (match.entry.target, match.entry.changed_by) == ("Wir laden ein.", "anna")
    (project / "memory/from-omegat.tmx").unlink()  # `git rm` by someone else
    store.sync(catalogs(project))
    assert store.memory("de").lookup(UNRELATED, "de") == []


def test_imports_kept_in_the_old_cache_move_into_the_project(project: Path) -> None:
    legacy = project / ".transflow/cache/memory/tmx"
    legacy.mkdir(parents=True)
    (legacy / "legacy.tmx").write_bytes(render_tmx(OLD_WORK))
    store = store_of(project)
    assert not legacy.exists()
    assert [e.target for e in import_tmx(project / "memory/legacy.tmx")] == [
        e.target for e in OLD_WORK
    ]
    assert len(store.memory()) == 5
    assert {e.origin for e in store.memory().entries() if e.origin.startswith("tmx:")} == {
        "tmx:old.tmx#1",
        "tmx:old.tmx#2",
    }
