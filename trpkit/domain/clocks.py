"""The clocks an accompanier must not miss, as pure date arithmetic.

Conventions (used everywhere in trpkit):

- A permit is valid from ``start`` to ``end`` **inclusive**: a permit from 1 March to 31 March lasts
  31 days, and a permit ending on 31 March followed by one starting on 1 April leaves no gap.
- "N years after a date" falls on the same month and day N years later; from 29 February it falls on
  1 March when the target year has no 29 February (never a day early).
- Reminders are whole days before a date: the 30-day reminder for a permit ending 31 March is 1 March.

Nothing here reads the database or the clock: callers pass ``today``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

DEFAULT_REMINDER_OFFSETS: tuple[int, ...] = (120, 90, 60, 30)
DEFAULT_INFO_RESPONSE_DAYS = 30  # when IRCC's letter gives no date; always check the letter
DEFAULT_INFO_LEAD_DAYS = 7
PERMIT_HOLDER_YEARS = 5
PERMIT_HOLDER_YEARS_HEALTH = 3


def add_years(day: date, years: int) -> date:
    """Same month and day ``years`` later; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February -> a year without one
        return date(day.year + years, 3, 1)


def validity_days(start: date, end: date) -> int:
    """Number of days a permit valid from ``start`` to ``end`` (inclusive) lasts."""
    if end < start:
        raise ValueError(f"a permit cannot end ({end}) before it starts ({start})")
    return (end - start).days + 1


def validity_end(start: date, days: int) -> date:
    """Last valid day of a permit of ``days`` days starting on ``start``."""
    if days < 1:
        raise ValueError("a permit lasts at least one day")
    return start + timedelta(days=days - 1)


def clean_offsets(offsets: Iterable[int]) -> tuple[int, ...]:
    """Reminder offsets, largest first, without duplicates; each must be a positive number of days."""
    values = sorted({int(o) for o in offsets}, reverse=True)
    if not values:
        raise ValueError("give at least one reminder offset (days before the date)")
    if values[-1] < 1:
        raise ValueError("reminder offsets are days before the date: use positive numbers such as 120,90,60,30")
    return tuple(values)


@dataclass(frozen=True)
class Reminder:
    due: date
    days_before: int


def renewal_reminders(expiry: date, offsets: Iterable[int] = DEFAULT_REMINDER_OFFSETS) -> list[Reminder]:
    """Every reminder before ``expiry``, earliest first."""
    return [Reminder(expiry - timedelta(days=o), o) for o in clean_offsets(offsets)]


def current_reminder(expiry: date, today: date,
                     offsets: Iterable[int] = DEFAULT_REMINDER_OFFSETS) -> tuple[Reminder | None, Reminder | None]:
    """(the latest reminder already reached, the next one still to come) for one expiry date."""
    ordered = offsets if isinstance(offsets, tuple) and _is_clean(offsets) else clean_offsets(offsets)
    left = (expiry - today).days  # reminders with days_before >= left have been reached
    passed: Reminder | None = None
    upcoming: Reminder | None = None
    for days_before in ordered:  # largest first = earliest first
        if days_before >= left:
            passed = Reminder(expiry - timedelta(days=days_before), days_before)
        elif upcoming is None:
            upcoming = Reminder(expiry - timedelta(days=days_before), days_before)
    return passed, upcoming


def _is_clean(offsets: tuple[int, ...]) -> bool:
    return all(a > b for a, b in zip(offsets, offsets[1:], strict=False)) and bool(offsets) and offsets[-1] >= 1


def reflection_period_end(start: date, days: int) -> date:
    """Last day of a reflection period (the first short-term permit) of ``days`` days."""
    return validity_end(start, days)


@dataclass(frozen=True)
class FollowUp:
    due: date
    kind: str  # "prepare_response" | "respond_by"
    assumed: bool  # True when no date was given and the default window was used


def info_request_followups(requested_on: date, respond_by: date | None = None, *,
                           default_response_days: int = DEFAULT_INFO_RESPONSE_DAYS,
                           lead_days: int = DEFAULT_INFO_LEAD_DAYS) -> list[FollowUp]:
    """Follow-ups for an IRCC request for information: a preparation reminder, then the deadline."""
    assumed = respond_by is None
    deadline = respond_by or requested_on + timedelta(days=default_response_days)
    if deadline < requested_on:
        raise ValueError(f"the response date {deadline} is before the request date {requested_on}")
    prepare = max(requested_on, deadline - timedelta(days=lead_days))
    items = [FollowUp(deadline, "respond_by", assumed)]
    if prepare < deadline:
        items.insert(0, FollowUp(prepare, "prepare_response", assumed))
    return items


def processing_followup(submitted_on: date, reference_days: int) -> date:
    """When to ask IRCC about a file still undecided after a published average processing time."""
    return submitted_on + timedelta(days=reference_days)


# --- permit holder class (IRPR ss. 64-65): continuous time on TRPs toward permanent residence ---


@dataclass(frozen=True)
class Permit:
    start: date
    end: date
    applied_on: date | None = None  # when the application for THIS permit was made (renewals)
    label: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"a permit cannot end ({self.end}) before it starts ({self.start})")


@dataclass(frozen=True)
class Gap:
    last_covered: date  # last day of the earlier permit(s)
    next_start: date  # first day of the next permit
    days: int  # days with no permit between them
    covered_by_application: bool  # the next permit was applied for before the earlier one ended
    breaks_continuity: bool


@dataclass(frozen=True)
class ContinuityClock:
    required_years: int
    continuous_since: date | None  # start of the current unbroken run (None: no permit yet)
    covered_until: date | None  # last day of that run covered by a permit
    accrued_days: int  # days on permits in the current run, up to today
    eligible_on: date | None  # when the required years are reached (if the run stays unbroken)
    broken: bool  # today the run is broken: no valid permit and no application made in time
    gaps: tuple[Gap, ...]
    warnings: tuple[str, ...]

    def eligible(self, today: date) -> bool:
        return (not self.broken and self.eligible_on is not None and self.covered_until is not None
                and self.eligible_on <= today and self.eligible_on <= self.covered_until + timedelta(days=1))


def permit_holder_clock(permits: Sequence[Permit], today: date, *, health_inadmissible: bool = False,
                        pending_application_on: date | None = None) -> ContinuityClock:
    """Continuous time on TRPs toward permanent residence: 5 years, or 3 when the person is
    inadmissible on health grounds.

    Overlapping and back-to-back permits join into one run. A day without a permit breaks the run
    unless the next permit was applied for before the earlier one ended (then it is kept, with a
    warning, because IRCC decides). ``pending_application_on`` is the date an application for the
    next TRP was made, if one is waiting for a decision.
    """
    years = PERMIT_HOLDER_YEARS_HEALTH if health_inadmissible else PERMIT_HOLDER_YEARS
    ordered = sorted(permits, key=lambda p: (p.start, p.end))
    if not ordered:
        return ContinuityClock(years, None, None, 0, None, False, (), ())
    warnings: list[str] = []
    gaps: list[Gap] = []
    run_start = ordered[0].start
    run_end = ordered[0].end
    for permit in ordered[1:]:
        if permit.start <= run_end + timedelta(days=1):
            run_end = max(run_end, permit.end)
            continue
        missing = (permit.start - run_end).days - 1
        covered = permit.applied_on is not None and permit.applied_on <= run_end
        gaps.append(Gap(run_end, permit.start, missing, covered, not covered))
        if covered:
            warnings.append(
                f"{missing} day(s) without a permit between {run_end} and {permit.start}; the next TRP was "
                f"applied for on {permit.applied_on}, before the lapse, so the clock keeps running — confirm "
                "with IRCC that continuity was kept."
            )
        else:
            warnings.append(
                f"The TRP lapsed after {run_end} and the next started on {permit.start} ({missing} day(s) "
                "without a permit): continuity was broken and the clock restarted."
            )
            run_start = permit.start
        run_end = max(run_end, permit.end)
    eligible_on = add_years(run_start, years)
    broken = False
    if today > run_end:
        if pending_application_on is not None and pending_application_on <= run_end:
            warnings.append(
                f"The last TRP ended on {run_end}; the next was applied for on {pending_application_on}, "
                "before it ended. Keep proof of that application."
            )
        else:
            broken = True
            warnings.append(
                f"The last TRP ended on {run_end} with no application for the next one before that date: "
                "continuity is broken. The clock restarts with the next permit."
            )
    elif eligible_on > run_end + timedelta(days=1) and not (
            pending_application_on is not None and pending_application_on <= run_end):
        warnings.append(
            f"The current TRP ends on {run_end}, before the {years}-year mark on {eligible_on}: apply for the "
            f"next TRP before {run_end} or continuity breaks."
        )
    accrued = 0 if today < run_start else (min(today, run_end) - run_start).days + 1
    return ContinuityClock(years, run_start, run_end, accrued, None if broken else eligible_on, broken,
                           tuple(gaps), tuple(warnings))
