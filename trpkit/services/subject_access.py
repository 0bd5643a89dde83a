"""A person's access request: everything trpkit holds about them, in a form they can read.

``export_case`` is generic: it walks the database metadata and takes every row of every table that
belongs to the case (a ``case_id`` column or any foreign key to ``cases``, and, transitively, the
tables hanging off those), so what other areas add later is included without changing this module.
Binary columns (attachments) are written as files with safe names; the access log of the case (who
opened, changed or exported it) is included too, because the person has a right to know.

The output folder holds ``case-file.txt`` (readable), ``case-file.json`` (complete, machine-readable),
``attachments/`` and a ``README.txt``. It is NOT encrypted: hand it to the person and delete it.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import LargeBinary, Table, select
from sqlalchemy.orm import Session

from trpkit.db.base import Base, utcnow
from trpkit.db.models import AuditEntry, User
from trpkit.errors import UsageError
from trpkit.services import audit
from trpkit.services.access import require_case
from trpkit.services.actor import Actor

NAME_COLUMNS = ("filename", "file_name", "original_filename", "original_name", "name", "title")
_WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


@dataclass(frozen=True)
class ExportReport:
    folder: Path
    case_code: str
    rows: dict[str, int]
    attachments: tuple[str, ...]
    access_log_entries: int
    notes: tuple[str, ...] = field(default_factory=tuple)


def safe_filename(name: str, fallback: str = "attachment", max_length: int = 120) -> str:
    """A file name that stays inside its folder on every OS: no path parts, no control or reserved
    characters, no leading dots, no reserved device names, a bounded length (extension kept)."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]  # the last path component only
    name = _UNSAFE.sub("_", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")  # other control/format chars
    name = name.strip().lstrip(".").strip()
    name = name.rstrip(". ")  # Windows drops trailing dots and spaces
    if not name:
        name = fallback
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 10:
        stem, ext = name, ""
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = "_" + stem
    budget = max_length - (len(ext) + 1 if ext else 0)
    stem = stem[: max(budget, 1)]
    return f"{stem}.{ext}" if ext else stem


def _case_tables() -> list[tuple[Table, Any]]:
    """Every table that belongs to a case, in dependency order, with a function building its filter."""
    import trpkit.db.models  # noqa: F401  (complete metadata)

    cases = Base.metadata.tables["cases"]
    filters: dict[str, Any] = {"cases": lambda case_id: cases.c.id == case_id}
    ordered: list[tuple[Table, Any]] = [(cases, filters["cases"])]
    for table in Base.metadata.sorted_tables:
        if table.name in filters:
            continue
        builder: Callable[[int], Any] | None = None
        if "case_id" in table.c:
            column = table.c.case_id

            def builder(case_id: int, column: Any = column) -> Any:
                return column == case_id
        else:
            for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name):
                parent = fk.column.table
                if parent.name in filters:
                    parent_filter = filters[parent.name]

                    def builder(case_id: int, fk: Any = fk, parent_filter: Any = parent_filter) -> Any:
                        return fk.parent.in_(select(fk.column).where(parent_filter(case_id)))

                    break
        if builder is not None:
            filters[table.name] = builder
            ordered.append((table, builder))
    return ordered


def _title(table: Table) -> str:
    return (table.comment or table.name.replace("_", " ")).strip().capitalize()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _readable(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "-"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value).replace("\r\n", "\n").replace("\n", "\n      ")


def export_case(session: Session, actor: Actor, code: str, folder: Path) -> ExportReport:
    """Write everything held about the person of case ``code`` into the new folder ``folder``."""
    case = require_case(session, actor, code)
    folder = folder.expanduser()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder} already exists and is not an empty folder. Choose a new folder.")
    found = _collect_tables(session, case.id)
    log = session.execute(
        select(AuditEntry.at, AuditEntry.username, AuditEntry.action)
        .where(AuditEntry.case_code == case.code)
        .order_by(AuditEntry.id)
    ).all()
    access_log = [{"at": at.isoformat(), "user": user, "action": action} for at, user, action in log]
    found.text_sections.append(
        "\n".join(
            [f"== Who opened, changed or exported this file ({len(log)}) =="]
            + [f"  {at:%Y-%m-%d %H:%M} UTC  {user}  {action}" for at, user, action in log]
        )
    )
    _write_folder(folder, case.code, actor.username, found, access_log)
    audit.record(
        session,
        actor,
        "case.export",
        case.code,
        purpose="subject_access",
        rows=sum(found.counts.values()),
        attachments=len(found.attachments),
    )
    return ExportReport(
        folder, case.code, found.counts, tuple(name for name, _ in found.attachments), len(log)
    )


@dataclass
class _Collected:
    """What the export gathers from the case's tables before writing anything."""

    data: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # table -> rows, for the JSON
    counts: dict[str, int] = field(default_factory=dict)
    attachments: list[tuple[str, bytes]] = field(default_factory=list)  # (file name, bytes)
    used_names: set[str] = field(default_factory=set)  # attachment names taken (lower case)
    text_sections: list[str] = field(default_factory=list)  # the readable file, table by table


def _collect_tables(session: Session, case_id: int) -> _Collected:
    users = dict(session.execute(select(User.id, User.username)).all())
    found = _Collected()
    for table, build in _case_tables():
        pk = list(table.primary_key.columns)
        rows = session.execute(select(table).where(build(case_id)).order_by(*pk)).mappings().all()
        found.counts[table.name] = len(rows)
        if not rows:
            continue
        binary = {c.name for c in table.columns if isinstance(c.type, LargeBinary)}
        user_fks = {fk.parent.name for fk in table.foreign_keys if fk.column.table.name == "users"}
        out_rows = []
        lines = [f"== {_title(table)} ({len(rows)}) =="]
        for row in rows:
            out: dict[str, Any] = {}
            for column, value in row.items():
                if column in binary and value is not None:
                    label = next((str(row[n]) for n in NAME_COLUMNS if row.get(n)), "")
                    name = safe_filename(label, fallback=f"{table.name}-{row[pk[0].name]}-{column}.bin")
                    candidate = _unused_name(name, found.used_names)
                    found.attachments.append((candidate, bytes(value)))
                    out[column] = {"attachment": f"attachments/{candidate}", "bytes": len(value)}
                elif column in user_fks and value is not None:
                    out[column] = users.get(value, value)
                else:
                    out[column] = _plain(value)
            out_rows.append(out)
            lines.extend(
                f"  {column}: {_readable(value)}" for column, value in out.items() if column != "case_id"
            )
            lines.append("")
        found.data[table.name] = out_rows
        found.text_sections.append("\n".join(lines))
    return found


def _unused_name(name: str, used_names: set[str]) -> str:
    """``name``, or ``name-2``, ``name-3``… (before the extension) if taken; marks the one chosen taken."""
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 2
    while candidate.lower() in used_names:
        candidate = f"{stem}-{n}.{ext}" if dot and stem else f"{name}-{n}"
        n += 1
    used_names.add(candidate.lower())
    return candidate


def _write_folder(
    folder: Path, code: str, username: str, found: _Collected, access_log: list[dict[str, Any]]
) -> None:
    """The export folder: the readable file, the JSON, the attachments and a README (owner-only)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    written = utcnow()
    header = (
        f"Everything trpkit holds about case {code}\nExported {written:%Y-%m-%d %H:%M} UTC "
        f"by {username}, at the person's request.\n\n"
    )
    _write(folder / "case-file.txt", header + "\n".join(found.text_sections) + "\n")
    _write(
        folder / "case-file.json",
        json.dumps(
            {
                "case": code,
                "exported_at": written.isoformat(),
                "tables": found.data,
                "access_log": access_log,
            },
            ensure_ascii=False,
            indent=2,
            default=str,
        ),
    )
    if found.attachments:
        (folder / "attachments").mkdir(mode=0o700)
        for name, content in found.attachments:
            target = folder / "attachments" / name
            assert target.resolve().parent == (folder / "attachments").resolve()
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
    _write(
        folder / "README.txt",
        (
            f"This folder holds everything trpkit stored about case {code} on {written:%Y-%m-%d}.\n"
            "case-file.txt  the file in readable form, section by section\n"
            "case-file.json the same, complete, for computers\n"
            "attachments/   documents kept with the file\n\n"
            "These files are NOT encrypted. Give them to the person safely, then delete this folder.\n"
        ),
    )


def _write(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
