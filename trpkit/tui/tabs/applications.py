"""The Applications tab: every application of the case with its history and decision, the
permit-holder clock (with the ground of inadmissibility and the absences from Canada it counts with),
and forms to add an application, move it on, record IRCC's decision, and record the clock's facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Checkbox, DataTable, Input, Label, Select, Static

from trpkit.domain.applications import NEXT_STAGES, OUTCOME_LABELS, STAGE_LABELS, TYPE_LABELS
from trpkit.services.applications import ApplicationDetail
from trpkit.services.deadlines import ContinuityView
from trpkit.tui.tabs.base import CaseTab
from trpkit.tui.words import rules_in_force


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
EFFECT_WORDS = {
    "break": "broke continuity",
    "counted_with_warning": "counted; may not count",
    "before_run": "before the current run",
    "after_mark": "after the mark",
    "while_stopped": "clock already stopped",
}


class ApplicationsTab(CaseTab):
    TITLE = "Applications"
    BINDINGS: ClassVar[list[Binding]] = [Binding("ctrl+g", "focus_clock", "Clock facts", show=True)]
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
        table.add_columns("Application", "Type", "Stage", "Since", "Submitted", "Decision", "Valid to")
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
            trips.add_columns("Absence", "Left", "Returned", "Days abroad", "Authorized", "Effect", "Note")
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
        from trpkit.services.deadlines import continuity

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
            d = app.decision
            table.add_row(
                app.ref,
                app.type_label,
                app.stage_label,
                str(app.stage_since),
                str(app.submitted_on or ""),
                d.outcome_label if d else "",
                str(d.validity_end or "") if d else "",
                key=app.ref,
            )
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
        lines: list[str] = []
        if app is None:
            lines.append("No application yet: add one below.")
        else:
            lines.append(
                f"[b]{app.ref}[/b] {TYPE_LABELS.get(app.type, app.type)} — {app.stage_label}"
                + (f"; office {app.ircc_office}" if app.ircc_office else "")
                + (f"; file {app.file_number}" if app.file_number else "")
                + (f"; {rules_in_force(app.policy_period)}" if app.policy_period else "")
            )
            for event in app.events:
                due = f" (due {event.due_on})" if event.due_on else ""
                lines.append(
                    f"  {event.occurred_on}  {STAGE_LABELS.get(event.stage, event.stage)}{due}"
                    + (f" — {escape(event.note)}" if event.note else "")
                )
            d = app.decision
            if d is not None:
                lines.append(
                    f"  Decision: [b]{d.outcome_label}[/b] on {d.decided_on}"
                    + (
                        f", valid {d.validity_start} to {d.validity_end} ({d.duration_granted_days} days)"
                        if d.validity_end
                        else ""
                    )
                    + (f", officer {d.officer_label}" if d.officer_label else "")
                )
                if d.refusal_reason_labels:
                    lines.append("  Reasons: " + "; ".join(d.refusal_reason_labels))
            nexts = NEXT_STAGES.get(app.stage, ())
            if nexts:
                lines.append(
                    "  Next: " + ", ".join(STAGE_LABELS[s] for s in nexts) + " — or record the decision"
                )
        self.query_one("#app-detail", Static).update("\n".join(lines))

    def _show_clock(self) -> None:
        view = self.continuity
        facts = self.query_one("#clock-facts", Static)
        trips = self.query_one("#clock-absences", DataTable)
        selected = self.selected_absence()
        trips.clear()
        if view is None:
            facts.update("Permit holder clock: not loaded.")
            return
        c = view.clock
        ground = view.ground
        who = (
            (
                f" — recorded by {escape(ground.recorded_by)} on {ground.recorded_at:%Y-%m-%d}"
                + (f" ({escape(ground.note)})" if ground.note else "")
            )
            if ground.version and ground.recorded_at
            else ""
        )
        lines = [f"[b]Permit holder clock[/b] ({c.required_years} years). Ground: {ground.label}{who}"]
        if c.continuous_since is not None:
            lines.append(
                f"  Continuous since {c.continuous_since}, {c.accrued_days} days"
                + (f"; reached on [b]{c.eligible_on}[/b]" if c.eligible_on else "")
                + (
                    f" ({c.eligible_on_without_abroad} if time abroad does not count)"
                    if c.eligible_on_without_abroad
                    else ""
                )
            )
        elif view.permits:
            lines.append("  [b red]Clock stopped[/]: no unbroken run of TRPs today.")
        else:
            lines.append("  No TRP granted yet.")
        lines.extend(f"  [yellow]![/] {escape(w)}" for w in c.warnings)
        if c.rules_applied:
            from trpkit.loading.clock_rules import rule_statuses  # reads the data file: pydantic only now

            statuses = rule_statuses()
            lines.append(
                "  Rules used: "
                + "; ".join(f"{r.replace('_', ' ')} ({statuses[r][0]})" for r in c.rules_applied)
                + " — confirmed: read in the regulation or IRCC's instructions; unconfirmed: "
                "trpkit's interpretation, check it"
            )
        facts.update("\n".join(lines))
        effects = {(e.left_on, e.returned_on): e.effect for e in c.absences}
        for trip in view.absences:
            trips.add_row(
                f"#{trip.id}",
                str(trip.left_on),
                str(trip.returned_on or "still away"),
                str(trip.days_abroad),
                "yes" if trip.authorized else "no",
                EFFECT_WORDS.get(effects.get((trip.left_on, trip.returned_on), ""), ""),
                Text(trip.note),
                key=str(trip.id),
            )
        if selected is not None and any(t.id == selected for t in view.absences):
            trips.move_cursor(row=trips.get_row_index(str(selected)))
        if ground.version:
            self.query_one("#c-ground", Select).value = ground.ground

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
        from trpkit.services.applications import advance, create_application
        from trpkit.services.clock_facts import add_absence, remove_absence, set_ground, update_absence
        from trpkit.services.decisions import record_decision

        try:
            with self.database.session() as session:
                if action == "ground":
                    saved = set_ground(session, self.actor, self.case_code, **values)
                    text, ref = f"Ground saved: {saved.label}.", ""
                elif action == "absence_add":
                    trip = add_absence(session, self.actor, self.case_code, **values)
                    text, ref = f"Absence #{trip.id} recorded ({trip.days_abroad} day(s) abroad).", ""
                elif action == "absence_return":
                    trip = update_absence(
                        session, self.actor, self.case_code, values.pop("absence_id"), **values
                    )
                    text, ref = f"Absence #{trip.id}: back on {trip.returned_on}.", ""
                elif action == "absence_remove":
                    remove_absence(session, self.actor, self.case_code, values["absence_id"])
                    text, ref = f"Absence #{values['absence_id']} removed.", ""
                elif action == "new":
                    detail = create_application(session, self.actor, self.case_code, **values)
                    text = f"Added {detail.ref} ({detail.stage_label})."
                    ref = detail.ref
                elif action == "advance":
                    moved = advance(session, self.actor, values.pop("ref"), **values)
                    text, ref = f"{moved.ref}: {moved.stage_label} since {moved.stage_since}.", moved.ref
                else:
                    decision = record_decision(session, self.actor, values.pop("ref"), **values)
                    text = f"{decision.ref}: {decision.outcome_label} on {decision.decided_on}" + (
                        f", valid to {decision.validity_end}." if decision.validity_end else "."
                    )
                    ref = decision.ref
        except TrpkitError as exc:
            self.app.call_from_thread(self._say, f"[b red]Not saved:[/] {exc}")
            return
        self.post_message(ApplicationChanged(self.case_code, ref, text))

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
