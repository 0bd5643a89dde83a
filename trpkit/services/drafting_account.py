"""The account, chronology and exhibits a letter shows, each piece in the letter's language."""

from __future__ import annotations

import dataclasses

from sqlalchemy.orm import Session

from trpkit.documents.context import EVENT_TYPES_FR, ChronologyItem, ExhibitData, QuoteItem, SummaryItem
from trpkit.domain import readiness as rules
from trpkit.services.actor import Actor
from trpkit.services.translations import Localiser


def _exhibits(session: Session, actor: Actor, code: str, loc: Localiser) -> list[ExhibitData]:
    from trpkit.services.evidence import list_evidence

    return [
        ExhibitData(
            row.exhibit_number,
            loc.text(
                f"exhibit:{row.exhibit_number}",
                row.description or row.type_label,
                f"title of exhibit {row.exhibit_number}",
            ),
            row.date,
            loc.text(
                f"exhibit-source:{row.exhibit_number}", row.source, f"source of exhibit {row.exhibit_number}"
            ),
            row.indicator_ids,
        )
        for row in list_evidence(session, actor, code)
    ]


def _narrative(
    session: Session, actor: Actor, code: str, quote_allowed: bool, loc: Localiser
) -> tuple[list[QuoteItem], list[SummaryItem], dict[int, int], int]:
    """(own words, summaries, passage number of each entry shown, own-words count) from the narrative.

    The letter numbers the passages of the account it shows (own words first when they may be quoted,
    then the summaries) so the argument can point to them: "account, passage 3".
    """
    from trpkit.domain.fuzzy_dates import DateStatus, FuzzyDate, Precision
    from trpkit.services import narrative

    entries = [e for e in narrative.list_entries(session, actor, code) if e.text.strip()]
    quotes: list[QuoteItem] = []
    summaries: list[SummaryItem] = []
    numbers: dict[int, int] = {}
    shown = [e for e in entries if e.kind == "own_words" and quote_allowed]
    shown += [e for e in entries if e.kind != "own_words"]
    for number, entry in enumerate(shown, start=1):
        numbers[entry.id] = number
        if entry.kind == "own_words":
            said = FuzzyDate(
                original=entry.meeting_date.isoformat(),
                edtf=entry.meeting_date.isoformat(),
                earliest=entry.meeting_date,
                latest=entry.meeting_date,
                precision=Precision.DAY,
                status=DateStatus.PARSED,
            )
            translation, translator = entry.translation, entry.translated_by
            if loc.active:  # the translation shown is into the letter's language, or none if spoken in it
                version = loc.quote(
                    f"entry:{entry.id}",
                    entry.text,
                    f"quote, passage {number}",
                    entry.language,
                    (entry.translation, entry.translated_by),
                )
                translation, translator = version or ("", "")
            quotes.append(QuoteItem(entry.text, said, translation, translator, number, entry.language))
        else:
            text = loc.text(f"entry:{entry.id}", entry.text, f"summary, passage {number}")
            summaries.append(SummaryItem(number, text))
    return quotes, summaries, numbers, sum(1 for e in entries if e.kind == "own_words")


def _timeline(
    session: Session, actor: Actor, code: str, language: str, loc: Localiser
) -> tuple[list[ChronologyItem], list[rules.EventIn], list[tuple[str, str]]]:
    """(chronology, readiness checks, (name, role) of people involved) from the timeline area."""
    from trpkit.services import timeline_view

    result = timeline_view.case_timeline(session, actor, code)
    items: list[ChronologyItem] = []
    checks: list[rules.EventIn] = []
    people: list[tuple[str, str]] = []
    for event in result.events:
        title, place = event.title.strip(), event.place.strip()
        what = f"event '{title or event.type_label}' ({event.date.original})"
        if title:  # the accompanier's words (title and place) are one piece to translate
            text = loc.text(f"event:{event.id}", f"{title} ({place})" if place else title, what)
        else:  # the type is named in the letter's language; the place is the piece
            label = EVENT_TYPES_FR.get(event.type, event.type_label) if language == "fr" else event.type_label
            text = f"{label} ({loc.text(f'event:{event.id}', place, what)})" if place else label
        when = event.date
        if loc.active and not event.date.is_parsed:  # a date kept in the words said is content too
            said = loc.text(f"event-date:{event.id}", event.date.original, f"date of {what}")
            when = dataclasses.replace(event.date, original=said)
        items.append(ChronologyItem(when, text))
        checks.append(
            rules.EventIn(
                event.title.strip() or event.type_label,
                event.date.original,
                event.date.is_parsed,
                "; ".join(event.conflict_reasons),
            )
        )
        for role, names in event.people.items():
            people += [(name, role) for name in names if name.strip()]
    return items, checks, people
