"""The narrative, timeline, search and dates commands, run as a person runs them (in-process, tests/cli.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli import CliResult, run_cli
from tests.conftest import TEST_PASSPHRASE


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    tmp = tmp_path_factory.mktemp("narrative_cli")
    env = {
        "TRPKIT_PASSPHRASE": TEST_PASSPHRASE,
        "XDG_DATA_HOME": str(tmp / "data"),
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "TRPKIT_CONFIG": str(tmp / "config" / "c.toml"),
    }
    path = tmp / "v.trpvault"
    made = run_cli(["--vault", str(path), "init"], env=env)
    assert made.returncode == 0, made.stderr
    return path, env


def run(
    vault: tuple[Path, dict[str, str]], *args: str, stdin: str | None = None, ok: bool = True
) -> CliResult:
    path, env = vault
    result = run_cli(args, vault=path, env=env, input=stdin)
    if ok:
        assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture(scope="module")
def case_code(vault: tuple[Path, dict[str, str]]) -> str:
    code = run(vault, "case", "new", "--name", "Test Fictional", "--birth-date", "1990").stdout.strip()
    run(vault, "consent", "record", code, "--purpose", "prepare_file", "--given", "--method", "verbal")
    return code


def test_dates_parse_json_without_a_vault(tmp_path: Path) -> None:
    result = run_cli(
        [
            "dates",
            "parse",
            "hace dos años",
            "--lang",
            "es",
            "--relative-to",
            "2025-06-15",
            "--json",
        ],
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {
        k: data[k]
        for k in ("original", "language", "edtf", "earliest", "latest", "precision", "approximate", "status")
    } == {
        "original": "hace dos años",
        "language": "es",
        "edtf": "2023~",
        "earliest": "2022-12-15",
        "latest": "2023-12-15",
        "precision": "year",
        "approximate": True,
        "status": "parsed",
    }
    bad = run_cli(["dates", "parse", "the day it snowed", "--json"])
    assert bad.returncode == 0, bad.stderr
    assert json.loads(bad.stdout)["status"] == "unparsed"
    wrong = run_cli(["dates", "parse", "2019", "--relative-to", "soon"])
    assert wrong.returncode == 2 and "YYYY-MM-DD" in wrong.stderr


def test_narrative_flow(vault: tuple[Path, dict[str, str]], case_code: str) -> None:
    code = case_code
    assert (
        "meeting 1"
        in run(
            vault,
            "narrative",
            "meeting",
            code,
            "--date",
            "2025-06-15",
            "--language",
            "es",
            "--interpreter",
            "Intérprete Ficticio",
            "--wellbeing",
            "asked to stop early",
        ).stdout
    )
    edited = json.loads(
        run(
            vault,
            "narrative",
            "meeting-edit",
            code,
            "1",
            "--duration",
            "40",
            "--present",
            "accompanier, interpreter",
            "--expected-version",
            "1",
            "--json",
        ).stdout
    )
    assert (edited["duration_minutes"], edited["present"], edited["version"]) == (
        40,
        ["accompanier", "interpreter"],
        2,
    )
    entry = json.loads(
        run(
            vault,
            "narrative",
            "add",
            code,
            "--meeting",
            "1",
            "--json",
            "--translation",
            "At the end of March 2019 they took my passport.",
            "--translated-by",
            "Intérprete Ficticio",
            "A finales de marzo de 2019 me quitaron el pasaporte.",
        ).stdout
    )
    assert (entry["kind"], entry["language"], entry["version"]) == ("own_words", "es", 1)
    summary = run(
        vault,
        "narrative",
        "add",
        code,
        "--date",
        "2025-06-15",
        "--summary",
        "--language",
        "en",
        "-",
        stdin="Arrived in Canada in spring 2019 with a recruiter.\n",
    )
    assert "entry 2" in summary.stdout
    listed = json.loads(run(vault, "narrative", "list", code, "--json").stdout)
    assert [(e["id"], e["kind"]) for e in listed] == [(1, "own_words"), (2, "summary")]
    run(
        vault,
        "narrative",
        "edit",
        code,
        "1",
        "--expected-version",
        "1",
        "--text",
        "A finales de marzo de 2019 me quitaron el pasaporte y los papeles.",
    )
    stale = run(vault, "narrative", "edit", code, "1", "--expected-version", "1", "--text", "other", ok=False)
    assert stale.returncode == 6 and "changed by someone else" in stale.stderr
    assert "y los papeles" in stale.stderr  # theirs is shown so the person can choose
    history = json.loads(run(vault, "narrative", "history", code, "1", "--json").stdout)
    assert [h["version"] for h in history] == [2, 1]
    assert "restored as version 3" in run(vault, "narrative", "restore", code, "1", "1").stdout
    shown = run(vault, "narrative", "show", code, "1").stdout
    assert "me quitaron el pasaporte." in shown and "Translation by Intérprete Ficticio" in shown
    missing = run(vault, "narrative", "show", code, "99", ok=False)
    assert missing.returncode == 2 and "No entry 99" in missing.stderr


def test_timeline_and_search(vault: tuple[Path, dict[str, str]], case_code: str) -> None:
    code = case_code
    if not json.loads(run(vault, "narrative", "list", code, "--json").stdout):
        test_narrative_flow(vault, code)
    assert (
        "spring 2019"
        in run(
            vault,
            "timeline",
            "add",
            code,
            "--type",
            "arrival_canada",
            "--date",
            "spring 2019",
            "--entry",
            "2",
        ).stdout
    )
    run(
        vault,
        "timeline",
        "add",
        code,
        "--type",
        "departure",
        "--date",
        "2020",
        "--person",
        "recruiter=Don Ficticio",
    )
    kept = run(vault, "timeline", "add", code, "--type", "escape", "--date", "the day the boss left").stdout
    assert "kept as said" in kept
    anchored = json.loads(
        run(
            vault,
            "timeline",
            "add",
            code,
            "--type",
            "start_work",
            "--date",
            "two weeks after arriving in Canada",
            "--json",
        ).stdout
    )
    assert anchored["date"]["earliest"] == "2019-03-12" and anchored["date"]["approximate"] is True
    suggestions = json.loads(run(vault, "timeline", "suggest", code, "--json").stdout)
    phrases = {s["phrase"]: s["id"] for s in suggestions}
    assert "finales de marzo de 2019" in phrases
    accepted = json.loads(
        run(
            vault,
            "timeline",
            "accept",
            code,
            str(phrases["finales de marzo de 2019"]),
            "--type",
            "documents_taken",
            "--json",
        ).stdout
    )
    assert accepted["linked_entry_ids"] == [1]
    tl = json.loads(run(vault, "timeline", "show", code, "--json").stdout)
    assert [e["type"] for e in tl["events"]] == [
        "documents_taken",
        "arrival_canada",
        "start_work",
        "departure",
        "escape",
    ]
    assert tl["conflicts"][0]["reason"] == "Departure must come before arrival in Canada"
    assert [e["date"]["original"] for e in tl["unparsed"]] == ["the day the boss left"]
    assert tl["events"][3]["people"] == {"recruiter": ["Don Ficticio"]}
    md = run(vault, "timeline", "show", code, "--markdown", "--lang", "fr").stdout
    assert "| fin mars 2019 | Documents taken |" in md and "## Dates to fix" in md and "gap:" in md
    hits = json.loads(run(vault, "search", "pasaporte", "--json").stdout)
    assert hits[0]["case_code"] == code and "«pasaporte»" in hits[0]["snippet"]
    assert "[passport]" in run(vault, "search", "passport").stdout
    bad = run(vault, "search", '""', ok=False)
    assert bad.returncode == 2 and "at least one word" in bad.stderr
