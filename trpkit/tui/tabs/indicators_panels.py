"""Beside the Indicators tab: the gap report's text and the trafficking-or-smuggling contrast screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from trpkit.domain.smuggling import Contrast
from trpkit.services.indicators_assessment import CaseAssessment

if TYPE_CHECKING:
    from trpkit.tui.tabs.indicators import IndicatorsTab


def gap_text(assessment: CaseAssessment, contrast: Contrast) -> str:
    gaps = assessment.gaps
    lines = ["[b]Gaps[/b]"]
    if gaps.near_misses:
        for near in gaps.near_misses:
            flag = " [b](would identify)[/b]" if near.would_identify else ""
            lines.append(f"• {escape(near.label)}: one short, needs {near.needs}{flag}")
            for c in near.candidates[:4]:
                lines.append(f"   {c.id} ({c.strength}, {c.status.replace('_', ' ')}) {escape(c.label)}")
                if c.prompts:
                    lines.append(f"     [i]e.g. {escape(c.prompts[0])}[/i]")
    else:
        lines.append("• No dimension is exactly one indicator short.")
    if gaps.account_only:
        lines.append(f"• Only the person's own account: {', '.join(gaps.account_only)}")
    if gaps.no_support_recorded:
        lines.append(f"• Marked without a linked exhibit: {', '.join(gaps.no_support_recorded)}")
    lines.append("")
    lines.append("[b]IRCC criteria[/b] (an indication of one is enough)")
    for crit in gaps.ircc:
        mark = "✔" if crit.evidenced else "◐" if crit.supported else "✘"
        extra = " (person's account only)" if crit.account_only else ""
        exhibits = f" exhibits {', '.join(map(str, crit.exhibits))}" if crit.exhibits else ""
        if crit.supported and not crit.evidenced:
            extra += " (indicated, nothing linked yet)"
        lines.append(f"{mark} {crit.id} {escape(crit.label)}{exhibits}{extra}")
    lines.append("")
    lines.append("[b]Criminal Code s. 279.04[/b]")
    for element in gaps.criminal_code:
        lines.append(f"{'✔' if element.supported else '✘'} {escape(element.label)}")
    lines.append("")
    lines.append("[b]Trafficking or smuggling?[/b]")
    for e in contrast.elements:
        lines.append(f"• {escape(e.label)}: {escape(e.reading)}")
    lines.append(escape(contrast.summary))
    return "\n".join(lines)


class SmugglingContrastScreen(ModalScreen[None]):
    """Trafficking or smuggling? The five elements side by side, read against this file."""

    DEFAULT_CSS = """
    SmugglingContrastScreen { align: center middle; }
    SmugglingContrastScreen > Vertical { width: 150; height: auto; max-height: 90%; border: thick $primary;
                                         background: $surface; padding: 1 2; }
    SmugglingContrastScreen Horizontal { height: auto; margin-top: 1; }
    SmugglingContrastScreen Button { margin-right: 2; }
    """
    BINDINGS = [Binding("escape", "dismiss", "Close")]

    def __init__(self, tab: IndicatorsTab, contrast: Contrast, consented: bool | None) -> None:
        super().__init__()
        self.tab, self.contrast, self.consented = tab, contrast, consented

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                "[b]Trafficking or smuggling?[/b]\nSmuggling ends at the border; trafficking continues "
                "after it and needs no border at all. A person who agreed to be smuggled can still be "
                "trafficked."
            )
            grid = Table(expand=True, show_lines=True, header_style="bold")
            grid.add_column("Element", ratio=2)
            grid.add_column("This file", ratio=3)
            grid.add_column("Smuggling usually", ratio=3)
            grid.add_column("Points to trafficking", ratio=4)
            for e in self.contrast.elements:
                reading = e.reading + (f" (items {', '.join(e.indicators)})" if e.indicators else "")
                style = "bold" if e.reading.startswith("points to trafficking") else ""
                grid.add_row(e.label, Text(reading, style=style), e.smuggling, e.trafficking)
            self.grid = grid
            yield Static(grid, id="contrast-table")
            yield Static(escape(self.contrast.summary), id="contrast-summary")
            said = {True: "yes", False: "no", None: "not recorded"}[self.consented]
            yield Static(f"Did the person agree to the crossing itself? Recorded: [b]{said}[/b]")
            with Horizontal():
                yield Button("They agreed", id="consent-yes")
                yield Button("They did not", id="consent-no")
                yield Button("Not known", id="consent-unknown")
                yield Button("Close", variant="primary", id="contrast-close")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "contrast-close":
            self.dismiss(None)
            return
        value = {"consent-yes": True, "consent-no": False, "consent-unknown": None}[str(event.button.id)]
        self.tab.record_crossing_consent(value)
        self.dismiss(None)
