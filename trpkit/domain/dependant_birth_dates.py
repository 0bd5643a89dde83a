"""A dependant's date of birth as given: a date phrase ("around 2015") or an age ("aged 9"), and the
interval of days those words allow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_AGE = re.compile(
    r"^(?P<approx>about|around|approx\.?|approximately|roughly|circa|ca\.?|~)?\s*"
    r"(?:(?:aged?|age)\s+)?(?P<n>\d{1,3})\s*(?:(?:years?|yrs?|y)(?:\s+old)?|(?:ans?))?$",
    re.IGNORECASE,
)
_AGE_WORDS = re.compile(r"\b(age|aged|years?|yrs?|old|ans?)\b|^\s*(about|around|approx)", re.IGNORECASE)


@dataclass(frozen=True)
class BirthDate:
    """A date of birth as given, and the interval of days it allows (None when the words were not read)."""

    text: str = ""
    earliest: date | None = None
    latest: date | None = None

    @property
    def understood(self) -> bool:
        return self.earliest is not None or self.latest is not None

    def age_on(self, on: date) -> tuple[int, int] | None:
        """Youngest and oldest age the person can be on ``on``, or None when unknown."""
        if self.earliest is None or self.latest is None:
            return None
        return _years(self.latest, on), _years(self.earliest, on)


def _years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _years_before(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def parse_birth_date(text: str, today: date) -> BirthDate:
    """Read a date of birth: any phrase the fuzzy-date reader knows, or an age ("9", "aged 9", "about 9
    years old"), which is turned into the interval of birth dates it allows as of ``today``."""
    from trpkit.domain.fuzzy_dates import parse_fuzzy

    cleaned = " ".join(str(text or "").split())
    if not cleaned:
        return BirthDate()
    match = _AGE.match(cleaned)
    if (
        match
        and (len(match.group("n")) < 3 or _AGE_WORDS.search(cleaned))
        and not re.fullmatch(r"\d{3,4}", cleaned)
    ):
        age = int(match.group("n"))
        spread = 1 if match.group("approx") else 0
        earliest = _years_before(today, age + 1 + spread) + timedelta(days=1)
        latest = _years_before(today, max(age - spread, 0))
        return BirthDate(cleaned, earliest, latest)
    fuzzy = parse_fuzzy(cleaned, relative_to=today)
    return BirthDate(cleaned, fuzzy.earliest, fuzzy.latest)
