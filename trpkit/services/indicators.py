"""The control-indicator map of a case: links, the Delphi assessment, gaps, and bulk summaries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trpkit.db.models import Case, Person
from trpkit.db.models.evidence import CaseIndicatorSettings, EvidenceItem, IndicatorLink
from trpkit.db.models.narrative import TimelineEvent
from trpkit.domain.assessment import (
    STATUS_LABELS,
    AgeAtRecruitment,
    Assessment,
    Candidate,
    DimensionResult,
    Finding,
    Gaps,
    LinkStatus,
    age_at_recruitment,
    assess,
    choose_framework,
    combine_status,
    quick_summary,
)
from trpkit.domain.frameworks import DelphiList, Frameworks
from trpkit.domain.fuzzy_dates import FuzzyDate
from trpkit.domain.smuggling import Contrast, contrast
from trpkit.errors import ConflictError, NotFound, UsageError
from trpkit.loading.frameworks import load_frameworks
from trpkit.services import audit
from trpkit.services.access import require_case
from trpkit.services.actor import Actor
from trpkit.services.consent import require_consent


@dataclass(frozen=True)
class LinkRow:
    id: int
    indicator_id: str
    label: str
    strength: str
    dimension: str
    status: str
    status_label: str
    note: str
    exhibit_number: int | None
    evidence_type: str | None
    narrative_entry_id: int | None
    version: int


@dataclass(frozen=True)
class CaseAssessment:
    code: str
    framework: str
    framework_name: str
    framework_verification: str
    framework_complete: bool
    framework_reason: str
    identified: bool
    identification_rule: str | None
    dimensions: tuple[DimensionResult, ...]
    convergence: bool
    trpkit_tier: str | None  # trpkit's heuristic, not an ILO category
    explanation: str
    caveats: tuple[str, ...]
    gaps: Gaps
    links: int
    translated_links: int  # links recorded against another list, read by item number
    unmatched_links: tuple[str, ...] = ()  # indicator ids this list does not have (not counted)
    status: str = "not_identified"  # identified | recruitment_undocumented (a child) | not_identified
    recruitment_gap: tuple[Candidate, ...] = ()  # recruitment items to explore, with their questions
    age: AgeAtRecruitment | None = None  # age reckoned at recruitment; child then and adult now?


@dataclass(frozen=True)
class AssessmentSummary:
    framework: str
    identified: bool
    positive_dimensions: tuple[str, ...]
    strong: int
    medium: int
    weak: int


@dataclass(frozen=True)
class CaseSettings:
    framework: str | None
    exploitation_start: FuzzyDate | None
    consented_to_crossing: bool | None
    version: int


def _status(value: str) -> LinkStatus:
    cleaned = value.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return LinkStatus(cleaned)
    except ValueError:
        raise UsageError(
            f"unknown status '{value}': use one of {', '.join(s.value for s in LinkStatus)}"
        ) from None


def _indicator(frameworks: Frameworks, indicator_id: str):  # type: ignore[no-untyped-def]
    iid = indicator_id.strip().upper()
    for lst in frameworks.delphi.values():
        if iid in lst.by_id:
            return lst.by_id[iid]
    raise UsageError(
        f"unknown indicator '{indicator_id}': list them with 'trpkit indicators list --framework NAME'"
    )


def _link_rows(session: Session, frameworks: Frameworks, case_id: int) -> list[LinkRow]:
    rows = session.execute(
        select(IndicatorLink, EvidenceItem.exhibit_number, EvidenceItem.type)
        .outerjoin(EvidenceItem, EvidenceItem.id == IndicatorLink.evidence_id)
        .where(IndicatorLink.case_id == case_id)
        .order_by(IndicatorLink.indicator_id, IndicatorLink.id)
    ).all()
    out = []
    for link, exhibit, kind in rows:
        try:
            item = _indicator(frameworks, link.indicator_id)
            label, strength, dimension = item.label, item.strength.value, item.dimension
        except UsageError:  # the checklists were edited and no longer have this id: show it, never hide it
            label, strength, dimension = "(no longer in the checklists)", "", ""
        status = LinkStatus(link.status)
        out.append(
            LinkRow(
                link.id,
                link.indicator_id,
                label,
                strength,
                dimension,
                status.value,
                STATUS_LABELS[status],
                link.note,
                exhibit,
                kind,
                link.narrative_entry_id,
                link.version,
            )
        )
    return out


def link_indicator(
    session: Session,
    actor: Actor,
    code: str,
    indicator_id: str,
    *,
    status: str = "present",
    note: str = "",
    exhibit: int | None = None,
    narrative_entry_id: int | None = None,
) -> LinkRow:
    """Record what the file says about an indicator, resting on an exhibit, on a passage of the
    narrative (the person's own words), or on nothing but a note.

    Linking the same indicator to the same exhibit or passage again updates that link instead of adding one.
    """
    case = require_case(session, actor, code)
    require_consent(session, case, "prepare_file")
    frameworks = load_frameworks()
    item = _indicator(frameworks, indicator_id)
    state = _status(status)
    evidence_id = None
    if exhibit is not None:
        evidence_id = session.scalar(
            select(EvidenceItem.id).where(
                EvidenceItem.case_id == case.id, EvidenceItem.exhibit_number == exhibit
            )
        )
        if evidence_id is None:
            raise NotFound(f"{case.code} has no exhibit {exhibit}. Add it with 'trpkit evidence add'.")
    if narrative_entry_id is not None:
        from trpkit.db.models.narrative import NarrativeEntry

        if (
            session.scalar(
                select(NarrativeEntry.id).where(
                    NarrativeEntry.id == narrative_entry_id, NarrativeEntry.case_id == case.id
                )
            )
            is None
        ):
            raise NotFound(f"{case.code} has no narrative entry {narrative_entry_id}.")
    if (
        evidence_id is None
        and narrative_entry_id is None
        and state is LinkStatus.PRESENT
        and not note.strip()
    ):
        raise UsageError(
            "A present indicator needs an exhibit (--exhibit N), a narrative entry (--entry N) "
            "or a note saying what supports it."
        )
    existing = session.scalar(
        select(IndicatorLink).where(
            IndicatorLink.case_id == case.id,
            IndicatorLink.indicator_id == item.id,
            IndicatorLink.evidence_id.is_(None)
            if evidence_id is None
            else IndicatorLink.evidence_id == evidence_id,
            IndicatorLink.narrative_entry_id.is_(None)
            if narrative_entry_id is None
            else IndicatorLink.narrative_entry_id == narrative_entry_id,
        )
    )
    if existing is not None:
        existing.status = state.value
        if note.strip():
            existing.note = note.strip()
        link = existing
    else:
        link = IndicatorLink(
            case_id=case.id,
            indicator_id=item.id,
            status=state.value,
            note=note.strip(),
            evidence_id=evidence_id,
            narrative_entry_id=narrative_entry_id,
            created_by_id=actor.user_id,
        )
        session.add(link)
    session.flush()
    audit.record(
        session,
        actor,
        "indicators.link",
        case.code,
        indicator=item.id,
        status=state.value,
        exhibit=exhibit,
        entry=narrative_entry_id,
    )
    return next(r for r in _link_rows(session, frameworks, case.id) if r.id == link.id)


def update_link(
    session: Session,
    actor: Actor,
    code: str,
    link_id: int,
    *,
    status: str | None = None,
    note: str | None = None,
    expected_version: int | None = None,
) -> LinkRow:
    case = require_case(session, actor, code)
    link = session.scalar(
        select(IndicatorLink).where(IndicatorLink.id == link_id, IndicatorLink.case_id == case.id)
    )
    if link is None:
        raise NotFound(f"{case.code} has no indicator link {link_id}.")
    if expected_version is not None and link.version != expected_version:
        raise ConflictError(f"Link {link_id} changed since you opened it. Reload and try again.")
    if status is not None:
        link.status = _status(status).value
    if note is not None:
        link.note = note.strip()
    session.flush()
    audit.record(session, actor, "indicators.update", case.code, link=link_id, status=link.status)
    return next(r for r in _link_rows(session, load_frameworks(), case.id) if r.id == link.id)


def unlink(session: Session, actor: Actor, code: str, link_id: int) -> None:
    case = require_case(session, actor, code)
    link = session.scalar(
        select(IndicatorLink).where(IndicatorLink.id == link_id, IndicatorLink.case_id == case.id)
    )
    if link is None:
        raise NotFound(f"{case.code} has no indicator link {link_id}.")
    session.delete(link)
    session.flush()
    audit.record(session, actor, "indicators.unlink", case.code, link=link_id)


def list_links(session: Session, actor: Actor, code: str) -> list[LinkRow]:
    case = require_case(session, actor, code)
    rows = _link_rows(session, load_frameworks(), case.id)
    audit.record(session, actor, "indicators.read", case.code, count=len(rows))
    return rows


# ------------------------------------------------------------------------------ case settings


def _settings_row(session: Session, case_id: int) -> CaseIndicatorSettings | None:
    return session.scalar(select(CaseIndicatorSettings).where(CaseIndicatorSettings.case_id == case_id))


def get_settings(session: Session, actor: Actor, code: str) -> CaseSettings:
    case = require_case(session, actor, code)
    row = _settings_row(session, case.id)
    if row is None:
        return CaseSettings(None, None, None, 0)
    start = FuzzyDate.from_dict(row.exploitation_start) if row.exploitation_start else None
    return CaseSettings(row.framework, start, row.consented_to_crossing, row.version)


_UNSET = object()


def set_settings(
    session: Session,
    actor: Actor,
    code: str,
    *,
    framework: str | object | None = _UNSET,
    exploitation_start: str | object | None = _UNSET,
    consented_to_crossing: bool | object | None = _UNSET,
) -> CaseSettings:
    """Choose the list by hand (None: automatic), date the start of the exploitation, record consent to crossing."""
    case = require_case(session, actor, code)
    row = _settings_row(session, case.id)
    if row is None:
        row = CaseIndicatorSettings(case_id=case.id)
        session.add(row)
    changed = []
    if framework is not _UNSET:
        if framework:
            load_frameworks().get(str(framework))
        row.framework = str(framework) if framework else None
        changed.append("framework")
    if exploitation_start is not _UNSET:
        from trpkit.services.evidence import _parse_date

        fd = _parse_date(str(exploitation_start or ""))
        row.exploitation_start = fd.to_dict() if fd else None
        row.exploitation_start_earliest = fd.earliest if fd else None
        row.exploitation_start_latest = fd.latest if fd else None
        changed.append("exploitation_start")
    if consented_to_crossing is not _UNSET:
        row.consented_to_crossing = consented_to_crossing  # type: ignore[assignment]
        changed.append("consented_to_crossing")
    session.flush()
    audit.record(session, actor, "indicators.settings", case.code, fields=changed)
    return get_settings(session, actor, code)


# ------------------------------------------------------------------------------ assessment


@dataclass(frozen=True)
class _CaseFacts:
    sector: str
    birth: tuple[date | None, date | None]
    override: str | None
    start: tuple[date | None, date | None]
    first_evidence: date | None
    opened: date
    recruitment: tuple[date | None, date | None] = (None, None)  # the earliest recruitment event


def _facts(session: Session, case_ids: list[int]) -> dict[int, _CaseFacts]:
    """What the choice of list needs, per case: one query per 5,000 cases (two in bulk)."""
    result: dict[int, _CaseFacts] = {}
    single = len(case_ids) == 1
    first_evidence = (
        select(func.min(EvidenceItem.date_earliest))
        .where(EvidenceItem.case_id == Case.id)
        .correlate(Case)
        .scalar_subquery()
    )
    for chunk in _chunks(case_ids):
        columns = [
            Case.id,
            Case.exploitation_sector,
            Case.created_at,
            Person.birth_date_earliest,
            Person.birth_date_latest,
            CaseIndicatorSettings.framework,
            CaseIndicatorSettings.exploitation_start_earliest,
            CaseIndicatorSettings.exploitation_start_latest,
        ]
        rows = session.execute(
            select(*columns, first_evidence if single else Case.id)
            .outerjoin(Person, Person.case_id == Case.id)
            .outerjoin(CaseIndicatorSettings, CaseIndicatorSettings.case_id == Case.id)
            .where(Case.id.in_(chunk))
        ).all()
        first = (
            {}
            if single
            else dict(
                session.execute(
                    select(EvidenceItem.case_id, func.min(EvidenceItem.date_earliest))
                    .where(EvidenceItem.case_id.in_(chunk))
                    .group_by(EvidenceItem.case_id)
                ).all()
            )
        )
        for cid, sector, created, b_early, b_late, override, s_early, s_late, earliest in rows:
            result[cid] = _CaseFacts(
                sector or "unknown",
                (b_early, b_late),
                override,
                (s_early, s_late),
                earliest if single else first.get(cid),
                created.date(),
            )
    for cid, dates in _recruitment_events(session, case_ids).items():
        if cid in result:
            facts = result[cid]
            result[cid] = _CaseFacts(
                facts.sector,
                facts.birth,
                facts.override,
                facts.start,
                facts.first_evidence,
                facts.opened,
                dates,
            )
    return result


def _recruitment_events(session: Session, case_ids: list[int]) -> dict[int, tuple[date | None, date | None]]:
    """Per case, the dates of its earliest recruitment event in the chronology."""
    out: dict[int, tuple[date | None, date | None]] = {}
    for chunk in _chunks(case_ids):
        rows = session.execute(
            select(TimelineEvent.case_id, TimelineEvent.date_earliest, TimelineEvent.date_latest)
            .where(
                TimelineEvent.case_id.in_(chunk),
                TimelineEvent.event_type == "recruitment",
                TimelineEvent.date_earliest.is_not(None),
            )
            .order_by(TimelineEvent.case_id, TimelineEvent.date_earliest)
        ).all()
        for cid, early, late in rows:
            out.setdefault(cid, (early, late))
    return out


def _reference(facts: _CaseFacts) -> tuple[tuple[date | None, date | None], str]:
    """When the person was recruited, as best the file says (age is reckoned then), and from what."""
    if facts.recruitment[0] is not None:
        return facts.recruitment, "the recruitment (chronology)"
    if facts.start[0] is not None:
        return facts.start, "the start of the recruitment or exploitation"
    if facts.first_evidence is not None:
        return (facts.first_evidence, facts.first_evidence), "the earliest dated exhibit"
    return (facts.opened, facts.opened), "the opening of the case (no earlier date recorded)"


def _choose(facts: _CaseFacts, override: str | None = None) -> tuple[str, str]:
    reference, what = _reference(facts)
    return choose_framework(facts.sector, facts.birth, reference, what, override or facts.override)


def case_list(session: Session, case: Case) -> DelphiList:
    """The Delphi list that applies to a case (chosen by hand, or from age and sector)."""
    chosen, _ = _choose(_facts(session, [case.id])[case.id])
    return load_frameworks().get(chosen)


def _chunks(ids: list[int], size: int = 5000) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _findings(
    delphi: DelphiList,
    links: Iterable[tuple[str, str, str | None, int | None]],
    unmatched: list[str] | None = None,
) -> tuple[dict[str, Finding], int]:
    """Combine links (indicator id, status, support kind, exhibit) into one finding per item of ``delphi``.

    Links to items this list does not have (the child labour list has no 3.08 or 4.08) are collected
    in ``unmatched`` and not counted."""
    statuses: dict[str, list[str]] = {}
    support: dict[str, list[str]] = {}
    exhibits: dict[str, set[int]] = {}
    translated = 0
    for indicator_id, status, kind, exhibit in links:
        item = delphi.resolve(indicator_id)
        if item is None:
            if unmatched is not None and indicator_id not in unmatched:
                unmatched.append(indicator_id)
            continue
        if item.id != indicator_id:
            translated += 1
        statuses.setdefault(item.id, []).append(status)
        if status == LinkStatus.PRESENT.value:
            if kind:
                support.setdefault(item.id, []).append(kind)
            if exhibit is not None:
                exhibits.setdefault(item.id, set()).add(exhibit)
    findings = {
        iid: Finding(
            combine_status(sts),
            tuple(dict.fromkeys(support.get(iid, []))),
            tuple(sorted(exhibits.get(iid, set()))),
        )
        for iid, sts in statuses.items()
    }
    return findings, translated


def _case_links(session: Session, case_id: int) -> list[tuple[str, str, str | None, int | None]]:
    """(indicator id, status, support kind, exhibit): the kind is the evidence type, or "narrative"."""
    rows = session.execute(
        select(
            IndicatorLink.indicator_id,
            IndicatorLink.status,
            EvidenceItem.type,
            EvidenceItem.exhibit_number,
            IndicatorLink.narrative_entry_id,
        )
        .outerjoin(EvidenceItem, EvidenceItem.id == IndicatorLink.evidence_id)
        .where(IndicatorLink.case_id == case_id)
    ).all()
    return [
        (iid, status, kind or ("narrative" if entry is not None else None), exhibit)
        for iid, status, kind, exhibit, entry in rows
    ]


def case_assessment(
    session: Session, actor: Actor, code: str, framework: str | None = None, today: date | None = None
) -> CaseAssessment:
    """The Delphi assessment of a case's recorded mapping, with the gap report.

    The list is chosen from the person's age at the time and the sector (sex trade -> sexual list)
    unless ``framework`` is given or was set by hand for the case.
    """
    case = require_case(session, actor, code)
    frameworks = load_frameworks()
    if framework:
        frameworks.get(framework)
    facts = _facts(session, [case.id])[case.id]
    chosen, reason = _choose(facts, framework)
    delphi = frameworks.get(chosen)
    reference, what = _reference(facts)
    age = age_at_recruitment(facts.birth, reference, what, today or date.today())
    links = _case_links(session, case.id)
    unmatched: list[str] = []
    findings, translated = _findings(delphi, links, unmatched)
    result: Assessment = assess(delphi, findings, frameworks)
    explanation, caveats = result.explanation, result.caveats
    if unmatched:
        note = (
            f"Not counted: {', '.join(sorted(unmatched))}, recorded against an item the "
            f"{delphi.name.lower()} list does not have."
        )
        explanation, caveats = f"{explanation} {note}", (*caveats, note)
    audit.record(
        session, actor, "indicators.assess", case.code, framework=delphi.id, identified=result.identified
    )
    return CaseAssessment(
        code=case.code,
        framework=delphi.id,
        framework_name=delphi.name,
        framework_verification=delphi.verification.value,
        framework_complete=delphi.complete,
        framework_reason=reason,
        identified=result.identified,
        identification_rule=result.identification_rule,
        dimensions=result.dimensions,
        convergence=result.convergence,
        trpkit_tier=result.trpkit_tier,
        explanation=explanation,
        caveats=caveats,
        gaps=result.gaps,
        links=len(links),
        translated_links=translated,
        unmatched_links=tuple(sorted(unmatched)),
        status=result.status,
        recruitment_gap=result.recruitment_gap,
        age=age,
    )


def case_contrast(session: Session, actor: Actor, code: str) -> Contrast:
    """Trafficking or smuggling: the five elements read against the case's present indicators."""
    case = require_case(session, actor, code)
    facts = _facts(session, [case.id])[case.id]
    chosen, _ = _choose(facts)
    present = [
        iid for iid, status, _, _ in _case_links(session, case.id) if status == LinkStatus.PRESENT.value
    ]
    row = _settings_row(session, case.id)
    audit.record(session, actor, "indicators.contrast", case.code)
    return contrast(present, row.consented_to_crossing if row else None, child="-child-" in chosen)


def assessment_summaries(session: Session, case_ids: list[int]) -> dict[int, AssessmentSummary]:
    """Bulk summaries for many cases. No access check and no audit: callers (decision snapshots, the
    coalition export) do their own. Cases without any link are summarised too (nothing positive)."""
    ids = sorted(set(case_ids))
    if not ids:
        return {}
    frameworks = load_frameworks()
    facts = _facts(session, ids)
    links: dict[int, list[tuple[str, str, str | None, int | None]]] = {}
    for chunk in _chunks(ids):
        for case_id, indicator_id, status in session.execute(
            select(IndicatorLink.case_id, IndicatorLink.indicator_id, IndicatorLink.status).where(
                IndicatorLink.case_id.in_(chunk)
            )
        ):
            links.setdefault(case_id, []).append((indicator_id, status, None, None))
    result: dict[int, AssessmentSummary] = {}
    for case_id in ids:
        if case_id not in facts:
            continue
        chosen, _ = _choose(facts[case_id])
        delphi = frameworks.get(chosen)
        findings, _ = _findings(delphi, links.get(case_id, ()))
        identified, positive, s, m, w = quick_summary(delphi, findings)
        result[case_id] = AssessmentSummary(delphi.id, identified, positive, s, m, w)
    return result
