"""The Draft tab's French versions: a French letter shows only French, so each piece of the case
written in another language needs its French version (missing or changed ones are listed first)."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.widgets import Button, Input, Select, Static, TextArea

from trpkit.tui.tabs.base import CaseTab
from trpkit.tui.widgets.exhibit_files import friendly_error


class FrenchVersions(CaseTab):
    """The French versions panel of the DraftTab, which derives from this (a CaseTab itself, so Textual
    registers the handlers below)."""

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
        from trpkit.services.drafting_translations import set_translation

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
