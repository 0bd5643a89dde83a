"""The Evidence tab's form: what it holds, whether it has unsaved changes, and what the date words mean.

A base of EvidenceTab (a CaseTab itself, so Textual registers the handlers below); saving is
``evidence_saving``, the list of exhibits ``evidence``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from trpkit.domain.fuzzy_dates import FuzzyDate
from trpkit.services.evidence import EvidenceRow
from trpkit.services.narrative import NarrativeEntryRow
from trpkit.tui.tabs.base import CaseTab
from trpkit.tui.widgets.exhibit_files import ExhibitFiles

DATE_HINT = "Write the date as it is known: 'March 2024', 'spring 2019', 'around 2018', '2024-03-05'."


@dataclass
class DateRead(Message):
    text: str
    date: FuzzyDate | None


@dataclass
class FormState:
    """What the form holds: an existing exhibit (its id and the version it started from) or a new one."""

    evidence_id: int | None = None
    exhibit: int | None = None
    version: int | None = None
    clean: dict[str, Any] = field(default_factory=dict)  # the values as loaded or saved


def plain_date(d: date) -> str:
    return f"{d.day} {calendar.month_name[d.month]} {d.year}"


def date_meaning(fd: FuzzyDate | None) -> str:
    """What the date words were understood to mean, in plain words (Rich markup)."""
    from trpkit.domain.fuzzy_dates import format_fuzzy

    if fd is None:
        return f"[dim]No date. {escape(DATE_HINT)}[/]"
    if not fd.is_parsed:
        return (
            "[b yellow]Not understood as a date.[/] Saved as written, the exhibit cannot be put in date order. "
            f"[dim]{escape(DATE_HINT)}[/]"
        )
    span = (
        "on " + plain_date(fd.earliest)
        if fd.earliest == fd.latest and fd.earliest
        else f"between {plain_date(fd.earliest) if fd.earliest else '?'} and "
        f"{plain_date(fd.latest) if fd.latest else '?'}"
    )
    return f"Understood as [b]{escape(format_fuzzy(fd))}[/]: {span}."


class ExhibitForm(CaseTab):
    """The exhibit in the form and the list it came from; EvidenceTab derives from this."""

    def __init__(self, case_code: str, *, id: str | None = None) -> None:
        super().__init__(case_code, id=id)
        self.rows: list[EvidenceRow] = []
        self.entries: list[NarrativeEntryRow] = []
        self.form = FormState()
        self.new_mode = False  # the form holds a new exhibit on purpose (ctrl+n)
        self.saving = False
        self._refill_form = False  # after a conflict: show their version even though the form is dirty
        self._date_parsed: dict[str, FuzzyDate | None] = {}

    def _row_by_id(self, evidence_id: int | None) -> EvidenceRow | None:
        return next((r for r in self.rows if r.id == evidence_id), None) if evidence_id is not None else None

    def _fill_entry_choices(self) -> None:
        choices = self.query_one("#ev-entries", SelectionList)
        keep = set(choices.selected)
        choices.clear_options()
        for e in self.entries:
            kind = "own words" if e.kind == "own_words" else "summary"
            preview = " ".join(e.text.split())
            preview = preview if len(preview) <= 60 else preview[:59] + "…"
            prompt = Text(f"{e.id}. {e.meeting_date:%Y-%m-%d} {kind}: ", style="bold")
            prompt.append(preview, style="")
            choices.add_option(Selection(prompt, e.id, e.id in keep))

    # ------------------------------------------------------------------------------------------ the form
    def _values(self) -> dict[str, Any]:
        kind = self.query_one("#ev-type", Select).value
        return {
            "type": "" if kind is Select.NULL else str(kind),
            "date_text": self.query_one("#ev-date", Input).value.strip(),
            "description": self.query_one("#ev-description", Input).value.strip(),
            "source": self.query_one("#ev-source", Input).value.strip(),
            "how_obtained": self.query_one("#ev-how", Input).value.strip(),
            "entries": tuple(sorted(self.query_one("#ev-entries", SelectionList).selected)),
        }

    def _row_values(self, row: EvidenceRow | None) -> dict[str, Any]:
        if row is None:
            return {
                "type": "",
                "date_text": "",
                "description": "",
                "source": "",
                "how_obtained": "",
                "entries": (),
            }
        return {
            "type": row.type,
            "date_text": row.date.original if row.date else "",
            "description": row.description,
            "source": row.source,
            "how_obtained": row.how_obtained,
            "entries": tuple(sorted(row.narrative_entry_ids)),
        }

    def is_dirty(self) -> bool:
        values = self._values()
        if values["type"] != "account":
            values["entries"] = self.form.clean.get("entries", ())  # not used for other types
        return (bool(self.form.clean) and values != self.form.clean) or (
            not self.form.clean and any(v for v in values.values())
        )

    def _load_form(self, row: EvidenceRow | None) -> None:
        values = self._row_values(row)
        self.form = FormState(
            row.id if row else None, row.exhibit_number if row else None, row.version if row else None, values
        )
        self.new_mode = row is None
        select = self.query_one("#ev-type", Select)
        if values["type"]:
            select.value = values["type"]
        else:
            select.clear()
        self.query_one("#ev-date", Input).value = values["date_text"]
        self.query_one("#ev-description", Input).value = values["description"]
        self.query_one("#ev-source", Input).value = values["source"]
        self.query_one("#ev-how", Input).value = values["how_obtained"]
        choices = self.query_one("#ev-entries", SelectionList)
        choices.deselect_all()
        for entry_id in values["entries"]:
            if any(e.id == entry_id for e in self.entries):
                choices.select(entry_id)
        self._read_date_now(values["date_text"])
        self.query_one(ExhibitFiles).show(row)
        self._show_form()

    def _show_form(self) -> None:
        """The heading (which exhibit, unsaved or not) and which parts of the form apply."""
        row = self._row_by_id(self.form.evidence_id)
        dirty = self.is_dirty()
        if row is None:
            next_number = max((r.exhibit_number for r in self.rows), default=0) + 1
            heading = Text(f"New exhibit — it will be number {next_number} when saved")
        else:
            heading = Text(f"Exhibit {row.exhibit_number} (version {row.version})")
            if row.indicator_ids:
                heading.append(f" · supports {', '.join(row.indicator_ids)}", style="")
        if dirty:
            heading.append("  • unsaved changes: ctrl+s saves", style="yellow")
        self.query_one("#ev-heading", Static).update(heading)
        account = self._values()["type"] == "account"
        choices = self.query_one("#ev-entries", SelectionList)
        choices.disabled = not account or not self.entries
        label = self.query_one("#ev-entries-label", Label)
        if not self.entries:
            label.update("Narrative entries it rests on: none written yet (Narrative tab).")
        elif account:
            label.update("Narrative entries it rests on (space ticks one):")
        else:
            label.update("Narrative entries (for “the person's account” only):")
        self.query_one("#ev-delete", Button).disabled = row is None

    @on(Input.Changed, "#ev-description, #ev-source, #ev-how")
    @on(Select.Changed, "#ev-type")
    @on(SelectionList.SelectedChanged, "#ev-entries")
    def _form_changed(self) -> None:
        self._show_form()

    @on(Input.Changed, "#ev-date")
    def _date_changed(self, event: Input.Changed) -> None:
        self._read_date_now(event.value)
        self._show_form()

    def _read_date_now(self, text: str) -> None:
        text = text.strip()
        if text in self._date_parsed:
            self.query_one("#ev-date-meaning", Static).update(date_meaning(self._date_parsed[text]))
        else:
            self._read_date(text)

    @work(thread=True, exclusive=True, group="evidence-date", exit_on_error=False)
    def _read_date(self, text: str) -> None:
        from trpkit.services.evidence import parse_date_words

        self.post_message(DateRead(text, parse_date_words(text)))

    @on(DateRead)
    def _date_read(self, message: DateRead) -> None:
        self._date_parsed[message.text] = message.date
        if message.text == self.query_one("#ev-date", Input).value.strip():
            self.query_one("#ev-date-meaning", Static).update(date_meaning(message.date))

    def _form_name(self) -> str:
        return f"exhibit {self.form.exhibit}" if self.form.evidence_id is not None else "the new exhibit"

    # ------------------------------------------------------------------------------------------ messages
    def _say(self, text: str) -> None:
        self.query_one("#ev-message", Static).update(text)
