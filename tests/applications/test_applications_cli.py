"""application / decision / deadlines as a person runs them (in-process, tests/cli.py): JSON, exit codes, an .ics file."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from tests.cli import CliResult, run_cli

PASS = "orchard lantern velvet compass"


def run(args: list[str], vault: Path) -> CliResult:
    return run_cli(
        args, vault=vault, passphrase=PASS, env={"TRPKIT_CONFIG": str(vault.parent / "config.toml")}
    )


def ok(args: list[str], vault: Path) -> str:
    result = run(args, vault)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def vault_with_case(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One vault and case for the module, shared by tests that each work on their own application."""
    vault = tmp_path_factory.mktemp("apps") / "apps.trpvault"
    ok(["init", "--user", "ana"], vault)
    code = ok(["case", "new", "--name", "Rosa Ejemplar"], vault).strip()
    for purpose in ("prepare_file", "submit_to_ircc"):
        ok(["consent", "record", code, "--purpose", purpose, "--given", "--method", "written"], vault)
    return vault, code


def test_application_to_decision_to_calendar(vault_with_case: tuple[Path, str], tmp_path: Path) -> None:
    vault, code = vault_with_case
    today = date.today()
    submitted = (today - timedelta(days=200)).isoformat()
    ref = ok(
        [
            "application",
            "new",
            code,
            "--type",
            "initial_trp",
            "--submitted",
            submitted,
            "--office",
            "Toronto",
        ],
        vault,
    ).strip()
    assert ref.startswith(f"{code}/A")
    start = today - timedelta(days=60)
    named = run(
        [
            "decision",
            "record",
            ref,
            "--outcome",
            "granted",
            "--on",
            start.isoformat(),
            "--days",
            "120",
            "--officer-label",
            "Jane Doe",
        ],
        vault,
    )
    assert (
        named.returncode == 2
        and "never the officer's name" in named.stderr
        and "Traceback" not in named.stderr
    )
    recorded = json.loads(
        ok(
            [
                "decision",
                "record",
                ref,
                "--outcome",
                "granted",
                "--on",
                start.isoformat(),
                "--valid-from",
                start.isoformat(),
                "--days",
                "120",
                "--officer-label",
                "TOR-12",
                "--json",
            ],
            vault,
        )
    )
    assert recorded["validity_end"] == (start + timedelta(days=119)).isoformat()
    assert recorded["snapshot"]["policy_period"] == "vtip-2025"
    shown = json.loads(ok(["application", "show", ref, "--json"], vault))
    assert shown["stage"] == "decided" and [e["stage"] for e in shown["events"]] == [
        "draft",
        "submitted",
        "decided",
    ]
    text = ok(["decision", "show", ref], vault)
    assert "granted" in text and "TOR-12" in text and "Rosa" not in text

    deadlines = json.loads(ok(["deadlines", "--within", "90", "--json"], vault))
    kinds = {i["kind"] for i in deadlines["items"]}
    assert kinds == {"reflection_end", "renewal_reminder"}
    human = ok(["deadlines"], vault)
    assert code in human and "Rosa" not in human

    ics = tmp_path / "deadlines.ics"
    out = ok(["deadlines", "ics", "-o", str(ics)], vault)
    assert "2 deadline(s)" in out
    calendar = Calendar.from_ical(ics.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 2
    expiry = next(e for e in events if "reflection" in str(e["summary"]))
    assert expiry.decoded("dtstart") == start + timedelta(days=119)
    assert all(str(e["summary"]).startswith(code) for e in events)
    raw = ics.read_text()
    assert "Rosa" not in raw and "Ejemplar" not in raw


def test_refusal_and_reason_codes(vault_with_case: tuple[Path, str]) -> None:
    vault, code = vault_with_case
    ref = ok(
        ["application", "new", code, "--type", "subsequent_trp", "--submitted", "2025-06-01"], vault
    ).strip()
    ok(["application", "advance", ref, "info_requested", "--on", "2025-07-01", "--due", "2025-07-31"], vault)
    missing = run(["decision", "record", ref, "--outcome", "refused", "--on", "2025-09-01"], vault)
    assert missing.returncode == 2 and "at least one reason" in missing.stderr
    ok(
        [
            "decision",
            "record",
            ref,
            "--outcome",
            "refused",
            "--on",
            "2025-09-01",
            "--reason",
            "criminal_case_concluded",
            "--reason",
            "presence_not_required",
            "--reasons-text",
            "The case has ended.",
        ],
        vault,
    )
    decision = json.loads(ok(["decision", "show", ref, "--json"], vault))
    assert decision["refusal_reasons"] == ["criminal_case_concluded", "presence_not_required"]
    bad = run(["application", "show", "nonsense"], vault)
    assert bad.returncode == 2 and "CASE/A<n>" in bad.stderr
