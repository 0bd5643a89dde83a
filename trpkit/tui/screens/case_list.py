"""The case list: filter as you type (in memory, so each keystroke is instant), names hidden by default.

Each case is kept as a plain tuple of the strings its row shows (made in the loading thread), not as a
summary object: at 100,000 cases that is less memory, and plain tuples of strings drop out of Python's
garbage collector's walks, so no keystroke waits on a full collection over the caseload.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Input, Static

from trpkit.domain.terminal import for_terminal
from trpkit.services.cases import CaseSummary
from trpkit.tui.typed import AppScreen
from trpkit.tui.words import plural

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# (code, status, name, nationality, sector, accompaniers, updated): what a row shows, in column order
Row = tuple[str, str, str, str, str, str, str]
CODE, NATIONALITY = 0, 3

COLUMNS = [
    ("Case", 13),
    ("Status", 9),
    ("Name", 18),
    ("Nat.", 4),
    ("Sector", 18),
    ("Accompaniers", 14),
    ("Updated", 10),
]
MAX_ROWS = 500  # more than anyone scrolls; the filter narrows the rest
FIRST_PAGE = 100  # shown at once while the rest of a large caseload loads


@dataclass
class CasesLoaded(Message):
    cases: list[Row]
    keys: list[str]  # per case, the lowercase text the filter looks in
    revealed: bool
    complete: bool = True  # False: the first screenful, with the rest still loading
    seq: int = 0  # which load this answers; an answer to an older load is dropped


class CaseListScreen(AppScreen[None]):
    DEFAULT_CSS = """
    #filter { margin: 0 1; }
    #status-line { padding: 0 1; color: $text-muted; height: 1; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("ctrl+r", "toggle_names", "Show/hide names"),
        Binding("ctrl+n", "app.new_case", "New case"),
        Binding("ctrl+f", "focus_filter", "Filter"),
        Binding("down", "move(1)", "Next case", show=False),
        Binding("up", "move(-1)", "Previous case", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.cases: list[Row] = []
        self.keys: list[str] = []
        self.revealed = False
        self.shown: list[Row] = []
        self.complete = False
        self._load_seq = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="Filter: case code, status, country, sector (names too when shown); enter opens",
            id="filter",
        )
        yield Static("Loading cases…", id="status-line")
        table: DataTable[str | Text] = DataTable(id="cases", cursor_type="row", zebra_stripes=True)
        # fixed widths: the whole code, status and sector always show (auto widths stayed at the
        # headers' width after a refill), and the layout does not jump as the filter narrows
        for label, width in COLUMNS:
            table.add_column(label, width=width)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#filter", Input).focus()

    def on_screen_resume(self) -> None:
        """Shown for the first time or again: (re)load. One load per showing, not two."""
        self._start_load(self.revealed)

    def _start_load(self, reveal: bool, first_screenful: bool = True) -> None:
        self._load_seq += 1
        self._load(reveal, first_screenful, self._load_seq)

    def _load_rest(self, seq: int) -> None:
        if seq == self._load_seq and not self.complete:  # nothing newer (e.g. ctrl+r) has started meanwhile
            self._start_load(self.revealed, first_screenful=False)

    @work(thread=True, exclusive=True, group="case-list", exit_on_error=False)
    def _load(self, reveal: bool, first_screenful: bool, seq: int) -> None:
        from trpkit.domain.places_languages import country_name
        from trpkit.services.cases import iter_cases

        if self.app.database is None:
            return
        # A screenful first, so a large caseload appears at once; the rest loads once it is painted.
        # Revealing names loads everything in one go, so the reveal is audited once.
        limit = FIRST_PAGE if first_screenful and not reveal else None
        # The country names index the filter reads, built here, never on the screen's thread (usually the
        # unlock warm-up has built it already; a first page can be the whole list).
        country_name("MX")

        def collect(session: Session) -> tuple[list[Row], list[str]]:
            rows: list[Row] = []
            keys: list[str] = []
            same: dict[str, str] = {}  # one string per repeated value (a sector, a team, a day), not per case
            for case in iter_cases(session, self.actor, reveal_names=reveal, limit=limit):
                rows.append(_row(case, same))
                keys.append(_key(case, reveal))
            return rows, keys

        rows, keys = self.database.run(collect)
        complete = limit is None or len(rows) < FIRST_PAGE
        self.post_message(CasesLoaded(rows, keys, reveal, complete=complete, seq=seq))

    @on(CasesLoaded)
    def _loaded(self, message: CasesLoaded) -> None:
        if message.seq != self._load_seq:
            return
        self.cases, self.keys = message.cases, message.keys
        self.revealed = message.revealed
        self.complete = message.complete
        self.apply_filter(self.query_one("#filter", Input).value)
        if not message.complete:
            self.call_after_refresh(self._load_rest, message.seq)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.apply_filter(event.value)

    def apply_filter(self, text: str) -> None:
        # One plain pass per word: several times faster than all(...) per case at 100,000 cases.
        pairs: list[tuple[Row, str]] | zip[tuple[Row, str]] = zip(self.cases, self.keys, strict=False)
        for word in text.lower().split():
            pairs = [(c, key) for c, key in pairs if word in key]
        matches = [c for c, _key in pairs]
        shown = matches[:MAX_ROWS]
        table = self.query_one("#cases", DataTable)
        if shown != self.shown or table.row_count != len(
            shown
        ):  # same rows (the rest loaded): keep the cursor
            self.shown = shown
            self._fill(table)
        names = "names shown (ctrl+r hides)" if self.revealed else "names hidden (ctrl+r shows)"
        if not self.complete:
            self.query_one("#status-line", Static).update(
                f"First {len(self.cases)} cases shown; loading the rest… — {names}"
            )
            return
        more = f" (showing the first {MAX_ROWS}; type to narrow)" if len(matches) > MAX_ROWS else ""
        self.query_one("#status-line", Static).update(
            f"{len(matches)} of {plural(len(self.cases), 'case')}{more} — {names}"
        )

    def _fill(self, table: DataTable[str | Text]) -> None:
        table.clear()
        # the name is cleaned (for_terminal) when the row is made, and shown as Text: never as markup
        table.add_rows([(*row[:2], Text(row[2]), *row[3:]) for row in self.shown])

    @on(Input.Submitted, "#filter")
    async def _open_highlighted(self) -> None:
        """enter in the filter (typed in or still empty) opens the highlighted case, the first one unless
        the arrows moved the cursor."""
        if self.shown:
            table = self.query_one("#cases", DataTable)
            row = min(max(table.cursor_row, 0), len(self.shown) - 1)
            await self.app.open_case(self.shown[row][CODE])

    @on(DataTable.RowSelected, "#cases")
    async def _open(self, event: DataTable.RowSelected) -> None:
        code = self.shown[event.cursor_row][CODE]
        await self.app.open_case(code)

    def action_toggle_names(self) -> None:
        self._start_load(not self.revealed)

    def action_move(self, step: int) -> None:
        """Arrows while typing in the filter move the highlight in the table (enter then opens it)."""
        table = self.query_one("#cases", DataTable)
        if table.row_count:
            table.move_cursor(row=min(max(table.cursor_row + step, 0), table.row_count - 1))

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()


def _row(case: CaseSummary, same: dict[str, str]) -> Row:
    def one(text: str) -> str:
        return same.setdefault(text, text)

    return (
        case.code,
        case.status,
        one(for_terminal(case.display_name)),  # the data is cleaned before trpkit styles it
        case.nationality,
        one(case.exploitation_sector.replace("_", " ")),
        one(", ".join(case.accompaniers)),
        one(case.updated_at.strftime("%Y-%m-%d")),
    )


def _key(case: CaseSummary, revealed: bool) -> str:
    from trpkit.domain.places_languages import country_name

    country = country_name(case.nationality) if case.nationality else ""
    name = case.display_name if revealed else ""
    return " ".join(
        (
            case.code,
            case.status,
            case.nationality,
            country,
            case.exploitation_sector,
            name,
            *case.accompaniers,
        )
    ).lower()
