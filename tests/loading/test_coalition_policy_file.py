"""checklists/coalition-policy.toml and m49-regions.toml: each problem named by file, line and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from trpkit.domain.coalition_policy import QI_COLUMNS
from trpkit.loading.coalition_models import Hierarchies
from trpkit.loading.coalition_policy import load_m49, load_policy
from trpkit.loading.errors import DataFileError
from trpkit.paths import checklists_dir


def test_the_model_has_a_hierarchy_for_every_attribute() -> None:
    assert list(Hierarchies.model_fields) == list(QI_COLUMNS)


def _line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if line.lstrip().startswith(start))


@pytest.mark.parametrize(
    ("old", "new", "starts", "message"),
    [
        ("k = 5", "k = 1", "k = ", "field 'k': must be a whole number of at least 2"),
        ("min_cell = 10", "min_cell = 3", "min_cell", "field 'min_cell': must be at least 5"),
        ("officer_label = false", "officer_lable = false", "officer_lable", "unknown optional field"),
        (
            'schema_version = "1.0"',
            'schema_version = "2.0"',
            "schema_version",
            "this trpkit writes schema 1.0",
        ),
        ("updated = 2026-11-28", 'updated = "2026-11-28"', "updated", "must be a date like 2026-11-28"),
        (
            'min_level = "sector"',
            'min_level = "sektor"',
            'min_level = "sektor"',
            "is not one of sector, form",
        ),
        ("[hierarchy.dates]", "[hierarchy.datez]", "[hierarchy.datez]", "unknown key 'datez'"),
        ("bands = [0, 18, 35, 55]", "bands = [0, 18, 36, 55]", "bands = [0, 18, 36", "must merge the bands"),
    ],
)
def test_policy_problems_name_the_line_and_field(
    tmp_path: Path, old: str, new: str, starts: str, message: str
) -> None:
    text = (checklists_dir() / "coalition-policy.toml").read_text(encoding="utf-8")
    assert old in text
    changed = text.replace(old, new, 1)
    path = tmp_path / "coalition-policy.toml"
    path.write_text(changed, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_policy(path, checklists_dir() / "m49-regions.toml")
    assert caught.value.line == _line_of(changed, starts), str(caught.value)
    assert message in str(caught.value) and "coalition-policy.toml" in str(caught.value)


def test_m49_codes_must_exist(tmp_path: Path) -> None:
    folder = tmp_path / "lists"
    shutil.copytree(checklists_dir(), folder)
    path = folder / "m49-regions.toml"
    text = path.read_text(encoding="utf-8").replace(
        'MA = { name = "Morocco", region = "002"', 'MA = { name = "Morocco", region = "003"'
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        DataFileError, match=r"line \d+, country MA field 'region': region '003' is not in \[area\]"
    ):
        load_m49(path)


def test_a_missing_policy_says_what_to_give(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="file is missing. Give an existing policy file"):
        load_policy(tmp_path / "none.toml")
