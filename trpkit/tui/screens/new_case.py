"""New case form (a modal). Only what is known at intake; everything can be completed later.

Nationality and languages are typed by name (English, French, Spanish) or code, with completion; esc with
something typed asks first (save / discard / stay).
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from trpkit.domain.vocab import ExploitationSector
from trpkit.tui.typed import AppModal
from trpkit.tui.widgets.pickers import NamePicker

SECTOR_LABELS = [(s.value.replace("_", " "), s.value) for s in ExploitationSector]


class NewCaseScreen(AppModal[str | None]):
    DEFAULT_CSS = """
    NewCaseScreen { align: center middle; }
    NewCaseScreen > VerticalScroll { width: 80; height: 90%; border: thick $primary; padding: 1 2; background: $surface; }
    NewCaseScreen Input, NewCaseScreen Select { margin-bottom: 1; }
    #new-error { color: $error; height: auto; }
    NewCaseScreen Horizontal { height: auto; }
    NewCaseScreen Button { margin-right: 2; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Create")]
    FIELDS = ("legal_name", "preferred_name", "birth_date_text", "nationality", "languages")

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(
                "[b]New case file[/b] — a case code is given automatically; the name stays hidden in lists."
            )
            yield Label("Legal name")
            yield Input(id="legal_name")
            yield Label("Name the person wants to be called")
            yield Input(id="preferred_name")
            yield Label("Date of birth (as precise as known: '1990', 'March 1988', 'around 1985')")
            yield Input(id="birth_date_text")
            yield Label("Nationality")
            yield NamePicker("country", input_id="nationality")
            yield Label("Languages")
            yield NamePicker("languages", input_id="languages")
            yield Label("Sector of exploitation")
            yield Select(SECTOR_LABELS, value="unknown", allow_blank=False, id="sector")
            yield Static("", id="new-error")
            with Horizontal():
                yield Button("Create (ctrl+s)", variant="primary", id="create")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#legal_name", Input).focus()

    def _typed(self) -> bool:
        return any(self.query_one(f"#{name}", Input).value.strip() for name in self.FIELDS) or (
            self.query_one("#sector", Select).value != "unknown"
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """esc / Cancel: straight out if nothing was typed, otherwise ask (save / discard / stay)."""
        from trpkit.tui.screens.confirm import UnsavedScreen

        if not self._typed():
            self.dismiss(None)
            return

        def answered(choice: str | None) -> None:
            if choice == "save":
                self.action_save()
            elif choice == "discard":
                self.dismiss(None)

        self.app.push_screen(UnsavedScreen("The new case form"), answered)

    @on(Button.Pressed, "#create")
    def action_save(self) -> None:
        person = {name: self.query_one(f"#{name}", Input).value.strip() for name in self.FIELDS}
        person = {k: v for k, v in person.items() if v}
        sector = str(self.query_one("#sector", Select).value)
        self._create(person, sector)

    @work(thread=True, exclusive=True, group="new-case", exit_on_error=False)
    def _create(self, person: dict[str, str], sector: str) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.cases import create_case

        try:
            with self.database.session() as session:
                detail = create_case(session, self.actor, person=person, exploitation_sector=sector)
        except TrpkitError as exc:
            self.app.call_from_thread(self.query_one("#new-error", Static).update, str(exc))
            return
        self.app.call_from_thread(self.dismiss, detail.code)
