"""What is due, overdue and coming across the cases a person may open.

Built from two set-based queries (granted permits; applications still open), whatever the number of
cases, then the pure clocks in trpkit.domain.clocks. Items name case codes, never people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from trpkit.db.models import Application, Case, Decision
from trpkit.documents.calendar import CalendarEvent
from trpkit.documents.calendar import to_ics as calendar_bytes
from trpkit.domain.applications import (
    FAMILY_LABELS,
    GRANTING_OUTCOMES,
    OPEN_STAGES,
    PERMIT_FAMILIES,
    SHORT_LABELS,
    STAGE_LABELS,
    TRP_TYPES,
)
from trpkit.domain.clocks import (
    DEFAULT_REMINDER_OFFSETS,
    PERMIT_HOLDER_YEARS,
    PERMIT_HOLDER_YEARS_HEALTH,
    Absence,
    ContinuityClock,
    Permit,
    add_years,
    clean_offsets,
    current_reminder,
    health_only,
    info_request_followups,
    permit_holder_clock,
    processing_followup,
)
from trpkit.domain.ircc_periods import NoPolicyPeriod, PolicyData
from trpkit.errors import UsageError
from trpkit.loading.errors import DataFileError
from trpkit.loading.ircc_periods import policy_data
from trpkit.services import audit
from trpkit.services.access import require_case, visible_cases
from trpkit.services.actor import Actor
from trpkit.services.applications import make_ref
from trpkit.services.clock_facts import (
    AbsenceView,
    GroundView,
    clock_facts_for,
    get_ground,
    list_absences,
    parse_ground,
)

LAPSE_LOOKBACK_DAYS = 90  # a permit that lapsed longer ago than this is history, not a deadline
DEFAULT_DUE_WINDOW = 14
DEFAULT_PROCESSING_DAYS = 218  # IRCC's 2023 average for VTIP TRPs, used if no policy period says otherwise

KIND_LABELS = {
    "permit_expiry": "expires",
    "reflection_end": "reflection period ends",
    "renewal_reminder": "start renewal",
    "info_request": "respond to IRCC's request",
    "info_prepare": "prepare response to IRCC",
    "interview": "IRCC interview",
    "processing_followup": "no decision yet, follow up with IRCC",
    "pr_eligible": "may apply for PR (permit holder class)",
    "document_expiry": "document expires",
    "document_age": "document too old for IRCC",
}


@dataclass(frozen=True)
class DeadlineItem:
    case_code: str
    ref: str | None  # application reference, when the item belongs to one
    kind: str
    title: str  # short text with no names: safe for a calendar
    due: date
    status: str  # overdue | due | coming
    days_left: int  # negative when overdue
    detail: str = ""
    assumed: bool = False  # the date is a default (e.g. IRCC's letter gave no response date)


@dataclass(frozen=True)
class DeadlineSummary:
    today: date
    overdue: int
    due: int
    coming: int
    items: tuple[DeadlineItem, ...]


def _status(due: date, today: date, due_window: int) -> str:
    if due < today:
        return "overdue"
    if due <= today + timedelta(days=due_window):
        return "due"
    return "coming"


def _processing_days(submitted_on: date, data: PolicyData | None, cache: dict[date, int]) -> int:
    days = cache.get(submitted_on)
    if days is None:
        try:
            days = (
                data.in_force(submitted_on).value("processing_days_reference") if data else None
            ) or DEFAULT_PROCESSING_DAYS
        except NoPolicyPeriod:
            days = DEFAULT_PROCESSING_DAYS
        cache[submitted_on] = days
    return days


def compute_deadlines(
    permits: Iterable[tuple[Any, ...]],
    open_apps: Iterable[tuple[Any, ...]],
    *,
    today: date,
    offsets: Iterable[int] = DEFAULT_REMINDER_OFFSETS,
    due_window: int = DEFAULT_DUE_WINDOW,
    health_inadmissible: frozenset[str] = frozenset(),
    grounds: dict[str, str] | None = None,
    absences: dict[str, list[Absence]] | None = None,
    horizon: date | None = None,
    documents: Iterable[tuple[Any, ...]] = (),
    document_rules: dict[tuple[str, str], tuple[str, int | None]] | None = None,
) -> list[DeadlineItem]:
    """Turn rows into deadline items (pure; the queries are in ``list_deadlines``).

    ``permits``: (case_code, seq, type, validity_start, validity_end, applied_on) of granted permits.
    ``open_apps``: (case_code, seq, type, stage, stage_since, stage_due_on, submitted_on) not yet decided.
    ``grounds``: case code -> health | other | unknown (a case missing from it is "unknown": 5 years);
    ``health_inadmissible`` (codes) overrides it with "health". ``absences``: case code -> absences from Canada.
    ``horizon``: leave out anything due after this date.
    ``documents``: (case_code, application_type, item_id, obtained_on, expires_on) of documents obtained;
    ``document_rules``: (application_type, item_id) -> (short label, max_age_days) from the checklists.
    """
    offsets = clean_offsets(offsets)
    items: list[DeadlineItem] = []
    try:
        policies: PolicyData | None = policy_data()
    except DataFileError:
        policies = None  # a broken data file must not hide deadlines: fall back to the default
    processing_cache: dict[date, int] = {}
    due_limit = today + timedelta(days=due_window)
    lapse_cut = today - timedelta(days=LAPSE_LOOKBACK_DAYS)

    def add(
        code: str, seq: int | None, kind: str, title: str, due: date, detail: str = "", assumed: bool = False
    ) -> None:
        if horizon is not None and due > horizon:
            return
        items.append(
            DeadlineItem(
                code,
                make_ref(code, seq) if seq else None,
                kind,
                f"{code}: {title}",
                due,
                "overdue" if due < today else "due" if due <= due_limit else "coming",
                (due - today).days,
                detail,
                assumed,
            )
        )

    pending: dict[tuple[str, str], list[tuple[Any, ...]]] = defaultdict(list)
    pr_applied: set[str] = set()
    for row in open_apps:
        code, seq, kind, stage, since, stage_due, submitted = row
        if kind == "pr_permit_holder" and stage in OPEN_STAGES:
            pr_applied.add(code)
        family = PERMIT_FAMILIES.get(kind)
        if family:
            pending[(code, family)].append(row)
        short = SHORT_LABELS.get(kind, kind)
        if stage == "info_requested":
            for follow in info_request_followups(since, stage_due):
                if follow.kind == "prepare_response" and follow.due < today:
                    continue
                what = "info_request" if follow.kind == "respond_by" else "info_prepare"
                add(
                    code,
                    seq,
                    what,
                    f"{KIND_LABELS[what]} ({short})",
                    follow.due,
                    "no date in IRCC's letter recorded: 30 days assumed, check the letter"
                    if follow.assumed
                    else "",
                    follow.assumed,
                )
        elif stage == "interview_scheduled" and stage_due is not None:
            add(code, seq, "interview", f"{KIND_LABELS['interview']} ({short})", stage_due)
        elif stage in ("submitted", "acknowledged") and submitted is not None and kind in TRP_TYPES:
            days = _processing_days(submitted, policies, processing_cache)
            due = processing_followup(submitted, days)
            if horizon is None or due <= horizon:
                add(
                    code,
                    seq,
                    "processing_followup",
                    f"{short}: {KIND_LABELS['processing_followup']}",
                    due,
                    f"submitted {submitted}; published average {days} days",
                )

    latest: dict[tuple[str, str], tuple[Any, ...]] = {}
    trp_permits: dict[str, list[tuple[Any, ...]]] = defaultdict(
        list
    )  # Permits are built only for clocks that matter
    for row in permits:
        code, seq, kind, _start, end, _applied = row
        family = PERMIT_FAMILIES.get(kind)
        if family is None or end is None:
            continue
        if kind in TRP_TYPES:
            trp_permits[code].append(row)
        key = (code, family)
        if key not in latest or (end, seq) > (latest[key][4], latest[key][1]):
            latest[key] = row

    for (code, family), (_, seq, kind, _start, end, _applied) in latest.items():
        if end < lapse_cut:
            continue
        if horizon is not None and end - timedelta(days=offsets[0]) > horizon:
            continue  # neither the expiry nor any reminder falls inside the window
        renewals = [r for r in pending.get((code, family), ()) if r[3] in OPEN_STAGES]
        drafts = [r for r in pending.get((code, family), ()) if r[3] == "draft"]
        what = FAMILY_LABELS[family]
        if kind == "initial_trp":
            kind_key, title = "reflection_end", "initial TRP ends (end of the reflection period)"
        else:
            kind_key, title = "permit_expiry", f"{what} {KIND_LABELS['permit_expiry']}"
        if renewals:
            r = renewals[0]
            add(
                code,
                seq,
                kind_key,
                title,
                end,
                f"renewal {make_ref(code, r[1])} {STAGE_LABELS.get(r[3], r[3])}"
                + (f" since {r[6]}" if r[6] else ""),
            )
            continue
        detail = f"draft {make_ref(code, drafts[0][1])} started" if drafts else "no renewal application yet"
        add(code, seq, kind_key, title, end, detail)
        if end >= today:
            passed, upcoming = current_reminder(end, today, offsets)
            reminder = passed or upcoming
            if reminder is not None:
                add(
                    code,
                    seq,
                    "renewal_reminder",
                    f"{KIND_LABELS['renewal_reminder']} of {what} ({reminder.days_before} days before {end})",
                    reminder.due,
                    detail,
                )

    known = grounds or {}
    trips = absences or {}
    for code, rows in trp_permits.items():
        if code in pr_applied:
            continue  # the PR application is in: the clock has done its job
        ground = "health" if code in health_inadmissible else known.get(code, "unknown")
        health = health_only(ground)
        if horizon is not None:
            years = PERMIT_HOLDER_YEARS_HEALTH if health else PERMIT_HOLDER_YEARS
            if add_years(min(r[3] or r[4] for r in rows), years) > horizon:
                continue  # cannot reach the mark inside the window (absences only push it later)
        chain = [Permit(r[3] or r[4], r[4], r[5], make_ref(code, r[1])) for r in rows]
        pending_trp = [r[6] for r in pending.get((code, "trp"), ()) if r[3] in OPEN_STAGES and r[6]]
        clock = permit_holder_clock(
            chain,
            today,
            health_inadmissible=health,
            pending_application_on=min(pending_trp) if pending_trp else None,
            absences=trips.get(code, ()),
        )
        if (
            clock.eligible_on is not None
            and not clock.broken
            and clock.covered_until is not None
            and clock.eligible_on <= clock.covered_until + timedelta(days=1)
        ):
            detail = f"{clock.required_years} years of continuous TRPs since {clock.continuous_since}"
            if ground == "unknown":
                detail += "; ground not recorded (3 years if health grounds only)"
            if clock.eligible_on_without_abroad is not None:
                detail += (
                    f"; {clock.abroad_days} day(s) abroad may not count "
                    f"(then {clock.eligible_on_without_abroad})"
                )
            add(code, None, "pr_eligible", KIND_LABELS["pr_eligible"], clock.eligible_on, detail)
    rules = document_rules or {}
    drafting = {(r[0], r[2]) for r in open_apps if r[3] == "draft"} if documents else set()
    for code, app_type, item_id, obtained, expires in documents:
        label, max_age = rules.get((app_type, item_id), (item_id.replace("-", " "), None))
        short = SHORT_LABELS.get(app_type, app_type)
        if expires is not None and expires >= lapse_cut:
            add(
                code,
                None,
                "document_expiry",
                f"{label} expires ({short} checklist)",
                expires,
                "renew it or explain in the submission",
            )
        if max_age and obtained is not None and (code, app_type) in drafting:
            add(
                code,
                None,
                "document_age",
                f"{label} too old for IRCC ({short} checklist)",
                obtained + timedelta(days=max_age),
                f"obtained {obtained}; IRCC expects it under {max_age} days old",
            )
    items.sort(key=attrgetter("due", "case_code", "kind"))
    return items


def _permit_rows(session: Session, actor: Actor, case_id: int | None = None) -> list[tuple[Any, ...]]:
    stmt = (
        visible_cases(
            actor,
            select(
                Case.code,
                Application.seq,
                Application.type,
                Decision.validity_start,
                Decision.validity_end,
                Application.submitted_on,
            ),
        )
        .join(Decision, Decision.case_id == Case.id)
        .join(Application, Application.id == Decision.application_id)
    )
    stmt = stmt.where(
        Case.status != "closed",
        Decision.outcome.in_(GRANTING_OUTCOMES),
        Decision.validity_end.is_not(None),
        Application.type.in_(tuple(PERMIT_FAMILIES)),
    )
    if case_id is not None:
        stmt = stmt.where(Case.id == case_id)
    return list(session.connection().execute(stmt).all())  # Core: no ORM row processing


def _open_rows(session: Session, actor: Actor, case_id: int | None = None) -> list[tuple[Any, ...]]:
    stmt = visible_cases(
        actor,
        select(
            Case.code,
            Application.seq,
            Application.type,
            Application.stage,
            Application.stage_since,
            Application.stage_due_on,
            Application.submitted_on,
        ),
    ).join(Application, Application.case_id == Case.id)
    stmt = stmt.where(Case.status != "closed", Application.stage.in_(("draft", *OPEN_STAGES)))
    if case_id is not None:
        stmt = stmt.where(Case.id == case_id)
    return list(session.connection().execute(stmt).all())  # Core: no ORM row processing


def _document_rows(
    session: Session,
    actor: Actor,
    case_id: int | None,
    *,
    today: date,
    horizon: date | None,
    rules: dict[tuple[str, str], tuple[str, int | None]],
) -> list[tuple[Any, ...]]:
    """Documents marked obtained in the drafting area's checklists whose dates can matter in the window:
    an expiry between the look-back and the horizon, or an age limit on a document for an application
    still being drafted."""
    from sqlalchemy import and_, exists, or_

    from trpkit.db.models.drafts import ChecklistItemStatus as Item

    expiring = Item.expires_on >= today - timedelta(days=LAPSE_LOOKBACK_DAYS)
    if horizon is not None:
        expiring = and_(expiring, Item.expires_on <= horizon)
    clauses = [expiring]
    aged = {item_id: age for (_, item_id), (_, age) in rules.items() if age}
    if aged:
        drafting = exists().where(
            Application.case_id == Item.case_id,
            Application.type == Item.application_type,
            Application.stage == "draft",
        )
        old_enough: ColumnElement[bool] = Item.obtained_on.is_not(None)
        if horizon is not None:
            old_enough = Item.obtained_on <= horizon - timedelta(days=min(aged.values()))
        clauses.append(and_(Item.item_id.in_(sorted(aged)), old_enough, drafting))
    stmt = visible_cases(
        actor,
        select(
            Case.code,
            Item.application_type,
            Item.item_id,
            Item.obtained_on,
            Item.expires_on,
        ),
    ).join(Item, Item.case_id == Case.id)
    stmt = stmt.where(Case.status != "closed", Item.state == "obtained", or_(*clauses))
    if case_id is not None:
        stmt = stmt.where(Case.id == case_id)
    return list(session.connection().execute(stmt).all())  # Core: no ORM row processing


def _short_label(label: str) -> str:
    for stop in (" (", ",", ";", " — "):
        if stop in label:
            label = label.split(stop, 1)[0]
    return label.strip()


def _document_rules() -> dict[tuple[str, str], tuple[str, int | None]]:
    """(application type, item id) -> (short label, max age in days), from checklists/documents-*.toml."""
    from trpkit.errors import TrpkitError
    from trpkit.services.checklists import all_checklists

    try:
        checklists = all_checklists()
    except TrpkitError:
        return {}  # a broken checklist must not hide the other deadlines; items fall back to their ids
    return {
        (kind, item.id): (_short_label(item.label), item.max_age_days)
        for kind, checklist in checklists.items()
        for item in checklist.items
    }


def list_deadlines(
    session: Session,
    actor: Actor,
    *,
    today: date | None = None,
    within_days: int | None = 120,
    case_code: str | None = None,
    offsets: Iterable[int] = DEFAULT_REMINDER_OFFSETS,
    due_window: int = DEFAULT_DUE_WINDOW,
    record: bool = True,
) -> DeadlineSummary:
    """Every overdue item plus everything due within ``within_days`` (None: no limit)."""
    today = today or date.today()
    if within_days is not None and within_days < 0:
        raise UsageError("--within takes a number of days from today (0 or more)")
    try:
        offsets = clean_offsets(offsets)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    case_id = require_case(session, actor, case_code).id if case_code else None
    horizon = today + timedelta(days=within_days) if within_days is not None else None
    rules = _document_rules()
    documents = _document_rows(session, actor, case_id, today=today, horizon=horizon, rules=rules)
    grounds, absences = clock_facts_for(session, actor, case_id)
    items = compute_deadlines(
        _permit_rows(session, actor, case_id),
        _open_rows(session, actor, case_id),
        today=today,
        offsets=offsets,
        due_window=due_window,
        horizon=horizon,
        documents=documents,
        document_rules=rules,
        grounds=grounds,
        absences=absences,
    )
    if record:
        audit.record(
            session,
            actor,
            "deadlines.list",
            case_code.strip().upper() if case_code else None,
            items=len(items),
        )
    counts = {s: sum(1 for i in items if i.status == s) for s in ("overdue", "due", "coming")}
    return DeadlineSummary(today, counts["overdue"], counts["due"], counts["coming"], tuple(items))


@dataclass(frozen=True)
class ContinuityView:
    case_code: str
    permits: tuple[Permit, ...]
    clock: ContinuityClock
    today: date
    ground: GroundView  # the ground recorded for the case (ground "unknown", version 0: nothing recorded)
    ground_used: str  # the ground the clock counted with: the recorded one, or the override
    overridden: bool  # True when the caller asked "what if" with another ground
    absences: tuple[AbsenceView, ...] = ()


def continuity(
    session: Session,
    actor: Actor,
    code: str,
    *,
    today: date | None = None,
    health_inadmissible: bool | None = None,
    ground: str | None = None,
    record: bool = True,
) -> ContinuityView:
    """The permit-holder-class clock for one case, from its granted TRPs, its recorded ground of
    inadmissibility and its absences from Canada.

    ``ground`` (health | other | unknown) or ``health_inadmissible=True`` count with that ground instead
    of the recorded one ("what if"); nothing is saved.
    """
    today = today or date.today()
    case = require_case(session, actor, code)
    rows = _permit_rows(session, actor, case.id)
    chain = tuple(
        sorted(
            (
                Permit(start or end, end, applied, make_ref(c, seq))
                for c, seq, kind, start, end, applied in rows
                if kind in TRP_TYPES
            ),
            key=lambda p: (p.start, p.end),
        )
    )
    pending = [
        r[6]
        for r in _open_rows(session, actor, case.id)
        if r[2] in TRP_TYPES and r[3] in OPEN_STAGES and r[6]
    ]
    recorded = get_ground(session, actor, case.code, record=False)
    trips = tuple(list_absences(session, actor, case.code, today=today, record=False))
    used = (
        parse_ground(ground) if ground is not None else "health" if health_inadmissible else recorded.ground
    )
    clock = permit_holder_clock(
        chain,
        today,
        health_inadmissible=health_only(used),
        pending_application_on=min(pending) if pending else None,
        absences=[t.to_absence() for t in trips],
    )
    if record:  # the Applications tab already logged its read of the case's applications
        audit.record(
            session, actor, "deadlines.continuity", case.code, permits=len(chain), absences=len(trips)
        )
    return ContinuityView(case.code, chain, clock, today, recorded, used, used != recorded.ground, trips)


ALARM_KINDS = ("permit_expiry", "reflection_end", "info_request", "interview")


def calendar_events(items: Iterable[DeadlineItem]) -> list[CalendarEvent]:
    """What the calendar says about each deadline: only case codes and kinds, never names."""
    events = []
    for item in items:
        ref = item.ref or item.case_code
        description = f"{ref}: {KIND_LABELS.get(item.kind, item.kind)}"
        events.append(
            CalendarEvent(
                uid=f"{ref.replace('/', '-')}-{item.kind}-{item.due.isoformat()}@trpkit",
                day=item.due,
                summary=item.title,
                description=description + (f"\n{item.detail}" if item.detail else ""),
                category=item.kind,
                alarm=item.kind in ALARM_KINDS,
            )
        )
    return events


def to_ics(items: Iterable[DeadlineItem], *, generated: date) -> bytes:
    """An iCalendar file with one all-day event per item (written by trpkit.documents.calendar)."""
    return calendar_bytes(calendar_events(items), name="trpkit deadlines", generated=generated)


def export_ics(
    session: Session,
    actor: Actor,
    path: Path,
    *,
    today: date | None = None,
    within_days: int | None = 365,
    offsets: Iterable[int] = DEFAULT_REMINDER_OFFSETS,
    case_code: str | None = None,
) -> int:
    """Write the deadlines to ``path`` as iCalendar; returns how many events were written."""
    from pathlib import Path

    summary = list_deadlines(
        session,
        actor,
        today=today,
        within_days=within_days,
        offsets=offsets,
        case_code=case_code,
        record=False,
    )
    target = Path(path)
    if target.suffix.lower() != ".ics":
        raise UsageError(f"'{target}' should end in .ics so calendar apps recognise it")
    if not target.parent.exists():
        raise UsageError(f"the folder {target.parent} does not exist")
    target.write_bytes(to_ics(summary.items, generated=summary.today))
    audit.record(
        session,
        actor,
        "deadlines.export_ics",
        case_code.strip().upper() if case_code else None,
        events=len(summary.items),
    )
    return len(summary.items)
