"""Document checklists per application type (``checklists/documents-*.toml``), validated on load.

A checklist lists what a submission needs: each item has a stable id, labels in English and French,
whether it is required, whether it carries an expiry date, and how recent it must be. Case files record
a status per item (missing, requested, obtained, not applicable); ``evaluate`` turns both into findings.
Pure Python: the files are read and checked by ``trpkit.loading.document_checklists``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any


class ItemState(StrEnum):
    MISSING = "missing"
    REQUESTED = "requested"
    OBTAINED = "obtained"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    label: str
    label_fr: str
    required: bool
    expires: bool
    max_age_days: int | None
    guidance: str
    produced_by_draft: bool
    # When set, an expired copy is still useful (an expired passport still proves identity): readiness
    # shows this text as a warning instead of blocking the draft.
    expired_warning: str = ""

    def label_in(self, language: str) -> str:
        return self.label_fr if language == "fr" and self.label_fr else self.label


@dataclass(frozen=True)
class DocumentChecklist:
    application_type: str
    name: str
    version: str
    verification: str
    citation: str
    items: tuple[ChecklistItem, ...]
    path: Path

    def item(self, item_id: str) -> ChecklistItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


@dataclass(frozen=True)
class ItemStatus:
    state: ItemState = ItemState.MISSING
    obtained_on: date | None = None
    expires_on: date | None = None
    note: str = ""


@dataclass(frozen=True)
class ItemFinding:
    item: ChecklistItem
    status: ItemStatus
    problem: str  # "" | missing | expired | expiry-unknown | too-old
    detail: str


def evaluate_item(item: ChecklistItem, status: ItemStatus, today: date) -> ItemFinding:
    """What is wrong with one item today ("" when nothing)."""
    if status.state is ItemState.NOT_APPLICABLE:
        return ItemFinding(item, status, "", "not applicable")
    if status.state is not ItemState.OBTAINED:
        what = "requested, not yet received" if status.state is ItemState.REQUESTED else "missing"
        return ItemFinding(item, status, "missing", what)
    if item.expires:
        if status.expires_on is None:
            return ItemFinding(item, status, "expiry-unknown", "obtained; expiry date not recorded")
        if status.expires_on < today:
            return ItemFinding(item, status, "expired", f"expired on {status.expires_on.isoformat()}")
    if item.max_age_days and status.obtained_on is not None:
        age = (today - status.obtained_on).days
        if age > item.max_age_days:
            return ItemFinding(
                item,
                status,
                "too-old",
                f"obtained {age} days ago; should be at most {item.max_age_days} days old",
            )
    return ItemFinding(item, status, "", "obtained")


def evaluate(checklist: DocumentChecklist, statuses: dict[str, ItemStatus], today: date) -> list[ItemFinding]:
    return [evaluate_item(item, statuses.get(item.id, ItemStatus()), today) for item in checklist.items]


def as_dict(value: Any) -> dict[str, Any]:
    """JSON-friendly form of a finding (for --json)."""
    finding: ItemFinding = value
    return {
        "id": finding.item.id,
        "label": finding.item.label,
        "required": finding.item.required,
        "expires": finding.item.expires,
        "state": finding.status.state.value,
        "obtained_on": finding.status.obtained_on.isoformat() if finding.status.obtained_on else None,
        "expires_on": finding.status.expires_on.isoformat() if finding.status.expires_on else None,
        "note": finding.status.note,
        "problem": finding.problem,
        "detail": finding.detail,
    }
