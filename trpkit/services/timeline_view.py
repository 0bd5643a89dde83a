"""The case chronology as it is read: events ordered under uncertainty, conflicts, gaps, Markdown.

``case_timeline`` is what the submission's chronology and the readiness check are built from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from trpkit.db.models.narrative import TimelineEvent, TimelineEventEntry
from trpkit.domain.fuzzy_dates import FuzzyDate, describe_interval, format_fuzzy
from trpkit.domain.timeline import TimelineItem, find_conflicts, find_gaps, order_items, range_bar, span
from trpkit.services import audit
from trpkit.services.access import require_case
from trpkit.services.actor import Actor
from trpkit.services.timeline import TimelineEventRow, _birth, _event_row
from trpkit.services.timeline_suggestions import SuggestionRow, _suggestion_rows

GAP_DAYS = 180


@dataclass(frozen=True)
class TimelineConflict:
    first_event_id: int
    second_event_id: int
    reason: str


@dataclass(frozen=True)
class TimelineGap:
    after_event_id: int
    before_event_id: int
    start: date
    end: date
    days: int


@dataclass(frozen=True)
class CaseTimeline:
    case_code: str
    events: tuple[TimelineEventRow, ...]  # in chronological order (unparsed dates last)
    conflicts: tuple[TimelineConflict, ...]
    gaps: tuple[TimelineGap, ...]
    unparsed: tuple[TimelineEventRow, ...]  # events whose date a person must fix
    suggestions: tuple[SuggestionRow, ...] = field(default=())
    birth: FuzzyDate | None = None


def case_timeline(session: Session, actor: Actor, code: str, *, gap_days: int = GAP_DAYS) -> CaseTimeline:
    """The chronology, ordered under uncertainty, with conflicts, gaps and the dates a person must fix."""
    case = require_case(session, actor, code)
    events = list(
        session.scalars(
            select(TimelineEvent).where(TimelineEvent.case_id == case.id).order_by(TimelineEvent.id)
        )
    )
    links: dict[int, list[int]] = {}
    for event_id, entry_id in session.execute(
        select(TimelineEventEntry.event_id, TimelineEventEntry.entry_id)
        .where(TimelineEventEntry.case_id == case.id)
        .order_by(TimelineEventEntry.entry_id)
    ):
        links.setdefault(event_id, []).append(entry_id)
    birth = _birth(session, case)
    items = [
        TimelineItem(
            e.id,
            FuzzyDate.from_dict(e.date) if e.date else FuzzyDate.unparsed(""),
            e.event_type,
            e.title,
            (e.after_event_id,) if e.after_event_id else (),
        )
        for e in events
    ]
    ordered = order_items(items)
    conflicts = find_conflicts(items, birth=birth)
    told = {e.id: e.told_on for e in events}
    for item in items:  # dated after the day it was told
        told_on = told.get(item.key)
        if told_on and item.date.earliest and item.date.earliest > told_on:
            conflicts += find_conflicts([item], told_on=told_on)
    gaps = find_gaps(ordered, min_days=gap_days)
    reasons: dict[int, list[str]] = {}
    for c in conflicts:
        reasons.setdefault(c.first_key, []).append(c.reason)
        if c.second_key != c.first_key:
            reasons.setdefault(c.second_key, []).append(c.reason)
    gap_before = {g.before_key for g in gaps}
    by_id = {e.id: e for e in events}
    rows = tuple(
        _event_row(
            by_id[i.key], tuple(links.get(i.key, ())), tuple(reasons.get(i.key, ())), i.key in gap_before
        )
        for i in ordered
    )
    suggestions = tuple(_suggestion_rows(session, case, status="open"))
    audit.record(session, actor, "timeline.read", case.code, events=len(rows))
    return CaseTimeline(
        case.code,
        rows,
        tuple(TimelineConflict(c.first_key, c.second_key, c.reason) for c in conflicts),
        tuple(TimelineGap(g.after_key, g.before_key, g.start, g.end, g.days) for g in gaps),
        tuple(r for r in rows if not r.date.is_parsed),
        suggestions,
        birth,
    )


# ----------------------------------------------------------------------------------------------- export


def timeline_markdown(tl: CaseTimeline, language: str = "en", width: int = 24) -> str:
    """A plain-text/Markdown chronology with a range bar per event, conflicts and gaps."""
    lines = [f"# Chronology — {tl.case_code}", ""]
    dated = [e.date for e in tl.events if e.date.is_parsed]
    bounds = span(dated)
    lines.append(
        "Dates are written as precisely as the person gave them; the bar shows the interval each "
        "date allows (▒ approximate or uncertain, … open-ended)."
    )
    lines.append("")
    if bounds:
        lo, hi = bounds
        lines.append(f"| # | When | Event | Range {lo.year}–{hi.year} | Notes |")
    else:
        lines.append("| # | When | Event | Range | Notes |")
    lines.append("|---|---|---|---|---|")
    gaps_before = {g.before_event_id: g for g in tl.gaps}
    for n, e in enumerate(tl.events, 1):
        gap = gaps_before.get(e.id)
        if gap is not None:
            lines.append(f"|  | *gap: {gap.days} days* |  |  | nothing recorded {gap.start} – {gap.end} |")
        when = format_fuzzy(e.date, language) if e.date.is_parsed else f"“{e.date.original}” (date to fix)"
        bar = f"`{range_bar(e.date, *bounds, width=width)}`" if bounds else ""
        what = e.type_label + (f": {e.title}" if e.title else "") + (f" ({e.place})" if e.place else "")
        notes = []
        if e.conflict:
            notes.append("⚠ " + "; ".join(e.conflict_reasons))
        if e.linked_entry_ids:
            notes.append("entries " + ", ".join(str(i) for i in e.linked_entry_ids))
        if e.date.is_parsed:
            notes.append(describe_interval(e.date))
        lines.append(f"| {n} | {when} | {_md(what)} | {bar} | {_md('; '.join(notes))} |")
    if tl.conflicts:
        lines += ["", "## Conflicts", ""]
        for c in tl.conflicts:
            lines.append(
                f"- events {c.first_event_id} and {c.second_event_id}: {c.reason}"
                if c.first_event_id != c.second_event_id
                else f"- event {c.first_event_id}: {c.reason}"
            )
    if tl.unparsed:
        lines += ["", "## Dates to fix", ""]
        lines += [f"- event {e.id} ({e.type_label}): “{e.date.original}”" for e in tl.unparsed]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
