"""k-anonymity of exports: properties over generated data, a linkage attack, withheld fields, the policy file."""

from __future__ import annotations

import dataclasses
import random
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trpkit.coalition.generalise import anonymise, shared_columns
from trpkit.coalition.merge import allowed_values
from trpkit.coalition.synthetic import raw_rows
from trpkit.loading.coalition_policy import load_m49, load_policy
from trpkit.loading.errors import DataFileError

POLICY = load_policy()
M49 = load_m49()


def _policy(**changes):  # type: ignore[no-untyped-def]
    return dataclasses.replace(POLICY, **changes)


# Every record column that could single a person out, written out here rather than taken from the exporter
# (its own qi_columns would share any mistake it makes): the banded days to a decision go with the dates.
QI_RECORD_COLUMNS = [
    "gender", "age_band", "origin_region", "exploitation_sector", "submitted", "decided",
    "processing_days", "ircc_office", "application_type", "policy_period",
    "law_enforcement_cooperation", "criminal_case_status",
]  # fmt: skip


def _k_by_pycanon(records: list[dict[str, object]]) -> int:
    """k of ``records`` over every quasi-identifier column they hold, as pyCANON measures it."""
    import pandas as pd
    from pycanon import anonymity

    frame = pd.DataFrame(records).astype(str)
    return int(anonymity.k_anonymity(frame, [c for c in QI_RECORD_COLUMNS if c in frame.columns]))


rows_strategy = st.builds(
    lambda n, seed, pending: raw_rows(n, seed=seed, pending_share=pending),
    st.integers(min_value=0, max_value=90),
    st.integers(min_value=0, max_value=10_000),
    st.floats(min_value=0, max_value=0.5),
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=rows_strategy,
    k=st.integers(min_value=2, max_value=8),
    suppression=st.sampled_from([0.0, 0.05, 0.2]),
    officer=st.booleans(),
)
def test_every_export_meets_k_and_never_holds_a_withheld_field(rows, k, suppression, officer) -> None:  # type: ignore[no-untyped-def]
    policy = _policy(k=k, max_suppression=suppression, fields=dict(POLICY.fields, officer_label=officer))
    result = anonymise(rows, policy)
    if not result.ok:
        decided = {r["outcome"] for r in rows} & {"granted", "refused"}
        # below k, or (l = 2) every decision the same: nothing can be shared without revealing outcomes
        assert (0 < len(rows) < k or len(decided) < 2) and result.records == []
        return
    assert result.exported + result.suppressed == len(rows)
    assert result.suppressed <= int(suppression * len(rows))
    if result.records:
        assert _k_by_pycanon(result.records) >= k
    allowed = set(shared_columns(policy))
    for record in result.records:
        assert set(record) <= allowed
        assert ("officer_label" in record) == officer
        for attribute in ("age_band", "origin_region", "gender", "exploitation_sector", "ircc_office"):
            assert record[attribute] in allowed_values(policy, attribute)
    if result.records:
        assert result.risk["prosecutor_max"] <= round(1 / k, 4) + 1e-9


def test_quasi_identifiers_are_generalised_not_dropped_when_data_allow() -> None:
    # Many similar people: nothing needs to be coarsened beyond the policy's finest levels.
    rows = raw_rows(400, seed=1)
    for row in rows:
        row.update(
            age_years=30.5,
            country="MX",
            gender="woman",
            exploitation_sector="agriculture",
            ircc_office="toronto",
            submitted_date=date(2025, 3, 3),
            decided_date=date(2025, 9, 9),
            processing_days=190,
            application_type="initial_trp",
            policy_period="vtip-2025",
            law_enforcement_cooperation="reported",
            criminal_case_status="investigation",
        )
    result = anonymise(rows, POLICY)
    assert result.ok and result.suppressed == 0
    assert result.levels["origin_region"] == "intermediate_region"
    assert result.records[0]["origin_region"] == "Central America"  # never the country: the policy forbids it
    assert result.records[0]["age_band"] == "30-34"
    assert result.records[0]["submitted"] == "2025-03"
    assert result.information_loss["generalisation"] == pytest.approx(
        sum([0, 0, 1 / 4, 0, 0, 0, 0, 0, 0, 0]) / 10, abs=1e-3
    )


def test_fewer_than_k_decisions_are_refused_with_the_reason() -> None:
    result = anonymise(raw_rows(3, seed=2), POLICY)
    assert not result.ok and "at least k = 5" in result.refusal and result.records == []


# ------------------------------------------------------------------------------------------ linkage attack


def _age_ok(label: str, age: float) -> bool:
    if label == "*":
        return True
    if label.endswith("+"):
        return int(age) >= int(label[:-1])
    low, high = (int(x) for x in label.split("-"))
    return low <= int(age) <= high


def _date_ok(label: str | None, day: date | None) -> bool:
    if label == "*":
        return True
    if day is None or label is None:
        return day is None and label is None
    if re.fullmatch(r"\d{4}", label):
        return day.year == int(label)
    year, part = label.split("-")
    if day.year != int(year):
        return False
    if part.startswith("Q"):
        return (day.month - 1) // 3 + 1 == int(part[1])
    if part.startswith("H"):
        return (1 if day.month <= 6 else 2) == int(part[1])
    return day.month == int(part)


def _region_ok(label: str, country: str) -> bool:
    if label in ("*", "unknown"):
        return True
    entry = M49.countries[country]
    names = {entry["name"]} | {
        M49.areas[c] for c in (entry["region"], entry["sub_region"], entry["intermediate_region"]) if c
    }
    return label in names


def _compatible(record: dict, person: dict) -> bool:  # type: ignore[type-arg]
    """Could this exported record be this person? Decided from the published values alone."""
    office_region = POLICY.hierarchies["ircc_office"].maps["region"]
    sector_form = POLICY.hierarchies["exploitation_sector"].maps["form"]
    gender_group = POLICY.hierarchies["gender"].maps["woman_man_other"]
    return (
        _age_ok(record["age_band"], person["age_years"])
        and _region_ok(record["origin_region"], person["country"])
        and record["gender"] in ("*", person["gender"], gender_group[person["gender"]])
        and record["exploitation_sector"]
        in ("*", person["exploitation_sector"], sector_form[person["exploitation_sector"]])
        and record["ircc_office"] in ("*", person["ircc_office"], office_region.get(person["ircc_office"]))
        and _date_ok(record["submitted"], person["submitted_date"])
        and _date_ok(record["decided"], person["decided_date"])
    )


@pytest.mark.parametrize("n,seed", [(60, 11), (300, 12), (700, 13)])
def test_linkage_attack_finds_no_unique_record(n: int, seed: int) -> None:
    """An outsider knows every person's exact quasi-identifiers and joins them with the export."""
    rows = raw_rows(n, seed=seed)
    result = anonymise(rows, POLICY)
    assert result.ok
    exported_ids = {r["record_id"] for r in result.records}
    for person in rows:
        matches = [r for r in result.records if _compatible(r, person)]
        if person["record_id"] in exported_ids:
            assert len(matches) >= POLICY.k, "a shared person can be singled out"
        assert len(matches) == 0 or len(matches) >= POLICY.k


# --------------------------------------------------------------------------------------------- policy


def test_policy_file_problems_name_the_file_and_line(tmp_path: Path) -> None:
    text = Path(POLICY.source).read_text(encoding="utf-8").replace("k = 5", "k = 1")
    bad = tmp_path / "policy.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(
        DataFileError,
        match=r"policy.toml, line \d+, field 'k': must be a whole number of at least 2",
    ):
        load_policy(bad)
    incomplete = Path(POLICY.source).read_text(encoding="utf-8").replace('  hospitality = "labour"\n', "")
    bad.write_text(incomplete, encoding="utf-8")
    with pytest.raises(DataFileError, match="misses hospitality"):
        load_policy(bad)


def test_policy_fingerprint_changes_with_the_protocol() -> None:
    assert POLICY.fingerprint() == load_policy().fingerprint()
    assert _policy(k=11).fingerprint() != POLICY.fingerprint()


def test_m49_covers_the_demo_nationalities() -> None:
    for code in ("MX", "GT", "PH", "IN", "NG", "HU", "BR", "JM", "CA", "UA"):
        assert M49.area_of(code, "region") is not None
    assert M49.area_of("GT", "intermediate_region") == "Central America"
    assert M49.area_of("PH", "intermediate_region") == "South-eastern Asia"  # no intermediate: sub-region
    assert M49.area_of("NG", "sub_region") == "Sub-Saharan Africa"
    assert M49.area_of("ZZ", "region") is None


def test_unknown_nationality_is_shared_as_unknown_and_reported() -> None:
    rows = raw_rows(50, seed=4)
    rng = random.Random(1)
    for row in rows:
        row["country"] = rng.choice(["ZZ", "MX"])
        row["submitted_date"] = date(2024, 1, 1) + timedelta(days=rng.randrange(5))
    result = anonymise(rows, POLICY)
    assert result.ok
    assert any("no UN M49 region" in w for w in result.warnings)


# ------------------------------------------------------------- k and l checked by an independent implementation


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=rows_strategy, k=st.integers(min_value=2, max_value=8))
def test_pycanon_confirms_k_over_every_quasi_identifier_and_l_on_decided_outcomes(rows, k) -> None:  # type: ignore[no-untyped-def]
    """pyCANON (not the exporter's own functions) measures k over all the quasi-identifiers, the banded
    processing days included, and l over decided outcomes only (pending and withdrawn are not outcomes)."""
    import pandas as pd
    from pycanon import anonymity

    policy = _policy(k=k, max_suppression=0.2)
    result = anonymise(rows, policy)
    if not result.ok or not result.records:
        return
    columns = QI_RECORD_COLUMNS
    frame = pd.DataFrame(result.records)[[*columns, "outcome"]].astype(str)
    assert anonymity.k_anonymity(frame, columns) >= k
    decided = frame[frame["outcome"].isin(["granted", "refused"])].reset_index(drop=True)
    if len(decided):
        assert anonymity.l_diversity(decided, columns, ["outcome"]) >= policy.l_diversity


def test_pending_records_carry_no_waiting_time_and_days_are_no_finer_than_the_dates() -> None:
    result = anonymise(raw_rows(300, seed=8, pending_share=0.3), POLICY)
    assert result.ok
    band = {"month": 30, "quarter": 91, "half": 182, "year": 365}.get(result.levels["dates"])
    for record in result.records:
        days = record.get("processing_days")
        if record["outcome"] == "pending" or band is None:
            assert days is None
        elif days is not None:
            assert days % band == 0


def test_an_export_blocked_by_one_sided_outcomes_says_what_would_change_it() -> None:
    from trpkit.coalition.synthetic import raw_rows

    rows = [dict(r, outcome="granted") for r in raw_rows(30, seed=11)]
    result = anonymise(rows, load_policy())
    assert not result.ok
    assert "were granted" in result.refusal and "l = 2" in result.refusal
    assert "What would change it: a refusal" in result.refusal
    assert load_policy().l_diversity == 2  # the default is explained, never weakened
