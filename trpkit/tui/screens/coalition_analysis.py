"""Coalition analysis: grant rates with intervals, findings in plain words, terminal charts.

Reads the coalition store (analysts, supervisors, administrators) or a CSV in the shared-record schema.
Never shows an agency, a group below the minimum cell or a count of 1 to 4 (the report enforces it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Footer, Header, Input, Select, Static
from textual_plotext import PlotextPlot

from trpkit.coalition.words import group_words
from trpkit.tui.typed import AppScreen


@dataclass
class ReportReady(Message):
    report: dict[str, Any] | None
    source: str
    problem: str = ""


class AnalyticsScreen(AppScreen[None]):
    DEFAULT_CSS = """
    AnalyticsScreen #an-bar { height: auto; padding: 0 1; }
    AnalyticsScreen #an-bar Input { width: 1fr; }
    AnalyticsScreen #an-bar Select { width: 30; }
    AnalyticsScreen #an-summary { height: auto; max-height: 12; padding: 0 1; overflow-y: auto; }
    AnalyticsScreen #an-body { height: 1fr; }
    AnalyticsScreen DataTable { height: 1fr; width: 1fr; }
    AnalyticsScreen #an-charts { width: 1fr; }
    AnalyticsScreen PlotextPlot { height: 1fr; }
    AnalyticsScreen.-narrow #an-summary { max-height: 6; }
    AnalyticsScreen.-narrow #an-charts { display: none; }
    AnalyticsScreen.-narrow.-charts #an-charts { display: block; }
    AnalyticsScreen.-narrow.-charts #an-table { display: none; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("f5", "reload", "Refresh"),
        Binding("ctrl+t", "toggle_charts", "Charts / table"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.report: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="an-bar"):
            yield Input(placeholder="Records CSV (empty: the coalition store)", id="an-path")
            yield Button("Load", id="an-load")
            yield Select([], prompt="Grant rate by…", id="an-dimension", allow_blank=True)
        yield Static("Loading…", id="an-summary")
        with Horizontal(id="an-body"):
            table: DataTable[str] = DataTable(id="an-table", cursor_type="row")
            table.add_columns("Group", "Decisions", "Granted", "95% interval")
            yield table
            with Vertical(id="an-charts"):
                yield PlotextPlot(id="an-rates")
                yield PlotextPlot(id="an-km")
        yield Footer()

    def on_resize(self) -> None:
        # Under 120 columns the table and the charts take turns (ctrl+t), each readable at full width.
        self.set_class(self.size.width < 120, "-narrow")

    def action_toggle_charts(self) -> None:
        self.toggle_class("-charts")

    def on_mount(self) -> None:
        self.title = "Coalition analysis"
        self.action_reload()

    def action_reload(self) -> None:
        self._load(self.query_one("#an-path", Input).value.strip())

    @on(Button.Pressed, "#an-load")
    @on(Input.Submitted, "#an-path")
    def _load_pressed(self) -> None:
        self.action_reload()

    @work(thread=True, exclusive=True, group="analytics-screen", exit_on_error=False)
    def _load(self, path: str) -> None:
        from trpkit.coalition.report import build_report
        from trpkit.errors import TrpkitError
        from trpkit.loading.coalition_policy import load_policy

        try:
            policy = load_policy()
            if path:
                from trpkit.coalition.record import read_csv

                _, records = read_csv(Path(path).expanduser())
                source = Path(path).name
            else:
                from trpkit.services.coalition import records_for_report

                records = self.database.run(lambda session: records_for_report(session, self.actor))
                source = "coalition store"
            if not records:
                self.post_message(
                    ReportReady(
                        None,
                        source,
                        "No coalition records yet. Import packages with "
                        "'trpkit coalition import PACKAGE…', or load a records CSV above.",
                    )
                )
                return
            report = build_report(
                records, min_cell=policy.report_min_cell, source=source, hierarchies=policy.hierarchies
            )
        except TrpkitError as exc:
            self.post_message(ReportReady(None, path or "coalition store", str(exc)))
            return
        self.post_message(ReportReady(report, source))

    @on(ReportReady)
    def _ready(self, message: ReportReady) -> None:
        summary = self.query_one("#an-summary", Static)
        if message.report is None:
            self.report = None
            summary.update(message.problem)
            return
        self.report = message.report
        lines = [
            (
                f"[b]{message.source}[/b]: {message.report['records']} records, {message.report['decided']} "
                f"decided; groups under {message.report['min_cell']} are not shown."
            )
        ]
        marks = {"clear": "[b green]●[/]", "unclear": "[yellow]○[/]", "insufficient": "[dim]·[/]"}
        lines += [f"{marks.get(f['strength'], '-')} {f['text']}" for f in message.report["findings"]]
        summary.update("\n".join(lines))
        options = [(t["label"], t["dimension"]) for t in message.report.get("rates", [])]
        select = self.query_one("#an-dimension", Select)
        select.set_options(options)
        if options:
            select.value = options[0][1]
        self._fill()
        self._draw_km()

    @on(Select.Changed, "#an-dimension")
    def _dimension_changed(self) -> None:
        self._fill()

    def current_table(self) -> dict[str, Any] | None:
        if self.report is None:
            return None
        value = self.query_one("#an-dimension", Select).value
        rates: list[dict[str, Any]] = self.report.get("rates", [])
        for table in rates:
            if table["dimension"] == value:
                return table
        return None

    def _fill(self) -> None:
        table_widget = self.query_one("#an-table", DataTable)
        table_widget.clear()
        table = self.current_table()
        plot = self.query_one("#an-rates", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        if table is None:
            plot.refresh()
            return
        words = [group_words(table["dimension"], str(cell["value"])) for cell in table["cells"]]
        for cell, group in zip(table["cells"], words, strict=True):
            lo, hi = cell["ci"]
            table_widget.add_row(Text(group), str(cell["n"]), cell["rate_display"], f"{lo:.0%}–{hi:.0%}")
        if table["suppressed_groups"]:
            table_widget.add_row(f"({table['suppressed_groups']} small group(s) not shown)", "", "", "")
        shown = [c for c in table["cells"] if c["rate"] is not None]
        if shown:
            names = [group_words(table["dimension"], str(c["value"]), short=True)[:14] for c in shown]
            plt.bar(names, [round(100 * c["rate"]) for c in shown])
            plt.ylim(0, 100)
        plt.title(f"Grant rate (%) by {table['label']}")
        plot.refresh()

    def _draw_km(self) -> None:
        plot = self.query_one("#an-km", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        processing = (self.report or {}).get("processing", {})
        if processing.get("ok"):
            for name, curve in processing["groups"].items():
                if curve.get("times"):
                    label = group_words("application_type", name)[:20]
                    plt.plot([0.0] + curve["times"], [1.0] + curve["survival"], label=label)
            plt.title("Share still waiting for a decision, by days")
        plot.refresh()
