"""The Applications tab: every application of the case with its history and decision, the
permit-holder clock (with the ground of inadmissibility and the absences from Canada it counts with),
and forms to add an application, move it on, record IRCC's decision, and record the clock's facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Checkbox, DataTable, Input, Label, Select, Static

from trpkit.domain.applications import OUTCOME_LABELS, STAGE_LABELS, TYPE_LABELS
from trpkit.presenters import applications as app_words
from trpkit.presenters import clock as clock_words
from trpkit.services.applications_views import ApplicationDetail
from trpkit.services.clock_view import ContinuityView
from trpkit.tui.tabs.base import CaseTab

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass
class ApplicationsLoaded(Message):
    applications: list[ApplicationDetail]
    continuity: ContinuityView | None


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


GROUND_CHOICES = [
    ("Health grounds only (3 years)", "health"),
    ("Other grounds (5 years)", "other"),
    ("Not known (5 years counted)", "unknown"),
]


def _lines(lines: list[str], stopped: str = "") -> Text:
    """Presenter lines as shown: the first in bold, warnings and a stopped clock in colour."""
    text = Text()
    for index, line in enumerate(lines):
        style = "bold" if index == 0 else ""
        if line == stopped:
            style = "bold red"
        elif line.startswith("! "):
            style = "yellow"
        text.append(("\n" if index else "") + line, style=style)
    return text


class ApplicationsTab(CaseTab):
    TITLE = "Applications"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+g", "focus_clock", "Clock facts", show=True)]
    DEFAULT_CSS = """
    ApplicationsTab #apps-table { height: 8; }
    ApplicationsTab #clock-section { height: auto; padding: 0 1; border-top: solid $primary-darken-3; }
    ApplicationsTab #clock-section Horizontal { height: auto; }
    ApplicationsTab #clock-absences { height: 5; }
    ApplicationsTab Checkbox { width: auto; }
    ApplicationsTab #apps-scroll { height: 1fr; }
    ApplicationsTab #app-detail { height: auto; min-height: 6; padding: 0 1; border-top: solid $primary-darken-3; }
    ApplicationsTab.-narrow #apps-forms Horizontal, ApplicationsTab.-narrow #clock-section Horizontal {
        layout: grid; grid-size: 3; grid-columns: 12 1fr 1fr; grid-gutter: 0 1; grid-rows: 3; height: auto;
    }
    ApplicationsTab.-narrow Label { padding: 1 0 0 0; }
    ApplicationsTab #apps-forms { height: auto; padding: 0 1; }
    ApplicationsTab #apps-forms Horizontal { height: auto; }
    ApplicationsTab Select { width: 1fr; }
    ApplicationsTab Input { width: 1fr; }
    ApplicationsTab Label { padding: 1 1 0 0; }
    #apps-message { height: auto; padding: 0 1; }
    """

    def __init__(self, case_code: str, *, id: str | None = None) -> None:
        super().__init__(case_code, id=id)
        self.applications: list[ApplicationDetail] = []
        self.continuity: ContinuityView | None = None

    def compose(self) -> ComposeResult:
        table: DataTable[str] = DataTable(id="apps-table", cursor_type="row")
        table.add_columns(*app_words.LIST_HEADERS)
        yield table
        # Below the list everything scrolls (Tab moves through the forms and brings each into view).
        with VerticalScroll(id="apps-scroll"):
            yield from self._below_the_list()
        yield Static("", id="apps-message")

    def on_resize(self) -> None:
        # Under 120 columns the form rows lay their fields out in a grid instead of one cramped line.
        self.set_class(self.size.width < 120, "-narrow")

    def _below_the_list(self) -> ComposeResult:
        yield Static("No application yet.", id="app-detail")
        with Vertical(id="clock-section"):
            yield Static("Permit holder clock: loading…", id="clock-facts")
            trips: DataTable[str | Text] = DataTable(id="clock-absences", cursor_type="row")
            trips.add_columns(*clock_words.ABSENCE_HEADERS)
            yield trips
            with Horizontal():
                yield Label("Ground:")
                yield Select(GROUND_CHOICES, prompt="Ground of inadmissibility", id="c-ground")
                yield Input(placeholder="Where it comes from (e.g. IRCC letter of …)", id="c-ground-note")
                yield Button("Save ground", id="c-ground-save")
            with Horizontal():
                yield Label("Absence:")
                yield Input(placeholder="Left YYYY-MM-DD", id="c-left")
                yield Input(placeholder="Back (empty: away)", id="c-returned")
                yield Checkbox("TRP authorized it", id="c-authorized")
                yield Input(placeholder="Note (no names)", id="c-note")
                yield Button("Add", id="c-add")
                yield Button("Set return", id="c-return")
                yield Button("Remove", variant="error", id="c-remove")
        with Vertical(id="apps-forms"):
            with Horizontal():
                yield Label("New:")
                yield Select(
                    [(label, value) for value, label in TYPE_LABELS.items()], prompt="Type", id="a-type"
                )
                yield Input(placeholder="Submitted on (YYYY-MM-DD, empty = draft)", id="a-submitted")
                yield Button("Add", id="a-new")
            with Horizontal():
                yield Label("Move on:")
                yield Select(
                    [
                        (label, value)
                        for value, label in STAGE_LABELS.items()
                        if value not in ("draft", "decided")
                    ],
                    prompt="Stage",
                    id="a-stage",
                )
                yield Input(placeholder="On (default today)", id="a-on")
                yield Input(placeholder="Due / interview date", id="a-due")
                yield Button("Advance", id="a-advance")
            with Horizontal():
                yield Label("Decision:")
                yield Select(
                    [(label, value) for value, label in OUTCOME_LABELS.items()],
                    prompt="Outcome",
                    id="d-outcome",
                )
                yield Input(placeholder="Decided on", id="d-on")
                yield Input(placeholder="Valid to", id="d-valid-to")
                yield Input(placeholder="Officer label (e.g. VAN-03)", id="d-officer")
                yield Input(placeholder="Reason codes, comma-separated", id="d-reasons")
                yield Button("Record", variant="primary", id="d-record")

    # -- loading ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        # The app's stylesheet makes every DataTable 1fr high; these are short lists.
        apps = self.query_one("#apps-table", DataTable)
        apps.styles.height, apps.styles.max_height = "auto", 8
        self.query_one("#clock-absences", DataTable).styles.height = 5
        super().on_mount()

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="applications", exit_on_error=False)
    def _load(self) -> None:
        from trpkit.services.applications import case_applications
        from trpkit.services.clock_view import continuity

        with self.database.session() as session:
            apps = case_applications(session, self.actor, self.case_code)
            clock = continuity(session, self.actor, self.case_code, record=False)
        self.post_message(ApplicationsLoaded(apps, clock))

    @on(ApplicationsLoaded)
    def _show(self, message: ApplicationsLoaded) -> None:
        self.applications = message.applications
        self.continuity = message.continuity
        table = self.query_one("#apps-table", DataTable)
        selected = self.selected_ref()
        table.clear()
        for app in self.applications:
            table.add_row(*app_words.list_row(app), key=app.ref)
        if selected and any(a.ref == selected for a in self.applications):
            table.move_cursor(row=table.get_row_index(selected))
        self._show_detail()
        self._show_clock()

    def selected_ref(self) -> str | None:
        table = self.query_one("#apps-table", DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def selected(self) -> ApplicationDetail | None:
        ref = self.selected_ref()
        return next((a for a in self.applications if a.ref == ref), None)

    @on(DataTable.RowHighlighted, "#apps-table")
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        app = self.selected()
        detail = self.query_one("#app-detail", Static)
        if app is None:
            detail.update("No application yet: add one below.")
        else:
            detail.update(_lines(app_words.application_lines(app)))

    def _show_clock(self) -> None:
        view = self.continuity
        facts = self.query_one("#clock-facts", Static)
        trips = self.query_one("#clock-absences", DataTable)
        selected = self.selected_absence()
        trips.clear()
        if view is None:
            facts.update("Permit holder clock: not loaded.")
            return
        facts.update(_lines(clock_words.clock_lines(view), stopped=clock_words.STOPPED))
        for cells, trip in zip(clock_words.absence_rows(view), view.absences, strict=True):
            trips.add_row(*cells[:-1], Text(cells[-1]), key=str(trip.id))
        if selected is not None and any(t.id == selected for t in view.absences):
            trips.move_cursor(row=trips.get_row_index(str(selected)))
        if view.ground.version:
            self.query_one("#c-ground", Select).value = view.ground.ground

    def selected_absence(self) -> int | None:
        trips = self.query_one("#clock-absences", DataTable)
        if not trips.row_count:
            return None
        return int(str(trips.coordinate_to_cell_key(trips.cursor_coordinate).row_key.value))

    def action_focus_clock(self) -> None:
        """Jump to the clock's facts: the ground first."""
        self.query_one("#c-ground", Select).focus()

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

    @on(Button.Pressed, "#c-ground-save")
    def _save_ground(self) -> None:
        ground = self.query_one("#c-ground", Select).value
        if ground is Select.NULL:
            self._say("Choose the ground of inadmissibility (health grounds only, other, or not known).")
            return
        version = self.continuity.ground.version if self.continuity is not None else None
        self._save(
            "ground",
            {"ground": str(ground), "note": self._value("#c-ground-note"), "expected_version": version},
        )

    @on(Button.Pressed, "#c-add")
    @on(Input.Submitted, "#c-left, #c-returned, #c-note")
    def _add_absence(self) -> None:
        try:
            left = _date(self._value("#c-left"), "Left on", required=True)
            back = _date(self._value("#c-returned"), "Returned on")
        except ValueError as exc:
            self._say(str(exc))
            return
        self._save(
            "absence_add",
            {
                "left_on": left,
                "returned_on": back,
                "authorized": self.query_one("#c-authorized", Checkbox).value,
                "note": self._value("#c-note"),
            },
        )

    def _absence_version(self, absence_id: int) -> int | None:
        if self.continuity is None:
            return None
        return next((t.version for t in self.continuity.absences if t.id == absence_id), None)

    @on(Button.Pressed, "#c-return")
    def _set_return(self) -> None:
        absence_id = self.selected_absence()
        if absence_id is None:
            self._say("Select an absence in the list, type the return date, then press Set return.")
            return
        try:
            back = _date(self._value("#c-returned"), "Returned on", required=True)
        except ValueError as exc:
            self._say(str(exc))
            return
        self._save(
            "absence_return",
            {
                "absence_id": absence_id,
                "returned_on": back,
                "expected_version": self._absence_version(absence_id),
            },
        )

    @on(Button.Pressed, "#c-remove")
    def _remove_absence(self) -> None:
        absence_id = self.selected_absence()
        if absence_id is None:
            self._say("Select the absence to remove in the list.")
            return
        from trpkit.tui.screens.confirm import ConfirmScreen

        trip = (
            next((t for t in self.continuity.absences if t.id == absence_id), None)
            if self.continuity
            else None
        )
        when = f" ({trip.left_on} to {trip.returned_on or 'still away'})" if trip else ""

        def answer(yes: bool | None) -> None:
            if yes:
                self._save("absence_remove", {"absence_id": absence_id})

        self.app.push_screen(
            ConfirmScreen(
                f"Remove absence #{absence_id}{when}? The clock is counted again without it.", yes="Remove"
            ),
            answer,
        )

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
