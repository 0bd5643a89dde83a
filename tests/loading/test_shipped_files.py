"""Every data file shipped in checklists/ is read by a loader, every one loads, and `trpkit data check` says so."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from trpkit.cli import cli
from trpkit.commands.data import LOADERS
from trpkit.paths import checklists_dir

FOLDER = checklists_dir()


def test_every_shipped_file_has_a_loader() -> None:
    shipped = {str(p.relative_to(FOLDER)) for p in FOLDER.rglob("*.toml")}
    assert shipped == set(LOADERS), "a new data file needs its line in LOADERS (trpkit/commands/data.py)"


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_every_shipped_file_loads(name: str) -> None:
    assert LOADERS[name](FOLDER / name) > 0  # loaded, and not empty


def test_data_check_reads_everything(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["data", "check", "--json"], env={"TRPKIT_CONFIG": str(tmp_path / "none.toml")}
    )
    assert result.exit_code == 0, result.output
    files = {row["file"] for row in json.loads(result.output)["files"]}
    assert files == set(LOADERS)


def test_data_check_names_the_broken_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "checklists"
    shutil.copytree(FOLDER, folder)
    path = folder / "documents-subsequent-trp.toml"
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("required = "))
    lines[index] = 'required = "yes"'
    path.write_text("\n".join(lines), encoding="utf-8")
    env = {"TRPKIT_CONFIG": str(tmp_path / "none.toml")}
    result = CliRunner().invoke(cli, ["data", "check", "--dir", str(folder)], env=env)
    assert result.exit_code == 2
    assert f"documents-subsequent-trp.toml, line {index + 1}, item " in result.output
    assert "field 'required': must be true or false (without quotes), not 'yes'" in result.output
    (folder / "notes.toml").write_text("a = 1\n", encoding="utf-8")
    path.write_text((FOLDER / path.name).read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["data", "check", "--dir", str(folder)], env=env)
    assert result.exit_code == 2 and "notes.toml: no loader reads this file" in result.output
