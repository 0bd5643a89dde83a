"""`trpkit case dependant add|list|edit|remove` as a person runs it (in-process, tests/cli.py) on a vault."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli import CliResult, run_cli
from tests.conftest import TEST_PASSPHRASE


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    tmp = tmp_path_factory.mktemp("dependants_cli")
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


def new_case(vault: tuple[Path, dict[str, str]], name: str) -> str:
    """Set a case up through the services: the commands under test are the dependant ones."""
    from trpkit.db.database import open_target
    from trpkit.db.engine import Target
    from trpkit.services.cases import create_case
    from trpkit.services.users import actor_for

    database = open_target(Target(vault_path=vault[0]), TEST_PASSPHRASE)
    try:
        with database.session() as s:
            return create_case(s, actor_for(s, None), person={"legal_name": name}).code
    finally:
        database.close()


def run(vault: tuple[Path, dict[str, str]], *args: str, code: int = 0) -> CliResult:
    path, env = vault
    result = run_cli(args, vault=path, env=env)
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    if code:
        assert len(result.stderr.strip().splitlines()) == 1  # one line that says what to do
    return result


def test_dependants_from_the_command_line(vault: tuple[Path, dict[str, str]]) -> None:
    case = new_case(vault, "Marisol Brennvik")

    added = run(
        vault,
        "case",
        "dependant",
        "add",
        case,
        "--name",
        "Tomás Brennvik",
        "--relationship",
        "son",
        "--birth-date",
        "March 2016",
        "--status",
        "no status",
        "--notes",
        "School nearby",
    )
    assert added.stdout.startswith(f"{case}: dependant 1 added (person version 2)")
    partner = json.loads(
        run(
            vault,
            "case",
            "dependant",
            "add",
            case,
            "--name",
            "Rosa Brennvik",
            "--relationship",
            "other",
            "--described-as",
            "partner's sister",
            "--not-included",
            "--json",
        ).stdout
    )
    assert partner["dependant"]["id"] == 2 and partner["dependant"]["include_in_application"] is False
    assert partner["dependant"]["relationship"] == "other" and partner["version"] == 3

    listed = run(vault, "case", "dependant", "list", case).stdout
    assert "person version 3" in listed
    lines = listed.splitlines()
    assert lines[1].split()[:3] == ["#", "name", "relationship"]
    assert (
        "Tomás Brennvik" in lines[3]
        and "son" in lines[3]
        and "March 2016" in lines[3]
        and " yes " in lines[3]
    )
    assert "partner's sister" in lines[4] and " no " in lines[4]

    data = json.loads(run(vault, "case", "dependant", "list", case, "--json").stdout)
    assert data["case"] == case and data["version"] == 3
    first = data["dependants"][0]
    assert {
        k: first[k]
        for k in (
            "id",
            "name",
            "relationship",
            "described_as",
            "birth_date_earliest",
            "birth_date_latest",
            "status_in_canada",
            "include_in_application",
            "notes",
        )
    } == {
        "id": 1,
        "name": "Tomás Brennvik",
        "relationship": "child",
        "described_as": "son",
        "birth_date_earliest": "2016-03-01",
        "birth_date_latest": "2016-03-31",
        "status_in_canada": "no status",
        "include_in_application": True,
        "notes": "School nearby",
    }

    stale = run(
        vault,
        "case",
        "dependant",
        "edit",
        case,
        "1",
        "--status",
        "visitor",
        "--expected-version",
        "2",
        code=6,
    )
    assert "changed by someone else" in stale.stderr and f"trpkit case dependant list {case}" in stale.stderr
    edited = run(
        vault,
        "case",
        "dependant",
        "edit",
        case,
        "1",
        "--status",
        "Canadian citizen",
        "--notes",
        "",
        "--expected-version",
        "3",
    )
    assert "dependant 1 saved (person version 4)" in edited.stdout and "needs no permit" in edited.stdout
    run(vault, "case", "dependant", "remove", case, "2")
    after = json.loads(run(vault, "case", "dependant", "list", case, "--json").stdout)
    assert [(d["id"], d["status_in_canada"], d["notes"]) for d in after["dependants"]] == [
        (1, "Canadian citizen", "")
    ]


def test_mistakes_get_one_line_that_says_what_to_do(vault: tuple[Path, dict[str, str]]) -> None:
    case = new_case(vault, "Test Fictional")
    empty = run(vault, "case", "dependant", "list", case)
    assert "no dependants in Canada recorded" in empty.stdout and "trpkit case dependant add" in empty.stdout
    typo = run(vault, "case", "dependant", "add", case, "--name", "Ana", "--relationship", "chlid", code=2)
    assert (
        "Unknown relationship 'chlid'" in typo.stderr
        and "spouse, child, parent, sibling or other" in typo.stderr
    )
    assert (
        "no dependant 7" in run(vault, "case", "dependant", "edit", case, "7", "--notes", "x", code=2).stderr
    )
    assert "Nothing to change" in run(vault, "case", "dependant", "edit", case, "1", code=2).stderr
    future = run(
        vault,
        "case",
        "dependant",
        "add",
        case,
        "--name",
        "Ana",
        "--relationship",
        "child",
        "--birth-date",
        "2999",
        code=2,
    )
    assert "in the future" in future.stderr


def test_help_shows_the_subgroup_beside_the_existing_commands(vault: tuple[Path, dict[str, str]]) -> None:
    help_text = run(vault, "case", "--help").stdout
    for command in ("new", "list", "show", "edit", "assign", "dependant"):
        assert f"  {command} " in help_text
