"""The Consent tab: the person's current decision per purpose, its history, and recording a new one
(on the day it was given, when that was earlier: the history shows both days)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from trpkit.domain.vocab import CONSENT_PURPOSE_LABELS, ConsentDecision, ConsentMethod
from trpkit.services.consent import ConsentRecord, ConsentState
from trpkit.tui.tabs.base import CaseTab


@dataclass
class ConsentLoaded(Message):
    states: list[ConsentState]


class ConsentTab(CaseTab):
    TITLE = "Consent"
    DEFAULT_CSS = """
    ConsentTab #consent-table { height: 10; }
    ConsentTab #consent-history { height: 1fr; }
    ConsentTab #consent-form { height: auto; padding: 0 1; }
    ConsentTab #consent-form Horizontal { height: auto; }
    ConsentTab Select { width: 1fr; }
    ConsentTab Input { width: 1fr; }
    #consent-message { height: auto; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        table: DataTable[str] = DataTable(id="consent-table", cursor_type="row")
        table.add_columns("Purpose", "Current", "Since", "How")
        yield table
        history: DataTable[str] = DataTable(id="consent-history", cursor_type="row")
        history.add_columns("Decided", "Purpose", "Decision", "How", "Interpreter", "Recorded by", "Note")
        yield history
        with Vertical(id="consent-form"):
            yield Label("Record a decision the person made:")
            with Horizontal():
                yield Select(
                    [(label, p.value) for p, label in CONSENT_PURPOSE_LABELS.items()],
                    prompt="Purpose",
                    id="c-purpose",
                )
                yield Select(
                    [(d.value, d.value) for d in ConsentDecision], prompt="Decision", id="c-decision"
                )
                yield Select(
                    [(m.value.replace("_", " "), m.value) for m in ConsentMethod], prompt="How", id="c-method"
                )
            with Horizontal():
                yield Input(
                    placeholder="Day decided YYYY-MM-DD (empty: today)",
                    id="c-date",
                    tooltip="When the person gave or refused it, if that was before today",
                )
                yield Input(placeholder="Interpreter (if through one)", id="c-interpreter")
                yield Input(placeholder="Note", id="c-note")
                yield Button("Record", variant="primary", id="c-record")
        yield Static("", id="consent-message")

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="consent", exit_on_error=False)
    def _load(self) -> None:
        from trpkit.services.consent import consent_status

        states = self.database.run(lambda session: consent_status(session, self.actor, self.case_code))
        self.post_message(ConsentLoaded(states))

    @on(ConsentLoaded)
    def _show(self, message: ConsentLoaded) -> None:
        table = self.query_one("#consent-table", DataTable)
        table.clear()
        history = self.query_one("#consent-history", DataTable)
        history.clear()
        records: list[ConsentRecord] = []
        for state in message.states:
            latest = state.history[-1] if state.history else None
            mark = {"given": "✔ given", "refused": "✘ refused", "withdrawn": "✘ withdrawn"}.get(
                state.state, "– not asked"
            )
            table.add_row(
                Text(state.label),
                mark,
                state.since.strftime("%Y-%m-%d") if state.since else "",
                latest.method.replace("_", " ") if latest else "",
            )
            records.extend(state.history)
        labels = {state.purpose: state.label for state in message.states}
        for r in sorted(records, key=lambda r: r.decided_at, reverse=True):
            late = r.recorded_at.date() != r.decided_at.date()
            history.add_row(
                r.decided_at.strftime("%Y-%m-%d")
                + (f" (recorded {r.recorded_at:%Y-%m-%d})" if late else f" {r.decided_at:%H:%M}"),
                Text(labels.get(r.purpose, r.purpose.replace("_", " "))),
                r.decision,
                r.method.replace("_", " "),
                Text(r.interpreter),
                r.recorded_by,
                Text(r.override_reason or r.note),
            )

    @on(Button.Pressed, "#c-record")
    def _record(self) -> None:
        values = {
            name: self.query_one(f"#c-{name}", Select).value for name in ("purpose", "decision", "method")
        }
        if any(v is Select.NULL for v in values.values()):
            self.query_one("#consent-message", Static).update(
                "Choose the purpose, the decision and how it was given."
            )
            return
        raw = self.query_one("#c-date", Input).value.strip()
        try:
            day = date.fromisoformat(raw) if raw else None
        except ValueError:
            self.query_one("#consent-message", Static).update(
                Text(
                    f"'{raw}' is not a date: write the day as YYYY-MM-DD (2026-03-14), or leave it empty for today."
                )
            )
            return
        self._save(
            {k: str(v) for k, v in values.items()},
            self.query_one("#c-interpreter", Input).value,
            self.query_one("#c-note", Input).value,
            day,
        )

    def has_unsaved(self) -> bool:
        """A decision being filled in and not recorded yet."""
        chosen = any(
            self.query_one(f"#c-{name}", Select).value is not Select.NULL
            for name in ("purpose", "decision", "method")
        )
        typed = any(
            self.query_one(f"#c-{name}", Input).value.strip() for name in ("date", "interpreter", "note")
        )
        return chosen or typed

    def discard_unsaved(self) -> None:
        self._clear_form()

    def _clear_form(self) -> None:
        for name in ("purpose", "decision", "method"):
            self.query_one(f"#c-{name}", Select).clear()
        for name in ("date", "interpreter", "note"):
            self.query_one(f"#c-{name}", Input).value = ""

    def action_save(self) -> None:
        """ctrl+s (or Save when leaving the tab): record the decision in the form."""
        self._record()

    @work(thread=True, exclusive=True, group="consent-save", exit_on_error=False)
    def _save(self, values: dict[str, str], interpreter: str, note: str, day: date | None) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.consent import decided_at_for, record_consent

        try:
            state = self.database.run(
                lambda session: record_consent(
                    session,
                    self.actor,
                    self.case_code,
                    interpreter=interpreter,
                    note=note,
                    decided_at=decided_at_for(day) if day else None,
                    **values,
                )
            )
        except TrpkitError as exc:
            self.app.call_from_thread(
                self.query_one("#consent-message", Static).update,
                Text.assemble(("Not recorded: ", "bold red"), str(exc)),
            )
            return
        self.app.call_from_thread(
            self.query_one("#consent-message", Static).update,
            Text(f"Recorded: {state.label} — {state.state}" + (f", on {day}." if day else ".")),
        )
        self.app.call_from_thread(self._clear_form)
        self._load()
