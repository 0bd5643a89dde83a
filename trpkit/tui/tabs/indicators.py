"""The Indicators tab: the six Delphi dimensions with their indicators, strength, status and linked
exhibits; the assessment updates as links change, with the gap report and the smuggling contrast beside it."""

from __future__ import annotations

from dataclasses import dataclass

from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Select, Static

from trpkit.domain.assessment import STATUS_LABELS, TRPKIT_TIER_NOTE, LinkStatus
from trpkit.domain.frameworks import VERIFICATION_LABELS, DelphiList, Verification
from trpkit.domain.smuggling import Contrast
from trpkit.services.indicators import CaseAssessment
from trpkit.tui.tabs.base import CaseTab
from trpkit.tui.tabs.indicators_panels import SmugglingContrastScreen, gap_text

_STRENGTH = {"strong": "S", "medium": "M", "weak": "W", "unrated": "?"}
_STATUS_MARK = {
    "present": "● present",
    "reported_unsupported": "◐ reported, unsupported",
    "explored_absent": "○ explored, absent",
    "not_explored": "· not explored",
}


@dataclass
class IndicatorsLoaded(Message):
    assessment: CaseAssessment
    delphi: DelphiList
    contrast: Contrast


@dataclass
class IndicatorsFailed(Message):
    text: str


def statuses(assessment: CaseAssessment) -> dict[str, tuple[str, tuple[int, ...]]]:
    """Indicator id -> (combined status, exhibits) from an assessment."""
    result: dict[str, tuple[str, tuple[int, ...]]] = {}
    for d in assessment.dimensions:
        for p in d.present:
            result[p.id] = ("present", p.exhibits)
        for iid in d.reported_unsupported:
            result[iid] = ("reported_unsupported", ())
        for iid in d.explored_absent:
            result[iid] = ("explored_absent", ())
    return result


class IndicatorsTab(CaseTab):
    TITLE = "Indicators"
    BINDINGS = [
        Binding("p", "mark('present')", "Present"),
        Binding("u", "mark('reported_unsupported')", "Unsupported"),
        Binding("x", "mark('explored_absent')", "Explored, absent"),
        Binding("delete", "clear_links", "Remove links"),
        Binding("s", "smuggling", "Trafficking or smuggling?"),
    ]
    DEFAULT_CSS = """
    IndicatorsTab #ind-head { height: auto; padding: 0 1; }
    IndicatorsTab #ind-body { height: 1fr; }
    IndicatorsTab #ind-left { width: 3fr; }
    IndicatorsTab #ind-dimensions { height: 8; }
    IndicatorsTab #ind-table { height: 1fr; }
    IndicatorsTab #ind-gaps { width: 2fr; border-left: solid $primary-darken-2; padding: 0 1; }
    IndicatorsTab #ind-form { height: auto; }
    IndicatorsTab #ind-form Input { width: 1fr; }
    IndicatorsTab #ind-form Select { width: 28; }
    IndicatorsTab #ind-exhibit, IndicatorsTab #ind-entry { width: 12; }
    IndicatorsTab #ind-link { min-width: 8; width: 10; }
    IndicatorsTab #ind-message { height: auto; padding: 0 1; }
    IndicatorsTab #ind-detail { height: auto; max-height: 6; padding: 0 1; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static("Loading the indicator map…", id="ind-head")
        with Horizontal(id="ind-body"):
            with Vertical(id="ind-left"):
                dims: DataTable[str] = DataTable(id="ind-dimensions", cursor_type="row")
                dims.add_columns("#", "Dimension", "Positive", "S/M/W", "Rule")
                dims.styles.height = 8  # the app's DataTable rule (height: 1fr) beats DEFAULT_CSS
                yield dims
                table: DataTable[str] = DataTable(id="ind-table", cursor_type="row")
                table.add_columns("Dim", "ID", "Str.", "Status", "Exhibits", "Indicator")
                yield table
                yield Static("", id="ind-detail")
                with Horizontal(id="ind-form"):
                    yield Select(
                        [(STATUS_LABELS[s], s.value) for s in LinkStatus],
                        value="present",
                        allow_blank=False,
                        id="ind-status",
                    )
                    for input_id, placeholder in (("ind-exhibit", "Exhibit"), ("ind-entry", "Entry no.")):
                        number = Input(placeholder=placeholder, id=input_id, restrict=r"[0-9]*")
                        number.styles.width = 13  # app-wide Input rules beat DEFAULT_CSS
                        yield number
                    yield Input(placeholder="Note (what supports it)", id="ind-note")
                    yield Button("Link", variant="primary", id="ind-link")
            yield VerticalScroll(
                Static("", id="ind-explanation"), Static("", id="ind-gap-text"), id="ind-gaps"
            )
        yield Static("", id="ind-message")

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="indicators", exit_on_error=False)
    def _load(self) -> None:
        from trpkit.domain.frameworks import load_frameworks
        from trpkit.errors import TrpkitError
        from trpkit.services.indicators import case_assessment, case_contrast

        try:
            with self.database.session() as session:
                assessment = case_assessment(session, self.actor, self.case_code)
                contrast = case_contrast(session, self.actor, self.case_code)
        except TrpkitError as exc:
            self.post_message(IndicatorsFailed(str(exc)))
            return
        self.post_message(IndicatorsLoaded(assessment, load_frameworks().get(assessment.framework), contrast))

    @on(IndicatorsFailed)
    def _failed(self, message: IndicatorsFailed) -> None:
        self.query_one("#ind-head", Static).update(f"[b red]{escape(message.text)}[/]")

    @on(IndicatorsLoaded)
    def _show(self, message: IndicatorsLoaded) -> None:
        self.contrast = message.contrast
        a, delphi = message.assessment, message.delphi
        self.assessment = a
        self.delphi = delphi
        verdict = "[b green]IDENTIFIED[/]" if a.identified else "[b]not identified[/]"
        if a.convergence:
            verdict += " — by a convergence of medium and weak indicators"
        warning = (
            ""
            if delphi.verification is Verification.CONFIRMED
            else f"\n[yellow]Weights {VERIFICATION_LABELS[delphi.verification]}.[/]"
        )
        if not delphi.complete:
            warning += (
                "\n[b yellow]This list is incomplete in trpkit: unrated items are shown but not counted.[/]"
            )
        tier = (
            f"\n{escape(a.trpkit_tier.removeprefix('trpkit: '))} ({TRPKIT_TIER_NOTE})"
            if a.trpkit_tier
            else ""
        )
        self.query_one("#ind-head", Static).update(
            f"{escape(a.framework_name)}: {verdict}  [dim]({escape(a.framework_reason)})[/]{tier}{warning}"
        )
        dims = self.query_one("#ind-dimensions", DataTable)
        dims.clear()
        for d in a.dimensions:
            dims.add_row(
                str(d.number),
                Text(d.label),
                "✔ yes" if d.positive else "no",
                f"{d.strong}/{d.medium}/{d.weak}",
                Text(d.rule_text or ""),
            )
        table = self.query_one("#ind-table", DataTable)
        keep = table.cursor_row
        table.clear()
        state = statuses(a)
        positive = {d.id: d.positive for d in a.dimensions}
        numbers = {d.id: d.number for d in a.dimensions}
        for item in delphi.indicators:
            status, exhibits = state.get(item.id, ("not_explored", ()))
            dim = f"{numbers[item.dimension]}{'✔' if positive[item.dimension] else ''}"
            table.add_row(
                dim,
                item.id,
                _STRENGTH[item.strength.value],
                _STATUS_MARK[status],
                ", ".join(map(str, exhibits)),
                Text(item.label),
                key=item.id,
            )
        if keep is not None and 0 <= keep < table.row_count:
            table.move_cursor(row=keep)
        self.query_one("#ind-gap-text", Static).update(gap_text(a, message.contrast))
        self.query_one("#ind-explanation", Static).update(f"[b]Assessment[/b]\n{escape(a.explanation)}\n")

    @on(DataTable.RowHighlighted, "#ind-table")
    def _show_detail(self, event: DataTable.RowHighlighted) -> None:
        delphi = getattr(self, "delphi", None)
        item = delphi.by_id.get(str(event.row_key.value)) if delphi is not None and event.row_key else None
        if item is None:
            return
        prompts = "  ".join(f"[i]{escape(p)}[/i]" for p in item.prompts)
        note = f" {escape(item.note)}" if item.note else ""
        self.query_one("#ind-detail", Static).update(
            f"[b]{item.id}[/b]: {escape(item.label)} ({item.strength.value}; weight {item.verification.value}).{note}\n"
            f"Might explore, if the story goes there: {prompts}"
        )

    def _selected(self) -> str | None:
        table = self.query_one("#ind-table", DataTable)
        if table.row_count == 0 or table.cursor_row is None:
            return None
        return str(table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value)

    def action_mark(self, status: str) -> None:
        self.query_one("#ind-status", Select).value = status
        self._link_selected()

    @on(Button.Pressed, "#ind-link")
    def _link_selected(self) -> None:
        indicator = self._selected()
        if indicator is None:
            self.query_one("#ind-message", Static).update("Choose an indicator in the table first.")
            return
        exhibit_text = self.query_one("#ind-exhibit", Input).value.strip()
        entry_text = self.query_one("#ind-entry", Input).value.strip()
        self._save(
            indicator,
            str(self.query_one("#ind-status", Select).value),
            int(exhibit_text) if exhibit_text else None,
            int(entry_text) if entry_text else None,
            self.query_one("#ind-note", Input).value,
        )

    @work(thread=True, exclusive=True, group="indicators-save", exit_on_error=False)
    def _save(self, indicator: str, status: str, exhibit: int | None, entry: int | None, note: str) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.indicators import link_indicator

        message = self.query_one("#ind-message", Static)
        try:
            with self.database.session() as session:
                row = link_indicator(
                    session,
                    self.actor,
                    self.case_code,
                    indicator,
                    status=status,
                    note=note,
                    exhibit=exhibit,
                    narrative_entry_id=entry,
                )
        except TrpkitError as exc:
            self.app.call_from_thread(message.update, f"[b red]Not linked:[/] {escape(str(exc))}")
            return
        where = (
            f"exhibit {row.exhibit_number}"
            if row.exhibit_number
            else f"narrative entry {row.narrative_entry_id}"
            if row.narrative_entry_id
            else "a note"
        )
        self.app.call_from_thread(
            message.update, f"{row.indicator_id}: {row.status_label}, resting on {where}."
        )
        self._load()

    def action_clear_links(self) -> None:
        from trpkit.tui.screens.confirm import ConfirmScreen

        indicator = self._selected()
        if indicator is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._clear(indicator)

        self.app.push_screen(
            ConfirmScreen(
                f"Remove every link recorded for {indicator}? It goes back to "
                "'not explored'. Exhibits are kept.",
                yes="Remove",
                no="Keep",
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="indicators-save", exit_on_error=False)
    def _clear(self, indicator: str) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.indicators import list_links, unlink

        try:
            with self.database.session() as session:
                key = indicator.split("-", 1)[1]
                removed = 0
                for row in list_links(session, self.actor, self.case_code):
                    if row.indicator_id.split("-", 1)[1] == key:
                        unlink(session, self.actor, self.case_code, row.id)
                        removed += 1
        except TrpkitError as exc:
            self.app.call_from_thread(
                self.query_one("#ind-message", Static).update, f"[b red]Not removed:[/] {escape(str(exc))}"
            )
            return
        self.app.call_from_thread(
            self.query_one("#ind-message", Static).update, f"{indicator}: {removed} link(s) removed."
        )
        self._load()

    def action_smuggling(self) -> None:
        self._open_contrast()

    @work(thread=True, exclusive=True, group="indicators-contrast", exit_on_error=False)
    def _open_contrast(self) -> None:
        from trpkit.services.indicators import case_contrast, get_settings

        with self.database.session() as session:
            contrast = case_contrast(session, self.actor, self.case_code)
            consented = get_settings(session, self.actor, self.case_code).consented_to_crossing
        self.app.call_from_thread(self.app.push_screen, SmugglingContrastScreen(self, contrast, consented))

    def record_crossing_consent(self, value: bool | None) -> None:
        self._record_crossing(value)

    @work(thread=True, exclusive=True, group="indicators-save", exit_on_error=False)
    def _record_crossing(self, value: bool | None) -> None:
        from trpkit.services.indicators import set_settings

        with self.database.session() as session:
            set_settings(session, self.actor, self.case_code, consented_to_crossing=value)
        self._load()
