"""Ordering under uncertainty, conflicts, gaps and the range bar."""

from __future__ import annotations

from datetime import date

import pytest

from trpkit.domain.fuzzy_dates import FuzzyDate, parse_fuzzy
from trpkit.domain.timeline import (
    TimelineItem,
    certainly_before,
    find_conflicts,
    find_gaps,
    order_items,
    range_bar,
)


def item(key: str, text: str, event_type: str = "other", **kw: object) -> TimelineItem:
    return TimelineItem(
        key=key, date=parse_fuzzy(text, relative_to=date(2025, 6, 15)), event_type=event_type, **kw
    )  # type: ignore[arg-type]


def test_order_by_interval_with_unparsed_last() -> None:
    items = [
        item("c", "2020"),
        item("x", "the day the boss shouted"),
        item("a", "spring 2018"),
        item("b", "between 2018 and 2019"),
    ]
    assert [i.key for i in order_items(items)] == ["a", "b", "c", "x"]


def test_departure_after_arrival_is_a_conflict() -> None:
    items = [item("dep", "2020", "departure"), item("arr", "March 2019", "arrival_canada")]
    conflicts = find_conflicts(items)
    assert len(conflicts) == 1
    assert (conflicts[0].first_key, conflicts[0].second_key) == ("dep", "arr")
    assert "Departure must come before arrival in Canada" in conflicts[0].reason


def test_overlapping_uncertain_dates_are_not_a_conflict() -> None:
    # "around 2019" might be before March 2019: the person's approximate memory is not an inconsistency
    items = [item("dep", "around 2019", "departure"), item("arr", "March 2019", "arrival_canada")]
    assert find_conflicts(items) == []


def test_explicit_after_link_and_birth() -> None:
    items = [item("a", "2015"), item("b", "2012", after_keys=("a",)), item("c", "1985")]
    conflicts = find_conflicts(items, birth=parse_fuzzy("1990"), told_on=date(2025, 6, 15))
    reasons = {(c.first_key, c.second_key): c.reason for c in conflicts}
    assert reasons[("a", "b")] == "said to happen after this event"
    assert reasons[("c", "c")] == "dated before the person's birth"
    future = find_conflicts([item("f", "2030")], told_on=date(2025, 6, 15))
    assert future[0].reason == "dated after the day it was told"


def test_gaps_between_events() -> None:
    ordered = order_items([item("a", "January 2018"), item("b", "February 2018"), item("c", "2020")])
    gaps = find_gaps(ordered, min_days=180)
    assert len(gaps) == 1
    assert (gaps[0].after_key, gaps[0].before_key) == ("b", "c")
    assert gaps[0].start == date(2018, 3, 1) and gaps[0].end == date(2019, 12, 31)
    assert find_gaps(ordered, min_days=800) == []


def test_certainly_before_needs_both_bounds() -> None:
    assert certainly_before(parse_fuzzy("2017"), parse_fuzzy("2018"))
    assert not certainly_before(parse_fuzzy("2017"), parse_fuzzy("around 2018"))
    assert not certainly_before(FuzzyDate.unparsed("?"), parse_fuzzy("2018"))


def test_range_bar_shows_uncertainty() -> None:
    lo, hi = date(2018, 1, 1), date(2020, 12, 31)
    year = range_bar(parse_fuzzy("2019"), lo, hi, 30)
    assert len(year) == 30 and set(year.strip()) == {"█"}
    day = range_bar(parse_fuzzy("14 March 2019"), lo, hi, 30)
    assert day.count("│") == 1
    around = range_bar(parse_fuzzy("around 2019"), lo, hi, 30)
    assert "▒" in around and len(around.strip()) > len(year.strip())
    assert range_bar(parse_fuzzy("before 2019"), lo, hi, 30).startswith("…")
    assert range_bar(FuzzyDate.unparsed("when it snowed"), lo, hi, 30).strip() == "?"
    with pytest.raises(ValueError):
        range_bar(parse_fuzzy("2019"), lo, hi, 2)


def test_date_suggestions_in_narrative_text() -> None:
    from trpkit.domain.fuzzy_dates import find_date_phrases

    text = (
        "I left around the end of March 2019 with a recruiter. Two weeks later we crossed. In the summer of "
        "2020 the boss took my passport. I worked there for a few hours at a time, and by and in 2016 nothing. "
        "Last November I finally got out, about three months ago."
    )
    found = find_date_phrases(text, "en", relative_to=date(2025, 6, 15))
    assert [(p.phrase, p.date.edtf) for p in found] == [
        ("around the end of March 2019", "2019-03-21~/2019-03-31~"),
        ("summer of 2020", "2020-22"),
        ("2016", "2016"),
        ("Last November", "2024-11"),
        ("three months ago", "2025-03~"),
    ]
    assert all(text[p.start : p.end] == p.phrase for p in found)
    es = find_date_phrases(
        "Salí a finales de marzo de 2019. Hace dos años escapé. Trabajé tres horas.",
        "es",
        relative_to=date(2025, 6, 15),
    )
    assert [p.phrase for p in es] == ["finales de marzo de 2019", "Hace dos años"]
    tl = find_date_phrases("Umalis ako noong 14 Marso 2019.", "tl", relative_to=date(2025, 6, 15))
    assert [(p.phrase, p.date.edtf) for p in tl] == [("14 Marso 2019", "2019-03-14")]
    assert find_date_phrases("", "en") == []
