"""Home: what needs attention across the person's cases, and the way to everything else."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, Static

from trpkit.tui.registry import APP_SCREENS, DASHBOARD_PANELS
from trpkit.tui.tabs.base import DashboardPanel
from trpkit.tui.typed import AppScreen
from trpkit.tui.words import plural

PANEL_DELAY = 0.4  # seconds on the home screen before its panels are computed


@dataclass
class CountsLoaded(Message):
    total: int
    by_status: dict[str, int]


class DashboardScreen(AppScreen[None]):
    DEFAULT_CSS = """
    #welcome { padding: 1 1 0 1; }
    #counts { padding: 0 1 1 1; }
    #keys { padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("c", "app.cases", "Cases"),
        Binding("n", "app.new_case", "New case"),
        Binding("f5", "reload", "Refresh"),
    ]

    def compose(self) -> ComposeResult:
        from trpkit.tui.app import load_class

        yield Header()
        with VerticalScroll():
            yield Static("", id="welcome")
            yield Static("Loading…", id="counts")
            for panel_id, dotted in DASHBOARD_PANELS:
                yield load_class(dotted)(id=panel_id)
            keys = ["[b]c[/b] cases", "[b]n[/b] new case"] + [
                f"[b]{k}[/b] {title.lower()}" for k, title, _ in APP_SCREENS
            ]
            yield Static("   ".join([*keys, "[b]ctrl+l[/b] lock"]), id="keys")
        yield Footer()

    def on_mount(self) -> None:
        actor = self.actor
        self.query_one("#welcome", Static).update(
            f"Signed in as [b]{actor.username}[/b] ({actor.role.value})."
        )
        for key, title, dotted in APP_SCREENS:
            self._bindings.bind(key, f"open_screen('{dotted}')", title)
        # Loading happens in on_screen_resume, which also runs when the screen is first shown.

    def action_open_screen(self, dotted: str) -> None:
        self.app.open_app_screen(dotted)

    def action_reload(self) -> None:
        self._load_counts()
        self._reload_panels()

    def _reload_panels(self) -> None:
        for panel_id, _ in DASHBOARD_PANELS:
            self.query_one(f"#{panel_id}", DashboardPanel).reload()

    def on_screen_resume(self) -> None:
        self._load_counts()  # one small query
        # Panels can be heavy (deadlines over every case): compute them only once the person stays here,
        # so pressing `c` straight away is not slowed down by work nobody is looking at.
        self.set_timer(PANEL_DELAY, self._reload_panels_if_shown)

    def _reload_panels_if_shown(self) -> None:
        if self.app.screen is self:  # not just visible behind another screen
            self._reload_panels()

    @work(thread=True, exclusive=True, group="dashboard-counts", exit_on_error=False)
    def _load_counts(self) -> None:
        from trpkit.services.cases import count_by_status

        app = self.app
        if app.database is None:
            return
        by_status = self.database.run(lambda session: count_by_status(session, self.actor))
        self.post_message(CountsLoaded(sum(by_status.values()), by_status))

    @on(CountsLoaded)
    def _show_counts(self, message: CountsLoaded) -> None:
        order = ["intake", "preparing", "submitted", "decided", "closed"]
        parts = [f"{message.by_status.get(s, 0)} {s}" for s in order]
        self.query_one("#counts", Static).update(
            f"[b]{plural(message.total, 'case file')}[/b] you can open: " + ", ".join(parts)
        )
