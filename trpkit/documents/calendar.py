"""iCalendar files (RFC 5545) for a calendar app: one all-day event per deadline.

Receives plain events (the service chooses what they say: case codes and kinds, never names);
the escaping, folding and line endings are the `icalendar` package's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event

REMIND_BEFORE = timedelta(days=7)  # the alarm on events that must not be missed


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    day: date
    summary: str
    description: str
    category: str
    alarm: bool = False  # a reminder a week before


def _event(item: CalendarEvent, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", item.day)
    event.add("dtend", item.day + timedelta(days=1))
    event.add("summary", item.summary)
    event.add("description", item.description)
    event.add("categories", ["trpkit", item.category])
    event.add("transp", "TRANSPARENT")
    if item.alarm:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", item.summary)
        alarm.add("trigger", -REMIND_BEFORE)
        event.add_component(alarm)
    return event


def to_ics(events: Iterable[CalendarEvent], *, name: str, generated: date) -> bytes:
    """The calendar as bytes, ready to write to a .ics file."""
    calendar = Calendar()
    calendar.add("prodid", "-//trpkit//deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-trpkit-generated", generated.isoformat())
    stamp = datetime.now(UTC).replace(microsecond=0)
    for item in events:
        calendar.add_component(_event(item, stamp))
    return calendar.to_ical()
