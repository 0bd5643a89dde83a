"""config.toml: a bad value is refused naming the file, its line and the setting, never a traceback."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from trpkit.cli import cli
from trpkit.config import read_organisation, resolve, write_organisation
from trpkit.errors import UsageError
from trpkit.loading.errors import DataFileError

GOOD = 'user = "lea"\nagency = "Maison Exemple"\nreminder_days = [120, 90, 60, 30]\nidle_lock_minutes = 15\n'


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    monkeypatch.setenv("TRPKIT_CONFIG", str(path))
    return path


def test_a_good_file_is_read(config: Path) -> None:
    config.write_text(GOOD, encoding="utf-8")
    settings = resolve()
    assert settings.username == "lea" and settings.agency == "Maison Exemple"
    assert settings.reminder_days == (120, 90, 60, 30) and settings.idle_lock_minutes == 15.0


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('reminder_days = "x"', "field 'reminder_days': must be a list [ ... ], not 'x'"),
        ("reminder_days = [120, -30]", "field 'reminder_days': must be more than 0, not -30"),
        (
            'reminder_days = [120, "60"]',
            "field 'reminder_days': must be a whole number (without quotes), not '60'",
        ),
        ("reminder_days = []", "field 'reminder_days': must not be empty"),
        (
            'idle_lock_minutes = "ten"',
            "field 'idle_lock_minutes': must be a number (without quotes), not 'ten'",
        ),
        ("idle_lock_minutes = 0", "field 'idle_lock_minutes': must be more than 0, not 0"),
        ("user = 7", "field 'user': must be text in quotes, not 7"),
        (
            "remider_days = [30]",
            "field 'remider_days': unknown key 'remider_days': remove it or check its spelling",
        ),
        ("organisation = 1", "field 'organisation': must be a table, not 1"),
    ],
)
def test_a_bad_value_names_file_line_and_setting(config: Path, line: str, problem: str) -> None:
    config.write_text(
        f'# my settings\nuser = "lea"\n{line}\n'.replace('user = "lea"\nuser', "user"), encoding="utf-8"
    )
    expected_line = 3 if not line.startswith("user") else 2
    with pytest.raises(DataFileError) as caught:
        resolve()
    error = caught.value
    assert isinstance(error, UsageError)  # the CLI prints it on one line and exits 2
    assert error.line == expected_line
    assert str(error) == f"{config}, line {expected_line}, {problem}"


def test_an_address_may_be_one_text_or_its_lines(config: Path) -> None:
    config.write_text(
        '[organisation]\naddress = ["1200 rue Exemple", "Montréal QC H2X 0A0"]\n', encoding="utf-8"
    )
    assert read_organisation(config)["address"] == ["1200 rue Exemple", "Montréal QC H2X 0A0"]
    config.write_text('[organisation]\naddress = ["1200 rue Exemple", 7]\n', encoding="utf-8")
    with pytest.raises(DataFileError, match=r"config.toml, line 2, field 'address'"):
        read_organisation(config)


def test_a_bad_organisation_value_names_its_line(config: Path) -> None:
    config.write_text(
        'user = "lea"\n\n[organisation]\nname = "Maison"\nsignatory = "A. Martin"\n', encoding="utf-8"
    )
    with pytest.raises(DataFileError, match=r"config.toml, line 5, field 'signatory': unknown key"):
        read_organisation(config)


def test_not_toml_names_the_line(config: Path) -> None:
    config.write_text('user = "lea"\nagency = "unterminated\n', encoding="utf-8")
    with pytest.raises(DataFileError, match=r"config.toml, line 2: TOML syntax error"):
        resolve()


def test_writing_keeps_other_settings_and_is_read_back(config: Path) -> None:
    config.write_text(GOOD, encoding="utf-8")
    write_organisation({"name": "Maison Exemple", "representative": "Alex Martin"}, config)
    written = tomllib.loads(config.read_text(encoding="utf-8"))
    assert written["reminder_days"] == [120, 90, 60, 30]
    assert read_organisation(config) == {"name": "Maison Exemple", "representative": "Alex Martin"}


def test_the_cli_prints_one_line_and_exits_2(config: Path, tmp_path: Path) -> None:
    config.write_text('reminder_days = "x"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["case", "list"], env={"TRPKIT_CONFIG": str(config)})
    assert result.exit_code == 2, result.output
    assert f"{config}, line 1, field 'reminder_days': must be a list" in result.output
    assert "Traceback" not in result.output and "unexpected" not in result.output.lower()


def test_a_bad_incident_minimum_names_its_line(tmp_path: Path) -> None:
    from trpkit.paths import checklists_dir
    from trpkit.services.incident_checks import incident_policy

    folder = tmp_path / "lists"
    shutil.copytree(checklists_dir(), folder)
    path = folder / "coalition-policy.toml"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n[incidents]\nmin_people = 0\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        incident_policy(path)
    assert caught.value.line == text.count("\n")
    assert "field 'min_people': must be a whole number of at least 1" in str(caught.value)
