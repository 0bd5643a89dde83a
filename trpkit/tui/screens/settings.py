"""Organisation settings: the letterhead and the signatory every letter carries.

Reached from the home screen (key o, or the command palette) and from the Draft tab. The values live
in config.toml's [organisation] table (the same as ``trpkit org set``); saving writes that file and the
next check or draft uses them. Leaving with unsaved changes asks first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Static, TextArea

from trpkit.tui.footer_order import app_keys_first

if TYPE_CHECKING:
    from textual.binding import ActiveBinding

FIELDS = ("name", "contact", "representative", "representative_title")


class SettingsScreen(Screen[bool]):
    """Dismissed with True when the settings were saved."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return app_keys_first(super().active_bindings, self.app)

    TITLE = "Organisation settings"
    BINDINGS = [
        Binding("escape", "leave", "Back"),
        Binding("ctrl+s", "save", "Save"),
    ]
    DEFAULT_CSS = """
    SettingsScreen VerticalScroll { padding: 0 2; }
    SettingsScreen Label { margin-top: 1; }
    SettingsScreen #org-address { height: 5; }
    SettingsScreen Horizontal { height: auto; margin-top: 1; }
    SettingsScreen Button { margin-right: 2; }
    SettingsScreen #org-status { height: auto; margin-top: 1; }
    """

    def compose(self) -> ComposeResult:
        from trpkit.services.organisation import FIELD_LABELS

        yield Header()
        with VerticalScroll():
            yield Static(
                "Every letter shows these on its letterhead, and the representative signs the declaration. "
                "A letter is not drafted while one of them is missing.",
                id="org-intro",
            )
            for key in ("name", "address", *FIELDS[1:]):
                yield Label(FIELD_LABELS[key])
                if key == "address":
                    yield TextArea("", id="org-address")
                else:
                    yield Input("", id=f"org-{key.replace('_', '-')}")
            with Horizontal():
                yield Button("Save (ctrl+s)", variant="primary", id="org-save")
                yield Button("Back (esc)", id="org-back")
            yield Static("", id="org-status")
        yield Footer()

    def on_mount(self) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.organisation import as_table, current

        try:
            values = as_table(current())
        except TrpkitError as exc:
            self.query_one("#org-status", Static).update(f"[b red]{exc}[/]")
            values = {}
        self._saved = self._fill(values)
        self._show_missing()
        self.query_one("#org-name", Input).focus()

    def _fill(self, values: dict[str, object]) -> dict[str, str]:
        for key in FIELDS:
            self.query_one(f"#org-{key.replace('_', '-')}", Input).value = str(values.get(key, ""))
        address = values.get("address", [])
        self.query_one("#org-address", TextArea).load_text(
            "\n".join(address) if isinstance(address, list) else str(address)
        )
        return self._values()

    def _values(self) -> dict[str, str]:
        values = {key: self.query_one(f"#org-{key.replace('_', '-')}", Input).value for key in FIELDS}
        values["address"] = self.query_one("#org-address", TextArea).text
        return values

    def _show_missing(self) -> None:
        from trpkit.services.organisation import from_table

        missing = from_table(self._values()).missing()
        self.query_one("#org-status", Static).update(
            f"[b red]Missing:[/] {', '.join(missing)}." if missing else "[green]Complete.[/]"
        )

    @on(Button.Pressed, "#org-save")
    def action_save(self) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.organisation import update

        values = self._values()
        changes: dict[str, object] = {**values, "address": values["address"].splitlines()}
        try:
            update(changes)
        except TrpkitError as exc:
            self.query_one("#org-status", Static).update(f"[b red]Not saved:[/] {exc}")
            return
        self._saved = values
        self._show_missing()
        status = self.query_one("#org-status", Static)
        status.update(f"[green]Saved.[/] {status.render()}")
        self.dismiss(True)

    @on(Button.Pressed, "#org-back")
    def action_leave(self) -> None:
        if self._values() == self._saved:
            self.dismiss(False)
            return
        from trpkit.tui.screens.confirm import ConfirmScreen

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(False)

        self.app.push_screen(
            ConfirmScreen(
                "Leave without saving your changes to the organisation settings?", "Discard", "Stay"
            ),
            answered,
        )
