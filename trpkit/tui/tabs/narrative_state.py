"""What the Narrative tab's editor has open (EditorState), the messages its workers post back, and
``in_session``, the one way its workers reach the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from textual.message import Message

from trpkit.services.narrative import MeetingRow, NarrativeEntryRow
from trpkit.services.narrative_drafts import DraftRow
from trpkit.services.narrative_history import RevisionRow

if TYPE_CHECKING:
    from trpkit.db.database import Database

T = TypeVar("T")


def in_session(database: Database, fn: Callable[[Any], T]) -> T:
    """Run ``fn(session)`` in one unit of work, with the busy-vault retry of ``Database.run``."""
    return database.run(fn)


@dataclass
class NarrativeLoaded(Message):
    meetings: list[MeetingRow]
    entries: list[NarrativeEntryRow]
    drafts: list[DraftRow]


@dataclass
class HistoryLoaded(Message):
    entry_id: int
    revisions: list[RevisionRow]


@dataclass
class DraftSaved(Message):
    draft: DraftRow
    seq: int  # the edit it contains


@dataclass
class EntrySaved(Message):
    entry: NarrativeEntryRow
    note: str
    seq: int = -1  # the edit it contains (-1: not from the editor)


@dataclass
class SaveFailed(Message):
    text: str


@dataclass
class ConflictFound(Message):
    theirs: NarrativeEntryRow
    mine: dict[str, Any]


@dataclass
class EditorState:
    """What is open in the editor: an existing entry (with the version it started from) or a new one."""

    meeting_id: int | None = None
    entry_id: int | None = None
    base_version: int | None = None
