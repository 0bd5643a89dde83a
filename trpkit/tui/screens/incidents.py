"""The Incidents screen: browse this agency's and received incidents, filter, mark followed, record, edit,
withdraw, export a signed package and import other agencies' packages.

Newest first. Typing in the filter narrows the table at once (title, place, sector, framing, agency); the
panel below shows the selected incident with its trafficking-or-smuggling second look, and under it the
result of the last export or import. Withdraw and export are a supervisor's, import a supervisor's,
analyst's or administrator's: their keys are shown only to those roles, and the services check again.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Input, Static

from trpkit.domain.incidents import IncidentView
from trpkit.services.incident_sharing import IMPORT_ROLES
from trpkit.services.incidents import SHARE_ROLES
from trpkit.tui.screens.incidents_sharing import SharingActions


@dataclass
class IncidentsLoaded(Message):
    views: list[IncidentView]
    error: str


def _haystack(view: IncidentView) -> str:
    from trpkit.domain.incident_vocab import fold
    from trpkit.loading.incident_vocab import vocabulary

    vocab, inc = vocabulary(), view.incident
    words = [
        inc.title,
        view.place_name,
        vocab.label("sector", inc.sector),
        vocab.label("framing", inc.framing),
        inc.agency,
        inc.when_text,
        view.ref,
    ]
    return fold(" ".join(words))


def describe(view: IncidentView) -> str:
    """The detail panel's text (Rich markup), the same facts as 'trpkit incident show'."""
    from rich.markup import escape

    from trpkit.domain.incidents import second_look
    from trpkit.loading.incident_vocab import vocabulary

    vocab, inc = vocabulary(), view.incident
    when = escape(inc.when_text or "-")
    if view.when_needs_correction:
        when += "  [b yellow]kept as written: not read as a date — press e to correct[/]"
    framing = vocab.label("framing", inc.framing)
    if inc.framing_changed:
        earlier = ", ".join(vocab.label("framing", f) for f in inc.framing_history)
        framing += f"  [b]framing changed[/b] (earlier: {earlier})"
    origin = "our agency" if view.own else f"from {escape(inc.agency)}"
    lines = [
        f"[b]{escape(inc.title)}[/b]  ({view.ref}, {origin}{', followed' if view.followed else ''})",
        f"When: {when}   Where: {escape(view.place_name)}   People: {vocab.label('band', inc.people)}",
        f"Framed as: {framing}",
    ]
    for label, value in (("Known", inc.known), ("Not known", inc.unknown), ("Questions", inc.questions)):
        if value:
            lines.append(f"{label}: {escape(value)}")
    if inc.asks:
        lines.append("Asks: " + ", ".join(vocab.label("ask", a) for a in inc.asks))
    look = second_look(inc, vocab)
    lines.append(f"[b]Second look[/b]: {look.note}")
    for item in look.items:
        said = f" — reported: {', '.join(item.reported)}" if item.reported else ""
        lines.append(f"  {item.element_label}{said}: " + " ".join(escape(q) for q in item.questions))
    return "\n".join(lines)


class IncidentsScreen(SharingActions):
    DEFAULT_CSS = """
    IncidentsScreen #inc-bar { height: auto; padding: 0 1; }
    IncidentsScreen #inc-filter { width: 60; }
    IncidentsScreen #inc-status { padding: 0 1; height: auto; }
    IncidentsScreen DataTable { height: 1fr; }
    IncidentsScreen #inc-detail-box { height: 14; border-top: solid $accent; padding: 0 1; }
    IncidentsScreen #inc-result { height: auto; margin-bottom: 1; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("m", "toggle_followed", "Mark followed"),
        Binding("ctrl+n", "new", "New"),
        Binding("e", "edit", "Edit"),
        Binding("ctrl+o", "toggle_own", "Ours / all"),
        Binding("ctrl+f", "toggle_followed_only", "Followed only"),
        Binding("w", "withdraw", "Withdraw"),
        Binding("x", "export", "Export"),
        Binding("i", "import_package", "Import"),
        Binding("f5", "reload", "Refresh"),
    ]
    _ROLE_ACTIONS = {"withdraw": SHARE_ROLES, "export": SHARE_ROLES, "import_package": IMPORT_ROLES}

    def __init__(self) -> None:
        super().__init__()
        self.views: list[IncidentView] = []
        self.shown: list[IncidentView] = []
        self.own_only = False
        self.followed_only = False
        self._pending_ref: str | None = None  # select the incident just saved once the list reloads

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="inc-bar"):
            yield Input(placeholder="Filter: words, place, sector, framing, agency", id="inc-filter")
        yield Static("Loading…", id="inc-status")
        table: DataTable[str | Text] = DataTable(id="inc-table", cursor_type="row")
        table.add_columns("ref", "when", "where", "sector", "from", "", "title")
        yield table
        with VerticalScroll(id="inc-detail-box"):
            yield Static("", id="inc-result")
            yield Static("", id="inc-detail")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Withdraw, export and import only for the roles that may (hidden from the others' footer)."""
        roles = self._ROLE_ACTIONS.get(action)
        return roles is None or self.actor.role in roles

    def on_mount(self) -> None:
        self.title = "Incidents"
        self.query_one("#inc-result", Static).display = False
        self.action_reload()
        self.query_one("#inc-table", DataTable).focus()

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="incidents-screen", exit_on_error=False)
    def _load(self) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services import incidents

        try:
            views = self.database.run(lambda session: incidents.list_incidents(session, self.actor))
        except TrpkitError as exc:
            self.post_message(IncidentsLoaded([], str(exc)))
            return
        self.post_message(IncidentsLoaded(views, ""))

    @on(IncidentsLoaded)
    def _loaded(self, message: IncidentsLoaded) -> None:
        self.views = message.views
        if message.error:
            self.query_one("#inc-status", Static).update(f"[b red]{message.error}[/]")
            return
        self._fill(keep_ref=self._pending_ref)
        self._pending_ref = None

    @on(Input.Changed, "#inc-filter")
    def _filter_changed(self) -> None:
        self._fill()

    def _fill(self, keep_ref: str | None = None) -> None:
        from trpkit.domain.incident_vocab import fold
        from trpkit.loading.incident_vocab import vocabulary

        vocab = vocabulary()
        table = self.query_one("#inc-table", DataTable)
        keep_ref = keep_ref or self._current_ref()
        words = fold(self.query_one("#inc-filter", Input).value).split()
        self.shown = [
            v
            for v in self.views
            if (not self.own_only or v.own)
            and (not self.followed_only or v.followed)
            and all(w in _haystack(v) for w in words)
        ]
        table.clear()
        for view in self.shown:
            inc = view.incident
            marks = ("F" if view.followed else "") + ("*" if inc.framing_changed else "")
            marks += ("?" if inc.calls_for_information else "") + ("!" if view.when_needs_correction else "")
            table.add_row(
                view.ref,
                Text(inc.when_text or "-"),
                Text(view.place_name),
                vocab.label("sector", inc.sector),
                "ours" if view.own else Text(inc.agency),
                marks,
                Text(inc.title),
                key=view.ref,
            )
        scope = ("our incidents" if self.own_only else "all incidents") + (
            ", followed only" if self.followed_only else ""
        )
        self.query_one("#inc-status", Static).update(
            f"{len(self.shown)} of {len(self.views)} ({scope}).  F followed  * framing changed  "
            "? call for information  ! date to correct"
        )
        if keep_ref and any(v.ref == keep_ref for v in self.shown):
            table.move_cursor(row=table.get_row_index(keep_ref))
        self._show_detail()

    def _current(self) -> IncidentView | None:
        table = self.query_one("#inc-table", DataTable)
        if not self.shown or table.cursor_row is None or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def _current_ref(self) -> str | None:
        current = self._current()
        return current.ref if current else None

    @on(DataTable.RowHighlighted, "#inc-table")
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        current = self._current()
        detail = self.query_one("#inc-detail", Static)
        if current is None:
            detail.update("No incidents yet: ctrl+n records one; i imports another agency's package.")
        else:
            detail.update(describe(current))

    def action_toggle_followed(self) -> None:
        from trpkit.services import incidents

        current = self._current()
        if current is None:
            return
        updated = self.database.run(
            lambda session: incidents.set_followed(session, self.actor, current.ref, not current.followed)
        )
        self.views = [updated if v.ref == updated.ref else v for v in self.views]
        self._fill(keep_ref=updated.ref)
        self.notify(f"{updated.ref} {'followed' if updated.followed else 'no longer followed'}")

    def action_toggle_own(self) -> None:
        self.own_only = not self.own_only
        self._fill()

    def action_toggle_followed_only(self) -> None:
        self.followed_only = not self.followed_only
        self._fill()

    def action_new(self) -> None:
        from trpkit.tui.screens.incident_form import IncidentFormScreen

        self.app.push_screen(IncidentFormScreen(), self._saved)

    def action_edit(self) -> None:
        from trpkit.tui.screens.incident_form import IncidentFormScreen

        current = self._current()
        if current is None:
            return
        if not current.own:
            self.notify(
                f"This incident came from {current.incident.agency}: only they can change it.",
                severity="warning",
            )
            return
        self.app.push_screen(IncidentFormScreen(current), self._saved)

    def _saved(self, ref: str | None) -> None:
        if ref:
            self.notify(f"Saved {ref}")
            self._pending_ref = ref
            self._load()
