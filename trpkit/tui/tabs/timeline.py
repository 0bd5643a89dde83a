"""The Timeline tab: the chronology with its uncertainty visible, conflicts, gaps, and date suggestions.

Keys: a add the event typed below · e edit the selected event in the form (fix a date kept as
said) · delete remove it · s scan the narrative for dates · enter/y accept the selected suggestion
(as the chosen event type) · x dismiss it. The date field shows how a phrase is read
while you type ("around spring 2019 → 2019-02-01 – 2019-06-30").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from trpkit.domain.timeline import EVENT_TYPES
from trpkit.services.timeline import TimelineEventRow
from trpkit.services.timeline_view import CaseTimeline
from trpkit.tui.tabs.narrative_state import in_session
from trpkit.tui.tabs.timeline_suggestions import TimelineNote, TimelineSuggestions
from trpkit.tui.words import plural

BAR_WIDTH = 24


@dataclass
class TimelineLoaded(Message):
    timeline: CaseTimeline


class TimelineTab(TimelineSuggestions):
    TITLE = "Timeline"
    BINDINGS: ClassVar = [
        Binding("s", "suggest", "Find dates in the narrative"),
        Binding("y", "accept", "Accept suggestion"),
        Binding("x", "dismiss", "Dismiss suggestion"),
        Binding("e", "edit", "Edit event"),
        Binding("delete", "remove", "Remove event"),
    ]
    DEFAULT_CSS = """
    TimelineTab #events { height: 2fr; }
    TimelineTab #event-detail, TimelineTab #timeline-summary { height: auto; padding: 0 1; }
    TimelineTab #suggestions { height: 1fr; }
    TimelineTab #event-form { height: auto; }
    TimelineTab #event-form Input { width: 1fr; }
    TimelineTab #event-form Select { width: 32; }
    TimelineTab #event-form #e-lang { width: 8; }
    TimelineTab.-narrow #event-form { layout: grid; grid-size: 3; grid-columns: 1fr 1fr 12; grid-rows: 3; }
    TimelineTab.-narrow #event-form Select { width: 1fr; }
    TimelineTab.-narrow #event-form #e-lang { width: 1fr; }
    TimelineTab.-narrow #event-form #e-title { column-span: 2; }
    TimelineTab #date-preview { height: auto; padding: 0 1; color: $text-muted; }
    TimelineTab #timeline-status { height: auto; padding: 0 1; }
    """

    def __init__(self, case_code: str, *, id: str | None = None) -> None:
        super().__init__(case_code, id=id)
        self.timeline: CaseTimeline | None = None
        self.editing: tuple[int, int] | None = None  # (event id, version) while the form edits an event

    def compose(self) -> ComposeResult:
        events: DataTable[str] = DataTable(id="events", cursor_type="row")
        events.add_columns("", "When", "Range", "Event", "Place", "People", "Entries")
        yield events
        yield Static("", id="timeline-summary")
        yield Static("", id="event-detail")
        yield Label("Date suggestions from the narrative (nothing is added until you accept):")
        suggestions: DataTable[str] = DataTable(id="suggestions", cursor_type="row")
        suggestions.add_columns("Entry", "Phrase", "Read as", "Context")
        yield suggestions
        with Horizontal(id="event-form"):
            yield Select(
                [(label, key) for key, label in EVENT_TYPES.items()], prompt="Event type", id="e-type"
            )
            yield Input(placeholder="When, as said: 'spring 2019', 'hace dos años'", id="e-date")
            yield Input(placeholder="Lang", id="e-lang", value="en", max_length=8)
            yield Input(placeholder="What happened", id="e-title")
            yield Button("Add (a)", variant="primary", id="e-add")
        yield Static("", id="date-preview")
        yield Static("", id="timeline-status")

    def on_resize(self) -> None:
        # Under 110 columns the event form takes two rows, so each field is wide enough to read.
        self.set_class(self.size.width < 110, "-narrow")

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="timeline-load", exit_on_error=False)
    def _load(self) -> None:
        from trpkit.services.timeline_view import case_timeline

        self.post_message(
            TimelineLoaded(in_session(self.database, lambda s: case_timeline(s, self.actor, self.case_code)))
        )

    @on(TimelineLoaded)
    def _show(self, message: TimelineLoaded) -> None:
        from trpkit.domain.fuzzy_dates import format_fuzzy
        from trpkit.domain.timeline import range_bar, span

        tl = self.timeline = message.timeline
        table = self.query_one("#events", DataTable)
        table.clear()
        bounds = span(e.date for e in tl.events if e.date.is_parsed)
        gaps = {g.before_event_id: g for g in tl.gaps}
        for e in tl.events:
            gap = gaps.get(e.id)
            if gap is not None:
                table.add_row(
                    "",
                    f"[dim]gap: {gap.days} days[/]",
                    "[dim]" + "·" * BAR_WIDTH + "[/]",
                    "[dim]nothing recorded[/]",
                    "",
                    "",
                    "",
                    key=f"gap-{e.id}",
                )
            mark = "[b red]⚠[/]" if e.conflict else ("[yellow]?[/]" if not e.date.is_parsed else "")
            when = (
                Text(format_fuzzy(e.date))
                if e.date.is_parsed
                else Text(f"“{e.date.original}”", style="yellow")
            )
            bar = range_bar(e.date, *bounds, width=BAR_WIDTH) if bounds else ""
            people = "; ".join(f"{role}: {', '.join(names)}" for role, names in e.people.items())
            table.add_row(
                mark,
                when,
                bar,
                Text(e.type_label + (f": {e.title}" if e.title else "")),
                Text(e.place),
                Text(people),
                ", ".join(map(str, e.linked_entry_ids)),
                key=str(e.id),
            )
        suggestions = self.query_one("#suggestions", DataTable)
        suggestions.clear()
        for s in tl.suggestions:
            suggestions.add_row(
                str(s.entry_id),
                Text(s.phrase),
                Text(s.date_text),
                Text(" ".join(s.context.split())[:70]),
                key=str(s.id),
            )
        summary = plural(len(tl.events), "event")
        if tl.conflicts:
            summary += f" · [b red]{len(tl.conflicts)} conflict(s)[/]"
        if tl.unparsed:
            summary += f" · [yellow]{len(tl.unparsed)} date(s) to fix[/]"
        if tl.gaps:
            summary += f" · {len(tl.gaps)} gap(s) over 6 months"
        self.query_one("#timeline-summary", Static).update(summary)

    @on(DataTable.RowHighlighted, "#events")
    def _event_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.timeline is None or event.row_key is None or not str(event.row_key.value or "").isdigit():
            return
        from trpkit.domain.fuzzy_dates import describe_interval

        row = next((e for e in self.timeline.events if e.id == int(str(event.row_key.value))), None)
        if row is None:
            return
        parts = [f"[b]{row.type_label}[/]"]
        if row.date.is_parsed:
            flags = [
                f
                for f, on_ in (("approximate", row.date.approximate), ("uncertain", row.date.uncertain))
                if on_
            ]
            parts.append(
                f"said “{escape(row.date.original)}” → {describe_interval(row.date)} ({row.date.precision.value}"
                + (", " + ", ".join(flags) if flags else "")
                + ")"
            )
        else:
            parts.append(f"[yellow]date to fix: “{escape(row.date.original)}”[/]")
        if row.conflict:
            parts.append("[b red]⚠ " + "; ".join(row.conflict_reasons) + "[/]")
        self.query_one("#event-detail", Static).update("  ".join(parts))

    # ------------------------------------------------------------------------------------------ add
    @on(Input.Changed, "#e-date, #e-lang")
    def _preview(self) -> None:
        from trpkit.domain.fuzzy_dates import describe_interval, format_fuzzy, parse_fuzzy

        text = self.query_one("#e-date", Input).value
        preview = self.query_one("#date-preview", Static)
        if not text.strip():
            preview.update("")
            return
        lang = self.query_one("#e-lang", Input).value.strip() or "en"
        fd = parse_fuzzy(text, lang)
        if fd.is_parsed:
            preview.update(Text(f"→ {format_fuzzy(fd)}  ({describe_interval(fd)}, {fd.precision.value})"))
        else:
            preview.update(
                "→ not understood: it will be kept as said and marked to fix "
                "(relative phrases are read against the linked meeting when added from a suggestion)"
            )

    def key_a(self) -> None:
        if not isinstance(self.app.focused, Input):
            self._add()

    @on(Button.Pressed, "#e-add")
    @on(Input.Submitted, "#e-date, #e-title")
    def _add(self) -> None:
        event_type = self.query_one("#e-type", Select).value
        date_text = self.query_one("#e-date", Input).value.strip()
        if event_type is Select.NULL or not date_text:
            self._note("Choose the event type and write when it happened (as the person said it).")
            return
        if self.editing is not None:
            self._update_event(
                *self.editing,
                str(event_type),
                date_text,
                self.query_one("#e-lang", Input).value.strip() or "en",
                self.query_one("#e-title", Input).value.strip(),
            )
            return
        self._add_event(
            str(event_type),
            date_text,
            self.query_one("#e-lang", Input).value.strip() or "en",
            self.query_one("#e-title", Input).value.strip(),
        )

    @work(thread=True, exclusive=True, group="timeline-save", exit_on_error=False)
    def _add_event(self, event_type: str, date_text: str, language: str, title: str) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.timeline import add_event

        try:
            row = in_session(
                self.database,
                lambda s: add_event(
                    s,
                    self.actor,
                    self.case_code,
                    event_type=event_type,
                    date_text=date_text,
                    language=language,
                    title=title,
                ),
            )
        except TrpkitError as exc:
            self.post_message(TimelineNote(f"[b red]Not added:[/] {escape(str(exc))}"))
            return
        self.post_message(
            TimelineNote(
                f"Added: {row.type_label}, {escape(row.date_text)}."
                if row.date.is_parsed
                else f"Added with the date kept as said (“{escape(row.date.original)}”): "
                "fix it later (e edits it)."
            )
        )
        self.app.call_from_thread(self._clear_form)
        self._load()

    def _clear_form(self) -> None:
        self.editing = None
        self.query_one("#e-add", Button).label = "Add (a)"
        self.query_one("#e-date", Input).value = ""
        self.query_one("#e-title", Input).value = ""

    def _selected_event(self) -> TimelineEventRow | None:
        table = self.query_one("#events", DataTable)
        if self.timeline is None or table.row_count == 0:
            return None
        key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or "")
        return next((e for e in self.timeline.events if str(e.id) == key), None)

    def action_edit(self) -> None:
        event = self._selected_event()
        if event is None:
            self._note("Select an event in the chronology first.")
            return
        self.editing = (event.id, event.version)
        self.query_one("#e-type", Select).value = event.type
        self.query_one("#e-date", Input).value = event.date.original
        self.query_one("#e-lang", Input).value = event.date.language
        self.query_one("#e-title", Input).value = event.title
        self.query_one("#e-add", Button).label = "Save event"
        self.query_one("#e-date", Input).focus()
        self._note(f"Editing event {event.id}: change it below, enter saves (escape the field to cancel).")

    @work(thread=True, exclusive=True, group="timeline-save", exit_on_error=False)
    def _update_event(
        self, event_id: int, version: int, event_type: str, date_text: str, language: str, title: str
    ) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.timeline import update_event

        try:
            row = in_session(
                self.database,
                lambda s: update_event(
                    s,
                    self.actor,
                    self.case_code,
                    event_id,
                    expected_version=version,
                    event_type=event_type,
                    date_text=date_text,
                    language=language,
                    title=title,
                ),
            )
        except TrpkitError as exc:
            self.post_message(TimelineNote(f"[b red]Not saved:[/] {escape(str(exc))}"))
            return
        self.post_message(
            TimelineNote(
                f"Saved: {row.type_label}, {escape(row.date_text)}."
                if row.date.is_parsed
                else f"Saved, the date still kept as said (“{escape(row.date.original)}”)."
            )
        )
        self.app.call_from_thread(self._clear_form)
        self._load()

    def action_remove(self) -> None:
        event = self._selected_event()
        if event is not None:
            self._remove(event.id)

    @work(thread=True, exclusive=True, group="timeline-save", exit_on_error=False)
    def _remove(self, event_id: int) -> None:
        from trpkit.services.timeline import delete_event

        in_session(self.database, lambda s: delete_event(s, self.actor, self.case_code, event_id))
        self.post_message(TimelineNote(f"Event {event_id} removed."))
        self._load()
