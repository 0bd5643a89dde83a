"""The permit-holder clock counted (IRPR ss. 64-65): continuous time on TRPs toward permanent residence,
from a person's permits, the ground of inadmissibility and the absences from Canada.

Pure date arithmetic on the types in ``trpkit.domain.clocks`` (same conventions: permits valid from start
to end inclusive); callers pass ``today``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from trpkit.domain.clocks import (
    RULE_IDS,
    Absence,
    AbsenceEffect,
    ContinuityClock,
    Gap,
    Permit,
    add_years,
    required_years,
)

INTERPRETATION = "this is trpkit's interpretation to check, not a rule written in the regulation"


def _first_covered_day(ordered: Sequence[Permit], day: date) -> date | None:
    """The first day on or after ``day`` covered by a permit (None: no permit after it)."""
    best: date | None = None
    for permit in ordered:
        if permit.start <= day <= permit.end:
            return day
        if permit.start > day and (best is None or permit.start < best):
            best = permit.start
    return best


def _abroad_before(absences: Sequence[Absence], start: date, end: date, today: date) -> int:
    """Days abroad on ``absences`` falling in [start, end)."""
    total = 0
    for a in absences:
        back = a.returned_on if a.returned_on is not None else max(today, a.left_on) + timedelta(days=1)
        first, last = (
            max(a.left_on + timedelta(days=1), start),
            min(back - timedelta(days=1), end - timedelta(days=1)),
        )
        if last >= first:
            total += (last - first).days + 1
    return total


def permit_holder_clock(
    permits: Sequence[Permit],
    today: date,
    *,
    health_inadmissible: bool | None = False,
    pending_application_on: date | None = None,
    absences: Sequence[Absence] = (),
) -> ContinuityClock:
    """Continuous time on TRPs toward permanent residence: 5 years, or 3 when the person is
    inadmissible on health grounds only.

    ``health_inadmissible``: True (health grounds only), False (other grounds) or None (not known:
    5 years are counted, with a warning that 3 may apply).

    Overlapping and back-to-back permits join into one run. A day without a permit breaks the run
    unless the next permit was applied for before the earlier one ended (then it is kept, with a
    warning, because IRCC decides). ``pending_application_on`` is the date an application for the
    next TRP was made, if one is waiting for a decision.

    ``absences``: time outside Canada. One without authorization that starts before the mark breaks
    the run: the clock restarts on the day of return if a TRP covers it, else when the next TRP starts
    (still away, or no TRP since: the clock is stopped). An authorized one keeps the run, with a
    warning that the days abroad may not count. Absences that start on or after the mark do not move it.
    """
    ground = "unknown" if health_inadmissible is None else "health" if health_inadmissible else "other"
    years = required_years(ground)
    ordered = sorted(permits, key=lambda p: (p.start, p.end))
    trips = sorted(absences, key=lambda a: (a.left_on, a.returned_on or date.max)) if absences else ()
    if not ordered:
        effects = tuple(
            AbsenceEffect(
                a.left_on,
                a.returned_on,
                a.authorized,
                "before_run",
                days_abroad=a.days_abroad(today),
                label=a.label,
            )
            for a in trips
        )
        return ContinuityClock(years, None, None, 0, None, False, (), (), ground, effects)
    rules = {"years"} | ({"health_only"} if ground != "unknown" else set())
    warnings: list[str] = []
    if ground == "unknown":
        warnings.append(
            "The ground of inadmissibility is not recorded: 5 years are counted. If the person is "
            "inadmissible on health grounds only, the mark is 3 years — record it."
        )
    gaps: list[Gap] = []
    # Events in time order: lapses (at the next permit's start) and departures (on the day of leaving).
    restarts: list[tuple[date, int, object]] = []
    run_end = ordered[0].end
    for permit in ordered[1:]:
        if permit.start <= run_end + timedelta(days=1):
            run_end = max(run_end, permit.end)
            continue
        missing = (permit.start - run_end).days - 1
        covered = permit.applied_on is not None and permit.applied_on <= run_end
        gap = Gap(run_end, permit.start, missing, covered, not covered)
        gaps.append(gap)
        restarts.append((permit.start, 0, gap))
        run_end = max(run_end, permit.end)
    if trips:  # gaps are already in date order; departures are merged in (a lapse first on the same day)
        restarts.extend((trip.left_on, 1, trip) for trip in trips)
        restarts.sort(key=lambda e: (e[0], e[1]))
    run_start: date | None = ordered[0].start
    run_effects: list[AbsenceEffect] = []
    authorized_in_run: list[Absence] = []
    for _, _, event in restarts:
        if isinstance(event, Gap):
            rules.add("application_in_time_keeps" if event.covered_by_application else "lapse_breaks")
            if event.covered_by_application:
                warnings.append(
                    f"{event.days} day(s) without a permit between {event.last_covered} and {event.next_start}; the "
                    "next TRP was applied for before the lapse, so the clock keeps running — confirm with IRCC "
                    "that continuity was kept."
                )
            else:
                warnings.append(
                    f"The TRP lapsed after {event.last_covered} and the next started on {event.next_start} "
                    f"({event.days} day(s) without a permit): continuity was broken and the clock restarted."
                )
                if run_start is not None:
                    run_start = max(run_start, event.next_start)
            continue
        trip = event
        assert isinstance(trip, Absence)
        abroad = trip.days_abroad(today)
        if run_start is None:  # an earlier departure without authorization already stopped the clock
            run_effects.append(
                AbsenceEffect(
                    trip.left_on,
                    trip.returned_on,
                    trip.authorized,
                    "while_stopped",
                    days_abroad=abroad,
                    label=trip.label,
                )
            )
            continue
        mark = add_years(run_start, years)
        back = trip.returned_on
        if trip.left_on >= mark:
            run_effects.append(
                AbsenceEffect(
                    trip.left_on, back, trip.authorized, "after_mark", days_abroad=abroad, label=trip.label
                )
            )
            if not trip.authorized:
                warnings.append(
                    f"Left Canada on {trip.left_on} without authorization, after the {years}-year mark ({mark}): "
                    "the mark stands, but a TRP usually ends when its holder leaves without authorization — "
                    "check that the person still holds a valid TRP before applying for PR."
                )
            continue
        if back is not None and back <= run_start:
            run_effects.append(
                AbsenceEffect(
                    trip.left_on, back, trip.authorized, "before_run", days_abroad=abroad, label=trip.label
                )
            )
            continue
        if trip.authorized:
            rules.add("authorized_absence_counts")
            run_effects.append(
                AbsenceEffect(
                    trip.left_on, back, True, "counted_with_warning", days_abroad=abroad, label=trip.label
                )
            )
            authorized_in_run.append(trip)
            continue
        restart = _first_covered_day(ordered, back) if back is not None else None
        rules.update(("unauthorized_absence_breaks", "restart_after_return"))
        run_start = None if restart is None else max(run_start, restart)  # None: stopped from here on
        run_effects.append(
            AbsenceEffect(
                trip.left_on, back, False, "break", restarted_on=restart, days_abroad=abroad, label=trip.label
            )
        )
        if back is None:
            warnings.append(
                f"Left Canada on {trip.left_on} without authorization and no return is recorded: continuity is "
                "broken. The clock restarts from the day of return, once the person holds a TRP again."
            )
        elif restart is None:
            warnings.append(
                f"Left Canada on {trip.left_on} without authorization (back on {back}): continuity was broken. "
                "No TRP is recorded since the return, so the clock restarts when the next TRP starts."
            )
        else:
            warnings.append(
                f"Left Canada on {trip.left_on} without authorization (back on {back}): continuity was broken and "
                f"the clock restarted on {restart}."
            )
    if run_start is None:  # stopped by an unauthorized absence with no TRP since
        return ContinuityClock(
            years,
            None,
            run_end,
            0,
            None,
            True,
            tuple(gaps),
            tuple(warnings),
            ground,
            tuple(run_effects),
            rules_applied=_rule_ids(rules),
        )
    eligible_on = add_years(run_start, years)
    broken = False
    if today > run_end:
        if pending_application_on is not None and pending_application_on <= run_end:
            rules.add("application_in_time_keeps")
            warnings.append(
                f"The last TRP ended on {run_end}; the next was applied for on {pending_application_on}, "
                "before it ended. Keep proof of that application."
            )
        else:
            broken = True
            rules.add("lapse_breaks")
            warnings.append(
                f"The last TRP ended on {run_end} with no application for the next one before that date: "
                "continuity is broken. The clock restarts with the next permit."
            )
    elif eligible_on > run_end + timedelta(days=1) and not (
        pending_application_on is not None and pending_application_on <= run_end
    ):
        warnings.append(
            f"The current TRP ends on {run_end}, before the {years}-year mark on {eligible_on}: apply for the "
            f"next TRP before {run_end} or continuity breaks."
        )
    abroad_days = 0
    without_abroad: date | None = None
    counted = authorized_in_run  # _abroad_before keeps only the days inside the current run
    if counted and not broken:
        later = eligible_on
        for _ in range(50):  # pushing the mark later can take in more time abroad; stops when stable
            abroad_days = _abroad_before(counted, run_start, later, today)
            moved = eligible_on + timedelta(days=abroad_days)
            if moved == later:
                break
            later = moved
        if abroad_days:
            without_abroad = eligible_on + timedelta(days=abroad_days)
            warnings.append(
                f"{abroad_days} day(s) abroad on authorized absences since {run_start}: continuity is kept, but "
                f"that time may not count toward the {years} years ({INTERPRETATION}). If it does not count, the "
                f"mark moves to {without_abroad}."
            )
    accrued = 0 if today < run_start else (min(today, run_end) - run_start).days + 1
    return ContinuityClock(
        years,
        run_start,
        run_end,
        accrued,
        None if broken else eligible_on,
        broken,
        tuple(gaps),
        tuple(warnings),
        ground,
        tuple(run_effects),
        abroad_days,
        without_abroad,
        _rule_ids(rules),
    )


_RULE_ORDER = {rule: index for index, rule in enumerate(RULE_IDS)}


def _rule_ids(rules: set[str]) -> tuple[str, ...]:
    return tuple(sorted(rules, key=_RULE_ORDER.__getitem__))
