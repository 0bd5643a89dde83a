"""The audit log: who opened, changed or exported which case, and whether the hash chain is intact.

Supervisors and administrators see everyone's entries; other roles see their own (the service decides).
Case codes and actions only, never names.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Input, Static

from trpkit.services.audit import AuditRow, ChainReport
from trpkit.tui.typed import AppScreen


@dataclass
class AuditLoaded(Message):
    rows: list[AuditRow]
    chain: ChainReport | None
    error: str


def detail_text(row: AuditRow) -> str:
    """key=value pairs, leaving out the empty ones (a filter that was not set is not news)."""
    return ", ".join(f"{k}={v}" for k, v in row.detail.items() if v is not None and v != "")


class AuditLogScreen(AppScreen[None]):
    DEFAULT_CSS = """
    AuditLogScreen #audit-filters { height: auto; padding: 0 1; }
    AuditLogScreen #audit-filters Input { width: 28; }
    AuditLogScreen #audit-chain { padding: 0 1; height: auto; }
    AuditLogScreen DataTable { height: 1fr; }
    AuditLogScreen #audit-detail { height: 3; padding: 0 1; border-top: solid $primary-darken-2; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("f5", "reload", "Refresh"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="audit-filters"):
            yield Input(placeholder="Case code (Enter)", id="audit-case")
            yield Input(placeholder="User (Enter)", id="audit-user")
        yield Static("Checking the chain…", id="audit-chain")
        table: DataTable[str] = DataTable(id="audit-table", cursor_type="row")
        table.add_columns("#", "When (UTC)", "User", "Action", "Case", "Detail")
        yield table
        # The whole entry under the list: a narrow terminal cuts the Detail column.
        yield Static("", id="audit-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Audit log"
        self.action_reload()

    def action_reload(self) -> None:
        case = self.query_one("#audit-case", Input).value.strip() or None
        user = self.query_one("#audit-user", Input).value.strip() or None
        self._load(case, user)

    @on(Input.Submitted)
    def _filter_submitted(self) -> None:
        self.action_reload()

    @work(thread=True, exclusive=True, group="audit-screen", exit_on_error=False)
    def _load(self, case: str | None, user: str | None) -> None:
        from trpkit.domain.vocab import Role
        from trpkit.errors import TrpkitError
        from trpkit.services import audit

        actor = self.actor
        try:
            rows = self.database.run(
                lambda session: audit.show(session, actor, case_code=case, username=user, limit=500)
            )
            chain = None
            if actor.role in (Role.SUPERVISOR, Role.ADMIN):
                chain = self.database.run(audit.verify)
        except TrpkitError as exc:
            self.post_message(AuditLoaded([], None, str(exc)))
            return
        self.post_message(AuditLoaded(rows, chain, ""))

    @on(AuditLoaded)
    def _loaded(self, message: AuditLoaded) -> None:
        status = self.query_one("#audit-chain", Static)
        if message.error:
            status.update(f"[b red]{message.error}[/]")
        elif message.chain is None:
            status.update(f"{len(message.rows)} of your own entries.")
        elif message.chain.ok:
            status.update(
                f"Chain intact: {message.chain.entries} entries. Head {message.chain.head_hash[:16]}…  "
                f"({len(message.rows)} shown)"
            )
        else:
            where = f" at entry {message.chain.first_bad_id}" if message.chain.first_bad_id else ""
            status.update(f"[b red]Audit log damaged{where}: {message.chain.problem}.[/]")
        table = self.query_one("#audit-table", DataTable)
        table.clear()
        self.rows = {str(row.id): row for row in message.rows}
        for row in message.rows:
            table.add_row(
                str(row.id),
                row.at.strftime("%Y-%m-%d %H:%M:%S"),
                row.username,
                row.action,
                row.case_code or "",
                Text(detail_text(row), no_wrap=True, overflow="ellipsis"),
                key=str(row.id),
            )
        if not message.rows:
            self.query_one("#audit-detail", Static).update("No entries match.")

    @on(DataTable.RowHighlighted, "#audit-table")
    def _show_entry(self, event: DataTable.RowHighlighted) -> None:
        row = getattr(self, "rows", {}).get(str(event.row_key.value))
        if row is None:
            return
        case = f" on {row.case_code}" if row.case_code else ""
        self.query_one("#audit-detail", Static).update(
            Text.assemble(
                (f"#{row.id}", "bold"),
                f" {row.at:%Y-%m-%d %H:%M:%S} UTC, {row.username}: {row.action}{case}. ",
                detail_text(row),
            )
        )
