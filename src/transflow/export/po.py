"""PO catalogs as they are, plus compiled MO files, laid out as gettext looks them up.

``<locale>/LC_MESSAGES/<doc>.po`` is the catalog byte for byte (it already
passes ``msgfmt --check``), ``<doc>.mo`` beside it is compiled by polib with
what ``msgfmt`` would include (translated and approved units: no fuzzy
suggestion, nothing obsolete), and ``templates/<doc>.pot`` is the template
for a new language. ``gettext.translation(doc, localedir=DIR,
languages=[locale]).pgettext(unit_id, source)`` gives the translation.
"""

from __future__ import annotations

from collections.abc import Sequence

from transflow.config import Project
from transflow.errors import CatalogError
from transflow.export.content import SourceDoc
from transflow.export.outdir import Staging

__all__ = ["compile_mo", "write_po"]


def compile_mo(data: bytes, where: str) -> bytes:
    """The MO file of a PO file's bytes (polib, with msgfmt's choice of entries)."""
    import polib

    try:
        po = polib.pofile(data.decode("utf-8"))
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise CatalogError(f"cannot compile: {exc}", where) from None
    try:
        binary: bytes = po.to_binary()
    except UnicodeEncodeError as exc:  # the header names a charset the text does not fit
        header = data.find(b"Content-Type:")
        line = data.count(b"\n", 0, header) + 1 if header >= 0 else None
        raise CatalogError(
            f"the header's charset {po.encoding} cannot hold {exc.object[exc.start]!r}:"
            " write charset=UTF-8",
            where,
            line,
        ) from None
    return binary


def write_po(
    staging: Staging, project: Project, sources: Sequence[SourceDoc], locales: Sequence[str]
) -> dict[str, list[str]]:
    written: dict[str, list[str]] = {locale: [] for locale in locales}
    written["templates"] = []
    for source in sources:
        template = project.template_path(source.doc).read_bytes()
        path = f"templates/{source.slug}.pot"
        staging.write(path, template)
        written["templates"].append(path)
        for locale in locales:
            catalog_path = source.catalog_paths[locale]
            data = catalog_path.read_bytes()
            base = f"{locale}/LC_MESSAGES/{source.slug}"
            staging.write(base + ".po", data)
            staging.write(base + ".mo", compile_mo(data, project.relative(catalog_path)))
            written[locale] += [base + ".po", base + ".mo"]
    return written
