"""The internal cover note: what the accompanier must know about a draft and the officer must not read.

The framework caveats (verification status of the indicator weights, unconfirmed rules), the
dimensions that are not positive, the criteria without indication and the readiness warnings that
were accepted go here, on a page marked "not for submission", never in the letter.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from docx import Document
from docx.shared import Pt, RGBColor

BANNER = "INTERNAL — NOT FOR SUBMISSION. Do not send this page to IRCC."
# The frame of the note in the letter's language (it is read beside that letter); the readiness warnings
# are quoted as the app words them.
FRAME = {
    "en": {
        "banner": BANNER,
        "title": "Internal note on the draft for {code}",
        "letter": "Letter: {file} ({template}, {language}), dated {date}.",
        "analysis": "About the analysis (kept out of the letter)",
        "nothing": "Nothing to note.",
        "warnings": "Readiness warnings accepted when drafting",
        "none": "None.",
        "doc_title": "Internal note — not for submission",
    },
    "fr": {
        "banner": "NOTE INTERNE — NE PAS SOUMETTRE. N'envoyez pas cette page à IRCC.",
        "title": "Note interne sur l'ébauche pour {code}",
        "letter": "Lettre : {file} ({template}, {language}), datée du {date}.",
        "analysis": "Sur l'analyse (tenu hors de la lettre)",
        "nothing": "Rien à signaler.",
        "warnings": "Avertissements de préparation acceptés à la rédaction (tels que l'application les affiche)",
        "none": "Aucun.",
        "doc_title": "Note interne — ne pas soumettre",
    },
}


@dataclass(frozen=True)
class InternalNote:
    case_code: str
    template: str
    language: str
    draft_date: date
    letter_file: str
    notes: tuple[str, ...]
    warnings: tuple[str, ...]


def render_internal_note(note: InternalNote) -> bytes:
    words = FRAME.get(note.language, FRAME["en"])
    doc = Document()
    banner = doc.add_paragraph()
    run = banner.add_run(words["banner"])
    run.bold = True
    run.font.size = Pt(13)
    run.font.color.rgb = RGBColor(0xB0, 0x00, 0x00)
    doc.sections[0].header.paragraphs[0].add_run(words["banner"]).bold = True
    doc.add_heading(words["title"].format(code=note.case_code), level=1)
    doc.add_paragraph(
        words["letter"].format(
            file=note.letter_file,
            template=note.template,
            language=note.language,
            date=note.draft_date.isoformat(),
        )
    )
    doc.add_heading(words["analysis"], level=2)
    for text in note.notes or (words["nothing"],):
        doc.add_paragraph(text, style="List Bullet")
    doc.add_heading(words["warnings"], level=2)
    for text in note.warnings or (words["none"],):
        doc.add_paragraph(text, style="List Bullet")
    doc.core_properties.title = words["doc_title"]
    doc.core_properties.author = "trpkit"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
