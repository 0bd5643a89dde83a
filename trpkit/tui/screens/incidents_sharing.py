"""The Incidents screen's sharing keys: withdraw (after asking), export a signed package to a file the
person confirms, import a package from a path they type. The services check roles and content; what they
say, refusals included, is shown at the top of the panel under the table (``#inc-result``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.message import Message
from textual.widgets import Static

from trpkit.domain.incidents import IncidentView
from trpkit.tui.typed import AppScreen


@dataclass
class SharingDone(Message):
    """An export's or import's outcome (Rich markup), and whether the list changed."""

    text: str
    changed: bool


class SharingActions(AppScreen[None]):
    """Withdraw, export and import for the Incidents screen, which supplies the list and the selection."""

    def _current(self) -> IncidentView | None:
        raise NotImplementedError

    def action_reload(self) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------------ withdraw, export, import
    def _say(self, text: str) -> None:
        result = self.query_one("#inc-result", Static)
        result.update(text)
        result.display = bool(text)

    def action_withdraw(self) -> None:
        from trpkit.tui.screens.confirm import ConfirmScreen

        current = self._current()
        if current is None:
            return
        if not current.own:
            self.notify(
                f"This incident came from {current.incident.agency}: only they can withdraw it.",
                severity="warning",
            )
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._withdraw(current.ref)

        self.app.push_screen(
            ConfirmScreen(
                f"Withdraw {current.ref} “{current.incident.title}”? Your next export tells member "
                "agencies to drop it: they keep only its id. It cannot be edited or shared again.",
                yes="Withdraw",
                no="Keep it",
            ),
            answered,
        )

    def _withdraw(self, ref: str) -> None:
        from rich.markup import escape

        from trpkit.errors import TrpkitError
        from trpkit.services import incidents

        try:
            self.database.run(lambda session: incidents.withdraw_incident(session, self.actor, ref))
        except TrpkitError as exc:
            self._say(f"[b red]{escape(str(exc))}[/]")
            return
        self._say(f"{ref} withdrawn: press x to export, which tells member agencies.")
        self.action_reload()

    def action_export(self) -> None:
        from trpkit.services.incident_sharing import default_package_path
        from trpkit.tui.screens.path_prompt import PathPromptScreen

        def chosen(typed: str | None) -> None:
            if typed:
                self._say("Checking and signing…")
                self._export(typed)

        self.app.push_screen(
            PathPromptScreen(
                "Export this agency's new and changed incidents (and withdrawals) as a signed package. "
                "Everything is checked first: nothing is written if a text could identify someone. "
                "Package file:",
                str(default_package_path()),
                action="Export",
            ),
            chosen,
        )

    @work(thread=True, exclusive=True, group="incidents-sharing", exit_on_error=False)
    def _export(self, typed: str) -> None:
        from rich.markup import escape

        from trpkit.errors import TrpkitError
        from trpkit.services import incident_sharing

        try:
            with self.database.session() as session:
                result = incident_sharing.export_incidents(session, self.actor)
                # In the transaction, as the CLI does: a failed write leaves nothing marked shared.
                written = incident_sharing.write_package(Path(typed), result.data)
        except incident_sharing.ExportRefused as exc:
            self.post_message(
                SharingDone(f"[b red]{escape(str(exc))}[/]\nEdit the incident (e) and export again.", False)
            )
            return
        except TrpkitError as exc:
            self.post_message(SharingDone(f"[b red]{escape(str(exc))}[/]", False))
            return
        self.post_message(
            SharingDone(
                f"[b green]Package written to {escape(str(written))}[/] (only you can read it): "
                f"{result.incidents} incident(s), {result.withdrawals} withdrawal(s), signed as "
                f"{escape(result.agency)}. Send it to member agencies and the coordinator.",
                True,
            )
        )

    def action_import_package(self) -> None:
        from trpkit.tui.screens.path_prompt import PathPromptScreen

        def chosen(typed: str | None) -> None:
            if typed:
                self._say("Checking and importing…")
                self._import(typed)

        self.app.push_screen(
            PathPromptScreen(
                "Import another agency's incident package (.trpinc). It is checked (signature of a known "
                "agency, versions, format) and refused whole if anything is wrong. Package file:",
                action="Import",
            ),
            chosen,
        )

    @work(thread=True, exclusive=True, group="incidents-sharing", exit_on_error=False)
    def _import(self, typed: str) -> None:
        from rich.markup import escape

        from trpkit.errors import TrpkitError
        from trpkit.services import incident_sharing

        path = Path(typed).expanduser()
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.post_message(
                SharingDone(
                    f"[b red]Cannot read {escape(str(path))} ({exc.strerror}).[/] Check the path.", False
                )
            )
            return
        try:
            r = self.database.run(
                lambda session: incident_sharing.import_package_bytes(
                    session, self.actor, data, source=str(path)
                )
            )
        except TrpkitError as exc:
            self.post_message(SharingDone(f"[b red]{escape(str(exc))}[/]", False))
            return
        if not r.imported:
            self.post_message(
                SharingDone(
                    f"[b red]{escape(str(path))}: refused, nothing imported:[/] {escape(r.message)}", False
                )
            )
            return
        self.post_message(
            SharingDone(
                f"[b green]Imported from {escape(r.agency)}:[/] {r.new} new, {r.updated} updated, "
                f"{r.withdrawn} withdrawn" + (f", {r.unchanged} unchanged" if r.unchanged else "") + ".",
                True,
            )
        )

    @on(SharingDone)
    def _sharing_done(self, message: SharingDone) -> None:
        self._say(message.text)
        if message.changed:
            self.action_reload()
