"""The Evidence tab's writes: save the form (never over someone else's change), delete, renumber.

Each write runs in a worker and reports back with a message; a conflict reloads their version and
lists what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.markup import escape
from textual import on, work
from textual.message import Message
from textual.widgets import Button, Input, Select

from trpkit.services.evidence import EvidenceRow
from trpkit.tui.tabs.evidence_form import DATE_HINT, ExhibitForm, FormState
from trpkit.tui.widgets.exhibit_files import friendly_error

FIELDS = ("type", "date_text", "description", "source", "how_obtained")
FIELD_WORDS = {
    "type": "type",
    "date_text": "date",
    "description": "description",
    "source": "source",
    "how_obtained": "how obtained",
    "entries": "narrative entries",
}


@dataclass
class ExhibitSaved(Message):
    row: EvidenceRow
    note: str


@dataclass
class ExhibitConflict(Message):
    """Someone else changed (or renumbered) the exhibit: their version is reloaded, the typing is listed."""

    text: str
    mine: dict[str, Any]


@dataclass
class EvidenceDone(Message):
    note: str
    new_form: bool = False  # the exhibit in the form is gone: start a new one


@dataclass
class EvidenceFailed(Message):
    text: str
    reload: bool = False


class ExhibitSaving(ExhibitForm):
    """Saving, deleting and renumbering exhibits; EvidenceTab derives from this."""

    def action_save(self) -> None:
        if self.saving:
            self._say("Still saving the last change…")
            return
        values = self._values()
        if not values["type"]:
            self._say("[b red]Not saved:[/] choose the type of evidence first.")
            self.query_one("#ev-type", Select).focus()
            return
        if not values["description"]:
            self._say("[b red]Not saved:[/] describe the exhibit: what it is and what it shows.")
            self.query_one("#ev-description", Input).focus()
            return
        if self.form.evidence_id is not None and not self.is_dirty():
            self._say(f"Nothing to save: exhibit {self.form.exhibit} is unchanged.")
            return
        date_changed = values["date_text"] != self.form.clean.get("date_text", "")
        if date_changed and values["date_text"]:
            from trpkit.services.evidence import parse_date_words

            fd = self._date_parsed.get(values["date_text"], None) or parse_date_words(values["date_text"])
            if fd is not None and not fd.is_parsed:
                from trpkit.tui.screens.confirm import ConfirmScreen

                def answered(yes: bool | None) -> None:
                    if yes:
                        self._start_save(values)
                    else:
                        self._say("Not saved yet: correct the date words, then ctrl+s. " + escape(DATE_HINT))
                        self.query_one("#ev-date", Input).focus()

                self.app.push_screen(
                    ConfirmScreen(
                        f"“{escape(values['date_text'])}” is not understood as a date. Keep the words as written? "
                        "The exhibit will not be put in date order until the date is corrected.",
                        yes="Keep the words",
                        no="Correct the date",
                    ),
                    answered,
                )
                return
        self._start_save(values)

    @on(Button.Pressed, "#ev-save")
    def _save_pressed(self) -> None:
        self.action_save()

    def _start_save(self, values: dict[str, Any]) -> None:
        self.saving = True
        self._save(
            FormState(self.form.evidence_id, self.form.exhibit, self.form.version, dict(self.form.clean)),
            values,
        )

    @work(thread=True, group="evidence-save", exit_on_error=False)
    def _save(self, form: FormState, values: dict[str, Any]) -> None:
        from trpkit.errors import ConflictError, NotFound, TrpkitError
        from trpkit.services.evidence import add_evidence, update_evidence

        account = values["type"] == "account"
        try:
            with self.database.session() as session:
                if form.evidence_id is None:
                    row = add_evidence(
                        session,
                        self.actor,
                        self.case_code,
                        type=values["type"],
                        description=values["description"],
                        date_text=values["date_text"],
                        source=values["source"],
                        how_obtained=values["how_obtained"],
                        narrative_entry_ids=values["entries"] if account else (),
                    )
                    note = f"Added as exhibit {row.exhibit_number}."
                else:
                    changes = {k: values[k] for k in FIELDS if values[k] != form.clean.get(k)}
                    entries = values["entries"] if account else ()
                    row = update_evidence(
                        session,
                        self.actor,
                        self.case_code,
                        form.exhibit or 0,
                        expected_version=form.version,
                        evidence_id=form.evidence_id,
                        narrative_entry_ids=entries
                        if tuple(entries) != tuple(form.clean.get("entries", ()))
                        else None,
                        **changes,
                    )
                    note = f"Exhibit {row.exhibit_number} saved (version {row.version})."
        except ConflictError as exc:
            self.post_message(ExhibitConflict(str(exc), values))
            return
        except NotFound as exc:
            self.post_message(EvidenceFailed(f"Not saved: {friendly_error(exc)}", reload=True))
            return
        except TrpkitError as exc:
            self.post_message(EvidenceFailed(f"Not saved: {friendly_error(exc)}"))
            return
        except Exception as exc:  # never leave the form stuck on "saving" (the vault busy, the disk full, …)
            self.post_message(
                EvidenceFailed(
                    f"Not saved: an unexpected problem ({type(exc).__name__}). Your typing "
                    "is still in the form; try ctrl+s again."
                )
            )
            raise
        self.post_message(ExhibitSaved(row, note))

    @on(ExhibitSaved)
    def _saved(self, message: ExhibitSaved) -> None:
        self.saving = False
        row = message.row
        self.rows = [r for r in self.rows if r.id != row.id] + [row]
        self.form = FormState(row.id, row.exhibit_number, row.version, self._row_values(row))
        self.new_mode = False
        note = message.note
        if row.date is not None and not row.date.is_parsed:
            note += " Its date is kept as written (not understood as a date)."
        self._say(escape(note))
        self.reload()

    @on(ExhibitConflict)
    def _conflict(self, message: ExhibitConflict) -> None:
        self.saving = False
        mine, clean = message.mine, self.form.clean
        typed = [f"{FIELD_WORDS[k]} “{escape(str(mine[k]))}”" for k in FIELDS if mine.get(k) != clean.get(k)]
        if mine.get("entries") != clean.get("entries") and mine.get("type") == "account":
            typed.append("narrative entries " + (", ".join(map(str, mine["entries"])) or "none"))
        self._say(
            f"[b red]Not saved: someone else changed {escape(self._form_name())} while you were editing.[/] "
            f"{escape(message.text)} The form now shows their version."
            + (
                f" What you had typed: {'; '.join(typed)}. Make your change again, then ctrl+s."
                if typed
                else ""
            )
        )
        self._refill_form = True
        self.reload()

    @on(EvidenceFailed)
    def _failed(self, message: EvidenceFailed) -> None:
        self.saving = False
        self._say(f"[b red]{escape(message.text)}[/]")
        if message.reload:
            self.reload()

    @on(EvidenceDone)
    def _done(self, message: EvidenceDone) -> None:
        self.saving = False
        self._say(escape(message.note))
        if message.new_form:
            self.form = FormState()
            self._load_form(None)
            self.new_mode = False  # open the exhibit under the cursor when the list is back
        self.reload()

    def action_delete_exhibit(self) -> None:
        from trpkit.tui.screens.confirm import ConfirmScreen

        row = self._row_by_id(self.form.evidence_id)
        if row is None:
            self._say("Nothing to delete: the form holds a new exhibit that is not saved (ctrl+n clears it).")
            return
        parts = []
        if row.attachments:
            parts.append(f"its {len(row.attachments)} file(s) inside the vault")
        if row.indicator_ids:
            parts.append(f"its links to indicators {', '.join(row.indicator_ids)}")
        goes = f" {' and '.join(parts).capitalize()} go with it." if parts else ""
        question = (
            f"Delete exhibit {row.exhibit_number} (“{escape(row.description[:80])}”)?{goes} The other "
            "exhibits keep their numbers; “Renumber by date” closes the gap."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(row)

        self.app.push_screen(ConfirmScreen(question, yes="Delete", no="Keep"), answered)

    @on(Button.Pressed, "#ev-delete")
    def _delete_pressed(self) -> None:
        self.action_delete_exhibit()

    @work(thread=True, group="evidence-save", exit_on_error=False)
    def _delete(self, row: EvidenceRow) -> None:
        from trpkit.errors import ConflictError, NotFound, TrpkitError
        from trpkit.services.evidence import delete_evidence

        try:
            self.database.run(
                lambda session: delete_evidence(
                    session,
                    self.actor,
                    self.case_code,
                    row.exhibit_number,
                    expected_version=row.version,
                    evidence_id=row.id,
                )
            )
        except ConflictError as exc:
            self.post_message(
                EvidenceFailed(
                    f"Not deleted: {exc} Look at the exhibit again before deleting it.", reload=True
                )
            )
            return
        except NotFound as exc:
            self.post_message(
                EvidenceDone(
                    f"Exhibit {row.exhibit_number} was already gone: {friendly_error(exc)}", new_form=True
                )
            )
            return
        except TrpkitError as exc:
            self.post_message(EvidenceFailed(f"Not deleted: {friendly_error(exc)}"))
            return
        self.post_message(
            EvidenceDone(
                f"Exhibit {row.exhibit_number} deleted, with its files and indicator links.", new_form=True
            )
        )

    def action_renumber(self) -> None:
        from trpkit.tui.screens.confirm import ConfirmScreen

        if self.is_dirty():
            self._say(
                f"Save (ctrl+s) or drop your changes to {escape(self._form_name())} before renumbering."
            )
            return
        if not self.rows:
            self._say("No exhibits to renumber yet.")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._renumber()

        self.app.push_screen(
            ConfirmScreen(
                f"Number the {len(self.rows)} exhibits 1 to {len(self.rows)} in date order (undated ones last)? Letters "
                "or an evidence index already drafted quote the old numbers: draft them again afterwards.",
                yes="Renumber",
                no="Keep the numbers",
            ),
            answered,
        )

    @on(Button.Pressed, "#ev-renumber")
    def _renumber_pressed(self) -> None:
        self.action_renumber()

    @work(thread=True, group="evidence-save", exit_on_error=False)
    def _renumber(self) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.evidence import renumber_exhibits

        try:
            rows = self.database.run(lambda session: renumber_exhibits(session, self.actor, self.case_code))
        except TrpkitError as exc:
            self.post_message(EvidenceFailed(f"Not renumbered: {friendly_error(exc)}"))
            return
        self.post_message(EvidenceDone(f"Exhibits renumbered 1 to {len(rows)} in date order."))
