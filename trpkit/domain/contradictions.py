"""Contradictions across the file, pure: dates that cannot all be true, a sector or place told two ways.

What is compared (plain data in, :class:`Contradiction` out, each naming both passages):

- an exhibit dated before the event it documents: the exhibit and the event rest on the same passage
  of the account, or support the same indicator (then only when the exhibit predates every such event,
  so an earlier event of the same kind is never mistaken for a contradiction);
- a passage whose own date phrase does not fit the date of the chronology event it supports;
- two passages supporting the same event that give it different dates;
- two events of a kind that happens once (arrival in Canada, escape) with different dates or places;
- the case's recorded sector against the sector the start of work, or an exhibit, describes.

Dates are ranges (fuzzy): two dates contradict only when their ranges do not overlap at all, so
"spring 2023" and "April 2023" never clash. These are warnings for a person to resolve, never edits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

# Events that happen once in a story as trpkit records it: two different dates or places for one of
# these are worth a look. ("recruitment" and "departure" can repeat, so they are left out.)
ONCE_TYPES: Mapping[str, str] = {"arrival_canada": "arrival in Canada", "escape": "escape / exit"}
SECTOR_EVENT_TYPES = ("start_work",)


@dataclass(frozen=True)
class Span:
    earliest: date | None
    latest: date | None
    text: str  # how the file writes it

    @property
    def known(self) -> bool:
        return self.earliest is not None or self.latest is not None

    def before(self, other: Span) -> bool:
        """Entirely before ``other`` (no overlap at all)."""
        mine = self.latest or self.earliest
        theirs = other.earliest or other.latest
        return mine is not None and theirs is not None and mine < theirs

    def disjoint(self, other: Span) -> bool:
        return self.before(other) or other.before(self)


@dataclass(frozen=True)
class EventFact:
    id: int
    type: str
    title: str
    when: Span
    place: str
    entry_ids: tuple[int, ...]
    ref: str  # "chronology event 4 ('Arrival in Canada')"
    indicators: tuple[str, ...] = ()  # item numbers its passages are linked to


@dataclass(frozen=True)
class ExhibitFact:
    number: int
    description: str
    when: Span
    entry_ids: tuple[int, ...]
    indicators: tuple[str, ...] = ()  # item numbers it is linked to


@dataclass(frozen=True)
class EntryDate:
    entry_id: int
    ref: str  # "meeting 2, entry 3"
    phrase: str
    when: Span
    event_id: int | None  # the event the phrase was attached to, when the accompanier did so


@dataclass(frozen=True)
class Contradiction:
    code: str  # exhibit-before-event | passage-date | passages-disagree | once-event | sector
    message: str
    first: str  # where one side is ("exhibit 3", "meeting 1, entry 2", "chronology event 5")
    second: str


def _exhibit_before_event(
    events: Sequence[EventFact], exhibits: Sequence[ExhibitFact]
) -> list[Contradiction]:
    out = []
    for exhibit in exhibits:
        if not exhibit.when.known:
            continue
        candidates = [
            e
            for e in events
            if e.when.known
            and (set(exhibit.entry_ids) & set(e.entry_ids) or set(exhibit.indicators) & set(e.indicators))
        ]
        if not candidates or not all(exhibit.when.before(e.when) for e in candidates):
            continue
        event = min(candidates, key=lambda e: e.when.earliest or e.when.latest or date.max)
        out.append(
            Contradiction(
                "exhibit-before-event",
                f"Exhibit {exhibit.number} ({exhibit.description or 'no description'}) is dated "
                f"{exhibit.when.text}, before the event it documents, {event.ref}, dated "
                f"{event.when.text}. Check both dates.",
                f"exhibit {exhibit.number}",
                event.ref,
            )
        )
    return out


def _passage_dates(events: Sequence[EventFact], dates: Sequence[EntryDate]) -> list[Contradiction]:
    out: list[Contradiction] = []
    by_id = {e.id: e for e in events}
    for d in dates:
        event = by_id.get(d.event_id) if d.event_id is not None else None
        if event is None or not d.when.known or not event.when.known:
            continue
        if d.when.disjoint(event.when):
            out.append(
                Contradiction(
                    "passage-date",
                    f"{d.ref.capitalize()} says '{d.phrase}' ({d.when.text}) for {event.ref}, which the "
                    f"chronology dates {event.when.text}.",
                    d.ref,
                    event.ref,
                )
            )
    # two passages supporting one event that date it differently
    for event in events:
        attached = [d for d in dates if d.event_id == event.id and d.when.known]
        for i, a in enumerate(attached):
            for b in attached[i + 1 :]:
                if a.entry_id != b.entry_id and a.when.disjoint(b.when):
                    out.append(
                        Contradiction(
                            "passages-disagree",
                            f"Two passages date {event.ref} differently: {a.ref} says '{a.phrase}' "
                            f"({a.when.text}), {b.ref} says '{b.phrase}' ({b.when.text}).",
                            a.ref,
                            b.ref,
                        )
                    )
    return out


def _same_place(a: str, b: str) -> bool:
    x, y = " ".join(a.casefold().split()), " ".join(b.casefold().split())
    return not x or not y or x in y or y in x


def _once_events(events: Sequence[EventFact]) -> list[Contradiction]:
    out = []
    for kind, label in ONCE_TYPES.items():
        same = [e for e in events if e.type == kind]
        for i, a in enumerate(same):
            for b in same[i + 1 :]:
                if a.when.known and b.when.known and a.when.disjoint(b.when):
                    out.append(
                        Contradiction(
                            "once-event",
                            f"The chronology has two dates for the {label}: {a.ref} ({a.when.text}) and "
                            f"{b.ref} ({b.when.text}). If both happened, say so in their titles.",
                            a.ref,
                            b.ref,
                        )
                    )
                elif not _same_place(a.place, b.place):
                    out.append(
                        Contradiction(
                            "once-event",
                            f"The {label} is placed in two ways: '{a.place}' ({a.ref}) and '{b.place}' ({b.ref}).",
                            a.ref,
                            b.ref,
                        )
                    )
    return out


def _sector(
    recorded: str,
    described: Iterable[tuple[str, set[str]]],
    sector_labels: Mapping[str, str],
) -> list[Contradiction]:
    """``described``: (where, sectors its text describes) for the start of work and the exhibits."""
    if recorded in ("", "unknown", "other"):
        return []
    out = []
    for where, sectors in described:
        others = sorted(sectors - {recorded})
        if others and recorded not in sectors:
            out.append(
                Contradiction(
                    "sector",
                    f"The case records the sector as {sector_labels.get(recorded, recorded)}, but {where} "
                    f"describes {', '.join(sector_labels.get(s, s) for s in others)}. Correct the sector "
                    "or the description (if the work changed, add a 'change of employer' event).",
                    "the case's sector",
                    where,
                )
            )
    return out


def find_contradictions(
    events: Sequence[EventFact],
    exhibits: Sequence[ExhibitFact],
    dates: Sequence[EntryDate],
    recorded_sector: str = "",
    described_sectors: Iterable[tuple[str, set[str]]] = (),
    sector_labels: Mapping[str, str] | None = None,
) -> list[Contradiction]:
    found = [
        *_exhibit_before_event(events, exhibits),
        *_passage_dates(events, dates),
        *_once_events(events),
        *_sector(recorded_sector, described_sectors, sector_labels or {}),
    ]
    unique: dict[tuple[str, str, str], Contradiction] = {}
    for c in found:
        unique.setdefault((c.code, c.first, c.second), c)
    return list(unique.values())
