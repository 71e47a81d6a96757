"""The hcflash Textual app: a stack of screens over one StudyService.

Attributes down, messages up: screens read the service through the typed `app` getter and post
messages (`HomeScreen.Study`, `ReviewScreen.Finished`, `ReviewScreen.Leave`, `SummaryScreen.Leave`)
that the app turns into navigation. Every project error, from an action or from a worker, ends in
`report_error` (see `tui/base.py`): one notice, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from hcflash.bulk import release_after_start
from hcflash.errors import DeckError, HcflashError
from hcflash.records import SyncReport
from hcflash.service import StudyService

if TYPE_CHECKING:
    from hcflash.tui.screens.home import HomeScreen
    from hcflash.tui.screens.review import ReviewScreen
    from hcflash.tui.screens.summary import SummaryScreen


class HcflashApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "hcflash"
    BINDINGS = [
        Binding("question_mark", "toggle_help", "Keys"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        service: StudyService,
        decks: list[str] | None = None,
        sync_report: SyncReport | None = None,
        start_review: bool = False,
    ) -> None:
        super().__init__()
        self.service = service
        self.start_decks = decks
        self.sync_report = sync_report
        self.start_in_review = start_review or decks is not None

    def get_default_screen(self) -> Screen:
        """The session's first screen is the bottom of the stack, not pushed over a blank one:
        one screen fewer to compose, style and lay out before the first card."""
        screen: Screen
        if self.start_in_review:
            from hcflash.tui.screens.review import ReviewScreen

            # The sync line goes above the card rather than in a notice that would cover it.
            screen = ReviewScreen(self.start_decks, status=self._synced_line())
        else:
            from hcflash.tui.screens.home import HomeScreen

            screen = HomeScreen()
        # Textual gives every pushed or switched-in screen an empty result callback, which
        # `switch_screen` removes when it replaces that screen; a default screen gets none, so
        # replacing it (review → summary or deck list) would fail (Textualize/textual#2650).
        screen._push_result_callback(screen, None)
        return screen

    def on_mount(self) -> None:
        saved = self.service.settings.theme
        if saved and saved in self.available_themes:
            self.theme = saved
        self._keep_theme = True  # from now on a theme the learner picks is saved
        synced = self._synced_line()
        if synced and not self.start_in_review:
            self.notify(synced, markup=False)
        self.call_after_refresh(release_after_start)  # the collector, off while `hcflash` started
        if self.service.soundness_pending:
            # The store's quick check runs once the first card is on screen (run during the start,
            # it slowed it); a damaged store is said as soon as it is done, with the backup to
            # restore, not only when the first rating is refused.
            self.call_after_refresh(self._check_soundness)

    def _check_soundness(self) -> None:
        self.run_worker(self.service.wait_until_sound, thread=True, exit_on_error=False, group="soundness")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own workers (the soundness wait) report their errors as the screens' do."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.report_error(event.worker.error)

    def _synced_line(self) -> str | None:
        if self.sync_report is None or self.sync_report.nothing_changed:
            return None
        return f"Decks synced: {self.sync_report.changes()}"

    def watch_theme(self, theme: str) -> None:
        """Keep the learner's theme (chosen in the command palette) for the next session."""
        if not getattr(self, "_keep_theme", False) or theme == self.service.settings.theme:
            return
        try:
            self.service.save_settings(replace(self.service.settings, theme=theme))
        except HcflashError as exc:
            self.report_error(exc)

    # -- navigation: what the screens' messages ask for ---------------------------------------

    def start_review(self, decks: list[str] | None, status: str | None = None, first_card: int | None = None) -> None:
        from hcflash.tui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(decks, first_card=first_card, status=status))

    def go_home(self) -> None:
        """Back to the deck list, building it if the session started straight in review."""
        from hcflash.tui.screens.home import HomeScreen

        while len(self.screen_stack) > 1:
            self.pop_screen()
        if not isinstance(self.screen, HomeScreen):
            self.switch_screen(HomeScreen())

    def on_home_screen_study(self, message: HomeScreen.Study) -> None:
        self.start_review(message.decks)

    def on_review_screen_finished(self, message: ReviewScreen.Finished) -> None:
        from hcflash.tui.screens.summary import SummaryScreen

        self.switch_screen(SummaryScreen(self.service.session_summary(), message.decks))

    def on_summary_screen_study_again(self, message: SummaryScreen.StudyAgain) -> None:
        from hcflash.tui.screens.review import ReviewScreen

        self.switch_screen(ReviewScreen(message.decks, first_card=message.first_card))

    def on_review_screen_leave(self, message: ReviewScreen.Leave) -> None:
        self.go_home()

    def on_summary_screen_leave(self, message: SummaryScreen.Leave) -> None:
        self.go_home()

    def action_open_browse(self) -> None:
        from hcflash.tui.screens.browse import BrowseScreen

        self.push_screen(BrowseScreen())

    def action_open_stats(self) -> None:
        from hcflash.tui.screens.stats import StatsScreen

        self.push_screen(StatsScreen())

    def action_open_settings(self) -> None:
        from hcflash.tui.screens.settings import SettingsScreen

        self.push_screen(SettingsScreen())

    def action_toggle_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    # -- the one error path ---------------------------------------------------------------------

    def report_error(self, exc: BaseException) -> None:
        """The TUI's one place for errors: a notification, never a traceback. A project error says
        what to do; anything else is a bug, shown by its type so it can be reported."""
        if isinstance(exc, DeckError):
            lines = [str(i) for i in exc.issues[:5]]
            more = len(exc.issues) - len(lines)
            message = "\n".join(lines) + (f"\n… and {more} more" if more > 0 else "")
            self.notify(message, title="Deck errors: nothing was changed", severity="error", timeout=15, markup=False)
        elif isinstance(exc, HcflashError):
            self.notify(str(exc), severity="error", timeout=10, markup=False)
        else:
            self.notify(f"{type(exc).__name__}: {exc}", title="Unexpected error (a bug: please report it)",
                        severity="error", timeout=15, markup=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Study all decks", "Review everything due now", lambda: self.start_review(None))
        yield SystemCommand("Browse cards", "Search and filter every card", self.action_open_browse)
        yield SystemCommand("Statistics", "Reviews, retention, forecast and heatmap", self.action_open_stats)
        yield SystemCommand("Settings", "Desired retention and daily limits", self.action_open_settings)
        yield SystemCommand("Home", "The deck list", self.go_home)
