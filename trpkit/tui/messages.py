"""App-level messages (past-tense events)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class CaseSaved(Message):
    code: str


@dataclass
class CaseOpened(Message):
    code: str
