"""French labels are data: every item a French draft can show has one, and a missing, empty, untranslated or
wrongly marked one is refused with the file, the item and the line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from trpkit.domain.frameworks import CRITERIA_FILES, DELPHI_FILES, FrenchStatus
from trpkit.loading.frameworks import ChecklistError, load_frameworks
from trpkit.paths import checklists_dir

FW = load_frameworks()


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "checklists"
    shutil.copytree(checklists_dir(), target)
    return target


def _line(path: Path, needle: str, start: int = 1) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n in range(start, len(lines) + 1) if needle in lines[n - 1])


def _refused(copy: Path) -> ChecklistError:
    with pytest.raises(ChecklistError) as caught:
        load_frameworks(copy)
    return caught.value


def test_every_item_a_french_draft_can_show_has_a_french_label() -> None:
    for lst in FW.delphi.values():
        assert lst.name_fr and lst.french_source and lst.french_status in FrenchStatus
        for item in (*lst.indicators, *lst.dimensions):
            assert item.label_fr.strip() and item.label_fr != item.label, item
            assert item.label_in("fr") == item.label_fr and item.label_in("en") == item.label
    for cs in FW.criteria.values():
        assert cs.name_fr and cs.french_source
        for criterion in cs.criteria:
            assert criterion.label_fr.strip() and criterion.label_fr != criterion.label, criterion


def test_no_translation_is_presented_as_official() -> None:
    """trpkit's own translations are marked so; "officielle" is kept for wording checked word for word."""
    for source in (*FW.delphi.values(), *FW.criteria.values()):
        if source.french_status is FrenchStatus.UNOFFICIAL:
            assert "non officielle" in source.french_source, source.path.name
    statuses = {i.label_fr_status for lst in FW.delphi.values() for i in (*lst.indicators, *lst.dimensions)}
    statuses |= {c.label_fr_status for cs in FW.criteria.values() for c in cs.criteria}
    assert statuses == {FrenchStatus.UNOFFICIAL}


def test_delphi_ids_are_unchanged_by_the_french_labels() -> None:
    assert [i.id for i in FW.get("delphi-adult-labour").indicators][:3] == ["AL-1.01", "AL-1.02", "AL-1.03"]
    assert FW.get("delphi-child-sexual").by_id["CS-5.01"].label_fr


@pytest.mark.parametrize("stem", DELPHI_FILES)
def test_a_missing_indicator_label_names_file_item_and_line(copy: Path, stem: str) -> None:
    path = copy / f"{stem}.toml"
    text = path.read_text(encoding="utf-8")
    prefix = {
        "delphi-adult-labour": "AL",
        "delphi-child-labour": "CL",
        "delphi-adult-sexual": "AS",
        "delphi-child-sexual": "CS",
    }[stem]
    header = _line(path, f'id = "{prefix}-4.03"') - 1  # the [[indicators]] line of that item
    lines = text.splitlines()
    target = next(n for n in range(header, len(lines)) if lines[n].startswith("label_fr = "))
    del lines[target]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error = _refused(copy)
    assert error.path.name == f"{stem}.toml" and error.line == header
    assert str(error).startswith(
        f"checklists/{stem}.toml, line {header}, indicator '{prefix}-4.03' field 'label_fr': missing"
    )


def test_a_missing_dimension_label(copy: Path) -> None:
    path = copy / "delphi-child-labour.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('label_fr = "Recrutement coercitif"\n', "", 1), encoding="utf-8")
    error = _refused(copy)
    assert "dimension 'coercive_recruitment' field 'label_fr': missing" in str(error)
    assert error.line == _line(path, 'id = "coercive_recruitment"') - 1


@pytest.mark.parametrize(
    ("set_name", "criterion"), [("ilo", "FL-07"), ("ircc", "IRCC-3"), ("criminal_code", "CC-2b")]
)
def test_a_missing_criterion_label(copy: Path, set_name: str, criterion: str) -> None:
    path = copy / f"{CRITERIA_FILES[set_name]}.toml"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = _line(path, f'id = "{criterion}"') - 1
    target = next(n for n in range(header, len(lines)) if lines[n].startswith("label_fr = "))
    del lines[target]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error = _refused(copy)
    assert (error.path.name, error.line) == (path.name, header)
    assert f"criterion '{criterion}' field 'label_fr': missing" in str(error)


def test_an_empty_or_untranslated_label(copy: Path) -> None:
    path = copy / "ilo-forced-labour.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('label_fr = "Isolement"', 'label_fr = "  "', 1), encoding="utf-8")
    error = _refused(copy)
    assert "criterion 'FL-04' field 'label_fr': must not be empty" in str(error)
    assert error.line == _line(path, 'label_fr = "  "')
    path.write_text(text.replace('label_fr = "Isolement"', 'label_fr = "Isolation"', 1), encoding="utf-8")
    error = _refused(copy)
    assert "criterion 'FL-04': 'label_fr' is the same as the English label" in str(error)


def test_an_unknown_french_key_or_status(copy: Path) -> None:
    path = copy / "delphi-adult-labour.toml"
    text = path.read_text(encoding="utf-8")
    label = FW.get("delphi-adult-labour").by_id["AL-1.02"].label_fr
    # a misspelt key (the item would silently show English otherwise)
    path.write_text(text.replace(f'label_fr = "{label}"', f'libelle_fr = "{label}"', 1), encoding="utf-8")
    error = _refused(copy)
    assert "indicator 'AL-1.02' field 'libelle_fr': unknown key 'libelle_fr'" in str(error)
    # a status that is neither "officielle" nor "traduction non officielle"
    path.write_text(
        text.replace(f'label_fr = "{label}"', f'label_fr = "{label}"\nlabel_fr_status = "official"', 1),
        encoding="utf-8",
    )
    error = _refused(copy)
    assert re.search(
        r"field 'label_fr_status': 'official' is not allowed: use one of officielle, traduction non officielle",
        str(error),
    )
    assert error.line == _line(path, 'label_fr_status = "official"')


@pytest.mark.parametrize("key", ["name_fr", "french_status", "french_source"])
def test_the_file_must_say_where_its_french_comes_from(copy: Path, key: str) -> None:
    path = copy / "ircc-vtip-criteria.toml"
    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith(f"{key} = ")
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error = _refused(copy)
    assert f"[meta] field '{key}': missing" in str(error) and error.path.name == "ircc-vtip-criteria.toml"
    assert error.line == path.read_text(encoding="utf-8").splitlines().index("[meta]") + 1


def test_a_bad_file_status(copy: Path) -> None:
    path = copy / "criminal-code-279-04.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('french_status = "traduction non officielle"', 'french_status = "maison"', 1),
        encoding="utf-8",
    )
    error = _refused(copy)
    assert "[meta] field 'french_status': 'maison' is not allowed" in str(error)
    assert error.line == _line(path, 'french_status = "maison"')


def test_an_item_checked_against_official_wording_can_say_so(copy: Path) -> None:
    """The per-item status overrides the file's: only for wording copied from the official French text."""
    path = copy / "ilo-forced-labour.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            'label_fr = "Servitude pour dettes"',
            'label_fr = "Servitude pour dettes"\nlabel_fr_status = "officielle"',
            1,
        ),
        encoding="utf-8",
    )
    fw = load_frameworks(copy)
    assert fw.criteria["ilo"].get("FL-09").label_fr_status is FrenchStatus.OFFICIAL
    assert fw.criteria["ilo"].get("FL-08").label_fr_status is FrenchStatus.UNOFFICIAL


def _policy_copy(copy: Path, old: str, new: str) -> Path:
    path = copy / "policy-periods.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_policy_periods_carry_french_titles_and_instruments() -> None:
    from trpkit.loading.ircc_periods import policy_data

    data = policy_data()
    assert data.french_status == "traduction non officielle" and data.french_source
    for period in data.periods:
        assert (
            period.title_fr
            and period.title_in("fr") == period.title_fr
            and period.title_in("en") == period.title
        )
        assert len(period.instruments_fr) == len(period.instruments)


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('title_fr = "Mise à jour', 'titre_fr = "Mise à jour', "unknown key 'titre_fr'"),
        (
            'title_fr = "Mise à jour des instructions d\'exécution des programmes : décision en deux étapes"',
            'title_fr = ""',
            "period 'vtip-2020' field 'title_fr': must not be empty (the title a French letter shows)",
        ),
        (
            'instruments_fr = ["Instructions ministérielles 81 (IM81)", ',
            "instruments_fr = [",
            "period 'vtip-2025': instruments_fr must list the 2 instrument(s) in French",
        ),
        (
            'french_status = "traduction non officielle"',
            'french_status = "officiel"',
            "[meta] field 'french_status': 'officiel' is not allowed: use one of officielle, traduction non officielle",
        ),
    ],
)
def test_policy_french_text_is_validated(copy: Path, old: str, new: str, problem: str) -> None:
    from trpkit.loading.errors import DataFileError
    from trpkit.loading.ircc_periods import load_policy

    path = _policy_copy(copy, old, new)
    with pytest.raises(DataFileError) as caught:
        load_policy(path)
    assert problem in str(caught.value) and "policy-periods.toml, line " in str(caught.value)


def test_the_cli_names_a_missing_french_label(copy: Path) -> None:
    """`trpkit indicators check --dir` is how an organisation checks a corrected file: exit 2, file:line."""
    from tests.cli import run_cli

    path = copy / "delphi-adult-labour.toml"
    label = FW.get("delphi-adult-labour").by_id["AL-2.01"].label_fr
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f'label_fr = "{label}"\n', "", 1), encoding="utf-8")
    header = _line(path, 'id = "AL-2.01"') - 1
    done = run_cli(["indicators", "check", "--dir", str(copy)])
    assert done.returncode == 2
    assert (
        f"delphi-adult-labour.toml, line {header}, indicator 'AL-2.01' field 'label_fr': missing"
        in done.stderr
    )
    assert "Traceback" not in done.stderr
