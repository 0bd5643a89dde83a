"""Policy periods and the refusal-reason taxonomy: the shipped data, and the loader's error messages."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import pytest

from trpkit.domain.ircc_periods import RULE_TYPES, NoPolicyPeriod, validate_reason_codes
from trpkit.loading.errors import DataFileError
from trpkit.loading.ircc_models import rule_kinds
from trpkit.loading.ircc_periods import (
    load_policy,
    load_refusal_reasons,
    policy_data,
    policy_in_force,
    refusal_reason_codes,
    refusal_reasons,
)


@pytest.mark.parametrize(
    ("day", "period", "initial_days", "subsequent_free"),
    [
        (date(2006, 5, 1), "vtip-2006", 120, False),
        (date(2006, 12, 31), "vtip-2006", 120, False),
        (date(2007, 1, 1), "vtip-2007", 180, False),
        (date(2019, 6, 1), "vtip-2019", 180, False),
        (date(2025, 2, 3), "vtip-2020", 180, False),
        (date(2025, 2, 4), "vtip-2025", 365, True),
        (date(2030, 1, 1), "vtip-2025", 365, True),
    ],
)
def test_rules_in_force_on_a_date(day: date, period: str, initial_days: int, subsequent_free: bool) -> None:
    found = policy_in_force(day)
    assert found.id == period
    assert found.contains(day)
    assert found.duration_to_request_days("initial_trp") == initial_days
    assert found.fee_exempt("initial_trp") is (period != "irpa-2002")
    assert found.fee_exempt("subsequent_trp") is subsequent_free
    assert found.value("cooperation_required") is False


def test_rules_carry_over_and_end() -> None:
    p2025 = policy_in_force(date(2025, 6, 1))
    assert p2025.value("initial_trp_max_days") is None  # ended in 2025
    assert p2025.value("initial_trp_min_days") == 365
    assert p2025.value("owp_vulnerable_worker") is True  # carried over from 2019
    assert p2025.rule("owp_vulnerable_worker").since_period == "vtip-2019"
    assert p2025.rule("fee_exempt").status == "confirmed"
    assert policy_in_force(date(2010, 1, 1)).rule("initial_trp_max_days").status == "confirmed"
    assert policy_in_force(date(2006, 6, 1)).rule("initial_trp_max_days").status == "secondary"
    with pytest.raises(KeyError):
        p2025.value("no_such_rule")


def test_periods_are_contiguous_and_only_the_last_is_open() -> None:
    periods = policy_data().periods
    for earlier, later in itertools.pairwise(periods):
        assert (later.effective_from - earlier.effective_to).days == 1
    assert periods[-1].effective_to is None


def test_imprecise_boundaries_are_reported_as_ambiguous() -> None:
    data = policy_data()
    assert [p.id for p in data.possibly_in_force(date(2007, 3, 1))] == ["vtip-2006", "vtip-2007"]
    assert [p.id for p in data.possibly_in_force(date(2025, 3, 1))] == ["vtip-2025"]


def test_before_the_first_period() -> None:
    with pytest.raises(NoPolicyPeriod, match="before the first policy period"):
        policy_in_force(date(1999, 1, 1))


def test_refusal_reasons_have_stable_unique_codes() -> None:
    codes = [r.code for r in refusal_reasons()]
    assert len(codes) == len(set(codes))
    assert {
        "criminal_case_concluded",
        "presence_not_required",
        "insufficient_evidence_exploitation",
        "credibility",
        "date_inconsistency",
        "not_in_canada",
        "refugee_claim_bar",
        "other",
    } <= set(codes)
    against = {r.code for r in refusal_reasons() if r.against_policy}
    assert "criminal_case_concluded" in against and "credibility" not in against
    known = refusal_reason_codes()
    assert validate_reason_codes(["Criminal-case-concluded", "other", "other"], known) == [
        "criminal_case_concluded",
        "other",
    ]
    with pytest.raises(ValueError, match="unknown refusal reason 'nope'"):
        validate_reason_codes(["nope"], known)


META = '[meta]\nname = "t"\nversion = "1"\ncitation = "c"\nverification = "v"\n'
FRENCH = 'french_status = "traduction non officielle"\nfrench_source = "f"\n'


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "policy-periods.toml"
    path.write_text(META + FRENCH + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "line", "problem"),
    [
        (
            (
                '\n[[period]]\nid = "aa"\ntitle = "A"\ntitle_fr = "A"\neffective_from = 2020-01-01\n\n[period.rules.initial_trp_max_days]\n'
                'value = "long"\nstatus = "confirmed"\n'
            ),
            16,
            "must be a whole number (without quotes), not 'long'",
        ),
        (
            (
                '\n[[period]]\nid = "aa"\ntitle = "A"\ntitle_fr = "A"\neffective_from = 2020-01-01\n\n[period.rules.made_up]\nvalue = 1\n'
                'status = "confirmed"\n'
            ),
            15,
            "unknown key 'made_up'",
        ),
        (
            (
                '\n[[period]]\nid = "aa"\ntitle = "A"\ntitle_fr = "A"\neffective_from = 2020-01-01\n[[period]]\nid = "bb"\ntitle = "B"\ntitle_fr = "B"\n'
                "effective_from = 2019-01-01\n"
            ),
            18,
            "periods must be in date order",
        ),
        (
            (
                '\n[[period]]\nid = "aa"\ntitle = "A"\ntitle_fr = "A"\neffective_from = 2020-01-01\n\n[period.rules.fee_exempt]\n'
                'value = ["initial_trp"]\nstatus = "maybe"\n'
            ),
            17,
            "'maybe' is not allowed: use one of confirmed, secondary, unconfirmed",
        ),
        (
            (
                '\n[[period]]\nid = "aa"\ntitle = "A"\ntitle_fr = "A"\neffective_from = 2020-01-01\n[[period]]\nid = "aa"\ntitle = "B"\ntitle_fr = "B"\n'
                "effective_from = 2021-01-01\n"
            ),
            15,
            "duplicate period id 'aa' (first at line 10)",
        ),
        (
            (
                '\n[[period]]\nid = "aa"\ntitle = "A"\ntitle_fr = "A"\neffective_from = 2020-01-01\n\n[period.rules.fee_exempt]\n'
                'value = ["visa"]\nstatus = "confirmed"\n'
            ),
            16,
            "unknown application type 'visa'",
        ),
    ],
)
def test_loader_names_file_line_and_problem(tmp_path: Path, body: str, line: int, problem: str) -> None:
    with pytest.raises(DataFileError) as info:
        load_policy(_write(tmp_path, body))
    assert info.value.line == line
    assert problem in str(info.value)
    assert f"policy-periods.toml, line {line}, period " in str(info.value)


def test_loader_reports_toml_syntax_errors_with_a_line(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"line 9: TOML syntax error"):
        load_policy(_write(tmp_path, "\n[[period]\n"))


def test_reason_loader_rejects_bad_group_and_requires_other(tmp_path: Path) -> None:
    path = tmp_path / "refusal-reasons.toml"
    path.write_text(META + '\n[[reason]]\ncode = "xx"\ngroup = "vibes"\nlabel = "X"\ndescription = "d"\n')
    with pytest.raises(
        DataFileError, match=r"line 9, reason 'xx' field 'group': unknown group 'vibes': use one of"
    ):
        load_refusal_reasons(path)
    path.write_text(META + '\n[[reason]]\ncode = "xy"\ngroup = "evidence"\nlabel = "X"\ndescription = "d"\n')
    with pytest.raises(DataFileError, match="line 7: the taxonomy must keep an 'other' code"):
        load_refusal_reasons(path)


def test_the_rules_model_matches_the_domain_rule_table() -> None:
    assert rule_kinds() == RULE_TYPES


def test_policy_command_shows_rules_and_ambiguity() -> None:
    from click.testing import CliRunner

    from trpkit.cli import cli

    runner = CliRunner()
    result = runner.invoke(cli, ["application", "policy", "--on", "2007-03-01"])
    assert result.exit_code == 0, result.output
    assert "vtip-2007" in result.output and "initial_trp_max_days: 180  [confirmed; S24]" in result.output
    assert "cooperation_required: no" in result.output and "vtip-2006 or vtip-2007" in result.output
    current = runner.invoke(cli, ["application", "policy", "--on", "2025-02-04", "--json"])
    assert '"id": "vtip-2025"' in current.output
    early = runner.invoke(cli, ["application", "policy", "--on", "1990-01-01"])
    assert early.exit_code == 2 and "before the first policy period" in early.output
