"""The indicators, assess and evidence commands as a person (or a script) runs them (in-process, tests/cli.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli import CliResult, run_cli
from tests.conftest import TEST_PASSPHRASE


def run(args: list[str], vault: Path | None = None, cwd: Path | None = None) -> CliResult:
    return run_cli(args, vault=vault, passphrase=TEST_PASSPHRASE, cwd=cwd)


def test_pure_assess_json_contract_without_any_vault(tmp_path: Path) -> None:
    result = run(
        [
            "--vault",
            str(tmp_path / "missing.trpvault"),
            "indicators",
            "assess",
            "--framework",
            "delphi-adult-labour",
            "--present",
            "AL-1.01,AL-1.02,AL-4.01,AL-4.02,AL-5.01,AL-5.04",
            "--json",
        ]
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["framework"] == "delphi-adult-labour" and data["identified"] is True
    assert [d["id"] for d in data["dimensions"]] == [
        "deceptive_recruitment",
        "coercive_recruitment",
        "recruitment_abuse_of_vulnerability",
        "exploitative_conditions",
        "coercion_at_destination",
        "abuse_of_vulnerability_at_destination",
    ]
    dims = {d["id"]: d for d in data["dimensions"]}
    coercion = dims["coercion_at_destination"]
    assert {k: coercion[k] for k in ("positive", "strong", "medium", "weak", "rule")} == {
        "positive": True,
        "strong": 2,
        "medium": 0,
        "weak": 0,
        "rule": "two_strong",
    }
    assert dims["coercion_at_destination"]["indicators"] == ["AL-5.01", "AL-5.04"]
    assert dims["coercive_recruitment"]["rule"] is None and dims["coercive_recruitment"]["positive"] is False
    assert isinstance(data["explanation"], str) and data["gaps"]["near_misses"] == []
    assert not (tmp_path / "missing.trpvault").exists()


def test_pure_assess_child_rule_and_unknown_ids() -> None:
    child = json.loads(
        run(
            [
                "indicators",
                "assess",
                "--framework",
                "delphi-child-labour",
                "--present",
                "CL-1.01,CL-1.02,CL-4.01,CL-4.02",
                "--json",
            ]
        ).stdout
    )
    assert child["identified"] is True and child["identification_rule"].startswith("child:")
    wrong = run(
        ["indicators", "assess", "--framework", "delphi-child-labour", "--present", "CL-1.01,AL-4.01"]
    )
    assert wrong.returncode == 2 and "AL-4.01" in wrong.stderr and "CL-4.01" in wrong.stderr
    assert "Traceback" not in wrong.stderr and len(wrong.stderr.strip().splitlines()) == 1
    bad_framework = run(["indicators", "assess", "--framework", "delphi-martian", "--present", "AL-1.01"])
    assert bad_framework.returncode == 2 and "delphi-adult-labour" in bad_framework.stderr


def test_list_prompts_and_check(tmp_path: Path) -> None:
    listed = json.loads(run(["indicators", "list", "--json"]).stdout)
    assert {f["id"] for f in listed["frameworks"]} == {
        "delphi-adult-labour",
        "delphi-child-labour",
        "delphi-adult-sexual",
        "delphi-child-sexual",
    }
    sexual = json.loads(run(["indicators", "list", "--framework", "delphi-adult-sexual", "--json"]).stdout)
    assert sexual["verification"] == "unconfirmed" and sexual["complete"] is False
    ircc = json.loads(run(["indicators", "list", "--framework", "ircc-vtip-criteria", "--json"]).stdout)
    assert [c["id"] for c in ircc["criteria"]] == ["IRCC-1", "IRCC-2", "IRCC-3", "IRCC-4"]
    prompts = json.loads(run(["indicators", "prompts", "AL-5.01", "--json"]).stdout)
    assert prompts["prompts"] and all(p.endswith("?") for p in prompts["prompts"])
    assert run(["indicators", "check"]).returncode == 0
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "ilo-forced-labour.toml").write_text("[meta\nid = 1\n", encoding="utf-8")
    checked = run(["indicators", "check", "--dir", str(broken)])
    assert checked.returncode == 2 and "ilo-forced-labour.toml, line 1:" in checked.stderr


@pytest.fixture
def vault(cli_vault: Path) -> Path:
    """A vault whose one user is the supervisor "ana"."""
    return cli_vault


def _case(vault: Path) -> str:
    from datetime import date

    from trpkit.db.database import open_target
    from trpkit.db.engine import Target
    from trpkit.services.cases import create_case
    from trpkit.services.consent import record_consent
    from trpkit.services.users import actor_for

    database = open_target(Target(vault_path=vault), TEST_PASSPHRASE)
    with database.session() as session:
        actor = actor_for(session, "ana")
        code = create_case(
            session,
            actor,
            exploitation_sector="agriculture",
            person={
                "legal_name": "Rosa Ejemplar",
                "birth_date_text": "1988",
                "birth_date_earliest": date(1988, 1, 1),
                "birth_date_latest": date(1988, 12, 31),
            },
        ).code
        for purpose in ("prepare_file", "submit_to_ircc"):
            record_consent(session, actor, code, purpose=purpose, decision="given", method="written")
    database.close()
    return code


def test_evidence_and_case_assessment_end_to_end(vault: Path, tmp_path: Path) -> None:
    code = _case(vault)
    added = run(
        [
            "evidence",
            "add",
            code,
            "--type",
            "pay_record",
            "--description",
            "Pay stubs",
            "--date",
            "May 2024",
            "--source",
            "the person",
            "--json",
        ],
        vault,
    )
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["exhibit_number"] == 1
    file = tmp_path / "stub.pdf"
    file.write_bytes(b"%PDF-1.4 fictional")
    attached = json.loads(
        run(["evidence", "attach", code, "1", str(file), "--name", "../../x.pdf", "--json"], vault).stdout
    )
    assert attached["name"] == "x.pdf" and attached["size"] == len(file.read_bytes())
    linked = run(
        ["indicators", "link", code, "AL-1.01,AL-1.02,AL-4.01,AL-4.02,AL-5.01", "--exhibit", "1", "--json"],
        vault,
    )
    assert linked.returncode == 0, linked.stderr
    assert [r["indicator_id"] for r in json.loads(linked.stdout)] == [
        "AL-1.01",
        "AL-1.02",
        "AL-4.01",
        "AL-4.02",
        "AL-5.01",
    ]
    assessed = json.loads(run(["assess", code, "--json"], vault).stdout)
    assert assessed["framework"] == "delphi-adult-labour" and assessed["identified"] is False
    near = {n["dimension"]: n for n in assessed["gaps"]["near_misses"]}
    assert near["coercion_at_destination"]["would_identify"] is True
    assert (
        run(
            ["indicators", "link", code, "AL-5.03", "--note", "never allowed to leave the farm"], vault
        ).returncode
        == 0
    )
    assessed = json.loads(run(["assess", code, "--json"], vault).stdout)
    assert assessed["identified"] is True
    text = run(["assess", code], vault).stdout
    assert "IDENTIFIED" in text and "Coercion at destination" in text
    unknown = run(["indicators", "link", code, "AL-1.03,AL-9.01", "--exhibit", "1"], vault)
    assert unknown.returncode == 2 and "unknown indicator 'AL-9.01'" in unknown.stderr
    edited = json.loads(
        run(
            [
                "evidence",
                "edit",
                code,
                "1",
                "--description",
                "Pay stubs, May to July",
                "--expected-version",
                "1",
                "--json",
            ],
            vault,
        ).stdout
    )
    assert edited["version"] == 2 and edited["description"] == "Pay stubs, May to July"
    listed = json.loads(run(["evidence", "list", code, "--json"], vault).stdout)
    assert listed[0]["indicator_ids"] == [
        "AL-1.01",
        "AL-1.02",
        "AL-4.01",
        "AL-4.02",
        "AL-5.01",
    ]  # not AL-1.03:
    # linking several indicators is all or nothing
    out = tmp_path / "exhibits"
    exported = run(["evidence", "export", code, str(out)], vault)
    assert exported.returncode == 0, exported.stderr
    assert sorted(p.name for p in out.iterdir()) == ["SHA256SUMS", "exhibit-01-1-x.pdf"]
    contrast = json.loads(run(["indicators", "contrast", code, "--json"], vault).stdout)
    assert contrast["points_to_trafficking"] >= 2
    stale = run(["evidence", "remove", code, "1", "--yes", "--expected-version", "1"], vault)  # it is at 2
    assert stale.returncode == 6 and "Traceback" not in stale.stderr
    assert run(["evidence", "remove", code, "1", "--yes", "--expected-version", "2"], vault).returncode == 0
    assert json.loads(run(["evidence", "list", code, "--json"], vault).stdout) == []
