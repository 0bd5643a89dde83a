"""The bulletin read back with python-docx, in English and French, and as Markdown."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from docx import Document

from trpkit.documents.bulletin import BulletinInput, write_docx, write_markdown
from trpkit.domain.incidents import Incident, IncidentView, Source

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _view(ref: str, place: str, province: str, sector: str, latest: str, **changes: object) -> IncidentView:
    incident = Incident(
        uid=ref * 4, agency="refuge-nord", sequence=1, title=f"Incident {ref}", when_text="autumn 2026",
        when_parsed=True, when_earliest="2026-09-01", when_latest=latest, place=place, sector=sector,
        people="10-24", framing="labour_dispute", known="Wages withheld.",
        sources=(Source("public_link", "https://news.example/a", True), Source("another_agency", "Ms X", False)),
    )  # fmt: skip
    incident = replace(incident, **changes)  # type: ignore[arg-type]
    return IncidentView(incident, ref, False, False, 1, NOW, NOW, 0, place, province, False)


VIEWS = (
    _view("aaaa0001", "ER-2440", "QC", "hospitality", "2026-11-30", asks=("call_for_information",)),
    _view("bbbb0002", "ER-3530", "ON", "agriculture", "2026-11-15", framing="smuggling",
          framing_history=("trafficking",), facts=("debt",)),
    _view("cccc0003", "ER-2435", "QC", "agriculture", "2026-10-31", when_text="après la tempête",
          when_parsed=False),
)  # fmt: skip


def _text(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def _headings(data: bytes, level: int) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs if p.style.name == f"Heading {level}"]


def test_english_bulletin_groups_and_calls_out() -> None:
    data = write_docx(BulletinInput(VIEWS, "en", "maison-test", date(2026, 12, 1), date(2026, 9, 1), ("Q?",)))
    lines = _text(data)
    assert lines[0] == "Incident bulletin"
    assert "Prepared 2026-12-01 by maison-test; incidents since 2026-09-01" in lines
    assert _headings(data, 1) == ["To note first", "Quebec", "Ontario", "Patterns: questions for advocacy"]
    assert _headings(data, 2)[:2] == ["Framing changed", "Open calls for information"]
    assert _headings(data, 2)[2:] == ["Hospitality", "Agriculture", "Agriculture"]  # by province, then sector
    assert "Incident bbbb0002 — Ontario (bbbb0002)" in lines
    assert "Framed as: Human smuggling (earlier: Human trafficking)" in lines
    assert "Sources: Public link: https://news.example/a; Another agency (confidential)" in lines
    assert not any("Ms X" in line for line in lines)  # a confidential source's detail never prints
    assert "When: après la tempête (as written; not yet read as a date)" in lines
    assert any(line.startswith("Trafficking or smuggling? A second look:") for line in lines)
    assert "Q?" in lines


def test_french_bulletin() -> None:
    data = write_docx(BulletinInput(VIEWS, "fr", "maison-test", date(2026, 12, 1)))
    lines = _text(data)
    assert lines[0] == "Bulletin des incidents"
    assert _headings(data, 1) == ["À noter d'abord", "Québec", "Ontario"]
    assert "Hôtellerie et restauration" in _headings(data, 2)
    assert "Qualifié de : Passage de clandestins (auparavant : Traite de personnes)" in lines
    assert "Nombre de personnes : 10 à 24 personnes" in lines
    assert "Où : Montréal" in lines
    assert any("Quelle est l'ampleur des dettes" in line for line in lines)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_empty_bulletin(language: str) -> None:
    lines = _text(write_docx(BulletinInput((), language, "x", date(2026, 12, 1))))
    assert (
        "No incidents in this period." if language == "en" else "Aucun incident pendant cette période."
    ) in lines


def test_markdown_for_email() -> None:
    text = write_markdown(BulletinInput(VIEWS, "en", "maison-test", date(2026, 12, 1)))
    assert text.startswith("# Incident bulletin\n")
    assert "### Open calls for information\n\n- Incident aaaa0001 — Quebec (aaaa0001)" in text
    assert text.index("## Quebec") < text.index("## Ontario")
    assert "- **How many people**: 10 to 24 people" in text and "Ms X" not in text


def test_labels_are_bold_and_line_breaks_survive() -> None:
    view = replace(VIEWS[0], incident=replace(VIEWS[0].incident, known="First line\nsecond line\tand a tab"))
    document = Document(io.BytesIO(write_docx(BulletinInput((view,), "en", "x", date(2026, 12, 1)))))
    known = next(p for p in document.paragraphs if p.text.startswith("What is known"))
    assert known.runs[0].bold and not known.runs[1].bold
    assert known.text == "What is known: First line\nsecond line\tand a tab"
    assert [p.style.name for p in document.paragraphs][:1] == ["Title"]
