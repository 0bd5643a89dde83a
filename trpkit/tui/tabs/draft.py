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

from trpkit.tui.tabs.draft_french import FrenchVersions
from trpkit.tui.tabs.draft_notes import DraftNotes
from trpkit.tui.tabs.draft_writing import DraftWriting
from trpkit.tui.widgets.exhibit_files import friendly_error

if TYPE_CHECKING:
    from trpkit.domain.readiness import Finding
    from trpkit.services.drafting import DraftRecord, ReadinessReport
    from trpkit.services.drafting_notes import NotesDetail


@dataclass
class DraftStateLoaded(Message):
    report: ReadinessReport
    notes: NotesDetail
    checklist: Any  # trpkit.services.checklists.CaseChecklist | None
    drafts: list[DraftRecord]
    templates: list[tuple[str, str]]  # (label, name)
    pieces: tuple[Any, ...] = ()  # trpkit.services.translations.PieceStatus (French letters)


@dataclass
class LanguageSaved(Message):
    version: int
    error: str = ""


class DraftTab(DraftNotes, FrenchVersions, DraftWriting):
    TITLE = "Draft"
    BINDINGS = [Binding("ctrl+g", "generate", "Generate draft"), Binding("ctrl+r", "refresh", "Check again")]
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
        from trpkit.services.drafting_notes import update_notes

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
        from trpkit.services.drafting import list_drafts, readiness
        from trpkit.services.drafting_notes import get_notes
        from trpkit.services.drafting_translations import translation_status

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
        self._show_notes(message.notes)
        self._first_load(message)
        self._show_readiness(message.report)
        self._show_checklist(message.checklist)
        self._show_history(message.drafts)
        self._suggest(message.report.template, message.report.language)
        self._show_pieces(message.pieces)

    def _first_load(self, message: DraftStateLoaded) -> None:
        """The language this case's letters were last made in, and the template choices."""
        report = message.report
        if not self._language_shown:
            self._language_shown = True
            remembered = getattr(message.notes, "letter_language", "en")
            lang = self.query_one("#draft-lang", Select)
            if remembered != report.language:
                lang.value = remembered  # reloads with it
        select = self.query_one("#draft-template", Select)
        if not self._templates_shown:
            self._templates_shown = True
            with select.prevent(Select.Changed):
                select.set_options(message.templates)
                select.value = report.template

    def _show_readiness(self, report: ReadinessReport) -> None:
        internal = getattr(report, "internal", ())
        self.query_one("#draft-internal", Static).update(
            "[b]For you, not the officer[/] (kept out of the letter): " + " · ".join(internal)
            if internal
            else ""
        )
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

    def _show_checklist(self, checklist: Any) -> None:
        """The documents of the checklist; "!!" marks a required one missing or expired (not the draft)."""
        table = self.query_one("#draft-checklist", DataTable)
        table.clear()
        if checklist is None:
            return
        for row in checklist.rows:
            flag = (
                "!! "
                if row.required and row.problem in ("missing", "expired") and not row.produced_by_draft
                else ""
            )
            table.add_row(
                Text(flag + row.detail),
                "yes" if row.required else "no",
                row.state.replace("_", " "),
                row.expires_on.isoformat() if row.expires_on else "",
                Text(row.label),
            )

    def _show_history(self, drafts: list[DraftRecord]) -> None:
        history = self.query_one("#draft-history", DataTable)
        history.clear()
        for record in drafts:
            history.add_row(
                record.created_at.strftime("%Y-%m-%d %H:%M"),
                record.template,
                record.language,
                "yes" if record.redacted else "no",
                Text(record.output_filename),
                record.sha256[:12],
                record.created_by,
            )

    # ---------------------------------------------------------------------------------------------- readiness

    _findings: list[Finding] = []

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
