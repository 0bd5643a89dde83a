"""Coalition sharing: export anonymised decision outcomes from the vault, and merge packages at the coalition.

At an NGO (a supervisor): ``keygen`` makes the agency's signing key, ``set_secret`` stores the coalition's
record-id secret, ``export`` builds a signed, k-anonymous package of the decisions whose person consented to
coalition sharing (the number left out for lack of consent is reported, never which cases). Its withdrawal list
holds the record ids of people who withdrew consent and those owed for destroyed case files, which retention
computes before the case is deleted (``owe_withdrawals_for_destroyed_case``) and keeps without any case link.

At the coalition (an analyst, supervisor or administrator; analysts never read case files): ``add_agency``,
``import_packages`` (all of a package or nothing of it), ``release`` (the merged records without agency,
withdrawn records removed, k re-checked) and ``records_for_report``.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import re
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import String, delete, insert, select, type_coerce, update
from sqlalchemy.orm import Session

from trpkit.analytics import merge
from trpkit.analytics import package as pkg
from trpkit.analytics.generalise import AnonymisationResult, anonymise, class_sizes, qi_columns
from trpkit.analytics.policy import Policy, load_policy
from trpkit.analytics.record import SCHEMA_VERSION, Record, write_csv
from trpkit.db.base import utcnow
from trpkit.db.models import Application, Case, ConsentEvent, Decision, Person
from trpkit.db.models.coalition import (
    CoalitionAgency,
    CoalitionImport,
    CoalitionRecord,
    CoalitionRelease,
    CoalitionSettings,
    CoalitionWithdrawal,
)
from trpkit.db.models.coalition_pending import CoalitionPendingWithdrawal
from trpkit.domain.vocab import ConsentDecision, ConsentPurpose, Role
from trpkit.errors import AccessDenied, UsageError
from trpkit.services import audit
from trpkit.services.actor import Actor

PURPOSE = ConsentPurpose.COALITION_SHARING.value
TRP_TYPES = ("initial_trp", "subsequent_trp")
OUTCOME_MAP = {
    "granted": "granted",
    "partially_granted": "granted",
    "refused": "refused",
    "withdrawn": "withdrawn",
    "returned_incomplete": "returned",
}
COALITION_ROLES = (Role.ANALYST, Role.SUPERVISOR, Role.ADMIN)
# Withdrawals owed for destroyed case files go out in every export until both hold: at least this many
# packages carried them, and the first of those was written at least this many days ago. Then the vault
# forgets them (they are re-sent like consent withdrawals, but not forever: the person's file is gone).
RESEND_MIN_PACKAGES = 2
RESEND_DAYS = 365
DESTROYED_REASONS = ("retention_end", "destroyed_early")


# ------------------------------------------------------------------------------------------------ DTOs


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


@dataclass(frozen=True)
class ReleaseResult:
    release_id: int
    records: int
    withdrawn_removed: int
    suppressed: int
    csv_text: str
    summary: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------------------------------- helpers


def _require(actor: Actor, roles: Sequence[Role], what: str) -> None:
    if actor.role not in roles:
        allowed = ", ".join(r.value for r in roles)
        raise AccessDenied(f"The {actor.role.value} role cannot {what} (allowed: {allowed}).")


def _settings(session: Session) -> CoalitionSettings | None:
    return session.scalar(select(CoalitionSettings).order_by(CoalitionSettings.id).limit(1))


_NOT_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


def _plain(text: str) -> str:
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_ALNUM.sub(" ", text.casefold())


def normalise_name(name: str) -> str:
    """Accents, case, punctuation and word order do not matter: 'López, María' == 'maria lopez'."""
    return " ".join(sorted(_plain(name).split()))


def normalised_identity(
    legal_name: str, birth_earliest: date | None, birth_latest: date | None, nationality: str
) -> str:
    if birth_earliest is not None and birth_earliest == birth_latest:
        birth = birth_earliest.isoformat()
    elif birth_earliest is not None and birth_latest is not None and birth_earliest.year == birth_latest.year:
        birth = str(birth_earliest.year)
    else:
        birth = ""
    return f"{normalise_name(legal_name)}|{birth}|{nationality.strip().upper()}"


def keyed_id(secret: bytes, *parts: str) -> str:
    message = "\x1f".join(("trpkit-coalition-v1", *parts)).encode("utf-8")
    return hmac.digest(secret, message, "sha256").hex()


def record_id_for(
    secret: bytes, identity: str, application_type: str, submitted: date, occurrence: int = 1
) -> str:
    suffix = "" if occurrence == 1 else f"#{occurrence}"
    return keyed_id(secret, identity, application_type, f"{submitted.year:04d}-{submitted.month:02d}{suffix}")


class _RecordNumbering:
    """Record ids in export order: the n-th row of one identity, application type and month is '#n'.
    Export and the ids owed by a destroyed case must number alike, so both go through this."""

    def __init__(self, secret: bytes) -> None:
        self.secret = secret
        self.seen: dict[tuple[str, str, int, int], int] = {}

    def next_id(self, identity: str, application_type: str, submitted: date) -> str:
        base = (identity, application_type, submitted.year, submitted.month)
        self.seen[base] = occurrence = self.seen.get(base, 0) + 1
        return record_id_for(self.secret, identity, application_type, submitted, occurrence)


_GENDER_WORDS = {
    "woman": "woman",
    "female": "woman",
    "f": "woman",
    "femme": "woman",
    "mujer": "woman",
    "girl": "woman",
    "man": "man",
    "male": "man",
    "m": "man",
    "homme": "man",
    "hombre": "man",
    "boy": "man",
    "trans woman": "trans_woman",
    "transgender woman": "trans_woman",
    "trans female": "trans_woman",
    "trans man": "trans_man",
    "transgender man": "trans_man",
    "trans male": "trans_man",
    "non binary": "gender_diverse",
    "nonbinary": "gender_diverse",
    "two spirit": "gender_diverse",
    "genderqueer": "gender_diverse",
    "gender diverse": "gender_diverse",
    "gender non conforming": "gender_diverse",
    "agender": "gender_diverse",
    "enby": "gender_diverse",
}


@functools.lru_cache(maxsize=4096)
def normalise_gender(text: str) -> str:
    return _GENDER_WORDS.get(" ".join(_plain(text or "").split()), "unknown")


@functools.lru_cache(maxsize=4096)
def normalise_office(text: str) -> str:
    plain = _plain(text or "").replace("ircc", " ").replace("office", " ")
    return "_".join(plain.split())


def _age_at(earliest: date | None, latest: date | None, on: date) -> float | None:
    if earliest is None and latest is None:
        return None
    low = earliest or latest
    high = latest or earliest
    assert low is not None and high is not None
    middle = low + (high - low) / 2
    return (on - middle).days / 365.2425


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


# --------------------------------------------------------------------------------------- agency setup


def keygen(session: Session, actor: Actor, agency: str, *, replace: bool = False) -> KeyInfo:
    """Make this agency's Ed25519 signing key (kept in the vault) and return the public half to share."""
    _require(actor, (Role.SUPERVISOR, Role.ADMIN), "make the agency's coalition key")
    settings = _settings(session)
    if settings is not None and settings.private_key_pem and not replace:
        raise UsageError(
            f"This vault already has a coalition key for '{settings.agency}' (fingerprint "
            f"{pkg.key_fingerprint(settings.public_key)}). Use --replace to make a new one; the "
            "coalition must then be given the new public key."
        )
    pair = pkg.generate_keypair(agency)
    if settings is None:
        settings = CoalitionSettings()
        session.add(settings)
    settings.agency = pair.agency
    settings.private_key_pem = pair.private_pem.decode("ascii")
    settings.public_key = pair.public_key
    session.flush()
    audit.record(session, actor, "coalition.keygen", None, agency=pair.agency, fingerprint=pair.fingerprint)
    return KeyInfo(pair.agency, pair.public_key, pair.fingerprint, pair.public_key_file_text())


def public_key(session: Session) -> KeyInfo | None:
    settings = _settings(session)
    if settings is None or not settings.public_key:
        return None
    text = f"{pkg.PUBLIC_KEY_PREFIX} {settings.agency} {settings.public_key}\n"
    return KeyInfo(settings.agency, settings.public_key, pkg.key_fingerprint(settings.public_key), text)


def new_secret() -> str:
    """A fresh coalition secret (the coordinator makes it once and gives it to member agencies, not analysts)."""
    return base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def set_secret(session: Session, actor: Actor, secret_b64: str) -> str:
    _require(actor, (Role.SUPERVISOR, Role.ADMIN), "set the coalition secret")
    try:
        raw = base64.b64decode(secret_b64.strip(), validate=True)
    except ValueError:
        raise UsageError(
            "the coalition secret is not base64 text; use the file the coalition gave you"
        ) from None
    if len(raw) < 16:
        raise UsageError("the coalition secret is too short (at least 16 bytes)")
    settings = _settings(session)
    if settings is None:
        settings = CoalitionSettings()
        session.add(settings)
    settings.coalition_secret = secret_b64.strip()
    session.flush()
    audit.record(
        session, actor, "coalition.secret_set", None, secret_fingerprint=hashlib.sha256(raw).hexdigest()[:12]
    )
    return hashlib.sha256(raw).hexdigest()[:12]


# ------------------------------------------------------------------------------------------- export


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
                "processing_days": max((end - submitted).days, 0) if end else None,
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


def owe_withdrawals_for_destroyed_case(
    session: Session, case_id: int, *, early: bool, today: date
) -> DestroyedCaseNotice:
    """Before a case is deleted (same transaction): keep its keyed record ids for the next exports.

    Called by retention. Only the record ids are kept (no case id or code), with the reason and the day.
    """
    settings = _settings(session)
    if settings is None or not settings.coalition_secret:
        return DestroyedCaseNotice(
            "no_coalition",
            0,
            "No coalition secret is set up here, so nothing of this case was ever shared with a coalition.",
        )
    ever_consented = session.scalar(
        select(ConsentEvent.id)
        .where(
            ConsentEvent.case_id == case_id,
            ConsentEvent.purpose == PURPOSE,
            ConsentEvent.decision == ConsentDecision.GIVEN.value,
        )
        .limit(1)
    )
    if ever_consented is None:
        return DestroyedCaseNotice(
            "not_shared",
            0,
            "The person never consented to coalition sharing: nothing of this case was shared.",
        )
    ids = case_record_ids(session, base64.b64decode(settings.coalition_secret), case_id)
    if not ids:
        return DestroyedCaseNotice(
            "not_shared", 0, "The case had no submitted TRP application: nothing of it was shared."
        )
    owed = set(
        session.scalars(
            select(CoalitionPendingWithdrawal.record_id).where(CoalitionPendingWithdrawal.record_id.in_(ids))
        )
    )
    fresh = sorted(set(ids) - owed)
    if fresh:
        reason = DESTROYED_REASONS[1] if early else DESTROYED_REASONS[0]
        session.execute(
            insert(CoalitionPendingWithdrawal),
            [{"record_id": r, "reason": reason, "recorded_on": today, "packages": 0} for r in fresh],
        )
    count = len(set(ids))
    return DestroyedCaseNotice(
        "pending",
        count,
        f"{count} decision record(s) of this case will be withdrawn from the coalition's data at the next "
        "'trpkit coalition export' (any decision that was shared).",
    )


def pending_withdrawals(session: Session) -> list[str]:
    """Record ids owed for destroyed case files, in the order they were recorded (no case is named)."""
    return list(
        session.scalars(select(CoalitionPendingWithdrawal.record_id).order_by(CoalitionPendingWithdrawal.id))
    )


def _mark_sent(session: Session, record_ids: Sequence[str], now: datetime) -> int:
    """A package carrying ``record_ids`` was written: count it, and forget those sent long and often
    enough. Returns how many the vault no longer holds."""
    if not record_ids:
        return 0
    rows = session.scalars(
        select(CoalitionPendingWithdrawal).where(CoalitionPendingWithdrawal.record_id.in_(list(record_ids)))
    ).all()
    done = []
    for row in rows:
        row.first_sent_at = row.first_sent_at or now
        row.last_sent_at = now
        row.packages += 1
        if row.packages >= RESEND_MIN_PACKAGES and (now - row.first_sent_at).days >= RESEND_DAYS:
            done.append(row.id)
    session.flush()
    if done:
        session.execute(delete(CoalitionPendingWithdrawal).where(CoalitionPendingWithdrawal.id.in_(done)))
    return len(done)


def _as_json(value: Any) -> Any:
    """SQLite gives the JSON text; PostgreSQL's driver has parsed it already."""
    return json.loads(value) if isinstance(value, str) else value


def _as_date(value: Any) -> date | None:
    if value.__class__ is str:
        return _fromisoformat(value[:10])
    if value is None or isinstance(value, date):
        return value
    return _fromisoformat(str(value)[:10])


_fromisoformat = date.fromisoformat


def _count(value: Any) -> int | None:
    if value.__class__ is int:
        return max(value, 0)
    if value is None:
        return None
    if isinstance(value, (list, tuple, set)):
        return len(value)
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return None


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
    settings = _settings(session)
    if settings is None or not settings.private_key_pem:
        raise UsageError("No coalition key in this vault: run 'trpkit coalition keygen --agency ID' first.")
    if not settings.coalition_secret:
        raise UsageError(
            "No coalition secret in this vault: ask the coalition for it and run "
            "'trpkit coalition secret --import FILE'."
        )
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
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "agency": settings.agency,
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
        owed_forgotten=forgotten,
        k=policy.k,
    )
    return ExportResult(True, result.refusal, data, manifest, summary, shared is not result)


# ------------------------------------------------------------------------------------ coalition store


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


def import_package_bytes(
    session: Session, actor: Actor, data: bytes, *, source: str = "package", policy: Policy | None = None
) -> ImportResult:
    """Import one package entirely, or refuse it entirely (nothing of it is written)."""
    _require(actor, COALITION_ROLES, "import coalition packages")
    policy = policy or load_policy()
    try:
        package = pkg.read_bytes(data, source=source)
        if session.scalar(
            select(CoalitionImport.id).where(
                CoalitionImport.package_sha256 == hashlib.sha256(data).hexdigest()
            )
        ):
            raise pkg.PackageRefused("already imported: this exact package is in the store")
        checked = merge.check(package, policy, _known_keys(session))
    except pkg.PackageRefused as exc:
        audit.record(session, actor, "coalition.import_refused", None, reason=str(exc)[:200])
        return ImportResult(source, False, str(exc))
    with session.begin_nested():
        batch = CoalitionImport(
            package_sha256=package.sha256,
            agency=checked.agency,
            exported_at=str(package.manifest.get("created_at", "")),
            imported_by=actor.username,
            manifest={k: v for k, v in package.manifest.items() if k != "withdrawals"},
        )
        session.add(batch)
        session.flush()
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
        new_rows = []
        replaced = duplicates = 0
        now = utcnow()
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
                        "import_id": batch.id,
                        "fields": {} if is_gone else fields,
                        "also_from": [],
                        "imported_at": now,
                        "withdrawn_at": now if is_gone else None,
                    }
                )
            elif current.agency == checked.agency:
                if current.withdrawn_at is None and not is_gone:
                    current.fields = fields  # a newer export of the same decision from the same agency
                current.import_id = batch.id
                replaced += 1
            else:
                if checked.agency not in (current.also_from or []):
                    current.also_from = [*(current.also_from or []), checked.agency]
                duplicates += 1
        if new_rows:
            session.execute(insert(CoalitionRecord), new_rows)
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
        source, True, "", checked.agency, len(new_rows), replaced, duplicates, len(fresh), checked.checks
    )


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


def release(session: Session, actor: Actor, *, policy: Policy | None = None) -> ReleaseResult:
    """The merged records for publication: agency removed, withdrawn records out, k re-checked on the whole."""
    _require(actor, COALITION_ROLES, "make a coalition release")
    policy = policy or load_policy()
    records = records_for_report(session, actor)
    for record in records:
        record.pop("agency", None)
    columns = qi_columns(policy.quasi_identifiers)
    groups: dict[tuple[Any, ...], int] = {}
    for record in records:
        key = tuple(record.get(c) for c in columns)
        groups[key] = groups.get(key, 0) + 1
    # Withdrawals (or a mix of generalisation levels) can leave a group below k: leave those records out too.
    kept = [r for r in records if groups[tuple(r.get(c) for c in columns)] >= policy.k]
    suppressed = len(records) - len(kept)
    sizes = class_sizes(kept, columns)
    previous = session.scalar(select(CoalitionRelease).order_by(CoalitionRelease.id.desc()).limit(1))
    since = previous.created_at if previous is not None else None
    stmt = select(CoalitionRecord.id).where(CoalitionRecord.withdrawn_at.is_not(None))
    if since is not None:
        stmt = stmt.where(CoalitionRecord.withdrawn_at > since)
    removed = len(session.scalars(stmt).all())
    from trpkit.analytics.record import COLUMN_NAMES

    present: set[str] = set()
    for record in kept:
        present.update(record)
    shared = [c for c in COLUMN_NAMES if c != "agency" and (c in present or not kept)]
    csv_text = write_csv(kept, shared)
    digest = hashlib.sha256(csv_text.encode("utf-8")).hexdigest()
    summary = {
        "k": policy.k,
        "smallest_group": min(sizes) if sizes else 0,
        "groups": len(sizes),
        "prosecutor_max": round(1 / min(sizes), 4) if sizes else 0.0,
    }
    row = CoalitionRelease(
        created_by=actor.username,
        records=len(kept),
        withdrawn_removed=removed,
        suppressed=suppressed,
        k=policy.k,
        sha256=digest,
        summary=summary,
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
    )
    return ReleaseResult(row.id, len(kept), removed, suppressed, csv_text, summary)
