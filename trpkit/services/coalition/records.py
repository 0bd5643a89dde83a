"""The vault's rows an export shares or withdraws, and the ids a destroyed case owes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from trpkit.db.models import Application, Case, ConsentEvent, Decision, Person
from trpkit.domain.coalition_policy import Policy
from trpkit.domain.vocab import ConsentDecision
from trpkit.services.coalition._common import (
    OUTCOME_MAP,
    PURPOSE,
    TRP_TYPES,
    _as_date,
    _as_json,
    _count,
)
from trpkit.services.coalition.identity import (
    _age_at,
    _RecordNumbering,
    keyed_id,
    normalise_gender,
    normalise_office,
    normalised_identity,
)

SCAN_ALL_CONSENT_ABOVE = 5000  # cases; above this, read every coalition-consent event once


def _latest_consent(session: Session, case_ids: Iterable[int]) -> dict[int, str]:
    """The latest coalition-sharing decision per case, in the same order ``consent.has_consent`` uses."""
    ids = list(case_ids)
    latest: dict[int, str] = {}
    stmt = (
        select(ConsentEvent.case_id, ConsentEvent.decision)
        .where(ConsentEvent.purpose == PURPOSE)
        .order_by(ConsentEvent.case_id, ConsentEvent.decided_at, ConsentEvent.id)
    )
    if len(ids) > SCAN_ALL_CONSENT_ABOVE:  # a whole agency's export: one scan beats twenty IN lists
        wanted = set(ids)
        for case_id, decision in session.execute(stmt):
            if case_id in wanted:
                latest[case_id] = decision  # the last row per case wins
        return latest
    if ids:
        for case_id, decision in session.execute(stmt.where(ConsentEvent.case_id.in_(ids))):
            latest[case_id] = decision
    return latest


def _rows(
    session: Session, policy: Policy, secret: bytes, today: date, agency: str
) -> tuple[list[dict[str, Any]], int, list[str], int]:
    """(rows to share, rows withheld for consent, record ids to withdraw, cases considered)."""

    def raw_date(column):  # type: ignore[no-untyped-def]
        # SQLite returns ISO text; parsing it with date.fromisoformat is several times faster than the
        # dialect's regex (this loop runs once per decision). PostgreSQL returns dates already.
        return type_coerce(column, String)

    stmt = (
        select(
            Application.case_id,
            Application.type,
            raw_date(Application.submitted_on),
            Application.ircc_office,
            Application.policy_period,
            Application.stage,
            raw_date(Application.stage_since),
            Decision.outcome,
            raw_date(Decision.decided_on),
            Decision.duration_granted_days,
            Decision.ircc_office,
            Decision.officer_label,
            type_coerce(Decision.refusal_reasons, String),
            type_coerce(Decision.snapshot, String),
            Case.exploitation_sector,
            Case.law_enforcement_cooperation,
            Case.criminal_case_status,
            Person.legal_name,
            raw_date(Person.birth_date_earliest),
            raw_date(Person.birth_date_latest),
            Person.gender,
            Person.nationality,
        )
        .join(Case, Case.id == Application.case_id)
        .join(Person, Person.case_id == Case.id)
        .outerjoin(Decision, Decision.application_id == Application.id)
        .where(Application.type.in_(TRP_TYPES), Application.submitted_on.is_not(None))
        .order_by(Application.case_id, Application.submitted_on, Application.id)
    )
    rows = session.connection().execute(stmt).all()
    consent = _latest_consent(session, {r[0] for r in rows})
    shared: list[dict[str, Any]] = []
    withdrawn_ids: list[str] = []
    withheld = 0
    numbering = _RecordNumbering(secret)
    officer_allowed = policy.allows("officer_label")
    given, withdrawn_state = ConsentDecision.GIVEN.value, ConsentDecision.WITHDRAWN.value
    for row in rows:
        (
            case_id,
            app_type,
            submitted,
            app_office,
            app_period,
            stage,
            stage_since,
            decision_outcome,
            decided_on,
            duration,
            decision_office,
            officer_label,
            refusal_reasons,
            snapshot,
            case_sector,
            case_cooperation,
            case_criminal,
            legal_name,
            birth_earliest,
            birth_latest,
            gender,
            nationality,
        ) = row
        state = consent.get(case_id)
        if state != given and state != withdrawn_state:
            withheld += 1  # never shared, nothing to withdraw: no pseudonym needed
            continue
        submitted = _as_date(submitted)
        birth_earliest, birth_latest = _as_date(birth_earliest), _as_date(birth_latest)
        identity = normalised_identity(legal_name or "", birth_earliest, birth_latest, nationality or "")
        record_id = numbering.next_id(identity, app_type, submitted)
        if state != given:
            withheld += 1
            withdrawn_ids.append(record_id)
            continue
        snapshot = _as_json(snapshot) or {}  # decoded here, only for shared rows
        delphi = snapshot.get("delphi") or {}
        decided = decision_outcome is not None
        decided_on = _as_date(decided_on)
        if decided:
            outcome = OUTCOME_MAP.get(decision_outcome, "refused")
            end = decided_on
        elif stage == "withdrawn":
            outcome, end = "withdrawn", _as_date(stage_since)
        else:
            outcome, end = "pending", today
        officer = None
        if officer_allowed and decided and officer_label:
            officer = "of-" + keyed_id(secret, "officer", normalise_office(officer_label))[:12]
        shared.append(
            {
                "record_id": record_id,
                "agency": agency,
                "application_type": app_type,
                "submitted_date": submitted,
                "decided_date": decided_on if decided else None,
                # A pending application's days would be counted to the export date, and that date minus the
                # days gives the submission back: pending applications carry no waiting time.
                "processing_days": max((end - submitted).days, 0) if end and outcome != "pending" else None,
                "outcome": outcome,
                "duration_granted_months": round(duration / 30.4375)
                if duration and outcome == "granted"
                else None,
                "policy_period": snapshot.get("policy_period") or app_period or None,
                "exploitation_sector": snapshot.get("exploitation_sector") or case_sector or "unknown",
                "gender": normalise_gender(gender or ""),
                "age_years": _age_at(birth_earliest, birth_latest, submitted),
                "country": (nationality or "").upper(),
                "law_enforcement_cooperation": snapshot.get("law_enforcement_cooperation")
                or case_cooperation,
                "criminal_case_status": snapshot.get("criminal_case_status") or case_criminal,
                "delphi_identified": delphi.get("identified") if decided else None,
                "positive_dimensions": _count(delphi.get("positive_dimensions")) if decided else None,
                "strong_indicators": _count(delphi.get("strong")) if decided else None,
                "medium_indicators": _count(delphi.get("medium")) if decided else None,
                "weak_indicators": _count(delphi.get("weak")) if decided else None,
                "ircc_office": normalise_office(decision_office or app_office or ""),
                "officer_label": officer,
                "refusal_reasons": tuple(_as_json(refusal_reasons) or ()) if outcome == "refused" else None,
            }
        )
    return shared, withheld, withdrawn_ids, len(consent)


def case_record_ids(session: Session, secret: bytes, case_id: int) -> list[str]:
    """The keyed record ids ``export`` gives this case's decisions, as if its person had consented.

    Computed exactly as ``_rows`` does: the same rows (submitted TRP applications, joined as there), the
    same identity, and the same ``#n`` numbering, which counts every shared or withdrawn row of the same
    identity, type and month across the vault in the same order. Only cases whose person has the same
    normalised identity can share such a count, so only their rows are read.
    """
    person = select(
        Person.case_id,
        Person.legal_name,
        type_coerce(Person.birth_date_earliest, String),
        type_coerce(Person.birth_date_latest, String),
        Person.nationality,
    )
    conn = session.connection()
    mine = conn.execute(person.where(Person.case_id == case_id)).all()
    if not mine:
        return []
    _, name, earliest, latest, nationality = mine[0]
    earliest, latest = _as_date(earliest), _as_date(latest)
    target = normalised_identity(name or "", earliest, latest, nationality or "")
    # A necessary condition in SQL (the identity's birth part), the identity itself in Python.
    if earliest is not None and earliest == latest:
        person = person.where(Person.birth_date_earliest == earliest, Person.birth_date_latest == earliest)
    elif earliest is not None and latest is not None and earliest.year == latest.year:
        first, last = date(earliest.year, 1, 1), date(earliest.year, 12, 31)
        person = person.where(
            Person.birth_date_earliest.between(first, last), Person.birth_date_latest.between(first, last)
        )
    people: list[tuple[int, str]] = []
    for other_id, other_name, other_earliest, other_latest, other_nationality in conn.execute(person):
        identity = normalised_identity(
            other_name or "", _as_date(other_earliest), _as_date(other_latest), other_nationality or ""
        )
        people.append((other_id, identity))
    same = sorted({other_id for other_id, identity in people if identity == target})
    rows = session.execute(
        select(
            Application.case_id,
            Application.type,
            Application.submitted_on,
            Person.legal_name,
            Person.birth_date_earliest,
            Person.birth_date_latest,
            Person.nationality,
        )
        .join(Case, Case.id == Application.case_id)
        .join(Person, Person.case_id == Case.id)
        .outerjoin(Decision, Decision.application_id == Application.id)
        .where(
            Application.type.in_(TRP_TYPES),
            Application.submitted_on.is_not(None),
            Application.case_id.in_(same),
        )
        .order_by(Application.case_id, Application.submitted_on, Application.id)
    ).all()
    consent = _latest_consent(session, same)
    counted = (ConsentDecision.GIVEN.value, ConsentDecision.WITHDRAWN.value)
    numbering = _RecordNumbering(secret)
    ids: list[str] = []
    for row_case, app_type, submitted, legal_name, earliest, latest, nationality in rows:
        if row_case != case_id and consent.get(row_case) not in counted:
            continue  # export skips these rows before numbering
        identity = normalised_identity(
            legal_name or "", _as_date(earliest), _as_date(latest), nationality or ""
        )
        record_id = numbering.next_id(identity, app_type, _as_date(submitted))
        if row_case == case_id:
            ids.append(record_id)
    return ids
