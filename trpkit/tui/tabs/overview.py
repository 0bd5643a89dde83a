"""The Person tab: who the person is, how to reach them safely; edits are saved with a version check."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, Static

from trpkit.domain.vocab import CaseStatus, CriminalCaseStatus, ExploitationSector, LawEnforcementCooperation
from trpkit.services.cases import CaseDetail
from trpkit.tui.tabs.base import CaseTab

PERSON_INPUTS = [
    ("legal_name", "Legal name"), ("preferred_name", "Preferred name"), ("birth_date_text", "Date of birth"),
    ("gender", "Gender (as the person describes it)"), ("nationality", "Nationality (two letters)"),
    ("languages", "Languages"), ("interpreter_needs", "Interpreter needs"), ("contact", "Contact"),
    ("safe_contact_instructions", "Safe-contact instructions"), ("immigration_status", "Immigration status"),
    ("uci", "IRCC UCI"),
]
CASE_SELECTS = [
    ("status", "Status", CaseStatus), ("exploitation_sector", "Sector", ExploitationSector),
    ("law_enforcement_cooperation", "Police involvement", LawEnforcementCooperation),
    ("criminal_case_status", "Criminal case", CriminalCaseStatus),
]


@dataclass
class CaseLoaded(Message):
    detail: CaseDetail


@dataclass
class SaveFailed(Message):
    reason: str
    conflict: bool


class OverviewTab(CaseTab):
    TITLE = "Person"
    DEFAULT_CSS = """
    OverviewTab VerticalScroll { padding: 0 1; }
    OverviewTab Grid { grid-size: 2; grid-gutter: 0 2; height: auto; grid-rows: 4; }
    OverviewTab Grid > Vertical { height: 4; }
    #overview-message { height: auto; }
    OverviewTab Horizontal { height: auto; }
    """

    def __init__(self, case_code: str, *, id: str | None = None) -> None:
        super().__init__(case_code, id=id)
        self.detail: CaseDetail | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("", id="overview-message")
            with Grid():
                for name, label, enum in CASE_SELECTS:
                    with Vertical():
                        yield Label(label)
                        yield Select([(m.value.replace("_", " "), m.value) for m in enum], allow_blank=False,
                                     id=f"f-{name}")
                for name, label in PERSON_INPUTS:
                    with Vertical():
                        yield Label(label)
                        yield Input(id=f"f-{name}")
            with Horizontal():
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Reload", id="reload")

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="overview", exit_on_error=False)
    def _load(self) -> None:
        from trpkit.services.cases import get_case

        with self.database.session() as session:
            detail = get_case(session, self.actor, self.case_code)
        self.post_message(CaseLoaded(detail))

    @on(CaseLoaded)
    def _show(self, message: CaseLoaded) -> None:
        self.detail = detail = message.detail
        person = detail.person
        for name, _label, _enum in CASE_SELECTS:
            self.query_one(f"#f-{name}", Select).value = getattr(detail, name)
        for name, _label in PERSON_INPUTS:
            value = getattr(person, name)
            self.query_one(f"#f-{name}", Input).value = ", ".join(value) if isinstance(value, tuple) else str(value)
        self.screen.sub_title = (
            f"{detail.code} — {person.name or 'name not recorded'} — {detail.status} (version {detail.version})")

    @on(Button.Pressed, "#reload")
    def _reload_pressed(self) -> None:
        self.reload()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self.detail is None:
            return
        detail = self.detail
        case_values = {}
        for name, _label, _enum in CASE_SELECTS:
            value = str(self.query_one(f"#f-{name}", Select).value)
            if value != getattr(detail, name):
                case_values[name] = value
        person = {}
        for name, _label in PERSON_INPUTS:
            value = self.query_one(f"#f-{name}", Input).value
            old = getattr(detail.person, name)
            old_text = ", ".join(old) if isinstance(old, tuple) else str(old)
            if value != old_text:
                person[name] = value
        if not case_values and not person:
            self.query_one("#overview-message", Static).update("Nothing changed.")
            return
        self._save(detail.version, case_values, person)

    @work(thread=True, exclusive=True, group="overview-save", exit_on_error=False)
    def _save(self, version: int, case_values: dict[str, str], person: dict[str, str]) -> None:
        from trpkit.errors import ConflictError, TrpkitError
        from trpkit.services.cases import update_case

        try:
            with self.database.session() as session:
                detail = update_case(session, self.actor, self.case_code, expected_version=version,
                                     person=person, **case_values)
        except ConflictError as exc:
            self.post_message(SaveFailed(str(exc), True))
            return
        except TrpkitError as exc:
            self.post_message(SaveFailed(str(exc), False))
            return
        self.post_message(CaseLoaded(detail))
        self.app.call_from_thread(self.app.notify, f"{detail.code} saved.")

    @on(SaveFailed)
    def _failed(self, message: SaveFailed) -> None:
        note = " Your typing is still in the form: press Reload to see their version." if message.conflict else ""
        self.query_one("#overview-message", Static).update(f"[b red]Not saved:[/] {message.reason}{note}")
