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

from trpkit.domain.delphi_rules import STATUS_LABELS, TRPKIT_TIER_NOTE, LinkStatus
from trpkit.domain.frameworks import VERIFICATION_LABELS, DelphiList, Verification
from trpkit.domain.smuggling import Contrast
from trpkit.services.indicators_assessment import CaseAssessment
from trpkit.tui.tabs.indicators_links import IndicatorLinksMixin
from trpkit.tui.tabs.indicators_panels import SmugglingContrastScreen, gap_text
from trpkit.tui.widgets.exhibit_files import friendly_error

_STRENGTH = {"strong": "S", "medium": "M", "weak": "W", "unrated": "?"}
_STATUS_MARK = {
    "present": "● present",
    "reported_unsupported": "◐ unsupported",
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


# The stage of the journey each Delphi dimension belongs to (Dimension.role), as a column says it.
STAGES = {"recruitment": "recruitment", "exploitation": "at work", "destination": "destination"}
# Below this width the assessment panel is hidden (g shows it instead of the list).
NARROW = 120


class IndicatorsTab(IndicatorLinksMixin):
    TITLE = "Indicators"
    BINDINGS = [
        Binding("p", "mark('present')", "Present"),
        Binding("u", "mark('reported_unsupported')", "Unsupported"),
        Binding("x", "mark('explored_absent')", "Explored, absent"),
        Binding("delete", "clear_links", "Remove links"),
        Binding("g", "toggle_assessment", "Assessment"),
        Binding("s", "smuggling", "Trafficking or smuggling?"),
    ]
    # Every line below the list has a fixed height, so nothing moves the list while you work in it.
    DEFAULT_CSS = """
    IndicatorsTab #ind-head { height: 2; padding: 0 1; }
    IndicatorsTab #ind-body { height: 1fr; }
    IndicatorsTab #ind-left { width: 3fr; }
    IndicatorsTab #ind-dimensions { height: 8; }
    IndicatorsTab #ind-table { height: 1fr; }
    IndicatorsTab #ind-gaps { width: 2fr; border-left: solid $primary-darken-2; padding: 0 1; }
    IndicatorsTab.-narrow #ind-gaps { display: none; }
    IndicatorsTab.-narrow.-assessment #ind-gaps { display: block; width: 1fr; border-left: none; }
    IndicatorsTab.-narrow.-assessment #ind-left { display: none; }
    IndicatorsTab #ind-form { height: 3; }
    IndicatorsTab #ind-form Input { width: 1fr; }
    IndicatorsTab #ind-form Select { width: 26; }
    IndicatorsTab #ind-link { min-width: 8; width: 8; }
    IndicatorsTab #ind-message { height: 1; padding: 0 1; }
    IndicatorsTab #ind-detail { height: 3; padding: 0 1; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static("Loading the indicator map…", id="ind-head")
        with Horizontal(id="ind-body"):
            with Vertical(id="ind-left"):
                table: DataTable[str | Text] = DataTable(id="ind-table", cursor_type="row")
                self.columns = table.add_columns("No.", "Stage", "S", "Status", "Exh.", "Indicator")
                yield table
                yield Static("", id="ind-detail")
                with Horizontal(id="ind-form"):
                    yield Select(
                        [(STATUS_LABELS[s], s.value) for s in LinkStatus],
                        value="present",
                        allow_blank=False,
                        id="ind-status",
                    )
                    for input_id, placeholder in (("ind-exhibit", "Exhibit"), ("ind-entry", "Entry")):
                        number = Input(placeholder=placeholder, id=input_id, restrict=r"[0-9]*")
                        number.styles.width = 13  # app-wide Input rules beat DEFAULT_CSS
                        yield number
                    yield Input(placeholder="Note (what supports it)", id="ind-note")
                    yield Button("Link", variant="primary", id="ind-link")
                yield Static("", id="ind-message")
            with VerticalScroll(id="ind-gaps"):
                dims: DataTable[str | Text] = DataTable(id="ind-dimensions", cursor_type="none")
                dims.add_columns("#", "Dimension", "Positive", "S/M/W", "Rule")
                dims.styles.height = 8  # the app's DataTable rule (height: 1fr) beats DEFAULT_CSS
                yield dims
                yield Static("", id="ind-explanation")
                yield Static("", id="ind-gap-text")

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "-narrow")

    def action_toggle_assessment(self) -> None:
        """Narrow screens: the assessment and gaps in place of the list, and back."""
        if not self.has_class("-narrow"):
            self.query_one("#ind-gaps").focus()
            return
        self.toggle_class("-assessment")
        # Focus stays inside the tab (the arrows scroll what is shown; g comes back).
        self.query_one("#ind-gaps" if self.has_class("-assessment") else "#ind-table").focus()

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="indicators", exit_on_error=False)
    def _load(self) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.loading.frameworks import load_frameworks
        from trpkit.services.indicators_assessment import case_assessment, case_contrast

        try:
            assessment, contrast = self.database.run(
                lambda session: (
                    case_assessment(session, self.actor, self.case_code),
                    case_contrast(session, self.actor, self.case_code),
                )
            )
        except TrpkitError as exc:
            self.post_message(IndicatorsFailed(friendly_error(exc)))
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
        if a.status == "recruitment_undocumented":  # a child: a gap in the file, never "not identified"
            verdict = "[b yellow]the recruitment element is not yet documented[/]"
        if a.convergence:
            verdict += " (a convergence of medium and weak indicators)"
        positive = sum(d.positive for d in a.dimensions)
        self.query_one("#ind-head", Static).update(
            f"{escape(a.framework_name)}: {verdict}\n"
            f"[dim]{positive} of {len(a.dimensions)} dimensions positive. "
            f"{'g' if self.has_class('-narrow') else 'Right'}: assessment, gaps, IRCC criteria.[/]"
        )
        self._fill_dimensions(a)
        self._fill_indicators(a, delphi)
        self.query_one("#ind-gap-text", Static).update(gap_text(a, message.contrast))
        self.query_one("#ind-explanation", Static).update(self._explanation(a, delphi))
        self._show_detail_for(self._selected())

    def _explanation(self, a: CaseAssessment, delphi: DelphiList) -> str:
        lines = [f"[b]Assessment[/b] ({escape(a.framework_reason)})", escape(a.explanation)]
        if a.trpkit_tier:
            lines.append(f"{escape(a.trpkit_tier.removeprefix('trpkit: '))} ({TRPKIT_TIER_NOTE})")
        if delphi.verification is not Verification.CONFIRMED:
            lines.append(f"[yellow]Weights {VERIFICATION_LABELS[delphi.verification]}.[/]")
        if not delphi.complete:
            lines.append(
                "[b yellow]This list is incomplete in trpkit: unrated items are shown but not counted.[/]"
            )
        return "\n".join(lines) + "\n"

    def _fill_dimensions(self, a: CaseAssessment) -> None:
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

    def _fill_indicators(self, a: CaseAssessment, delphi: DelphiList) -> None:
        """The list, updated in place when it already holds these indicators: the cursor and the
        scroll position stay where they are while you link one indicator after another."""
        table = self.query_one("#ind-table", DataTable)
        state = statuses(a)
        roles = {d.id: d.role for d in delphi.dimensions}
        rows = []
        for item in delphi.indicators:
            status, exhibits = state.get(item.id, ("not_explored", ()))
            rows.append(
                (
                    item.id,
                    (
                        item.key,
                        STAGES.get(roles.get(item.dimension, ""), ""),
                        _STRENGTH[item.strength.value],
                        _STATUS_MARK[status],
                        ", ".join(map(str, exhibits)),
                        Text(item.label),
                    ),
                )
            )
        current = [str(k.value) for k in table.rows]
        if current == [key for key, _ in rows]:
            status_col, exhibit_col = self.columns[3], self.columns[4]
            for key, cells in rows:
                if table.get_cell(key, status_col) != cells[3]:
                    table.update_cell(key, status_col, cells[3])
                if table.get_cell(key, exhibit_col) != cells[4]:
                    table.update_cell(key, exhibit_col, cells[4])
            return
        table.clear()
        for key, cells in rows:
            table.add_row(*cells, key=key)

    @on(DataTable.RowHighlighted, "#ind-table")
    def _show_detail(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail_for(str(event.row_key.value) if event.row_key else None)

    def _show_detail_for(self, indicator_id: str | None) -> None:
        delphi = getattr(self, "delphi", None)
        item = delphi.by_id.get(indicator_id or "") if delphi is not None else None
        if item is None:
            return
        dimension = delphi.dimension(item.dimension) if delphi is not None else None
        where = (
            f"dimension {dimension.number}, {escape(dimension.label)} ({STAGES.get(dimension.role, '')})"
            if dimension is not None
            else ""
        )
        prompts = "  ".join(f"[i]{escape(p)}[/i]" for p in item.prompts)
        note = f" {escape(item.note)}" if item.note else ""
        self.query_one("#ind-detail", Static).update(
            f"[b]{item.id}[/b] {escape(item.label)}: {where}; {item.strength.value}, "
            f"weight {item.verification.value}.{note}\nYou might ask, if the story goes there: {prompts}"
        )

    def action_smuggling(self) -> None:
        self._open_contrast()

    @work(thread=True, exclusive=True, group="indicators-contrast", exit_on_error=False)
    def _open_contrast(self) -> None:
        from trpkit.services.indicators import get_settings
        from trpkit.services.indicators_assessment import case_contrast

        contrast, consented = self.database.run(
            lambda session: (
                case_contrast(session, self.actor, self.case_code),
                get_settings(session, self.actor, self.case_code).consented_to_crossing,
            )
        )
        self.app.call_from_thread(self.app.push_screen, SmugglingContrastScreen(self, contrast, consented))

    def record_crossing_consent(self, value: bool | None) -> None:
        self._record_crossing(value)

    @work(thread=True, exclusive=True, group="indicators-save", exit_on_error=False)
    def _record_crossing(self, value: bool | None) -> None:
        from trpkit.services.indicators import set_settings

        self.database.run(
            lambda session: set_settings(session, self.actor, self.case_code, consented_to_crossing=value)
        )
        self._load()
