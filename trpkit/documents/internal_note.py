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
    doc = Document()
    banner = doc.add_paragraph()
    run = banner.add_run(BANNER)
    run.bold = True
    run.font.size = Pt(13)
    run.font.color.rgb = RGBColor(0xB0, 0x00, 0x00)
    doc.sections[0].header.paragraphs[0].add_run(BANNER).bold = True
    doc.add_heading(f"Internal note on the draft for {note.case_code}", level=1)
    doc.add_paragraph(
        f"Letter: {note.letter_file} ({note.template}, {note.language}), dated {note.draft_date.isoformat()}."
    )
    doc.add_heading("About the analysis (kept out of the letter)", level=2)
    for text in note.notes or ("Nothing to note.",):
        doc.add_paragraph(text, style="List Bullet")
    doc.add_heading("Readiness warnings accepted when drafting", level=2)
    for text in note.warnings or ("None.",):
        doc.add_paragraph(text, style="List Bullet")
    doc.core_properties.title = "Internal note — not for submission"
    doc.core_properties.author = "trpkit"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
