"""The Person tab: who the person is, how to reach them safely, and their dependants in Canada.

Edits are saved with a version check (ctrl+s saves the person's fields and the dependant form together).
Dependants table keys: enter edits the highlighted dependant, n starts a new one, delete removes one (asks first).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, Static

from trpkit.domain.dependants import from_stored_list
from trpkit.domain.vocab import CaseStatus, CriminalCaseStatus, ExploitationSector, LawEnforcementCooperation
from trpkit.services.cases import CaseDetail
from trpkit.services.dependants import DependantChange, DependantsView
from trpkit.services.form_drafts import FormDraftRow
from trpkit.tui.tabs.overview_dependants import (
    DEPENDANT_INPUTS,
    INCLUDE_CHOICES,
    RELATIONSHIP_CHOICES,
    DependantsLoaded,
    DependantsMixin,
    DependantsTable,
    SaveFailed,
)
from trpkit.tui.widgets.pickers import NamePicker, shown_as

DRAFT_FORM = "person"  # the name this tab's draft is kept under
PICKERS: dict[str, Any] = {"nationality": "country", "languages": "languages"}  # typed by name, kept as codes

PERSON_INPUTS = [
    ("legal_name", "Legal name"),
    ("preferred_name", "Preferred name"),
    ("birth_date_text", "Date of birth"),
    ("gender", "Gender (as the person describes it)"),
    ("nationality", "Nationality"),
    ("languages", "Languages"),
    ("interpreter_needs", "Interpreter needs"),
    ("contact", "Contact"),
    ("safe_contact_instructions", "Safe-contact instructions"),
    ("immigration_status", "Immigration status"),
    ("uci", "IRCC UCI"),
]
CASE_SELECTS = [
    ("status", "Status", CaseStatus),
    ("exploitation_sector", "Sector", ExploitationSector),
    ("law_enforcement_cooperation", "Police involvement", LawEnforcementCooperation),
    ("criminal_case_status", "Criminal case", CriminalCaseStatus),
]


def _shown(name: str, value: Any) -> str:
    """What a person field shows: countries and languages by name, lists comma-separated."""
    if name in PICKERS:
        return shown_as(PICKERS[name], value)
    return ", ".join(value) if isinstance(value, tuple) else str(value)


@dataclass
class CaseLoaded(Message):
    detail: CaseDetail
    draft: FormDraftRow | None = None  # changes kept when the app locked, offered back


class OverviewTab(DependantsMixin):
    TITLE = "Person"
    DEFAULT_CSS = """
    OverviewTab VerticalScroll { padding: 0 1; }
    OverviewTab Grid { grid-size: 2; grid-gutter: 0 2; height: auto; grid-rows: 4; }
    OverviewTab #person-form.-loading { visibility: hidden; }
    OverviewTab Grid > Vertical { height: auto; min-height: 4; }
    #overview-message { height: auto; }
    OverviewTab Horizontal { height: auto; }
    OverviewTab .section { text-style: bold; margin-top: 1; }
    OverviewTab .hint { color: $text-muted; }
    #dep-table { height: 3; }
    #dep-form-title, #dep-message { height: auto; margin-top: 1; }
    """

    def __init__(self, case_code: str, *, id: str | None = None) -> None:
        super().__init__(case_code, id=id)
        self.detail: CaseDetail | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("", id="overview-message")
            # Hidden (its room kept) until the case's own values are in it: a select shows its first
            # choice until then, and "sex trade" flashing on a labour case misinforms.
            with Grid(id="person-form", classes="-loading"):
                for name, label, enum in CASE_SELECTS:
                    with Vertical():
                        yield Label(label)
                        yield Select(
                            [(m.value.replace("_", " "), m.value) for m in enum],
                            allow_blank=False,
                            id=f"f-{name}",
                        )
                for name, label in PERSON_INPUTS:
                    with Vertical():
                        yield Label(label)
                        if name in PICKERS:
                            yield NamePicker(PICKERS[name], input_id=f"f-{name}")
                        else:
                            yield Input(id=f"f-{name}")
            with Horizontal():
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Reload", id="reload")
            yield Static("Dependants in Canada", classes="section")
            yield Static(
                "Family members in Canada who depend on the person. IRCC can issue them a permit too: "
                "mark who is to be included in the application. In the table: enter edits, n adds, "
                "delete removes.",
                classes="hint",
            )
            yield DependantsTable(id="dep-table", cursor_type="row", zebra_stripes=True)
            yield Static("New dependant", id="dep-form-title")
            with Grid(id="dep-form"):
                with Vertical():
                    yield Label("Name")
                    yield Input(id="dep-name")
                with Vertical():
                    yield Label("Relationship")
                    yield Select(RELATIONSHIP_CHOICES, prompt="How they are related", id="dep-relationship")
                for name, label in DEPENDANT_INPUTS[1:]:
                    with Vertical():
                        yield Label(label)
                        yield Input(id=f"dep-{name}")
                with Vertical():
                    yield Label("Include in the TRP application")
                    yield Select(INCLUDE_CHOICES, allow_blank=False, value="yes", id="dep-include")
            with Horizontal():
                yield Button("Save dependant (ctrl+s)", variant="primary", id="dep-save")
                yield Button("New dependant (n)", id="dep-new")
                yield Button("Remove dependant (delete)", variant="warning", id="dep-remove")
            yield Static("", id="dep-message")

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="overview", exit_on_error=False)
    def _load(self) -> None:
        from trpkit.services.cases import get_case
        from trpkit.services.form_drafts import get_form_draft

        detail, draft = self.database.run(
            lambda session: (
                get_case(session, self.actor, self.case_code),
                get_form_draft(session, self.actor, self.case_code, DRAFT_FORM),
            )
        )
        self.post_message(CaseLoaded(detail, draft))

    @on(CaseLoaded)
    def _show(self, message: CaseLoaded) -> None:
        self.detail = detail = message.detail
        person = detail.person
        for name, _label, _enum in CASE_SELECTS:
            self.query_one(f"#f-{name}", Select).value = getattr(detail, name)
        for name, _label in PERSON_INPUTS:
            self.query_one(f"#f-{name}", Input).value = _shown(name, getattr(person, name))
        self.screen.sub_title = f"{detail.code} — {person.name or 'name not recorded'} — {detail.status} (version {detail.version})"
        self.query_one("#person-form", Grid).remove_class("-loading")
        self._show_dependants(from_stored_list(person.dependants_in_canada), person.version)
        if message.draft is not None:
            self._offer_draft(message.draft)

    def _offer_draft(self, draft: FormDraftRow) -> None:
        """Put back what was typed and not saved when the app locked; it stays unsaved until ctrl+s."""
        for name, value in draft.values.get("case", {}).items():
            self.query_one(f"#f-{name}", Select).value = value
        for name, value in draft.values.get("person", {}).items():
            self.query_one(f"#f-{name}", Input).value = value
        self.query_one("#overview-message", Static).update(
            Text(
                f"Recovered changes not saved when the app locked ({draft.saved_at:%Y-%m-%d %H:%M} UTC): "
                "ctrl+s saves them, Reload drops them.",
                style="bold",
            )
        )

    def flush(self) -> None:
        """The app is locking: keep unsaved changes to the person's fields as a draft (offered back on
        unlocking), like the narrative editor does."""
        if self.detail is None:
            return
        values = {"case": self._case_changes(self.detail), "person": self._person_changes(self.detail)}
        if not values["case"] and not values["person"]:
            return
        from trpkit.services.form_drafts import save_form_draft

        self.database.run(
            lambda session: save_form_draft(session, self.actor, self.case_code, DRAFT_FORM, values)
        )

    @work(thread=True, group="overview-draft", exit_on_error=False)
    def _drop_draft(self) -> None:
        from trpkit.services.form_drafts import discard_form_draft

        self.database.run(lambda session: discard_form_draft(session, self.actor, self.case_code, DRAFT_FORM))

    @on(Button.Pressed, "#dep-save")
    def _save_dependant_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#reload")
    def _reload_pressed(self) -> None:
        """Reload: what is saved, dropping a recovered draft."""
        self._drop_draft()
        self.reload()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self.detail is None:
            return
        detail = self.detail
        case_values = self._case_changes(detail)
        person = self._person_changes(detail)
        dependant = self._dependant_changes()
        if not case_values and not person and not dependant:
            self.query_one("#overview-message", Static).update("Nothing changed.")
            return
        self._save(
            detail.version,
            case_values,
            person,
            self.person_version or detail.person.version,
            self.editing_id,
            dependant,
        )

    def _person_changes(self, detail: CaseDetail) -> dict[str, str]:
        return {
            name: value
            for name, _label in PERSON_INPUTS
            if (value := self.query_one(f"#f-{name}", Input).value)
            != _shown(name, getattr(detail.person, name))
        }

    def _case_changes(self, detail: CaseDetail) -> dict[str, str]:
        return {
            name: str(value)
            for name, _label, _enum in CASE_SELECTS
            if (value := self.query_one(f"#f-{name}", Select).value) != getattr(detail, name)
        }

    def has_unsaved(self) -> bool:
        """Typed but not saved: the person's fields, the case's choices or the dependant form."""
        if self.detail is None:
            return False
        detail = self.detail
        return bool(self._person_changes(detail) or self._case_changes(detail) or self._dependant_changes())

    def discard_unsaved(self) -> None:
        """Put back what is saved (the person chose to discard their changes)."""
        self._drop_draft()
        if self.detail is not None:
            self._show(CaseLoaded(self.detail))
        self._fill_dependant_form(None)

    @work(thread=True, exclusive=True, group="overview-save", exit_on_error=False)
    def _save(
        self,
        version: int,
        case_values: dict[str, str],
        person: dict[str, str],
        person_version: int,
        dependant_id: int | None,
        dependant: dict[str, Any],
    ) -> None:
        """One transaction: the dependant (checked against the person's version), then the case and person
        fields (checked against the case's version). Either both are saved or neither."""
        from trpkit.errors import ConflictError, TrpkitError

        try:
            change, detail = self._write(
                version, case_values, person, person_version, dependant_id, dependant
            )
        except ConflictError as exc:
            self.post_message(SaveFailed(str(exc), True, dependant=bool(dependant)))
            return
        except TrpkitError as exc:
            self.post_message(SaveFailed(str(exc), False, dependant=bool(dependant)))
            return
        if change is not None:
            verb = "added" if dependant_id is None else "saved"
            self.post_message(
                DependantsLoaded(
                    change.view
                    if detail is None
                    else DependantsView(
                        change.view.case_code,
                        detail.person.version,
                        change.view.dependants,
                        change.view.warnings,
                    ),
                    f"Dependant {change.dependant.id} {verb}.",
                )
            )
        if detail is not None:
            self.post_message(CaseLoaded(detail))
        self.app.call_from_thread(self.app.notify, f"{self.case_code} saved.")

    def _write(
        self,
        version: int,
        case_values: dict[str, str],
        person: dict[str, str],
        person_version: int,
        dependant_id: int | None,
        dependant: dict[str, Any],
    ) -> tuple[DependantChange | None, CaseDetail | None]:
        """The writes of ``_save``, in one transaction: (the dependant's change, the case's new detail)."""
        from trpkit.services.cases import update_case
        from trpkit.services.dependants import add_dependant, edit_dependant
        from trpkit.services.form_drafts import discard_form_draft

        change = detail = None
        with self.database.session() as session:
            if dependant and dependant_id is None:
                change = add_dependant(
                    session, self.actor, self.case_code, expected_version=person_version, **dependant
                )
            elif dependant and dependant_id is not None:
                change = edit_dependant(
                    session,
                    self.actor,
                    self.case_code,
                    dependant_id,
                    expected_version=person_version,
                    **dependant,
                )
            if case_values or person:
                discard_form_draft(session, self.actor, self.case_code, DRAFT_FORM)
                detail = update_case(
                    session,
                    self.actor,
                    self.case_code,
                    expected_version=version,
                    person=person,
                    **case_values,
                )
        return change, detail

    @on(SaveFailed)
    def _failed(self, message: SaveFailed) -> None:
        note = (
            " Your typing is still in the form: press Reload to see their version."
            if message.conflict
            else ""
        )
        text = Text.assemble(("Not saved: ", "bold red"), message.reason, note)
        self.query_one("#overview-message", Static).update(text)
        if not self.is_on_show():  # saved on the way out of the tab: say it where the person is now
            self.app.notify(f"{self.case_code} not saved: {message.reason}", severity="error", markup=False)
        if message.dependant:
            self._dependant_message(text)
