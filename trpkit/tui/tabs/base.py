"""Base classes for case-file tabs and dashboard panels.

A tab gets the case code; it loads its data in a thread worker with its own session
(``self.database.session()``) and the acting user (``self.actor``), then updates widgets on
the main thread. ``reload()`` is called when the tab is shown and after the case changes.
Never keep ORM objects in widgets: services return frozen DTOs.
"""

from __future__ import annotations

from typing import ClassVar

from trpkit.tui.typed import AppPart as _AppData


class CaseTab(_AppData):
    """One tab of the case file."""

    TITLE: ClassVar[str] = ""
    DEFAULT_CSS = """
    CaseTab { height: 1fr; }
    """

    def __init__(self, case_code: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.case_code = case_code

    def reload(self) -> None:
        """Fetch fresh data (start a worker). Called on show and after changes."""

    # A tab that edits something defines ``action_save``; the case file's ctrl+s calls it.

    def has_unsaved(self) -> bool:
        """Typed but not saved (and not kept as a draft either): leaving the tab or the case file asks
        first. Tabs with forms override this."""
        return False

    def discard_unsaved(self) -> None:
        """The person chose to drop their changes: show what is saved again."""

    def flush(self) -> None:
        """Keep what was typed but not saved yet, now and synchronously: the app is about to lock
        (and close the vault). Tabs with an autosaved editor override this."""

    def on_mount(self) -> None:
        # Only the tab on show loads now; the others load when first shown (the case file reloads a tab
        # each time it is activated), so opening a case file runs one query, not one per tab.
        if self.is_on_show():
            self.reload()

    def is_on_show(self) -> bool:
        from textual.widgets import TabbedContent, TabPane

        pane = next((node for node in self.ancestors if isinstance(node, TabPane)), None)
        tabs = next((node for node in self.ancestors if isinstance(node, TabbedContent)), None)
        return pane is None or tabs is None or tabs.active == pane.id


class DashboardPanel(_AppData):
    """A panel on the home screen (deadlines, recent cases, …)."""

    DEFAULT_CSS = """
    DashboardPanel { height: auto; border: round $primary-darken-2; padding: 0 1; }
    """

    def reload(self) -> None:
        """Fetch fresh data (start a worker). The dashboard calls it each time it is shown."""
