"""The coalition store's side of the exchange: known agencies, and importing packages."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from trpkit.coalition import merge
from trpkit.coalition import package as pkg
from trpkit.db.base import utcnow
from trpkit.db.models.coalition import (
    CoalitionAgency,
    CoalitionImport,
    CoalitionRecord,
    CoalitionWithdrawal,
)
from trpkit.domain.coalition_policy import Policy
from trpkit.errors import UsageError
from trpkit.loading.coalition_policy import load_policy
from trpkit.services import audit
from trpkit.services.actor import Actor
from trpkit.services.coalition._common import (
    COALITION_ROLES,
    _require,
)
from trpkit.services.coalition.dtos import (
    AgencyRow,
    ImportResult,
)


def add_agency(session: Session, actor: Actor, key_file_text: str) -> AgencyRow:
    _require(actor, COALITION_ROLES, "add coalition agencies")
    agency, key = pkg.parse_public_key_file(key_file_text)
    if session.scalar(select(CoalitionAgency).where(CoalitionAgency.public_key == key)):
        raise UsageError(f"This key ({pkg.key_fingerprint(key)}) is already known.")
    row = CoalitionAgency(
        agency=agency, public_key=key, fingerprint=pkg.key_fingerprint(key), added_by=actor.username
    )
    session.add(row)
    session.flush()
    audit.record(session, actor, "coalition.agency_add", None, agency=agency, fingerprint=row.fingerprint)
    return AgencyRow(row.agency, row.fingerprint, row.active, row.added_at)


def list_agencies(session: Session, actor: Actor) -> list[AgencyRow]:
    _require(actor, COALITION_ROLES, "list coalition agencies")
    return [
        AgencyRow(a.agency, a.fingerprint, a.active, a.added_at)
        for a in session.scalars(select(CoalitionAgency).order_by(CoalitionAgency.agency, CoalitionAgency.id))
    ]


def _known_keys(session: Session) -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    for agency, key in session.execute(
        select(CoalitionAgency.agency, CoalitionAgency.public_key).where(CoalitionAgency.active.is_(True))
    ):
        keys.setdefault(agency, []).append(key)
    return keys


def _check_order(session: Session, checked: merge.CheckedPackage, created_at: str) -> None:
    """Refuse a package that is not newer than every package already imported from its agency.

    Numbered packages are ordered by their signed number. A package made before numbering is accepted only
    while the agency has no numbered package in the store, and only if it was made after the last one.
    """
    agency = checked.agency
    latest = session.scalar(
        select(func.max(CoalitionImport.sequence)).where(CoalitionImport.agency == agency)
    )
    if checked.sequence is not None:
        if latest is not None and checked.sequence <= latest:
            raise pkg.PackageRefused(
                f"older package: this is {agency}'s package number {checked.sequence}, and number {latest} "
                "is already imported; an older or equal package never overrides newer data"
            )
        return
    if latest is not None:
        raise pkg.PackageRefused(
            f"older package: this {agency} package has no number (made by an older trpkit), and number "
            f"{latest} is already imported; an older package never overrides newer data"
        )
    last_made = session.scalar(
        select(func.max(CoalitionImport.exported_at)).where(CoalitionImport.agency == agency)
    )
    if last_made and created_at <= last_made:
        raise pkg.PackageRefused(
            f"older package: this {agency} package was made {created_at or 'at an unknown time'}, not after "
            f"the one already imported (made {last_made}); an older package never overrides newer data"
        )


def import_package_bytes(
    session: Session, actor: Actor, data: bytes, *, source: str = "package", policy: Policy | None = None
) -> ImportResult:
    """Import one package entirely, or refuse it entirely (nothing of it is written)."""
    _require(actor, COALITION_ROLES, "import coalition packages")
    policy = policy or load_policy()
    try:
        package, checked = _checked_package(session, data, source, policy)
    except pkg.PackageRefused as exc:
        audit.record(session, actor, "coalition.import_refused", None, reason=str(exc)[:200])
        return ImportResult(source, False, str(exc))
    with session.begin_nested():
        batch = CoalitionImport(
            package_sha256=package.sha256,
            agency=checked.agency,
            sequence=checked.sequence,
            exported_at=str(package.manifest.get("created_at", "")),
            imported_by=actor.username,
            manifest={k: v for k, v in package.manifest.items() if k != "withdrawals"},
        )
        session.add(batch)
        session.flush()
        existing, withdrawn = _stored(session, checked)
        now = utcnow()
        new_rows, replaced, duplicates = _merge_records(checked, batch.id, existing, withdrawn, now)
        if new_rows:
            session.execute(insert(CoalitionRecord), new_rows)
        fresh = _store_withdrawals(session, checked, withdrawn, now)
        batch.records_new, batch.records_replaced = len(new_rows), replaced
        batch.records_duplicate, batch.withdrawals = duplicates, len(fresh)
        session.flush()
    audit.record(
        session,
        actor,
        "coalition.import",
        None,
        agency=checked.agency,
        new=len(new_rows),
        replaced=replaced,
        duplicates=duplicates,
        withdrawals=len(fresh),
    )
    return ImportResult(
        source,
        True,
        "",
        checked.agency,
        len(new_rows),
        replaced,
        duplicates,
        len(fresh),
        checked.checks,
        checked.sequence,
    )


def _checked_package(
    session: Session, data: bytes, source: str, policy: Policy
) -> tuple[pkg.Package, merge.CheckedPackage]:
    """The package read and checked against the policy, the members' keys and what was imported before;
    raises ``PackageRefused``."""
    package = pkg.read_bytes(data, source=source)
    if session.scalar(
        select(CoalitionImport.id).where(CoalitionImport.package_sha256 == hashlib.sha256(data).hexdigest())
    ):
        raise pkg.PackageRefused("already imported: this exact package is in the store")
    checked = merge.check(package, policy, _known_keys(session))
    _check_order(session, checked, str(package.manifest.get("created_at", "")))
    return package, checked


def _stored(session: Session, checked: merge.CheckedPackage) -> tuple[dict[str, CoalitionRecord], set[str]]:
    """The stored records with the package's ids, and which of its ids (records or withdrawals) are withdrawn."""
    ids = [r["record_id"] for r in checked.records]
    existing: dict[str, CoalitionRecord] = {}
    for start in range(0, len(ids), 5000):
        for row in session.scalars(
            select(CoalitionRecord).where(CoalitionRecord.record_id.in_(ids[start : start + 5000]))
        ):
            existing[row.record_id] = row
    wanted = ids + list(checked.withdrawals)
    withdrawn: set[str] = set()
    for start in range(0, len(wanted), 5000):
        withdrawn.update(
            session.scalars(
                select(CoalitionWithdrawal.record_id).where(
                    CoalitionWithdrawal.record_id.in_(wanted[start : start + 5000])
                )
            )
        )
    return existing, withdrawn


def _merge_records(
    checked: merge.CheckedPackage,
    import_id: int,
    existing: dict[str, CoalitionRecord],
    withdrawn: set[str],
    now: datetime,
) -> tuple[list[dict[str, Any]], int, int]:
    """(rows to insert, stored records replaced, records another agency sent already); updates the stored."""
    new_rows: list[dict[str, Any]] = []
    replaced = duplicates = 0
    # A withdrawn record keeps only its id and when it was withdrawn: its content is erased, and a copy
    # arriving later (in this package or any other) is stored without content.
    gone = withdrawn | set(checked.withdrawals)
    for record in checked.records:
        fields = {k: (list(v) if isinstance(v, tuple) else v) for k, v in record.items() if k != "agency"}
        current = existing.get(record["record_id"])
        is_gone = record["record_id"] in gone
        if current is None:
            new_rows.append(
                {
                    "record_id": record["record_id"],
                    "agency": checked.agency,
                    "import_id": import_id,
                    "fields": {} if is_gone else fields,
                    "also_from": [],
                    "imported_at": now,
                    "withdrawn_at": now if is_gone else None,
                }
            )
        elif current.agency == checked.agency:
            if current.withdrawn_at is None and not is_gone:
                current.fields = fields  # a newer export of the same decision from the same agency
            current.import_id = import_id
            replaced += 1
        else:
            if checked.agency not in (current.also_from or []):
                current.also_from = [*(current.also_from or []), checked.agency]
            duplicates += 1
    return new_rows, replaced, duplicates


def _store_withdrawals(
    session: Session, checked: merge.CheckedPackage, withdrawn: set[str], now: datetime
) -> list[str]:
    """Record the package's new withdrawals and erase every withdrawn record's content; the new ones."""
    fresh = [w for w in set(checked.withdrawals) if w not in withdrawn]
    if fresh:
        session.execute(
            insert(CoalitionWithdrawal),
            [{"record_id": w, "agency": checked.agency, "received_at": now} for w in sorted(fresh)],
        )
        for start in range(0, len(fresh), 5000):
            session.execute(
                update(CoalitionRecord)
                .where(
                    CoalitionRecord.record_id.in_(fresh[start : start + 5000]),
                    CoalitionRecord.withdrawn_at.is_(None),
                )
                .values(withdrawn_at=now)
            )
    listed = sorted(set(checked.withdrawals))
    for start in range(0, len(listed), 5000):  # erase the content of every record withdrawn, new or old
        session.execute(
            update(CoalitionRecord)
            .where(CoalitionRecord.record_id.in_(listed[start : start + 5000]))
            .values(fields={}, also_from=[])
            .execution_options(synchronize_session=False)
        )
    return fresh


def import_packages(
    session: Session, actor: Actor, paths: Sequence[Path], *, policy: Policy | None = None
) -> list[ImportResult]:
    policy = policy or load_policy()
    results = []
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            results.append(ImportResult(str(path), False, f"cannot read the file ({exc.strerror})"))
            continue
        results.append(import_package_bytes(session, actor, data, source=str(path), policy=policy))
    return results
