"""iCalendar files (RFC 5545) for a calendar app: one all-day event per deadline, and the words a
deadline is said in (its title, which the faces' presenter uses too, so the table and the calendar agree).

Receives deadline facts (case codes, kinds, dates, references: never names) and words them here.
Written directly (escaped text, lines folded at 75 octets, CRLF) rather than with the `icalendar`
package, which took 30 times as long (7.1 s against 0.23 s for 3,000 events, medians of 5, shared
machine): a calendar of a year's deadlines over 10,000 cases must be quick. The tests read every file
back with `icalendar`, which is what keeps it valid.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from trpkit.domain.applications import FAMILY_LABELS, PERMIT_FAMILIES, SHORT_LABELS

REMIND_BEFORE = "-P7D"  # the alarm on events that must not be missed: a week before
ALARM_KINDS = ("permit_expiry", "reflection_end", "info_request", "interview")

# Each kind of deadline in a few words (the calendar event's description names the kind this way).
KIND_LABELS = {
    "permit_expiry": "expires",
    "reflection_end": "reflection period ends",
    "renewal_reminder": "start renewal",
    "info_request": "respond to IRCC's request",
    "info_prepare": "prepare response to IRCC",
    "interview": "IRCC interview",
    "processing_followup": "no decision yet, follow up with IRCC",
    "pr_eligible": "may apply for PR (permit holder class)",
    "document_expiry": "document expires",
    "document_age": "document too old for IRCC",
}
# A deadline's title, without its case code: {permit} the permit family ("TRP", "work permit"), {short}
# the application's type ("subsequent TRP"), {document} a checklist item's short label.
TITLES = {
    "permit_expiry": "{permit} expires",
    "reflection_end": "initial TRP ends (end of the reflection period)",
    "renewal_reminder": "start renewal of {permit} ({days} days before {end})",
    "info_request": "respond to IRCC's request ({short})",
    "info_prepare": "prepare response to IRCC ({short})",
    "interview": "IRCC interview ({short})",
    "processing_followup": "{short}: no decision yet, follow up with IRCC",
    "pr_eligible": "may apply for PR (permit holder class)",
    "document_expiry": "{document} expires ({short} checklist)",
    "document_age": "{document} too old for IRCC ({short} checklist)",
}


class DeadlineFacts(Protocol):
    """What a deadline is worded from: ``trpkit.services.deadlines_compute.DeadlineItem`` (named by its
    shape, so documents/ imports no service)."""

    @property
    def case_code(self) -> str: ...
    @property
    def ref(self) -> str | None: ...
    @property
    def kind(self) -> str: ...
    @property
    def due(self) -> date: ...
    @property
    def detail(self) -> str: ...
    @property
    def application_type(self) -> str: ...
    @property
    def document(self) -> str: ...
    @property
    def reminder_days(self) -> int | None: ...
    @property
    def permit_end(self) -> date | None: ...


def deadline_title(item: DeadlineFacts) -> str:
    """What is due, without the case code: "TRP expires", "respond to IRCC's request (OWP-V)"."""
    kind_type = item.application_type
    short = SHORT_LABELS.get(kind_type, kind_type)
    family = PERMIT_FAMILIES.get(kind_type)
    words = TITLES.get(item.kind, item.kind)
    return words.format(
        permit=FAMILY_LABELS[family] if family else short,
        short=short,
        document=item.document,
        days=item.reminder_days,
        end=item.permit_end,
    )


def deadline_summary(item: DeadlineFacts) -> str:
    """The title with its case code: the calendar event's summary ("TRP-2026-0001: TRP expires")."""
    return f"{item.case_code}: {deadline_title(item)}"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    day: date
    summary: str
    description: str
    category: str
    alarm: bool = False  # a reminder a week before


def text(value: str) -> str:
    """Escape TEXT per RFC 5545 3.3.11."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (RFC 5545 3.1)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    limit = 75
    while data:
        cut = min(limit, len(data))
        while cut < len(data) and (data[cut] & 0xC0) == 0x80:  # never cut inside a character
            cut -= 1
        parts.append(data[:cut].decode("utf-8"))
        data = data[cut:]
        limit = 74  # continuation lines start with a space
    return "\r\n ".join(parts)


def _event(item: CalendarEvent, stamp: str) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{text(item.uid)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{item.day.strftime('%Y%m%d')}",
        f"DTEND;VALUE=DATE:{(item.day + timedelta(days=1)).strftime('%Y%m%d')}",
        f"SUMMARY:{text(item.summary)}",
        f"DESCRIPTION:{text(item.description)}",
        f"CATEGORIES:trpkit,{text(item.category)}",
        "TRANSP:TRANSPARENT",
    ]
    if item.alarm:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{text(item.summary)}",
            f"TRIGGER:{REMIND_BEFORE}",
            "END:VALARM",
        ]
    return [*lines, "END:VEVENT"]


def to_ics(events: Iterable[CalendarEvent], *, name: str, generated: date) -> bytes:
    """The calendar as bytes, ready to write to a .ics file."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//trpkit//deadlines//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{text(name)}",
        f"X-TRPKIT-GENERATED:{generated.isoformat()}",
    ]
    for item in events:
        lines += _event(item, stamp)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")


def deadline_events(items: Iterable[DeadlineFacts]) -> list[CalendarEvent]:
    """What the calendar says about each deadline: only case codes and kinds, never names."""
    events = []
    for item in items:
        ref = item.ref or item.case_code
        description = f"{ref}: {KIND_LABELS.get(item.kind, item.kind)}"
        events.append(
            CalendarEvent(
                uid=f"{ref.replace('/', '-')}-{item.kind}-{item.due.isoformat()}@trpkit",
                day=item.due,
                summary=deadline_summary(item),
                description=description + (f"\n{item.detail}" if item.detail else ""),
                category=item.kind,
                alarm=item.kind in ALARM_KINDS,
            )
        )
    return events


def deadlines_ics(items: Iterable[DeadlineFacts], *, generated: date) -> bytes:
    """An iCalendar file with one all-day event per deadline."""
    return to_ics(deadline_events(items), name="trpkit deadlines", generated=generated)
