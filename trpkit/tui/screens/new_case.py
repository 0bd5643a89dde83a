"""New case form (a modal). Only what is known at intake; everything can be completed later.

Nationality and languages are typed by name (English, French, Spanish) or code, with completion; esc with
something typed asks first (save / discard / stay). When the app locks with something typed, the typing is
kept in the vault (a draft of no case, only its writer's) and comes back the next time the same person
opens this form.
"""

from __future__ import annotations

from typing import Any

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
    #new-recovered { display: none; }
    NewCaseScreen Horizontal { height: auto; }
    NewCaseScreen Button { margin-right: 2; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Create")]
    FIELDS = ("legal_name", "preferred_name", "birth_date_text", "nationality", "languages")

    def __init__(self) -> None:
        super().__init__()
        self.recovered = False  # the form holds typing kept when the app locked (a draft in the vault)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(
                "[b]New case file[/b] — a case code is given automatically; the name stays hidden in lists."
            )
            yield Static("", id="new-recovered")
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
        self._load_draft()

    @work(thread=True, group="new-case-draft", exit_on_error=False)
    def _load_draft(self) -> None:
        from trpkit.services.form_drafts import get_new_case_draft

        if self.app.database is None or self.app.actor is None:
            return
        actor = self.actor
        draft = self.database.run(lambda s: get_new_case_draft(s, actor))
        if draft is not None:
            self.app.call_from_thread(self._restore, draft.values)

    def _restore(self, values: dict[str, Any]) -> None:
        """The typing kept when the app locked, back in the form (unless typing has started since)."""
        if self._typed():
            return
        for name in self.FIELDS:
            self.query_one(f"#{name}", Input).value = str(values.get(name, ""))
        sector = str(values.get("sector", "unknown"))
        if sector in {value for _label, value in SECTOR_LABELS}:
            self.query_one("#sector", Select).value = sector
        self.recovered = True
        note = self.query_one("#new-recovered", Static)
        note.display = True  # hidden until there is typing to give back: no blank line otherwise
        note.update(
            "[b]Your typing from before the app locked is back.[/b] ctrl+s creates the case; "
            "esc asks whether to keep or drop it."
        )

    def _values(self) -> dict[str, str]:
        values = {name: self.query_one(f"#{name}", Input).value for name in self.FIELDS}
        values["sector"] = str(self.query_one("#sector", Select).value)
        return values

    def flush_typing(self) -> None:
        """The app is locking (the vault closes next): keep what was typed, offered back the next time the
        same person opens this form."""
        if not self._typed():
            return
        from trpkit.services.form_drafts import save_new_case_draft

        actor, values = self.actor, self._values()
        self.database.run(lambda s: save_new_case_draft(s, actor, values))
        self.app.say_after_unlock(
            "Your new case form was kept: n on the home screen (ctrl+n in the case list) brings it back."
        )

    @work(thread=True, group="new-case-draft", exit_on_error=False)
    def _drop_draft(self) -> None:
        from trpkit.services.form_drafts import discard_new_case_draft

        actor = self.actor
        self.database.run(lambda s: discard_new_case_draft(s, actor))

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
                self._drop_draft()  # typing kept at an earlier lock goes too: the person chose to drop it
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
        from trpkit.services.form_drafts import discard_new_case_draft

        actor = self.actor  # the kept typing is a case now
        self.database.run(lambda s: discard_new_case_draft(s, actor))
        self.app.call_from_thread(self.dismiss, detail.code)
