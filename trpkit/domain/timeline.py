"""Ordering events whose dates are intervals, and saying where the story does not (yet) hold together.

- ``order_items``: a stable order that never puts an event that certainly happened later before one
  that certainly happened earlier (sorted by the middle of each interval, then its bounds).
- ``find_conflicts``: an event that must precede another but cannot (its earliest possible date is
  after the other's latest), events certainly before birth, events certainly after the day told.
- ``find_gaps``: stretches between consecutive events longer than a threshold, where nothing is recorded.
- ``range_bar``: a text bar that makes the uncertainty visible in the TUI and the Markdown export.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from trpkit.domain.fuzzy_dates import FuzzyDate

# Event types, in the order a story usually goes (labels are for people; ids are stored).
EVENT_TYPES: dict[str, str] = {
    "recruitment": "Recruitment",
    "departure": "Departure",
    "travel": "Travel",
    "arrival_canada": "Arrival in Canada",
    "start_work": "Start of work",
    "change_employer": "Change of employer or place",
    "control_incident": "Control incident",
    "violence": "Violence",
    "debt": "Debt incurred or increased",
    "documents_taken": "Documents taken",
    "escape": "Escape / exit",
    "police_contact": "Contact with police or other authorities",
    "ngo_meeting": "Meeting with the NGO",
    "medical_care": "Medical care",
    "application": "Application",
    "decision": "Decision",
    "other": "Other",
}

# (a, b): when both happen in a story, a cannot come after b.
MUST_PRECEDE: tuple[tuple[str, str], ...] = (
    ("recruitment", "departure"),
    ("departure", "arrival_canada"),
    ("recruitment", "escape"),
    ("start_work", "escape"),
    ("arrival_canada", "escape"),
    ("application", "decision"),
    ("ngo_meeting", "application"),
)


def event_type_label(event_type: str) -> str:
    return EVENT_TYPES.get(event_type, event_type.replace("_", " ").capitalize())


@dataclass(frozen=True)
class TimelineItem:
    key: Any
    date: FuzzyDate
    event_type: str = "other"
    label: str = ""
    after_keys: tuple[Any, ...] = ()  # events a person said this one follows


@dataclass(frozen=True)
class Conflict:
    first_key: Any  # must come first...
    second_key: Any  # ...but this one certainly ended before it could start
    reason: str


@dataclass(frozen=True)
class Gap:
    after_key: Any
    before_key: Any
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def _middle(fd: FuzzyDate) -> date | None:
    if fd.earliest and fd.latest:
        return fd.earliest + (fd.latest - fd.earliest) / 2
    return fd.earliest or fd.latest


def sort_key(fd: FuzzyDate) -> tuple[int, date, date, date]:
    """Dated events by the middle of their interval; unparsed ones last (they need a person)."""
    middle = _middle(fd)
    if middle is None:
        return (1, date.max, date.max, date.max)
    return (0, middle, fd.earliest or date.min, fd.latest or date.max)


def order_items(items: Iterable[TimelineItem]) -> list[TimelineItem]:
    return sorted(items, key=lambda item: sort_key(item.date))


def certainly_before(a: FuzzyDate, b: FuzzyDate) -> bool:
    """True when every date ``a`` allows is before every date ``b`` allows."""
    return a.latest is not None and b.earliest is not None and a.latest < b.earliest


def find_conflicts(
    items: Sequence[TimelineItem], birth: FuzzyDate | None = None, told_on: date | None = None
) -> list[Conflict]:
    conflicts: list[Conflict] = []
    by_key = {item.key: item for item in items}
    seen: set[tuple[Any, Any]] = set()

    def check(first: TimelineItem, second: TimelineItem, why: str) -> None:
        pair = (first.key, second.key)
        if pair in seen or first.key == second.key:
            return
        if certainly_before(second.date, first.date):
            seen.add(pair)
            conflicts.append(Conflict(first.key, second.key, why))

    for a_type, b_type in MUST_PRECEDE:
        for first in (i for i in items if i.event_type == a_type):
            for second in (i for i in items if i.event_type == b_type):
                later = event_type_label(b_type)
                check(
                    first,
                    second,
                    f"{event_type_label(a_type)} must come before {later[:1].lower()}{later[1:]}",
                )
    for item in items:
        for key in item.after_keys:
            earlier = by_key.get(key)
            if earlier is not None:
                check(earlier, item, "said to happen after this event")
        if birth is not None and certainly_before(item.date, birth):
            conflicts.append(Conflict(item.key, item.key, "dated before the person's birth"))
        if told_on is not None and item.date.earliest is not None and item.date.earliest > told_on:
            conflicts.append(Conflict(item.key, item.key, "dated after the day it was told"))
    return conflicts


def find_gaps(ordered: Sequence[TimelineItem], min_days: int = 180) -> list[Gap]:
    """Stretches of at least ``min_days`` between consecutive dated events where nothing is recorded."""
    gaps: list[Gap] = []
    dated = [i for i in ordered if i.date.is_parsed and (i.date.earliest or i.date.latest)]
    reach: date | None = None
    reach_key: Any = None
    for item in dated:
        start = item.date.earliest or item.date.latest
        if reach is not None and start is not None and (start - reach).days >= min_days:
            gaps.append(Gap(reach_key, item.key, reach + timedelta(days=1), start - timedelta(days=1)))
        end = item.date.latest or item.date.earliest
        if end is not None and (reach is None or end > reach):
            reach, reach_key = end, item.key
    return gaps


def span(items: Iterable[FuzzyDate]) -> tuple[date, date] | None:
    bounds = [d for fd in items for d in (fd.earliest, fd.latest) if d is not None]
    if not bounds:
        return None
    return min(bounds), max(bounds)


def range_bar(fd: FuzzyDate, lo: date, hi: date, width: int = 30) -> str:
    """A bar over [lo, hi]: ``█`` the interval, ``▒`` if approximate, ``…`` for an open end, ``│`` one day."""
    if width < 3:
        raise ValueError("width must be at least 3")
    cells = [" "] * width
    if not fd.is_parsed or (fd.earliest is None and fd.latest is None):
        return "?".center(width)
    total = max((hi - lo).days, 1)

    def cell(d: date) -> int:
        return min(width - 1, max(0, round((d - lo).days / total * (width - 1))))

    start = cell(fd.earliest) if fd.earliest else 0
    end = cell(fd.latest) if fd.latest else width - 1
    fill = "▒" if fd.approximate or fd.uncertain else "█"
    for i in range(start, end + 1):
        cells[i] = fill
    if fd.earliest is None:
        cells[0] = "…"
    if fd.latest is None:
        cells[width - 1] = "…"
    if fd.earliest is not None and fd.earliest == fd.latest:
        cells[start] = "│"
    return "".join(cells)
