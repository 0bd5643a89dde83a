"""Drafting the submission: gather the case, check readiness, render, record, audit.

``readiness`` lists every blocker and warning with where to fix it. ``generate_draft`` refuses an
unredacted draft without the person's consent to submit to IRCC, renders the chosen template in the
chosen language, writes the file only at the path the person chose, records the draft (template,
language, who, when, SHA-256, file name) and audits the export. Nothing about the person goes into the
audit log: codes, template names and counts only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from trpkit.db.models import User
from trpkit.db.models.drafts import Draft
from trpkit.documents.context import DraftData, Organisation, build_context
from trpkit.domain import readiness as rules
from trpkit.errors import TrpkitError, UsageError
from trpkit.services import audit
from trpkit.services.access import require_case
from trpkit.services.actor import Actor
from trpkit.services.drafting_files import write_atomically
from trpkit.services.drafting_gather import Gathered, gather


class DraftBlocked(TrpkitError):
    """Readiness found blockers: the message lists each one and where to fix it."""

    exit_code = 2

    def __init__(self, case_code: str, findings: list[rules.Finding]) -> None:
        self.findings = findings
        lines = "; ".join(f"{f.message} (fix: {f.fix})" for f in findings)
        super().__init__(f"{case_code} is not ready to draft: {lines}")


@dataclass(frozen=True)
class ReadinessReport:
    case_code: str
    template: str
    language: str
    redacted: bool
    application_type: str
    findings: tuple[rules.Finding, ...]
    internal: tuple[str, ...] = ()  # for the accompanier, never the officer (internal note, Draft tab)

    @property
    def ready(self) -> bool:
        return not any(f.is_blocker for f in self.findings)

    @property
    def blockers(self) -> tuple[rules.Finding, ...]:
        return tuple(f for f in self.findings if f.is_blocker)

    @property
    def warnings(self) -> tuple[rules.Finding, ...]:
        return tuple(f for f in self.findings if not f.is_blocker)


@dataclass(frozen=True)
class DraftRecord:
    id: int
    case_code: str
    template: str
    language: str
    redacted: bool
    created_at: datetime
    created_by: str
    sha256: str
    size_bytes: int
    output_filename: str
    draft_date: date
    policy_period: str
    warnings: int
    path: Path | None = None  # only on the record returned right after writing
    findings: tuple[rules.Finding, ...] = ()  # the readiness warnings accepted (right after writing)
    internal: tuple[str, ...] = ()  # the internal notes (right after writing): never in the letter


def organisation_from_settings(extra: dict[str, Any]) -> Organisation:
    """The ``[organisation]`` table of config.toml (see docs/drafting.md)."""
    from trpkit.services.organisation import from_table

    raw = extra.get("organisation") or {}
    if not isinstance(raw, dict):
        raise UsageError("[organisation] in config.toml must be a table (see docs/drafting.md)")
    return from_table(raw)


def readiness(
    session: Session,
    actor: Actor,
    code: str,
    *,
    template: str = "trp-initial",
    language: str = "en",
    redacted: bool = False,
    on: date | None = None,
    organisation: Organisation | None = None,
) -> ReadinessReport:
    """Every blocker and warning for drafting ``template`` for the case, with where to fix each."""
    from trpkit.services.case_review import readiness_findings  # unlinked cues, contradictions

    gathered = gather(
        session,
        actor,
        code,
        template=template,
        language=language,
        redacted=redacted,
        on=on,
        organisation=organisation,
    )
    findings = [*rules.check(gathered.readiness), *readiness_findings(session, actor, gathered.case_code)]
    audit.record(
        session,
        actor,
        "draft.readiness",
        gathered.case_code,
        template=template,
        blockers=sum(f.is_blocker for f in findings),
        warnings=sum(not f.is_blocker for f in findings),
    )
    return ReadinessReport(
        gathered.case_code,
        template,
        language,
        redacted,
        gathered.template.application_type,
        tuple(findings),
        _internal(gathered.data),
    )


def _internal(data: DraftData) -> tuple[str, ...]:
    """What the internal note says: the analysis caveats, then what the letter does about the permit."""
    from trpkit.documents.internal_note_wording import permit_ended

    notes = list(data.assessment.internal)
    permit = data.previous_permit
    if permit is not None and permit.valid_to is not None and permit.valid_to < data.draft_date:
        notes.append(permit_ended(permit.valid_to, data.language))
    return tuple(notes)


def build_draft_context(
    session: Session,
    actor: Actor,
    code: str,
    *,
    template: str,
    language: str = "en",
    redacted: bool = False,
    on: date | None = None,
    organisation: Organisation | None = None,
) -> dict[str, Any]:
    """The template context a draft would use (for previews and tests); no file is written."""
    gathered = gather(
        session,
        actor,
        code,
        template=template,
        language=language,
        redacted=redacted,
        on=on,
        organisation=organisation,
    )
    return build_context(gathered.data, gathered.redactor() if redacted else None)


def generate_draft(
    session: Session,
    actor: Actor,
    code: str,
    *,
    template: str,
    output: Path,
    language: str = "en",
    redacted: bool = False,
    on: date | None = None,
    organisation: Organisation | None = None,
    overwrite: bool = False,
    application: str | None = None,
    make_folder: bool = False,
) -> DraftRecord:
    """Render the draft to ``output`` (a .docx path the person chose) and record it in the case.

    ``application`` (a reference such as TRP-2026-0042/A2) links the draft to that application as
    "the draft used" (through the applications service).
    """
    _check_output_and_application(output, code, application, redacted)
    gathered = gather(
        session,
        actor,
        code,
        template=template,
        language=language,
        redacted=redacted,
        on=on,
        organisation=organisation,
    )
    findings = _findings_allowing_export(session, gathered, redacted)
    data = _render(gathered, redacted)
    write_atomically(output, data, overwrite, make_folder)
    record = _record_export(session, actor, gathered, output.name, data, len(findings))
    if application is not None:
        from trpkit.services.applications import update_application

        update_application(session, actor, application, draft_id=record.id)
    internal = _internal(gathered.data)
    return _record(record, gathered.case_code, actor.username, output, tuple(findings), internal)


def _check_output_and_application(output: Path, code: str, application: str | None, redacted: bool) -> None:
    """Refuse, before reading the case, a file that is not Word or an application of another case."""
    if output.suffix.lower() != ".docx":
        raise UsageError(f"{output.name}: the draft is a Word document; give a file name ending in .docx")
    if application is not None:
        from trpkit.services.applications import parse_ref

        if parse_ref(application)[0] != code.strip().upper():
            raise UsageError(f"application {application} belongs to another case than {code.strip().upper()}")
        if redacted:
            raise UsageError("a redacted copy is not a submission: do not link it to an application")


def _findings_allowing_export(session: Session, gathered: Gathered, redacted: bool) -> list[rules.Finding]:
    """The readiness findings, once consent and readiness allow the export (else ConsentMissing, DraftBlocked)."""
    from trpkit.services.consent import require_consent

    if not redacted:
        require_consent(session, gathered.case_id, "submit_to_ircc")
    findings = rules.check(gathered.readiness)
    blocking = rules.blockers(findings)
    if blocking:
        raise DraftBlocked(gathered.case_code, blocking)
    return findings


def _render(gathered: Gathered, redacted: bool) -> bytes:
    from trpkit.documents.render import render_bytes

    context = build_context(gathered.data, gathered.redactor() if redacted else None)
    return render_bytes(gathered.template.path, context)


def _record_export(
    session: Session, actor: Actor, gathered: Gathered, filename: str, data: bytes, warnings: int
) -> Draft:
    """The draft's row (template, language, who, when, SHA-256, file name) and the audit of the export."""
    info, digest = gathered.data, hashlib.sha256(data).hexdigest()
    record = Draft(
        case_id=gathered.case_id,
        template=info.template,
        language=info.language,
        redacted=gathered.readiness.redacted,
        created_by_id=actor.user_id,
        sha256=digest,
        size_bytes=len(data),
        output_filename=filename,
        draft_date=info.draft_date,
        policy_period=info.policy.id if info.policy else "",
        warnings=warnings,
    )
    session.add(record)
    session.flush()
    audit.record(
        session,
        actor,
        "draft.export",
        gathered.case_code,
        draft=record.id,
        template=info.template,
        language=info.language,
        redacted=record.redacted,
        sha256=digest,
    )
    return record


def write_internal_note(record: DraftRecord, output: Path, *, overwrite: bool = False) -> Path:
    """The internal cover note for a draft just written: marked "not for submission", never sent."""
    from trpkit.documents.internal_note import InternalNote, render_internal_note

    if output.suffix.lower() != ".docx":
        raise UsageError(f"{output.name}: the internal note is a Word document; end the name in .docx")
    note = InternalNote(
        record.case_code,
        record.template,
        record.language,
        record.draft_date,
        record.output_filename,
        record.internal,
        tuple(f"{f.message} (fix: {f.fix})" for f in record.findings),
    )
    write_atomically(output, render_internal_note(note), overwrite)
    return output


def _record(
    row: Draft,
    code: str,
    username: str,
    path: Path | None = None,
    findings: tuple[rules.Finding, ...] = (),
    internal: tuple[str, ...] = (),
) -> DraftRecord:
    return DraftRecord(
        row.id,
        code,
        row.template,
        row.language,
        row.redacted,
        row.created_at,
        username,
        row.sha256,
        row.size_bytes,
        row.output_filename,
        row.draft_date,
        row.policy_period,
        row.warnings,
        path,
        findings,
        internal,
    )


def list_drafts(session: Session, actor: Actor, code: str) -> list[DraftRecord]:
    case = require_case(session, actor, code)
    rows = session.execute(
        select(Draft, User.username)
        .outerjoin(User, User.id == Draft.created_by_id)
        .where(Draft.case_id == case.id)
        .order_by(Draft.created_at.desc(), Draft.id.desc())
    ).all()
    audit.record(session, actor, "draft.list", case.code, count=len(rows))
    return [_record(row, case.code, username or "") for row, username in rows]
