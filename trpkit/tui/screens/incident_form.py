"""Record or edit an incident: a modal form. Unknown places are refused with the closest names; a date the
parser cannot read is kept as written and flagged for correction."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select, SelectionList, Static, TextArea

from trpkit.domain.incidents import IncidentView
from trpkit.tui.typed import AppModal


def _options(kind: str) -> list[tuple[str, str]]:
    from trpkit.loading.incident_vocab import vocabulary

    return [(label.label, ident) for ident, label in vocabulary().labels[kind].items()]


class IncidentFormScreen(AppModal[str | None]):
    """Dismisses with the saved incident's ref, or None when cancelled."""

    DEFAULT_CSS = """
    IncidentFormScreen { align: center middle; }
    IncidentFormScreen > VerticalScroll { width: 100; height: 90%; border: thick $accent; padding: 0 2;
        background: $surface; }
    IncidentFormScreen Label { margin-top: 1; }
    IncidentFormScreen .hint { color: $text-muted; }
    IncidentFormScreen TextArea { height: 4; }
    IncidentFormScreen SelectionList { height: auto; max-height: 8; }
    IncidentFormScreen #if-status { color: $error; margin-top: 1; }
    IncidentFormScreen Horizontal { height: auto; margin: 1 0; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]

    def __init__(self, view: IncidentView | None = None) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        inc = self.view.incident if self.view else None
        with VerticalScroll():
            yield Static("[b]Edit incident[/b]" if inc else "[b]New incident[/b] — no names, no addresses")
            yield Label("Title (what happened, in a few words)")
            yield Input(inc.title if inc else "", id="if-title")
            yield Label("When (as known: 'early March 2026', 'last week')")
            yield Input(inc.when_text if inc else "", id="if-when")
            yield Static("", id="if-when-hint", classes="hint")
            yield Label("Where (a province or economic region, never an address)")
            yield Input(self.view.place_name if self.view else "", id="if-place")
            yield Static("", id="if-place-hint", classes="hint")
            yield Label("Sector")
            yield Select(
                _options("sector"), value=inc.sector if inc else "unknown", allow_blank=False, id="if-sector"
            )
            yield Label("How many people")
            yield Select(
                _options("band"), value=inc.people if inc else "unknown", allow_blank=False, id="if-people"
            )
            yield Label("Framed by authorities or media as")
            yield Select(
                _options("framing"),
                value=inc.framing if inc else "not_framed",
                allow_blank=False,
                id="if-framing",
            )
            yield Label("Reported facts (the trafficking-or-smuggling second look)")
            facts = set(inc.facts) if inc else set()
            yield SelectionList[str](*[(t, i, i in facts) for t, i in _options("fact")], id="if-facts")
            yield Label("What is known")
            yield TextArea(inc.known if inc else "", id="if-known")
            yield Label("What is not known")
            yield TextArea(inc.unknown if inc else "", id="if-unknown")
            yield Label("Questions it raises")
            yield TextArea(inc.questions if inc else "", id="if-questions")
            yield Label("What you ask of other agencies")
            asks = set(inc.asks) if inc else set()
            yield SelectionList[str](*[(t, i, i in asks) for t, i in _options("ask")], id="if-asks")
            yield Static("", id="if-status")
            with Horizontal():
                yield Button("Save (ctrl+s)", variant="primary", id="if-save")
                yield Button("Cancel (esc)", id="if-cancel")

    def on_mount(self) -> None:
        self._when_hint(self.query_one("#if-when", Input).value)
        self.query_one("#if-title", Input).focus()

    @on(Input.Changed, "#if-when")
    def _when_changed(self, event: Input.Changed) -> None:
        self._when_hint(event.value)

    def _when_hint(self, text: str) -> None:
        from trpkit.domain.fuzzy_dates import describe_interval, parse_fuzzy

        hint = self.query_one("#if-when-hint", Static)
        if not text.strip():
            hint.update("")
            return
        parsed = parse_fuzzy(text)
        if parsed.is_parsed:
            hint.update(f"Understood as {describe_interval(parsed)}")
        else:
            hint.update("[b]Not read as a date[/b]: it will be kept as written and shown for correction.")

    @on(Input.Changed, "#if-place")
    def _place_changed(self, event: Input.Changed) -> None:
        from trpkit.domain.incident_vocab import resolve_place
        from trpkit.errors import UsageError
        from trpkit.loading.incident_vocab import vocabulary

        hint = self.query_one("#if-place-hint", Static)
        if not event.value.strip():
            hint.update("")
            return
        try:
            place = resolve_place(event.value, vocabulary())
        except UsageError as exc:
            hint.update(str(exc).split(" See ")[0])
            return
        hint.update(f"{place.name} ({place.id})")

    def _input(self) -> Any:
        from trpkit.services.incidents import IncidentInput

        def text(selector: str) -> str:
            return self.query_one(selector, TextArea).text

        return IncidentInput(
            title=self.query_one("#if-title", Input).value,
            when=self.query_one("#if-when", Input).value,
            place=self.query_one("#if-place", Input).value,
            sector=str(self.query_one("#if-sector", Select).value),
            people=str(self.query_one("#if-people", Select).value),
            framing=str(self.query_one("#if-framing", Select).value),
            facts=tuple(self.query_one("#if-facts", SelectionList).selected),
            known=text("#if-known"),
            unknown=text("#if-unknown"),
            questions=text("#if-questions"),
            asks=tuple(self.query_one("#if-asks", SelectionList).selected),
        )

    def action_save(self) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services import incidents

        try:
            with self.database.session() as session:
                if self.view is None:
                    saved = incidents.new_incident(session, self.actor, self._input())
                else:
                    saved = incidents.edit_incident(
                        session,
                        self.actor,
                        self.view.ref,
                        self._input(),
                        expected_version=self.view.version,
                    )
        except TrpkitError as exc:
            self.query_one("#if-status", Static).update(str(exc))
            return
        self.dismiss(saved.ref)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#if-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#if-cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)
