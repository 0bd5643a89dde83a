"""The meeting form over the Narrative tab: a new meeting or the changes to one, esc with changes asks
first, and the typing is kept as a draft when the app locks. The form's language is typed by name or
code and kept as the ISO code the date finder reads."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from trpkit.services.narrative import MeetingRow
from trpkit.tui.widgets.exhibit_files import friendly_error
from trpkit.tui.widgets.pickers import NamePicker, shown_as

MEETING_DRAFT = "meeting"  # the form_drafts name of a meeting form's typing kept when the app locked
MEETING_INPUTS = ("date", "language", "interpreter", "duration", "place", "wellbeing")
FIELD_TITLES = {
    "date": "Date (YYYY-MM-DD)",
    "duration": "Minutes",
    "language": "Language",
    "interpreter": "Interpreter",
    "place": "Place",
    "wellbeing": "Wellbeing",
}


class MeetingFormScreen(ModalScreen[MeetingRow | None]):
    """A meeting's details: adds a new one, or saves the changes to ``meeting``. Answers the saved meeting
    (None: closed without saving). esc with changes asks first (save / discard / stay)."""

    DEFAULT_CSS = """
    MeetingFormScreen { align: center middle; }
    MeetingFormScreen > VerticalScroll { width: 76; max-width: 100%; height: auto; max-height: 100%; border: thick $primary; padding: 0 1; background: $surface; }
    MeetingFormScreen Horizontal { height: auto; }
    MeetingFormScreen Horizontal > Input { width: 1fr; }
    MeetingFormScreen #m-error { color: $error; height: auto; }
    MeetingFormScreen Button { margin-right: 1; }
    """
    BINDINGS: ClassVar = [Binding("escape", "close", "Close"), Binding("ctrl+s", "save", "Save")]

    def __init__(
        self, case_code: str, meeting: MeetingRow | None = None, recovered: dict[str, str] | None = None
    ) -> None:
        super().__init__()
        self.case_code, self.meeting = case_code, meeting
        self.recovered = recovered  # typing kept when the app locked, put back unsaved

    def compose(self) -> ComposeResult:
        base = {**self._baseline(), **(self.recovered or {})}
        title = f"Meeting of {self.meeting.held_on}" if self.meeting else "New meeting"
        with VerticalScroll():
            yield Static(f"[b]{title}[/b] — date as YYYY-MM-DD (2026-03-14); empty: today")
            if self.recovered is not None:
                yield Static(
                    "[b]Recovered typing not saved when the app locked:[/b] ctrl+s saves it, esc drops it.",
                    id="m-recovered",
                )
            with Horizontal():
                yield Input(base["date"], placeholder="Date YYYY-MM-DD", id="m-date")
                yield Input(base["duration"], placeholder="Minutes", id="m-duration", type="integer")
            yield NamePicker(
                "language",
                input_id="m-language",
                value=base["language"],
                placeholder="Language (Spanish, es…)",
            )
            with Horizontal():
                yield Input(base["interpreter"], placeholder="Interpreter", id="m-interpreter")
                yield Input(base["place"], placeholder="Place", id="m-place")
            yield Input(
                base["wellbeing"], placeholder="Wellbeing (e.g. asked to stop early)", id="m-wellbeing"
            )
            yield Static("", id="m-error")
            with Horizontal():
                yield Button("Save (ctrl+s)", variant="primary", id="m-save")
                yield Button("Cancel (esc)", id="m-close")

    def on_mount(self) -> None:
        # each field's name in its top border: still readable once the placeholder is replaced by a value
        for name, title in FIELD_TITLES.items():
            self.query_one(f"#m-{name}", Input).border_title = title
        self.query_one("#m-date", Input).focus()

    def _baseline(self) -> dict[str, str]:
        m = self.meeting
        if m is None:
            return dict.fromkeys(MEETING_INPUTS, "")
        return {
            "date": m.held_on.isoformat(),
            "language": shown_as("language", m.language),
            "interpreter": m.interpreter,
            "duration": "" if m.duration_minutes is None else str(m.duration_minutes),
            "place": m.place,
            "wellbeing": " ".join(m.wellbeing_notes.split()),
        }

    def _values(self) -> dict[str, str]:
        return {name: self.query_one(f"#m-{name}", Input).value.strip() for name in MEETING_INPUTS}

    def changed(self) -> bool:
        return self._values() != self._baseline()

    @on(Button.Pressed, "#m-close")
    def action_close(self) -> None:
        from trpkit.tui.screens.confirm import UnsavedScreen

        if not self.changed():
            self.dismiss(None)
            return

        def answered(choice: str | None) -> None:
            if choice == "save":
                self.action_save()
            elif choice == "discard":
                self._drop_draft()
                self.dismiss(None)

        self.app.push_screen(UnsavedScreen("The meeting form"), answered)

    def flush_typing(self) -> None:
        """The app is locking (the vault closes next): keep what was typed as a draft, offered back when the
        same person opens the case's Narrative tab again."""
        if not self.changed():
            return
        from trpkit.services.form_drafts import save_form_draft
        from trpkit.tui.tabs.narrative_state import in_session

        app: Any = self.app
        kept = {"meeting_id": self.meeting.id if self.meeting else None, "values": self._values()}
        in_session(app.database, lambda s: save_form_draft(s, app.actor, self.case_code, MEETING_DRAFT, kept))

    @work(thread=True, group="meeting-draft", exit_on_error=False)
    def _drop_draft(self) -> None:
        if self.recovered is None:
            return  # nothing was kept for this form
        from trpkit.services.form_drafts import discard_form_draft
        from trpkit.tui.tabs.narrative_state import in_session

        app: Any = self.app
        in_session(app.database, lambda s: discard_form_draft(s, app.actor, self.case_code, MEETING_DRAFT))

    @on(Button.Pressed, "#m-save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        values = self._values()
        try:
            held_on = date.fromisoformat(values["date"]) if values["date"] else date.today()
        except ValueError:
            self._error(f"'{values['date']}' is not a date: write the day as YYYY-MM-DD (2026-03-14).")
            return
        minutes = values["duration"]
        fields: dict[str, Any] = {
            "held_on": held_on,
            "language": values["language"],
            "interpreter": values["interpreter"],
            "place": values["place"],
            "duration_minutes": int(minutes) if minutes.isdigit() else None,
            "wellbeing_notes": values["wellbeing"],
        }
        if self.meeting is not None:
            before = self._baseline()
            names = dict(
                zip(
                    fields, ("date", "language", "interpreter", "place", "duration", "wellbeing"), strict=True
                )
            )
            fields = {key: value for key, value in fields.items() if values[names[key]] != before[names[key]]}
            if not fields:
                self.dismiss(None)
                return
        self._save(fields)

    def _error(self, text: str) -> None:
        self.query_one("#m-error", Static).update(Text(text))

    @work(thread=True, exclusive=True, group="meeting-form", exit_on_error=False)
    def _save(self, fields: dict[str, Any]) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.narrative_meetings import add_meeting, update_meeting
        from trpkit.tui.tabs.narrative_state import in_session

        app: Any = self.app
        m = self.meeting
        try:
            if m is None:
                row = in_session(app.database, lambda s: add_meeting(s, app.actor, self.case_code, **fields))
            else:
                row = in_session(
                    app.database,
                    lambda s: update_meeting(
                        s, app.actor, self.case_code, m.id, expected_version=m.version, **fields
                    ),
                )
        except TrpkitError as exc:
            app.call_from_thread(self._error, f"Not saved: {friendly_error(exc)}")
            return
        if self.recovered is not None:
            from trpkit.services.form_drafts import discard_form_draft

            in_session(
                app.database, lambda s: discard_form_draft(s, app.actor, self.case_code, MEETING_DRAFT)
            )
        app.call_from_thread(self.dismiss, row)
