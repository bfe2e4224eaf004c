"""The application: screens on a stack (documents → review → coverage), quitting safely.

The start screen (documents × locales) is always at the bottom of the stack;
a review or the coverage screen sits on top of it. Opening another review
saves the one being left first. Every binding is also a command in the
palette (Ctrl+P), with its keys, and remappable by id (``settings.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from transflow.config import Project
from transflow.errors import TransflowError
from transflow.review.workbench import Workbench, first_document
from transflow.reviewer import Person

from .keys import describe, display_keys, sections
from .messages import OpenCoverage, OpenDocuments, OpenReview
from .screens.coverage import CoverageScreen
from .screens.help import HelpScreen
from .screens.prompt import PromptScreen
from .screens.quit import QuitChoice, QuitScreen
from .screens.review import ReviewScreen
from .screens.start import StartScreen
from .settings import ReviewSettings

__all__ = ["ReviewApp"]


class ReviewApp(App[None]):
    """``transflow review``: review translations in the terminal (or a browser)."""

    CSS_PATH = "app.tcss"
    TITLE = "transflow review"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Help", tooltip="Every key, and its id", id="help"),
        Binding(
            "ctrl+q",
            "quit_safely",
            "Quit",
            show=False,
            priority=True,
            tooltip="Quit (asks only if something is not saved)",
            id="quit",
        ),
        Binding(
            "f9",
            "coverage",
            "Coverage",
            show=False,
            tooltip="Coverage and blockers",
            id="coverage-anywhere",
        ),
        Binding(
            "f10",
            "documents",
            "Documents",
            show=False,
            tooltip="Back to the documents (saves first)",
            id="documents",
        ),
    ]

    def __init__(
        self,
        project: Project,
        reviewer: str | None,
        *,
        locale: str | None = None,
        doc: str | None = None,
        filter: str = "all",
        unit: str | None = None,
        settings: ReviewSettings | None = None,
        poll_interval: float = 2.0,
    ) -> None:
        super().__init__()
        self.project = project
        self.reviewer = reviewer
        self._start_with = (locale, doc, filter, unit)
        self.settings = settings or ReviewSettings()
        self.poll_interval = poll_interval
        self.keymap = dict(self.settings.keymap)
        if self.keymap:
            self.set_keymap(self.keymap)

    def get_default_screen(self) -> Screen[None]:
        return StartScreen(self.project, self.reviewer)

    def on_mount(self) -> None:
        if self.settings.theme:
            self.theme = self.settings.theme
        if self.reviewer is None:
            self.ask_reviewer()
        else:
            self._start()

    def _start(self) -> None:
        locale, doc, filter, unit = self._start_with
        if locale is not None:
            self.post_message(OpenReview(locale, doc, filter, unit))

    def ask_reviewer(self, problem: str = "") -> None:
        """No name configured anywhere: ask once, as Poedit does on its first start.

        The name is what saves and approvals record (``Last-Translator``, the
        ``# approved:`` line); it is asked before anything can be changed, and
        only for this run (``TRANSFLOW_REVIEWER`` or ``git config user.name``
        keep it). Esc leaves the application: nothing was open yet.
        """
        question = (
            f"{problem}Your name, recorded with what you save and approve ('Name <email>'). "
            "Set TRANSFLOW_REVIEWER or git config user.name to skip this question."
        )
        self.push_screen(
            PromptScreen(question, placeholder="Ana Translator <ana@example.org>"),
            self._answered,
        )

    def _answered(self, answer: str | None) -> None:
        if answer is None:
            self.exit(message="transflow review: no reviewer name given; nothing was changed")
            return
        person = Person.parse(answer, "the review app")
        if person is None:
            self.ask_reviewer(f"{answer!r} is not a name. ")
            return
        self.reviewer = str(person)
        start = self.screen_stack[0] if self.screen_stack else None
        if isinstance(start, StartScreen):
            start.show_reviewer(self.reviewer)
        self._start()

    # -- moving between screens -----------------------------------------------------------
    def review_screen(self) -> ReviewScreen | None:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, ReviewScreen):
                return screen
        return None

    async def on_open_review(self, message: OpenReview) -> None:
        review = self.review_screen()
        if review is not None and not review.flush():
            return  # a conflict to settle first; the dialog is open
        if self.reviewer is None:
            return  # still asking who is working
        try:
            doc = message.doc or first_document(self.project, message.locale)
            workbench = Workbench(
                self.project, message.locale, doc, self.reviewer, filter=message.filter
            )
        except TransflowError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        while not isinstance(self.screen, StartScreen):
            await self.pop_screen()
        await self.push_screen(ReviewScreen(workbench, message.unit))

    async def on_open_documents(self, message: OpenDocuments) -> None:
        review = self.review_screen()
        if review is not None and not review.flush():
            return
        while not isinstance(self.screen, StartScreen):
            await self.pop_screen()

    def on_open_coverage(self, message: OpenCoverage) -> None:
        if not isinstance(self.screen, CoverageScreen):
            self.push_screen(CoverageScreen(self.project))

    def action_coverage(self) -> None:
        self.post_message(OpenCoverage())

    def action_documents(self) -> None:
        self.post_message(OpenDocuments())

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.keymap))

    # -- quitting -------------------------------------------------------------------------
    def _unsaved(self) -> str | None:
        review = self.review_screen()
        return review.unsaved_description() if review is not None else None

    def action_confirm_quit(self) -> None:
        """PO mode's ``q``: always asks."""
        self.push_screen(QuitScreen(self._unsaved()), self._quit)

    def action_quit_safely(self) -> None:
        """Ctrl+Q: quits at once unless something is unsaved."""
        if isinstance(self.screen, QuitScreen):
            return
        unsaved = self._unsaved()
        if unsaved is None:
            self.exit()
        else:
            self.push_screen(QuitScreen(unsaved), self._quit)

    def _quit(self, choice: QuitChoice | None) -> None:
        review = self.review_screen()
        if choice in (None, "cancel"):
            return
        if choice == "discard" and review is not None:
            review.wb.discard_buffer()
        elif review is not None and not review.flush():
            return  # the conflict dialog is open; quit again once it is settled
        self.exit()

    # -- the command palette --------------------------------------------------------------
    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        wanted = {
            ReviewScreen: (0, 1, 2, 5),
            StartScreen: (3, 5),
            CoverageScreen: (4, 5),
        }.get(type(screen), (5,))
        # One command per action, with every key that does it ("a, Ctrl+o, F3").
        commands: dict[str, tuple[str, list[str], list[str], str]] = {}
        for index, (_, bindings) in enumerate(sections()):
            if index not in wanted:
                continue
            for binding in bindings:
                name = binding.action.split(".", 1)[-1]
                if name == "focus_list" or binding.id in commands.get(name, ("", [], [], ""))[2]:
                    continue
                title, keys, ids, action = commands.setdefault(
                    name, (describe(binding), [], [], binding.action)
                )
                keys.append(display_keys(binding, self.keymap))
                ids.append(binding.id or "")
        for title, keys, ids, action in commands.values():
            yield SystemCommand(
                title,
                f"{', '.join(keys)} · id {', '.join(ids)}",
                partial(self._run_binding, screen, action),
            )

    async def _run_binding(self, screen: Screen[object], action: str) -> None:
        await self.run_action(action, default_namespace=screen)
