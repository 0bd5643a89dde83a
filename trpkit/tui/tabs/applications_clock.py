"""The Applications tab's forms for the permit-holder clock's facts: the ground of inadmissibility and the
absences from Canada (add, set the return, remove).

A base of ApplicationsTab, kept here so each module has one job; the saves go through ApplicationSaving.
"""

from __future__ import annotations

from textual import on
from textual.widgets import Button, Checkbox, DataTable, Input, Select

from trpkit.tui.tabs.applications_saving import ApplicationSaving, _date

GROUND_CHOICES = [
    ("Health grounds only (3 years)", "health"),
    ("Other grounds (5 years)", "other"),
    ("Not known (5 years counted)", "unknown"),
]


class ClockFactsForms(ApplicationSaving):
    """The clock's forms: ctrl+g jumps to them (the ground first)."""

    def selected_absence(self) -> int | None:
        trips = self.query_one("#clock-absences", DataTable)
        if not trips.row_count:
            return None
        return int(str(trips.coordinate_to_cell_key(trips.cursor_coordinate).row_key.value))

    def action_focus_clock(self) -> None:
        """Jump to the clock's facts: the ground first."""
        self.query_one("#c-ground", Select).focus()

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
