"""Before drafting: passages that read like an indicator but are not linked to it, and contradictions.

Gathers the case's narrative entries, chronology events and exhibits, runs the pure rules
(:mod:`trpkit.domain.cues`, :mod:`trpkit.domain.contradictions`) and returns frozen DTOs. Nothing is
linked on its own: :func:`accept_suggestion` records a link only when a person accepts one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from trpkit.db.models import Case
from trpkit.domain import readiness as rules
from trpkit.domain.contradictions import Contradiction
from trpkit.domain.cue_file import CueBook
from trpkit.domain.cues import items_found
from trpkit.domain.frameworks import DelphiList
from trpkit.errors import NotFound, UsageError
from trpkit.loading.cues import cue_book
from trpkit.services import audit
from trpkit.services.access import require_case
from trpkit.services.actor import Actor
from trpkit.services.case_review_contradictions import case_contradictions
from trpkit.services.case_review_sources import (
    Passage,
    entry_passages,
    event_ref,
    events_with_entries,
    exhibits_with_entries,
    recorded_links,
)
from trpkit.services.indicators import LinkRow, link_indicator
from trpkit.services.indicators_assessment import case_list

_SUGGESTION_ID = re.compile(r"^(?P<kind>[ETX])(?P<num>\d+)-(?P<key>[1-6]\.\d\d)$")


@dataclass(frozen=True)
class Suggestion:
    """A passage whose words match an indicator's cues while the file does not link the two."""

    id: str  # E12-5.01 (entry 12), T4-4.01 (chronology event 4), X3-5.02 (exhibit 3): for `accept`
    indicator_id: str  # in the case's Delphi list
    indicator_label: str
    dimension: str
    passage: str  # "meeting 2 (2026-03-04), entry 3" / "chronology event 4 ('...')" / "exhibit 3"
    kind: str  # entry | event | exhibit
    entry_id: int | None
    event_id: int | None
    exhibit: int | None
    phrase: str  # the cue phrase that matched
    language: str
    excerpt: str  # the words around the match, as written
    indicator_present: bool  # the indicator is already recorded present elsewhere in the file


@dataclass(frozen=True)
class CaseReview:
    code: str
    framework: str
    suggestions: tuple[Suggestion, ...]
    contradictions: tuple[Contradiction, ...]


def _suggest(
    passages: Iterable[Passage],
    book: CueBook,
    delphi: DelphiList,
    linked: set[tuple[str, str]],
    present: set[str],
) -> list[Suggestion]:
    cues = book.for_items(delphi.by_key)
    out: list[Suggestion] = []
    for p in passages:
        for key, match in items_found(p.text, cues, book.negations).items():
            item = delphi.by_key.get(key)
            if item is None or (p.key, key) in linked:
                continue
            if any((f"E{e}", key) in linked for e in p.entry_ids):  # an event resting on a linked passage
                continue
            out.append(
                Suggestion(
                    f"{p.key}-{key}",
                    item.id,
                    item.label,
                    item.dimension,
                    p.ref,
                    p.kind,
                    p.entry_id,
                    p.event_id,
                    p.exhibit,
                    match.cue.phrase,
                    match.cue.language,
                    match.excerpt,
                    key in present,
                )
            )
    return out


def _gather(session: Session, case: Case) -> CaseReview:
    delphi = case_list(session, case)
    book = cue_book()
    entries, refs = entry_passages(session, case.id)
    events = events_with_entries(session, case.id)
    exhibits = exhibits_with_entries(session, case.id)
    passages = [
        *entries,
        *(
            Passage("event", f"T{e.id}", event_ref(e), f"{e.title}\n{e.notes}", ids, event_id=e.id)
            for e, ids in events
        ),
        *(
            Passage(
                "exhibit",
                f"X{x.exhibit_number}",
                f"exhibit {x.exhibit_number}",
                x.description,
                ids,
                exhibit=x.exhibit_number,
                evidence_id=x.id,
            )
            for x, ids in exhibits
        ),
    ]
    linked, present, supports = recorded_links(session, case.id, delphi)
    suggestions = _suggest(passages, book, delphi, linked, present)
    contradictions = case_contradictions(session, case, book, refs, events, exhibits, supports)
    return CaseReview(case.code, delphi.id, tuple(suggestions), tuple(contradictions))


def review(session: Session, actor: Actor, code: str) -> CaseReview:
    """Suggested links and contradictions for a case (read only)."""
    case = require_case(session, actor, code)
    result = _gather(session, case)
    audit.record(
        session,
        actor,
        "indicators.review",
        case.code,
        suggestions=len(result.suggestions),
        contradictions=len(result.contradictions),
    )
    return result


def readiness_findings(session: Session, actor: Actor, code: str) -> list[rules.Finding]:
    """What readiness shows about unlinked cues and contradictions (warnings, never blockers)."""
    result = review(session, actor, code)
    return rules.review_findings(
        result.code,
        [
            (s.id, s.passage, s.indicator_id, s.indicator_label, s.excerpt)
            for s in result.suggestions
            if not s.indicator_present
        ],
        sum(1 for s in result.suggestions if s.indicator_present),
        [c.message for c in result.contradictions],
    )


def accept_suggestion(
    session: Session, actor: Actor, code: str, suggestion_id: str, *, status: str = "present", note: str = ""
) -> list[LinkRow]:
    """Record the link a suggestion proposes (the accompanier has read the passage and agrees).

    An entry or exhibit is linked directly; a chronology event through the passages it rests on, or,
    when it rests on none, with a note naming the event.
    """
    cleaned = suggestion_id.strip().upper()
    if not _SUGGESTION_ID.match(cleaned):
        raise UsageError(
            f"'{suggestion_id}' is not a suggestion id: use one shown by 'trpkit indicators suggest {code}' "
            "(like E12-5.01)"
        )
    case = require_case(session, actor, code)
    found = next((s for s in _gather(session, case).suggestions if s.id == cleaned), None)
    if found is None:
        raise NotFound(
            f"{case.code} has no open suggestion {cleaned} (already linked, or the passage changed): "
            f"list them with 'trpkit indicators suggest {case.code}'"
        )
    text = note.strip() or f"Accepted suggestion: {found.passage} ('{found.phrase}')."
    if found.kind == "entry":
        return [
            link_indicator(
                session,
                actor,
                code,
                found.indicator_id,
                status=status,
                note=text,
                narrative_entry_id=found.entry_id,
            )
        ]
    if found.kind == "exhibit":
        return [
            link_indicator(
                session, actor, code, found.indicator_id, status=status, note=text, exhibit=found.exhibit
            )
        ]
    entry_ids = [ids for e, ids in events_with_entries(session, case.id) if e.id == found.event_id]
    targets: list[int | None] = list(entry_ids[0]) if entry_ids and entry_ids[0] else [None]
    return [
        link_indicator(
            session, actor, code, found.indicator_id, status=status, note=text, narrative_entry_id=t
        )
        for t in targets
    ]
