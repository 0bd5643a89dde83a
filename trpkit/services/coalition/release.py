"""The coalition store's records: for the report, a summary, and releases for publication."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Sequence
from typing import Any

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from trpkit.coalition.export_risk import class_sizes
from trpkit.coalition.generalise import qi_columns
from trpkit.coalition.record import Record, write_csv
from trpkit.db.models.coalition import (
    CoalitionAgency,
    CoalitionImport,
    CoalitionRecord,
    CoalitionRelease,
)
from trpkit.domain.coalition_policy import Policy
from trpkit.loading.coalition_policy import load_policy
from trpkit.services import audit
from trpkit.services.actor import Actor
from trpkit.services.coalition._common import (
    COALITION_ROLES,
    _as_json,
    _require,
)
from trpkit.services.coalition.dtos import (
    ReleaseResult,
)


def records_for_report(session: Session, actor: Actor) -> list[Record]:
    """The merged records analysts may analyse: deduplicated, withdrawn ones left out, agency kept for checks
    only (the report never shows it)."""
    _require(actor, COALITION_ROLES, "read coalition records")
    out = []
    rows = session.connection().execute(
        select(CoalitionRecord.agency, type_coerce(CoalitionRecord.fields, String))
        .where(CoalitionRecord.withdrawn_at.is_(None))
        .order_by(CoalitionRecord.id)
    )
    for agency, fields in rows:
        record = _as_json(fields)  # a fresh dict per row: safe to add to
        if record.get("refusal_reasons") is not None:
            record["refusal_reasons"] = tuple(record["refusal_reasons"])
        record["agency"] = agency
        out.append(record)
    audit.record(session, actor, "coalition.read", None, records=len(out))
    return out


def store_summary(session: Session, actor: Actor) -> dict[str, Any]:
    _require(actor, COALITION_ROLES, "read the coalition store")
    from sqlalchemy import func

    total = session.scalar(select(func.count(CoalitionRecord.id))) or 0
    withdrawn = (
        session.scalar(
            select(func.count(CoalitionRecord.id)).where(CoalitionRecord.withdrawn_at.is_not(None))
        )
        or 0
    )
    imports = session.scalar(select(func.count(CoalitionImport.id))) or 0
    agencies = session.scalar(select(func.count(CoalitionAgency.id))) or 0
    last_release = session.scalar(select(CoalitionRelease).order_by(CoalitionRelease.id.desc()).limit(1))
    return {
        "records": total - withdrawn,
        "withdrawn": withdrawn,
        "imports": imports,
        "agencies": agencies,
        "last_release": None
        if last_release is None
        else {
            "id": last_release.id,
            "created_at": last_release.created_at.isoformat(timespec="seconds"),
            "records": last_release.records,
        },
    }


def _fingerprint(record: Record) -> tuple[str, str]:
    """(short hash of the stable id, short hash of the content): what a later release is compared with."""
    stable = str(record.get("record_id") or "")
    content = json.dumps(
        {k: (list(v) if isinstance(v, tuple) else v) for k, v in record.items() if k != "record_id"},
        sort_keys=True,
        default=str,
    )
    return (
        hashlib.sha256(stable.encode()).hexdigest()[:20],
        hashlib.sha256(content.encode()).hexdigest()[:20],
    )


def _changes(previous: dict[str, str], current: dict[str, str]) -> int:
    """Records added, removed or changed between two releases (by stable id)."""
    changed = sum(1 for key, value in current.items() if previous.get(key) != value)
    return changed + sum(1 for key in previous if key not in current)


def _per_release_ids(records: list[Record]) -> list[Record]:
    """Each record under an id keyed with a key made for this release and thrown away: two releases cannot be
    lined up record by record. Rows are in the order of the new ids (random), not the store's."""
    key = secrets.token_bytes(32)
    out = []
    for record in records:
        copy = dict(record)
        stable = str(record.get("record_id") or "")
        copy["record_id"] = hmac.new(key, stable.encode(), hashlib.sha256).hexdigest()
        out.append(copy)
    out.sort(key=lambda r: r["record_id"])
    return out


def release(session: Session, actor: Actor, *, policy: Policy | None = None) -> ReleaseResult:
    """The merged records for publication: agency removed, withdrawn records out, k re-checked on the whole,
    ids keyed for this release only. Held back (nothing published) when it differs from the last published
    release in fewer records than the policy's minimum cell: comparing the two would single those out."""
    _require(actor, COALITION_ROLES, "make a coalition release")
    policy = policy or load_policy()
    records = records_for_report(session, actor)
    for record in records:
        record.pop("agency", None)
    columns = qi_columns(policy.quasi_identifiers)
    kept = _at_least_k(records, columns, policy.k)
    suppressed = len(records) - len(kept)
    sizes = class_sizes(kept, columns)
    previous = session.scalar(select(CoalitionRelease).order_by(CoalitionRelease.id.desc()).limit(1))
    fingerprints = dict(_fingerprint(r) for r in kept)
    changed, reason = _compared(previous, fingerprints, policy.report_min_cell)
    if reason:
        audit.record(session, actor, "coalition.release_held_back", None, changed=changed)
        return ReleaseResult(0, 0, 0, suppressed, "", {"k": policy.k}, held_back=reason, changed=changed)
    removed = _withdrawn_since(session, previous)
    csv_text = write_csv(_per_release_ids(kept), _release_columns(kept))
    digest = hashlib.sha256(csv_text.encode("utf-8")).hexdigest()
    summary = {
        "k": policy.k,
        "smallest_group": min(sizes) if sizes else 0,
        "groups": len(sizes),
        "prosecutor_max": round(1 / min(sizes), 4) if sizes else 0.0,
        "changed_since_last": changed,
        "record_ids": "keyed for this release only (they do not match any other release)",
    }
    row = CoalitionRelease(
        created_by=actor.username,
        records=len(kept),
        withdrawn_removed=removed,
        suppressed=suppressed,
        k=policy.k,
        sha256=digest,
        # The comparison basis stays in the store (hashes of the store's ids and contents), never published.
        summary=dict(summary, fingerprints=fingerprints),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "coalition.release",
        None,
        records=len(kept),
        withdrawn_removed=removed,
        suppressed=suppressed,
        changed=changed,
    )
    return ReleaseResult(row.id, len(kept), removed, suppressed, csv_text, summary, changed=changed)


def _compared(
    previous: CoalitionRelease | None, fingerprints: dict[str, str], minimum: int
) -> tuple[int | None, str]:
    """How many records changed since the last release, and why to hold this one back ("" to publish)."""
    if previous is None or not isinstance((previous.summary or {}).get("fingerprints"), dict):
        return None, ""
    changed = _changes(previous.summary["fingerprints"], fingerprints)
    if not 0 < changed < minimum:
        return changed, ""
    return changed, (
        f"only {changed} record(s) changed since release {previous.id} (fewer than {minimum}); "
        "publishing now would let anyone who compares the two releases find them. Nothing was written; "
        f"the changes will go out with the next release once at least {minimum} records differ."
    )


def _at_least_k(records: list[Record], columns: Sequence[str], k: int) -> list[Record]:
    """The records whose group (same ``columns``) holds at least k records."""
    groups: dict[tuple[Any, ...], int] = {}
    for record in records:
        key = tuple(record.get(c) for c in columns)
        groups[key] = groups.get(key, 0) + 1
    # Withdrawals (or a mix of generalisation levels) can leave a group below k: leave those records out too.
    return [r for r in records if groups[tuple(r.get(c) for c in columns)] >= k]


def _withdrawn_since(session: Session, previous: CoalitionRelease | None) -> int:
    """Records withdrawn since the previous release (all withdrawn records before the first)."""
    stmt = select(CoalitionRecord.id).where(CoalitionRecord.withdrawn_at.is_not(None))
    if previous is not None:
        stmt = stmt.where(CoalitionRecord.withdrawn_at > previous.created_at)
    return len(session.scalars(stmt).all())


def _release_columns(kept: list[Record]) -> list[str]:
    """The schema's columns the records hold, without the agency (every column for an empty release)."""
    from trpkit.coalition.record import COLUMN_NAMES

    present: set[str] = set()
    for record in kept:
        present.update(record)
    return [c for c in COLUMN_NAMES if c != "agency" and (c in present or not kept)]
