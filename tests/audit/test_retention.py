"""Retention (destruction removes everything of every area) and a person's access request (export)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select, text, update

import trpkit.db.models  # noqa: F401
from trpkit.db.base import Base
from trpkit.db.database import Database
from trpkit.db.models import AuditEntry, Case
from trpkit.errors import UsageError
from trpkit.services import audit, retention
from trpkit.services.actor import Actor
from trpkit.services.cases import update_case
from trpkit.services.search import search
from trpkit.services.subject_access import _case_tables, export_case, safe_filename

NAME = "Kerry-Ann Storyweather"


def _rich_case(db: Database, actor: Actor, new_case) -> str:  # type: ignore[no-untyped-def]
    """A case with rows in as many areas as exist: consent, evidence with an attachment, applications."""
    from trpkit.services.evidence import add_evidence
    from trpkit.services.evidence_files import attach_file

    code = new_case(legal_name=NAME)
    with db.session() as s:
        item = add_evidence(s, actor, code, type="document", description="Pay record")
        attach_file(s, actor, code, item.exhibit_number, "../../etc/passwd", b"fictional pay record bytes")
        attach_file(s, actor, code, item.exhibit_number, '=HYPERLINK("x").csv', b"second file")
    from datetime import date as _date

    from trpkit.services.narrative import add_entry
    from trpkit.services.narrative_meetings import add_meeting

    with db.session() as s:
        meeting = add_meeting(s, actor, code, held_on=_date(2026, 1, 5))
        add_entry(s, actor, code, meeting.id, "The boss kept my passport in the zanzibarquokka drawer.")
    from trpkit.services.applications import create_application

    with db.session() as s:  # an application and its stage history: rows in two more tables
        create_application(s, actor, code, type="initial_trp")
    return code


def _close(db: Database, actor: Actor, code: str, years_ago: int = 0) -> None:
    with db.session() as s:
        update_case(s, actor, code, status="closed")
    if years_ago:
        with db.session() as s:
            closed = s.scalar(select(Case.closed_at).where(Case.code == code))
            s.execute(
                update(Case)
                .where(Case.code == code)
                .values(closed_at=closed.replace(year=closed.year - years_ago))
            )


def _rows_for(db: Database, case_id: int) -> dict[str, int]:
    counts = {}
    with db.session() as s:
        for table, build in _case_tables():
            counts[table.name] = s.scalar(select(func.count()).select_from(table).where(build(case_id)))
    return counts


def test_every_case_table_cascades_from_cases() -> None:
    """Every table holding case data (directly or through a parent) is deleted with its case."""
    owned = {table.name for table, _ in _case_tables()}
    assert {"persons", "consent_events", "case_assignments", "evidence_attachments"} <= owned
    problems = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name in owned and (fk.ondelete or "").upper() not in ("CASCADE", "SET NULL"):
                problems.append(
                    f"{table.name}.{fk.parent.name} -> {fk.column.table.name} (ondelete={fk.ondelete})"
                )
    assert problems == []


def test_retention_lists_due_files_and_destroys_everything(db: Database, actor: Actor, new_case) -> None:  # type: ignore[no-untyped-def]
    old = _rich_case(db, actor, new_case)
    recent = new_case(legal_name="Recent Fictional")
    open_case = new_case()
    _close(db, actor, old, years_ago=8)
    _close(db, actor, recent)
    with db.session() as s:
        due = retention.closed_cases(s, actor, years=7)
        everything = retention.closed_cases(s, actor, years=7, due_only=False)
        old_id = s.scalar(select(Case.id).where(Case.code == old))
    assert [r.code for r in due] == [old] and due[0].due
    assert [r.code for r in everything] == [old, recent] and not everything[1].due
    before = _rows_for(db, old_id)
    assert before["persons"] == 1 and before["evidence_attachments"] == 2 and before["consent_events"] >= 1
    assert before["applications"] == 1 and before["application_stage_events"] >= 1
    assert before["narrative_entries"] == 1

    with db.session() as s:
        assert [h.case_code for h in search(s, actor, "zanzibarquokka")] == [old]
    with db.session() as s:
        retention.destroy_case(s, actor, old, years=7)
    assert set(_rows_for(db, old_id).values()) == {0}
    with db.session() as s:  # the full-text index (outside the ORM metadata) forgot the narrative too
        assert search(s, actor, "zanzibarquokka") == []
        if db.target.is_vault:
            assert (
                s.execute(
                    text("SELECT count(*) FROM narrative_fts WHERE narrative_fts MATCH 'zanzibarquokka'")
                ).scalar()
                == 0
            )
        else:
            assert (
                s.execute(
                    text("SELECT count(*) FROM narrative_fts WHERE case_id = :c"), {"c": old_id}
                ).scalar()
                == 0
            )
    with db.session() as s:
        assert s.scalar(select(func.count(Case.id))) == 2
        destroyed = audit.entries(s, action="retention.destroy")
        assert [e.case_code for e in destroyed] == [old] and destroyed[0].detail["early"] is False
        assert audit.verify(s).ok  # the case's earlier audit entries survive, chain intact
        assert s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.case_code == old)) > 3
    if db.target.is_vault:
        with db.session() as s:
            blocks = b"".join(
                r for r in s.execute(text("SELECT block FROM narrative_fts_data")).scalars() if r
            )
        assert b"zanzibarquokka" not in blocks  # merged out of the index, not only marked deleted
        retention.compact(db)
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA freelist_count").scalar() == 0
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"

    with pytest.raises(UsageError, match="not closed"), db.session() as s:
        retention.destroy_case(s, actor, open_case)
    with pytest.raises(UsageError, match="kept until"), db.session() as s:
        retention.destroy_case(s, actor, recent, years=7)
    with db.session() as s:
        retention.destroy_case(s, actor, recent, years=7, early_reason="Person asked in writing for erasure")
    with db.session() as s:
        assert audit.entries(s, action="retention.destroy")[0].detail["early"] is True


def test_retention_period_comes_from_the_setting() -> None:
    assert retention.retention_years({}) == retention.DEFAULT_RETENTION_YEARS == 7
    assert retention.retention_years({"retention_years": 10}) == 10
    for bad in ("seven", 0, 1000):
        with pytest.raises(UsageError, match="retention_years"):
            retention.retention_years({"retention_years": bad})
    from datetime import UTC, datetime

    assert retention.destroy_after(datetime(2024, 2, 29, tzinfo=UTC), 7) == date(2031, 2, 28)


def test_export_holds_everything_about_the_person(
    db: Database, actor: Actor, new_case, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    code = _rich_case(db, actor, new_case)
    other = new_case(legal_name="Someone Else Fictional")
    folder = tmp_path / "export"
    with db.session() as s:
        report = export_case(s, actor, code, folder)
    text = (folder / "case-file.txt").read_text(encoding="utf-8")
    data = json.loads((folder / "case-file.json").read_text(encoding="utf-8"))
    assert NAME in text and "Someone Else" not in text and other not in text
    assert data["tables"]["persons"][0]["legal_name"] == NAME
    assert set(report.rows) == {t.name for t, _ in _case_tables()}  # every area's tables were looked at
    assert report.rows["evidence_attachments"] == 2 and report.rows["applications"] == 1
    assert data["tables"]["applications"][0]["type"] == "initial_trp"
    files = sorted(p.name for p in (folder / "attachments").iterdir())
    assert files == ["=HYPERLINK(_x_).csv", "passwd"]
    assert (folder / "attachments" / "passwd").read_bytes() == b"fictional pay record bytes"
    assert all(p.resolve().is_relative_to(folder.resolve()) for p in folder.rglob("*"))
    assert data["access_log"] and any(e["action"] == "case.create" for e in data["access_log"])
    with db.session() as s:
        assert audit.entries(s, action="case.export")[0].detail["purpose"] == "subject_access"
    with pytest.raises(UsageError, match="not an empty folder"), db.session() as s:
        export_case(s, actor, code, folder)


@given(st.text(max_size=300))
def test_safe_filename_never_leaves_its_folder(name: str) -> None:
    clean = safe_filename(name)
    assert clean and len(clean) <= 120
    assert "/" not in clean and "\\" not in clean and "\x00" not in clean
    assert not clean.startswith(".") and clean not in (".", "..")
    assert clean.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}
    assert Path("/base", clean).resolve().parent == Path("/base")


def test_retention_and_export_cli(tmp_path: Path, cli_vault: Path) -> None:
    from tests.cli import CliResult, run_cli
    from tests.conftest import TEST_PASSPHRASE

    def run(*args: str) -> CliResult:  # from tmp_path: the export lands there
        return run_cli(args, vault=cli_vault, passphrase=TEST_PASSPHRASE, cwd=tmp_path)

    code = run("case", "new", "--name", NAME).stdout.strip()
    assert run("case", "edit", code, "--set", "status=closed").returncode == 0
    listed = run("retention", "--all", "--json")
    assert listed.returncode == 0 and json.loads(listed.stdout)["cases"][0]["code"] == code
    exported = run("case", "export", code)
    assert exported.returncode == 0 and NAME in (tmp_path / f"{code}-export" / "case-file.txt").read_text()
    unconfirmed = run("retention", "destroy", code)
    assert unconfirmed.returncode == 2 and "--yes" in unconfirmed.stderr
    early = run("retention", "destroy", code, "--yes")
    assert early.returncode == 2 and "--early-reason" in early.stderr
    done = run("retention", "destroy", code, "--yes", "--early-reason", "Person asked for erasure in writing")
    assert done.returncode == 0, done.stderr
    assert run("case", "show", code).returncode == 2
