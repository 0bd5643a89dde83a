"""Document checklists per application type (``checklists/documents-*.toml``), validated on load.

A checklist lists what a submission needs: each item has a stable id, labels in English and French,
whether it is required, whether it carries an expiry date, and how recent it must be. Case files record
a status per item (missing, requested, obtained, not applicable); ``evaluate`` turns both into findings.
Pure Python: the loader names the file, the line and the problem when a file is wrong.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

_ID = re.compile(r"^[a-z][a-z0-9-]{1,47}$")
VERIFICATION = ("confirmed", "secondary", "unconfirmed")
_ITEM_KEYS = {
    "id",
    "label",
    "label_fr",
    "required",
    "expires",
    "max_age_days",
    "guidance",
    "produced_by_draft",
    "expired_warning",
}


class ChecklistError(ValueError):
    def __init__(self, path: Path, line: int | None, problem: str) -> None:
        self.path, self.line, self.problem = path, line, problem
        super().__init__(f"{path.name}{f', line {line}' if line else ''}: {problem}")


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


def _item_lines(text: str) -> list[int]:
    pattern = re.compile(r"^\s*\[\[\s*item\s*\]\]")
    return [n for n, line in enumerate(text.splitlines(), 1) if pattern.match(line)]


def load_checklist(path: Path) -> DocumentChecklist:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ChecklistError(path, None, "file not found") from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise ChecklistError(path, line, "not UTF-8 text: save the file as UTF-8") from None
    except OSError as exc:
        raise ChecklistError(path, None, f"cannot be read ({exc.strerror})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        line = getattr(exc, "lineno", None) or (int(found.group(1)) if found else None)
        raise ChecklistError(path, line, f"not valid TOML ({exc})") from None
    meta = data.get("meta")
    if not isinstance(meta, dict):
        raise ChecklistError(
            path, 1, "missing [meta] table (name, application_type, version, verification, citation)"
        )
    for key in ("name", "application_type", "version", "verification", "citation"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise ChecklistError(path, None, f"[meta] needs a non-empty '{key}'")
    if meta["verification"] not in VERIFICATION:
        raise ChecklistError(path, None, f"[meta] verification must be one of {', '.join(VERIFICATION)}")
    raw_items = data.get("item")
    if not isinstance(raw_items, list) or not raw_items:
        raise ChecklistError(path, None, "no [[item]] tables")
    lines = _item_lines(text)
    items: list[ChecklistItem] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_items):
        line = lines[index] if index < len(lines) else None
        item_id = raw.get("id")
        if not isinstance(item_id, str) or not _ID.match(item_id):
            raise ChecklistError(path, line, "item needs an 'id' (lowercase letters, digits and -)")
        if item_id in seen:
            raise ChecklistError(path, line, f"duplicate item id '{item_id}'")
        seen.add(item_id)
        unknown = set(raw) - _ITEM_KEYS
        if unknown:
            raise ChecklistError(path, line, f"item '{item_id}': unknown key(s) {', '.join(sorted(unknown))}")
        if not isinstance(raw.get("label"), str) or not raw["label"].strip():
            raise ChecklistError(path, line, f"item '{item_id}': needs a non-empty label")
        for key in ("required", "expires", "produced_by_draft"):
            if key in raw and not isinstance(raw[key], bool):
                raise ChecklistError(path, line, f"item '{item_id}': {key} must be true or false")
        if "required" not in raw:
            raise ChecklistError(
                path, line, f"item '{item_id}': say whether it is required (required = true/false)"
            )
        expired_warning = raw.get("expired_warning", "")
        if not isinstance(expired_warning, str) or ("expired_warning" in raw and not expired_warning.strip()):
            raise ChecklistError(path, line, f"item '{item_id}': expired_warning must be a non-empty text")
        if expired_warning and not raw.get("expires", False):
            raise ChecklistError(
                path,
                line,
                f"item '{item_id}': expired_warning needs expires = true (it says what to do when expired)",
            )
        age = raw.get("max_age_days")
        if age is not None and (not isinstance(age, int) or isinstance(age, bool) or age <= 0):
            raise ChecklistError(
                path, line, f"item '{item_id}': max_age_days must be a positive number of days"
            )
        items.append(
            ChecklistItem(
                item_id,
                raw["label"].strip(),
                str(raw.get("label_fr", "")).strip(),
                raw["required"],
                raw.get("expires", False),
                age,
                str(raw.get("guidance", "")).strip(),
                raw.get("produced_by_draft", False),
                expired_warning.strip(),
            )
        )
    return DocumentChecklist(
        meta["application_type"],
        meta["name"],
        meta["version"],
        meta["verification"],
        meta["citation"],
        tuple(items),
        path,
    )


def load_all(directory: Path) -> dict[str, DocumentChecklist]:
    """Every documents-*.toml in ``directory``, by application type (one file per type)."""
    found: dict[str, DocumentChecklist] = {}
    for path in sorted(directory.glob("documents-*.toml")):
        checklist = load_checklist(path)
        if checklist.application_type in found:
            other = found[checklist.application_type].path.name
            raise ChecklistError(
                path,
                None,
                f"application type '{checklist.application_type}' already has a checklist in {other}",
            )
        found[checklist.application_type] = checklist
    return found


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
