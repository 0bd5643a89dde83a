"""The shapes of the rows the demo generators build for bulk Core inserts, and the tables they go into.

The generators insert thousands of rows at once with ``session.execute(insert(table), rows)``
(ORM objects one by one would take minutes for 10,000 cases). A row is a plain dict keyed by column
name; the rows that are read again after the insert (to link or look up what was made) are typed here,
so a misspelt key is a type error rather than a KeyError halfway through generating a demo vault.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypedDict, cast

from sqlalchemy import Table

from trpkit.db.base import Base


def table_of(model: type[Base]) -> Table:
    """The Core table behind a mapped class. SQLAlchemy types ``__table__`` as a FromClause because a
    mapping may be onto a join or a select; every trpkit model maps one declarative table."""
    return cast(Table, model.__table__)


class CaseRow(TypedDict):
    code: str
    status: str
    exploitation_sector: str
    law_enforcement_cooperation: str
    criminal_case_status: str
    summary: str
    created_by_id: int
    version: int
    created_at: datetime
    updated_at: datetime


class ConsentRow(TypedDict):
    case_id: int
    purpose: str
    decision: str
    method: str
    interpreter: str
    note: str
    decided_at: datetime
    recorded_at: datetime
    recorded_by_id: int
    override_reason: str


class MeetingRow(TypedDict):
    case_id: int
    held_on: date
    place: str
    present: list[str]
    language: str
    interpreter: str
    duration_minutes: int
    wellbeing_notes: str
    created_by_id: int
    version: int


class EntryRow(TypedDict):
    case_id: int
    meeting_id: int
    kind: str
    text: str
    language: str
    translation: str
    translated_by: str
    position: int
    updated_by: str
    version: int
    created_at: datetime
    updated_at: datetime


class EventRow(TypedDict):
    case_id: int
    event_type: str
    title: str
    date: dict[str, Any]  # FuzzyDate.to_dict(), the JSON column
    date_earliest: date | None
    date_latest: date | None
    told_on: date
    place: str
    people: list[dict[str, str]]
    notes: str
    created_by_id: int
    version: int
