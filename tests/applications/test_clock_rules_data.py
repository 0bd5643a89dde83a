"""checklists/permit-holder-clock.toml: the wording and status of the clock's rules are data, validated."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from trpkit.domain.clock_rules import CLOCK_RULES_FILE
from trpkit.domain.clocks import RULE_IDS
from trpkit.loading.clock_rules import load_clock_rules
from trpkit.loading.errors import DataFileError
from trpkit.paths import checklists_dir


def _copy(tmp_path: Path) -> Path:
    path = tmp_path / CLOCK_RULES_FILE
    shutil.copy(checklists_dir() / CLOCK_RULES_FILE, path)
    return path


def test_the_shipped_file_covers_every_rule_the_clock_uses() -> None:
    rules = load_clock_rules(checklists_dir() / CLOCK_RULES_FILE, RULE_IDS)
    assert tuple(rules) == RULE_IDS
    assert all(rule.text and rule.sources for rule in rules.values())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda t: t.replace('status = "unconfirmed"', 'status = "probably"', 1),
            "field 'status': 'probably' is not allowed: use one of confirmed, secondary, unconfirmed",
        ),
        (lambda t: t.replace('id = "health_only"', 'id = "health_maybe"'), "unknown rule 'health_maybe'"),
        (
            lambda t: t.replace('sources = ["S44"]', 'sources = ["S99"]', 1),
            "source 'S99' must be a tag in [meta.sources]",
        ),
        (
            lambda t: t.replace(
                'text = "leaving Canada without authorization breaks continuity"', 'text = ""'
            ),
            "rule 'unauthorized_absence_breaks' field 'text': must not be empty (what the rule says)",
        ),
        (
            lambda t: t[: t.index('[[rule]]\nid = "authorized_absence_counts"')],
            "missing rule(s) authorized_absence_counts",
        ),
        (
            lambda t: t.replace('id = "years"', 'id = "years"\nstatuz = "confirmed"'),
            "rule 'years' field 'statuz': unknown key 'statuz'",
        ),
    ],
)
def test_a_bad_file_is_refused_with_its_line_and_what_to_change(tmp_path: Path, change, message: str) -> None:  # type: ignore[no-untyped-def]
    path = _copy(tmp_path)
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(
        DataFileError,
        match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[").replace("]", r"\]"),
    ) as caught:
        load_clock_rules(path, RULE_IDS)
    assert CLOCK_RULES_FILE in str(caught.value) and caught.value.line


def test_a_corrected_status_reaches_the_clock_without_a_code_change(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from trpkit.loading.clock_rules import rule_statuses

    folder = tmp_path / "checklists"
    folder.mkdir()
    path = folder / CLOCK_RULES_FILE
    shutil.copy(checklists_dir() / CLOCK_RULES_FILE, path)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            'id = "restart_after_return"\nstatus = "unconfirmed"',
            'id = "restart_after_return"\nstatus = "secondary"',
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr("trpkit.paths.checklists_dir", lambda: folder)
    assert rule_statuses()["restart_after_return"][0] == "secondary"
