"""The control-indicator map of a case: links to evidence or the person's words, and the case's settings.

The assessment built from the map is ``indicators_assessment``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from trpkit.db.models import Case
from trpkit.db.models.evidence import CaseIndicatorSettings, EvidenceItem, IndicatorLink
from trpkit.domain.delphi_rules import STATUS_LABELS, LinkStatus
from trpkit.domain.frameworks import Frameworks, Indicator
from trpkit.domain.fuzzy_dates import FuzzyDate
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


def _indicator(frameworks: Frameworks, indicator_id: str) -> Indicator:
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


def _support(session: Session, case: Case, exhibit: int | None, narrative_entry_id: int | None) -> int | None:
    """The id of the exhibit a link rests on (None for none), after checking the exhibit and the passage
    are this case's."""
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
    return evidence_id


def _same_link(
    session: Session, case_id: int, indicator_id: str, evidence_id: int | None, narrative_entry_id: int | None
) -> IndicatorLink | None:
    """The case's link of this indicator to the same exhibit and passage, if there is one already."""
    return session.scalar(
        select(IndicatorLink).where(
            IndicatorLink.case_id == case_id,
            IndicatorLink.indicator_id == indicator_id,
            IndicatorLink.evidence_id.is_(None)
            if evidence_id is None
            else IndicatorLink.evidence_id == evidence_id,
            IndicatorLink.narrative_entry_id.is_(None)
            if narrative_entry_id is None
            else IndicatorLink.narrative_entry_id == narrative_entry_id,
        )
    )


def _upsert_link(
    session: Session,
    actor: Actor,
    case_id: int,
    indicator_id: str,
    state: LinkStatus,
    note: str,
    evidence_id: int | None,
    narrative_entry_id: int | None,
) -> IndicatorLink:
    """The link to the same exhibit and passage, updated; or a new one."""
    existing = _same_link(session, case_id, indicator_id, evidence_id, narrative_entry_id)
    if existing is not None:
        existing.status = state.value
        if note.strip():
            existing.note = note.strip()
        return existing
    link = IndicatorLink(
        case_id=case_id,
        indicator_id=indicator_id,
        status=state.value,
        note=note.strip(),
        evidence_id=evidence_id,
        narrative_entry_id=narrative_entry_id,
        created_by_id=actor.user_id,
    )
    session.add(link)
    return link


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
    evidence_id = _support(session, case, exhibit, narrative_entry_id)
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
    link = _upsert_link(session, actor, case.id, item.id, state, note, evidence_id, narrative_entry_id)
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
