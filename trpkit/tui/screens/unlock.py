"""Unlock screen: the vault passphrase (or server login). Nothing about cases is shown here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static

from trpkit.db.target import Target

if TYPE_CHECKING:  # only for type hints: neither is imported before the screen is drawn
    from trpkit.db.database import Database
    from trpkit.services.actor import Actor


WARM_UP_DELAY = 0.5  # seconds after the unlock screen is shown

# What unlocking and the first screens after it need; a second of imports paid before Enter, not after.
WARM_UP_MODULES = (
    "trpkit.tui.unlocking",
    "trpkit.db.models",
    "trpkit.services.audit",
    "trpkit.services.users",
    "trpkit.services.sign_in",
    "trpkit.services.cases",
    "trpkit.services.deadlines",
    "trpkit.tui.screens.dashboard",
    "trpkit.tui.screens.case_list",
)


@dataclass
class Unlocked(Message):
    database: Database
    actor: Actor | None
    outdated: bool
    secret: str
    username: str | None
    password: str = ""


@dataclass
class UnlockFailed(Message):
    reason: str


class UnlockScreen(Screen[None]):
    DEFAULT_CSS = """
    UnlockScreen { align: center middle; }
    #unlock-box { width: 76; max-width: 100%; height: auto; border: round $primary; padding: 1 2; }
    #unlock-title { text-style: bold; margin-bottom: 1; }
    #unlock-error { color: $error; height: auto; margin-top: 1; }
    #unlock-hint { color: $text-muted; margin-top: 1; }
    #unlock-box Button { margin-top: 1; }
    """

    def __init__(
        self, target: Target, username: str | None = None, demo_passphrase: str | None = None
    ) -> None:
        super().__init__()
        self.target = target
        self.username = username
        self.demo_passphrase = demo_passphrase

    def compose(self) -> ComposeResult:
        server = not self.target.is_vault
        with Vertical(id="unlock-box"):
            yield Static("trpkit — " + ("sign in" if server else "unlock the vault"), id="unlock-title")
            yield Label(self.target.describe(), id="unlock-target")
            yield Input(
                placeholder="User name" + ("" if server else " (only if several people share this vault)"),
                value=self.username or "",
                id="username",
            )
            yield Input(
                placeholder="Password" if server else "Vault passphrase",
                password=True,
                id="passphrase",
                value=self.demo_passphrase or "",
            )
            if not server:
                yield Input(
                    placeholder="Your own password (only if your account has one)",
                    password=True,
                    id="account-password",
                )
            yield Button("Sign in" if server else "Unlock", variant="primary", id="unlock")
            yield Static("", id="unlock-error")
            if self.demo_passphrase:
                yield Static(
                    f"Demo vault of fictional cases. Its passphrase is filled in: "
                    f"“{self.demo_passphrase}”. Press Enter.",
                    id="unlock-hint",
                )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#passphrase", Input).focus()
        # Half a second later, not at once: the warm-up's imports hold the interpreter and would hold back
        # the first frame on its way to the terminal. Nobody types a passphrase in half a second.
        self.set_timer(WARM_UP_DELAY, self._warm_up)

    @work(thread=True, exclusive=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        """Import the data layer while the person types, so pressing Enter does not wait for imports."""
        import importlib

        for name in WARM_UP_MODULES:
            importlib.import_module(name)
        from trpkit.domain.places_languages import country_name

        country_name("MX")  # builds the names index the case list's filter reads

    @on(Input.Submitted)
    @on(Button.Pressed, "#unlock")
    def submit(self) -> None:
        passphrase = self.query_one("#passphrase", Input).value
        username = self.query_one("#username", Input).value.strip() or None
        password_boxes = self.query("#account-password")
        password = password_boxes.first(Input).value if password_boxes else ""
        if not passphrase:
            self.show_error("Type the passphrase first.")
            return
        self.query_one("#unlock", Button).disabled = True
        self.query_one("#unlock-error", Static).update("Unlocking…")
        self._unlock(passphrase, username, password)

    def show_error(self, message: str) -> None:
        self.query_one("#unlock-error", Static).update(message)
        self.query_one("#unlock", Button).disabled = False
        box = self.query_one("#passphrase", Input)
        box.value = ""
        box.focus()

    @work(thread=True, exclusive=True, group="unlock", exit_on_error=False)
    def _unlock(self, passphrase: str, username: str | None, password: str) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.tui.unlocking import open_and_identify

        try:
            opened = open_and_identify(self.target, passphrase, username, password)
        except TrpkitError as exc:
            self.post_message(UnlockFailed(str(exc)))
            return
        except Exception as exc:  # noqa: BLE001 - never a traceback over the screen
            self.post_message(UnlockFailed(f"Could not open: {type(exc).__name__}: {exc}"))
            return
        self.post_message(
            Unlocked(opened.database, opened.actor, opened.outdated, passphrase, username, password)
        )

    @on(UnlockFailed)
    def _failed(self, message: UnlockFailed) -> None:
        self.show_error(message.reason)
