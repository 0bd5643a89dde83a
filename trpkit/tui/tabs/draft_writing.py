"""The Draft tab's Word file: the name suggested for it, generating it, opening it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message
from textual.widgets import Button, Input, Static

from trpkit.tui.tabs.base import CaseTab
from trpkit.tui.widgets.exhibit_files import friendly_error

if TYPE_CHECKING:
    from trpkit.documents.context import Organisation
    from trpkit.services.drafting import DraftRecord


@dataclass
class DraftWritten(Message):
    record: DraftRecord | None
    error: str = ""


class DraftWriting(CaseTab):
    """Writing the Word file for the DraftTab, which derives from this (a CaseTab itself, so Textual
    registers the handlers below)."""

    def _organisation(self) -> Organisation:
        """Read fresh from config.toml: a change made in the settings screen shows at once."""
        from trpkit.documents.context import Organisation
        from trpkit.errors import TrpkitError
        from trpkit.services.organisation import current

        try:
            return current()
        except TrpkitError:
            return Organisation()  # readiness then names every missing part

    _suggested = ""
    _folder: Path | None = None  # the folder of the last draft written (else the default one)

    def _suggest(self, template: str, language: str) -> None:
        """Fill in a file name (unless the person typed their own): documents/trpkit drafts/CODE-….docx."""
        from trpkit.db.base import utcnow
        from trpkit.services.drafting_files import default_drafts_folder, suggest_output

        output = self.query_one("#draft-output", Input)
        if output.value.strip() and output.value != self._suggested:
            return
        folder = self._folder or default_drafts_folder()
        self._suggested = str(suggest_output(folder, self.case_code, template, language, utcnow().date()))
        output.value = self._suggested

    _written_path: Path | None = None

    @on(Button.Pressed, "#draft-open")
    def _open_pressed(self) -> None:
        from trpkit.documents.opener import open_document

        if self._written_path is not None:
            self.query_one("#draft-message", Static).update(open_document(self._written_path))

    @work(thread=True, exclusive=True, group="draft-write", exit_on_error=False)
    def _generate(self, template: str, language: str, redacted: bool, output: Path) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.drafting import generate_draft

        try:
            with self.database.session() as session:
                record = generate_draft(
                    session,
                    self.actor,
                    self.case_code,
                    template=template,
                    output=output,
                    language=language,
                    redacted=redacted,
                    organisation=self._organisation(),
                    make_folder=True,
                )
        except TrpkitError as exc:
            self.post_message(DraftWritten(None, friendly_error(exc)))
            return
        self.post_message(DraftWritten(record))

    @on(DraftWritten)
    def _written(self, message: DraftWritten) -> None:
        status = self.query_one("#draft-message", Static)
        if message.record is None:
            status.update(f"[b red]Not drafted:[/] {message.error}")
            return
        record = message.record
        status.update(
            f"[b green]Wrote[/] {record.path}  (SHA-256 {record.sha256[:16]}…, "
            f"{len(record.findings)} warning(s) noted). Press Open to read it."
        )
        self._written_path = record.path
        self.query_one("#draft-open", Button).disabled = False
        self.query_one("#draft-output", Input).value = ""  # the next draft gets a fresh name
        self._folder = Path(str(record.path)).parent  # the next name goes in the folder chosen
        self.reload()
