"""One timeline per demo case, from which every dated thing in the case file is written.

Quotes, chronology events, exhibits and meetings all read their dates from the case's :class:`Story`, so a
demo file never says the person arrived in May and had the passport taken the summer before. The story has
its own random source seeded from the case's code (string seeds are stable across runs), so it is the
same whichever generator asks first and the shared random stream is not disturbed by asking.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import date, timedelta

from babel.dates import get_month_names

from trpkit.demo import DemoCase

# Month names from CLDR (Babel), as each language writes them ("janvier", "agosto", "May").
MONTHS = {
    language: [get_month_names("wide", locale=language)[n] for n in range(1, 13)]
    for language in ("en", "es", "pt", "fr")
}


@dataclass(frozen=True)
class Story:
    """What happened, in order: each date is after the one before (``moved`` may be None)."""

    recruitment: date
    departure: date
    arrival: date
    documents_taken: date
    start_work: date
    debt: date
    moved: date | None
    escape: date
    contact: date  # first contact with the NGO; the first meeting is on or after it

    def on(self, event: str) -> date | None:
        return {
            "recruitment": self.recruitment,
            "departure": self.departure,
            "arrival_canada": self.arrival,
            "documents_taken": self.documents_taken,
            "start_work": self.start_work,
            "debt": self.debt,
            "change_employer": self.moved,
            "escape": self.escape,
            "ngo_meeting": self.contact,
        }[event]


def month_phrase(day: date, language: str = "en") -> str:
    """How a month is written in the file ("May 2025", "mayo de 2025", "maio de 2025", "mai 2025")."""
    name = MONTHS[language][day.month - 1]
    return f"{name} de {day.year}" if language in ("es", "pt") else f"{name} {day.year}"


def between(rng: random.Random, low: date, high: date) -> date:
    """A day in [low, high] (low when the range is empty)."""
    return low + timedelta(days=rng.randint(0, max(0, (high - low).days)))


@functools.lru_cache(maxsize=20000)
def story_of(case: DemoCase, today: date) -> Story:
    rng = random.Random(f"demo-story:{case.code}:{case.nationality}:{case.arrival_year}")
    # first contact is when the file was opened (its applications start after it), else in the last year
    contact = case.opened or today - timedelta(days=rng.randint(30, 400))
    escape = contact - timedelta(days=rng.randint(5, 60))
    if (escape.year, escape.month) == (contact.year, contact.month):  # a month-precise escape must read
        escape = contact.replace(day=1) - timedelta(
            days=1 + (contact - escape).days % 20
        )  # as before contact
    latest_arrival = escape - timedelta(days=rng.randint(150, 400))  # months of work before escaping
    year = min(case.arrival_year, latest_arrival.year)
    arrival = min(date(year, rng.randint(1, 12), rng.randint(1, 28)), latest_arrival)
    departure = arrival - timedelta(days=rng.randint(1, 12))
    recruitment = departure - timedelta(days=rng.randint(60, 240))
    documents_taken = arrival + timedelta(days=rng.randint(2, 20))
    start_work = documents_taken + timedelta(days=rng.randint(0, 10))
    debt = start_work + timedelta(days=rng.randint(30, 100))
    moved = (
        between(rng, debt + timedelta(days=20), escape - timedelta(days=20)) if rng.random() < 0.4 else None
    )
    if moved is not None and not debt < moved < escape:
        moved = None
    return Story(recruitment, departure, arrival, documents_taken, start_work, debt, moved, escape, contact)
