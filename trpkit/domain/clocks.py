"""The clocks an accompanier must not miss, as pure date arithmetic.

Conventions (used everywhere in trpkit):

- A permit is valid from ``start`` to ``end`` **inclusive**: a permit from 1 March to 31 March lasts
  31 days, and a permit ending on 31 March followed by one starting on 1 April leaves no gap.
- "N years after a date" falls on the same month and day N years later; from 29 February it falls on
  1 March when the target year has no 29 February (never a day early).
- Reminders are whole days before a date: the 30-day reminder for a permit ending 31 March is 1 March.

Nothing here reads the database or the clock: callers pass ``today``. The permit-holder clock's types
are here; it is counted in ``trpkit.domain.permit_holder_clock``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
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
        raise ValueError(
            "reminder offsets are days before the date: use positive numbers such as 120,90,60,30"
        )
    return tuple(values)


@dataclass(frozen=True)
class Reminder:
    due: date
    days_before: int


def renewal_reminders(expiry: date, offsets: Iterable[int] = DEFAULT_REMINDER_OFFSETS) -> list[Reminder]:
    """Every reminder before ``expiry``, earliest first."""
    return [Reminder(expiry - timedelta(days=o), o) for o in clean_offsets(offsets)]


def current_reminder(
    expiry: date, today: date, offsets: Iterable[int] = DEFAULT_REMINDER_OFFSETS
) -> tuple[Reminder | None, Reminder | None]:
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
    return all(a > b for a, b in itertools.pairwise(offsets)) and bool(offsets) and offsets[-1] >= 1


def reflection_period_end(start: date, days: int) -> date:
    """Last day of a reflection period (the first short-term permit) of ``days`` days."""
    return validity_end(start, days)


@dataclass(frozen=True)
class FollowUp:
    due: date
    kind: str  # "prepare_response" | "respond_by"
    assumed: bool  # True when no date was given and the default window was used


def info_request_followups(
    requested_on: date,
    respond_by: date | None = None,
    *,
    default_response_days: int = DEFAULT_INFO_RESPONSE_DAYS,
    lead_days: int = DEFAULT_INFO_LEAD_DAYS,
) -> list[FollowUp]:
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


# Grounds of inadmissibility that decide the mark (IRPR s. 65(b)): "health" = on health grounds only
# (IRPA s. 38(1)); "other" = any other ground, alone or with health; "unknown" = not recorded yet.
GROUNDS: dict[str, str] = {
    "health": "inadmissible on health grounds only (IRPA s. 38(1)): 3 years",
    "other": "inadmissible on other grounds: 5 years",
    "unknown": "ground not recorded: 5 years counted until it is",
}


def health_only(ground: str) -> bool | None:
    """The clock's ``health_inadmissible`` for a ground: True, False, or None when it is not known."""
    return {"health": True, "other": False}.get(ground)


def required_years(ground: str) -> int:
    if ground not in GROUNDS:
        raise ValueError(f"unknown ground '{ground}': use one of {', '.join(GROUNDS)}")
    return PERMIT_HOLDER_YEARS_HEALTH if ground == "health" else PERMIT_HOLDER_YEARS


# How sure trpkit is of each rule the clock applies, marked like checklists/policy-periods.toml:
# confirmed (read in an official or primary text), secondary, unconfirmed (trpkit's interpretation).
# The rules this clock relies on, in the order results list them. What each says, its verification status
# and its sources are data: checklists/permit-holder-clock.toml (read by trpkit.loading.clock_rules).
RULE_IDS: tuple[str, ...] = (
    "years",
    "health_only",
    "lapse_breaks",
    "application_in_time_keeps",
    "unauthorized_absence_breaks",
    "restart_after_return",
    "authorized_absence_counts",
)


@dataclass(frozen=True)
class Absence:
    """Time outside Canada: from the day the person left to the day they came back (None: still away).

    ``authorized``: the person's TRP authorized leaving and re-entering Canada.
    """

    left_on: date
    returned_on: date | None = None
    authorized: bool = False
    label: str = ""

    def __post_init__(self) -> None:
        if self.returned_on is not None and self.returned_on < self.left_on:
            raise ValueError(f"a return ({self.returned_on}) cannot come before leaving ({self.left_on})")

    def days_abroad(self, until: date) -> int:
        """Whole days spent abroad up to ``until``: the days of leaving and of returning count as days in
        Canada (the convention IRCC uses for physical presence elsewhere; an assumption here)."""
        back = (
            self.returned_on if self.returned_on is not None else max(until, self.left_on) + timedelta(days=1)
        )
        return max(0, (back - self.left_on).days - 1)


@dataclass(frozen=True)
class AbsenceEffect:
    left_on: date
    returned_on: date | None
    authorized: bool
    effect: str  # "break" | "counted_with_warning" | "before_run" | "after_mark" | "while_stopped"
    restarted_on: date | None = None  # for a break: the day the clock started again (None: not yet)
    days_abroad: int = 0
    label: str = ""


@dataclass(frozen=True)
class ContinuityClock:
    required_years: int
    continuous_since: date | None  # start of the current unbroken run (None: no permit yet, or broken)
    covered_until: date | None  # last day of that run covered by a permit
    accrued_days: int  # days on permits in the current run, up to today
    eligible_on: date | None  # when the required years are reached (if the run stays unbroken)
    broken: (
        bool  # today the run is broken: a lapse without an application in time, or away without authorization
    )
    gaps: tuple[Gap, ...]
    warnings: tuple[str, ...]
    ground: str = "other"  # health | other | unknown (see GROUNDS)
    absences: tuple[AbsenceEffect, ...] = ()
    abroad_days: int = 0  # days abroad on authorized absences in the current run, before the mark
    eligible_on_without_abroad: date | None = None  # the mark if those days do not count (None: no such days)
    rules_applied: tuple[
        str, ...
    ] = ()  # ids in RULE_IDS this result relies on (statuses: trpkit.loading.clock_rules.rule_statuses())

    def eligible(self, today: date) -> bool:
        return (
            not self.broken
            and self.eligible_on is not None
            and self.covered_until is not None
            and self.eligible_on <= today
            and self.eligible_on <= self.covered_until + timedelta(days=1)
        )
