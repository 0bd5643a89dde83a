"""Unlinked cues and contradictions: pure rules on demo-like data, the service on both backends, the CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trpkit.db.database import Database
from trpkit.domain.contradictions import EntryDate, EventFact, ExhibitFact, Span, find_contradictions
from trpkit.errors import AccessDenied, NotFound, UsageError
from trpkit.services import case_review as cr
from trpkit.services import evidence as ev
from trpkit.services import indicators as ind
from trpkit.services import narrative as nar
from trpkit.services import narrative_meetings, timeline_suggestions
from trpkit.services import timeline as tl
from trpkit.services.actor import Actor
from trpkit.services.cases import update_case


def _span(a: date | None, b: date | None = None, text: str = "") -> Span:
    return Span(a, b or a, text or (a.isoformat() if a else "undated"))


# ------------------------------------------------------------------------------ pure rules


def test_exhibit_dated_before_the_event_it_documents() -> None:
    event = EventFact(1, "violence", "Beaten", _span(date(2024, 5, 10)), "", (7,), "chronology event 1")
    early = ExhibitFact(3, "Photo of bruises", _span(date(2024, 4, 1)), (7,))
    later = ExhibitFact(4, "Clinic note", _span(date(2024, 5, 11)), (7,))
    unrelated = ExhibitFact(5, "Pay stub", _span(date(2020, 1, 1)), (9,))
    found = find_contradictions([event], [early, later, unrelated], [])
    assert [(c.code, c.first) for c in found] == [("exhibit-before-event", "exhibit 3")]
    assert "Exhibit 3" in found[0].message and "chronology event 1" in found[0].message


def test_an_exhibit_supporting_the_same_indicator_contradicts_only_if_before_every_such_event() -> None:
    may = EventFact(1, "violence", "Beaten", _span(date(2024, 5, 10)), "", (7,), "event 1", ("5.04",))
    jan = EventFact(2, "violence", "Pushed", _span(date(2024, 1, 2)), "", (8,), "event 2", ("5.04",))
    note = ExhibitFact(3, "Clinic note", _span(date(2024, 2, 1)), (), ("5.04",))
    assert find_contradictions([may, jan], [note], []) == []
    found = find_contradictions([may], [note], [])
    assert [(c.first, c.second) for c in found] == [("exhibit 3", "event 1")]


def test_fuzzy_dates_that_overlap_never_contradict() -> None:
    spring = EventFact(
        1, "arrival_canada", "", _span(date(2023, 3, 20), date(2023, 6, 20), "spring 2023"), "", (), "event 1"
    )
    april = EventFact(
        2, "arrival_canada", "", _span(date(2023, 4, 1), date(2023, 4, 30), "April 2023"), "", (), "event 2"
    )
    assert find_contradictions([spring, april], [], []) == []
    july = EventFact(3, "arrival_canada", "", _span(date(2023, 7, 2)), "", (), "event 3")
    found = find_contradictions([spring, july], [], [])
    assert [c.code for c in found] == ["once-event"] and "two dates for the arrival in Canada" in found[
        0
    ].message


def test_two_passages_giving_different_dates_for_one_event() -> None:
    event = EventFact(
        1,
        "escape",
        "Left the farm",
        _span(date(2024, 8, 1), date(2024, 8, 31)),
        "",
        (1, 2),
        "chronology event 1",
    )
    a = EntryDate(1, "meeting 1, entry 1", "in August 2024", _span(date(2024, 8, 1), date(2024, 8, 31)), 1)
    b = EntryDate(2, "meeting 2, entry 1", "at Christmas", _span(date(2024, 12, 25)), 1)
    codes = {(c.code, c.first, c.second) for c in find_contradictions([event], [], [a, b])}
    assert ("passages-disagree", "meeting 1, entry 1", "meeting 2, entry 1") in codes
    assert ("passage-date", "meeting 2, entry 1", "chronology event 1") in codes


def test_place_and_sector_told_two_ways() -> None:
    a = EventFact(1, "arrival_canada", "", _span(None), "Toronto", (), "event 1")
    b = EventFact(2, "arrival_canada", "", _span(None), "Montréal", (), "event 2")
    same = EventFact(3, "arrival_canada", "", _span(None), "toronto pearson", (), "event 3")
    found = find_contradictions([a, b, same], [], [])
    assert {(c.first, c.second) for c in found} == {("event 1", "event 2"), ("event 2", "event 3")}
    sector = find_contradictions([], [], [], "agriculture", [("event 4", {"hospitality"})], {})
    assert [c.code for c in sector] == ["sector"]
    assert find_contradictions([], [], [], "agriculture", [("event 4", {"agriculture", "hospitality"})]) == []
    assert find_contradictions([], [], [], "unknown", [("event 4", {"hospitality"})]) == []


# ------------------------------------------------------------------------------ the service


def _story(db: Database, actor: Actor, code: str) -> dict[str, int]:
    with db.session() as s:
        meeting = narrative_meetings.add_meeting(s, actor, code, held_on=date(2026, 3, 4))
        e1 = nar.add_entry(
            s,
            actor,
            code,
            meeting.id,
            "When we arrived they kept my passport. We worked from six in the morning until late at night, "
            "seven days a week.",
        )
        e2 = nar.add_entry(s, actor, code, meeting.id, "No podía salir de la granja.", language="es")
        e3 = nar.add_entry(s, actor, code, meeting.id, "They never hit me.")
        e4 = nar.add_entry(s, actor, code, meeting.id, "In May the boss hit me.")
        beaten = tl.add_event(
            s, actor, code, event_type="violence", date_text="May 2024", title="Beaten", entry_ids=[e4.id]
        )
        e5 = nar.add_entry(s, actor, code, meeting.id, "We landed in Toronto in October 2023.")
        tl.add_event(
            s,
            actor,
            code,
            event_type="arrival_canada",
            date_text="March 2023",
            place="Toronto",
            entry_ids=[e5.id],
        )
        tl.add_event(s, actor, code, event_type="arrival_canada", date_text="October 2023", place="Toronto")
        tl.add_event(
            s,
            actor,
            code,
            event_type="start_work",
            date_text="April 2023",
            title="Started in the restaurant kitchen",
        )
        ev.add_evidence(
            s,
            actor,
            code,
            type="medical_report",
            description="Clinic note on bruises",
            date_text="January 2024",
        )
        ind.link_indicator(s, actor, code, "AL-5.04", exhibit=1)
        ind.link_indicator(s, actor, code, "AL-5.04", narrative_entry_id=e4.id)
        ev.add_evidence(s, actor, code, type="contract", description="Contract: picker at Fictive Berry Farm")
        ev.add_evidence(s, actor, code, type="pay_record", description="Pay stubs from the hotel")
        update_case(s, actor, code, exploitation_sector="agriculture")
        timeline_suggestions.suggest_dates(s, actor, code)  # "October 2023" in entry e5: an open date phrase
    return {"e1": e1.id, "e2": e2.id, "e3": e3.id, "beaten": beaten.id}


def test_suggestions_name_the_passage_and_the_indicator(db: Database, actor: Actor, new_case) -> None:
    code = new_case()
    ids = _story(db, actor, code)
    with db.session() as s:
        result = cr.review(s, actor, code)
    by_id = {x.id: x for x in result.suggestions}
    assert {f"E{ids['e1']}-5.01", f"E{ids['e1']}-4.01", f"E{ids['e2']}-5.03"} <= set(by_id)
    assert not any(x.entry_id == ids["e3"] for x in result.suggestions)  # "never hit me"
    first = by_id[f"E{ids['e1']}-5.01"]
    assert first.passage == "meeting 1 (2026-03-04), entry 1" and first.indicator_id == "AL-5.01"
    assert "kept my passport" in first.excerpt and first.indicator_present is False
    assert by_id[f"E{ids['e2']}-5.03"].language == "es"
    assert {c.code for c in result.contradictions} >= {"exhibit-before-event", "once-event", "sector"}
    (dated,) = [c for c in result.contradictions if c.code == "passage-date"]
    assert dated.first == "meeting 1 (2026-03-04), entry 5" and "October 2023" in dated.message
    sectors = {c.second for c in result.contradictions if c.code == "sector"}
    assert "exhibit 3" in sectors and "exhibit 2" not in sectors  # the hotel, not the farm


def test_linked_passages_are_not_suggested_and_accepting_links(db: Database, actor: Actor, new_case) -> None:
    code = new_case()
    ids = _story(db, actor, code)
    with db.session() as s:
        ind.link_indicator(s, actor, code, "AL-5.01", narrative_entry_id=ids["e1"])
    with db.session() as s:
        open_ids = {x.id for x in cr.review(s, actor, code).suggestions}
    assert f"E{ids['e1']}-5.01" not in open_ids and f"E{ids['e1']}-4.01" in open_ids
    with db.session() as s:
        rows = cr.accept_suggestion(s, actor, code, f"e{ids['e1']}-4.01")
    assert [(r.indicator_id, r.narrative_entry_id, r.status) for r in rows] == [
        ("AL-4.01", ids["e1"], "present")
    ]
    with db.session() as s:
        assert f"E{ids['e1']}-4.01" not in {x.id for x in cr.review(s, actor, code).suggestions}
    with pytest.raises(NotFound, match="no open suggestion"), db.session() as s:
        cr.accept_suggestion(s, actor, code, f"E{ids['e1']}-4.01")
    with pytest.raises(UsageError, match="not a suggestion id"), db.session() as s:
        cr.accept_suggestion(s, actor, code, "passport")


def test_readiness_lists_suggestions_and_contradictions_as_warnings(
    db: Database, actor: Actor, new_case
) -> None:
    from trpkit.services.drafting import readiness

    code = new_case()
    _story(db, actor, code)
    with db.session() as s:
        report = readiness(s, actor, code, template="trp-initial")
    mine = [f for f in report.findings if f.code in ("indicator-suggested", "contradiction")]
    assert {f.code for f in mine} == {"indicator-suggested", "contradiction"}
    assert all(not f.is_blocker for f in mine)
    assert any("Meeting 1 (2026-03-04), entry 1 reads like indicator AL-5.01" in f.message for f in mine)
    assert any("trpkit indicators accept" in f.fix for f in mine)


def test_other_accompaniers_cannot_review(db: Database, actor: Actor, new_case, make_actor) -> None:
    code = new_case()
    other = make_actor(db, "bo", "accompanier")
    with pytest.raises(AccessDenied), db.session() as s:
        cr.review(s, other, code)
    with pytest.raises(AccessDenied), db.session() as s:
        cr.accept_suggestion(s, other, code, "E1-5.01")


# ------------------------------------------------------------------------------ the CLI, in process


def test_cli_suggest_and_accept(vault_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from tests.conftest import TEST_PASSPHRASE, _make_actor
    from trpkit.cli import cli
    from trpkit.services.cases import create_case
    from trpkit.services.consent import record_consent

    actor = _make_actor(vault_db, "ana", "supervisor")
    with vault_db.session() as s:
        code = create_case(s, actor, person={"legal_name": "Test Fictional"}).code
        record_consent(s, actor, code, purpose="prepare_file", decision="given", method="written")
    ids = _story(vault_db, actor, code)
    path = vault_db.target.vault_path if hasattr(vault_db, "target") else None
    assert path is not None
    vault_db.close()
    monkeypatch.setenv("TRPKIT_PASSPHRASE", TEST_PASSPHRASE)
    runner = CliRunner()
    base = ["--vault", str(path), "--user", "ana", "indicators"]
    shown = runner.invoke(cli, [*base, "suggest", code, "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    assert f"E{ids['e1']}-5.01" in {x["id"] for x in data["suggestions"]}
    assert data["contradictions"] and data["framework"] == "delphi-adult-labour"
    text = runner.invoke(cli, [*base, "suggest", code])
    assert "meeting 1 (2026-03-04), entry 1" in text.output and "contradiction(s)" in text.output
    accepted = runner.invoke(cli, [*base, "accept", code, f"E{ids['e1']}-5.01,E{ids['e2']}-5.03"])
    assert accepted.exit_code == 0, accepted.output
    assert "AL-5.01 present" in accepted.output and "AL-5.03 present" in accepted.output
    bad = runner.invoke(cli, [*base, "accept", code, "E999-5.01"])
    assert bad.exit_code == 2 and "no open suggestion" in bad.output


_DAY = st.dates(date(2015, 1, 1), date(2026, 12, 31))


@given(_DAY, st.integers(0, 400), st.integers(0, 400), st.integers(0, 400))
def test_fuzzy_ranges_contradict_exactly_when_they_cannot_overlap(
    start: date, a: int, gap: int, b: int
) -> None:
    from datetime import timedelta

    first = _span(start, start + timedelta(days=a))
    overlapping = _span(start + timedelta(days=min(gap, a)), start + timedelta(days=a + b))
    later = _span(start + timedelta(days=a + gap + 1), start + timedelta(days=a + gap + 1 + b))

    def events(x: Span, y: Span) -> list[EventFact]:
        return [
            EventFact(1, "escape", "", x, "", (), "event 1"),
            EventFact(2, "escape", "", y, "", (), "event 2"),
        ]

    assert find_contradictions(events(first, overlapping), [], []) == []
    assert [c.code for c in find_contradictions(events(first, later), [], [])] == ["once-event"]
