"""Sharing incidents between member agencies: signed packages out, checked packages in.

Export runs the checks of ``incident_checks`` first and writes nothing when any fails (the refusal is
audited, without the words found). Import takes a whole package or nothing: a tampered, unknown-key,
older (replayed) or damaged package is refused with one line.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from trpkit.coalition import incident_package as ipkg
from trpkit.db.base import utcnow
from trpkit.db.models.coalition import CoalitionAgency, CoalitionSettings
from trpkit.db.models.incidents import IncidentRow
from trpkit.domain.incidents import Incident
from trpkit.domain.vocab import Role
from trpkit.errors import TrpkitError, UsageError
from trpkit.loading.incident_vocab import vocabulary
from trpkit.services import audit
from trpkit.services.access import require_role
from trpkit.services.actor import Actor
from trpkit.services.incident_checks import (  # noqa: F401  (re-exported for callers of this module)
    IncidentPolicy,
    Problem,
    check_incidents,
    incident_policy,
    review_incidents,
    vault_identifiers,
)
from trpkit.services.incidents import SHARE_ROLES, to_incident

IMPORT_ROLES = (Role.SUPERVISOR, Role.ANALYST, Role.ADMIN)
CONTENT_FIELDS = (
    "title",
    "when_text",
    "when_parsed",
    "when_earliest",
    "when_latest",
    "place",
    "sector",
    "people",
    "framing",
)


class ExportRefused(TrpkitError):
    """An incident would reveal something about a person: nothing was written."""

    exit_code = 2

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        lines = "\n  ".join(self.problems)
        super().__init__(f"Nothing exported: {len(self.problems)} problem(s) to fix first\n  {lines}")


@dataclass(frozen=True)
class ExportResult:
    data: bytes
    agency: str
    incidents: int
    withdrawals: int
    refs: tuple[str, ...]


@dataclass(frozen=True)
class ImportResult:
    source: str
    imported: bool
    message: str
    agency: str = ""
    new: int = 0
    updated: int = 0
    withdrawn: int = 0
    unchanged: int = 0
    refs: tuple[str, ...] = field(default=())


def _record_refusal(session: Session, actor: Actor, problems: Sequence[Problem]) -> None:
    """Audit a refused export in its own transaction: the caller's is rolled back first (it holds the
    refused work, and on SQLite its write lock), and would otherwise take the entry with it. The entry
    names incidents, fields and kinds of match, never the words matched."""
    session.rollback()
    found = sorted({(p.ref, p.field, p.kind) for p in problems})
    with Session(bind=session.get_bind()) as own:
        audit.record(
            own,
            actor,
            "incident.export_refused",
            None,
            problems=len(problems),
            found=[{"incident": r, "field": f, "kind": k} for r, f, k in found],
        )
        own.commit()


def _signing_settings(session: Session) -> CoalitionSettings:
    settings = session.scalar(select(CoalitionSettings).order_by(CoalitionSettings.id).limit(1))
    if settings is None or not settings.private_key_pem:
        raise UsageError(
            "No coalition key in this vault: a supervisor makes one with 'trpkit coalition keygen'."
        )
    return settings


def _shared_form(incident: Incident) -> dict[str, Any]:
    """What leaves the agency: confidential sources as their kind only; a withdrawal as its id only."""
    base: dict[str, Any] = {
        "uid": incident.uid,
        "sequence": incident.sequence,
        "withdrawn": incident.withdrawn,
    }
    if incident.withdrawn:
        return base
    data = dataclasses.asdict(incident)
    data["sources"] = [
        s if s["public"] else {"kind": s["kind"], "detail": "", "public": False} for s in data["sources"]
    ]
    data.pop("agency", None)
    return dict(data, **base)


def export_incidents(
    session: Session,
    actor: Actor,
    *,
    refs: Sequence[str] = (),
    everything: bool = False,
    policy_path: Path | str | None = None,
) -> ExportResult:
    """A signed package of this agency's incidents changed since their last export (or ``refs``, or all)."""
    require_role(actor, SHARE_ROLES, "export incidents")
    settings = _signing_settings(session)
    rows = list(
        session.scalars(select(IncidentRow).where(IncidentRow.own.is_(True)).order_by(IncidentRow.id))
    )
    if refs:
        wanted = [r.strip().lower() for r in refs]
        rows = [r for r in rows if any(r.uid.startswith(w) for w in wanted)]
        if not rows:
            raise UsageError("None of those references is one of this agency's incidents.")
    elif not everything:
        rows = [r for r in rows if r.sequence > r.exported_sequence]
    if not rows:
        raise UsageError(
            "Nothing new to share: every incident is already in a package (use --all to resend)."
        )
    for row in rows:
        if row.agency != settings.agency:  # recorded before the agency had its coalition id
            row.agency = settings.agency
    incidents = [to_incident(r) for r in rows]
    problems = review_incidents(session, incidents, incident_policy(policy_path))
    if problems:
        _record_refusal(session, actor, problems)
        raise ExportRefused([p.line for p in problems])
    manifest = {"agency": settings.agency, "created_at": utcnow().isoformat(timespec="seconds")}
    data = ipkg.build(
        [_shared_form(i) for i in incidents], manifest, settings.private_key_pem.encode("ascii")
    )
    for row in rows:
        row.exported_sequence = row.sequence
    session.flush()
    withdrawals = sum(1 for i in incidents if i.withdrawn)
    audit.record(
        session,
        actor,
        "incident.export",
        None,
        incidents=len(incidents) - withdrawals,
        withdrawals=withdrawals,
    )
    return ExportResult(
        data, settings.agency, len(incidents) - withdrawals, withdrawals, tuple(r.uid[:8] for r in rows)
    )


def default_package_path(folder: Path | None = None, today: date | None = None) -> Path:
    """A file name not yet taken in ``folder`` (default ~/trpkit-incidents): incidents-DATE.trpinc, -2, -3..."""
    folder = folder or Path.home() / "trpkit-incidents"
    stem = f"incidents-{(today or date.today()).isoformat()}"
    path, n = folder / f"{stem}{ipkg.SUFFIX}", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}{ipkg.SUFFIX}"
    return path


def write_package(path: Path, data: bytes) -> Path:
    """Write a package readable by its owner only (0600), never following a link to another file; its
    folder is made (owner only) when missing."""
    path = Path(path).expanduser()
    if path.suffix != ipkg.SUFFIX:
        path = path.with_name(path.name + ipkg.SUFFIX) if not path.suffix else path
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:
        raise UsageError(f"{path} exists: choose another file (nothing is overwritten).") from None
    except OSError as exc:
        raise UsageError(f"Cannot write {path} ({exc.strerror}): choose another file.") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)
    return path


def _known_keys(session: Session) -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    for agency, key in session.execute(
        select(CoalitionAgency.agency, CoalitionAgency.public_key).where(CoalitionAgency.active.is_(True))
    ):
        keys.setdefault(agency, []).append(key)
    return keys


def _checked_item(item: dict[str, Any]) -> dict[str, Any]:
    """One received incident, validated against the vocabulary (a damaged item refuses the package)."""
    vocab = vocabulary()
    uid, sequence = item.get("uid"), item.get("sequence")
    if not isinstance(uid, str) or not (8 <= len(uid) <= 40) or not isinstance(sequence, int) or sequence < 1:
        raise ipkg.PackageRefused("damaged package: an incident has no valid id or sequence number")
    if item.get("withdrawn"):
        return {"uid": uid, "sequence": sequence, "withdrawn": True}
    try:
        for kind, key in (("sector", "sector"), ("band", "people"), ("framing", "framing")):
            vocab.get(kind, str(item.get(key)))
        if item.get("place") not in vocab.places:
            raise UsageError(f"unknown place {item.get('place')!r}")
        for name in ("title", "when_text", "known", "unknown", "questions"):
            if not isinstance(item.get(name, ""), str):
                raise UsageError(f"{name} is not text")
    except UsageError as exc:
        raise ipkg.PackageRefused(f"damaged package: incident {uid[:8]}: {exc}") from None
    return item


def _store(row: IncidentRow, item: dict[str, Any]) -> None:
    row.sequence = item["sequence"]
    if item.get("withdrawn"):
        row.withdrawn = True
        row.title, row.when_text, row.details = "", "", {}  # the agency took it back: keep no content
        return
    row.withdrawn = False
    for name in ("title", "when_text", "place", "sector", "people", "framing"):
        setattr(row, name, str(item.get(name, ""))[:200])
    row.when_parsed = bool(item.get("when_parsed"))
    row.when_earliest = _day(item.get("when_earliest"))
    row.when_latest = _day(item.get("when_latest"))
    row.details = {
        "framing_history": [str(f) for f in item.get("framing_history", [])],
        "indicators": [str(i) for i in item.get("indicators", [])],
        "facts": [str(f) for f in item.get("facts", [])],
        "known": str(item.get("known", "")),
        "unknown": str(item.get("unknown", "")),
        "questions": str(item.get("questions", "")),
        "sources": [
            {
                "kind": str(s.get("kind", "")),
                "detail": str(s.get("detail", "")),
                "public": bool(s.get("public")),
            }
            for s in item.get("sources", [])
            if isinstance(s, dict)
        ],
        "asks": [str(a) for a in item.get("asks", [])],
    }


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        raise ipkg.PackageRefused("damaged package: a date is not YYYY-MM-DD") from None


def _check_against_stored(items: list[dict[str, Any]], existing: dict[str, IncidentRow], agency: str) -> None:
    """Refuse a package that would change another agency's incident, go back to an older version of
    one, or bring nothing new."""
    for item in items:
        row = existing.get(item["uid"])
        if row is not None and (row.own or row.agency != agency):
            raise ipkg.PackageRefused(
                f"incident {item['uid'][:8]} belongs to another agency: this package cannot change it"
            )
        if row is not None and item["sequence"] < row.sequence:
            raise ipkg.PackageRefused(
                f"older package (replay?): incident {item['uid'][:8]} is at version {row.sequence} here, "
                f"the package has version {item['sequence']}"
            )
    if items and all(existing.get(i["uid"]) and existing[i["uid"]].sequence == i["sequence"] for i in items):
        raise ipkg.PackageRefused("already imported: this database holds every incident at these versions")


def _store_items(
    session: Session,
    items: list[dict[str, Any]],
    existing: dict[str, IncidentRow],
    package: ipkg.IncidentPackage,
) -> dict[str, int]:
    """Write the package's incidents (in one savepoint); how many were new, updated, withdrawn, unchanged."""
    counts = {"new": 0, "updated": 0, "withdrawn": 0, "unchanged": 0}
    now = utcnow()
    with session.begin_nested():
        for item in items:
            row = existing.get(item["uid"])
            if row is not None and row.sequence == item["sequence"]:
                counts["unchanged"] += 1
                continue
            if row is None:
                row = IncidentRow(uid=item["uid"], agency=package.agency, own=False, details={})
                session.add(row)
                counts["new"] += 1
            else:
                counts["updated"] += 1
            counts["withdrawn"] += bool(item.get("withdrawn"))
            _store(row, item)
            row.received_at, row.package_sha256 = now, package.sha256
        session.flush()
    return counts


def import_package_bytes(
    session: Session, actor: Actor, data: bytes, *, source: str = "package"
) -> ImportResult:
    """Import one package entirely, or refuse it entirely (nothing of it is written)."""
    require_role(actor, IMPORT_ROLES, "import incident packages")
    try:
        package = ipkg.read_bytes(data, source=source)
        ipkg.verify(package, _known_keys(session))
        items = [_checked_item(i) for i in package.incidents()]
        own = session.scalar(select(CoalitionSettings.agency).limit(1))
        if own and package.agency == own:
            raise ipkg.PackageRefused(f"this is your own agency's package ('{own}'): nothing to import")
        uids = [i["uid"] for i in items]
        if len(set(uids)) != len(uids):
            raise ipkg.PackageRefused("damaged package: the same incident appears twice")
        existing = {r.uid: r for r in session.scalars(select(IncidentRow).where(IncidentRow.uid.in_(uids)))}
        _check_against_stored(items, existing, package.agency)
    except ipkg.PackageRefused as exc:
        audit.record(session, actor, "incident.import_refused", None, reason=str(exc)[:200])
        return ImportResult(source, False, str(exc))
    counts = _store_items(session, items, existing, package)
    audit.record(session, actor, "incident.import", None, agency=package.agency, **counts)
    return ImportResult(
        source,
        True,
        "",
        package.agency,
        counts["new"],
        counts["updated"],
        counts["withdrawn"],
        counts["unchanged"],
        tuple(u[:8] for u in uids),
    )
