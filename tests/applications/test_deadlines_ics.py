"""The .ics writer: any text survives escaping and line folding, as read back by the icalendar library."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from trpkit.documents.calendar import deadline_summary, deadlines_ics, fold
from trpkit.services.deadlines_compute import DeadlineItem, compute_deadlines

text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=300)


@settings(max_examples=150, deadline=None)
@given(text, text, st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_any_text_round_trips(label: str, detail: str, due: date) -> None:
    item = DeadlineItem(
        "TRP-2026-0001",
        None,
        "document_expiry",
        due,
        "coming",
        3,
        detail,
        application_type="initial_trp",
        document=label,
    )
    raw = deadlines_ics([item], generated=date(2026, 1, 1))
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    event = next(iter(Calendar.from_ical(raw).walk("VEVENT")))
    assert str(event["summary"]) == f"TRP-2026-0001: {label} expires (initial TRP checklist)"
    assert str(event["description"]) == "TRP-2026-0001: document expires" + (f"\n{detail}" if detail else "")
    assert event.decoded("dtstart") == due and event.decoded("dtend") == due + timedelta(days=1)


@given(st.text(max_size=400))
def test_folding_keeps_every_character(line: str) -> None:
    folded = fold(line)
    assert folded.replace("\r\n ", "") == line
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))


def test_calendar_from_computed_deadlines_has_unique_uids() -> None:
    today = date(2026, 11, 28)
    permits = [
        ("TRP-2026-0001", 1, "initial_trp", date(2026, 6, 1), date(2027, 1, 10), date(2026, 5, 1)),
        ("TRP-2026-0002", 1, "owp_trp_holder", date(2026, 1, 1), date(2026, 12, 31), None),
    ]
    apps = [
        (
            "TRP-2026-0003",
            2,
            "subsequent_trp",
            "info_requested",
            date(2026, 11, 20),
            date(2026, 12, 5),
            date(2026, 9, 1),
        )
    ]
    items = compute_deadlines(permits, apps, today=today)
    calendar = Calendar.from_ical(deadlines_ics(items, generated=today))
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(items) == 6
    assert len({str(e["uid"]) for e in events}) == len(events)
    assert {str(e["summary"]).split(":")[0] for e in events} == {
        "TRP-2026-0001",
        "TRP-2026-0002",
        "TRP-2026-0003",
    }
    alarms = [c for e in events for c in e.walk("VALARM")]
    assert alarms and all(a.decoded("trigger") == timedelta(days=-7) for a in alarms)


def test_pr_eligibility_shows_until_the_pr_application_is_in() -> None:
    today = date(2026, 11, 28)
    permits = [
        ("TRP-2026-0009", 1, "initial_trp", date(2021, 12, 1), date(2022, 11, 30), None),
        ("TRP-2026-0009", 2, "subsequent_trp", date(2022, 12, 1), date(2027, 11, 30), date(2022, 10, 1)),
    ]
    eligible = [i for i in compute_deadlines(permits, [], today=today) if i.kind == "pr_eligible"]
    assert [(i.due, i.status) for i in eligible] == [(date(2026, 12, 1), "due")]
    applied = [
        ("TRP-2026-0009", 3, "pr_permit_holder", "submitted", date(2026, 11, 1), None, date(2026, 11, 1))
    ]
    assert not [i for i in compute_deadlines(permits, applied, today=today) if i.kind == "pr_eligible"]


def test_document_expiry_and_age_from_checklists() -> None:
    today = date(2026, 11, 28)
    docs = [
        ("TRP-2026-0004", "initial_trp", "identity-document", date(2025, 1, 1), date(2027, 1, 15)),
        ("TRP-2026-0004", "initial_trp", "photos", date(2026, 6, 10), None),
        ("TRP-2026-0005", "initial_trp", "photos", date(2026, 6, 10), None),
    ]
    rules = {
        ("initial_trp", "identity-document"): ("Identity document", None),
        ("initial_trp", "photos"): ("Two recent photos to IRCC's specifications", 180),
    }
    drafts = [("TRP-2026-0004", 1, "initial_trp", "draft", date(2026, 11, 1), None, None)]
    items = compute_deadlines([], drafts, today=today, documents=docs, document_rules=rules)
    found = [(i.case_code, i.kind, i.due) for i in items if i.kind.startswith("document")]
    # Photo age only matters while an application of that type is being drafted (case 0004, not 0005).
    assert found == [
        ("TRP-2026-0004", "document_age", date(2026, 12, 7)),
        ("TRP-2026-0004", "document_expiry", date(2027, 1, 15)),
    ]
    assert "Identity document expires" in next(
        deadline_summary(i) for i in items if i.kind == "document_expiry"
    )
