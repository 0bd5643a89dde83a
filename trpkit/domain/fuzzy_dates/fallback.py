"""The dateparser fallback for phrases the phrase files do not know."""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from trpkit.domain.fuzzy_dates.arithmetic import add_months
from trpkit.domain.fuzzy_dates.model import Precision
from trpkit.domain.fuzzy_dates.phrases import dateparser_languages
from trpkit.domain.fuzzy_dates.resolved import _R, _Ctx, _day, _month, _year


@lru_cache(maxsize=32)
def _date_data_parser(language: str, base: date, order: str | None) -> Any:
    from dateparser.date import DateDataParser  # imported lazily: ~50 ms, not needed at start-up

    settings: dict[str, Any] = {
        # never let dateparser fill a missing day or month from today: take the first, and keep the parts
        "PREFER_DAY_OF_MONTH": "first",
        "PREFER_MONTH_OF_YEAR": "first",
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": datetime(base.year, base.month, base.day),
    }
    if order:
        settings["DATE_ORDER"] = order
    return DateDataParser(languages=[language], settings=settings)


@lru_cache(maxsize=64)
def _month_names(language: str) -> dict[str, int]:
    from dateparser.languages.loader import default_loader

    info = default_loader.get_locale(language).info
    names: dict[str, int] = {}
    for number, key in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        1,
    ):
        for name in info.get(key, []):
            names[unicodedata.normalize("NFC", name).casefold().rstrip(".")] = number
    return names


def _month_named(s: str, language: str) -> int | None:
    """The month whose name (in dateparser's data for the language) is a word of ``s``, if exactly one."""
    names = _month_names(language)
    found = {
        names[w] for w in re.split(r"[\s,.;:/()-]+", unicodedata.normalize("NFC", s).casefold()) if w in names
    }
    if not found and language != "en":
        return None
    return found.pop() if len(found) == 1 else None


def _dateparser(s: str, ctx: _Ctx) -> _R | None:
    """Fall back on dateparser (language given), keeping only the parts the text really had."""
    if ctx.language not in dateparser_languages() or not re.search(r"[^\W\d_]", s):
        return None
    parser = _date_data_parser(ctx.language, ctx.base, ctx.data.date_order if ctx.data else None)
    found = parser.get_date_data(s)
    if found is None or found.date_obj is None:
        return None
    d = found.date_obj.date()
    parts = set(getattr(found, "parts", ()) or ())
    period = found.period or "day"
    relative = not re.search(r"\d{4}", s) and "year" in parts
    if not parts or parts <= {"day"}:
        return None  # a bare day number: month and year would be invented
    if not relative and "month" in parts:
        # dateparser can misread a month it does not know (it folds some vowel signs away: Punjabi
        # "ਜੂਨ" June came back as January): keep the month only if its name is really in the text
        said = _month_named(s, ctx.language)
        numeric = re.search(r"\d{1,2}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{2,4}|\d{4}\s*[./-]\s*\d{1,2}", s)
        if said is None and numeric:
            pass  # the month was written as a number
        elif said is None:
            parts -= {"month", "day"}
            period = "year"
        elif said != d.month:
            d = d.replace(month=said, day=min(d.day, calendar.monthrange(d.year, said)[1]))
    if period in ("day", "time") and "day" in parts:
        r = _day(d)
    elif period == "week":
        r = _R(d - timedelta(days=3), d + timedelta(days=3), Precision.DAY, d.isoformat(), approximate=True)
    elif period == "month":
        r = _month(d.year, d.month)
        if relative:
            r = replace(r, approximate=True)
    elif period == "year":
        r = _year(d.year)
        if relative:
            lo, hi = (
                add_months(ctx.base, -12 * (ctx.base.year - d.year) - 6),
                add_months(ctx.base, -12 * (ctx.base.year - d.year) + 6),
            )
            r = _R(lo, hi, Precision.YEAR, f"{d.year:04d}", approximate=True)
    else:
        return None
    return replace(r, has_year="year" in parts)
