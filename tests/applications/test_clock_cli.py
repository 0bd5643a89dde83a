"""trpkit clock grounds|absence|show and deadlines continuity, as a person runs them (in-process, tests/cli.py)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.applications.test_applications_cli import (
    ok,
    run,
)  # the same way of running trpkit as a person does


@pytest.fixture(scope="module")
def vault_with_permits(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A case on TRPs since four years ago, covered until next year."""
    vault = tmp_path_factory.mktemp("clock") / "clock.trpvault"
    ok(["init", "--user", "ana"], vault)
    code = ok(["case", "new", "--name", "Rosa Ejemplar"], vault).strip()
    for purpose in ("prepare_file", "submit_to_ircc"):
        ok(["consent", "record", code, "--purpose", purpose, "--given", "--method", "written"], vault)
    today = date.today()
    start = today.replace(year=today.year - 4, day=1)
    ref = ok(
        [
            "application",
            "new",
            code,
            "--type",
            "initial_trp",
            "--submitted",
            (start - timedelta(days=40)).isoformat(),
        ],
        vault,
    ).strip()
    ok(
        [
            "decision",
            "record",
            ref,
            "--outcome",
            "granted",
            "--on",
            start.isoformat(),
            "--valid-to",
            (today + timedelta(days=400)).isoformat(),
        ],
        vault,
    )
    return vault, code


def test_ground_and_absences_from_the_command_line(vault_with_permits: tuple[Path, str]) -> None:
    vault, code = vault_with_permits
    today = date.today()
    start = today.replace(year=today.year - 4, day=1)
    shown = json.loads(ok(["clock", "show", code, "--json"], vault))
    assert shown["ground"]["ground"] == "unknown" and shown["clock"]["required_years"] == 5
    assert shown["clock"]["eligible_on"] == start.replace(year=start.year + 5).isoformat()

    recorded = json.loads(
        ok(["clock", "grounds", code, "--health", "--note", "IRCC letter", "--json"], vault)
    )
    assert recorded["ground"] == "health" and recorded["recorded_by"] == "ana" and recorded["version"] == 1
    assert "recorded by ana" in ok(["clock", "grounds", code], vault)
    eligible = json.loads(ok(["deadlines", "--within", "3000", "--json"], vault))["items"]
    assert [i["due"] for i in eligible if i["kind"] == "pr_eligible"] == [
        start.replace(year=start.year + 3).isoformat()
    ]

    left = start + timedelta(days=100)
    back = left + timedelta(days=20)
    added = json.loads(
        ok(
            [
                "clock",
                "absence",
                "add",
                code,
                "--left",
                left.isoformat(),
                "--returned",
                back.isoformat(),
                "--note",
                "visit",
                "--json",
            ],
            vault,
        )
    )
    assert added["authorized"] is False and added["days_abroad"] == 19
    text = ok(["clock", "show", code], vault)
    assert f"Continuous since {back}" in text and "without authorization" in text
    assert "[confirmed] leaving Canada without authorization breaks continuity" in text
    assert "[unconfirmed]" in text

    ok(["clock", "absence", "edit", code, str(added["id"]), "--authorized", "yes"], vault)
    text = ok(["deadlines", "continuity", code], vault)
    assert f"Continuous since {start}" in text
    assert "interpretation to check, not a rule written in the regulation" in text
    what_if = json.loads(ok(["deadlines", "continuity", code, "--ground", "other", "--json"], vault))
    assert what_if["overridden"] is True and what_if["clock"]["required_years"] == 5
    assert (
        json.loads(ok(["deadlines", "continuity", code, "--health-inadmissible", "--json"], vault))["clock"][
            "required_years"
        ]
        == 3
    )

    listed = json.loads(ok(["clock", "absence", "list", code, "--json"], vault))
    assert [(a["id"], a["authorized"], a["note"]) for a in listed] == [(added["id"], True, "visit")]
    assert "visit" in ok(["clock", "absence", "list", code], vault)
    ok(["clock", "absence", "remove", code, str(added["id"])], vault)
    assert "No absence" in ok(["clock", "absence", "list", code], vault)


def test_mistakes_get_one_line_answers(vault_with_permits: tuple[Path, str]) -> None:
    vault, code = vault_with_permits
    for args, message in [
        (["clock", "absence", "add", code, "--left", "2025-13-01"], "is not a date"),
        (
            ["clock", "absence", "add", code, "--left", "2025-05-10", "--returned", "2025-05-01"],
            "before leaving",
        ),
        (["clock", "absence", "remove", code, "999"], "no absence #999"),
        (["clock", "grounds", "TRP-1999-0001", "--other"], ""),
        (["deadlines", "continuity", code, "--health-inadmissible", "--ground", "other"], "not both"),
    ]:
        result = run(args, vault)
        assert result.returncode != 0 and "Traceback" not in result.stderr, (args, result.stderr)
        assert message in result.stderr, (args, result.stderr)
