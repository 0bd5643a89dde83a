"""Export: anonymise and sign this agency's shared decisions and its withdrawal list."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from trpkit.coalition import package as pkg
from trpkit.coalition.generalise import AnonymisationResult, anonymise
from trpkit.coalition.record import write_csv
from trpkit.db.models.coalition import CoalitionSettings
from trpkit.domain.coalition_policy import SCHEMA_VERSION, Policy
from trpkit.domain.vocab import Role
from trpkit.errors import UsageError
from trpkit.loading.coalition_policy import load_policy
from trpkit.services import audit
from trpkit.services.actor import Actor
from trpkit.services.coalition._common import (
    _require,
    _settings,
)
from trpkit.services.coalition.dtos import (
    ExportResult,
)
from trpkit.services.coalition.records import _rows
from trpkit.services.coalition.withdrawals import _mark_sent, pending_withdrawals


# Long by its docstring and the audit entry's fields; the steps are the helpers below it.
def export(
    session: Session,
    actor: Actor,
    *,
    policy: Policy | None = None,
    today: date | None = None,
    now: datetime | None = None,
    dry_run: bool = False,
) -> ExportResult:
    """Anonymise and sign this agency's decisions. A refused export writes nothing and says why.

    The withdrawal list holds the record ids of people who withdrew consent (computed from their case
    now) and those owed for destroyed case files (kept since the destruction). When the decisions cannot
    be shared (below k) but withdrawals are owed, the package carries the withdrawals alone, so a
    destruction or a withdrawal never waits for the agency to have enough decisions again.

    Unless ``dry_run``, the caller writes ``package`` in the same transaction: the owed withdrawals are
    counted as sent when it commits (write the file first; if that fails, roll back).
    """
    _require(actor, (Role.SUPERVISOR,), "export to the coalition (it reads every case)")
    policy = policy or load_policy()
    settings = _ready_settings(session)
    today = today or date.today()
    now = now or datetime.now(UTC)
    secret = base64.b64decode(settings.coalition_secret)
    rows, withheld, consent_withdrawals, _ = _rows(session, policy, secret, today, settings.agency)
    destroyed = pending_withdrawals(session)
    withdrawals = sorted(set(consent_withdrawals) | set(destroyed))
    counted = {"withdrawals": len(withdrawals), "withdrawals_destroyed": len(set(destroyed))}
    result: AnonymisationResult = anonymise(rows, policy)
    summary = result.summary()
    summary.update(withheld_for_consent=withheld, agency=settings.agency, withdrawals_only=False, **counted)
    shared = result
    if not result.ok:
        if not withdrawals:
            audit.record(
                session, actor, "coalition.export_refused", None, eligible=len(rows), withheld=withheld
            )
            return ExportResult(False, result.refusal, b"", {}, summary)
        shared = anonymise([], policy)  # no records; the withdrawals still go
        summary["withdrawals_only"] = True
    sequence = _next_sequence(settings, dry_run)
    summary["sequence"] = sequence
    manifest = _manifest(
        settings.agency, sequence, now, policy, result, shared, withdrawals, counted, withheld
    )
    csv_text = write_csv(shared.records, shared.columns)
    data = pkg.build(csv_text, manifest, settings.private_key_pem.encode("ascii"))
    forgotten = 0 if dry_run else _mark_sent(session, destroyed, now)
    audit.record(
        session,
        actor,
        "coalition.export",
        None,
        exported=shared.exported,
        suppressed=result.total - shared.exported,
        withheld=withheld,
        withdrawals=len(withdrawals),
        withdrawals_destroyed=counted["withdrawals_destroyed"],
        withdrawals_only=shared is not result,
        dry_run=dry_run,
        sequence=sequence,
        owed_forgotten=forgotten,
        k=policy.k,
    )
    return ExportResult(True, result.refusal, data, manifest, summary, shared is not result)


def _ready_settings(session: Session) -> CoalitionSettings:
    """The vault's coalition settings, refused without a signing key or the coalition secret."""
    settings = _settings(session)
    if settings is None or not settings.private_key_pem:
        raise UsageError("No coalition key in this vault: run 'trpkit coalition keygen --agency ID' first.")
    if not settings.coalition_secret:
        raise UsageError(
            "No coalition secret in this vault: ask the coalition for it and run "
            "'trpkit coalition secret --import FILE'."
        )
    return settings


def _next_sequence(settings: CoalitionSettings, dry_run: bool) -> int:
    """The package's number: signed, so the coalition refuses an older package arriving after a newer one.

    A dry run shows the number the next package would get; a written package keeps it (the caller
    writes the file inside this transaction, so a failed write gives the number back)."""
    sequence = (settings.export_sequence or 0) + 1
    if not dry_run:
        settings.export_sequence = sequence
    return sequence


def _manifest(
    agency: str,
    sequence: int,
    now: datetime,
    policy: Policy,
    result: AnonymisationResult,
    shared: AnonymisationResult,
    withdrawals: list[str],
    counted: dict[str, int],
    withheld: int,
) -> dict[str, Any]:
    """What the package says about itself (signed with it): the policy applied, the counts and the checks."""
    manifest: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "agency": agency,
        "sequence": sequence,
        "created_at": now.isoformat(timespec="seconds"),
        "policy": {"id": policy.id, "version": policy.version, "fingerprint": policy.fingerprint()},
        "k": policy.k,
        "quasi_identifiers": list(shared.quasi_identifiers),
        "levels": shared.levels,
        "columns": list(shared.columns),
        "counts": {
            "eligible": result.total,
            "exported": shared.exported,
            "suppressed": result.total - shared.exported,
            "withheld_for_consent": withheld,
            **counted,
        },
        "information_loss": shared.information_loss,
        "risk": shared.risk,
        "l_diversity": shared.l_diversity,
        "checks": [c.as_dict() for c in shared.checks],
        "warnings": shared.warnings,
        "withdrawals": withdrawals,
    }
    if shared is not result:
        manifest["withdrawals_only"] = True
    return manifest
