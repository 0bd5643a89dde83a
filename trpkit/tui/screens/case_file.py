"""One case file: a tab per area (see trpkit.tui.registry.CASE_TABS).

Tab keys: F2…F9 show the tabs in order, ctrl+PgDn / ctrl+PgUp the next / previous one. These reach the
app intact in xterm, GNOME Terminal, Windows Terminal, macOS Terminal and tmux. alt+1…alt+9 work too
where the terminal reports them as alt (many send ESC and the digit, which arrives as "¡", "™"…: those
are characters a person may type, so they are never taken as keys).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, TabbedContent, TabPane

from trpkit.tui.footer_order import app_keys_first
from trpkit.tui.registry import CASE_TABS
from trpkit.tui.tabs.base import CaseTab

if TYPE_CHECKING:
    from textual.binding import ActiveBinding

TAB_KEYS = [f"f{n}" for n in range(2, 10)]  # F1 is help; F10 and up are taken by some terminals


# Narrow terminals (80 columns): titles without their keys (F1 lists them), and these shortened.
SHORT_TITLES = {"applications": "Applic."}
TAB_PADDING = 2  # a tab title's padding, one column each side (Textual's Tab style)


def tab_label(index: int, title: str) -> str:
    """The tab's title with the key that shows it ("Person F2")."""
    return f"{title} F{index + 2}" if index < len(TAB_KEYS) else title


def tab_labels(width: int) -> list[str]:
    """Every tab's title as it fits in ``width`` columns: with its key when all fit that way, else the
    bare titles, else the short ones. The whole tab bar always shows, never a title off the edge."""
    choices = [
        [tab_label(i, title) for i, (_id, title, _d) in enumerate(CASE_TABS)],
        [title for _id, title, _d in CASE_TABS],
        [SHORT_TITLES.get(tab_id, title) for tab_id, title, _d in CASE_TABS],
    ]
    for labels in choices:
        if sum(len(label) + TAB_PADDING for label in labels) <= width:
            return labels
    return choices[-1]


class CaseFileScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+s", "save", "Save"),
        # priority: scrolling containers use these keys for sideways paging, which nobody needs here
        # not in the footer (the tab titles show F2…F9; F1 lists these): it keeps room for Help and Lock
        Binding("ctrl+pagedown", "next_tab(1)", "Next tab", show=False, priority=True),
        Binding("ctrl+pageup", "next_tab(-1)", "Previous tab", show=False, priority=True),
    ]

    def __init__(self, code: str, initial_tab: str | None = None) -> None:
        super().__init__()
        self.code = code
        self.initial_tab = initial_tab
        self._shown_tab: str | None = initial_tab or CASE_TABS[0][0]
        self._returning_to: str | None = None

    def compose(self) -> ComposeResult:
        from trpkit.tui.app import load_class

        yield Header()
        with TabbedContent(initial=self.initial_tab or CASE_TABS[0][0], id="case-tabs"):
            for index, (tab_id, title, dotted) in enumerate(CASE_TABS):
                with TabPane(tab_label(index, title), id=tab_id):
                    yield load_class(dotted)(self.code, id=f"{tab_id}-tab")
        yield Footer()

    def on_resize(self, event: events.Resize) -> None:
        """Titles that fit the width: the keys drop out of them at 80 columns (the footer and F1 keep them)."""
        tabs = self.query_one(TabbedContent)
        for (tab_id, _title, _dotted), label in zip(CASE_TABS, tab_labels(event.size.width), strict=True):
            tab = tabs.get_tab(tab_id)
            if str(tab.label) != label:
                tab.label = label

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return app_keys_first(super().active_bindings, self.app)

    def on_mount(self) -> None:
        self.title = "Case file"
        self.sub_title = self.code
        for index, (tab_id, title, _dotted) in enumerate(CASE_TABS):
            keys = [TAB_KEYS[index]] if index < len(TAB_KEYS) else []
            keys += [f"alt+{index + 1}"] if index < 9 else []
            for key in keys:
                self._bindings.bind(key, f"show_tab('{tab_id}')", f"{title} tab", show=False, priority=True)

    def reopen_args(self) -> tuple[str, str | None]:
        """What unlocking needs to bring the person back here: the case and the tab on show."""
        return self.code, self.query_one(TabbedContent).active or None

    def action_next_tab(self, step: int) -> None:
        """ctrl+PgDn / ctrl+PgUp: the next / previous tab, round the end."""
        ids = [tab_id for tab_id, _title, _dotted in CASE_TABS]
        active = self.query_one(TabbedContent).active
        current = ids.index(active) if active in ids else 0
        self.action_show_tab(ids[(current + step) % len(ids)])

    def action_show_tab(self, tab_id: str) -> None:
        """F2…F9 (or alt+N): show the tab and put the cursor in it, so its own keys work at once."""
        if self.query_one(TabbedContent).active == tab_id:
            self._focus_inside(tab_id)
            return
        self.leave_tab(lambda: self._show_tab(tab_id))

    def _active_tab(self) -> CaseTab | None:
        tabs = self.query_one(TabbedContent)
        pane = tabs.get_pane(tabs.active) if tabs.active else None
        return next(iter(pane.query(CaseTab)), None) if pane is not None else None

    def leave_tab(self, then: Callable[[], object], tab: CaseTab | None = None) -> None:
        """Run ``then`` (show another tab, go back) once the tab on show has nothing unsaved: if it has,
        ask first: save (then go), discard (then go) or stay."""
        from trpkit.tui.screens.confirm import UnsavedScreen

        tab = tab or self._active_tab()
        if tab is None or not tab.has_unsaved():
            then()
            return

        def answered(choice: str | None) -> None:
            if choice == "save":
                save = getattr(tab, "action_save", None)
                if save is not None:
                    save()
                then()
            elif choice == "discard":
                tab.discard_unsaved()
                then()

        title = next((t for tab_id, t, _d in CASE_TABS if f"{tab_id}-tab" == tab.id), "This tab")
        self.app.push_screen(UnsavedScreen(f"The {title} tab"), answered)

    def action_back(self) -> None:
        """esc: back to the list, after asking about unsaved changes."""
        self.leave_tab(self.app.pop_screen)

    def action_save(self) -> None:
        """ctrl+s saves in whichever tab is showing, wherever the focus is."""
        tabs = self.query_one(TabbedContent)
        pane = tabs.get_pane(tabs.active) if tabs.active else None
        for tab in pane.query(CaseTab) if pane is not None else ():
            save = getattr(tab, "action_save", None)
            if save is not None:
                save()

    def _show_tab(self, tab_id: str) -> None:
        self._shown_tab = tab_id
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
        if self._returning_to is not None and pane.id == self._returning_to:
            self._returning_to = None
            return
        previous = self._shown_tab
        if previous is not None and pane.id != previous:
            # shown by a click on its title: the tab left behind may have unsaved changes
            left = next(iter(self.query_one(TabbedContent).get_pane(previous).query(CaseTab)), None)
            if left is not None and left.has_unsaved():
                wanted = pane.id or ""
                self._returning_to = previous  # shown again as it was: no reload over the typing
                self.query_one(TabbedContent).active = previous
                self.leave_tab(lambda: self._show_tab(wanted), tab=left)
                return
        self._shown_tab = pane.id
        for tab in pane.query(CaseTab):
            if tab.is_mounted:  # a tab loads itself on mount; this refreshes it when shown again
                tab.reload()
