"""Malformed data files, one Hypothesis test per kind: refused with DataFileError, never accepted, never a crash.

Three kinds of damage, each judged strictly:
- a value given the wrong TOML type (text for a number, a number for a list, ...): every key of every
  model has one type, so the loader must refuse it, on the damaged line, naming the key;
- text that is no longer TOML (truncated, garbled, stray bytes): refused, with a line in the file;
- a line dropped, or a change that leaves TOML: read if the data is still valid, else DataFileError.
Any other exception fails the test.
"""

from __future__ import annotations

import itertools
import os
import shutil
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from trpkit.loading.config_file import read_config
from trpkit.loading.cues import cue_book
from trpkit.loading.document_checklists import load_checklist
from trpkit.loading.errors import DataFileError
from trpkit.loading.frameworks import load_frameworks
from trpkit.paths import checklists_dir

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_STAMPS = itertools.count(time.time_ns())

# A value of another type for each TOML type a data file uses.
WRONG = {
    str: ["1", "true", "[]", "{ a = 1 }", "1979-05-27"],
    int: ['"7"', "true", "1.5", "[1]"],
    float: ['"7"', "true", "[1.5]"],
    bool: ['"yes"', "1", "[]"],
    list: ['"x"', "1", "{ a = 1 }"],
    dict: ['"x"', "[]", "1"],
}

# Minutes are a number (15 or 15.5) and an address one text or a list of lines: the sample uses the
# float and leaves the address out, so that every other type is garbage for every key here.
CONFIG = """\
vault = "/home/someone/vault.trpvault"
user = "lea"
idle_lock_minutes = 15.5
reminder_days = [120, 90, 60, 30]
agency = "Maison Exemple"

[organisation]
name = "Maison Exemple"
contact = "514-555-0100"
representative = "Alex Martin"
"""


def _stamp(path: Path) -> None:
    # Loaders cache by modification time: give every example its own.
    stamp = next(_STAMPS)
    os.utime(path, ns=(stamp, stamp))


def _single_line_values(text: str) -> list[tuple[int, str, type]]:
    """(index, key, type) of each ``key = value`` line whose value is whole on that line."""
    found = []
    for index, line in enumerate(text.split("\n")):
        if "=" not in line or line.lstrip().startswith(("#", "[")):
            continue
        key, _, value = line.partition("=")
        try:
            parsed = tomllib.loads(f"x = {value.strip()}")["x"]
        except tomllib.TOMLDecodeError:
            continue  # a multi-line value, or inside one
        found.append((index, key.strip(), type(parsed)))
    return found


def _retyped(draw: st.DrawFn, text: str) -> tuple[str, int, str]:
    lines = text.split("\n")
    index, key, kind = draw(st.sampled_from(_single_line_values(text)))
    assume(kind in WRONG)
    lines[index] = f"{key} = {draw(st.sampled_from(WRONG[kind]))}"
    return "\n".join(lines), index + 1, key.strip('"')


@st.composite
def damage(draw: st.DrawFn, text: str) -> tuple[str, str, int | None, str | None]:
    """(how, the damaged text, the damaged line, the key retyped)."""
    how = draw(st.sampled_from(["retype", "retype", "truncate", "garble", "drop"]))
    if how == "retype":
        damaged, line, key = _retyped(draw, text)
        return how, damaged, line, key
    if how == "truncate":
        return how, text[: draw(st.integers(0, len(text) - 1))], None, None
    if how == "garble":
        at = draw(st.integers(0, len(text)))
        return (
            how,
            text[:at] + draw(st.sampled_from(['"', "[", "= =", "]]", "\\", "{"])) + text[at:],
            None,
            None,
        )
    lines = text.split("\n")
    del lines[draw(st.integers(0, len(lines) - 1))]
    return how, "\n".join(lines), None, None


def _kind(value: object) -> str:
    return "number" if type(value) in (int, float) else type(value).__name__


def _type_changed(original: object, changed: object) -> bool:
    """Whether a value kept its key (or list position) but not its type: a text where a list was, a
    table where a number was... (an integer where a float was is the same number; keys added or
    dropped and lists of another length are not compared)."""
    if _kind(original) != _kind(changed):
        return True
    if isinstance(original, dict) and isinstance(changed, dict):
        return any(_type_changed(original[k], changed[k]) for k in original.keys() & changed.keys())
    if isinstance(original, list) and isinstance(changed, list) and len(original) == len(changed):
        return any(_type_changed(a, b) for a, b in zip(original, changed, strict=True))
    return False


def _judge(
    how: str, damaged: str, line: int | None, key: str | None, original: str, load: Callable[[], object]
) -> None:
    try:
        data = tomllib.loads(damaged)
    except tomllib.TOMLDecodeError:
        data = None
    if repr(data) == repr(tomllib.loads(original)):  # repr: 1 == True, but not for a data file
        load()  # the same data (a blank or comment line dropped): read as before
        return
    if how != "retype" and data is not None and not _type_changed(tomllib.loads(original), data):
        try:
            load()  # a dropped optional line, or a stray character inside a text, can leave a valid file
        except DataFileError as error:
            assert error.problem and "\n" not in str(error)
        return
    with pytest.raises(DataFileError) as caught:
        load()  # anything else (not TOML, or a value of another type) is garbage: accepting it fails
    error = caught.value
    assert "\n" not in str(error) and error.path.name in str(error)
    if data is None:
        assert error.line is not None and 1 <= error.line <= damaged.count("\n") + 1
    if how == "retype":
        assert error.line == line, str(error)
        assert f"'{key}'" in str(error), str(error)


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "checklists"
    if not folder.exists():
        shutil.copytree(checklists_dir(), folder)
    return folder


FRAMEWORK_FILES = [
    "delphi-adult-labour.toml",  # a Delphi list
    "ircc-vtip-criteria.toml",  # a criteria set
    "criminal-code-279-04.toml",  # a criteria set with authorities
    "crosswalk.toml",
    "indicator-prompts.toml",
]


@pytest.mark.parametrize("name", FRAMEWORK_FILES)
def test_framework_files(tmp_path: Path, name: str) -> None:
    folder = _folder(tmp_path)
    original = (checklists_dir() / name).read_text(encoding="utf-8")

    @FUZZ
    @given(damage(original))
    def check(case: tuple[str, str, int | None, str | None]) -> None:
        how, damaged, line, key = case
        (folder / name).write_text(damaged, encoding="utf-8")
        _stamp(folder / name)
        _judge(how, damaged, line, key, original, lambda: load_frameworks(folder))

    check()


def test_cue_file(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    original = (checklists_dir() / "indicator-cues.toml").read_text(encoding="utf-8")

    @FUZZ
    @given(damage(original))
    def check(case: tuple[str, str, int | None, str | None]) -> None:
        how, damaged, line, key = case
        (folder / "indicator-cues.toml").write_text(damaged, encoding="utf-8")
        _stamp(folder / "indicator-cues.toml")
        _judge(how, damaged, line, key, original, lambda: cue_book(folder))

    check()


@pytest.mark.parametrize("name", sorted(p.name for p in checklists_dir().glob("documents-*.toml")))
def test_document_checklists(tmp_path: Path, name: str) -> None:
    original = (checklists_dir() / name).read_text(encoding="utf-8")
    path = tmp_path / name

    @FUZZ
    @given(damage(original))
    def check(case: tuple[str, str, int | None, str | None]) -> None:
        how, damaged, line, key = case
        path.write_text(damaged, encoding="utf-8")
        _judge(how, damaged, line, key, original, lambda: load_checklist(path))

    check()


def test_clock_rules(tmp_path: Path) -> None:
    from trpkit.domain.clocks import RULE_IDS
    from trpkit.loading.clock_rules import load_clock_rules

    original = (checklists_dir() / "permit-holder-clock.toml").read_text(encoding="utf-8")
    path = tmp_path / "permit-holder-clock.toml"

    @FUZZ
    @given(damage(original))
    def check(case: tuple[str, str, int | None, str | None]) -> None:
        how, damaged, line, key = case
        path.write_text(damaged, encoding="utf-8")
        _judge(how, damaged, line, key, original, lambda: load_clock_rules(path, RULE_IDS))

    check()


@pytest.mark.parametrize("name", ["incidents.toml", "incident-places.toml", "name-stopwords.toml"])
def test_incident_files(tmp_path: Path, name: str) -> None:
    from trpkit.loading.incident_vocab import load_common_words, load_vocabulary

    folder = _folder(tmp_path)
    original = (checklists_dir() / name).read_text(encoding="utf-8")
    load = load_common_words if name == "name-stopwords.toml" else load_vocabulary

    @FUZZ
    @given(damage(original))
    def check(case: tuple[str, str, int | None, str | None]) -> None:
        how, damaged, line, key = case
        (folder / name).write_text(damaged, encoding="utf-8")
        _judge(how, damaged, line, key, original, lambda: load(folder))

    check()


def test_config_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"

    @FUZZ
    @given(damage(CONFIG))
    def check(case: tuple[str, str, int | None, str | None]) -> None:
        how, damaged, line, key = case
        path.write_text(damaged, encoding="utf-8")
        _judge(how, damaged, line, key, CONFIG, lambda: read_config(path))

    check()


@pytest.mark.parametrize("name", ["coalition-policy.toml", "m49-regions.toml"])
def test_coalition_files(tmp_path: Path, name: str) -> None:
    from trpkit.loading.coalition_policy import load_m49, load_policy

    folder = _folder(tmp_path)
    original = (checklists_dir() / name).read_text(encoding="utf-8")
    path = folder / name
    load = (
        (lambda: load_m49(path))
        if name == "m49-regions.toml"
        else (lambda: load_policy(path, folder / "m49-regions.toml"))
    )

    @FUZZ
    @given(damage(original))
    def check(case: tuple[str, str, int | None, str | None]) -> None:
        how, damaged, line, key = case
        path.write_text(damaged, encoding="utf-8")
        _stamp(path)
        _judge(how, damaged, line, key, original, load)

    check()


@pytest.mark.parametrize("name", ["policy-periods.toml", "refusal-reasons.toml"])
def test_policy_files(tmp_path: Path, name: str) -> None:
    from trpkit.loading.ircc_periods import load_policy, load_refusal_reasons

    original = (checklists_dir() / name).read_text(encoding="utf-8")
    path = tmp_path / name
    load = load_policy if name == "policy-periods.toml" else load_refusal_reasons

    @FUZZ
    @given(damage(original))
    def check(case: tuple[str, str, int | None, str | None]) -> None:
        how, damaged, line, key = case
        path.write_text(damaged, encoding="utf-8")
        _judge(how, damaged, line, key, original, lambda: load(path))

    check()


@pytest.mark.parametrize("name", ["en.toml", "fr.toml", "holidays.toml"])
def test_date_phrase_files(tmp_path: Path, name: str) -> None:
    from trpkit.loading.date_phrases import HOLIDAYS_FILE, load_holidays, load_language

    shipped = checklists_dir() / "date_phrases"
    original = (shipped / name).read_text(encoding="utf-8")
    path = tmp_path / name
    holidays = load_holidays(shipped / HOLIDAYS_FILE)

    def load() -> object:
        return load_holidays(path) if name == HOLIDAYS_FILE else load_language(path, holidays)

    @FUZZ
    @given(damage(original))
    def check(case: tuple[str, str, int | None, str | None]) -> None:
        how, damaged, line, key = case
        path.write_text(damaged, encoding="utf-8")
        _judge(how, damaged, line, key, original, load)

    check()
