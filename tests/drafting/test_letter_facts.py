"""Nothing blank, nothing false: readiness blocks what a letter would leave blank or state falsely.

Rules on plain data (trpkit.domain.readiness), the organisation settings (``trpkit org``), and the
context's statements about a permit, health coverage and cooperation, read back from rendered letters.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.drafting.helpers_drafting import TEMPLATES, all_text
from trpkit.documents.context import Organisation, PermitData, build_context
from trpkit.documents.context_example import example_data
from trpkit.documents.render import render_bytes
from trpkit.domain import readiness as r
from trpkit.errors import UsageError

TODAY = date(2026, 3, 3)
FULL = frozenset(
    {"chronology", "account", "criteria", "exhibits", "vulnerabilities", "continued_need", "safety"}
)


def _input(**changes) -> r.ReadinessInput:  # type: ignore[no-untyped-def]
    base = {
        "case_code": "TRP-2026-0001",
        "template": "trp-initial",
        "today": TODAY,
        "consents": {"submit_to_ircc": True},
        "person_name": "A B",
        "birth_date": "1990",
        "uci": "1",
        "events": (r.EventIn("arrival", "June 2019", True),),
        "exhibit_numbers": ("1",),
        "sections_filled": FULL,
        "notes_filled": FULL,
    }
    base.update(changes)
    return r.ReadinessInput(**base)  # type: ignore[arg-type]


def _blockers(data: r.ReadinessInput) -> list[str]:
    return [f.code for f in r.check(data) if f.is_blocker]


def test_missing_organisation_or_signatory_blocks() -> None:
    missing = Organisation(name="Maison").missing()
    assert missing == ("contact line", "representative (who signs)", "representative's title")
    found = r.check(_input(organisation_missing=missing))
    blocker = next(f for f in found if f.code == "organisation")
    assert blocker.is_blocker and "representative (who signs)" in blocker.message
    assert "trpkit org set" in blocker.fix


@pytest.mark.parametrize(
    ("nationality", "status", "blocked"),
    [
        ("CA", "", True),
        ("MX", "permanent resident", True),
        ("MX", "résidente permanente", True),
        ("MX", "Canadian citizen", True),
        ("MX", "PR card expired", True),
        ("MX", "not a permanent resident", False),
        ("MX", "TRP holder", False),
        ("MX", "PRRA pending", False),
        ("MX", "out of status", False),
    ],
)
def test_a_citizen_or_permanent_resident_is_not_a_foreign_national(
    nationality: str, status: str, blocked: bool
) -> None:
    codes = _blockers(_input(nationality=nationality, immigration_status=status))
    assert ("not-foreign-national" in codes) is blocked


@pytest.mark.parametrize(
    ("template", "filled", "expected"),
    [
        ("trp-initial", FULL - {"chronology"}, "the chronology"),
        ("trp-initial", FULL - {"account"}, "a summary of the person's account"),
        ("trp-initial", FULL - {"criteria"}, "an indication of at least one IRCC criterion"),
        ("trp-initial", FULL - {"vulnerabilities", "safety"}, "vulnerabilities or safety or risks on return"),
        ("trp-subsequent", FULL - {"continued_need"}, "continued need for protection"),
        ("owp-cover", FULL, "work needs"),
        ("exhibit-index", FULL - {"exhibits"}, "at least one exhibit"),
    ],
)
def test_an_empty_mandatory_section_blocks(template: str, filled: frozenset[str], expected: str) -> None:
    found = [
        f for f in r.check(_input(template=template, sections_filled=filled)) if f.code == "section-empty"
    ]
    assert len(found) == 1 and found[0].is_blocker and expected in found[0].message


def test_a_lapsed_permit_is_said_and_blocks_a_work_permit_cover() -> None:
    ended = date(2025, 11, 30)
    subsequent = r.check(_input(template="trp-subsequent", permit_valid_to=ended))
    lapsed = next(f for f in subsequent if f.code == "permit-lapsed")
    assert not lapsed.is_blocker and "cannot be restored or extended" in lapsed.message
    cover = r.check(
        _input(template="owp-cover", permit_valid_to=ended, sections_filled=FULL | {"needs_work"})
    )
    assert "permit-lapsed" in [f.code for f in cover if f.is_blocker]
    in_force = r.check(_input(template="trp-subsequent", permit_valid_to=TODAY))
    assert "permit-lapsed" not in [f.code for f in in_force]


def test_ifhp_without_knowing_other_coverage_is_a_warning() -> None:
    unknown = r.check(_input(request_ifhp=True, health_coverage="unknown"))
    assert [f.severity for f in unknown if f.code == "health-coverage"] == ["warning"]
    assert not [
        f for f in r.check(_input(request_ifhp=True, health_coverage="none")) if f.code == "health-coverage"
    ]


def test_a_dimension_argued_without_reference_blocks() -> None:
    found = r.check(_input(unsupported_dimensions=("Coercion at destination",)))
    assert any(f.code == "dimension-unsupported" and "Coercion at destination" in f.message for f in found)


# -------------------------------------------------------------------------------------------------- the letter


def _render(template: str, lang: str, **changes) -> str:  # type: ignore[no-untyped-def]
    data = dataclasses.replace(example_data(template, lang), **changes)
    return all_text(render_bytes(TEMPLATES / f"{template}.{lang}.docx", build_context(data)))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_permit_is_described_as_the_dates_say(lang: str) -> None:
    ended = PermitData("T1", date(2025, 1, 1), date(2025, 12, 31), 365)
    lapsed = _render("trp-subsequent", lang, previous_permit=ended, draft_date=date(2026, 3, 3))
    current = _render("trp-subsequent", lang, previous_permit=ended, draft_date=date(2025, 11, 3))
    before = "made while that permit is in force" if lang == "en" else "pendant que ce permis est en vigueur"
    ended_words = "That permit has ended" if lang == "en" else "Ce permis a pris fin"
    assert ended_words in lapsed and before not in lapsed and "before it expires" not in lapsed
    assert before in current and ended_words not in current


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_other_coverage_and_cooperation_only_when_the_file_says_so(lang: str) -> None:
    coverage = "no other health coverage" if lang == "en" else "aucune autre couverture"
    helped = "chose to help the authorities" if lang == "en" else "a choisi d'aider les autorités"
    said = _render("trp-subsequent", lang)
    assert coverage in said and helped in said
    silent = _render("trp-subsequent", lang, health_coverage="unknown", cooperation="none")
    assert coverage not in silent and helped not in silent
    assert ("IFHP" in silent) if lang == "en" else ("PFSI" in silent)


def test_french_agreement_follows_the_recorded_gender() -> None:
    person = example_data("trp-initial", "fr").person
    woman = _render("trp-initial", "fr", person=dataclasses.replace(person, gender="woman"))
    man = _render("trp-initial", "fr", person=dataclasses.replace(person, gender="man"))
    unknown = _render("trp-initial", "fr", person=dataclasses.replace(person, gender=""))
    assert "soit couverte par" in woman and "une étrangère" in woman and "(e)" not in woman
    assert "soit couvert par" in man and "un étranger au Canada" in man and "(e)" not in man
    assert "soit couvert(e) par" in unknown


# -------------------------------------------------------------------------------------------------- trpkit org


def test_org_set_and_show(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from trpkit.cli import cli as main

    config = tmp_path / "config.toml"
    config.write_text('user = "ana"\n', encoding="utf-8")
    monkeypatch.setenv("TRPKIT_CONFIG", str(config))
    runner = CliRunner()
    shown = runner.invoke(main, ["org", "show", "--json"])
    assert shown.exit_code == 0 and json.loads(shown.output)["missing"] == [
        "name",
        "contact line",
        "representative (who signs)",
        "representative's title",
    ]
    done = runner.invoke(
        main,
        [
            "org",
            "set",
            "--name",
            "Maison",
            "--address",
            "1 rue A",
            "--address",
            "Montréal",
            "--representative",
            "Dana",
        ],
    )
    assert done.exit_code == 0, done.output
    assert "Letters are blocked until these are set: contact line, representative's title" in done.output
    runner.invoke(main, ["org", "set", "--contact", "514-555-0100", "--title", "Accompanier"])
    values = json.loads(runner.invoke(main, ["org", "show", "--json"]).output)
    assert values["address"] == ["1 rue A", "Montréal"] and values["representative"] == "Dana"
    assert values["missing"] == []
    assert 'user = "ana"' in config.read_text(encoding="utf-8")  # the other settings are kept
    assert (tmp_path / "config.toml.bak").exists()
    refused = runner.invoke(main, ["org", "set"])
    assert refused.exit_code != 0 and "Nothing to change" in refused.output
    long = runner.invoke(main, ["org", "set", "--name", "x" * 400])
    assert long.exit_code != 0 and "at most 300 characters" in long.output and "Traceback" not in long.output


def test_the_internal_note_is_marked_and_holds_what_the_letter_leaves_out(tmp_path: Path) -> None:
    from datetime import datetime

    from trpkit.services.drafting import DraftRecord, write_internal_note

    record = DraftRecord(
        1,
        "TRP-2026-0001",
        "trp-initial",
        "en",
        False,
        datetime(2026, 3, 3),
        "ana",
        "0" * 64,
        10,
        "letter.docx",
        TODAY,
        "vtip-2025",
        1,
        internal=("Indicator weights: from a secondary source, not yet checked against the original.",),
        findings=(
            r.Finding("warning", "person-uci", "No UCI: the letter will say it is not known yet.", "fix"),
        ),
    )
    note = write_internal_note(record, tmp_path / "note.docx")
    text = all_text(note)
    assert "INTERNAL — NOT FOR SUBMISSION" in text and "Indicator weights: from a secondary source" in text
    assert "No UCI" in text and "letter.docx (trp-initial, en), dated 2026-03-03" in text
    with pytest.raises(UsageError, match="already exists"):
        write_internal_note(record, note)
