"""Every template renders with its sample context; the output is read back with python-docx."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from docxtpl import DocxTemplate

from tests.drafting.helpers_drafting import TEMPLATES, all_text, paragraphs
from trpkit.documents.context import build_context
from trpkit.documents.context_example import example_data, provided_paths
from trpkit.documents.lint import lint_template
from trpkit.documents.render import render_bytes
from trpkit.documents.template_variables import context_paths, jinja_source, referenced_paths
from trpkit.documents.templates import discover

NAMES = ("trp-initial", "trp-subsequent", "owp-cover", "exhibit-index")
FILES = sorted(TEMPLATES.glob("*.docx"))


def test_every_required_template_exists_in_both_languages() -> None:
    found = {(t.name, t.language) for t in discover(TEMPLATES)}
    assert found == {(n, lang) for n in NAMES for lang in ("en", "fr")}
    for info in discover(TEMPLATES):
        assert info.sample_path.exists(), info.sample_path


def test_generator_output_is_committed_and_reproducible() -> None:
    result = subprocess.run(
        [sys.executable, str(TEMPLATES / "build_templates.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_template_renders_its_sample(path: Path) -> None:
    sample = json.loads(path.with_name(path.name.replace(".docx", ".sample.json")).read_text("utf-8"))
    assert DocxTemplate(str(path)).get_undeclared_template_variables(context=sample) == set()
    data = render_bytes(path, sample)
    text = all_text(data)
    for leftover in ("{{", "}}", "{%", "%}"):
        assert leftover not in text
    lang = path.name.split(".")[1]
    header = "PROTECTED B (when completed)" if lang == "en" else "PROTÉGÉ B (une fois rempli)"
    doc = Document(__import__("io").BytesIO(data))
    assert doc.sections[0].header.paragraphs[0].text == header
    assert "TRP-2026-0042" in doc.sections[0].header.paragraphs[1].text  # the case reference on every page
    assert "PAGE" in doc.sections[0].footer._element.xml  # page numbers are a field
    assert sample["person"]["name"] in text
    for exhibit in sample["exhibits"]:
        assert exhibit["title"].replace("&", "&") in text
    # Escaped, not lost: the samples carry & and <...> on purpose.
    if "chronology" in sample:
        assert "<for safekeeping>" in text or "<pour le garder en sécurité>" in text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_initial_request_sections_order_and_numbering(lang: str) -> None:
    path = TEMPLATES / f"trp-initial.{lang}.docx"
    sample = json.loads((TEMPLATES / f"trp-initial.{lang}.sample.json").read_text("utf-8"))
    body = paragraphs(render_bytes(path, sample))
    headings = [text for style, text in body if style == "Heading 1"]
    expected = (
        [
            "Request",
            "Legal framework",
            "Background and chronology",
            "Marisol Brennvik's account",
            "Indicators of trafficking",
            "IRCC's criteria",
            "Vulnerabilities, safety and risks on return",
            "Current needs",
            "Conclusion",
            "Exhibits",
            "Declaration",
        ]
        if lang == "en"
        else [
            "Demande",
            "Cadre juridique",
            "Contexte et chronologie",
            "Le récit de Marisol Brennvik",
            "Indicateurs de traite",
            "Critères d'IRCC",
            "Vulnérabilités, sécurité et risques en cas de retour",
            "Besoins actuels",
            "Conclusion",
            "Pièces",
            "Déclaration",
        ]
    )
    assert headings == expected
    numbered = [text for style, text in body if style == "List Number"]
    assert len(numbered) > 20  # the body is numbered paragraphs
    quotes = [text for style, text in body if style == "Quote"]
    assert quotes[0].startswith("[1] “Nos quitaron los pasaportes el primer día.”")
    assert "They took our passports" in quotes[1] or "Ils nous ont pris" in quotes[1]
    # Dates at their precision, as given.
    spring = "around spring 2019: " if lang == "en" else "vers le printemps 2019 : "
    assert any(text.startswith(spring) for text in numbered)
    # The convergence argument is present when the sample says the medium/weak factors carry it.
    assert any("convergence" in text for text in numbered)
    # every dimension argued points to an exhibit or a passage of the account
    bullets = [text for style, text in body if style == "List Bullet"]
    assert any(("exhibit 1" in t or "pièce 1" in t) and "passage 1" in t for t in bullets)


def test_subsequent_request_addresses_the_end_of_the_criminal_case() -> None:
    sample = json.loads((TEMPLATES / "trp-subsequent.en.sample.json").read_text("utf-8"))
    text = all_text(render_bytes(TEMPLATES / "trp-subsequent.en.docx", sample))
    for phrase in (
        "Continued need for protection",
        "Recovery and safety",
        "Protection does not depend on a criminal case",
        "chose to help the authorities (testified)",
        "cooperation with law enforcement is not required",
        "reprisals",
        "T123456789",
    ):
        assert phrase in text
    sample["criminal_case"]["concluded"] = False
    assert "reprisals" not in all_text(render_bytes(TEMPLATES / "trp-subsequent.en.docx", sample))


def test_exhibit_index_table_rows_match_the_exhibits() -> None:
    sample = json.loads((TEMPLATES / "exhibit-index.en.sample.json").read_text("utf-8"))
    doc = Document(__import__("io").BytesIO(render_bytes(TEMPLATES / "exhibit-index.en.docx", sample)))
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert rows[0] == ["No.", "Exhibit", "Date", "Source", "Supports"]
    assert rows[1:] == [
        [x["number"], x["title"], x["date"], x["source"], x["supports"]] for x in sample["exhibits"]
    ]
    assert any(p.text == f"Total: {len(sample['exhibits'])} exhibit(s)." for p in doc.paragraphs)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_repository_templates_pass_the_linter(path: Path) -> None:
    sample = json.loads(path.with_name(path.name.replace(".docx", ".sample.json")).read_text("utf-8"))
    assert lint_template(path, sample, provided_paths()) == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_drafting_context_provides_every_template_variable(path: Path) -> None:
    """What the templates read is exactly what trpkit.documents.context produces (no silent blanks)."""
    name, lang = path.name.split(".")[:2]
    context = build_context(example_data(name, lang))
    assert DocxTemplate(str(path)).get_undeclared_template_variables(context=context) == set()
    every, _ = context_paths(context)
    assert referenced_paths(jinja_source(path)) <= every
    text = all_text(render_bytes(path, context))
    assert not re.search(r"\{\{|\{%", text)
