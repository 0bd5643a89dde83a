"""The evidence register: numbered exhibits with their dates, sources and the passages they rest on.

The exhibits' files (kept inside the vault, exported for the submission) are ``evidence_files``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from trpkit.db.base import utcnow
from trpkit.db.models import Case
from trpkit.db.models.evidence import EvidenceAttachment, EvidenceItem, EvidenceNarrativeEntry, IndicatorLink
from trpkit.domain.fuzzy_dates import FuzzyDate
from trpkit.errors import ConflictError, NotFound, UsageError
from trpkit.services import audit
from trpkit.services.access import require_case
from trpkit.services.actor import Actor
from trpkit.services.consent import require_consent

EVIDENCE_TYPES: dict[str, str] = {
    "account": "the person's account",
    "document": "document",
    "contract": "contract",
    "pay_record": "pay record",
    "message_or_photo": "message or photo",
    "medical_report": "medical or psychological report",
    "police_or_inspection_report": "police or labour-inspection report",
    "third_party_letter": "third-party letter",
    "other": "other",
}


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    name: str
    sha256: str
    size: int
    media_type: str


@dataclass(frozen=True)
class EvidenceRow:
    id: int
    exhibit_number: int
    type: str
    type_label: str
    description: str
    date: FuzzyDate | None
    source: str
    how_obtained: str
    attachments: tuple[AttachmentInfo, ...]
    indicator_ids: tuple[str, ...]  # indicators this item is linked to (any status)
    version: int
    narrative_entry_ids: tuple[int, ...] = ()  # for the person's account: the passages it rests on


def evidence_type(value: str) -> str:
    cleaned = value.strip().lower().replace("-", "_").replace(" ", "_")
    if cleaned not in EVIDENCE_TYPES:
        raise UsageError(f"unknown evidence type '{value}': use one of {', '.join(EVIDENCE_TYPES)}")
    return cleaned


def parse_date_words(text: str) -> FuzzyDate | None:
    """How the register reads the words of an exhibit's date ("spring 2019", "around May 2024"):
    None for no date; words it cannot read come back with status "unparsed" (kept as written, but
    the exhibit then has no place in date order). Screens use this to show what the words mean
    before saving."""
    from trpkit.domain.fuzzy_dates import parse_fuzzy

    text = text.strip()
    if not text:
        return None
    try:
        return parse_fuzzy(text)
    except Exception:  # noqa: BLE001 -- the parser promises not to raise; if it ever does, keep the words
        return FuzzyDate.unparsed(text)


_parse_date = parse_date_words  # the name other services use


def _date_columns(fd: FuzzyDate | None) -> dict[str, object]:
    return {
        "date": fd.to_dict() if fd else None,
        "date_earliest": fd.earliest if fd else None,
        "date_latest": fd.latest if fd else None,
    }


def _item(session: Session, case: Case, exhibit: int, evidence_id: int | None = None) -> EvidenceItem:
    """The exhibit numbered ``exhibit``. With ``evidence_id`` (the item a screen opened), refuse when
    that number now belongs to another item: someone renumbered or removed exhibits meanwhile."""
    item = session.scalar(
        select(EvidenceItem).where(EvidenceItem.case_id == case.id, EvidenceItem.exhibit_number == exhibit)
    )
    if evidence_id is not None and (item is None or item.id != evidence_id):
        moved = session.scalar(
            select(EvidenceItem.exhibit_number).where(
                EvidenceItem.case_id == case.id, EvidenceItem.id == evidence_id
            )
        )
        if moved is None:
            raise NotFound(f"Exhibit {exhibit} of {case.code} was removed by someone else meanwhile.")
        raise ConflictError(
            f"The exhibits of {case.code} were renumbered meanwhile: the exhibit you opened as "
            f"number {exhibit} is now number {moved}. Reload and try again."
        )
    if item is None:
        raise NotFound(
            f"{case.code} has no exhibit {exhibit}. List them with 'trpkit evidence list {case.code}'."
        )
    return item


def _check_version(case: Case, item: EvidenceItem, exhibit: int, expected_version: int | None) -> None:
    if expected_version is not None and item.version != expected_version:
        raise ConflictError(
            f"Exhibit {exhibit} of {case.code} changed since you opened it "
            f"(version {item.version}, you had {expected_version}). Reload and try again."
        )


def _rows(session: Session, case_id: int, only: int | None = None) -> list[EvidenceRow]:
    stmt = (
        select(EvidenceItem)
        .where(EvidenceItem.case_id == case_id)
        .options(selectinload(EvidenceItem.attachments))
        .order_by(EvidenceItem.exhibit_number)
    )
    if only is not None:
        stmt = stmt.where(EvidenceItem.id == only)
    items = list(session.scalars(stmt))
    links: dict[int, list[str]] = {}
    for evidence_id, indicator_id in session.execute(
        select(IndicatorLink.evidence_id, IndicatorLink.indicator_id)
        .where(IndicatorLink.case_id == case_id, IndicatorLink.evidence_id.is_not(None))
        .order_by(IndicatorLink.indicator_id)
    ):
        if evidence_id is not None:  # always, by the query: this tells the type checker
            links.setdefault(evidence_id, []).append(indicator_id)
    entries: dict[int, list[int]] = {}
    for evidence_id, entry_id in session.execute(
        select(EvidenceNarrativeEntry.evidence_id, EvidenceNarrativeEntry.narrative_entry_id)
        .where(EvidenceNarrativeEntry.case_id == case_id)
        .order_by(EvidenceNarrativeEntry.narrative_entry_id)
    ):
        entries.setdefault(evidence_id, []).append(entry_id)
    return [
        EvidenceRow(
            id=i.id,
            exhibit_number=i.exhibit_number,
            type=i.type,
            type_label=EVIDENCE_TYPES.get(i.type, i.type),
            description=i.description,
            date=FuzzyDate.from_dict(i.date) if i.date else None,
            source=i.source,
            how_obtained=i.how_obtained,
            attachments=tuple(
                AttachmentInfo(a.id, a.name, a.sha256, a.size, a.media_type) for a in i.attachments
            ),
            indicator_ids=tuple(dict.fromkeys(links.get(i.id, []))),
            version=i.version,
            narrative_entry_ids=tuple(entries.get(i.id, [])),
        )
        for i in items
    ]


def _set_entries(session: Session, case: Case, item: EvidenceItem, entry_ids: Iterable[int]) -> bool:
    """Make the item rest on exactly these narrative entries; True if the links changed."""
    from trpkit.db.models.narrative import NarrativeEntry

    wanted = sorted({int(e) for e in entry_ids})
    if wanted and item.type != "account":
        raise UsageError(
            "Only the person's account (type 'account') rests on narrative entries; link other "
            "evidence to indicators instead."
        )
    found = (
        set(
            session.scalars(
                select(NarrativeEntry.id).where(
                    NarrativeEntry.case_id == case.id, NarrativeEntry.id.in_(wanted)
                )
            )
        )
        if wanted
        else set()
    )
    missing = [e for e in wanted if e not in found]
    if missing:
        raise NotFound(f"{case.code} has no narrative entry {', '.join(map(str, missing))}.")
    before = sorted(
        session.scalars(
            select(EvidenceNarrativeEntry.narrative_entry_id).where(
                EvidenceNarrativeEntry.evidence_id == item.id
            )
        )
    )
    if before == wanted:
        return False
    session.execute(delete(EvidenceNarrativeEntry).where(EvidenceNarrativeEntry.evidence_id == item.id))
    for entry_id in wanted:
        session.add(EvidenceNarrativeEntry(case_id=case.id, evidence_id=item.id, narrative_entry_id=entry_id))
    session.flush()
    return True


def add_evidence(
    session: Session,
    actor: Actor,
    code: str,
    *,
    type: str,
    description: str = "",
    date_text: str = "",
    source: str = "",
    how_obtained: str = "",
    narrative_entry_ids: Iterable[int] = (),
) -> EvidenceRow:
    """Register an evidence item; it gets the next exhibit number of the case. The person's account
    can rest on passages of the narrative (``narrative_entry_ids``)."""
    case = require_case(session, actor, code)
    require_consent(session, case, "prepare_file")
    kind = evidence_type(type)
    if not description.strip():
        raise UsageError("Describe the evidence: what it is and what it shows.")
    # Lock the case row so two people adding at once cannot take the same exhibit number.
    session.execute(select(Case.id).where(Case.id == case.id).with_for_update())
    number = (
        session.scalar(select(func.max(EvidenceItem.exhibit_number)).where(EvidenceItem.case_id == case.id))
        or 0
    ) + 1
    item = EvidenceItem(
        case_id=case.id,
        exhibit_number=number,
        type=kind,
        description=description.strip(),
        source=source.strip(),
        how_obtained=how_obtained.strip(),
        created_by_id=actor.user_id,
        **_date_columns(_parse_date(date_text)),
    )
    session.add(item)
    session.flush()
    _set_entries(session, case, item, narrative_entry_ids)
    audit.record(session, actor, "evidence.add", case.code, exhibit=number, type=kind)
    return _rows(session, case.id, only=item.id)[0]


def update_evidence(
    session: Session,
    actor: Actor,
    code: str,
    exhibit: int,
    *,
    expected_version: int | None = None,
    evidence_id: int | None = None,
    narrative_entry_ids: Iterable[int] | None = None,
    **changes: str,
) -> EvidenceRow:
    """Change an exhibit. ``expected_version`` (and ``evidence_id``, the item a screen opened) refuse
    with ConflictError when someone else changed, renumbered or replaced it meanwhile. The links to
    narrative entries count as part of the exhibit: changing them gives it a new version too."""
    case = require_case(session, actor, code)
    require_consent(session, case, "prepare_file")
    item = _item(session, case, exhibit, evidence_id)
    _check_version(case, item, exhibit, expected_version)
    for key, value in changes.items():
        if key == "type":
            item.type = evidence_type(value)
        elif key == "date_text":
            for column, column_value in _date_columns(_parse_date(value)).items():
                setattr(item, column, column_value)
        elif key == "description":
            if not value.strip():
                raise UsageError(
                    "Describe the evidence: what it is and what it shows (the description cannot be empty)."
                )
            item.description = value.strip()
        elif key in ("source", "how_obtained"):
            setattr(item, key, value.strip())
        else:
            raise UsageError(
                f"unknown evidence field '{key}': use type, description, date_text, source, how_obtained"
            )
    fields_changed = session.is_modified(item)
    try:
        session.flush()
        if narrative_entry_ids is not None:
            links_changed = _set_entries(session, case, item, narrative_entry_ids)
        elif item.type != "account":
            links_changed = _set_entries(session, case, item, ())
        else:
            links_changed = False
        if links_changed and not fields_changed:
            item.updated_at = utcnow()  # an UPDATE, so the version moves on and other screens see the change
            session.flush()
    except StaleDataError:
        raise ConflictError(
            f"Exhibit {exhibit} of {case.code} was changed by someone else. Reload."
        ) from None
    fields = sorted(changes) + (["narrative_entries"] if narrative_entry_ids is not None else [])
    audit.record(session, actor, "evidence.update", case.code, exhibit=exhibit, fields=fields)
    return _rows(session, case.id, only=item.id)[0]


def delete_evidence(
    session: Session,
    actor: Actor,
    code: str,
    exhibit: int,
    *,
    expected_version: int | None = None,
    evidence_id: int | None = None,
) -> None:
    """Remove an item, its files and the indicator links resting on it. Other numbers do not move.
    ``expected_version``/``evidence_id`` refuse if it changed or was renumbered since it was shown."""
    case = require_case(session, actor, code)
    item = _item(session, case, exhibit, evidence_id)
    _check_version(case, item, exhibit, expected_version)
    session.execute(delete(IndicatorLink).where(IndicatorLink.evidence_id == item.id))
    session.execute(delete(EvidenceAttachment).where(EvidenceAttachment.evidence_id == item.id))
    session.execute(delete(EvidenceNarrativeEntry).where(EvidenceNarrativeEntry.evidence_id == item.id))
    session.delete(item)
    session.flush()
    audit.record(session, actor, "evidence.delete", case.code, exhibit=exhibit)


def renumber_exhibits(session: Session, actor: Actor, code: str) -> list[EvidenceRow]:
    """Number the exhibits 1..n in date order (undated last, then by current number)."""
    case = require_case(session, actor, code)
    items = list(session.scalars(select(EvidenceItem).where(EvidenceItem.case_id == case.id)))
    ordered = sorted(
        items, key=lambda i: (i.date_earliest is None, i.date_earliest or date.min, i.exhibit_number)
    )
    offset = max((i.exhibit_number for i in items), default=0) + len(items) + 1
    for index, item in enumerate(ordered):  # two passes keep the unique constraint satisfied
        item.exhibit_number = offset + index
    session.flush()
    for index, item in enumerate(ordered, 1):
        item.exhibit_number = index
    session.flush()
    audit.record(session, actor, "evidence.renumber", case.code, count=len(items))
    return _rows(session, case.id)


def list_evidence(session: Session, actor: Actor, code: str) -> list[EvidenceRow]:
    case = require_case(session, actor, code)
    rows = _rows(session, case.id)
    audit.record(session, actor, "evidence.read", case.code, count=len(rows))
    return rows


def exhibit_counts(session: Session, case_ids: list[int]) -> dict[int, int]:
    """Number of exhibits per case, in bulk. No access check and no audit: for callers (decision
    snapshots, the coalition export) that do their own. Cases without exhibits are left out."""
    counts: dict[int, int] = {}
    ids = sorted(set(case_ids))
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        counts.update(
            {
                int(case_id): int(n)
                for case_id, n in session.execute(
                    select(EvidenceItem.case_id, func.count())
                    .where(EvidenceItem.case_id.in_(chunk))
                    .group_by(EvidenceItem.case_id)
                )
            }
        )
    return counts
