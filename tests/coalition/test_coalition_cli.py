"""The coalition commands as people run them (in-process, tests/cli.py): an NGO exports, the coalition
imports, an analyst reports."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from tests.cli import CliResult, run_cli
from tests.conftest import TEST_PASSPHRASE
from trpkit.coalition.record import COLUMN_NAMES, write_csv
from trpkit.coalition.synthetic import Effects, records
from trpkit.demo import DEMO_PASSPHRASE


def run(
    args: list[str],
    vault: Path | None = None,
    cwd: Path | None = None,
    passphrase: str = TEST_PASSPHRASE,
    user: str | None = None,
) -> CliResult:
    return run_cli(args, vault=vault, user=user, passphrase=passphrase, cwd=cwd)


@pytest.fixture(scope="module")
def ngo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A demo vault with decisions, a signing key and the coalition secret; and its package."""
    folder = tmp_path_factory.mktemp("ngo")
    vault = folder / "demo.trpvault"
    made = run(
        ["demo", "--cases", "150", "--seed", "8", "--path", str(vault), "--no-tui"],
        passphrase=DEMO_PASSPHRASE,
    )
    assert made.returncode == 0, made.stderr
    # The demo vault already has a demo key: replacing it is what an agency does when it rotates its key.
    key = run(
        ["coalition", "keygen", "--agency", "maison-test", "--replace", "-o", "ngo.pub"],
        vault,
        folder,
        DEMO_PASSPHRASE,
    )
    assert key.returncode == 0, key.stderr
    assert run(["coalition", "secret", "--new", "-o", "secret.txt"], cwd=folder).returncode == 0
    stored = run(["coalition", "secret", "--import", "secret.txt"], vault, folder, DEMO_PASSPHRASE)
    assert stored.returncode == 0, stored.stderr
    return folder, vault


def test_ngo_export_prints_risk_and_writes_a_signed_package(ngo: tuple[Path, Path]) -> None:
    folder, vault = ngo
    dry = run(["coalition", "export", "--dry-run", "--json"], vault, folder, DEMO_PASSPHRASE)
    assert dry.returncode == 0, dry.stderr
    summary = json.loads(dry.stdout)
    assert summary["ok"] and summary["written"] is None and summary["withheld_for_consent"] > 0
    assert summary["risk"]["prosecutor_max"] <= 0.2
    done = run(["coalition", "export", "-o", "a.trpcoal"], vault, folder, DEMO_PASSPHRASE)
    assert done.returncode == 0, done.stderr
    assert "re-identification risk" in done.stdout and "package written to a.trpcoal" in done.stdout
    # the risk is stated over every quasi-identifier, those of the application and the case included
    assert "application_type, policy_period, law_enforcement_cooperation, criminal_case_status" in done.stdout
    assert set(zipfile.ZipFile(folder / "a.trpcoal").namelist()) == {
        "records.csv",
        "manifest.json",
        "manifest.sig",
    }


def test_coalition_imports_refuses_tampering_and_reports(ngo: tuple[Path, Path], tmp_path: Path) -> None:
    folder, ngo_vault = ngo
    package = folder / "b.trpcoal"
    assert (
        run(["coalition", "export", "-o", str(package)], ngo_vault, folder, DEMO_PASSPHRASE).returncode == 0
    )
    vault = tmp_path / "coalition.trpvault"
    assert run(["init", "--user", "coord"], vault).returncode == 0
    assert run(["user", "add", "ines", "--role", "analyst"], vault, user="coord").returncode == 0
    added = run(["coalition", "agencies", "add", str(folder / "ngo.pub")], vault, user="ines")
    assert added.returncode == 0 and "maison-test added" in added.stdout, added.stderr
    tampered = tmp_path / "tampered.trpcoal"
    source = zipfile.ZipFile(package)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(
                name, data.replace(b",granted,", b",refused,", 1) if name == "records.csv" else data
            )
    tampered.write_bytes(out.getvalue())
    result = run(["coalition", "import", str(tampered)], vault, user="ines")
    assert result.returncode == 1 and "REFUSED " in result.stdout and "(tampered records" in result.stdout
    result = run(["coalition", "import", str(package), "--json"], vault, user="ines")
    assert result.returncode == 0, result.stderr
    imported = json.loads(result.stdout)[0]
    assert imported["ok"] and imported["new"] > 0
    report = run(["coalition", "report", "--json", "--min-cell", "5"], vault, user="ines")
    assert report.returncode == 0, report.stderr
    data = json.loads(report.stdout)
    assert data["source"] == "coalition store" and data["findings"]
    assert "maison-test" not in report.stdout
    release = run(["coalition", "release", "-o", str(tmp_path / "release.csv")], vault, user="ines")
    assert release.returncode == 0, release.stderr
    assert "agency" not in (tmp_path / "release.csv").read_text().splitlines()[0]
    denied = run(["coalition", "export"], vault, user="ines")
    assert denied.returncode == 5 and "analyst role cannot export" in denied.stderr


def test_researcher_report_from_a_plain_csv_with_a_word_file(tmp_path: Path) -> None:
    csv_file = tmp_path / "records.csv"
    write_csv(records(800, seed=41, effects=Effects(cooperation=1.3)), COLUMN_NAMES, csv_file)
    result = run(["coalition", "report", "--records", str(csv_file), "-o", str(tmp_path / "r.docx")])
    assert result.returncode == 0, result.stderr
    assert "Does cooperating with police change the outcome?" in result.stdout
    assert (tmp_path / "r.docx").stat().st_size > 20_000


def test_bad_input_gets_one_line_that_says_what_to_do(tmp_path: Path) -> None:
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text("outcome,ircc_office\ngranted,=cmd|' /C calc'!A0\n", encoding="utf-8")
    result = run(["coalition", "report", "--records", str(csv_file)])
    assert result.returncode == 2
    assert "row 2, column ircc_office" in result.stderr and "Traceback" not in result.stderr
    result = run(["coalition", "report", "--records", str(csv_file), "--min-cell", "3"])
    assert result.returncode == 2 and "never shown" in result.stderr
