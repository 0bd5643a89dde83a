"""The trpkit app: unlock → dashboard → case list → case file. Locks itself when idle.

Construct with settings (normal use) or with an open ``database`` and ``actor`` (tests, and
embedding): then the unlock step is skipped until the first lock.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from trpkit.config import Settings
from trpkit.db.target import Target
from trpkit.tui.screens.unlock import Unlocked, UnlockScreen
from trpkit.tui.where import Where, where_we_are

if TYPE_CHECKING:  # not at run time: the unlock screen is drawn before the services layer is imported
    from collections.abc import Sequence

    from textual.filter import LineFilter

    from trpkit.db.database import Database
    from trpkit.services.actor import Actor


def load_class(dotted: str) -> Any:
    module_name, name = dotted.split(":")
    return getattr(importlib.import_module(module_name), name)


class TrpkitApp(App[None]):
    TITLE = "trpkit"
    # Only trpkit's own commands: Textual's system commands include "Screenshot", which would write the
    # screen (a person's name, their story) to an unencrypted file outside the vault, unaudited.
    COMMANDS = {lambda: load_class("trpkit.tui.palette:TrpkitCommands")}
    SUB_TITLE = "accompanying people through the TRP process"
    CSS = """
    DataTable { height: 1fr; }
    .muted { color: $text-muted; }
    """
    # Help and Lock first: a narrow footer cuts from the right, and these two must stay in sight.
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("ctrl+l", "lock", "Lock", priority=True),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, then control characters out of everything drawn (see TerminalSafe)."""
        from trpkit.tui.terminal_filter import TerminalSafe

        if not hasattr(self, "_terminal_safe"):
            self._terminal_safe = TerminalSafe()
        return [*super().get_line_filters(), self._terminal_safe]

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        demo: bool = False,
        database: Database | None = None,
        actor: Actor | None = None,
        idle_lock_minutes: float | None = None,
    ) -> None:
        super().__init__()
        if settings is None and database is None:
            raise ValueError("TrpkitApp needs settings or an open database")
        self.settings = settings
        self.target: Target = database.target if database is not None else settings.target  # type: ignore[union-attr]
        self.demo = demo
        self.database: Database | None = database
        self.actor: Actor | None = actor
        default_idle = settings.idle_lock_minutes if settings else 10.0
        self.idle_lock_seconds = 60.0 * (idle_lock_minutes if idle_lock_minutes is not None else default_idle)
        self.last_activity = time.monotonic()
        self.locked = database is None
        self._opened_here = False  # a database handed in is the caller's to close
        self._locked_at: Where | None = None  # the screens open when the app locked, reopened on unlock
        self._after_unlock: list[str] = []  # what locking kept that is not reopened (a dialog's typing)

    # -- start-up and locking -------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.database is not None and self.actor is not None:
            self._show_home()
        else:
            self._show_unlock()
        self.set_interval(5.0, self.check_idle_lock)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """None of Textual's own (screenshot, theme, maximise…): the palette offers trpkit's commands."""
        return ()

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        self._refuse_screenshot()

    def deliver_screenshot(self, *args: Any, **kwargs: Any) -> str | None:
        self._refuse_screenshot()
        return None

    def save_screenshot(self, *args: Any, **kwargs: Any) -> str:
        """Writes nothing (and names no file), whoever asks: Textual's --screenshot option included."""
        self._refuse_screenshot()
        return ""

    def _refuse_screenshot(self) -> None:
        self.notify(
            "trpkit does not save screenshots: they would copy case data outside the encrypted vault.",
            severity="warning",
        )

    def _show_unlock(self) -> None:
        username = self.settings.username if self.settings else (self.actor.username if self.actor else None)
        passphrase = None
        if self.demo:  # only then: trpkit.demo pulls in the data layer, which must not delay the first paint
            from trpkit.demo import DEMO_PASSPHRASE

            passphrase = DEMO_PASSPHRASE
        self.push_screen(UnlockScreen(self.target, username, passphrase))

    def _show_home(self) -> None:
        from trpkit.tui.screens.dashboard import DashboardScreen

        self.locked = False
        self.last_activity = time.monotonic()
        self.push_screen(DashboardScreen())
        from trpkit.tui.heap import settle_heap

        self.call_after_refresh(settle_heap)  # once home is drawn: no full collection walks the app again
        where, self._locked_at = self._locked_at, None
        notes, self._after_unlock = self._after_unlock, []
        if where is not None and self.actor is not None and where.username == self.actor.username:
            self.call_after_refresh(self._return_to, where)
            for note in notes:
                self.notify(note, timeout=10)

    def say_after_unlock(self, note: str) -> None:
        """A line for the person who unlocks next (the same person only), e.g. that a form was kept."""
        self._after_unlock.append(note)

    def _return_to(self, where: Where) -> None:
        """After unlocking, the screens the same person had open before the lock, in the same order."""
        for screen in where.screens:
            self.push_screen(screen.rebuild())

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self.last_activity = time.monotonic()
        await super().on_event(event)

    def check_idle_lock(self) -> None:
        if not self.locked and time.monotonic() - self.last_activity >= self.idle_lock_seconds:
            self.action_lock()

    def action_lock(self) -> None:
        """Clear every screen that shows case data, forget the key, and ask for the passphrase again."""
        if self.locked:
            return
        self.locked = True
        self._flush_typing()
        self._locked_at = where_we_are(self.screen_stack, self.actor)
        while len(self.screen_stack) > 1:
            self.pop_screen()
        if self.database is not None:
            self.database.close()
        self.database = None
        self.actor = None
        from trpkit.tui.heap import release_heap

        release_heap()
        self._show_unlock()

    def _flush_typing(self) -> None:
        """Before the vault closes, every open tab keeps what was typed since its last autosave."""
        from trpkit.tui.tabs.base import CaseTab

        for screen in self.screen_stack:
            keep = getattr(screen, "flush_typing", None)  # a dialog with a form (the meeting form)
            if keep is not None:
                try:
                    keep()
                except Exception as exc:  # noqa: BLE001 - locking must happen whatever a form does
                    self.log.error(f"could not keep typing in {type(screen).__name__} before locking: {exc}")
            for tab in screen.query(CaseTab):
                try:
                    tab.flush()
                except Exception as exc:  # noqa: BLE001 - locking must happen whatever a tab does
                    self.log.error(f"could not keep typing in {tab.id} before locking: {exc}")

    def on_unmount(self) -> None:
        """Quitting: every screen (and its unsaved-typing drafts) is gone by now; close what the app opened,
        so a vault's write-ahead log is folded back into the one file rather than left beside it. What
        was frozen goes back under the collector (a process that runs the app again, e.g. tests)."""
        from trpkit.tui.heap import release_heap

        release_heap()
        if self.database is not None and self._opened_here:
            self.database.close()
            self.database = None

    @on(Unlocked)
    def _unlocked(self, message: Unlocked) -> None:
        self.database = message.database
        self._opened_here = True
        if message.outdated:
            from trpkit.tui.screens.confirm import ConfirmScreen

            def answer(yes: bool | None) -> None:
                if yes:
                    self.notify("Making a backup copy and upgrading the vault…", timeout=30)
                    self._upgrade(message.secret, message.username, message.password)
                else:
                    message.database.close()
                    self.database = None
                    self.exit(message="The vault was left unchanged. Run 'trpkit db upgrade' when ready.")

            self.push_screen(
                ConfirmScreen(
                    "This vault was made by an older version of trpkit. Upgrade it now?\n"
                    "A backup copy of the vault file is made first.",
                    yes="Make a backup and upgrade",
                    no="Quit",
                ),
                answer,
            )
            return
        self.actor = message.actor
        self.pop_screen()
        self._show_home()

    @work(thread=True, exclusive=True, group="upgrade", exit_on_error=False)
    def _upgrade(self, secret: str, username: str | None, password: str) -> None:
        from trpkit.tui.unlocking import upgrade_and_identify

        assert self.database is not None
        try:
            actor, backup = upgrade_and_identify(self.database, secret, username, password)
        except Exception as exc:  # noqa: BLE001 - shown to the person; the upgrade rolled back
            self.call_from_thread(
                self.notify, f"Upgrade failed, nothing was changed: {exc}", severity="error"
            )
            return

        def done() -> None:
            self.actor = actor
            while len(self.screen_stack) > 1:
                self.pop_screen()
            self.notify(f"Upgraded. Backup of the old version: {backup}", timeout=10)
            self._show_home()

        self.call_from_thread(done)

    # -- navigation -----------------------------------------------------------------------------

    async def open_case(self, code: str, tab: str | None = None) -> None:
        from trpkit.tui.screens.case_file import CaseFileScreen

        screen = CaseFileScreen(code, initial_tab=tab)
        await self.push_screen(screen)

    def action_cases(self) -> None:
        from trpkit.tui.screens.case_list import CaseListScreen

        self.push_screen(CaseListScreen())

    def action_new_case(self) -> None:
        from trpkit.tui.screens.new_case import NewCaseScreen

        def created(code: str | None) -> None:
            if code:
                self.run_worker(self.open_case(code), exclusive=False)

        self.push_screen(NewCaseScreen(), created)

    def action_help(self) -> None:
        """F1: every key of the screen you are on (read from its bindings), then the general help."""
        from trpkit.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def open_app_screen(self, dotted: str) -> None:
        self.push_screen(load_class(dotted)())
