"""`trpkit draft`, `readiness`, `checklist` and `draft-notes` as a person runs them (in-process, tests/cli.py) on a
vault."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli import CliResult, run_cli
from tests.conftest import TEST_PASSPHRASE
from tests.drafting.helpers_drafting import all_text

CONFIG = """
[organisation]
name = "Maison Passerelle (fictional)"
address = ["1200 rue Exemple", "Montréal QC H2X 0A0"]
contact = "514-555-0100"
representative = "Dana Quillfeather"
representative_title = "Accompanier"
"""


def run(vault: Path, *args: str) -> CliResult:
    return run_cli(
        args,
        vault=vault,
        passphrase=TEST_PASSPHRASE,
        env={"TRPKIT_CONFIG": str(vault.parent / "config.toml")},
    )


def _fill_in_process(vault: Path, code: str | None = None) -> str:
    """Set a demo-like case up through the services; the commands under test run through the CLI."""
    from trpkit.db.database import open_target
    from trpkit.db.engine import Target
    from trpkit.services.cases import create_case
    from trpkit.services.consent import record_consent
    from trpkit.services.evidence import add_evidence
    from trpkit.services.indicators import link_indicator
    from trpkit.services.users import actor_for

    database = open_target(Target(vault_path=vault), TEST_PASSPHRASE)
    try:
        with database.session() as s:
            actor = actor_for(s, "ana")
            code = create_case(
                s,
                actor,
                person={
                    "legal_name": "Marisol Brennvik",
                    "birth_date_text": "1991",
                    "nationality": "MX",
                    "uci": "1234-5678",
                },
            ).code
            for purpose in ("prepare_file", "submit_to_ircc", "quote_own_words"):
                record_consent(s, actor, code, purpose=purpose, decision="given", method="written")
            add_evidence(
                s, actor, code, type="document", description="Notice about passports", date_text="June 2019"
            )
            link_indicator(s, actor, code, "AL-5.01", exhibit=1)
            _account(s, actor, code)
    finally:
        database.close()
    return code


def _account(s, actor, code: str) -> None:  # type: ignore[no-untyped-def]
    """A chronology event and a summary of the account: the letter's mandatory sections."""
    from datetime import date

    from trpkit.services.narrative import add_entry
    from trpkit.services.narrative_meetings import add_meeting
    from trpkit.services.timeline import add_event

    meeting = add_meeting(s, actor, code, held_on=date(2026, 2, 10), language="en")
    add_entry(s, actor, code, meeting.id, "She worked fourteen hours a day.", kind="summary")
    add_event(s, actor, code, event_type="arrival_canada", date_text="June 2019", title="Arrival in Canada")


def _translate_in_process(vault: Path, code: str, pieces: set[str]) -> None:
    from trpkit.db.database import open_target
    from trpkit.db.engine import Target
    from trpkit.services.drafting_translations import set_translation
    from trpkit.services.users import actor_for

    database = open_target(Target(vault_path=vault), TEST_PASSPHRASE)
    try:
        with database.session() as s:
            actor = actor_for(s, "ana")
            for piece in sorted(pieces):
                set_translation(
                    s, actor, code, piece, text=f"Version française ({piece})", translator="R. O."
                )
    finally:
        database.close()


@pytest.fixture(scope="module")
def demo_case(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A demo-like case: person, consents, an exhibit linked to an indicator, notes set through the CLI."""
    folder = tmp_path_factory.mktemp("cli")
    vault = folder / "v.trpvault"
    (folder / "config.toml").write_text(CONFIG, encoding="utf-8")
    created = run(vault, "init", "--user", "ana")
    assert created.returncode == 0, created.stderr
    code = _fill_in_process(vault)
    notes = run(
        vault,
        "draft-notes",
        code,
        "--set",
        "safety=She moved shelters twice.",
        "--set",
        "risks_on_return=The recruiter & his brother live in her town.",
        "--json",
    )
    assert notes.returncode == 0, notes.stderr
    assert json.loads(notes.stdout)["version"] == 1
    return vault, code


def test_readiness_json_and_exit_status(demo_case: tuple[Path, str]) -> None:
    vault, code = demo_case
    result = run(vault, "readiness", code, "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ready"] is True and report["blockers"] == []
    assert {"severity", "code", "message", "fix"} <= set(report["warnings"][0])
    fresh = run(vault, "case", "new", "--name", "Nobody Consented").stdout.strip()
    blocked = run(vault, "readiness", fresh, "--template", "exhibit-index")
    assert blocked.returncode == 1
    assert "BLOCKER  No consent to submit to IRCC" in blocked.stdout
    assert f"trpkit consent record {fresh} --purpose submit_to_ircc" in blocked.stdout
    refused = run(vault, "draft", fresh, "--template", "trp-initial", "-o", str(vault.parent / "no.docx"))
    assert refused.returncode == 4 and "no consent for 'submitting to IRCC'" in refused.stderr
    assert "Traceback" not in refused.stderr and not (vault.parent / "no.docx").exists()


def test_draft_writes_the_file_where_asked(demo_case: tuple[Path, str]) -> None:
    vault, code = demo_case
    out = vault.parent / "out" / "letter.fr.docx"
    out.parent.mkdir()
    # English content blocks a French letter: the pieces are listed, then given their French versions
    missing = run(vault, "translations", "list", code, "--missing", "--json")
    pieces = {p["piece"]: p for p in json.loads(missing.stdout)}
    assert pieces["note:risks_on_return"]["original"] == "The recruiter & his brother live in her town."
    done = run(
        vault,
        "translations",
        "set",
        code,
        "note:risks_on_return",
        "--text",
        "Le recruteur & son frère vivent dans sa ville.",
        "--translator",
        "R. Okonkwo",
    )
    assert done.returncode == 0, done.stderr
    _translate_in_process(vault, code, set(pieces) - {"note:risks_on_return"})
    result = run(
        vault,
        "draft",
        code,
        "--template",
        "trp-initial",
        "--lang",
        "fr",
        "-o",
        str(out),
        "--date",
        "2026-03-03",
    )
    assert result.returncode == 0, result.stderr
    assert f"to {out}" in result.stdout and "SHA-256" in result.stdout
    text = all_text(out)
    assert "PROTÉGÉ B (une fois rempli)" in text and "Marisol Brennvik" in text and "3 mars 2026" in text
    assert "Le recruteur & son frère vivent dans sa ville." in text
    assert "The recruiter & his brother" not in text
    assert "juin 2019" in text  # the exhibit's date, at its precision, in French
    from trpkit.loading.frameworks import load_frameworks

    item = load_frameworks().get("delphi-adult-labour").by_id["AL-5.01"]
    assert item.label_fr in text and item.label not in text  # the indicator's French label, from the data
    again = run(vault, "draft", code, "--template", "trp-initial", "-o", str(out))
    assert again.returncode == 2 and "already exists" in again.stderr
    audit = run(vault, "audit", "show", "--case", code, "--action", "draft.export", "--json")
    entries = json.loads(audit.stdout)
    assert entries and entries[0]["detail"]["template"] == "trp-initial" and "Marisol" not in audit.stdout


def test_redacted_draft_and_unknown_template(demo_case: tuple[Path, str]) -> None:
    vault, code = demo_case
    out = vault.parent / "redacted.docx"
    assert run(vault, "draft", code, "-t", "exhibit-index", "--redacted", "-o", str(out)).returncode == 0
    text = all_text(out)
    assert "Marisol" not in text and "1234-5678" not in text and "[UCI]" in text
    unknown = run(vault, "draft", code, "-t", "trp-renewal", "-o", str(vault.parent / "x.docx"))
    assert unknown.returncode == 2 and "no template 'trp-renewal'" in unknown.stderr
    listed = json.loads(run(vault, "drafts", code, "--json").stdout)
    assert any(
        d["template"] == "exhibit-index" and d["redacted"] and d["output_filename"] == "redacted.docx"
        for d in listed
    )


def test_checklist_show_and_set(demo_case: tuple[Path, str]) -> None:
    vault, code = demo_case
    result = run(
        vault,
        "checklist",
        "set",
        code,
        "identity-document",
        "--state",
        "obtained",
        "--obtained-on",
        "2024-01-01",
        "--expires-on",
        "2025-01-01",
    )
    assert result.returncode == 0 and "expired on 2025-01-01" in result.stdout
    bad = run(vault, "checklist", "set", code, "identity-document", "--state", "lost")
    assert bad.returncode == 2 and "unknown state 'lost'" in bad.stderr
    shown = json.loads(run(vault, "checklist", "show", code, "--json").stdout)
    rows = {r["id"]: r for r in shown["rows"]}
    assert rows["identity-document"]["problem"] == "expired" and rows["photos"]["problem"] == "missing"
    # an expired passport still proves identity: readiness warns (explain why) instead of blocking
    warned = run(vault, "readiness", code)
    assert "expired on 2025-01-01" in warned.stdout and "still proves identity" in warned.stdout
    assert "BLOCKER  Identity document" not in warned.stdout
    assert (
        run(vault, "checklist", "set", code, "identity-document", "--state", "not_applicable").returncode == 0
    )


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_conversion_page_count_and_text(demo_case: tuple[Path, str], tmp_path: Path) -> None:
    vault, code = demo_case
    out = tmp_path / "letter.docx"
    assert (
        run(vault, "draft", code, "-t", "trp-initial", "-o", str(out), "--date", "2026-03-03").returncode == 0
    )
    profile = tmp_path / "lo-profile"
    conversion = subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = tmp_path / "letter.pdf"
    assert pdf.exists(), conversion.stderr
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 2 <= pages <= 8
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert text.count("PROTECTED B (when completed)") == pages  # the header is on every page
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert "1. We write on behalf of Marisol Brennvik" in " ".join(text.split())  # numbered paragraphs


def test_ties_in_canada_from_the_command_line(demo_case: tuple[Path, str]) -> None:
    vault, code = demo_case
    result = run(
        vault,
        "draft-notes",
        code,
        "--set",
        "ties_studies=Attends French classes four mornings a week.",
        "--set",
        "ties_treatment=Sees a therapist every week.",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert "Attends French classes four mornings a week." in json.dumps(shown)
    assert "Sees a therapist every week." in json.dumps(shown)
    # the subsequent letter shows the ties (so a French one needs them in French); the initial does not
    missing = run(vault, "translations", "list", code, "-t", "trp-subsequent", "--missing", "--json")
    pieces = {p["piece"] for p in json.loads(missing.stdout)}
    assert {"note:ties_studies", "note:ties_treatment"} <= pieces
    initial = run(vault, "translations", "list", code, "--missing", "--json")
    assert not {p["piece"] for p in json.loads(initial.stdout)} & {"note:ties_studies", "note:ties_treatment"}
    wrong = run(vault, "draft-notes", code, "--set", "ties_pets=A cat.")
    assert wrong.returncode != 0 and "ties_work" in wrong.stderr and "Traceback" not in wrong.stderr
