"""Search every narrative you may open. Enter on a result opens that entry in its case's Narrative tab.

Query: words (all must appear), "a phrase", OR, -word to exclude, word* for a prefix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Input, Static

from trpkit.services.search import SearchHit
from trpkit.tui.typed import AppScreen


@dataclass
class SearchDone(Message):
    query: str
    hits: list[SearchHit]
    error: str = ""


def snippet_text(hit: SearchHit, wrap: bool = False) -> Text:
    text = Text() if wrap else Text(no_wrap=True, overflow="ellipsis")
    for piece, highlighted in hit.snippet_parts():
        # Runs of white space become one space; a piece's own leading/trailing space is kept, so a
        # match never runs into the words beside it.
        text.append(re.sub(r"\s+", " ", piece), style="bold reverse" if highlighted else "")
    return text


class NarrativeSearchScreen(AppScreen[None]):
    DEFAULT_CSS = """
    NarrativeSearchScreen #ns-query { margin: 0 1; }
    NarrativeSearchScreen #ns-count { height: auto; padding: 0 1; }
    NarrativeSearchScreen #ns-results { height: 1fr; }
    NarrativeSearchScreen #ns-excerpt { height: 4; padding: 0 1; border-top: solid $primary-darken-2; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder='Search narratives: words, "a phrase", OR, -word, word*', id="ns-query")
        yield Static("Only cases you can open are searched. Enter on a result opens it.", id="ns-count")
        table: DataTable[str] = DataTable(id="ns-results", cursor_type="row")
        table.add_columns("Case", "Told on", "Kind", "Entry", "Where it matches")
        yield table
        # The highlighted result's excerpt in full: the table's last column is cut on a narrow terminal.
        yield Static("", id="ns-excerpt")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Search narratives"
        self.query_one("#ns-query", Input).focus()

    @on(Input.Submitted, "#ns-query")
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.query_one("#ns-count", Static).update("Searching…")
            self._search(event.value)

    @work(thread=True, exclusive=True, group="narrative-search", exit_on_error=False)
    def _search(self, query: str) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.search import search
        from trpkit.tui.tabs.narrative_state import in_session

        try:
            hits = in_session(self.database, lambda s: search(s, self.actor, query))
        except TrpkitError as exc:
            self.post_message(SearchDone(query, [], str(exc)))
            return
        self.post_message(SearchDone(query, hits))

    @on(SearchDone)
    def _show(self, message: SearchDone) -> None:
        self.hits = message.hits
        table = self.query_one("#ns-results", DataTable)
        table.clear()
        for index, hit in enumerate(message.hits):
            table.add_row(
                hit.case_code,
                hit.meeting_date.isoformat(),
                hit.kind.replace("_", " "),
                str(hit.entry_id),
                snippet_text(hit),
                key=str(index),
            )
        count = self.query_one("#ns-count", Static)
        if message.error:
            count.update(Text(message.error, style="bold red"))
        else:
            count.update(
                Text(
                    f"{len(message.hits)} result(s) for “{message.query}”" if message.hits else "No matches."
                )
            )
        self.query_one("#ns-excerpt", Static).update("")
        if message.hits:
            table.focus()

    @on(DataTable.RowHighlighted, "#ns-results")
    def _excerpt(self, event: DataTable.RowHighlighted) -> None:
        index = int(event.row_key.value or 0) if event.row_key else 0
        if 0 <= index < len(self.hits):
            hit = self.hits[index]
            where = Text(f"{hit.case_code}, entry {hit.entry_id}: ", style="bold")
            self.query_one("#ns-excerpt", Static).update(where + snippet_text(hit, wrap=True))

    @on(DataTable.RowSelected, "#ns-results")
    async def _open(self, event: DataTable.RowSelected) -> None:
        hit = self.hits[int(event.row_key.value or 0)]
        await self.app.open_case(hit.case_code, tab="narrative")
        from trpkit.tui.tabs.narrative import NarrativeTab

        for tab in self.app.screen.query(NarrativeTab):
            tab.show_entry_when_loaded(hit.entry_id)
