"""Property tests: FuzzyDate round-trips, interval ordering, no invented precision, bad text never raises."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trpkit.domain.fuzzy_dates import (
    DateStatus,
    FuzzyDate,
    Precision,
    format_fuzzy,
    parse_fuzzy,
    phrase_languages,
)
from trpkit.domain.timeline import TimelineItem, order_items

MEETING = date(2025, 6, 15)
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
years = st.integers(min_value=1950, max_value=2025)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def english_phrases(draw: st.DrawFn) -> str:
    """Canonical English phrases of every shape the formatter writes."""
    year = draw(years)
    month = draw(st.integers(1, 12))
    kind = draw(
        st.sampled_from(
            [
                "day",
                "month",
                "year",
                "season",
                "part_year",
                "part_month",
                "decade",
                "range_years",
                "range_months",
                "before",
                "after",
            ]
        )
    )
    if kind == "day":
        day = draw(st.integers(1, 28))
        core = f"{day} {MONTHS[month - 1]} {year}"
    elif kind == "month":
        core = f"{MONTHS[month - 1]} {year}"
    elif kind == "year":
        core = str(year)
    elif kind == "season":
        core = f"{draw(st.sampled_from(['spring', 'summer', 'autumn', 'winter']))} {year}"
    elif kind == "part_year":
        core = (
            f"{draw(st.sampled_from(['early', 'mid-', 'late']))}{'' if kind == 'x' else ' '}{year}".replace(
                "- ", "-"
            )
        )
    elif kind == "part_month":
        part = draw(st.sampled_from(["early ", "mid-", "late "]))
        core = f"{part}{MONTHS[month - 1]} {year}"
    elif kind == "decade":
        core = f"the {year // 10 * 10}s"
    elif kind == "range_years":
        core = f"between {year} and {year + draw(st.integers(1, 5))}"
    elif kind == "range_months":
        end = draw(st.integers(month, 12))
        if end == month:
            core = f"{MONTHS[month - 1]} {year}"
        else:
            core = f"between {MONTHS[month - 1]} and {MONTHS[end - 1]} {year}"
    elif kind == "before":
        core = f"before {MONTHS[month - 1]} {year}"
    else:
        core = f"after {year}"
    if kind not in ("before", "after") and draw(st.booleans()):
        core = ("roughly " if core.startswith("between") else "around ") + core
    if draw(st.booleans()):
        core = "possibly " + core
    return core


@given(english_phrases(), st.sampled_from(sorted(phrase_languages())))
@FAST
def test_format_then_parse_gives_the_same_date_in_every_language(phrase: str, language: str) -> None:
    fd = parse_fuzzy(phrase, "en", relative_to=MEETING)
    assert fd.is_parsed, phrase
    written = format_fuzzy(fd, language)
    back = parse_fuzzy(written, language, relative_to=MEETING)
    assert back.is_parsed, (phrase, written)
    assert (back.edtf, back.earliest, back.latest, back.precision, back.approximate, back.uncertain) == (
        fd.edtf,
        fd.earliest,
        fd.latest,
        fd.precision,
        fd.approximate,
        fd.uncertain,
    ), (phrase, written)


@given(english_phrases())
@FAST
def test_to_dict_round_trip(phrase: str) -> None:
    fd = parse_fuzzy(phrase, "en", relative_to=MEETING)
    assert FuzzyDate.from_dict(fd.to_dict()) == fd


@given(
    st.builds(
        FuzzyDate,
        original=st.text(max_size=30),
        language=st.sampled_from(["en", "fr", "es"]),
        edtf=st.none() | st.text(max_size=10),
        earliest=st.none() | st.dates(),
        latest=st.none() | st.dates(),
        precision=st.sampled_from(list(Precision)),
        approximate=st.booleans(),
        uncertain=st.booleans(),
        status=st.sampled_from(list(DateStatus)),
    )
)
@FAST
def test_to_dict_round_trip_any_value(fd: FuzzyDate) -> None:
    assert FuzzyDate.from_dict(fd.to_dict()) == fd


@given(st.text(max_size=60), st.sampled_from(["en", "fr", "es", "pt", "tl", "hu", "hi", "pa", "rom", "xx"]))
@FAST
def test_any_text_never_raises_and_keeps_the_words(text: str, language: str) -> None:
    fd = parse_fuzzy(text, language, relative_to=MEETING)
    assert fd.original == text
    if fd.is_parsed:
        assert fd.earliest is not None or fd.latest is not None
        if fd.earliest and fd.latest:
            assert fd.earliest <= fd.latest
    else:
        assert fd.earliest is None and fd.latest is None
        assert format_fuzzy(fd, "en") == text


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2025, 6, 1)))
@FAST
def test_month_and_year_never_become_a_day(d: date) -> None:
    fd = parse_fuzzy(f"{MONTHS[d.month - 1]} {d.year}")
    assert fd.precision is Precision.MONTH
    assert fd.earliest == d.replace(day=1)
    assert fd.latest is not None and fd.latest.month == d.month and (fd.latest.replace(day=1) == fd.earliest)
    assert format_fuzzy(fd) == f"{MONTHS[d.month - 1]} {d.year}"
    year = parse_fuzzy(str(d.year))
    assert (year.earliest, year.latest, year.precision) == (
        date(d.year, 1, 1),
        date(d.year, 12, 31),
        Precision.YEAR,
    )


@given(english_phrases())
@FAST
def test_around_widens_never_narrows(phrase: str) -> None:
    fd = parse_fuzzy(phrase, relative_to=MEETING)
    if fd.approximate or phrase.startswith("possibly") or fd.earliest is None or fd.latest is None:
        return
    around = parse_fuzzy(
        ("roughly " if phrase.startswith("between") else "around ") + phrase, relative_to=MEETING
    )
    assert around.approximate
    assert around.earliest is not None and around.latest is not None
    assert around.earliest <= fd.earliest and around.latest >= fd.latest


@given(years, years)
@FAST
def test_range_spans_both_ends(a: int, b: int) -> None:
    lo, hi = sorted((a, b))
    fd = parse_fuzzy(f"between {lo} and {hi}" if lo != hi else str(lo))
    assert fd.earliest == date(lo, 1, 1) and fd.latest == date(hi, 12, 31)


@given(st.lists(english_phrases(), min_size=2, max_size=8))
@FAST
def test_ordering_never_puts_a_certainly_later_event_first(phrases: list[str]) -> None:
    items = [TimelineItem(key=i, date=parse_fuzzy(p, relative_to=MEETING)) for i, p in enumerate(phrases)]
    ordered = order_items(items)
    assert sorted(i.key for i in ordered) == list(range(len(phrases)))
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            # if `second` certainly ended before `first` could begin, they are out of order
            if first.date.earliest and second.date.latest:
                assert not second.date.latest < first.date.earliest, (first, second)
