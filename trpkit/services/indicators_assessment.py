"""The Delphi assessment of a case's indicator map: the list that applies, findings, gaps, bulk summaries.

The list is chosen from the person's age at recruitment and the sector; the facts that choice needs
are read in bulk (``_facts``) so decision snapshots and the coalition export summarise many cases at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trpkit.db.models import Case, Person
from trpkit.db.models.evidence import CaseIndicatorSettings, EvidenceItem, IndicatorLink
from trpkit.db.models.narrative import TimelineEvent
from trpkit.domain.assessment import assess, quick_summary
from trpkit.domain.assessment_results import Assessment, Candidate, DimensionResult, Finding, Gaps
from trpkit.domain.delphi_rules import LinkStatus, combine_status
from trpkit.domain.frameworks import DelphiList
from trpkit.domain.recruitment_age import AgeAtRecruitment, age_at_recruitment, choose_framework
from trpkit.domain.smuggling import Contrast, contrast
from trpkit.loading.frameworks import load_frameworks
from trpkit.services import audit
from trpkit.services.access import require_case
from trpkit.services.actor import Actor
from trpkit.services.indicators import _settings_row


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
        for cid, sector, created, b_early, b_late, override, s_early, s_late, earliest in map(tuple, rows):
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
