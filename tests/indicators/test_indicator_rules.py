"""The Delphi combination rules, exhaustively, and properties of the assessment."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trpkit.domain.assessment import assess, findings_from_present
from trpkit.domain.assessment_results import Finding, UnknownIndicator
from trpkit.domain.delphi_rules import LinkStatus, combine_status, dimension_rule, identification
from trpkit.domain.frameworks import DIMENSIONS, Strength
from trpkit.domain.recruitment_age import choose_framework
from trpkit.loading.frameworks import load_frameworks

FW = load_frameworks()
ADULT = FW.get("delphi-adult-labour")
CHILD = FW.get("delphi-child-labour")


def _spec(strong: int, medium: int, weak: int) -> bool:
    """The rule as the ILO brochure states it (as encoded), written independently of the code."""
    return any(
        [
            strong >= 2,
            strong >= 1 and (medium >= 1 or weak >= 1),
            medium >= 3,
            medium >= 2 and weak >= 1,
        ]
    )


@pytest.mark.parametrize(("s", "m", "w"), list(itertools.product(range(5), repeat=3)))
def test_dimension_rule_matches_the_specification_everywhere(s: int, m: int, w: int) -> None:
    assert (dimension_rule(s, m, w) is not None) is _spec(s, m, w)


@pytest.mark.parametrize(
    ("counts", "rule"),
    [
        ((0, 0, 0), None),
        ((1, 0, 0), None),  # 1 strong alone
        ((0, 1, 0), None),
        ((0, 2, 0), None),  # 2 medium alone
        ((0, 0, 1), None),
        ((0, 0, 9), None),  # any number of weak alone
        ((0, 1, 3), None),  # 1 medium + 3 weak
        ((0, 1, 1), None),
        ((2, 0, 0), "two_strong"),
        ((1, 1, 0), "strong_plus_medium_or_weak"),
        ((1, 0, 1), "strong_plus_medium_or_weak"),
        ((0, 3, 0), "three_medium"),
        ((0, 2, 1), "two_medium_plus_weak"),
        ((3, 3, 3), "two_strong"),  # the first rule that holds is the one reported
        ((1, 3, 0), "strong_plus_medium_or_weak"),
    ],
)
def test_boundaries_and_the_rule_reported(counts: tuple[int, int, int], rule: str | None) -> None:
    assert dimension_rule(*counts) == rule


ROLES = {d: role for d, _, role in DIMENSIONS}


@pytest.mark.parametrize("positive", list(itertools.product([False, True], repeat=6)))
def test_identification_rules_for_every_combination_of_dimensions(positive: tuple[bool, ...]) -> None:
    state = dict(zip([d for d, _, _ in DIMENSIONS], positive, strict=True))
    recruitment = any(v for d, v in state.items() if ROLES[d] == "recruitment")
    exploitation = state["exploitative_conditions"]
    destination = state["coercion_at_destination"] or state["abuse_of_vulnerability_at_destination"]
    assert (identification("adult", state) is not None) is (recruitment and exploitation and destination)
    assert (identification("child", state) is not None) is (recruitment and exploitation)


def _ids(lst, dimension: str, strength: Strength, n: int) -> list[str]:
    items = [i.id for i in lst.in_dimension(dimension) if i.strength is strength]
    assert len(items) >= n, (dimension, strength, n)
    return items[:n]


def test_adult_identified_by_convergence_of_medium_and_weak_indicators() -> None:
    present = (
        _ids(ADULT, "deceptive_recruitment", Strength.MEDIUM, 3)
        + _ids(ADULT, "exploitative_conditions", Strength.MEDIUM, 2)
        + _ids(ADULT, "exploitative_conditions", Strength.WEAK, 1)
        + _ids(ADULT, "abuse_of_vulnerability_at_destination", Strength.MEDIUM, 3)
    )
    result = assess(ADULT, findings_from_present(ADULT, present), FW)
    assert result.identified
    assert result.convergence
    assert "convergence of medium and weak indicators meets the threshold" in result.explanation
    assert "No strong indicator is present" in result.explanation
    exploitation = next(d for d in result.dimensions if d.id == "exploitative_conditions")
    assert exploitation.rule == "two_medium_plus_weak"
    assert (exploitation.strong, exploitation.medium, exploitation.weak) == (0, 2, 1)


def test_adult_with_strong_indicators_everywhere_is_not_a_convergence_case() -> None:
    present = ["AL-1.01", "AL-1.02", "AL-4.01", "AL-4.02", "AL-5.01", "AL-5.04"]
    result = assess(ADULT, findings_from_present(ADULT, present), FW)
    assert result.identified and not result.convergence
    assert (
        result.identification_rule
        == "adult: deceptive_recruitment + exploitative_conditions + coercion_at_destination"
    )
    assert "convergence" not in result.explanation


def test_child_needs_no_means_but_adult_does() -> None:
    present_keys = ["1.01", "1.02", "4.01", "4.02"]
    adult = assess(ADULT, findings_from_present(ADULT, [f"AL-{k}" for k in present_keys]), FW)
    child = assess(CHILD, findings_from_present(CHILD, [f"CL-{k}" for k in present_keys]), FW)
    assert not adult.identified
    assert child.identified
    assert adult.trpkit_tier is not None and "trpkit" in adult.trpkit_tier
    assert "not an ILO category" in adult.explanation
    assert child.trpkit_tier is None


def test_unknown_indicator_is_an_error_never_ignored() -> None:
    with pytest.raises(UnknownIndicator, match="CL-1.01"):
        findings_from_present(CHILD, ["AL-1.01"])
    with pytest.raises(UnknownIndicator):
        assess(ADULT, {"AL-9.99": Finding(LinkStatus.PRESENT)})


def test_only_present_indicators_count() -> None:
    findings = {
        "AL-5.01": Finding(LinkStatus.PRESENT),
        "AL-5.04": Finding(LinkStatus.REPORTED_UNSUPPORTED),
        "AL-5.02": Finding(LinkStatus.EXPLORED_ABSENT),
    }
    result = assess(ADULT, findings, FW)
    dim = next(d for d in result.dimensions if d.id == "coercion_at_destination")
    assert not dim.positive and dim.strong == 1
    assert dim.reported_unsupported == ("AL-5.04",) and dim.explored_absent == ("AL-5.02",)
    near = next(n for n in result.gaps.near_misses if n.dimension == "coercion_at_destination")
    candidates = {c.id: c.status for c in near.candidates}
    assert candidates["AL-5.04"] == "reported_unsupported"  # supporting it would decide the dimension
    assert "AL-5.02" not in candidates  # explored and absent: not a gap
    assert "AL-5.05" in candidates and all(c.prompts for c in near.candidates)


def test_near_miss_that_would_identify_comes_first() -> None:
    present = ["AL-1.01", "AL-1.02", "AL-4.01", "AL-4.02", "AL-5.01", "AL-2.02"]
    result = assess(ADULT, findings_from_present(ADULT, present), FW)
    assert not result.identified
    near = {n.dimension: n for n in result.gaps.near_misses}
    assert result.gaps.near_misses[0].dimension == "coercion_at_destination"
    assert near["coercion_at_destination"].would_identify
    assert not near["coercive_recruitment"].would_identify  # recruitment is already positive
    assert near["coercion_at_destination"].needs == "one more indicator of any strength"
    assert near["coercive_recruitment"].needs == "one strong indicator"
    assert {c.strength for c in near["coercive_recruitment"].candidates} == {"strong"}


def test_account_only_and_unsupported_ircc_criteria() -> None:
    findings = {
        "AL-4.01": Finding(LinkStatus.PRESENT, ("narrative",), ()),
        "AL-4.02": Finding(LinkStatus.PRESENT, ("account", "pay_record"), (2,)),
    }
    result = assess(ADULT, findings, FW)
    assert result.gaps.account_only == ("AL-4.01",)
    ircc = {c.id: c for c in result.gaps.ircc}
    assert ircc["IRCC-3"].supported and ircc["IRCC-3"].exhibits == (2,) and not ircc["IRCC-3"].account_only
    assert set(result.gaps.ircc_without_evidence) == {"IRCC-1", "IRCC-2", "IRCC-4"}
    marked = dict(findings, **{"AL-5.03": Finding(LinkStatus.PRESENT)})  # a bare mark, nothing linked
    ircc = {c.id: c for c in assess(ADULT, marked, FW).gaps.ircc}
    assert ircc["IRCC-4"].supported and not ircc["IRCC-4"].evidenced
    assert ircc["IRCC-3"].evidenced


def test_unrated_items_are_shown_not_counted() -> None:
    sexual = FW.get("delphi-adult-sexual")
    result = assess(sexual, findings_from_present(sexual, ["AS-5.01", "AS-5.03", "AS-5.04"]), FW)
    dim = next(d for d in result.dimensions if d.id == "coercion_at_destination")
    assert (dim.strong, dim.medium, dim.weak) == (0, 0, 0) and not dim.positive
    assert set(dim.unrated) == {"AS-5.01", "AS-5.03", "AS-5.04"}
    assert "incomplete" in result.explanation and "means nothing" in result.explanation


def test_combine_status_keeps_the_strongest_statement() -> None:
    assert combine_status([]) is LinkStatus.NOT_EXPLORED
    assert combine_status(["explored_absent", "present"]) is LinkStatus.PRESENT
    assert combine_status(["explored_absent", "reported_unsupported"]) is LinkStatus.REPORTED_UNSUPPORTED


def test_choose_framework_by_age_at_the_time_and_sector() -> None:
    from datetime import date

    born = (date(2004, 1, 1), date(2004, 12, 31))
    assert choose_framework("agriculture", born, (date(2025, 6, 1), None), "x")[0] == "delphi-adult-labour"
    assert choose_framework("sex_trade", born, (date(2019, 6, 1), None), "x")[0] == "delphi-child-sexual"
    framework, reason = choose_framework("agriculture", born, (date(2022, 6, 1), None), "x")
    assert framework == "delphi-child-labour" and "possibly under 18" in reason  # 17 or 18: uncertain
    assert (
        choose_framework("agriculture", (None, None), (date(2022, 1, 1), None), "x")[0]
        == "delphi-adult-labour"
    )
    assert (
        choose_framework("agriculture", born, (None, None), "x", override="delphi-adult-sexual")[0]
        == "delphi-adult-sexual"
    )


@st.composite
def list_and_ids(draw):  # type: ignore[no-untyped-def]
    lst = FW.get(draw(st.sampled_from(list(FW.delphi))))
    ids = [i.id for i in lst.indicators]
    return lst, draw(st.sets(st.sampled_from(ids))), draw(st.sampled_from(ids))


@settings(max_examples=200, deadline=None)
@given(list_and_ids())
def test_adding_a_present_indicator_never_turns_a_positive_dimension_negative(case) -> None:  # type: ignore[no-untyped-def]
    lst, present, extra = case
    before = assess(lst, findings_from_present(lst, present))
    after = assess(lst, findings_from_present(lst, present | {extra}))
    for b, a in zip(before.dimensions, after.dimensions, strict=True):
        assert not (b.positive and not a.positive)
        assert a.strong >= b.strong and a.medium >= b.medium and a.weak >= b.weak
    assert not (before.identified and not after.identified)


@settings(max_examples=200, deadline=None)
@given(st.sets(st.sampled_from([i.id for i in CHILD.indicators])))
def test_quick_summary_agrees_with_the_full_assessment(present: set[str]) -> None:
    from trpkit.domain.assessment import quick_summary

    findings = findings_from_present(CHILD, present)
    full = assess(CHILD, findings)
    identified, positive, s, m, w = quick_summary(CHILD, findings)
    assert identified == full.identified
    assert positive == full.positive_dimensions
    assert (s, m, w) == full.counts()
