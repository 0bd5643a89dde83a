"""Shared helpers for the drafting tests: read a .docx back as text, build small templates."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def all_text(data: bytes | Path) -> str:
    """Every paragraph of body, tables, headers and footers, one per line."""
    doc = Document(io.BytesIO(data) if isinstance(data, bytes) else str(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines += [cell.text for cell in row.cells]
    for section in doc.sections:
        lines += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return "\n".join(lines)


def paragraphs(data: bytes) -> list[tuple[str, str]]:
    doc = Document(io.BytesIO(data))
    return [(p.style.name, p.text) for p in doc.paragraphs]


def make_template(path: Path, paragraphs_runs: list[list[str]]) -> Path:
    """A .docx whose paragraphs are made of the given runs (to build deliberately broken templates)."""
    doc = Document()
    for runs in paragraphs_runs:
        paragraph = doc.add_paragraph()
        for text in runs:
            paragraph.add_run(text)
    doc.save(str(path))
    return path
