"""The files of one exhibit, kept inside the vault: list them, attach one from disk (a typed or pasted
path, or Browse…), remove one after asking. Used by the Evidence tab."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Label

from trpkit.services.evidence import AttachmentInfo, EvidenceRow
from trpkit.services.evidence_files import MAX_ATTACHMENT_BYTES
from trpkit.tui.typed import AppPart


def clean_path(text: str) -> str:
    """A path as people paste or drop it into a terminal: quoted, with escaped spaces, or as a file:// URL."""
    from urllib.parse import unquote

    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    elif "\\ " in text:
        text = text.replace("\\ ", " ")
    if text.startswith("file://"):
        text = unquote(text[len("file://") :])
    return text


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def friendly_error(exc: Exception) -> str:
    """A service's message in the words of a screen (no command-line hints)."""
    from trpkit.errors import ConsentMissing

    if isinstance(exc, ConsentMissing):
        return (
            f"The person has not given consent to “{exc.purpose_label}” (now: {exc.state}). Record their "
            "consent in the Consent tab first; nothing was saved."
        )
    return str(exc).split(" List them with")[0]


def path_problem(path: Path, typed: str) -> str | None:
    """Why this path cannot be attached, in plain words (None: it can)."""
    try:
        if not path.exists():
            return f"There is no file at {typed}. Check the spelling; give the full path (from / or ~)."
        if path.is_dir():
            return f"{typed} is a folder: give the path of a file inside it, or press Browse…."
        size = path.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            return (
                f"{path.name} is {human_size(size)}: files are limited to {human_size(MAX_ATTACHMENT_BYTES)}. "
                "Compress or split it."
            )
        if size == 0:
            return f"{path.name} is empty (0 bytes): there is nothing to attach."
    except OSError as exc:
        return f"{typed} cannot be read: {exc.strerror or exc}."
    return None


class ExhibitFiles(AppPart):
    """Keys: enter in the path attaches · delete in the list removes the file (after asking)."""

    @dataclass
    class Report(Message):
        """Something to tell the person (Rich markup); ``changed``: the exhibit's files changed."""

        text: str
        changed: bool = False

    BINDINGS: ClassVar = [Binding("delete", "remove_file", "Remove file")]
    DEFAULT_CSS = """
    ExhibitFiles { height: auto; }
    ExhibitFiles Horizontal { height: auto; margin-top: 1; }
    ExhibitFiles #ev-files-label { margin-top: 1; }
    ExhibitFiles #ev-path { margin-top: 1; width: 1fr; }
    ExhibitFiles Button { width: auto; min-width: 8; margin-right: 1; }
    """

    def __init__(self, case_code: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.case_code = case_code
        self.row: EvidenceRow | None = None

    def compose(self) -> ComposeResult:
        yield Label("Files kept inside the vault:", id="ev-files-label")
        files: DataTable[Any] = DataTable(id="ev-files", cursor_type="row")
        files.add_columns("File", "Size", "SHA-256")
        yield files
        yield Input(
            placeholder="full path of a file to attach, e.g. ~/Documents/letter.pdf",
            id="ev-path",
            compact=True,
        )
        with Horizontal():
            yield Button("Attach", id="ev-attach", compact=True)
            yield Button("Browse…", id="ev-browse", compact=True)
            yield Button("Remove file", id="ev-detach", compact=True)

    def on_mount(self) -> None:
        # The app's stylesheet makes every DataTable 1fr high; this list is a short one.
        self.query_one("#ev-files", DataTable).styles.height = 4
        self.show(None)

    def show(self, row: EvidenceRow | None) -> None:
        """The files of ``row`` (None: a new exhibit, not saved yet)."""
        self.row = row
        files = self.query_one("#ev-files", DataTable)
        files.clear()
        for a in row.attachments if row else ():
            files.add_row(Text(a.name), human_size(a.size), a.sha256[:16] + "…", key=str(a.id))
        self.query_one("#ev-files-label", Label).update(
            f"Files of exhibit {row.exhibit_number}, kept inside the vault:"
            if row
            else "Files: save the new exhibit first, then attach files to it."
        )
        for selector in ("#ev-attach", "#ev-browse", "#ev-detach"):
            self.query_one(selector, Button).disabled = row is None

    def _say(self, text: str, changed: bool = False) -> None:
        self.post_message(self.Report(text, changed))

    # -- attaching -------------------------------------------------------------------------------
    @on(Button.Pressed, "#ev-attach")
    @on(Input.Submitted, "#ev-path")
    def _attach_pressed(self) -> None:
        self.attach_path(self.query_one("#ev-path", Input).value)

    def attach_path(self, text: str) -> None:
        """Check the path here (plain words for every mistake), then copy the file into the vault."""
        if self.row is None:
            self._say("Save the new exhibit first (ctrl+s), then attach files to it.")
            return
        typed = clean_path(text)
        if not typed:
            self._say(
                "Type the full path of the file, e.g. /home/ana/Documents/letter.pdf, or press Browse…."
            )
            self.query_one("#ev-path", Input).focus()
            return
        path = Path(typed).expanduser()
        problem = path_problem(path, typed)
        if problem:
            self._say(f"[b red]Not attached:[/] {escape(problem)}")
            return
        self._say(f"Copying {escape(path.name)} into the vault…")
        self._copy_into_vault(self.row, path)

    @work(thread=True, group="evidence-files", exit_on_error=False)
    def _copy_into_vault(self, row: EvidenceRow, path: Path) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.evidence_files import attach_file

        database, actor = self.database, self.actor
        try:
            data = path.read_bytes()
            info = database.run(
                lambda session: attach_file(
                    session, actor, self.case_code, row.exhibit_number, path.name, data, evidence_id=row.id
                )
            )
        except OSError as exc:
            self._say(
                f"[b red]Not attached:[/] {escape(str(path))} cannot be read ({escape(exc.strerror or str(exc))})."
            )
            return
        except TrpkitError as exc:
            self._say(f"[b red]Not attached:[/] {escape(friendly_error(exc))}", changed=True)
            return
        self.app.call_from_thread(self._attached, info, row.exhibit_number)

    def _attached(self, info: AttachmentInfo, exhibit: int) -> None:
        self.query_one("#ev-path", Input).value = ""
        self._say(
            f"Attached “{escape(info.name)}” to exhibit {exhibit}: {human_size(info.size)}, SHA-256 "
            f"{info.sha256}. The copy inside the vault is encrypted; you may delete the original.",
            changed=True,
        )

    @on(Button.Pressed, "#ev-browse")
    def _browse(self) -> None:
        from trpkit.tui.screens.file_picker import FilePickerScreen

        typed = Path(clean_path(self.query_one("#ev-path", Input).value) or "~").expanduser()
        start = typed if typed.is_dir() else typed.parent

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.query_one("#ev-path", Input).value = str(path)
                self.attach_path(str(path))

        exhibit = self.row.exhibit_number if self.row else ""
        self.app.push_screen(FilePickerScreen(start, f"Choose a file to attach to exhibit {exhibit}"), chosen)

    # -- removing --------------------------------------------------------------------------------
    def action_remove_file(self) -> None:
        from trpkit.tui.screens.confirm import ConfirmScreen

        row = self.row
        files = self.query_one("#ev-files", DataTable)
        if row is None or files.row_count == 0:
            self._say("No file to remove: this exhibit has no files.")
            return
        key = str(files.coordinate_to_cell_key(files.cursor_coordinate).row_key.value)
        info = next((a for a in row.attachments if str(a.id) == key), None)
        if info is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._remove_file(row.exhibit_number, info)

        self.app.push_screen(
            ConfirmScreen(
                f"Remove the file “{escape(info.name)}” ({human_size(info.size)}) from exhibit {row.exhibit_number}? "
                "The copy inside the vault is deleted; keep your own copy if you still need it.",
                yes="Remove",
                no="Keep",
            ),
            answered,
        )

    @on(Button.Pressed, "#ev-detach")
    def _detach_pressed(self) -> None:
        self.action_remove_file()

    @work(thread=True, group="evidence-files", exit_on_error=False)
    def _remove_file(self, exhibit: int, info: AttachmentInfo) -> None:
        from trpkit.errors import NotFound, TrpkitError
        from trpkit.services.evidence_files import remove_attachment

        database, actor = self.database, self.actor
        try:
            database.run(lambda session: remove_attachment(session, actor, self.case_code, info.id))
        except NotFound:
            self._say(f"“{escape(info.name)}” was already removed.", changed=True)
            return
        except TrpkitError as exc:
            self._say(f"[b red]Not removed:[/] {escape(friendly_error(exc))}")
            return
        self._say(f"“{escape(info.name)}” removed from exhibit {exhibit}.", changed=True)
