"""The vault's rows an export shares or withdraws, and the ids a destroyed case owes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, String, select, type_coerce
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


def _raw_date(column: Any) -> ColumnElement[str]:
    # SQLite returns ISO text; parsing it with date.fromisoformat is several times faster than the
    # dialect's regex (this loop runs once per decision). PostgreSQL returns dates already.
    return type_coerce(column, String)


class _VaultRow(NamedTuple):
    """One submitted TRP application as ``_export_query`` reads it (dates as ISO text or dates)."""

    case_id: int
    app_type: str
    submitted: Any
    app_office: str | None
    app_period: str | None
    stage: str | None
    stage_since: Any
    decision_outcome: str | None
    decided_on: Any
    duration: int | None
    decision_office: str | None
    officer_label: str | None
    refusal_reasons: Any
    snapshot: Any
    case_sector: str | None
    case_cooperation: str | None
    case_criminal: str | None
    legal_name: str | None
    birth_earliest: Any
    birth_latest: Any
    gender: str | None
    nationality: str | None


def _export_query() -> Select[*tuple[Any, ...]]:
    """Every submitted TRP application with its decision, case and person, in the numbering's order."""
    return (
        select(
            Application.case_id,
            Application.type,
            _raw_date(Application.submitted_on),
            Application.ircc_office,
            Application.policy_period,
            Application.stage,
            _raw_date(Application.stage_since),
            Decision.outcome,
            _raw_date(Decision.decided_on),
            Decision.duration_granted_days,
            Decision.ircc_office,
            Decision.officer_label,
            type_coerce(Decision.refusal_reasons, String),
            type_coerce(Decision.snapshot, String),
            Case.exploitation_sector,
            Case.law_enforcement_cooperation,
            Case.criminal_case_status,
            Person.legal_name,
            _raw_date(Person.birth_date_earliest),
            _raw_date(Person.birth_date_latest),
            Person.gender,
            Person.nationality,
        )
        .join(Case, Case.id == Application.case_id)
        .join(Person, Person.case_id == Case.id)
        .outerjoin(Decision, Decision.application_id == Application.id)
        .where(Application.type.in_(TRP_TYPES), Application.submitted_on.is_not(None))
        .order_by(Application.case_id, Application.submitted_on, Application.id)
    )


@dataclass(frozen=True)
class _Export:
    """What every shared record of one export is written with."""

    agency: str
    today: date
    secret: bytes
    officer_allowed: bool


def _rows(
    session: Session, policy: Policy, secret: bytes, today: date, agency: str
) -> tuple[list[dict[str, Any]], int, list[str], int]:
    """(rows to share, rows withheld for consent, record ids to withdraw, cases considered)."""
    rows = [_VaultRow._make(row) for row in session.connection().execute(_export_query())]
    consent = _latest_consent(session, {r.case_id for r in rows})
    shared: list[dict[str, Any]] = []
    withdrawn_ids: list[str] = []
    withheld = 0
    numbering = _RecordNumbering(secret)
    export = _Export(agency, today, secret, policy.allows("officer_label"))
    given, withdrawn_state = ConsentDecision.GIVEN.value, ConsentDecision.WITHDRAWN.value
    for row in rows:
        state = consent.get(row.case_id)
        if state != given and state != withdrawn_state:
            withheld += 1  # never shared, nothing to withdraw: no pseudonym needed
            continue
        submitted = _as_date(row.submitted)
        assert submitted is not None  # the query reads submitted applications only
        earliest, latest = _as_date(row.birth_earliest), _as_date(row.birth_latest)
        identity = normalised_identity(row.legal_name or "", earliest, latest, row.nationality or "")
        record_id = numbering.next_id(identity, row.app_type, submitted)
        if state != given:
            withheld += 1
            withdrawn_ids.append(record_id)
            continue
        age = _age_at(earliest, latest, submitted)
        shared.append(_shared_record(row, record_id, submitted, age, export))
    return shared, withheld, withdrawn_ids, len(consent)


def _shared_record(
    row: _VaultRow, record_id: str, submitted: date, age: float | None, export: _Export
) -> dict[str, Any]:
    """The record of one consented application, before generalisation."""
    snapshot = _as_json(row.snapshot) or {}  # decoded here, only for shared rows
    delphi = snapshot.get("delphi") or {}
    decided = row.decision_outcome is not None
    decided_on = _as_date(row.decided_on)
    end: date | None
    if row.decision_outcome is not None:
        outcome = OUTCOME_MAP.get(row.decision_outcome, "refused")
        end = decided_on
    elif row.stage == "withdrawn":
        outcome, end = "withdrawn", _as_date(row.stage_since)
    else:
        outcome, end = "pending", export.today
    officer = None
    if export.officer_allowed and decided and row.officer_label:
        officer = "of-" + keyed_id(export.secret, "officer", normalise_office(row.officer_label))[:12]
    duration = row.duration
    return {
        "record_id": record_id,
        "agency": export.agency,
        "application_type": row.app_type,
        "submitted_date": submitted,
        "decided_date": decided_on if decided else None,
        # A pending application's days would be counted to the export date, and that date minus the
        # days gives the submission back: pending applications carry no waiting time.
        "processing_days": max((end - submitted).days, 0) if end and outcome != "pending" else None,
        "outcome": outcome,
        "duration_granted_months": round(duration / 30.4375) if duration and outcome == "granted" else None,
        "policy_period": snapshot.get("policy_period") or row.app_period or None,
        "exploitation_sector": snapshot.get("exploitation_sector") or row.case_sector or "unknown",
        "gender": normalise_gender(row.gender or ""),
        "age_years": age,
        "country": (row.nationality or "").upper(),
        "law_enforcement_cooperation": snapshot.get("law_enforcement_cooperation") or row.case_cooperation,
        "criminal_case_status": snapshot.get("criminal_case_status") or row.case_criminal,
        "delphi_identified": delphi.get("identified") if decided else None,
        "positive_dimensions": _count(delphi.get("positive_dimensions")) if decided else None,
        "strong_indicators": _count(delphi.get("strong")) if decided else None,
        "medium_indicators": _count(delphi.get("medium")) if decided else None,
        "weak_indicators": _count(delphi.get("weak")) if decided else None,
        "ircc_office": normalise_office(row.decision_office or row.app_office or ""),
        "officer_label": officer,
        "refusal_reasons": tuple(_as_json(row.refusal_reasons) or ()) if outcome == "refused" else None,
    }


def case_record_ids(session: Session, secret: bytes, case_id: int) -> list[str]:
    """The keyed record ids ``export`` gives this case's decisions, as if its person had consented.

    Computed exactly as ``_rows`` does: the same rows (submitted TRP applications, joined as there), the
    same identity, and the same ``#n`` numbering, which counts every shared or withdrawn row of the same
    identity, type and month across the vault in the same order. Only cases whose person has the same
    normalised identity can share such a count, so only their rows are read.
    """
    same = _same_identity_cases(session, case_id)
    if not same:
        return []
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
        submitted_on = _as_date(submitted)
        assert submitted_on is not None  # the query reads submitted applications only
        record_id = numbering.next_id(identity, app_type, submitted_on)
        if row_case == case_id:
            ids.append(record_id)
    return ids


def _same_identity_cases(session: Session, case_id: int) -> list[int]:
    """The cases whose person has the same normalised identity as ``case_id``'s (itself included)."""
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
    _, name, earliest_text, latest_text, nationality = mine[0]
    earliest, latest = _as_date(earliest_text), _as_date(latest_text)
    target = normalised_identity(name or "", earliest, latest, nationality or "")
    # A necessary condition in SQL (the identity's birth part), the identity itself in Python.
    if earliest is not None and earliest == latest:
        person = person.where(Person.birth_date_earliest == earliest, Person.birth_date_latest == earliest)
    elif earliest is not None and latest is not None and earliest.year == latest.year:
        first, last = date(earliest.year, 1, 1), date(earliest.year, 12, 31)
        person = person.where(
            Person.birth_date_earliest.between(first, last), Person.birth_date_latest.between(first, last)
        )
    same: set[int] = set()
    for other_id, other_name, other_earliest, other_latest, other_nationality in conn.execute(person):
        identity = normalised_identity(
            other_name or "", _as_date(other_earliest), _as_date(other_latest), other_nationality or ""
        )
        if identity == target:
            same.add(other_id)
    return sorted(same)
