"""The permit-holder clock counted (IRPR ss. 64-65): continuous time on TRPs toward permanent residence,
from a person's permits, the ground of inadmissibility and the absences from Canada.

Pure date arithmetic on the types in ``trpkit.domain.clocks`` (same conventions: permits valid from start
to end inclusive); callers pass ``today``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
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
UNKNOWN_GROUND = (
    "The ground of inadmissibility is not recorded: 5 years are counted. If the person is "
    "inadmissible on health grounds only, the mark is 3 years — record it."
)


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


# Long by its docstring (what the clock counts and why); the steps are the functions below it.
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
        return _no_permit_yet(years, ground, trips, today)
    rules = {"years"} | ({"health_only"} if ground != "unknown" else set())
    walk = _Walk(years, today, ordered, ordered[0].start, rules)
    if ground == "unknown":
        walk.warnings.append(UNKNOWN_GROUND)
    gaps, run_end = _gaps(ordered)
    for event in _in_time_order(gaps, trips):
        if isinstance(event, Gap):
            walk.lapse(event)
        else:
            walk.absence(event)
    if walk.run_start is None:  # stopped by an unauthorized absence with no TRP since
        warnings, effects = tuple(walk.warnings), tuple(walk.effects)
        stopped = (years, None, run_end, 0, None, True, tuple(gaps), warnings, ground, effects)
        return ContinuityClock(*stopped, rules_applied=_rule_ids(walk.rules))
    run_start = walk.run_start
    eligible_on = add_years(run_start, years)
    broken = _lapsed_by_today(walk, run_end, eligible_on, pending_application_on)
    abroad_days, without_abroad = (0, None) if broken else _time_abroad(walk, run_start, eligible_on)
    accrued = 0 if today < run_start else (min(today, run_end) - run_start).days + 1
    return ContinuityClock(
        years,
        run_start,
        run_end,
        accrued,
        None if broken else eligible_on,
        broken,
        tuple(gaps),
        tuple(walk.warnings),
        ground,
        tuple(walk.effects),
        abroad_days,
        without_abroad,
        _rule_ids(walk.rules),
    )


def _no_permit_yet(years: int, ground: str, trips: Sequence[Absence], today: date) -> ContinuityClock:
    """No TRP yet: nothing counts, and every absence came before the run."""
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


def _gaps(ordered: Sequence[Permit]) -> tuple[list[Gap], date]:
    """The days without a permit between the runs of permits, and the last day covered."""
    gaps: list[Gap] = []
    run_end = ordered[0].end
    for permit in ordered[1:]:
        if permit.start <= run_end + timedelta(days=1):
            run_end = max(run_end, permit.end)
            continue
        missing = (permit.start - run_end).days - 1
        covered = permit.applied_on is not None and permit.applied_on <= run_end
        gaps.append(Gap(run_end, permit.start, missing, covered, not covered))
        run_end = max(run_end, permit.end)
    return gaps, run_end


def _in_time_order(gaps: list[Gap], trips: Sequence[Absence]) -> list[Gap | Absence]:
    """Lapses (at the next permit's start) and departures (on the day of leaving), a lapse first on the
    same day."""
    events: list[tuple[date, int, Gap | Absence]] = [(gap.next_start, 0, gap) for gap in gaps]
    if trips:  # gaps are already in date order; departures are merged in
        events.extend((trip.left_on, 1, trip) for trip in trips)
        events.sort(key=lambda e: (e[0], e[1]))
    return [event for _, _, event in events]


@dataclass
class _Walk:
    """The current run while lapses and absences are met in time order: where it starts (None: stopped),
    the rules relied on, the warnings, and what each absence did."""

    years: int
    today: date
    ordered: Sequence[Permit]
    run_start: date | None
    rules: set[str]
    warnings: list[str] = field(default_factory=list)
    effects: list[AbsenceEffect] = field(default_factory=list)
    authorized_in_run: list[Absence] = field(default_factory=list)

    def lapse(self, gap: Gap) -> None:
        self.rules.add("application_in_time_keeps" if gap.covered_by_application else "lapse_breaks")
        if gap.covered_by_application:
            self.warnings.append(
                f"{gap.days} day(s) without a permit between {gap.last_covered} and {gap.next_start}; the "
                "next TRP was applied for before the lapse, so the clock keeps running — confirm with IRCC "
                "that continuity was kept."
            )
            return
        self.warnings.append(
            f"The TRP lapsed after {gap.last_covered} and the next started on {gap.next_start} "
            f"({gap.days} day(s) without a permit): continuity was broken and the clock restarted."
        )
        if self.run_start is not None:
            self.run_start = max(self.run_start, gap.next_start)

    def absence(self, trip: Absence) -> None:
        abroad = trip.days_abroad(self.today)
        back = trip.returned_on
        if self.run_start is None:  # an earlier departure without authorization already stopped the clock
            self._effect(trip, "while_stopped", abroad)
            return
        mark = add_years(self.run_start, self.years)
        if trip.left_on >= mark:
            self._effect(trip, "after_mark", abroad)
            if not trip.authorized:
                self.warnings.append(
                    f"Left Canada on {trip.left_on} without authorization, after the {self.years}-year mark "
                    f"({mark}): the mark stands, but a TRP usually ends when its holder leaves without "
                    "authorization — check that the person still holds a valid TRP before applying for PR."
                )
            return
        if back is not None and back <= self.run_start:
            self._effect(trip, "before_run", abroad)
            return
        if trip.authorized:
            self.rules.add("authorized_absence_counts")
            self._effect(trip, "counted_with_warning", abroad)
            self.authorized_in_run.append(trip)
            return
        self._break(trip, self.run_start, abroad)

    def _break(self, trip: Absence, run_start: date, abroad: int) -> None:
        """Away without authorization before the mark: the run restarts on return, under a TRP."""
        back = trip.returned_on
        restart = _first_covered_day(self.ordered, back) if back is not None else None
        self.rules.update(("unauthorized_absence_breaks", "restart_after_return"))
        self.run_start = None if restart is None else max(run_start, restart)  # None: stopped from here on
        self._effect(trip, "break", abroad, restarted_on=restart)
        if back is None:
            self.warnings.append(
                f"Left Canada on {trip.left_on} without authorization and no return is recorded: continuity is "
                "broken. The clock restarts from the day of return, once the person holds a TRP again."
            )
        elif restart is None:
            self.warnings.append(
                f"Left Canada on {trip.left_on} without authorization (back on {back}): continuity was broken. "
                "No TRP is recorded since the return, so the clock restarts when the next TRP starts."
            )
        else:
            self.warnings.append(
                f"Left Canada on {trip.left_on} without authorization (back on {back}): continuity was broken and "
                f"the clock restarted on {restart}."
            )

    def _effect(self, trip: Absence, effect: str, abroad: int, restarted_on: date | None = None) -> None:
        self.effects.append(
            AbsenceEffect(
                trip.left_on,
                trip.returned_on,
                trip.authorized,
                effect,
                restarted_on=restarted_on,
                days_abroad=abroad,
                label=trip.label,
            )
        )


def _lapsed_by_today(walk: _Walk, run_end: date, eligible_on: date, applied_on: date | None) -> bool:
    """Whether the last TRP ended with no application in time (the run is broken today); warns when it
    ended with one, or will end before the mark."""
    applied_in_time = applied_on is not None and applied_on <= run_end
    if walk.today > run_end:
        if applied_in_time:
            walk.rules.add("application_in_time_keeps")
            walk.warnings.append(
                f"The last TRP ended on {run_end}; the next was applied for on {applied_on}, "
                "before it ended. Keep proof of that application."
            )
            return False
        walk.rules.add("lapse_breaks")
        walk.warnings.append(
            f"The last TRP ended on {run_end} with no application for the next one before that date: "
            "continuity is broken. The clock restarts with the next permit."
        )
        return True
    if eligible_on > run_end + timedelta(days=1) and not applied_in_time:
        walk.warnings.append(
            f"The current TRP ends on {run_end}, before the {walk.years}-year mark on {eligible_on}: apply for "
            f"the next TRP before {run_end} or continuity breaks."
        )
    return False


def _time_abroad(walk: _Walk, run_start: date, eligible_on: date) -> tuple[int, date | None]:
    """Days abroad on authorized absences before the mark, and the mark if they do not count (None:
    no such days)."""
    counted = walk.authorized_in_run  # _abroad_before keeps only the days inside the current run
    if not counted:
        return 0, None
    abroad_days = 0
    later = eligible_on
    for _ in range(50):  # pushing the mark later can take in more time abroad; stops when stable
        abroad_days = _abroad_before(counted, run_start, later, walk.today)
        moved = eligible_on + timedelta(days=abroad_days)
        if moved == later:
            break
        later = moved
    if not abroad_days:
        return 0, None
    without_abroad = eligible_on + timedelta(days=abroad_days)
    walk.warnings.append(
        f"{abroad_days} day(s) abroad on authorized absences since {run_start}: continuity is kept, but "
        f"that time may not count toward the {walk.years} years ({INTERPRETATION}). If it does not count, the "
        f"mark moves to {without_abroad}."
    )
    return abroad_days, without_abroad


_RULE_ORDER = {rule: index for index, rule in enumerate(RULE_IDS)}


def _rule_ids(rules: set[str]) -> tuple[str, ...]:
    return tuple(sorted(rules, key=_RULE_ORDER.__getitem__))
