"""The Applications tab's saves: a new application, a stage reached, IRCC's decision, and the clock's facts
(each in one unit of work through a service), then what to say and a reload.

A base of ApplicationsTab (which holds the tables and shows them), kept here so each module has one job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.message import Message
from textual.widgets import Button, Checkbox, DataTable, Input, Select, Static

from trpkit.presenters import applications as app_words
from trpkit.presenters import clock as clock_words
from trpkit.services.applications_views import ApplicationDetail
from trpkit.services.clock_view import ContinuityView
from trpkit.tui.tabs.base import CaseTab

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass
class ApplicationChanged(Message):
    """An application or decision was saved (the dashboard's deadlines change with it)."""

    case_code: str
    ref: str
    text: str


def _date(value: str, what: str, required: bool = False) -> date | None:
    value = value.strip()
    if not value:
        if required:
            raise ValueError(f"{what}: give a date as YYYY-MM-DD")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{what} '{value}' is not a date: use YYYY-MM-DD") from None


class ApplicationSaving(CaseTab):
    """Saving handlers of the ApplicationsTab, which derives from this (through ClockFactsForms)."""

    applications: list[ApplicationDetail]
    continuity: ContinuityView | None

    def selected_ref(self) -> str | None:
        table = self.query_one("#apps-table", DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def selected(self) -> ApplicationDetail | None:
        ref = self.selected_ref()
        return next((a for a in self.applications if a.ref == ref), None)

    # -- actions ------------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.query_one("#apps-message", Static).update(text)

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    @on(Button.Pressed, "#a-new")
    def _new(self) -> None:
        kind = self.query_one("#a-type", Select).value
        if kind is Select.NULL:
            self._say("Choose the type of application.")
            return
        try:
            submitted = _date(self._value("#a-submitted"), "Submitted on")
        except ValueError as exc:
            self._say(str(exc))
            return
        self._save("new", {"type": str(kind), "submitted_on": submitted})

    @on(Button.Pressed, "#a-advance")
    def _advance(self) -> None:
        app = self.selected()
        stage = self.query_one("#a-stage", Select).value
        if app is None or stage is Select.NULL:
            self._say("Select an application in the table and choose the stage it reached.")
            return
        try:
            values = {
                "ref": app.ref,
                "stage": str(stage),
                "on": _date(self._value("#a-on"), "On"),
                "due_on": _date(self._value("#a-due"), "Due"),
            }
        except ValueError as exc:
            self._say(str(exc))
            return
        self._save("advance", values)

    @on(Button.Pressed, "#d-record")
    def _decide(self) -> None:
        app = self.selected()
        outcome = self.query_one("#d-outcome", Select).value
        if app is None or outcome is Select.NULL:
            self._say("Select an application in the table and choose the outcome.")
            return
        try:
            values = {
                "ref": app.ref,
                "outcome": str(outcome),
                "decided_on": _date(self._value("#d-on"), "Decided on", required=True),
                "validity_end_on": _date(self._value("#d-valid-to"), "Valid to"),
                "officer_label": self._value("#d-officer"),
                "refusal_reasons": [c.strip() for c in self._value("#d-reasons").split(",") if c.strip()],
            }
        except ValueError as exc:
            self._say(str(exc))
            return
        self._save("decide", values)

    @work(thread=True, exclusive=True, group="applications-save", exit_on_error=False)
    def _save(self, action: str, values: dict[str, Any]) -> None:
        from trpkit.errors import TrpkitError

        try:
            text, ref = self.database.run(lambda session: self._apply(session, action, dict(values)))
        except TrpkitError as exc:
            self.app.call_from_thread(self._say, f"[b red]Not saved:[/] {exc}")
            return
        self.post_message(ApplicationChanged(self.case_code, ref, text))

    def _apply(self, session: Session, action: str, values: dict[str, Any]) -> tuple[str, str]:
        """One save in one unit of work (re-run from the start if the vault was busy): what to say, and
        the application it concerns ("" for the clock's facts)."""
        from trpkit.services.applications import advance, create_application
        from trpkit.services.clock_facts import add_absence, remove_absence, set_ground, update_absence
        from trpkit.services.decisions import record_decision

        actor, code = self.actor, self.case_code
        if action == "ground":
            return clock_words.ground_saved(set_ground(session, actor, code, **values)), ""
        if action == "absence_add":
            return clock_words.absence_recorded(add_absence(session, actor, code, **values)), ""
        if action == "absence_return":
            trip = update_absence(session, actor, code, values.pop("absence_id"), **values)
            return f"Absence #{trip.id}: back on {trip.returned_on}.", ""
        if action == "absence_remove":
            remove_absence(session, actor, code, values["absence_id"])
            return f"Absence #{values['absence_id']} removed.", ""
        if action == "new":
            detail = create_application(session, actor, code, **values)
            return app_words.added(detail), detail.ref
        if action == "advance":
            moved = advance(session, actor, values.pop("ref"), **values)
            return app_words.advanced(moved), moved.ref
        decision = record_decision(session, actor, values.pop("ref"), **values)
        return app_words.decided(decision), decision.ref

    @on(ApplicationChanged)
    def _changed(self, message: ApplicationChanged) -> None:
        self._say(message.text)
        for selector in (
            "#a-submitted",
            "#a-on",
            "#a-due",
            "#d-on",
            "#d-valid-to",
            "#d-reasons",
            "#c-left",
            "#c-returned",
            "#c-note",
            "#c-ground-note",
        ):
            self.query_one(selector, Input).value = ""
        self.query_one("#c-authorized", Checkbox).value = False
        self.reload()
