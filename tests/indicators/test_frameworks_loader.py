"""The framework files: what they contain, and how a broken file is refused (file, line, problem)."""

from __future__ import annotations

import itertools
import os
import shutil
import time
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trpkit.domain.frameworks import Strength, Verification
from trpkit.errors import UsageError
from trpkit.loading.frameworks import ChecklistError, load_frameworks
from trpkit.paths import checklists_dir

FW = load_frameworks()
_STAMPS = itertools.count(time.time_ns())


def _toml_data(text: str) -> dict[str, object] | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def test_the_four_lists_and_their_sizes() -> None:
    sizes = {name: len(lst.indicators) for name, lst in FW.delphi.items()}
    assert sizes == {
        "delphi-adult-labour": 67,
        "delphi-child-labour": 65,
        "delphi-adult-sexual": 67,
        "delphi-child-sexual": 65,
    }
    for lst in FW.delphi.values():
        assert [d.id for d in lst.dimensions] == [
            "deceptive_recruitment",
            "coercive_recruitment",
            "recruitment_abuse_of_vulnerability",
            "exploitative_conditions",
            "coercion_at_destination",
            "abuse_of_vulnerability_at_destination",
        ]
        assert lst.sources and all(i.prompts for i in lst.indicators)


def test_adult_labour_weights_from_the_reference() -> None:
    al = FW.get("delphi-adult-labour").by_id
    assert al["AL-1.01"].strength is Strength.STRONG
    assert al["AL-2.05"].strength is Strength.MEDIUM and al["AL-5.01"].strength is Strength.STRONG
    assert al["AL-1.10"].strength is Strength.WEAK and al["AL-4.09"].strength is Strength.WEAK
    assert not [
        i
        for i in al.values()
        if i.dimension == "recruitment_abuse_of_vulnerability" and i.strength is Strength.STRONG
    ]


def test_child_labour_differs_from_adult_labour_only_where_the_reference_says() -> None:
    adult = FW.get("delphi-adult-labour").by_key
    child = FW.get("delphi-child-labour").by_key
    assert set(adult) - set(child) == {"3.08", "4.08"}
    changed = {k for k in child if child[k].strength is not adult[k].strength}
    assert changed == {
        "1.10",
        "2.02",
        "2.03",
        "2.04",
        "3.15",
        "3.16",
        "4.09",
        "5.05",
        "5.06",
        "5.07",
        "5.08",
        "5.15",
        "6.06",
        "6.07",
    }
    assert not [i for i in child.values() if i.strength is Strength.WEAK]  # no weak tier for children


@pytest.mark.parametrize("name", ["delphi-adult-sexual", "delphi-child-sexual"])
def test_sexual_lists_never_reuse_labour_weights_silently(name: str) -> None:
    lst = FW.get(name)
    assert lst.verification is Verification.UNCONFIRMED and not lst.complete
    rated = [i for i in lst.indicators if i.strength is not Strength.UNRATED]
    assert {i.key for i in rated} <= {"5.07", "4.06"}  # only the fragments the reference gives
    for item in lst.indicators:
        if item.strength is Strength.UNRATED:
            assert item.verification is Verification.UNCONFIRMED and "Placeholder" in item.note
        else:
            assert item.verification is Verification.SECONDARY and item.note


def test_crosswalk_reaches_every_ircc_criterion_and_criminal_code_element() -> None:
    al = FW.get("delphi-adult-labour")
    for set_name in ("ircc", "ilo", "criminal_code"):
        reached = {c for i in al.indicators for c in i.criteria(set_name)}
        assert reached == {c.id for c in FW.criteria[set_name].criteria}, set_name


# --------------------------------------------------------------------------------- error handling


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "checklists"
    shutil.copytree(checklists_dir(), target)
    return target


def _edit(path: Path, old: str, new: str, count: int = 1) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text
    index = text.index(old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return text[:index].count("\n") + 1


def _error(directory: Path) -> ChecklistError:
    with pytest.raises(ChecklistError) as info:
        load_frameworks(directory)
    assert isinstance(info.value, UsageError)  # the CLI exits 2
    return info.value


def test_bad_toml_names_file_and_line(copy: Path) -> None:
    line = _edit(
        copy / "delphi-adult-labour.toml",
        'label = "Lied to about pay or earnings"',
        'label = "Lied to about pay or earnings',
    )
    error = _error(copy)
    assert error.path.name == "delphi-adult-labour.toml" and error.line == line
    assert "TOML syntax error" in str(error) and f"checklists/delphi-adult-labour.toml, line {line}:" in str(
        error
    )


def test_duplicate_id_points_at_the_second_one(copy: Path) -> None:
    path = copy / "delphi-child-labour.toml"
    line = _edit(path, 'id = "CL-1.02"', 'id = "CL-1.01"')
    error = _error(copy)
    assert error.line == line and "duplicate indicator id 'CL-1.01'" in error.problem


def test_unknown_strength(copy: Path) -> None:
    path = copy / "delphi-adult-labour.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('id = "AL-4.06"')
    offset = text.index('strength = "medium"', start)
    path.write_text(
        text[:offset] + 'strength = "very strong"' + text[offset + len('strength = "medium"') :],
        encoding="utf-8",
    )
    error = _error(copy)
    assert error.line == text[:offset].count("\n") + 1
    assert (
        "indicator 'AL-4.06' field 'strength': 'very strong' is not allowed: use one of strong, medium"
        in str(error)
    )


def test_missing_citation(copy: Path) -> None:
    path = copy / "ircc-vtip-criteria.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("sources = [")
    end = text.index("]\n", start) + 2
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    error = _error(copy)
    assert (
        error.path.name == "ircc-vtip-criteria.toml"
        and "sources" in error.problem
        and "citation" in error.problem
    )


def test_missing_strength_and_typo_in_a_key(copy: Path) -> None:
    line = _edit(
        copy / "delphi-adult-labour.toml",
        'strength = "strong"\nlabel = "Excessively long',
        'strenght = "strong"\nlabel = "Excessively long',
    )
    error = _error(copy)
    assert error.line == line and "unknown key 'strenght'" in error.problem


def test_unrated_item_in_a_complete_list_is_refused(copy: Path) -> None:
    path = copy / "delphi-adult-labour.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('id = "AL-6.07"')
    offset = text.index('strength = "weak"', start)
    path.write_text(
        text[:offset] + 'strength = "unrated"' + text[offset + len('strength = "weak"') :], encoding="utf-8"
    )
    assert "complete = false" in _error(copy).problem


def test_crosswalk_to_an_unknown_criterion(copy: Path) -> None:
    line = _edit(copy / "crosswalk.toml", '"4.06" = { ilo = ["FL-10"]', '"4.06" = { ilo = ["FL-12"]')
    error = _error(copy)
    assert error.path.name == "crosswalk.toml" and error.line == line and "'FL-12'" in error.problem


def test_every_indicator_needs_prompts(copy: Path) -> None:
    text = (copy / "indicator-prompts.toml").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.startswith('"2.03"')]
    (copy / "indicator-prompts.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "no prompts for item 2.03" in _error(copy).problem


def test_indicator_numbered_in_the_wrong_dimension(copy: Path) -> None:
    _edit(
        copy / "delphi-adult-labour.toml",
        'id = "AL-1.10"\ndimension = "deceptive_recruitment"',
        'id = "AL-1.10"\ndimension = "coercive_recruitment"',
    )
    assert "numbered in dimension 1" in _error(copy).problem


def test_a_corrected_weight_is_picked_up_without_touching_code(copy: Path) -> None:
    path = copy / "delphi-adult-labour.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('id = "AL-3.13"')
    offset = text.index('strength = "medium"', start)
    path.write_text(
        text[:offset] + 'strength = "weak"' + text[offset + len('strength = "medium"') :], encoding="utf-8"
    )
    assert load_frameworks(copy).get("delphi-adult-labour").by_id["AL-3.13"].strength is Strength.WEAK


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.sampled_from(["drop", "dup", "swap", "garble"]), st.integers(0, 10_000)),
        min_size=1,
        max_size=4,
    ),
    st.sampled_from(
        ["delphi-adult-labour.toml", "crosswalk.toml", "ircc-vtip-criteria.toml", "indicator-prompts.toml"]
    ),
)
def test_a_mangled_file_is_refused_with_a_location_never_a_crash(copy: Path, edits, name: str) -> None:  # type: ignore[no-untyped-def]
    for other in (
        "delphi-adult-labour.toml",
        "crosswalk.toml",
        "ircc-vtip-criteria.toml",
        "indicator-prompts.toml",
    ):
        shutil.copy(checklists_dir() / other, copy / other)  # one mangled file per example
    lines = (checklists_dir() / name).read_text(encoding="utf-8").splitlines()
    for op, where in edits:
        i = where % len(lines)
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif op == "garble":
            lines[i] = lines[i].replace('"', "", 1).replace("=", "= [", 1)
    mangled = "\n".join(lines) + "\n"
    (copy / name).write_text(mangled, encoding="utf-8")
    stamp = next(_STAMPS)  # the loader caches by modification time: give each example its own
    os.utime(copy / name, ns=(stamp, stamp))
    data = _toml_data(mangled)
    if data is None:
        # Not TOML any more: refused, naming the file and the line TOML stopped at.
        with pytest.raises(ChecklistError) as caught:
            load_frameworks(copy)
        assert caught.value.path.name == name and caught.value.line is not None
        return
    if data == _toml_data((checklists_dir() / name).read_text(encoding="utf-8")):
        load_frameworks(copy)  # the same data (a comment or blank line moved): read as before
        return
    try:
        load_frameworks(copy)
    except ChecklistError as error:
        assert error.path.name in str(error) and error.problem
        if error.line is not None:
            assert 1 <= error.line <= len(lines) + 1
