"""Command palette (ctrl+p): open a case by its code, start a new case, open any app screen, help, lock, quit.

These are the only commands it offers: the app replaces Textual's own (screenshot, themes, …)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from trpkit.tui.registry import APP_SCREENS
from trpkit.tui.typed import actor_of, database_of

if TYPE_CHECKING:
    from trpkit.tui.app import TrpkitApp


class TrpkitCommands(Provider):
    @property
    def tui(self) -> TrpkitApp:
        """``self.app``, typed (a provider is not a widget, so Textual's ``getters.app`` does not apply)."""
        return cast("TrpkitApp", self.app)

    async def startup(self) -> None:
        """Case codes the person may open (codes only: names never appear in the palette)."""
        self.codes: list[str] = []
        app = self.app
        if getattr(app, "database", None) is None or getattr(app, "locked", True):
            return
        worker = app.run_worker(self._load_codes, thread=True, group="palette")
        await worker.wait()
        self.codes = worker.result or []

    def _load_codes(self) -> list[str]:
        from trpkit.services.cases import case_codes

        app = self.tui
        with database_of(app).session() as session:
            return case_codes(session, actor_of(app))

    def _actions(self) -> list[tuple[str, object, str]]:
        app = self.tui
        always: list[tuple[str, object, str]] = [
            ("Help: keys of this screen", app.action_help, "Every key of the screen you are on (F1)"),
            ("Quit", app.action_quit, "Close trpkit (ctrl+q)"),
        ]
        if getattr(app, "locked", True):
            return always
        actions: list[tuple[str, object, str]] = [
            ("Case list", app.action_cases, "Every case file you can open"),
            ("New case file", app.action_new_case, "Open a new case file"),
            ("Lock now", app.action_lock, "Clear the screen and ask for the passphrase"),
        ]
        for _key, title, dotted in APP_SCREENS:
            actions.append((title, partial(app.open_app_screen, dotted), f"Open {title.lower()}"))
        return actions + always

    async def discover(self) -> Hits:
        for name, callback, help_text in self._actions():
            yield DiscoveryHit(name, callback, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._actions():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)  # type: ignore[arg-type]
        if len(query.strip()) >= 2:
            for code in self.codes:
                label = f"Open case {code}"
                score = matcher.match(label)
                if score > 0:
                    yield Hit(score, matcher.highlight(label), partial(self._open, code), help="Case file")

    def _open(self, code: str) -> None:
        self.tui.run_worker(self.tui.open_case(code))
