"""The account, chronology and exhibits a letter shows, each piece in the letter's language."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from trpkit.documents.context import EVENT_TYPES_FR, ChronologyItem, ExhibitData, QuoteItem, SummaryItem
from trpkit.domain import readiness as rules
from trpkit.services.drafting_source import LetterSource
from trpkit.services.translations import Localiser

if TYPE_CHECKING:
    from trpkit.services.narrative import NarrativeEntryRow
    from trpkit.services.timeline import TimelineEventRow


@dataclass(frozen=True)
class Account:
    """The narrative as the letter shows it, its passages numbered so the argument can cite them."""

    quotes: tuple[QuoteItem, ...]  # own words, when the person consented to quoting them
    summaries: tuple[SummaryItem, ...]
    passages: dict[int, int]  # narrative entry id -> passage number in the letter
    own_words_count: int  # every own-words entry, shown or not (readiness asks about consent)


@dataclass(frozen=True)
class Chronology:
    """The timeline as the letter shows it, what readiness checks about it, and the people it names."""

    items: tuple[ChronologyItem, ...]
    checks: tuple[rules.EventIn, ...]
    people: tuple[tuple[str, str], ...]  # (name, role) of everyone involved: the redactor hides them


def exhibits_for_letter(source: LetterSource) -> tuple[ExhibitData, ...]:
    from trpkit.services.evidence import list_evidence

    loc = source.loc
    return tuple(
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
        for row in list_evidence(source.session, source.actor, source.code)
    )


def account_for_letter(source: LetterSource, quote_allowed: bool) -> Account:
    """Own words (first, when they may be quoted), then summaries, numbered as passages.

    The letter numbers the passages of the account it shows so the argument can point to them:
    "account, passage 3".
    """
    from trpkit.services import narrative

    entries = [e for e in narrative.list_entries(source.session, source.actor, source.code) if e.text.strip()]
    quotes: list[QuoteItem] = []
    summaries: list[SummaryItem] = []
    numbers: dict[int, int] = {}
    shown = [e for e in entries if e.kind == "own_words" and quote_allowed]
    shown += [e for e in entries if e.kind != "own_words"]
    for number, entry in enumerate(shown, start=1):
        numbers[entry.id] = number
        if entry.kind == "own_words":
            quotes.append(_quote(entry, number, source.loc))
        else:
            text = source.loc.text(f"entry:{entry.id}", entry.text, f"summary, passage {number}")
            summaries.append(SummaryItem(number, text))
    own_words = sum(1 for e in entries if e.kind == "own_words")
    return Account(tuple(quotes), tuple(summaries), numbers, own_words)


def _quote(entry: NarrativeEntryRow, number: int, loc: Localiser) -> QuoteItem:
    """The person's own words, dated the day they said them, with the translation the letter shows."""
    from trpkit.domain.fuzzy_dates import DateStatus, FuzzyDate, Precision

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
    return QuoteItem(entry.text, said, translation, translator, number, entry.language)


def chronology_for_letter(source: LetterSource) -> Chronology:
    """The chronology, the readiness checks of its dates, and the people involved, from the timeline."""
    from trpkit.services import timeline_view

    result = timeline_view.case_timeline(source.session, source.actor, source.code)
    items: list[ChronologyItem] = []
    checks: list[rules.EventIn] = []
    people: list[tuple[str, str]] = []
    for event in result.events:
        items.append(_chronology_item(event, source))
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
    return Chronology(tuple(items), tuple(checks), tuple(people))


def _chronology_item(event: TimelineEventRow, source: LetterSource) -> ChronologyItem:
    loc = source.loc
    title, place = event.title.strip(), event.place.strip()
    what = f"event '{title or event.type_label}' ({event.date.original})"
    if title:  # the accompanier's words (title and place) are one piece to translate
        text = loc.text(f"event:{event.id}", f"{title} ({place})" if place else title, what)
    else:  # the type is named in the letter's language; the place is the piece
        fr = source.language == "fr"
        label = EVENT_TYPES_FR.get(event.type, event.type_label) if fr else event.type_label
        text = f"{label} ({loc.text(f'event:{event.id}', place, what)})" if place else label
    when = event.date
    if loc.active and not event.date.is_parsed:  # a date kept in the words said is content too
        said = loc.text(f"event-date:{event.id}", event.date.original, f"date of {what}")
        when = dataclasses.replace(event.date, original=said)
    return ChronologyItem(when, text)
