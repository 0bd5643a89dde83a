"""What the coalition services return (frozen DTOs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class KeyInfo:
    agency: str
    public_key: str
    fingerprint: str
    public_key_file: str


@dataclass(frozen=True)
class ExportResult:
    ok: bool
    refusal: str
    package: bytes
    manifest: dict[str, Any]
    summary: dict[str, Any]
    # True when the decisions could not be shared (``refusal`` says why) but withdrawals were owed: the
    # package then carries no records, only the withdrawal list.
    withdrawals_only: bool = False


@dataclass(frozen=True)
class DestroyedCaseNotice:
    """What destroying a case means for the coalition (given to the person who destroys it).

    ``state``: ``no_coalition`` (no coalition secret in this vault: nothing was ever shared), ``not_shared``
    (no consent to coalition sharing was ever recorded, or no submitted TRP application: nothing of the
    case could have been shared), ``pending`` (``withdrawals`` keyed record ids wait for the next export).
    """

    state: str
    withdrawals: int
    message: str


@dataclass(frozen=True)
class AgencyRow:
    agency: str
    fingerprint: str
    active: bool
    added_at: datetime


@dataclass(frozen=True)
class ImportResult:
    source: str
    ok: bool
    reason: str = ""
    agency: str = ""
    new: int = 0
    replaced: int = 0
    duplicates: int = 0
    withdrawals: int = 0
    checks: tuple[str, ...] = ()
    sequence: int | None = None  # the agency's package number (None: made before packages were numbered)


@dataclass(frozen=True)
class ReleaseResult:
    release_id: int
    records: int
    withdrawn_removed: int
    suppressed: int
    csv_text: str
    summary: dict[str, Any] = field(default_factory=dict)
    held_back: str = (
        ""  # why nothing was published (too few changes since the last release); '' when published
    )
    changed: int | None = None  # records added, changed or removed since the last published release
