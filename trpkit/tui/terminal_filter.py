"""Every line the app draws goes through ``trpkit.domain.terminal.for_terminal`` (one Textual line filter),
so a name or a note with control characters can never reach the terminal, whichever widget shows it."""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from trpkit.domain.terminal import for_terminal


class TerminalSafe(LineFilter):
    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            Segment(for_terminal(segment.text), segment.style, segment.control)
            if segment.control is None
            else segment
            for segment in segments
        ]
