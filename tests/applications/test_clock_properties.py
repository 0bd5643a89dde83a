"""Clock arithmetic: reminders, leap years, gaps and overlapping permits (Hypothesis)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trpkit.domain.clocks import (
    Permit,
    add_years,
    current_reminder,
    info_request_followups,
    reflection_period_end,
    renewal_reminders,
    validity_days,
    validity_end,
)
from trpkit.domain.permit_holder_clock import permit_holder_clock

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))


@given(days, st.integers(min_value=1, max_value=10))
def test_add_years_never_lands_early_and_keeps_the_calendar_day(start: date, years: int) -> None:
    result = add_years(start, years)
    assert result.year == start.year + years
    assert 365 * years <= (result - start).days <= 366 * years + 1
    if (start.month, start.day) != (2, 29):
        assert (result.month, result.day) == (start.month, start.day)
    else:
        assert (result.month, result.day) in ((2, 29), (3, 1))


def test_leap_day_anniversaries() -> None:
    assert add_years(date(2024, 2, 29), 5) == date(2029, 3, 1)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2023, 3, 1), 1) == date(2024, 3, 1)


@given(days, st.integers(min_value=1, max_value=1500))
def test_validity_end_and_days_are_inverse(start: date, length: int) -> None:
    end = validity_end(start, length)
    assert validity_days(start, end) == length
    assert reflection_period_end(start, 180) == start + timedelta(days=179)


def test_a_180_day_permit_across_february_in_a_leap_year() -> None:
    assert validity_end(date(2024, 1, 1), 180) == date(2024, 6, 28)
    assert validity_end(date(2023, 1, 1), 180) == date(2023, 6, 29)


@given(days, st.lists(st.integers(min_value=1, max_value=400), min_size=1, max_size=6))
def test_reminders_are_before_expiry_earliest_first(expiry: date, offsets: list[int]) -> None:
    reminders = renewal_reminders(expiry, offsets)
    assert [r.due for r in reminders] == sorted(r.due for r in reminders)
    assert all(r.due < expiry for r in reminders)
    assert {r.days_before for r in reminders} == set(offsets)
    assert all((expiry - r.due).days == r.days_before for r in reminders)


@given(days, days)
def test_current_reminder_splits_passed_and_upcoming(expiry: date, today: date) -> None:
    passed, upcoming = current_reminder(expiry, today)
    if passed:
        assert passed.due <= today
    if upcoming:
        assert upcoming.due > today
    if passed and upcoming:
        assert passed.days_before > upcoming.days_before


def test_default_reminders_are_120_90_60_30() -> None:
    assert [r.days_before for r in renewal_reminders(date(2027, 4, 30))] == [120, 90, 60, 30]
    assert renewal_reminders(date(2027, 4, 30))[-1].due == date(2027, 3, 31)
    with pytest.raises(ValueError, match="positive"):
        renewal_reminders(date(2027, 4, 30), [30, 0])


def test_info_request_followups_default_and_given() -> None:
    assumed = info_request_followups(date(2026, 3, 1))
    assert [(f.kind, f.due, f.assumed) for f in assumed] == [
        ("prepare_response", date(2026, 3, 24), True),
        ("respond_by", date(2026, 3, 31), True),
    ]
    given_ = info_request_followups(date(2026, 3, 1), date(2026, 3, 3))
    assert [(f.kind, f.due) for f in given_] == [
        ("prepare_response", date(2026, 3, 1)),
        ("respond_by", date(2026, 3, 3)),
    ]
    with pytest.raises(ValueError):
        info_request_followups(date(2026, 3, 1), date(2026, 2, 1))


@st.composite
def back_to_back(draw: st.DrawFn) -> list[Permit]:
    """Permits each starting the day after the previous one ends (optionally overlapping it)."""
    start = draw(days)
    permits = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        length = draw(st.integers(min_value=1, max_value=800))
        permits.append(Permit(start, validity_end(start, length)))
        overlap = draw(st.integers(min_value=0, max_value=min(length - 1, 60)))
        start = permits[-1].end + timedelta(days=1) - timedelta(days=overlap)
    return permits


@given(back_to_back(), st.randoms(use_true_random=False), st.booleans())
def test_continuous_permits_accrue_from_the_first_start_in_any_order(
    permits: list[Permit], rnd: random.Random, health: bool
) -> None:
    today = max(p.end for p in permits)
    shuffled = list(permits)
    rnd.shuffle(shuffled)
    clock = permit_holder_clock(shuffled, today, health_inadmissible=health)
    first = min(p.start for p in permits)
    assert clock.gaps == ()
    assert not clock.broken
    assert clock.continuous_since == first
    assert clock.covered_until == today
    assert clock.accrued_days == (today - first).days + 1
    assert clock.required_years == (3 if health else 5)
    assert clock.eligible_on == add_years(first, clock.required_years)
    assert clock == permit_holder_clock(
        sorted(permits, key=lambda p: p.start), today, health_inadmissible=health
    )


@given(back_to_back(), st.integers(min_value=1, max_value=400), st.integers(min_value=1, max_value=500))
def test_an_uncovered_gap_restarts_the_clock(permits: list[Permit], gap: int, length: int) -> None:
    last_end = max(p.end for p in permits)
    later = Permit(last_end + timedelta(days=gap + 1), last_end + timedelta(days=gap + length))
    clock = permit_holder_clock([*permits, later], later.end)
    assert clock.continuous_since == later.start
    assert len(clock.gaps) == 1 and clock.gaps[0].days == gap and clock.gaps[0].breaks_continuity
    assert any("continuity was broken" in w for w in clock.warnings)


@given(back_to_back(), st.integers(min_value=1, max_value=60))
def test_a_gap_covered_by_an_application_in_time_keeps_the_clock_with_a_warning(
    permits: list[Permit], gap: int
) -> None:
    last_end = max(p.end for p in permits)
    later = Permit(
        last_end + timedelta(days=gap + 1), last_end + timedelta(days=gap + 365), applied_on=last_end
    )
    clock = permit_holder_clock([*permits, later], later.end)
    assert clock.continuous_since == min(p.start for p in permits)
    assert clock.gaps[0].covered_by_application and not clock.gaps[0].breaks_continuity
    assert any("confirm with IRCC" in w for w in clock.warnings)


@given(days, st.integers(min_value=30, max_value=700), st.integers(min_value=1, max_value=100))
def test_splitting_a_permit_into_overlapping_pieces_changes_nothing(
    start: date, length: int, cut: int
) -> None:
    whole = Permit(start, validity_end(start, length))
    cut_at = start + timedelta(days=min(cut, length - 1))
    pieces = [Permit(start, cut_at), Permit(cut_at - timedelta(days=min(cut, 5)), whole.end)]
    today = whole.end
    assert permit_holder_clock([whole], today) == permit_holder_clock(pieces, today)


def test_lapse_without_application_breaks_and_warns_ahead_of_time() -> None:
    permits = [Permit(date(2024, 2, 29), date(2025, 2, 27))]
    ahead = permit_holder_clock(permits, date(2024, 12, 1))
    assert not ahead.broken and ahead.eligible_on == date(2029, 3, 1)
    assert any("apply for the next TRP before 2025-02-27" in w for w in ahead.warnings)
    lapsed = permit_holder_clock(permits, date(2025, 3, 10))
    assert lapsed.broken and lapsed.eligible_on is None
    pending = permit_holder_clock(permits, date(2025, 3, 10), pending_application_on=date(2025, 2, 1))
    assert not pending.broken
    too_late = permit_holder_clock(permits, date(2025, 3, 10), pending_application_on=date(2025, 3, 1))
    assert too_late.broken


def test_eligibility_on_the_anniversary() -> None:
    permits = [Permit(date(2021, 1, 1), date(2023, 12, 31)), Permit(date(2024, 1, 1), date(2026, 12, 31))]
    clock = permit_holder_clock(permits, date(2026, 1, 1), health_inadmissible=True)
    assert clock.eligible_on == date(2024, 1, 1) and clock.eligible(date(2026, 1, 1))
    five = permit_holder_clock(permits, date(2025, 12, 31))
    assert five.eligible_on == date(2026, 1, 1) and not five.eligible(date(2025, 12, 31))
    assert five.eligible(date(2026, 1, 1)) is True


def test_permit_ending_before_start_is_refused() -> None:
    with pytest.raises(ValueError):
        Permit(date(2026, 2, 1), date(2026, 1, 31))


@settings(max_examples=50)
@given(st.lists(st.tuples(days, st.integers(min_value=1, max_value=900)), min_size=1, max_size=8), days)
def test_clock_invariants_for_arbitrary_permits(raw: list[tuple[date, int]], today: date) -> None:
    permits = [Permit(s, validity_end(s, n)) for s, n in raw]
    clock = permit_holder_clock(permits, today)
    assert clock.continuous_since is not None and clock.covered_until is not None
    assert clock.continuous_since <= clock.covered_until
    assert clock.covered_until == max(p.end for p in permits)
    assert 0 <= clock.accrued_days <= (clock.covered_until - clock.continuous_since).days + 1
    assert all(g.days >= 1 for g in clock.gaps)
    assert clock.broken == (today > clock.covered_until)
