"""The TUI's own app, typed: screens, tabs and panels reach ``self.app`` as a ``TrpkitApp``.

Textual types ``self.app`` as ``App[object]``. The bases below narrow it with Textual's
``getters.app`` for type checkers only (at run time Textual's own property answers, so a widget
mounted in a test's plain ``App`` still works), and add ``database`` and ``actor``, which exist only
while the vault is open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.containers import Vertical
from textual.screen import ModalScreen, Screen

from trpkit.errors import VaultError
from trpkit.tui.footer_order import app_keys_first

if TYPE_CHECKING:
    from textual import getters
    from textual.binding import ActiveBinding

    from trpkit.db.database import Database
    from trpkit.services.actor import Actor
    from trpkit.tui.app import TrpkitApp

R = TypeVar("R")
LOCKED = "trpkit is locked: unlock it to continue."


def database_of(app: TrpkitApp) -> Database:
    """The open database (refused while locked, e.g. when a worker outlives its screen)."""
    if app.database is None:
        raise VaultError(LOCKED)
    return app.database


def actor_of(app: TrpkitApp) -> Actor:
    if app.actor is None:
        raise VaultError(LOCKED)
    return app.actor


class AppScreen(Screen[R]):
    """A full screen of trpkit."""

    if TYPE_CHECKING:
        app = getters.app(TrpkitApp)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return app_keys_first(super().active_bindings, self.app)

    @property
    def database(self) -> Database:
        return database_of(self.app)

    @property
    def actor(self) -> Actor:
        return actor_of(self.app)


class AppModal(ModalScreen[R]):
    """A dialog of trpkit, over another screen."""

    if TYPE_CHECKING:
        app = getters.app(TrpkitApp)

    @property
    def database(self) -> Database:
        return database_of(self.app)

    @property
    def actor(self) -> Actor:
        return actor_of(self.app)


class AppPart(Vertical):
    """A part of a screen (a case-file tab, a dashboard panel) that reads the vault."""

    if TYPE_CHECKING:
        app = getters.app(TrpkitApp)

    @property
    def database(self) -> Database:
        return database_of(self.app)

    @property
    def actor(self) -> Actor:
        return actor_of(self.app)
