"""A demo case file holds together: translations of the right sentences, one timeline, its own dependants'
names, one sector, and no contradiction for the readiness check to find (except the planted ones)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from functools import cache

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from trpkit.db.models import ApplicationStageEvent, Person
from trpkit.db.models.evidence import EvidenceItem
from trpkit.db.models.narrative import NarrativeEntry, NarrativeMeeting, TimelineEvent
from trpkit.demo import DemoCase, generate
from trpkit.demo.evidence import DOCUMENTS
from trpkit.demo.narrative import PLANTED
from trpkit.demo.phrases import PLACES, QUOTES, SOMEWHERE, SUMMARIES, WORK_TITLES, Phrase
from trpkit.demo.story import MONTHS, Story, story_of
from trpkit.domain.cues import Cue, sectors_mentioned
from trpkit.domain.dependant_relationships import Relationship
from trpkit.domain.dependants import from_stored_list
from trpkit.loading.cues import cue_book
from trpkit.services.actor import Actor
from trpkit.services.case_review import review

TODAY = date(2026, 12, 2)
BANK: tuple[Phrase, ...] = QUOTES + SUMMARIES
MONTH_WORDS = {lang: {name.lower(): i + 1 for i, name in enumerate(names)} for lang, names in MONTHS.items()}


@cache
def _pattern(index: int, language: str) -> re.Pattern[str] | None:
    template = BANK[index].text.get(language)
    if template is None:
        return None
    template = template[:1].upper() + template[1:] if not template.startswith("{") else template
    parts = re.split(r"(\{when\}|\{place\})", template)
    body = "".join(
        "(?P<when>[^.;]+?)" if p == "{when}" else "(?P<place>[^.;]+?)" if p == "{place}" else re.escape(p)
        for p in parts
    )
    return re.compile(body + r"(?: |$)", re.IGNORECASE)


def _parse(text: str, language: str) -> list[tuple[int, str]] | None:
    """The bank entries a text is made of, in order, each with its date phrase (None: not from the bank)."""
    if not text:
        return []
    for index in range(len(BANK)):
        pattern = _pattern(index, language)
        match = pattern.match(text) if pattern else None
        if match:
            rest = _parse(text[match.end() :], language)
            if rest is not None:
                return [(index, match.groupdict().get("when") or ""), *rest]
    return None


def _month(phrase: str, language: str) -> tuple[int, int] | None:
    """(year, month) of "in May 2025", "em maio de 2025", "en mai 2025"."""
    found = re.search(r"(\w+)(?: de)? (\d{4})", phrase)
    if not found or found.group(1).lower() not in MONTH_WORDS[language]:
        return None
    return int(found.group(2)), MONTH_WORDS[language][found.group(1).lower()]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, _template_vault):  # type: ignore[no-untyped-def]
    import shutil

    from trpkit.db.database import open_target
    from trpkit.db.engine import Target
    from trpkit.services.users import actor_for, create_user

    path, key = _template_vault
    copy = tmp_path_factory.mktemp("coherence") / "demo.trpvault"
    shutil.copy(path, copy)
    database = open_target(Target(vault_path=copy), key=key)
    with database.session() as s:
        create_user(s, "demo", role="supervisor")
        actor = actor_for(s, "demo")
        cases = generate(s, actor, 40, seed=2026, today=TODAY)
    yield database, actor, cases
    database.close()


def _stories(cases: list[DemoCase]) -> dict[int, tuple[DemoCase, Story]]:
    return {c.id: (c, story_of(c, TODAY)) for c in cases}


def test_every_translation_is_of_the_sentence_it_follows(demo) -> None:  # type: ignore[no-untyped-def]
    database, _actor, _cases = demo
    with database.session() as s:
        entries = list(s.scalars(select(NarrativeEntry)))
    translated = [e for e in entries if e.translation]
    assert translated, "the demo should have quotes in other languages"
    for entry in translated:
        original = _parse(entry.text, entry.language)
        english = _parse(entry.translation, "en")
        assert original is not None, f"not from the phrase bank ({entry.language}): {entry.text}"
        assert english is not None, f"translation not from the phrase bank: {entry.translation}"
        assert [i for i, _ in original] == [i for i, _ in english], (entry.text, entry.translation)
        for (_, when), (_, when_en) in zip(original, english, strict=True):
            assert _month(when, entry.language) == _month(when_en, "en"), (entry.text, entry.translation)


def test_one_timeline_orders_quotes_events_exhibits_and_meetings(demo) -> None:  # type: ignore[no-untyped-def]
    database, _actor, cases = demo
    stories = _stories(cases)
    for _case, story in stories.values():
        order = [story.recruitment, story.departure, story.arrival, story.documents_taken, story.start_work]
        order += [story.debt, *([story.moved] if story.moved else []), story.escape, story.contact]
        assert order == sorted(order)
        assert story.contact == _case.opened and story.contact <= TODAY
    with database.session() as s:
        for entry in s.scalars(select(NarrativeEntry)):  # quotes date each event as the story does
            story = stories[entry.case_id][1]
            for index, when in _parse(entry.text, entry.language) or []:
                event = BANK[index].event
                if event:
                    day = story.on(event)
                    assert day is not None and _month(when, entry.language) == (day.year, day.month), (
                        entry.text
                    )
        planted = {e.case_id for e in s.scalars(select(TimelineEvent).where(TimelineEvent.notes == PLANTED))}
        for event in s.scalars(select(TimelineEvent)):
            story = stories[event.case_id][1]
            assert event.date_earliest is not None and event.date_earliest <= event.told_on <= TODAY
            day = story.on(event.event_type) if event.event_type != "control_incident" else None
            if day is not None and event.case_id not in planted:
                assert event.date_earliest is not None and event.date_earliest <= day <= event.date_latest
        for item in s.scalars(select(EvidenceItem)):
            story = stories[item.case_id][1]
            documented = story.on(DOCUMENTS[item.type][0])
            assert documented is not None and item.date_latest is not None
            assert documented <= item.date_latest and item.date_earliest <= TODAY, (item.type, documented)
        for meeting in s.scalars(select(NarrativeMeeting)):
            assert stories[meeting.case_id][1].contact <= meeting.held_on <= TODAY
        for case_id, started in s.execute(  # applications start after the NGO first met the person
            select(ApplicationStageEvent.case_id, ApplicationStageEvent.occurred_on)
        ):
            assert stories[case_id][1].contact <= started <= TODAY


def test_dependants_have_their_own_names_and_fitting_ages(demo) -> None:  # type: ignore[no-untyped-def]
    database, _actor, _cases = demo
    with database.session() as s:
        people = list(s.scalars(select(Person)))
    with_dependants = [p for p in people if p.dependants_in_canada]
    assert with_dependants
    for person in with_dependants:
        given = person.legal_name.split()[0]
        born = person.birth_date_earliest
        for dependant in from_stored_list(person.dependants_in_canada):
            assert dependant.name != person.legal_name
            assert dependant.name.split()[0] != given
            low, high = dependant.birth.earliest, dependant.birth.latest
            if born is None or low is None or high is None:
                continue
            if dependant.relationship is Relationship.CHILD:
                assert high.year >= person.birth_date_latest.year + 15, (person.legal_name, dependant)
            if dependant.relationship is Relationship.PARENT:
                assert low.year <= born.year - 15, (person.legal_name, dependant)
            if dependant.relationship is Relationship.SPOUSE:
                assert TODAY.year - high.year >= 17 and abs(high.year - born.year) <= 12, dependant


def test_the_sector_is_told_one_way(demo) -> None:  # type: ignore[no-untyped-def]
    database, _actor, cases = demo
    book = cue_book()
    sectors: dict[str, Sequence[Cue]] = dict(book.sectors)
    negations = book.negations
    by_id = {c.id: c for c in cases}

    def told(text: str) -> set[str]:
        return sectors_mentioned(text, sectors, negations)

    with database.session() as s:
        texts: list[tuple[int, str]] = [(e.case_id, e.text) for e in s.scalars(select(NarrativeEntry))]
        texts += [(e.case_id, e.translation) for e in s.scalars(select(NarrativeEntry))]
        texts += [(e.case_id, e.title) for e in s.scalars(select(TimelineEvent))]
        texts += [(x.case_id, x.description) for x in s.scalars(select(EvidenceItem))]
        starts = [
            (e.case_id, e.title)
            for e in s.scalars(select(TimelineEvent).where(TimelineEvent.event_type == "start_work"))
        ]
    mentioned: dict[int, set[str]] = defaultdict(set)
    for case_id, text in texts:
        mentioned[case_id] |= told(text)
    for case_id, found in mentioned.items():
        sector = by_id[case_id].sector
        assert found <= {sector}, (by_id[case_id].code, sector, found)
    for case_id, title in starts:
        assert title == WORK_TITLES.get(by_id[case_id].sector, "Started work")
    assert set(PLACES) | {"unknown", "forced_criminality"} >= {c.sector for c in cases}
    assert all(len(p) == len(SOMEWHERE) for p in PLACES.values())


def test_readiness_finds_no_contradiction_in_clean_demo_cases(demo) -> None:  # type: ignore[no-untyped-def]
    database, actor, cases = demo
    with database.session() as s:
        planted = set(s.scalars(select(TimelineEvent.case_id).where(TimelineEvent.notes == PLANTED)))
        _check_reviews(s, actor, [c for c in cases if c.id not in planted])


def _check_reviews(s: Session, actor: Actor, cases: list[DemoCase]) -> None:
    assert cases
    for case in cases:
        found = review(s, actor, case.code).contradictions
        assert not found, (case.code, [c.message for c in found])
