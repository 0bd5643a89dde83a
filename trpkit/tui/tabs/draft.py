"""The Draft tab: readiness, the document checklist, and generating the Word submission.

Choose the template and language (the case remembers the language), check or change where the file
goes (a name in "trpkit drafts" in your documents is suggested; the folder is made when needed), press
Generate (or ctrl+g), then Open to read it in Word or LibreOffice. The readiness list says what blocks
the draft and where to fix it; the notes for you (framework caveats, dimensions not met) are shown
here and never printed in the letter. Organisation… edits the letterhead and signatory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Checkbox, DataTable, Input, Label, Select, Static, TextArea

from trpkit.tui.tabs.base import CaseTab
from trpkit.tui.widgets.exhibit_files import friendly_error

if TYPE_CHECKING:
    from trpkit.documents.context import Organisation
    from trpkit.services.drafting import DraftRecord, NotesDetail, ReadinessReport


@dataclass
class DraftStateLoaded(Message):
    report: ReadinessReport
    notes: NotesDetail
    checklist: Any  # trpkit.services.checklists.CaseChecklist | None
    drafts: list[DraftRecord]
    templates: list[tuple[str, str]]  # (label, name)
    pieces: tuple[Any, ...] = ()  # trpkit.services.translations.PieceStatus (French letters)


@dataclass
class NotesLoaded(Message):
    notes: NotesDetail | None
    saved: bool = False
    error: str = ""


@dataclass
class LanguageSaved(Message):
    version: int
    error: str = ""


@dataclass
class DraftWritten(Message):
    record: DraftRecord | None
    error: str = ""


class DraftTab(CaseTab):
    TITLE = "Draft"
    BINDINGS = [Binding("ctrl+g", "generate", "Generate draft"), Binding("ctrl+r", "refresh", "Check again")]
    SECTIONS = [
        ("Vulnerabilities", "vulnerabilities"),
        ("Safety", "safety"),
        ("Risks on return", "risks_on_return"),
        ("Continued need (subsequent TRP)", "continued_need"),
        ("Recovery (subsequent TRP)", "recovery"),
        ("Criminal case (subsequent TRP)", "criminal_case"),
        ("Needs: health", "needs_health"),
        ("Needs: housing", "needs_housing"),
        ("Needs: work", "needs_work"),
        ("Ties in Canada: work (subsequent TRP)", "ties_work"),
        ("Ties in Canada: studies (subsequent TRP)", "ties_studies"),
        ("Ties in Canada: community (subsequent TRP)", "ties_community"),
        ("Ties in Canada: family (subsequent TRP)", "ties_family"),
        ("Ties in Canada: treatment (subsequent TRP)", "ties_treatment"),
        ("IRCC office (address block)", "ircc_office"),
    ]
    DEFAULT_CSS = """
    DraftTab #draft-form { height: auto; padding: 0 1; }
    DraftTab #draft-form Horizontal { height: auto; }
    DraftTab Select { width: 1fr; }
    DraftTab #draft-lang { width: 16; }
    DraftTab #draft-output { width: 1fr; }
    DraftTab #draft-main { height: 1fr; }
    DraftTab #draft-left { width: 3fr; }
    DraftTab #draft-notes { width: 2fr; padding: 0 1; }
    DraftTab #draft-notes-text { height: 1fr; }
    DraftTab #draft-notes-bar { height: auto; }
    DraftTab #draft-readiness { height: 1fr; }
    DraftTab #draft-checklist { height: 1fr; }
    DraftTab #draft-history { height: 6; }
    DraftTab #draft-message { height: auto; padding: 0 1; }
    DraftTab #draft-fix { height: auto; max-height: 4; padding: 0 1; color: $text-muted; }
    DraftTab #draft-summary { height: auto; padding: 0 1; }
    DraftTab #draft-internal { height: auto; max-height: 5; padding: 0 1; color: $warning; }
    DraftTab #draft-tr { height: auto; display: none; }
    DraftTab #draft-tr.shown { display: block; }
    DraftTab #draft-tr-original { height: auto; max-height: 4; color: $text-muted; }
    DraftTab #draft-tr-text { height: 4; }
    DraftTab #draft-tr-bar { height: auto; }
    """

    _templates_shown = False
    _notes_version = 0
    _notes_loaded = False
    _notes_saved: dict[str, str] = {}  # replaced per instance on first load
    _notes_edits: dict[str, str] = {}
    _section = "vulnerabilities"

    def compose(self) -> ComposeResult:
        with Vertical(id="draft-form"):
            with Horizontal():
                yield Select([], prompt="Template", id="draft-template", allow_blank=True)
                yield Select(
                    [("English", "en"), ("Français", "fr")], value="en", id="draft-lang", allow_blank=False
                )
                yield Checkbox("Redacted copy", id="draft-redacted")
                yield Button("Organisation…", id="draft-org")
            with Horizontal():
                yield Input(placeholder="Save as… (full path of the .docx to write)", id="draft-output")
                yield Button("Check", id="draft-check")
                yield Button("Generate", variant="primary", id="draft-generate")
                yield Button("Open", id="draft-open", disabled=True)
        yield Static("", id="draft-summary")
        yield Static("", id="draft-internal")
        with Horizontal(id="draft-main"):
            with Vertical(id="draft-left"):
                readiness: DataTable[str] = DataTable(id="draft-readiness", cursor_type="row")
                readiness.add_columns("", "What")
                yield readiness
                yield Static("", id="draft-fix")
                yield Label("Documents (checklist)")
                checklist: DataTable[str] = DataTable(id="draft-checklist", cursor_type="row")
                checklist.add_columns("Status", "Required", "State", "Expires", "Item")
                yield checklist
            with Vertical(id="draft-notes"):
                yield Label("Your notes for the letter (blank line = new paragraph)")
                yield Select(
                    self.SECTIONS, value="vulnerabilities", allow_blank=False, id="draft-notes-section"
                )
                yield TextArea("", id="draft-notes-text", soft_wrap=True)
                with Horizontal(id="draft-notes-bar"):
                    yield Button("Save notes (ctrl+s)", id="draft-notes-save")
                    yield Static("", id="draft-notes-status")
                with Vertical(id="draft-tr"):
                    yield Label("French versions (a French letter shows only French)")
                    yield Select([], prompt="Piece to translate", id="draft-tr-piece")
                    yield Static("", id="draft-tr-original")
                    yield TextArea("", id="draft-tr-text", soft_wrap=True)
                    with Horizontal(id="draft-tr-bar"):
                        yield Input(placeholder="Translated by", id="draft-tr-translator")
                        yield Button("Save French", id="draft-tr-save")
        yield Label("Drafts made for this case")
        history: DataTable[str] = DataTable(id="draft-history", cursor_type="row")
        history.add_columns("When", "Template", "Lang", "Redacted", "File", "SHA-256", "By")
        history.styles.height = 6  # inline: the app stylesheet gives every DataTable 1fr
        yield history
        yield Static("", id="draft-message")

    # ---------------------------------------------------------------------------------------------- choices

    def _choice(self) -> tuple[str, str, bool]:
        template = self.query_one("#draft-template", Select).value
        language = self.query_one("#draft-lang", Select).value
        name = str(template) if template is not Select.NULL and template is not None else "trp-initial"
        lang = str(language) if language is not Select.NULL and language is not None else "en"
        return name, lang, self.query_one("#draft-redacted", Checkbox).value

    def _organisation(self) -> Organisation:
        """Read fresh from config.toml: a change made in the settings screen shows at once."""
        from trpkit.documents.context import Organisation
        from trpkit.errors import TrpkitError
        from trpkit.services.organisation import current

        try:
            return current()
        except TrpkitError:
            return Organisation()  # readiness then names every missing part

    @on(Button.Pressed, "#draft-org")
    def _organisation_pressed(self) -> None:
        from trpkit.tui.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen(), lambda _saved: self.reload())

    def reload(self) -> None:
        self._load(*self._choice())

    def action_refresh(self) -> None:
        self.reload()

    @on(Select.Changed, "#draft-template")
    @on(Checkbox.Changed)
    def _choice_changed(self) -> None:
        if self.is_on_show():  # the widgets announce their first values on mount, shown or not
            self.reload()

    _language_shown = False

    @on(Select.Changed, "#draft-lang")
    def _language_changed(self, event: Select.Changed) -> None:
        """The case remembers the letters' language (saved with the notes) for the next time."""
        if not self.is_on_show() or not self._language_shown:
            return
        if event.value in ("en", "fr"):
            self._save_language(str(event.value))
        self.reload()

    @work(thread=True, exclusive=True, group="draft-lang", exit_on_error=False)
    def _save_language(self, language: str) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.drafting import update_notes

        try:
            with self.database.session() as session:
                notes = update_notes(session, self.actor, self.case_code, letter_language=language)
        except TrpkitError as exc:
            self.post_message(LanguageSaved(0, str(exc)))
            return
        self.post_message(LanguageSaved(notes.version))

    @on(LanguageSaved)
    def _language_saved(self, message: LanguageSaved) -> None:
        if message.error:
            self.query_one("#draft-message", Static).update(
                f"[b red]Language not remembered:[/] {message.error}"
            )
        elif self._notes_version:
            self._notes_version = message.version  # the notes row changed: unsaved notes stay valid

    @on(Button.Pressed, "#draft-check")
    def _check_pressed(self) -> None:
        self.reload()

    # ---------------------------------------------------------------------------------------------- loading

    @work(thread=True, exclusive=True, group="draft-load", exit_on_error=False)
    def _load(self, template: str, language: str, redacted: bool) -> None:
        from trpkit.documents.templates import discover
        from trpkit.errors import TrpkitError
        from trpkit.services.checklists import case_checklist
        from trpkit.services.drafting import get_notes, list_drafts, readiness, translation_status

        found = discover()
        names = sorted({t.name for t in found})
        titles = {t.name: t.title for t in found if t.language == "en"}
        try:
            with self.database.session() as session:
                report = readiness(
                    session,
                    self.actor,
                    self.case_code,
                    template=template,
                    language=language,
                    redacted=redacted,
                    organisation=self._organisation(),
                )
                checklist = (
                    case_checklist(session, self.actor, self.case_code, report.application_type)
                    if report.application_type
                    else None
                )
                drafts = list_drafts(session, self.actor, self.case_code)
                notes = get_notes(session, self.actor, self.case_code)
                pieces = (
                    translation_status(session, self.actor, self.case_code, template=template)
                    if language == "fr"
                    else ()
                )
        except TrpkitError as exc:
            self.app.call_from_thread(
                self.query_one("#draft-message", Static).update, f"[b red]{escape(friendly_error(exc))}[/]"
            )
            return
        except Exception as exc:  # noqa: BLE001 - never a blank tab: say what failed, in one line
            self.app.call_from_thread(
                self.query_one("#draft-message", Static).update,
                f"[b red]Could not check this case:[/] {type(exc).__name__}. "
                "If the vault was made by an older trpkit, run 'trpkit db upgrade'.",
            )
            return
        self.post_message(
            DraftStateLoaded(
                report,
                notes,
                checklist,
                list(drafts),
                [(f"{n} — {titles.get(n, n)}", n) for n in names],
                tuple(pieces),
            )
        )

    @on(DraftStateLoaded)
    def _show(self, message: DraftStateLoaded) -> None:
        report = message.report
        self._show_notes(message.notes)
        if not self._language_shown:  # first load: the language this case's letters were last made in
            self._language_shown = True
            remembered = getattr(message.notes, "letter_language", "en")
            lang = self.query_one("#draft-lang", Select)
            if remembered != report.language:
                lang.value = remembered  # reloads with it
        internal = getattr(report, "internal", ())
        self.query_one("#draft-internal", Static).update(
            "[b]For you, not the officer[/] (kept out of the letter): " + " · ".join(internal)
            if internal
            else ""
        )
        select = self.query_one("#draft-template", Select)
        if not self._templates_shown:  # first load: fill the template choices
            self._templates_shown = True
            with select.prevent(Select.Changed):
                select.set_options(message.templates)
                select.value = report.template
        table = self.query_one("#draft-readiness", DataTable)
        table.clear()
        self._findings = list(report.findings)
        for finding in self._findings:
            table.add_row("[b red]BLOCKER[/]" if finding.is_blocker else "warning", Text(finding.message))
        self._show_fix(0)
        blockers, warnings = len(report.blockers), len(report.warnings)
        state = "[b green]Ready to draft[/]" if report.ready else "[b red]Not ready[/]"
        self.query_one("#draft-summary", Static).update(
            f"{state}: {blockers} blocker(s), {warnings} warning(s) for {report.template} "
            f"({report.language}{', redacted' if report.redacted else ''})"
        )
        checklist_table = self.query_one("#draft-checklist", DataTable)
        checklist_table.clear()
        if message.checklist is not None:
            for row in message.checklist.rows:
                flag = (
                    "!! "
                    if row.required and row.problem in ("missing", "expired") and not row.produced_by_draft
                    else ""
                )
                checklist_table.add_row(
                    Text(flag + row.detail),
                    "yes" if row.required else "no",
                    row.state.replace("_", " "),
                    row.expires_on.isoformat() if row.expires_on else "",
                    Text(row.label),
                )
        history = self.query_one("#draft-history", DataTable)
        history.clear()
        for record in message.drafts:
            history.add_row(
                record.created_at.strftime("%Y-%m-%d %H:%M"),
                record.template,
                record.language,
                "yes" if record.redacted else "no",
                Text(record.output_filename),
                record.sha256[:12],
                record.created_by,
            )
        self._suggest(report.template, report.language)
        self._show_pieces(message.pieces)

    # ---------------------------------------------------------------------------------------------- French versions

    _pieces: dict[str, Any] = {}

    def _show_pieces(self, pieces: tuple[Any, ...]) -> None:
        """French letters: list the pieces still without a French version first, then the others."""
        panel = self.query_one("#draft-tr")
        panel.set_class(bool(pieces), "shown")
        self._pieces = {p.piece: p for p in pieces}
        order = sorted(pieces, key=lambda p: p.status not in ("missing", "outdated"))
        marks = {"missing": "MISSING", "outdated": "CHANGED", "translated": "done", "already": "French"}
        select = self.query_one("#draft-tr-piece", Select)
        current = select.value
        with select.prevent(Select.Changed):
            select.set_options([(f"{marks[p.status]}: {p.label}", p.piece) for p in order])
            if current in self._pieces:
                select.value = current
        self._show_piece(select.value)

    @on(Select.Changed, "#draft-tr-piece")
    def _piece_changed(self, event: Select.Changed) -> None:
        self._show_piece(event.value)

    def _show_piece(self, value: object) -> None:
        piece = self._pieces.get(str(value))
        original = self.query_one("#draft-tr-original", Static)
        if piece is None:
            original.update("")
            return
        original.update(Text(f"Original: {piece.original}"))
        self.query_one("#draft-tr-text", TextArea).load_text(piece.text if piece.status != "already" else "")
        if piece.translator:
            self.query_one("#draft-tr-translator", Input).value = piece.translator

    @on(Button.Pressed, "#draft-tr-save")
    def _translation_save_pressed(self) -> None:
        piece = self.query_one("#draft-tr-piece", Select).value
        if str(piece) not in self._pieces:
            self.query_one("#draft-message", Static).update("Choose the piece to translate first.")
            return
        self._save_translation(
            str(piece),
            self.query_one("#draft-tr-text", TextArea).text,
            self.query_one("#draft-tr-translator", Input).value,
        )

    @work(thread=True, exclusive=True, group="draft-tr", exit_on_error=False)
    def _save_translation(self, piece: str, text: str, translator: str) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.drafting import set_translation

        message = self.query_one("#draft-message", Static)
        try:
            with self.database.session() as session:
                done = set_translation(
                    session, self.actor, self.case_code, piece, text=text, translator=translator
                )
        except TrpkitError as exc:
            self.app.call_from_thread(
                message.update, f"[b red]French version not saved:[/] {escape(friendly_error(exc))}"
            )
            return
        self.app.call_from_thread(message.update, f"Saved the French version of {done.label}.")
        self.app.call_from_thread(self.reload)

    _suggested = ""
    _folder: Path | None = None  # the folder of the last draft written (else the default one)

    def _suggest(self, template: str, language: str) -> None:
        """Fill in a file name (unless the person typed their own): documents/trpkit drafts/CODE-….docx."""
        from trpkit.db.base import utcnow
        from trpkit.services.drafting import default_drafts_folder, suggest_output

        output = self.query_one("#draft-output", Input)
        if output.value.strip() and output.value != self._suggested:
            return
        folder = self._folder or default_drafts_folder()
        self._suggested = str(suggest_output(folder, self.case_code, template, language, utcnow().date()))
        output.value = self._suggested

    _findings: list = []  # type: ignore[type-arg]

    def _show_fix(self, row: int) -> None:
        fix = self.query_one("#draft-fix", Static)
        if 0 <= row < len(self._findings):
            finding = self._findings[row]
            fix.update(f"{finding.message}\n[b]Fix:[/] {finding.fix}")
        else:
            fix.update("")

    @on(DataTable.RowHighlighted, "#draft-readiness")
    def _finding_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_fix(event.cursor_row)

    # ---------------------------------------------------------------------------------------------- generating

    def action_generate(self) -> None:
        self._generate_pressed()

    @on(Button.Pressed, "#draft-generate")
    def _generate_pressed(self) -> None:
        target = self.query_one("#draft-output", Input).value.strip()
        message = self.query_one("#draft-message", Static)
        if not target:
            message.update("Type where the Word file should be saved (a full path ending in .docx).")
            self.query_one("#draft-output", Input).focus()
            return
        message.update("Drafting…")
        self._generate(*self._choice(), Path(target).expanduser())

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

    # ---------------------------------------------------------------------------------------------- notes

    def _show_notes(self, notes, keep_edits: bool = True) -> None:  # type: ignore[no-untyped-def]
        """Show the saved notes; text typed but not saved yet stays in the editor (unless just saved)."""
        if keep_edits and self._notes_loaded:
            self._remember_edit()
        self._notes_loaded = True
        self._notes_version = notes.version
        self._notes_saved = dict(notes.values)
        if not keep_edits:
            self._notes_edits = {}
        area = self.query_one("#draft-notes-text", TextArea)
        text = self._notes_edits.get(self._section, self._notes_saved.get(self._section, ""))
        if area.text != text:
            area.load_text(text)

    @on(Select.Changed, "#draft-notes-section")
    def _section_changed(self, event: Select.Changed) -> None:
        self._remember_edit()
        self._section = str(event.value)
        area = self.query_one("#draft-notes-text", TextArea)
        area.load_text(self._notes_edits.get(self._section, self._notes_saved.get(self._section, "")))

    def _remember_edit(self) -> None:
        text = self.query_one("#draft-notes-text", TextArea).text
        if text != self._notes_saved.get(self._section, ""):
            self._notes_edits = {**self._notes_edits, self._section: text}
        else:
            self._notes_edits = {k: v for k, v in self._notes_edits.items() if k != self._section}

    def action_save(self) -> None:
        """ctrl+s (from the case file): save the notes typed in any section."""
        self._remember_edit()
        if not self._notes_edits:
            self.query_one("#draft-notes-status", Static).update("Nothing to save.")
            return
        self.query_one("#draft-notes-status", Static).update("Saving…")
        self._save_notes(dict(self._notes_edits), self._notes_version)

    @on(Button.Pressed, "#draft-notes-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @work(thread=True, exclusive=True, group="draft-notes", exit_on_error=False)
    def _save_notes(self, values: dict[str, str], version: int) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.drafting import update_notes

        try:
            with self.database.session() as session:
                notes = update_notes(
                    session, self.actor, self.case_code, expected_version=version or None, **values
                )
        except TrpkitError as exc:
            self.post_message(NotesLoaded(None, error=str(exc)))
            return
        self.post_message(NotesLoaded(notes, saved=True))

    @on(NotesLoaded)
    def _notes_saved_or_refused(self, message: NotesLoaded) -> None:
        status = self.query_one("#draft-notes-status", Static)
        if message.error or message.notes is None:
            status.update(
                f"[b red]Not saved:[/] {message.error} Your text is still here; copy it before "
                "reloading (ctrl+r)."
            )
            return
        self._show_notes(message.notes, keep_edits=False)
        status.update(f"Saved (version {message.notes.version}).")
        self.reload()
