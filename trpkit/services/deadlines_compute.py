"""Deadline items from rows, as pure date arithmetic: what falls due for each permit, each application
still open, each case's permit-holder clock and each document obtained (the queries are in
``trpkit.services.deadlines``). Items name case codes, never people.

An item carries facts (kind, dates, references, the application's type); its title is worded from them
by ``trpkit.documents.calendar.deadline_title``, which the faces' presenter uses too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import attrgetter
from typing import Any

from trpkit.domain.applications import OPEN_STAGES, PERMIT_FAMILIES, STAGE_LABELS, TRP_TYPES
from trpkit.domain.clocks import (
    DEFAULT_REMINDER_OFFSETS,
    PERMIT_HOLDER_YEARS,
    PERMIT_HOLDER_YEARS_HEALTH,
    Absence,
    Permit,
    add_years,
    clean_offsets,
    current_reminder,
    health_only,
    info_request_followups,
    processing_followup,
)
from trpkit.domain.ircc_periods import NoPolicyPeriod, PolicyData
from trpkit.domain.permit_holder_clock import permit_holder_clock
from trpkit.loading.errors import DataFileError
from trpkit.loading.ircc_periods import policy_data
from trpkit.services.applications_views import make_ref

LAPSE_LOOKBACK_DAYS = 90  # a permit that lapsed longer ago than this is history, not a deadline
DEFAULT_DUE_WINDOW = 14
DEFAULT_PROCESSING_DAYS = 218  # IRCC's 2023 average for VTIP TRPs, used if no policy period says otherwise

Row = tuple[Any, ...]


@dataclass(frozen=True)
class DeadlineItem:
    case_code: str
    ref: str | None  # application reference, when the item belongs to one
    kind: str  # permit_expiry, reflection_end, renewal_reminder, info_request, ... (see documents.calendar)
    due: date
    status: str  # overdue | due | coming
    days_left: int  # negative when overdue
    detail: str = ""
    assumed: bool = False  # the date is a default (e.g. IRCC's letter gave no response date)
    application_type: str = ""  # the application's type; for a document, its checklist's
    document: str = ""  # a document item's short label, from its checklist
    reminder_days: int | None = None  # a renewal reminder: how many days before the permit ends
    permit_end: date | None = None  # a renewal reminder: the permit's last day


@dataclass
class _Items:
    """The items found so far, each placed against today; anything due after the horizon is left out."""

    today: date
    due_limit: date  # due on or before this: "due"; later: "coming"
    horizon: date | None
    found: list[DeadlineItem] = field(default_factory=list)

    def add(
        self,
        code: str,
        seq: int | None,
        kind: str,
        due: date,
        detail: str = "",
        assumed: bool = False,
        **facts: Any,
    ) -> None:
        if self.horizon is not None and due > self.horizon:
            return
        status = "overdue" if due < self.today else "due" if due <= self.due_limit else "coming"
        ref = make_ref(code, seq) if seq else None
        days_left = (due - self.today).days
        self.found.append(DeadlineItem(code, ref, kind, due, status, days_left, detail, assumed, **facts))


def _policies() -> PolicyData | None:
    try:
        return policy_data()
    except DataFileError:
        return None  # a broken data file must not hide deadlines: fall back to the default


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
    permits: Iterable[Row],
    open_apps: Iterable[Row],
    *,
    today: date,
    offsets: Iterable[int] = DEFAULT_REMINDER_OFFSETS,
    due_window: int = DEFAULT_DUE_WINDOW,
    health_inadmissible: frozenset[str] = frozenset(),
    grounds: dict[str, str] | None = None,
    absences: dict[str, list[Absence]] | None = None,
    horizon: date | None = None,
    documents: Iterable[Row] = (),
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
    open_rows = list(open_apps)  # read twice: the applications' own items, then the drafts' documents
    items = _Items(today, today + timedelta(days=due_window), horizon)
    lapse_cut = today - timedelta(days=LAPSE_LOOKBACK_DAYS)
    pending, pr_applied = _open_by_family(open_rows)
    _application_items(items, open_rows)
    latest, trp_permits = _latest_permits(permits)
    _permit_items(items, latest, pending, offsets, lapse_cut)
    ground_of = dict.fromkeys(health_inadmissible, "health")
    _clock_items(items, trp_permits, pending, pr_applied, {**(grounds or {}), **ground_of}, absences or {})
    _document_items(items, list(documents), document_rules or {}, open_rows, lapse_cut)
    return sorted(items.found, key=attrgetter("due", "case_code", "kind"))


def _open_by_family(open_apps: list[Row]) -> tuple[dict[tuple[str, str], list[Row]], set[str]]:
    """Applications still open by (case, permit family), and the cases whose PR application is in."""
    pending: dict[tuple[str, str], list[Row]] = defaultdict(list)
    pr_applied: set[str] = set()
    for row in open_apps:
        code, _seq, kind, stage = row[:4]
        if kind == "pr_permit_holder" and stage in OPEN_STAGES:
            pr_applied.add(code)
        family = PERMIT_FAMILIES.get(kind)
        if family:
            pending[(code, family)].append(row)
    return pending, pr_applied


def _application_items(items: _Items, open_apps: list[Row]) -> None:
    """IRCC's requests for information, interviews, and TRP files past the published processing time."""
    policies = _policies()
    processing_cache: dict[date, int] = {}
    for code, seq, kind, stage, since, stage_due, submitted in open_apps:
        if stage == "info_requested":
            for follow in info_request_followups(since, stage_due):
                if follow.kind == "prepare_response" and follow.due < items.today:
                    continue
                what = "info_request" if follow.kind == "respond_by" else "info_prepare"
                assumed = "no date in IRCC's letter recorded: 30 days assumed, check the letter"
                detail = assumed if follow.assumed else ""
                items.add(code, seq, what, follow.due, detail, follow.assumed, application_type=kind)
        elif stage == "interview_scheduled" and stage_due is not None:
            items.add(code, seq, "interview", stage_due, application_type=kind)
        elif stage in ("submitted", "acknowledged") and submitted is not None and kind in TRP_TYPES:
            days = _processing_days(submitted, policies, processing_cache)
            due = processing_followup(submitted, days)
            detail = f"submitted {submitted}; published average {days} days"
            items.add(code, seq, "processing_followup", due, detail, application_type=kind)


def _latest_permits(permits: Iterable[Row]) -> tuple[dict[tuple[str, str], Row], dict[str, list[Row]]]:
    """The latest permit of each (case, permit family), and each case's TRPs (for its clock)."""
    latest: dict[tuple[str, str], Row] = {}
    trp_permits: dict[str, list[Row]] = defaultdict(list)
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
    return latest, trp_permits


def _permit_items(
    items: _Items,
    latest: dict[tuple[str, str], Row],
    pending: dict[tuple[str, str], list[Row]],
    offsets: tuple[int, ...],
    lapse_cut: date,
) -> None:
    """Each latest permit's end and, while no renewal is in, the renewal reminder reached or next."""
    for (code, family), (_, seq, kind, _start, end, _applied) in latest.items():
        if end < lapse_cut:
            continue
        if items.horizon is not None and end - timedelta(days=offsets[0]) > items.horizon:
            continue  # neither the expiry nor any reminder falls inside the window
        renewals = [r for r in pending.get((code, family), ()) if r[3] in OPEN_STAGES]
        drafts = [r for r in pending.get((code, family), ()) if r[3] == "draft"]
        ends = "reflection_end" if kind == "initial_trp" else "permit_expiry"
        if renewals:
            r = renewals[0]
            since = f" since {r[6]}" if r[6] else ""
            detail = f"renewal {make_ref(code, r[1])} {STAGE_LABELS.get(r[3], r[3])}{since}"
            items.add(code, seq, ends, end, detail, application_type=kind)
            continue
        detail = f"draft {make_ref(code, drafts[0][1])} started" if drafts else "no renewal application yet"
        items.add(code, seq, ends, end, detail, application_type=kind)
        if end >= items.today:
            passed, upcoming = current_reminder(end, items.today, offsets)
            reminder = passed or upcoming
            if reminder is not None:
                items.add(
                    code,
                    seq,
                    "renewal_reminder",
                    reminder.due,
                    detail,
                    application_type=kind,
                    reminder_days=reminder.days_before,
                    permit_end=end,
                )


def _clock_items(
    items: _Items,
    trp_permits: dict[str, list[Row]],
    pending: dict[tuple[str, str], list[Row]],
    pr_applied: set[str],
    grounds: dict[str, str],
    absences: dict[str, list[Absence]],
) -> None:
    """The day each case may apply for PR in the permit holder class, while its TRPs reach it."""
    for code, rows in trp_permits.items():
        if code in pr_applied:
            continue  # the PR application is in: the clock has done its job
        ground = grounds.get(code, "unknown")
        health = health_only(ground)
        if items.horizon is not None:
            years = PERMIT_HOLDER_YEARS_HEALTH if health else PERMIT_HOLDER_YEARS
            if add_years(min(r[3] or r[4] for r in rows), years) > items.horizon:
                continue  # cannot reach the mark inside the window (absences only push it later)
        chain = [Permit(r[3] or r[4], r[4], r[5], make_ref(code, r[1])) for r in rows]
        pending_trp = [r[6] for r in pending.get((code, "trp"), ()) if r[3] in OPEN_STAGES and r[6]]
        clock = permit_holder_clock(
            chain,
            items.today,
            health_inadmissible=health,
            pending_application_on=min(pending_trp) if pending_trp else None,
            absences=absences.get(code, ()),
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
            items.add(code, None, "pr_eligible", clock.eligible_on, detail)


def _document_items(
    items: _Items,
    documents: list[Row],
    rules: dict[tuple[str, str], tuple[str, int | None]],
    open_apps: list[Row],
    lapse_cut: date,
) -> None:
    """Documents obtained that expire, or grow too old for an application still being drafted."""
    drafting = {(r[0], r[2]) for r in open_apps if r[3] == "draft"} if documents else set()
    for code, app_type, item_id, obtained, expires in documents:
        label, max_age = rules.get((app_type, item_id), (item_id.replace("-", " "), None))
        facts = {"application_type": app_type, "document": label}
        if expires is not None and expires >= lapse_cut:
            items.add(
                code, None, "document_expiry", expires, "renew it or explain in the submission", **facts
            )
        if max_age and obtained is not None and (code, app_type) in drafting:
            too_old = obtained + timedelta(days=max_age)
            detail = f"obtained {obtained}; IRCC expects it under {max_age} days old"
            items.add(code, None, "document_age", too_old, detail, **facts)
