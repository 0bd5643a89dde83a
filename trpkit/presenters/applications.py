"""Applications and decisions in words: `trpkit application show` / `decision show` and the
Applications tab say the same."""

from __future__ import annotations

from trpkit.domain.applications import NEXT_STAGES, OUTCOME_LABELS, STAGE_LABELS
from trpkit.services.applications_views import ApplicationDetail, ApplicationSummary, DecisionDetail

LIST_HEADERS = ("Application", "Type", "Stage", "Since", "Submitted", "Decision", "Valid to")


def rules_in_force(period_id: str) -> str:
    """A policy period said without its internal id: "IRCC rules in force since 2025-02-04"."""
    from trpkit.loading.ircc_periods import policy_data

    try:
        period = policy_data().by_id(period_id)
    except (KeyError, LookupError, ValueError):
        return "IRCC rules of the time"
    return f"IRCC rules in force since {period.effective_from:%Y-%m-%d}"


def list_row(app: ApplicationSummary | ApplicationDetail) -> tuple[str, ...]:
    """One row of a list of applications (the CLI's table and the tab's table)."""
    if isinstance(app, ApplicationDetail):
        decision = app.decision
        outcome = decision.outcome_label if decision else ""
        valid_to = decision.validity_end if decision else None
    else:
        outcome = OUTCOME_LABELS.get(app.outcome, app.outcome) if app.outcome else ""
        valid_to = app.validity_end
    return (
        app.ref,
        app.type_label,
        app.stage_label,
        str(app.stage_since),
        str(app.submitted_on or ""),
        outcome,
        str(valid_to or ""),
    )


def _facts(app: ApplicationDetail) -> str:
    parts = [f"submitted {app.submitted_on}" if app.submitted_on else "not submitted"]
    if app.ircc_office:
        parts.append(f"office {app.ircc_office}")
    if app.file_number:
        parts.append(f"file {app.file_number}")
    if app.policy_period:
        parts.append(rules_in_force(app.policy_period))
    if app.draft_id is not None:
        parts.append(f"draft #{app.draft_id}")
    return "; ".join(parts)


def application_lines(app: ApplicationDetail) -> list[str]:
    """One application: what it is, its stages in order, its decision, what can come next."""
    lines = [
        f"{app.ref}  {app.type_label}: {app.stage_label} since {app.stage_since} (version {app.version})",
        f"  {_facts(app)}",
    ]
    for event in app.events:
        due = f" (due {event.due_on})" if event.due_on else ""
        note = f" — {event.note}" if event.note else ""
        lines.append(f"  {event.occurred_on}  {STAGE_LABELS.get(event.stage, event.stage)}{due}{note}")
    if app.decision is not None:
        lines += decision_lines(app.decision, indent="  ")
    nexts = NEXT_STAGES.get(app.stage, ())
    if nexts:
        lines.append("  Next: " + ", ".join(STAGE_LABELS[s] for s in nexts) + " — or record the decision")
    return lines


def _delphi(snapshot: dict[str, object]) -> str:
    delphi = snapshot.get("delphi")
    identified = delphi.get("identified") if isinstance(delphi, dict) else None
    if identified is None:
        return "?"
    return "identified" if identified else "not identified"


def decision_lines(d: DecisionDetail, indent: str = "") -> list[str]:
    """IRCC's decision: outcome, validity, conditions, reasons, and the file as it stood that day."""
    lines = [
        f"{indent}Decision: {d.outcome_label} on {d.decided_on}"
        + (f" by {d.ircc_office}" if d.ircc_office else "")
        + (f", officer {d.officer_label}" if d.officer_label else "")
    ]
    if d.validity_end:
        lines.append(
            f"{indent}  valid {d.validity_start} to {d.validity_end} ({d.duration_granted_days} days)"
        )
    if d.conditions:
        lines.append(f"{indent}  conditions: {d.conditions}")
    lines += [
        f"{indent}  reason: {code} — {label}"
        for code, label in zip(d.refusal_reasons, d.refusal_reason_labels, strict=False)
    ]
    if d.reasons_text:
        lines.append(f"{indent}  reasons given: {d.reasons_text}")
    snap = d.snapshot
    if snap:
        exhibits = snap.get("exhibits")
        lines.append(
            f"{indent}  at decision: police {snap.get('law_enforcement_cooperation')}, criminal case "
            f"{snap.get('criminal_case_status')}, sector {snap.get('exploitation_sector')}, exhibits "
            f"{exhibits if exhibits is not None else '?'}, Delphi {_delphi(snap)}"
            f", period {snap.get('policy_period') or '-'}"
        )
    return lines


def added(app: ApplicationDetail) -> str:
    return f"Added {app.ref} ({app.stage_label})."


def advanced(app: ApplicationDetail) -> str:
    return f"{app.ref}: {app.stage_label} since {app.stage_since}."


def decided(d: DecisionDetail) -> str:
    return f"{d.ref}: {d.outcome_label} on {d.decided_on}" + (
        f", valid to {d.validity_end}." if d.validity_end else "."
    )
