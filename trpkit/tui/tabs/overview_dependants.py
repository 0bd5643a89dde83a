"""The Person tab's dependants in Canada: the table (enter edits, n adds, delete removes, asking
first) and the form under it. A base of OverviewTab, which saves the form with the person's fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Select, Static

from trpkit.domain.dependant_relationships import RELATIONSHIP_LABELS, Relationship
from trpkit.domain.dependants import Dependant
from trpkit.services.dependants import DependantsView
from trpkit.tui.tabs.base import CaseTab

DEPENDANT_INPUTS = [
    ("name", "Name"),
    ("described_as", "Their own word for the relationship (needed for other)"),
    ("birth_date", "Date of birth (2016, March 2016, aged 9…)"),
    ("status_in_canada", "Status in Canada"),
    ("notes", "Notes"),
]
RELATIONSHIP_CHOICES = [
    (f"{label} (describe it)" if kind is Relationship.OTHER else label, kind.value)
    for kind, label in RELATIONSHIP_LABELS["en"].items()
]
INCLUDE_CHOICES = [("yes: ask IRCC for a permit for them too", "yes"), ("no", "no")]
EMPTY_FORM: dict[str, Any] = {
    "name": "",
    "relationship": "",
    "described_as": "",
    "birth_date": "",
    "status_in_canada": "",
    "include_in_application": True,
    "notes": "",
}


def _form_values(dependant: Dependant) -> dict[str, Any]:
    """What the form shows for ``dependant`` (notes on one line: the form's field is one line)."""
    return {
        "name": dependant.name,
        "relationship": dependant.relationship.value,
        "described_as": dependant.described_as,
        "birth_date": dependant.birth.text,
        "status_in_canada": dependant.status_in_canada,
        "include_in_application": dependant.include_in_application,
        "notes": " ".join(dependant.notes.split()),
    }


@dataclass
class DependantsLoaded(Message):
    view: DependantsView
    note: str = ""


class DependantsTable(DataTable[Any]):
    """The person's dependants; enter edits the highlighted one, n starts a new one, delete removes one."""

    BINDINGS: ClassVar = [
        Binding("n", "new_dependant", "New dependant"),
        Binding("delete", "remove_dependant", "Remove dependant"),
    ]

    @dataclass
    class Requested(Message):
        what: str  # "new" | "remove"

    def action_new_dependant(self) -> None:
        self.post_message(self.Requested("new"))

    def action_remove_dependant(self) -> None:
        self.post_message(self.Requested("remove"))


@dataclass
class SaveFailed(Message):
    reason: str
    conflict: bool
    dependant: bool = False  # a dependant was being saved or removed: say so beside the dependants form too


class DependantsMixin(CaseTab):
    """The dependants' table and form of the OverviewTab (a CaseTab, so Textual registers the handlers
    below)."""

    def __init__(self, case_code: str, *, id: str | None = None) -> None:
        super().__init__(case_code, id=id)
        self.dependants: tuple[Dependant, ...] = ()
        self.person_version: int | None = None
        self.editing_id: int | None = None  # None: the form adds a new dependant
        self._dependant_baseline: dict[str, Any] = dict(EMPTY_FORM)

    def _show_dependants(self, dependants: tuple[Dependant, ...], person_version: int) -> None:
        self.dependants, self.person_version = dependants, person_version
        table = self.query_one("#dep-table", DependantsTable)
        if not table.columns:
            table.add_columns(
                "#", "Name", "Relationship", "Born", "Status in Canada", "In application", "Notes"
            )
        table.clear()
        for d in dependants:
            table.add_row(
                str(d.id),
                Text(d.name),
                Text(d.relationship_label()),
                Text(d.birth.text or "—"),
                Text(d.status_in_canada or "—"),
                "yes" if d.include_in_application else "no",
                Text(" ".join(d.notes.split()) or "—"),
                key=str(d.id),
            )
        if not dependants:
            table.add_row(
                "",
                Text("None recorded yet: fill in the form below and save.", style="dim"),
                "",
                "",
                "",
                "",
                "",
                key="none",
            )
        table.styles.height = min(table.row_count, 10) + 1  # header and rows, no empty band below
        if self.editing_id is not None and all(d.id != self.editing_id for d in dependants):
            self._fill_dependant_form(None)  # the one being edited is gone (removed here or elsewhere)

    def _fill_dependant_form(self, dependant: Dependant | None) -> None:
        values = _form_values(dependant) if dependant is not None else dict(EMPTY_FORM)
        self.editing_id = dependant.id if dependant is not None else None
        self._dependant_baseline = values
        for name, _label in DEPENDANT_INPUTS:
            self.query_one(f"#dep-{name}", Input).value = values[name]
        select = self.query_one("#dep-relationship", Select)
        if values["relationship"]:
            select.value = values["relationship"]
        else:
            select.clear()
        self.query_one("#dep-include", Select).value = "yes" if values["include_in_application"] else "no"
        title = (
            Text.assemble("Editing dependant ", str(dependant.id), ": ", dependant.name)
            if dependant is not None
            else Text("New dependant")
        )
        self.query_one("#dep-form-title", Static).update(title)

    def _dependant_form(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            name: self.query_one(f"#dep-{name}", Input).value for name, _l in DEPENDANT_INPUTS
        }
        select = self.query_one("#dep-relationship", Select)
        values["relationship"] = "" if select.is_blank() else str(select.value)
        values["include_in_application"] = self.query_one("#dep-include", Select).value == "yes"
        return values

    def _dependant_changes(self) -> dict[str, Any]:
        """What the form would save: every field for a new dependant, only the changed ones for an edit."""
        form = self._dependant_form()
        changed = {key: value for key, value in form.items() if value != self._dependant_baseline[key]}
        if self.editing_id is None:
            return form if changed else {}
        if "relationship" in changed or "described_as" in changed:  # the two are read together
            changed.update(relationship=form["relationship"], described_as=form["described_as"])
        return changed

    def _dependant_message(self, text: Text | str) -> None:
        self.query_one("#dep-message", Static).update(text)

    @on(DataTable.RowSelected, "#dep-table")
    def _edit_selected(self, event: DataTable.RowSelected) -> None:
        chosen = next((d for d in self.dependants if str(d.id) == event.row_key.value), None)
        if chosen is None:
            return
        if self._dependant_changes():
            self._dependant_message(
                "The form has unsaved changes: save them (ctrl+s) or press New dependant "
                "to drop them, then choose again."
            )
            return
        self._fill_dependant_form(chosen)
        self._dependant_message("")
        self.query_one("#dep-name", Input).focus()

    @on(Button.Pressed, "#dep-new")
    def _new_pressed(self) -> None:
        self._fill_dependant_form(None)
        self._dependant_message("")
        self.query_one("#dep-name", Input).focus()

    @on(Button.Pressed, "#dep-remove")
    def _remove_pressed(self) -> None:
        self._ask_to_remove()

    @on(DependantsTable.Requested)
    def _table_request(self, message: DependantsTable.Requested) -> None:
        if message.what == "new":
            self._new_pressed()
        else:
            self._ask_to_remove()

    def _ask_to_remove(self) -> None:
        from trpkit.tui.screens.confirm import ConfirmScreen

        table = self.query_one("#dep-table", DependantsTable)
        target_id = self.editing_id
        if target_id is None and table.row_count and table.cursor_row >= 0:
            key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
            target_id = int(key) if key and key.isdigit() else None
        dependant = next((d for d in self.dependants if d.id == target_id), None)
        if dependant is None or self.person_version is None:
            self._dependant_message(
                "Highlight a dependant in the table (or open one with enter) to remove it."
            )
            return
        version = self.person_version

        def answered(yes: bool | None) -> None:
            if yes:
                self._remove(dependant.id, version)

        question = Text.assemble(
            "Remove dependant ",
            str(dependant.id),
            " (",
            dependant.name,
            ") from the file? ",
            "Their number is not given to anyone else.",
        )
        self.app.push_screen(ConfirmScreen(question, yes="Remove", no="Keep"), answered)  # type: ignore[arg-type]

    @work(thread=True, exclusive=True, group="overview-save", exit_on_error=False)
    def _remove(self, dependant_id: int, version: int) -> None:
        from trpkit.errors import ConflictError, TrpkitError
        from trpkit.services.dependants import remove_dependant

        try:
            change = self.database.run(
                lambda session: remove_dependant(
                    session, self.actor, self.case_code, dependant_id, expected_version=version
                )
            )
        except ConflictError as exc:
            self.post_message(SaveFailed(str(exc), True, dependant=True))
            return
        except TrpkitError as exc:
            self.post_message(SaveFailed(str(exc), False, dependant=True))
            return
        self.post_message(DependantsLoaded(change.view, f"Dependant {dependant_id} removed."))

    @on(DependantsLoaded)
    def _dependants_saved(self, message: DependantsLoaded) -> None:
        view = message.view
        self._fill_dependant_form(None)
        self._show_dependants(view.dependants, view.person_version)
        self.query_one("#overview-message", Static).update("")
        self._dependant_message(Text("\n".join([message.note, *view.warnings]).strip()))
