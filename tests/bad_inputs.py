"""The bad-input corpus: broken files, and every command that reads each of them.

Each :class:`Case` breaks one thing in a fresh copy of the segmented bundled
project and names the commands that read that input. ``tests/test_bad_input.py``
runs every (case, command) pair and asserts what issue 13 asks of all of them:
the expected exit code (2 unless the case says otherwise), exactly one line on
stderr that names the file (and the line, where there is one), no traceback,
and a project tree byte-identical afterwards unless the command's job is to
write (``writes``).

To add a case: append a ``Case`` to ``CASES`` (or to the list of your area
below). ``setup`` receives the project root and may return extra command-line
words (a file outside the project, say) through ``Case.args``; keep each setup a
few lines, and name in ``file`` the path the message must contain.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ALL_CASES", "CASES", "Case"]

NOTICE = "bonn-2025-notice"
COMMITTEE = "bonn-2025-appeal-committee-of-ministers"
DE_PO = f"locales/de/{NOTICE}.po"
POT = f"locales/{NOTICE}.pot"
SOURCE = f"source/{NOTICE}.md"

Command = tuple[str, ...]

# The commands that read each kind of input.
READ_SOURCE: tuple[Command, ...] = (("segment",), ("segments", SOURCE))
READ_CATALOG: tuple[Command, ...] = (
    ("segment",),
    ("check",),
    ("coverage",),
    ("pretranslate", "--engine", "memory"),
    ("memory", "stats"),
    ("memory", "export", "out/tm.tmx"),
    ("glossary", "usage", "asimkom"),
    ("approve", "--locale", "de", "--all-translated"),
)
READ_TEMPLATE: tuple[Command, ...] = (("segment",), ("check",), ("glossary", "usage", "asimkom"))
READ_GLOSSARY: tuple[Command, ...] = (
    ("segment",),
    ("check",),
    ("coverage",),
    ("pretranslate", "--engine", "memory"),
    ("glossary", "lint"),
    ("glossary", "list"),
    ("glossary", "show", "asimkom"),
    ("glossary", "usage", "asimkom"),
)
READ_SETTINGS: tuple[Command, ...] = (
    ("segment",),
    ("check",),
    ("coverage",),
    ("pretranslate",),
    ("memory", "stats"),
    ("models", "list"),
    ("glossary", "list"),
    ("approve", "--locale", "de", "--all-translated"),
)


@dataclass(frozen=True)
class Case:
    """One broken input and the commands that must refuse it cleanly."""

    name: str
    setup: Callable[[Path], None]
    commands: tuple[Command, ...]
    file: str  # what the one-line message must name
    line: int | None = None  # the line it must name, where the input has lines
    message: str = ""  # a fragment the message must contain, if any
    exit_code: int = 2  # or 0 for a deliberate success
    writes: bool = False  # the command's job is to write: the tree may change
    args: tuple[str, ...] = ()  # appended to every command (e.g. a file outside the project)
    env: dict[str, str] = field(default_factory=dict)  # set for the run, paths relative to root


# -- helpers the setups share -------------------------------------------------------


def _write(relative: str, data: bytes | str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)

    return setup


def _edit(relative: str, change: Callable[[str], str]) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        path = root / relative
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    return setup


def _append_bytes(relative: str, data: bytes) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        path = root / relative
        path.write_bytes(path.read_bytes() + data)

    return setup


def _replace_with_folder(relative: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        path = root / relative
        if path.exists():
            path.unlink()
        path.mkdir(parents=True)
        (path / "keep.txt").write_text("someone's file\n", encoding="utf-8")

    return setup


def _line_count(relative: str) -> int:
    """Lines of a file of the bundled project as segmented (catalogs are built in tests)."""
    from projects import REPO

    return len((REPO / relative).read_text(encoding="utf-8").splitlines())


# -- settings (pyproject.toml) --------------------------------------------------------------

_PYPROJECT_LINES = 9  # tests/projects.py PYPROJECT

SETTINGS_CASES = [
    Case(
        "pyproject: unclosed array",
        _append_bytes("pyproject.toml", b"qa = [\n"),
        READ_SETTINGS,
        "pyproject.toml",
        _PYPROJECT_LINES + 1,
        "malformed TOML",
    ),
    Case(
        "pyproject: bare word value",
        _edit("pyproject.toml", lambda t: t.replace('"ASIMKOM appeals"', "ASIMKOM appeals")),
        READ_SETTINGS,
        "pyproject.toml",
        8,
        "malformed TOML",
    ),
    Case(
        "pyproject: not UTF-8",
        _append_bytes("pyproject.toml", b'team = "caf\xe9"\n'),
        READ_SETTINGS,
        "pyproject.toml",
        _PYPROJECT_LINES + 1,
        "UTF-8",
    ),
    Case(
        "pyproject: locales not a list",
        _edit("pyproject.toml", lambda t: t.replace('["az", "de", "fr", "ru"]', '"de"')),
        READ_SETTINGS,
        "pyproject.toml",
        7,
        message="locales",
    ),
    Case(
        "pyproject: unknown locale",
        _edit("pyproject.toml", lambda t: t.replace('"ru"]', '"xx-nonsense"]')),
        READ_SETTINGS,
        "pyproject.toml",
        7,
        message="xx-nonsense",
    ),
    Case(
        "pyproject: source-dir not a string",
        _append_bytes("pyproject.toml", b"source-dir = 5\n"),
        READ_SETTINGS,
        "pyproject.toml",
        _PYPROJECT_LINES + 1,
        message="source-dir",
    ),
    Case(
        "pyproject: reviewer not a string",
        _append_bytes("pyproject.toml", b"reviewer = 5\n"),
        READ_SETTINGS,
        "pyproject.toml",
        _PYPROJECT_LINES + 1,
        message="reviewer",
    ),
    Case(
        "pyproject: a locale listed twice",
        _edit("pyproject.toml", lambda t: t.replace('"ru"]', '"ru", "de"]')),
        READ_SETTINGS,
        "pyproject.toml",
        7,
        message="twice",
    ),
]


# -- source documents (Markdown) -------------------------------------------------------


def _symlink(relative: str, target: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        (root / relative).symlink_to(target)

    return setup


SOURCE_CASES = [
    Case(
        "markdown: not UTF-8",
        _append_bytes(SOURCE, b"\nA caf\xe9 sentence.\n"),
        READ_SOURCE,
        SOURCE,
        _line_count(SOURCE) + 2,
        "UTF-8",
    ),
    Case(
        "markdown: binary file",
        _write(SOURCE, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
        READ_SOURCE,
        SOURCE,
        message="",
    ),
    Case(
        "markdown: a front-matter date the calendar does not have",
        _edit(SOURCE, lambda t: t.replace("date: 2025-10-25", "date: 2025-02-30")),
        READ_SOURCE,
        SOURCE,
        3,
        "day is out of range",
    ),
    Case(
        "markdown: a terminal escape pasted into a sentence",
        _edit(SOURCE, lambda t: t.replace("During the conference", "During\x1b[2J the conference")),
        READ_SOURCE,
        SOURCE,
        7,
        "control character",
    ),
    Case(
        "markdown: link outside the project",
        _symlink("source/passwd.md", "/etc/passwd"),
        (("segment",), ("check",), ("coverage",), ("pretranslate", "--engine", "memory")),
        "source/passwd.md",
        message="outside the project",
    ),
    Case(
        "markdown: markup and emoji codes in a sentence (works)",
        _write("source/markup.md", "# Notice [/]\n\nASIMKOM at :100: writes [bold]x[/bold] [/].\n"),
        (("segments", "source/markup.md"),),
        "",
        exit_code=0,
    ),
    Case(
        "markdown: markup in a sentence, segmented (works, writes catalogs)",
        _write("source/markup.md", "# Notice [/]\n\nASIMKOM at :100: writes [bold]x[/bold] [/].\n"),
        (("segment",),),
        "",
        exit_code=0,
        writes=True,
    ),
]


# -- catalogs (PO) and templates (POT) ------------------------------------------------------------

_UNTERMINATED = b'\nmsgctxt "x"\nmsgid "unterminated\nmsgstr ""\n'

CATALOG_CASES = [
    Case("po: unterminated string", _append_bytes(DE_PO, _UNTERMINATED), READ_CATALOG, DE_PO),
    Case(
        "po: not UTF-8",
        _append_bytes(DE_PO, b'\nmsgctxt "zz"\nmsgid "Caf\xe9"\nmsgstr ""\n'),
        READ_CATALOG,
        DE_PO,
        message="UTF-8",
    ),
    Case(
        "po: binary garbage",
        _write(DE_PO, bytes(range(256)) * 4),
        READ_CATALOG,
        DE_PO,
    ),
    Case(
        "po: a folder where the catalog belongs",
        _replace_with_folder(DE_PO),
        READ_CATALOG,
        DE_PO,
    ),
    Case(
        "pot: unterminated string",
        _append_bytes(POT, b'\nmsgctxt "x"\nmsgid "unterminated\nmsgstr ""\n'),
        READ_TEMPLATE,
        POT,
    ),
    Case(
        "pot: a folder where the template belongs",
        _replace_with_folder(POT),
        READ_TEMPLATE,
        POT,
    ),
    # PO *content* that msgfmt rejects and polib would silently rewrite (issue 13 point 4).
    Case(
        "po: bad escape \\q",
        _edit(DE_PO, lambda t: t.replace('msgstr ""', 'msgstr "bad \\q escape"', 1)),
        READ_CATALOG,
        DE_PO,
        message="escape",
    ),
    Case(
        "po: msgstr[0] without msgid_plural",
        _edit(DE_PO, lambda t: t.replace('\nmsgstr ""\n\n#', '\nmsgstr[0] "Eins"\n\n#', 1)),
        READ_CATALOG,
        DE_PO,
        message="plural",
    ),
]


# -- glossary ------------------------------------------------------------------------------


def _with_variant(text: str, variant: str) -> str:
    """The glossary ``text`` with an acceptable English variant added to ``asimkom``."""
    start = text.index("  - id: asimkom\n")
    at = text.index("    variants:\n", start) + len("    variants:\n")
    return text[:at] + f'      - {{form: "{variant}", status: acceptable}}\n' + text[at:]


GLOSSARY_CASES = [
    Case(
        "glossary: empty file",
        _write("glossary.yaml", b""),
        READ_GLOSSARY,
        "glossary.yaml",
        message="empty",
    ),
    Case(
        "glossary: only a comment",
        _write("glossary.yaml", "# to be written\n"),
        READ_GLOSSARY,
        "glossary.yaml",
        message="entries: []",
    ),
    Case(
        "glossary: a folder",
        _replace_with_folder("glossary.yaml"),
        READ_GLOSSARY,
        "glossary.yaml",
        message="folder",
    ),
    Case(
        "glossary: named in settings, missing",
        _append_bytes("pyproject.toml", b'glossary = "terms/names.yaml"\n'),
        READ_GLOSSARY,
        "terms/names.yaml",
        message="no such glossary file",
    ),
    Case(
        "glossary: unclosed flow list",
        _write("glossary.yaml", "version: 1\nlocales: [az, de\nentries: []\n"),
        READ_GLOSSARY,
        "glossary.yaml",
        message="",
    ),
    Case(
        "glossary: entries is a mapping",
        _write("glossary.yaml", "version: 1\nlocales: [az, de, fr, ru]\nentries: {}\n"),
        READ_GLOSSARY,
        "glossary.yaml",
        3,
        "entries",
    ),
    Case(
        "glossary: not UTF-8",
        _write("glossary.yaml", b"version: 1\n# caf\xe9\nentries: []\n"),
        READ_GLOSSARY,
        "glossary.yaml",
        2,
        "UTF-8",
    ),
    Case(
        "glossary: tab indentation",
        _write("glossary.yaml", "version: 1\nentries:\n\t- id: x\n"),
        READ_GLOSSARY,
        "glossary.yaml",
        3,
    ),
    Case(
        "glossary: unknown locale",
        _write("glossary.yaml", "version: 1\nlocales: [az, xx-nonsense]\nentries: []\n"),
        READ_GLOSSARY,
        "glossary.yaml",
        2,
        "xx-nonsense",
    ),
    Case(
        "glossary: variant with markup (works)",
        _edit("glossary.yaml", lambda t: _with_variant(t, "ASIMKOM [/] :100: [bold]")),
        (("glossary", "show", "asimkom"), ("glossary", "list"), ("glossary", "usage", "asimkom")),
        "",
        exit_code=0,
    ),
]


# -- translation memory (TMX) -------------------------------------------------------------

_TMX_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_TMX_BODY = (
    '<tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence" '
    'adminlang="en" o-tmf="x" creationtool="x" creationtoolversion="1"/><body>'
    '<tu><tuv xml:lang="en"><seg>Hello.</seg></tuv><tuv xml:lang="de"><seg>Hallo.</seg></tuv>'
    "</tu></body></tmx>\n"
)
_IMPORT = (("memory", "import", "in/memory.tmx"),)

TMX_CASES = [
    Case("tmx: not XML", _write("in/memory.tmx", "this is not XML\n"), _IMPORT, "memory.tmx"),
    Case(
        "tmx: truncated",
        _write("in/memory.tmx", _TMX_HEAD + _TMX_BODY[:120]),
        _IMPORT,
        "memory.tmx",
    ),
    Case(
        "tmx: entity expansion (billion laughs)",
        _write(
            "in/memory.tmx",
            _TMX_HEAD
            + '<!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>\n'
            + _TMX_BODY.replace("Hallo.", "&b;"),
        ),
        _IMPORT,
        "memory.tmx",
    ),
    Case(
        "tmx: external entity",
        _write(
            "in/memory.tmx",
            _TMX_HEAD
            + '<!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
            + _TMX_BODY.replace("Hallo.", "&x;"),
        ),
        _IMPORT,
        "memory.tmx",
    ),
    Case(
        "tmx: wrong root element",
        _write("in/memory.tmx", _TMX_HEAD + "<html><body/></html>\n"),
        _IMPORT,
        "memory.tmx",
    ),
    Case("tmx: no such file", lambda root: None, _IMPORT, "memory.tmx"),
    Case(
        "tmx: a folder",
        _replace_with_folder("in/memory.tmx"),
        _IMPORT,
        "memory.tmx",
        message="folder",
    ),
    Case(
        "memory cache: a folder",
        _replace_with_folder(".transflow/cache/memory/memory.sqlite"),
        (("memory", "stats"), ("pretranslate", "--engine", "memory")),
        "memory.sqlite",
        message="folder",
    ),
]


# -- output files named on the command line --------------------------------------------------

OUTPUT_CASES = [
    Case(
        "--html below a file",
        lambda root: None,
        (("coverage", "--html", "glossary.yaml/out.html"),),
        "glossary.yaml/out.html",
        message="glossary.yaml is a file",
    ),
    Case(
        "--html is a folder",
        lambda root: None,
        (("coverage", "--html", "locales"),),
        "locales",
        message="folder",
    ),
    Case(
        "memory export below a file",
        lambda root: None,
        (("memory", "export", "pyproject.toml/tm.tmx"),),
        "pyproject.toml/tm.tmx",
        message="pyproject.toml is a file",
    ),
    Case(
        "glossary export below a file",
        lambda root: None,
        (("glossary", "export", "--format", "csv", "--out", "glossary.yaml/g.csv"),),
        "glossary.yaml/g.csv",
        message="glossary.yaml is a file",
    ),
    Case(
        "--html named with markup (works, writes the report)",
        lambda root: None,
        (("coverage", "--html", "[/]x.html"),),
        "",
        exit_code=0,
        writes=True,
    ),
]


# -- Argos model packages ---------------------------------------------------------------------


def _package(root: Path, change: Callable[[dict[str, bytes]], None]) -> None:
    """Build ``in/model.argosmodel``: the test suite's tiny copy model, then ``change`` it."""
    from argos_model import build_argos_model

    built = build_argos_model(root / "in", "en", "de")
    with zipfile.ZipFile(built) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    built.unlink()
    change(members)
    with zipfile.ZipFile(root / "in" / "model.argosmodel", "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def _corrupt(member: str) -> Callable[[dict[str, bytes]], None]:
    def change(members: dict[str, bytes]) -> None:
        name = next(n for n in members if n.endswith(member))
        data = members[name]
        members[name] = data[:40] + b"\xff" * 64 + data[200:]

    return change


def _metadata(change: Callable[[dict[str, object]], None]) -> Callable[[dict[str, bytes]], None]:
    def edit(members: dict[str, bytes]) -> None:
        name = next(n for n in members if n.endswith("metadata.json"))
        data = json.loads(members[name])
        change(data)
        members[name] = json.dumps(data).encode()

    return edit


def _installed_broken(member: str) -> Callable[[Path], None]:
    """A copy model installed into the project, then one of its files damaged on disk."""

    def setup(root: Path) -> None:
        from transflow.models import install_model

        _package(root, lambda members: None)
        info = install_model(
            root / ".transflow" / "models", root / "in" / "model.argosmodel", ["de"]
        )
        shutil.rmtree(root / "in")
        target = info.path / member
        data = target.read_bytes()
        target.write_bytes(data[:40] + b"\xff" * 64 + data[200:])

    return setup


_INSTALL = (("models", "install", "in/model.argosmodel"),)

MODEL_CASES = [
    Case(
        "model: corrupt sentencepiece.model",
        lambda root: _package(root, _corrupt("sentencepiece.model")),
        _INSTALL,
        "model.argosmodel",
        message="sentencepiece.model",
    ),
    Case(
        "model: corrupt model.bin",
        lambda root: _package(root, _corrupt("model/model.bin")),
        _INSTALL,
        "model.argosmodel",
    ),
    Case(
        "model: not a zip",
        _write("in/model.argosmodel", b"PK\x03\x04 not really"),
        _INSTALL,
        "model.argosmodel",
        message="not a zip",
    ),
    Case(
        "model: metadata not JSON",
        lambda root: _package(
            root,
            lambda m: m.update({next(n for n in m if n.endswith("metadata.json")): b"{oops"}),
        ),
        _INSTALL,
        "model.argosmodel",
        message="metadata.json",
    ),
    Case(
        "model: wrong language pair",
        lambda root: _package(root, _metadata(lambda d: d.update(to_code="ja"))),
        _INSTALL,
        "model.argosmodel",
        message="en→ja",
    ),
    Case(
        "model: installed, then its tokenizer damaged",
        _installed_broken("sentencepiece.model"),
        (
            ("pretranslate", "--locale", "de"),
            ("pretranslate", "--locale", "de", "--engine", "argos"),
        ),
        "translate-en_de-1_9",
        message="sentencepiece.model",
    ),
    Case(
        "model: installed, then its weights damaged",
        _installed_broken("model/model.bin"),
        (("pretranslate", "--locale", "de", "--engine", "argos"),),
        "translate-en_de-1_9",
    ),
]

CASES: list[Case] = [
    *SETTINGS_CASES,
    *SOURCE_CASES,
    *CATALOG_CASES,
    *GLOSSARY_CASES,
    *TMX_CASES,
    *OUTPUT_CASES,
    *MODEL_CASES,
]
ALL_CASES = CASES
