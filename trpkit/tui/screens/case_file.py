"""One case file: a tab per area (see trpkit.tui.registry.CASE_TABS)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, TabbedContent, TabPane

from trpkit.tui.registry import CASE_TABS
from trpkit.tui.tabs.base import CaseTab


class CaseFileScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back to list"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(self, code: str, initial_tab: str | None = None) -> None:
        super().__init__()
        self.code = code
        self.initial_tab = initial_tab

    def compose(self) -> ComposeResult:
        from trpkit.tui.app import load_class

        yield Header()
        with TabbedContent(initial=self.initial_tab or CASE_TABS[0][0], id="case-tabs"):
            for index, (tab_id, title, dotted) in enumerate(CASE_TABS, start=1):
                label = f"{title} ({index})" if index < 10 else title
                with TabPane(label, id=tab_id):
                    yield load_class(dotted)(self.code, id=f"{tab_id}-tab")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Case file"
        self.sub_title = self.code
        for index, (tab_id, _title, _dotted) in enumerate(CASE_TABS[:9], start=1):
            self._bindings.bind(f"alt+{index}", f"show_tab('{tab_id}')", show=False)

    def action_save(self) -> None:
        """ctrl+s saves in whichever tab is showing, wherever the focus is."""
        tabs = self.query_one(TabbedContent)
        pane = tabs.get_pane(tabs.active) if tabs.active else None
        for tab in pane.query(CaseTab) if pane is not None else ():
            save = getattr(tab, "action_save", None)
            if save is not None:
                save()

    def action_show_tab(self, tab_id: str) -> None:
        """alt+N: show the tab and put the cursor in it, so its own keys (ctrl+n, delete…) work at once."""
        self.query_one(TabbedContent).active = tab_id
        self.call_after_refresh(self._focus_inside, tab_id)

    def _focus_inside(self, tab_id: str) -> None:
        pane = self.query_one(TabbedContent).get_pane(tab_id)
        if self.focused is not None and pane in self.focused.ancestors:
            return
        target = next((w for w in pane.query("*") if w.focusable and w.display), None)
        if target is not None:
            target.focus()

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane
        for tab in pane.query(CaseTab):
            if tab.is_mounted:  # a tab loads itself on mount; this refreshes it when shown again
                tab.reload()
