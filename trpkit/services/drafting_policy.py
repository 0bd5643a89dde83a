"""The IRCC policy a letter cites on its date, and the person's previous permit and IRCC office."""

from __future__ import annotations

from datetime import date

from trpkit.documents.context import PermitData, PolicyFacts
from trpkit.services.drafting_source import LetterSource

TRP_TYPES = ("initial_trp", "subsequent_trp")


def policy_for_letter(
    on: date, application_type: str, language: str = "en"
) -> tuple[PolicyFacts | None, str]:
    """The IRCC policy in force on the letter's date, and what readiness should say about it."""
    from trpkit.domain.ircc_periods import NoPolicyPeriod
    from trpkit.loading.errors import DataFileError
    from trpkit.loading.ircc_periods import policy_in_force

    try:
        period = policy_in_force(on)
    except NoPolicyPeriod as exc:
        return None, str(exc)
    except DataFileError as exc:
        return None, f"policy data cannot be read: {exc}"
    kind = application_type or "initial_trp"
    days = period.duration_to_request_days(kind) if kind in TRP_TYPES else None
    if kind == "initial_trp":
        duration_kind = "minimum" if period.value("initial_trp_min_days") else "maximum"
    else:
        duration_kind = "typical"
    problem = ""
    if kind in TRP_TYPES and not days:
        problem = (
            f"The policy period in force on {on.isoformat()} ({period.id}) sets no permit length for "
            f"{kind.replace('_', ' ')}: the letter will not name a duration."
        )
    return PolicyFacts(
        period.id,
        period.title_in(language),
        period.effective_from,
        days,
        duration_kind,
        period.fee_exempt(kind),
        period.instruments_in(language),
        period.weakest_status,
    ), problem


def permit_and_office(source: LetterSource, application_type: str) -> tuple[PermitData | None, str]:
    """The last TRP granted (the subsequent letter cites it), and the IRCC office of this application type."""
    from trpkit.services.applications import case_applications

    apps = case_applications(source.session, source.actor, source.code)
    permit = None
    for app in apps:  # newest first
        decision = app.decision
        if (
            app.type in TRP_TYPES
            and decision is not None
            and decision.outcome in ("granted", "partially_granted")
        ):
            days = decision.duration_granted_days
            if days is None and decision.validity_start and decision.validity_end:
                days = (decision.validity_end - decision.validity_start).days + 1
            permit = PermitData(app.file_number, decision.validity_start, decision.validity_end, days)
            break
    office = next((a.ircc_office for a in apps if a.type == application_type and a.ircc_office), "")
    return permit, office
