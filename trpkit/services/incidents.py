"""Incidents: record, list, show, edit, withdraw and follow what member agencies see.

No consent is involved: an incident holds nothing about a person (the export checks that against the vault,
see ``trpkit.services.incident_sharing``). Roles: accompaniers and supervisors write this agency's incidents;
analysts read them (the coordinator's bulletin); withdrawing one needs a supervisor, like exporting.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from trpkit.db.models.coalition import CoalitionSettings
from trpkit.db.models.incidents import IncidentRow
from trpkit.domain.fuzzy_dates import parse_fuzzy
from trpkit.domain.incident_vocab import Vocabulary, resolve_place
from trpkit.domain.incidents import Incident, IncidentView, Source
from trpkit.domain.vocab import Role
from trpkit.errors import ConflictError, NotFound, UsageError
from trpkit.loading.incident_vocab import vocabulary
from trpkit.services import audit
from trpkit.services.access import require_role
from trpkit.services.actor import Actor

READ_ROLES = (Role.ACCOMPANIER, Role.SUPERVISOR, Role.ANALYST)
WRITE_ROLES = (Role.ACCOMPANIER, Role.SUPERVISOR)
SHARE_ROLES = (Role.SUPERVISOR,)
LOCAL_AGENCY = "local"  # this vault's agency until 'trpkit coalition keygen' names it
DETAIL_KEYS = ("framing_history", "indicators", "facts", "known", "unknown", "questions", "sources", "asks")


@dataclass(frozen=True)
class IncidentInput:
    """What a person types for a new incident or an edit (None in an edit = unchanged)."""

    title: str | None = None
    when: str | None = None
    place: str | None = None
    sector: str | None = None
    people: str | None = None
    framing: str | None = None
    indicators: tuple[str, ...] | None = None
    facts: tuple[str, ...] | None = None
    known: str | None = None
    unknown: str | None = None
    questions: str | None = None
    sources: tuple[Source, ...] | None = None
    asks: tuple[str, ...] | None = None


def this_agency(session: Session) -> str:
    settings = session.scalar(select(CoalitionSettings).order_by(CoalitionSettings.id).limit(1))
    return settings.agency if settings is not None and settings.agency else LOCAL_AGENCY


def to_incident(row: IncidentRow) -> Incident:
    d = row.details or {}
    return Incident(
        uid=row.uid,
        agency=row.agency,
        sequence=row.sequence,
        title=row.title,
        when_text=row.when_text,
        when_parsed=row.when_parsed,
        when_earliest=row.when_earliest.isoformat() if row.when_earliest else None,
        when_latest=row.when_latest.isoformat() if row.when_latest else None,
        place=row.place,
        sector=row.sector,
        people=row.people,
        framing=row.framing,
        framing_history=tuple(d.get("framing_history", ())),
        indicators=tuple(d.get("indicators", ())),
        facts=tuple(d.get("facts", ())),
        known=str(d.get("known", "")),
        unknown=str(d.get("unknown", "")),
        questions=str(d.get("questions", "")),
        sources=tuple(Source(**s) for s in d.get("sources", ())),
        asks=tuple(d.get("asks", ())),
        withdrawn=row.withdrawn,
    )


def view_of(row: IncidentRow, vocab: Vocabulary | None = None) -> IncidentView:
    vocab = vocab or vocabulary()
    place = vocab.places.get(row.place)
    return IncidentView(
        incident=to_incident(row),
        ref=row.uid[:8],
        own=row.own,
        followed=row.followed,
        version=row.version,
        updated_at=row.updated_at,
        received_at=row.received_at,
        shared_sequence=row.exported_sequence,
        place_name=place.name if place else row.place,
        province=place.province if place else "",
        when_needs_correction=bool(row.when_text) and not row.when_parsed,
    )


def _clean_ids(values: tuple[str, ...], kind: str, vocab: Vocabulary) -> list[str]:
    out: list[str] = []
    for value in values:
        item = value.strip()
        if item:
            vocab.get(kind, item)  # refuses an unknown id, listing the known ones
            if item not in out:
                out.append(item)
    return out


def _indicator_ids(values: tuple[str, ...]) -> list[str]:
    from trpkit.loading.frameworks import load_frameworks

    known: set[str] = set()
    frameworks = load_frameworks()
    for delphi in frameworks.delphi.values():
        known.update(delphi.by_id)
    for criteria in frameworks.criteria.values():
        known.update(c.id for c in criteria.criteria)
    out = []
    for value in values:
        item = value.strip().upper() if value.strip()[:2].isalpha() else value.strip()
        if not item:
            continue
        if item not in known:
            raise UsageError(
                f"unknown indicator '{value}': use ids from the frameworks (e.g. AL-5.01); "
                "'trpkit indicators list' shows them"
            )
        if item not in out:
            out.append(item)
    return out


def _apply(row: IncidentRow, data: IncidentInput, vocab: Vocabulary) -> list[str]:
    """Copy typed values onto ``row``; returns the names of the fields that changed."""
    changed: list[str] = []
    details = dict(row.details or {})

    def put(name: str, value: Any) -> None:
        current = details.get(name) if name in DETAIL_KEYS else getattr(row, name)
        if current != value:
            changed.append(name)
            if name in DETAIL_KEYS:
                details[name] = value
            else:
                setattr(row, name, value)

    if data.title is not None:
        title = " ".join(data.title.split())
        if not title:
            raise UsageError("An incident needs a title (a few words saying what happened).")
        put("title", title[:200])
    if data.when is not None:
        when = data.when.strip()[:200]
        parsed = parse_fuzzy(when) if when else None
        put("when_text", when)
        put("when_parsed", bool(parsed and parsed.is_parsed))
        put("when_earliest", parsed.earliest if parsed and parsed.is_parsed else None)
        put("when_latest", parsed.latest if parsed and parsed.is_parsed else None)
    if data.place is not None:
        put("place", resolve_place(data.place, vocab).id)
    if data.sector is not None:
        put("sector", vocab.get("sector", data.sector.strip()).id)
    if data.people is not None:
        put("people", vocab.get("band", data.people.strip()).id)
    if data.framing is not None:
        framing = vocab.get("framing", data.framing.strip()).id
        if row.framing and framing != row.framing and row.id is not None:
            put("framing_history", [*details.get("framing_history", []), row.framing])
        put("framing", framing)
    if data.indicators is not None:
        put("indicators", _indicator_ids(data.indicators))
    if data.facts is not None:
        put("facts", _clean_ids(data.facts, "fact", vocab))
    for name in ("known", "unknown", "questions"):
        value = getattr(data, name)
        if value is not None:
            put(name, value.strip())
    if data.sources is not None:
        for source in data.sources:
            vocab.get("source_kind", source.kind)
        put(
            "sources",
            [{"kind": s.kind, "detail": s.detail.strip(), "public": s.public} for s in data.sources],
        )
    if data.asks is not None:
        put("asks", _clean_ids(data.asks, "ask", vocab))
    row.details = details
    return changed


def new_incident(session: Session, actor: Actor, data: IncidentInput) -> IncidentView:
    require_role(actor, WRITE_ROLES, "record incidents")
    vocab = vocabulary()
    missing = [name for name in ("title", "place") if not getattr(data, name)]
    if missing:
        raise UsageError(f"A new incident needs {' and '.join(missing)}.")
    row = IncidentRow(
        uid=uuid.uuid4().hex,
        agency=this_agency(session),
        own=True,
        sequence=1,
        sector="unknown",
        people="unknown",
        framing="not_framed",
        details={},
    )
    defaults = replace(
        data,
        sector=data.sector or "unknown",
        people=data.people or "unknown",
        framing=data.framing or "not_framed",
        when=data.when or "",
    )
    _apply(row, defaults, vocab)
    session.add(row)
    session.flush()
    audit.record(session, actor, "incident.new", None, incident=row.uid[:8])
    return view_of(row, vocab)


def _query(actor: Actor) -> Select[IncidentRow]:
    require_role(actor, READ_ROLES, "read incidents")
    return select(IncidentRow)


def get_row(session: Session, actor: Actor, ref: str) -> IncidentRow:
    wanted = ref.strip().lower()
    if len(wanted) < 4:
        raise UsageError(f"'{ref}' is too short: give at least 4 characters of the incident's reference.")
    rows = session.scalars(_query(actor).where(IncidentRow.uid.startswith(wanted)).limit(2)).all()
    if not rows:
        raise NotFound(f"No incident {ref}. List them with 'trpkit incident list'.")
    if len(rows) > 1:
        raise UsageError(f"'{ref}' matches several incidents: give more characters of the reference.")
    return rows[0]


def show_incident(session: Session, actor: Actor, ref: str) -> IncidentView:
    return view_of(get_row(session, actor, ref))


def list_incidents(
    session: Session,
    actor: Actor,
    *,
    since: date | None = None,
    place: str | None = None,
    sector: str | None = None,
    framing: str | None = None,
    own: bool | None = None,
    followed: bool | None = None,
    include_withdrawn: bool = False,
) -> list[IncidentView]:
    """Newest first (by the latest date the incident may have happened, then by last change)."""
    require_role(actor, READ_ROLES, "read incidents")
    # Plain rows, not ORM objects: a bulletin reads thousands and never changes them.
    stmt = select(*IncidentRow.__table__.columns)
    vocab = vocabulary()
    if not include_withdrawn:
        stmt = stmt.where(IncidentRow.withdrawn.is_(False))
    if sector:
        stmt = stmt.where(IncidentRow.sector == vocab.get("sector", sector).id)
    if framing:
        stmt = stmt.where(IncidentRow.framing == vocab.get("framing", framing).id)
    if own is not None:
        stmt = stmt.where(IncidentRow.own.is_(own))
    if followed is not None:
        stmt = stmt.where(IncidentRow.followed.is_(followed))
    rows = session.execute(stmt).all()
    views = [view_of(r, vocab) for r in rows]  # type: ignore[arg-type]  # a Row has the same attributes
    if place:
        wanted = resolve_place(place, vocab)
        views = [
            v
            for v in views
            if v.incident.place == wanted.id or (wanted.id == wanted.province and v.province == wanted.id)
        ]
    if since:
        views = [v for v in views if _latest_day(v) >= since]
    views.sort(key=lambda v: (_latest_day(v), v.updated_at), reverse=True)
    return views


def _latest_day(view: IncidentView) -> date:
    """When an incident may last have happened; an unreadable date counts from when it was last changed."""
    if view.incident.when_latest:
        return date.fromisoformat(view.incident.when_latest)
    return (view.received_at or view.updated_at).date()


def edit_incident(
    session: Session, actor: Actor, ref: str, data: IncidentInput, *, expected_version: int | None = None
) -> IncidentView:
    require_role(actor, WRITE_ROLES, "edit incidents")
    row = get_row(session, actor, ref)
    if not row.own:
        raise UsageError(
            f"{row.uid[:8]} came from {row.agency}: only they can change it (you can mark it followed)."
        )
    if row.withdrawn:
        raise UsageError(f"{row.uid[:8]} was withdrawn; record a new incident instead.")
    if expected_version is not None and expected_version != row.version:
        raise ConflictError(
            f"{row.uid[:8]} was changed by someone else since you opened it (version {row.version}, "
            f"you had {expected_version}). Reload it and apply your change again."
        )
    changed = _apply(row, data, vocabulary())
    if changed:
        row.sequence += 1  # members replace their copy when a newer sequence arrives
        session.flush()
        audit.record(session, actor, "incident.edit", None, incident=row.uid[:8], fields=sorted(changed))
    return view_of(row)


def withdraw_incident(session: Session, actor: Actor, ref: str) -> IncidentView:
    require_role(actor, SHARE_ROLES, "withdraw an incident")
    row = get_row(session, actor, ref)
    if not row.own:
        raise UsageError(f"{row.uid[:8]} came from {row.agency}: only they can withdraw it.")
    if row.withdrawn:
        raise UsageError(f"{row.uid[:8]} is already withdrawn.")
    row.withdrawn = True
    row.sequence += 1
    session.flush()
    audit.record(session, actor, "incident.withdraw", None, incident=row.uid[:8])
    return view_of(row)


def set_followed(session: Session, actor: Actor, ref: str, followed: bool = True) -> IncidentView:
    require_role(actor, READ_ROLES, "mark incidents followed")
    row = get_row(session, actor, ref)
    if row.followed != followed:
        row.followed = followed
        session.flush()
    return view_of(row)
