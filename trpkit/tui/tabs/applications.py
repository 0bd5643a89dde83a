"""The Applications tab: every application of the case with its history and decision, the
permit-holder clock (with the ground of inadmissibility and the absences from Canada it counts with),
and forms to add an application, move it on, record IRCC's decision, and record the clock's facts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

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
from trpkit.tui.tabs.applications_clock import GROUND_CHOICES, ClockFactsForms


@dataclass
class ApplicationsLoaded(Message):
    applications: list[ApplicationDetail]
    continuity: ContinuityView | None


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


class ApplicationsTab(ClockFactsForms):
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
