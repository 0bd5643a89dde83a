"""The permit-holder clock with grounds and absences from Canada (pure domain; Hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from trpkit.domain.clocks import (
    RULE_IDS,
    Absence,
    Permit,
    add_years,
    validity_end,
)
from trpkit.domain.permit_holder_clock import permit_holder_clock

days = st.dates(min_value=date(2005, 1, 1), max_value=date(2045, 12, 31))
FAR = date(2060, 1, 1)  # "today" well after everything: the clock is judged on the whole history


@st.composite
def chains(draw: st.DrawFn) -> list[Permit]:
    """TRPs one after another, sometimes with a gap (applied for in time or not)."""
    start = draw(days)
    permits = []
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        length = draw(st.integers(min_value=30, max_value=1100))
        gap = draw(st.sampled_from([0, 0, 0, 5, 40]))
        in_time = draw(st.booleans())
        previous_end = permits[-1].end if permits else None
        applied = previous_end - timedelta(days=10) if previous_end and in_time else None
        permits.append(Permit(start, validity_end(start, length), applied))
        start = permits[-1].end + timedelta(days=1 + gap)
    return permits


@st.composite
def absences(draw: st.DrawFn, authorized: bool | None = None) -> Absence:
    left = draw(days)
    back = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=400)))
    return Absence(
        left,
        None if back is None else left + timedelta(days=back),
        draw(st.booleans()) if authorized is None else authorized,
    )


def _later_or_same(after: date | None, before: date | None) -> bool:
    """None means 'not eligible at all': later than any date."""
    return after is None or (before is not None and after >= before)


@settings(max_examples=150)
@given(
    chains(),
    st.lists(absences(), max_size=3),
    absences(authorized=False),
    st.sampled_from([True, False, None]),
    days,
)
def test_an_unauthorized_absence_never_makes_eligibility_earlier(
    permits: list[Permit], trips: list[Absence], extra: Absence, health: bool | None, today: date
) -> None:
    before = permit_holder_clock(permits, today, health_inadmissible=health, absences=trips)
    after = permit_holder_clock(permits, today, health_inadmissible=health, absences=[*trips, extra])
    assert _later_or_same(after.eligible_on, before.eligible_on)
    if before.continuous_since is None:
        assert after.continuous_since is None
    elif after.continuous_since is not None:
        assert after.continuous_since >= before.continuous_since
    assert after.broken or not before.broken


@settings(max_examples=150)
@given(
    chains(),
    st.lists(absences(), max_size=2),
    absences(),
    st.integers(min_value=0, max_value=2000),
    st.sampled_from([True, False, None]),
)
def test_an_absence_that_starts_after_the_mark_does_not_move_it(
    permits: list[Permit], trips: list[Absence], extra: Absence, delay: int, health: bool | None
) -> None:
    before = permit_holder_clock(permits, FAR, health_inadmissible=health, absences=trips)
    assume(before.continuous_since is not None)
    mark = add_years(before.continuous_since, before.required_years)
    late = Absence(
        mark + timedelta(days=delay),
        extra.returned_on and mark + timedelta(days=delay + 10),
        extra.authorized,
    )
    after = permit_holder_clock(permits, FAR, health_inadmissible=health, absences=[*trips, late])
    assert after.eligible_on == before.eligible_on
    assert after.continuous_since == before.continuous_since
    assert after.absences[-1].effect == "after_mark" or any(e.effect == "after_mark" for e in after.absences)


@settings(max_examples=150)
@given(chains(), absences(authorized=True), days)
def test_an_authorized_absence_keeps_the_date_and_says_what_if_it_does_not_count(
    permits: list[Permit], trip: Absence, today: date
) -> None:
    plain = permit_holder_clock(permits, today)
    clock = permit_holder_clock(permits, today, absences=[trip])
    assert (clock.eligible_on, clock.continuous_since, clock.broken, clock.gaps) == (
        plain.eligible_on,
        plain.continuous_since,
        plain.broken,
        plain.gaps,
    )
    if clock.eligible_on_without_abroad is not None:
        assert clock.abroad_days > 0
        assert clock.eligible_on_without_abroad == clock.eligible_on + timedelta(days=clock.abroad_days)
        assert any(
            "interpretation to check, not a rule written in the regulation" in w for w in clock.warnings
        )
        assert "authorized_absence_counts" in clock.rules_applied
    else:
        assert clock.abroad_days == 0


@settings(max_examples=100)
@given(
    days,
    st.integers(min_value=400, max_value=3000),
    st.integers(min_value=1, max_value=300),
    st.integers(min_value=0, max_value=60),
)
def test_an_unauthorized_trip_inside_a_permit_restarts_the_clock_on_the_return(
    start: date, length: int, after: int, away: int
) -> None:
    permit = Permit(start, validity_end(start, length))
    left = start + timedelta(days=min(after, length - 2))
    back = min(left + timedelta(days=away), permit.end)
    clock = permit_holder_clock([permit], permit.end, absences=[Absence(left, back)])
    assert clock.continuous_since == back
    assert clock.eligible_on == add_years(back, 5)
    assert clock.absences[0].effect == "break" and clock.absences[0].restarted_on == back
    assert {"unauthorized_absence_breaks", "restart_after_return"} <= set(clock.rules_applied)


def test_return_during_a_gap_restarts_with_the_next_permit_and_still_away_stops_the_clock() -> None:
    permits = [
        Permit(date(2020, 1, 1), date(2021, 12, 31)),
        Permit(date(2022, 3, 1), date(2026, 2, 28), applied_on=date(2021, 12, 1)),
    ]
    kept = permit_holder_clock(permits, date(2025, 1, 1), health_inadmissible=False)
    assert kept.continuous_since == date(2020, 1, 1) and kept.eligible_on == date(2025, 1, 1)
    trip = permit_holder_clock(
        permits,
        date(2025, 1, 1),
        health_inadmissible=False,
        absences=[Absence(date(2021, 12, 20), date(2022, 1, 15))],
    )
    assert trip.continuous_since == date(2022, 3, 1) and trip.eligible_on == date(2027, 3, 1)
    assert any("restarted on 2022-03-01" in w for w in trip.warnings)
    away = permit_holder_clock(
        permits, date(2025, 1, 1), health_inadmissible=False, absences=[Absence(date(2024, 6, 1))]
    )
    assert away.broken and away.eligible_on is None and away.continuous_since is None
    assert not away.eligible(date(2025, 1, 1))
    assert any("no return is recorded" in w for w in away.warnings)
    no_trp_since = permit_holder_clock(
        permits,
        date(2027, 1, 1),
        health_inadmissible=False,
        absences=[Absence(date(2024, 12, 1), date(2026, 3, 10))],
    )
    assert no_trp_since.continuous_since is None and no_trp_since.broken
    assert any("No TRP is recorded since the return" in w for w in no_trp_since.warnings)


def test_an_unauthorized_trip_after_the_mark_warns_without_moving_it() -> None:
    permits = [Permit(date(2020, 1, 1), date(2026, 12, 31))]
    clock = permit_holder_clock(
        permits,
        date(2026, 6, 1),
        health_inadmissible=False,
        absences=[Absence(date(2025, 3, 1), date(2025, 3, 20))],
    )
    assert clock.eligible_on == date(2025, 1, 1) and clock.eligible(date(2026, 6, 1))
    assert clock.absences[0].effect == "after_mark"
    assert any("after the 5-year mark (2025-01-01)" in w for w in clock.warnings)


def test_days_abroad_count_neither_the_day_of_leaving_nor_of_returning() -> None:
    assert Absence(date(2026, 1, 3), date(2026, 1, 20)).days_abroad(date(2026, 2, 1)) == 16
    assert Absence(date(2026, 1, 3), date(2026, 1, 4)).days_abroad(date(2026, 2, 1)) == 0
    assert Absence(date(2026, 1, 3)).days_abroad(date(2026, 1, 10)) == 7  # still away: up to today
    assert Absence(date(2026, 1, 3)).days_abroad(date(2026, 1, 1)) == 0
    with pytest.raises(ValueError):
        Absence(date(2026, 1, 3), date(2026, 1, 2))


def test_time_abroad_that_may_not_count_pushes_the_what_if_mark() -> None:
    permits = [Permit(date(2021, 1, 1), date(2027, 12, 31))]
    clock = permit_holder_clock(
        permits,
        date(2025, 1, 1),
        health_inadmissible=True,
        absences=[Absence(date(2022, 1, 1), date(2022, 2, 1), authorized=True)],
    )
    assert clock.eligible_on == date(2024, 1, 1)
    assert clock.abroad_days == 30 and clock.eligible_on_without_abroad == date(2024, 1, 31)


def test_the_ground_sets_the_mark_and_an_unknown_ground_is_said() -> None:
    permits = [Permit(date(2021, 1, 1), date(2027, 12, 31))]
    health = permit_holder_clock(permits, date(2025, 1, 1), health_inadmissible=True)
    other = permit_holder_clock(permits, date(2025, 1, 1), health_inadmissible=False)
    unknown = permit_holder_clock(permits, date(2025, 1, 1), health_inadmissible=None)
    assert (health.ground, health.required_years, health.eligible_on) == ("health", 3, date(2024, 1, 1))
    assert (other.ground, other.required_years, other.eligible_on) == ("other", 5, date(2026, 1, 1))
    assert (unknown.ground, unknown.eligible_on) == ("unknown", date(2026, 1, 1))
    assert any("not recorded" in w and "3 years" in w for w in unknown.warnings)
    assert not any("not recorded" in w for w in other.warnings)


def test_every_rule_carries_a_status_like_the_policy_data() -> None:
    from trpkit.loading.clock_rules import clock_rules, rule_statuses

    statuses = rule_statuses()
    assert list(statuses) == list(RULE_IDS)
    assert {status for status, _ in statuses.values()} <= {"confirmed", "secondary", "unconfirmed"}
    assert statuses["unauthorized_absence_breaks"][0] == "confirmed"
    assert statuses["authorized_absence_counts"][0] == "unconfirmed"
    assert statuses["restart_after_return"][0] == "unconfirmed"
    assert all("S43" in rule.sources for rule in clock_rules(RULE_IDS).values() if rule.status == "confirmed")


def test_once_stopped_by_a_departure_later_trips_do_not_restart_the_clock() -> None:
    permits = [Permit(date(2020, 1, 1), date(2027, 12, 31))]
    clock = permit_holder_clock(
        permits,
        date(2026, 1, 1),
        health_inadmissible=False,
        absences=[Absence(date(2023, 1, 1)), Absence(date(2024, 1, 1), date(2024, 2, 1))],
    )
    assert clock.broken and clock.eligible_on is None
    assert [e.effect for e in clock.absences] == ["break", "while_stopped"]
