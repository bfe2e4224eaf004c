"""The glossary terms of the selected unit: the approved form in this locale and its inflections."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from transflow.review import TermView

from ..widgets.panel import Panel

__all__ = ["GlossaryPanel", "term_forms", "unique_terms"]


def unique_terms(terms: Sequence[TermView]) -> list[TermView]:
    """Each glossary entry once, in the order the source names them."""
    seen: dict[str, TermView] = {}
    for term in terms:
        seen.setdefault(term.id, term)
    return list(seen.values())


def term_forms(term: TermView) -> list[tuple[str, str]]:
    """(form, what it is) for every form a translation may use, the approved one first."""
    forms: list[tuple[str, str]] = []
    if term.approved:
        forms.append((term.approved, "approved"))
    by_form = {form: case for case, form in term.cases.items()}
    for form in term.allowed:
        if form != term.approved and all(form != f for f, _ in forms):
            forms.append((form, by_form.get(form, "allowed form")))
    for case, form in term.cases.items():
        if all(form != f for f, _ in forms):
            forms.append((form, case))
    return forms


class GlossaryPanel(Panel):
    """Each term with its approved form, the forms a correct sentence may use, and what never."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Glossary", id=id)

    def loading_note(self) -> None:
        self.border_title = "Glossary"
        self.set_body(Text("reading the glossary…", style="dim"))

    def show(self, terms: Sequence[TermView], target: str = "") -> None:
        entries = unique_terms(terms)
        self.border_title = "Glossary (g inserts)" if entries else "Glossary"
        if not entries:
            self.set_body(Text("no glossary terms in this unit", style="dim"))
            return
        folded = target.casefold()
        text = Text()
        for i, term in enumerate(entries):
            if i:
                text.append("\n")
            forms = term_forms(term)
            used = any(form.casefold() in folded for form, _ in forms) if target else None
            mark, style = {True: ("✓ ", "green"), False: ("✗ ", "red"), None: ("· ", "dim")}[used]
            text.append(mark, style=style)
            text.append(term.english, style="bold")
            if term.variant_status == "correct":
                text.append(f" (source says {term.matched})", style="yellow")
            text.append(" → ")
            if term.approved:
                text.append(term.approved, style="bold cyan")
            else:
                text.append(f"no {term.type} form for this language yet", style="dim")
            if term.keep_untranslated:
                text.append(" (kept as is)", style="dim")
            others = [
                f"{form} ({what})" if what != "allowed form" else form for form, what in forms[1:]
            ]
            if others:
                text.append("\n  also: ", style="dim")
                text.append(", ".join(others))
            forbidden = [
                f for f in term.forbidden if f != term.english or not term.keep_untranslated
            ]
            if forbidden:
                text.append("\n  never: ", style="dim")
                text.append(", ".join(forbidden), style="strike red")
        self.set_body(text)
