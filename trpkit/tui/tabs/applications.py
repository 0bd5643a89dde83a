"""The Applications tab: every application of the case with its history and decision, the
permit-holder clock, and forms to add an application, move it on, and record IRCC's decision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from trpkit.domain.applications import NEXT_STAGES, OUTCOME_LABELS, STAGE_LABELS, TYPE_LABELS
from trpkit.services.applications import ApplicationDetail
from trpkit.services.deadlines import ContinuityView
from trpkit.tui.tabs.base import CaseTab


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


class ApplicationsTab(CaseTab):
    TITLE = "Applications"
    DEFAULT_CSS = """
    ApplicationsTab #apps-table { height: 8; }
    ApplicationsTab #app-detail { height: 1fr; min-height: 6; padding: 0 1; border-top: solid $primary-darken-3; }
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
        yield Static("No application yet.", id="app-detail")
        with Vertical(id="apps-forms"):
            with Horizontal():
                yield Label("New:")
                yield Select([(label, value) for value, label in TYPE_LABELS.items()], prompt="Type", id="a-type")
                yield Input(placeholder="Submitted on (YYYY-MM-DD, empty = draft)", id="a-submitted")
                yield Button("Add", id="a-new")
            with Horizontal():
                yield Label("Move on:")
                yield Select([(label, value) for value, label in STAGE_LABELS.items()
                              if value not in ("draft", "decided")], prompt="Stage", id="a-stage")
                yield Input(placeholder="On (default today)", id="a-on")
                yield Input(placeholder="Due / interview date", id="a-due")
                yield Button("Advance", id="a-advance")
            with Horizontal():
                yield Label("Decision:")
                yield Select([(label, value) for value, label in OUTCOME_LABELS.items()], prompt="Outcome",
                             id="d-outcome")
                yield Input(placeholder="Decided on", id="d-on")
                yield Input(placeholder="Valid to", id="d-valid-to")
                yield Input(placeholder="Officer label (e.g. VAN-03)", id="d-officer")
                yield Input(placeholder="Reason codes, comma-separated", id="d-reasons")
                yield Button("Record", variant="primary", id="d-record")
        yield Static("", id="apps-message")

    # -- loading ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        # The app's stylesheet makes every DataTable 1fr high; this one is a short list above the detail.
        self.query_one("#apps-table", DataTable).styles.height = 8
        super().on_mount()

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="applications", exit_on_error=False)
    def _load(self) -> None:
        from trpkit.services.applications import case_applications
        from trpkit.services.deadlines import continuity

        with self.database.session() as session:
            apps = case_applications(session, self.actor, self.case_code)
            clock = continuity(session, self.actor, self.case_code, record=False) if apps else None
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
            table.add_row(app.ref, app.type_label, app.stage_label, str(app.stage_since), str(app.submitted_on or ""),
                          d.outcome_label if d else "", str(d.validity_end or "") if d else "", key=app.ref)
        if selected and any(a.ref == selected for a in self.applications):
            table.move_cursor(row=table.get_row_index(selected))
        self._show_detail()

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
            lines.append(f"[b]{app.ref}[/b] {TYPE_LABELS.get(app.type, app.type)} — {app.stage_label}"
                         + (f"; office {app.ircc_office}" if app.ircc_office else "")
                         + (f"; file {app.file_number}" if app.file_number else "")
                         + (f"; policy period {app.policy_period}" if app.policy_period else ""))
            for event in app.events:
                due = f" (due {event.due_on})" if event.due_on else ""
                lines.append(f"  {event.occurred_on}  {STAGE_LABELS.get(event.stage, event.stage)}{due}"
                             + (f" — {event.note}" if event.note else ""))
            d = app.decision
            if d is not None:
                lines.append(f"  Decision: [b]{d.outcome_label}[/b] on {d.decided_on}"
                             + (f", valid {d.validity_start} to {d.validity_end} ({d.duration_granted_days} days)"
                                if d.validity_end else "")
                             + (f", officer {d.officer_label}" if d.officer_label else ""))
                if d.refusal_reason_labels:
                    lines.append("  Reasons: " + "; ".join(d.refusal_reason_labels))
            nexts = NEXT_STAGES.get(app.stage, ())
            if nexts:
                lines.append("  Next: " + ", ".join(STAGE_LABELS[s] for s in nexts) + " — or record the decision")
        if self.continuity is not None and self.continuity.clock.continuous_since is not None:
            c = self.continuity.clock
            lines.append(f"Permit holder clock ({c.required_years} years): continuous since {c.continuous_since}, "
                         f"{c.accrued_days} days" + (f"; reached on {c.eligible_on}" if c.eligible_on else ""))
            lines.extend(f"  [yellow]![/] {w}" for w in c.warnings)
        self.query_one("#app-detail", Static).update("\n".join(lines))

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
            values = {"ref": app.ref, "stage": str(stage), "on": _date(self._value("#a-on"), "On"),
                      "due_on": _date(self._value("#a-due"), "Due")}
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
            values = {"ref": app.ref, "outcome": str(outcome),
                      "decided_on": _date(self._value("#d-on"), "Decided on", required=True),
                      "validity_end_on": _date(self._value("#d-valid-to"), "Valid to"),
                      "officer_label": self._value("#d-officer"),
                      "refusal_reasons": [c.strip() for c in self._value("#d-reasons").split(",") if c.strip()]}
        except ValueError as exc:
            self._say(str(exc))
            return
        self._save("decide", values)

    @work(thread=True, exclusive=True, group="applications-save", exit_on_error=False)
    def _save(self, action: str, values: dict[str, Any]) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.applications import advance, create_application
        from trpkit.services.decisions import record_decision

        try:
            with self.database.session() as session:
                if action == "new":
                    detail = create_application(session, self.actor, self.case_code, **values)
                    text = f"Added {detail.ref} ({detail.stage_label})."
                    ref = detail.ref
                elif action == "advance":
                    moved = advance(session, self.actor, values.pop("ref"), **values)
                    text, ref = f"{moved.ref}: {moved.stage_label} since {moved.stage_since}.", moved.ref
                else:
                    decision = record_decision(session, self.actor, values.pop("ref"), **values)
                    text = f"{decision.ref}: {decision.outcome_label} on {decision.decided_on}" + (
                        f", valid to {decision.validity_end}." if decision.validity_end else ".")
                    ref = decision.ref
        except TrpkitError as exc:
            self.app.call_from_thread(self._say, f"[b red]Not saved:[/] {exc}")
            return
        self.post_message(ApplicationChanged(self.case_code, ref, text))

    @on(ApplicationChanged)
    def _changed(self, message: ApplicationChanged) -> None:
        self._say(message.text)
        for selector in ("#a-submitted", "#a-on", "#a-due", "#d-on", "#d-valid-to", "#d-reasons"):
            self.query_one(selector, Input).value = ""
        self.reload()
