"""Exhibits' files: kept inside the vault, read back only if their SHA-256 still matches, and exported
with a ``SHA256SUMS`` for the submission (under names that cannot leave the chosen folder).
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from trpkit.db.models.evidence import EvidenceAttachment
from trpkit.errors import NotFound, UsageError
from trpkit.services import audit
from trpkit.services.access import require_case
from trpkit.services.actor import Actor
from trpkit.services.consent import require_consent
from trpkit.services.evidence import AttachmentInfo, _item, _rows

if TYPE_CHECKING:
    from sqlalchemy.engine import CursorResult

MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024
_WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


@dataclass(frozen=True)
class ExportResult:
    directory: Path
    files: tuple[Path, ...]


def safe_filename(name: str) -> str:
    """A file name that cannot leave the folder it is written to (no separators, no '..', no devices)."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name))[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")  # control and format chars
    base = re.sub(r'[<>:"|?*]', "_", base).strip().strip(".").strip()
    if not base:
        base = "attachment"
    stem, dot, suffix = base.rpartition(".")
    if stem.upper() in _WINDOWS_RESERVED or base.upper() in _WINDOWS_RESERVED:
        base = f"_{base}"
    encoded = base.encode("utf-8")
    if len(encoded) > 150:
        keep = suffix[:20] if dot else ""
        head = encoded[: 150 - len(keep.encode()) - 1].decode("utf-8", "ignore")
        base = f"{head}.{keep}" if keep else head
    return base


def attach_file(
    session: Session,
    actor: Actor,
    code: str,
    exhibit: int,
    name: str,
    data: bytes,
    media_type: str | None = None,
    *,
    evidence_id: int | None = None,
) -> AttachmentInfo:
    """Store a file INSIDE the vault, attached to an exhibit (``evidence_id``: refuse if the number now
    belongs to another item)."""
    case = require_case(session, actor, code)
    require_consent(session, case, "prepare_file")
    item = _item(session, case, exhibit, evidence_id)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise UsageError(
            f"'{name}' is {len(data) // (1024 * 1024)} MB: attachments are limited to "
            f"{MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB. Compress or split it."
        )
    clean = safe_filename(name)
    kind = media_type or mimetypes.guess_type(clean)[0] or "application/octet-stream"
    attachment = EvidenceAttachment(
        case_id=case.id,
        evidence_id=item.id,
        name=clean,
        media_type=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        added_by_id=actor.user_id,
    )
    session.add(attachment)
    session.flush()
    audit.record(
        session,
        actor,
        "evidence.attach",
        case.code,
        exhibit=exhibit,
        size=len(data),
        sha256=attachment.sha256,
    )
    return AttachmentInfo(attachment.id, clean, attachment.sha256, attachment.size, kind)


def attachment_bytes(
    session: Session, actor: Actor, code: str, attachment_id: int
) -> tuple[AttachmentInfo, bytes]:
    """The stored file, after checking its SHA-256 still matches."""
    case = require_case(session, actor, code)
    attachment = session.scalar(
        select(EvidenceAttachment).where(
            EvidenceAttachment.id == attachment_id, EvidenceAttachment.case_id == case.id
        )
    )
    if attachment is None:
        raise NotFound(f"{case.code} has no attachment {attachment_id}.")
    data = attachment.data
    if hashlib.sha256(data).hexdigest() != attachment.sha256:
        raise UsageError(f"attachment {attachment_id} of {case.code} does not match its recorded SHA-256")
    audit.record(session, actor, "evidence.attachment_read", case.code, attachment=attachment_id)
    return AttachmentInfo(
        attachment.id, attachment.name, attachment.sha256, attachment.size, attachment.media_type
    ), data


def remove_attachment(session: Session, actor: Actor, code: str, attachment_id: int) -> None:
    case = require_case(session, actor, code)
    result = session.execute(
        delete(EvidenceAttachment).where(
            EvidenceAttachment.id == attachment_id, EvidenceAttachment.case_id == case.id
        )
    )
    removed = cast("CursorResult[Any]", result).rowcount  # a DELETE's result is a cursor result
    if not removed:
        raise NotFound(f"{case.code} has no attachment {attachment_id}.")
    audit.record(session, actor, "evidence.detach", case.code, attachment=attachment_id)


def export_name(exhibit: int, index: int, name: str) -> str:
    return f"exhibit-{exhibit:02d}-{index}-{safe_filename(name)}"


def export_evidence(session: Session, actor: Actor, code: str, directory: Path) -> ExportResult:
    """Write every attachment, named by exhibit, into ``directory`` (which must be new or empty), with a
    ``SHA256SUMS`` file (``sha256sum -c SHA256SUMS`` checks that nothing changed on the way).

    Files leave the encrypted vault here, so the person's consent to the submission is required.
    """
    case = require_case(session, actor, code)
    require_consent(session, case, "submit_to_ircc")
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise UsageError(f"{directory} is not empty: export into a new or empty folder.")
    directory.mkdir(parents=True, exist_ok=True)
    root = directory.resolve()
    written: list[Path] = []
    sums: list[str] = []
    rows = _rows(session, case.id)
    for row in rows:
        for index, info in enumerate(row.attachments, 1):
            _, data = attachment_bytes(session, actor, case.code, info.id)
            target = (root / export_name(row.exhibit_number, index, info.name)).resolve()
            if target.parent != root:  # belt and braces: never write outside the chosen folder
                raise UsageError(f"refusing to write attachment {info.id} outside {root}")
            with open(target, "xb") as handle:
                handle.write(data)
            written.append(target)
            sums.append(f"{info.sha256}  {target.name}\n")
    if written:
        (root / "SHA256SUMS").write_text("".join(sums), encoding="utf-8")
    audit.record(session, actor, "evidence.export", case.code, files=len(written))
    return ExportResult(root, tuple(written))
