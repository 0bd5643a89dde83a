"""Evidence register and indicator map services, on the encrypted vault and on PostgreSQL."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from trpkit.db.database import Database
from trpkit.db.models import Case
from trpkit.db.models.evidence import EvidenceAttachment, EvidenceItem, IndicatorLink
from trpkit.errors import AccessDenied, ConflictError, ConsentMissing, NotFound, UsageError
from trpkit.services import audit, evidence_files, indicators_assessment
from trpkit.services import evidence as ev
from trpkit.services import indicators as ind
from trpkit.services.actor import Actor


def _add(db: Database, actor: Actor, code: str, **kw: str) -> int:
    with db.session() as s:
        return ev.add_evidence(
            s, actor, code, **{"type": "document", "description": "A document", **kw}
        ).exhibit_number


def test_exhibits_are_numbered_per_case_and_dates_stay_fuzzy(db: Database, actor: Actor, new_case) -> None:
    first, second = new_case(), new_case()
    assert [_add(db, actor, first), _add(db, actor, first), _add(db, actor, second)] == [1, 2, 1]
    with db.session() as s:
        row = ev.add_evidence(
            s,
            actor,
            first,
            type="Pay record",
            description="Pay stubs for May",
            date_text="May 2024",
            source="employer",
            how_obtained="given by the person",
        )
    assert row.exhibit_number == 3 and row.type == "pay_record" and row.type_label == "pay record"
    assert row.date is not None and row.date.original == "May 2024"
    with db.session() as s:
        rows = ev.list_evidence(s, actor, first)
    assert [r.exhibit_number for r in rows] == [1, 2, 3]
    assert rows[2].source == "employer" and rows[2].how_obtained == "given by the person"
    with db.session() as s:
        assert any(e.action == "evidence.read" for e in audit.entries(s, case_code=first))
        assert all("Pay stubs" not in str(e.detail) for e in audit.entries(s))  # no content in the audit log


def test_bad_input_is_explained(db: Database, actor: Actor, new_case) -> None:
    code = new_case()
    with pytest.raises(UsageError, match="use one of"), db.session() as s:
        ev.add_evidence(s, actor, code, type="rumour", description="x")
    with pytest.raises(UsageError, match="Describe"), db.session() as s:
        ev.add_evidence(s, actor, code, type="document", description="  ")
    with pytest.raises(NotFound, match="no exhibit 7"), db.session() as s:
        evidence_files.attach_file(s, actor, code, 7, "a.pdf", b"x")


def test_attachments_live_in_the_vault_with_hash_size_and_type(db: Database, actor: Actor, new_case) -> None:
    code = new_case()
    _add(db, actor, code)
    data = bytes(range(256)) * 100
    with db.session() as s:
        info = evidence_files.attach_file(s, actor, code, 1, "contrat signé.pdf", data)
    assert info.sha256 == hashlib.sha256(data).hexdigest() and info.size == len(data)
    assert info.media_type == "application/pdf" and info.name == "contrat signé.pdf"
    with db.session() as s:
        back_info, back = evidence_files.attachment_bytes(s, actor, code, info.id)
        assert back == data and back_info == info
        assert ev.list_evidence(s, actor, code)[0].attachments == (info,)
        stored = s.scalar(select(EvidenceAttachment.data).where(EvidenceAttachment.id == info.id))
        assert stored == data


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\evil.dll", "evil.dll"),
        ("/absolute/path/report.pdf", "report.pdf"),
        ("..", "attachment"),
        ("CON", "_CON"),
        ("bad\x00name\x1b.txt", "badname.txt"),
        ('a<b>:c"|?*.doc', "a_b__c____.doc"),
    ],
)
def test_attachment_names_cannot_escape_the_export_folder(given: str, stored: str) -> None:
    assert evidence_files.safe_filename(given) == stored


def test_export_writes_named_files_only_inside_the_folder(
    db: Database, actor: Actor, new_case, tmp_path: Path
) -> None:
    code = new_case()
    _add(db, actor, code)
    _add(db, actor, code)
    with db.session() as s:
        evidence_files.attach_file(s, actor, code, 1, "../../escape.txt", b"one")
        evidence_files.attach_file(s, actor, code, 2, "photo.jpg", b"two")
        evidence_files.attach_file(s, actor, code, 2, "photo.jpg", b"three")
    out = tmp_path / "export"
    with db.session() as s:
        result = evidence_files.export_evidence(s, actor, code, out)
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "SHA256SUMS",
        "exhibit-01-1-escape.txt",
        "exhibit-02-1-photo.jpg",
        "exhibit-02-2-photo.jpg",
    ]
    sums = dict(reversed(line.split("  ")) for line in (out / "SHA256SUMS").read_text().splitlines())
    assert sums["exhibit-02-2-photo.jpg"] == hashlib.sha256(b"three").hexdigest()
    assert (out / "exhibit-02-2-photo.jpg").read_bytes() == b"three"
    assert not (tmp_path / "escape.txt").exists() and len(result.files) == 3
    with pytest.raises(UsageError, match="not empty"), db.session() as s:
        evidence_files.export_evidence(s, actor, code, out)


def test_consent_gates_recording_and_export(db: Database, actor: Actor, new_case, tmp_path: Path) -> None:
    code = new_case(consents=("prepare_file",))
    _add(db, actor, code)
    with pytest.raises(ConsentMissing, match="submitting to IRCC"), db.session() as s:
        evidence_files.export_evidence(s, actor, code, tmp_path / "out")
    nothing = new_case(consents=())
    with pytest.raises(ConsentMissing), db.session() as s:
        ev.add_evidence(s, actor, nothing, type="document", description="x")
    with pytest.raises(ConsentMissing), db.session() as s:
        ind.link_indicator(s, actor, nothing, "AL-1.01", note="x")


def test_other_accompaniers_cannot_see_the_register(db: Database, actor: Actor, new_case, make_actor) -> None:
    code = new_case()
    _add(db, actor, code)
    other = make_actor(db, "bo", "accompanier")
    with pytest.raises(AccessDenied), db.session() as s:
        ev.list_evidence(s, other, code)
    with pytest.raises(AccessDenied), db.session() as s:
        indicators_assessment.case_assessment(s, other, code)


def test_update_delete_and_renumber(db: Database, actor: Actor, new_case) -> None:
    code = new_case()
    _add(db, actor, code, date_text="2024")
    _add(db, actor, code, date_text="March 2021")
    _add(db, actor, code)
    with db.session() as s:
        ind.link_indicator(s, actor, code, "AL-4.02", exhibit=1)
        updated = ev.update_evidence(s, actor, code, 1, expected_version=1, description="Pay records 2024")
    assert updated.version == 2 and updated.indicator_ids == ("AL-4.02",)
    with pytest.raises(ConflictError, match="changed"), db.session() as s:
        ev.update_evidence(s, actor, code, 1, expected_version=1, description="stale")
    with db.session() as s:
        rows = ev.renumber_exhibits(s, actor, code)
    assert [(r.exhibit_number, r.date.original if r.date else None) for r in rows] == [
        (1, "March 2021"),
        (2, "2024"),
        (3, None),
    ]
    with db.session() as s:
        ev.delete_evidence(s, actor, code, 2)
        assert ind.list_links(s, actor, code) == []  # the link resting on it went with it
        assert [r.exhibit_number for r in ev.list_evidence(s, actor, code)] == [1, 3]


def _identified_case(db: Database, actor: Actor, code: str) -> None:
    for _ in range(2):
        _add(db, actor, code)
    with db.session() as s:
        ev.add_evidence(s, actor, code, type="account", description="What she told us", date_text="2023")
        ind.link_indicator(s, actor, code, "AL-1.02", exhibit=3)
        ind.link_indicator(s, actor, code, "AL-1.03", exhibit=3)
        ind.link_indicator(s, actor, code, "AL-1.05", exhibit=3)
        ind.link_indicator(s, actor, code, "AL-4.02", exhibit=1)
        ind.link_indicator(s, actor, code, "AL-4.03", exhibit=1)
        ind.link_indicator(s, actor, code, "AL-4.09", exhibit=2)
        ind.link_indicator(s, actor, code, "AL-6.01", exhibit=2)
        ind.link_indicator(s, actor, code, "AL-6.02", exhibit=3)
        ind.link_indicator(s, actor, code, "AL-6.07", note="belongs to a marginalised group")
        ind.link_indicator(s, actor, code, "AL-5.01", status="reported_unsupported", note="mentioned once")
        ind.link_indicator(s, actor, code, "AL-5.04", status="explored_absent", note="asked, said no")


def test_case_assessment_with_exhibits_convergence_and_gaps(db: Database, actor: Actor, new_case) -> None:
    code = new_case(birth_date_text="1990")
    with db.session() as s:
        s.execute(Case.__table__.update().values(exploitation_sector="agriculture"))
    _identified_case(db, actor, code)
    with db.session() as s:
        result = indicators_assessment.case_assessment(s, actor, code)
    assert result.framework == "delphi-adult-labour" and result.framework_verification == "secondary"
    assert result.identified and result.convergence
    assert "convergence of medium and weak indicators" in result.explanation
    dims = {d.id: d for d in result.dimensions}
    assert dims["deceptive_recruitment"].rule == "three_medium"
    assert dims["exploitative_conditions"].rule == "two_medium_plus_weak"
    assert {p.id: p.exhibits for p in dims["exploitative_conditions"].present} == {
        "AL-4.02": (1,),
        "AL-4.03": (1,),
        "AL-4.09": (2,),
    }
    assert dims["coercion_at_destination"].reported_unsupported == ("AL-5.01",)
    assert set(result.gaps.account_only) == {"AL-1.02", "AL-1.03", "AL-1.05", "AL-6.02"}
    assert result.gaps.no_support_recorded == ("AL-6.07",)
    assert result.gaps.ircc_without_evidence == ("IRCC-2",)


def test_framework_follows_age_at_the_time_and_sector(db: Database, actor: Actor, new_case) -> None:
    code = new_case()
    with db.session() as s:
        case = s.scalar(select(Case).where(Case.code == code))
        case.exploitation_sector = "sex_trade"
        case.person.birth_date_earliest = date(2003, 5, 1)
        case.person.birth_date_latest = date(2003, 5, 1)
    with db.session() as s:
        ind.set_settings(s, actor, code, exploitation_start="June 2019")
        result = indicators_assessment.case_assessment(s, actor, code)
    assert result.framework == "delphi-child-sexual" and "under 18" in result.framework_reason
    assert not result.framework_complete and any("incomplete" in c for c in result.caveats)
    with db.session() as s:
        ind.link_indicator(s, actor, code, "AL-5.07", note="made to see clients")  # recorded on another list
        result = indicators_assessment.case_assessment(s, actor, code)
        by_hand = indicators_assessment.case_assessment(s, actor, code, framework="delphi-adult-labour")
    assert result.translated_links == 1 and result.unmatched_links == ()
    coercion = next(d for d in result.dimensions if d.id == "coercion_at_destination")
    assert coercion.indicators == ("CS-5.07",) and coercion.strong == 1
    assert (
        by_hand.framework == "delphi-adult-labour"
        and by_hand.framework_reason == "chosen by hand for this case"
    )
    with pytest.raises(UsageError, match="unknown framework"), db.session() as s:
        indicators_assessment.case_assessment(s, actor, code, framework="delphi-martian")


def test_links_update_instead_of_duplicating(db: Database, actor: Actor, new_case) -> None:
    code = new_case()
    _add(db, actor, code)
    with db.session() as s:
        first = ind.link_indicator(s, actor, code, "al-5.03", exhibit=1, note="locked in")
        again = ind.link_indicator(s, actor, code, "AL-5.03", status="reported_unsupported", exhibit=1)
    assert first.id == again.id and again.status == "reported_unsupported" and again.note == "locked in"
    with pytest.raises(UsageError, match="needs an exhibit"), db.session() as s:
        ind.link_indicator(s, actor, code, "AL-5.03")
    with pytest.raises(UsageError, match="unknown indicator"), db.session() as s:
        ind.link_indicator(s, actor, code, "AL-7.01", note="x")
    with pytest.raises(UsageError, match="unknown status"), db.session() as s:
        ind.link_indicator(s, actor, code, "AL-5.03", status="maybe", note="x")
    with db.session() as s:
        ind.update_link(s, actor, code, first.id, status="present")
        ind.unlink(s, actor, code, first.id)
        assert ind.list_links(s, actor, code) == []


def test_bulk_summaries_agree_with_case_assessments(db: Database, actor: Actor, new_case) -> None:
    codes = [new_case(), new_case(), new_case()]
    _identified_case(db, actor, codes[0])
    with db.session() as s:
        ind.link_indicator(s, actor, codes[1], "AL-4.01", note="14-hour days")
        ids = {c: s.scalar(select(Case.id).where(Case.code == c)) for c in codes}
        summaries = indicators_assessment.assessment_summaries(s, list(ids.values()))
        audit_before = s.scalar(select(func.count()).select_from(audit.AuditEntry))
        indicators_assessment.assessment_summaries(s, list(ids.values()))
        assert (
            s.scalar(select(func.count()).select_from(audit.AuditEntry)) == audit_before
        )  # no per-case audit
        for code, case_id in ids.items():
            full = indicators_assessment.case_assessment(s, actor, code)
            summary = summaries[case_id]
            assert (summary.framework, summary.identified) == (full.framework, full.identified)
            assert summary.positive_dimensions == tuple(d.id for d in full.dimensions if d.positive)
            assert (summary.strong, summary.medium, summary.weak) == (
                sum(d.strong for d in full.dimensions),
                sum(d.medium for d in full.dimensions),
                sum(d.weak for d in full.dimensions),
            )
    assert summaries[ids[codes[0]]].identified and not summaries[ids[codes[2]]].identified
    assert summaries[ids[codes[1]]].strong == 1


def test_destroying_a_case_removes_its_register(db: Database, actor: Actor, new_case) -> None:
    code = new_case()
    _add(db, actor, code)
    with db.session() as s:
        evidence_files.attach_file(s, actor, code, 1, "a.txt", b"secret")
        ind.link_indicator(s, actor, code, "AL-4.02", exhibit=1)
        ind.set_settings(s, actor, code, consented_to_crossing=True)
    with db.session() as s:
        s.execute(Case.__table__.delete().where(Case.code == code))
    with db.session() as s:
        for model in (EvidenceItem, EvidenceAttachment, IndicatorLink):
            assert s.scalar(select(func.count()).select_from(model)) == 0


def test_smuggling_contrast_reads_the_case(db: Database, actor: Actor, new_case) -> None:
    code = new_case()
    with db.session() as s:
        ind.set_settings(s, actor, code, consented_to_crossing=True)
        before = indicators_assessment.case_contrast(s, actor, code)
        ind.link_indicator(s, actor, code, "AL-5.01", note="passport kept by the boss")
        ind.link_indicator(s, actor, code, "AL-5.02", note="debt for the trip grew")
        after = indicators_assessment.case_contrast(s, actor, code)
    readings = {e.id: e.reading for e in before.elements}
    assert readings["consent_to_crossing"].startswith("person says they agreed")
    assert before.points_to_trafficking == 0
    after_readings = {e.id: e for e in after.elements}
    assert after_readings["control_after_arrival"].indicators == ("5.01",)
    assert after_readings["debt"].reading == "points to trafficking"
    assert "second look" in after.summary


def test_links_to_the_persons_own_words_count_as_account_only(db: Database, actor: Actor, new_case) -> None:
    from trpkit.db.models.narrative import NarrativeEntry
    from trpkit.services.narrative import add_entry
    from trpkit.services.narrative_meetings import add_meeting

    code, other = new_case(), new_case()
    with db.session() as s:
        meeting = add_meeting(s, actor, code, held_on=date(2026, 3, 2))
        entry = add_entry(s, actor, code, meeting.id, "He kept my passport in his office.")
        other_meeting = add_meeting(s, actor, other, held_on=date(2026, 3, 2))
        foreign = add_entry(s, actor, other, other_meeting.id, "Another person's words.")
        row = ind.link_indicator(s, actor, code, "AL-5.01", narrative_entry_id=entry.id)
        again = ind.link_indicator(s, actor, code, "AL-5.01", narrative_entry_id=entry.id, note="said twice")
    assert row.narrative_entry_id == entry.id and again.id == row.id
    with pytest.raises(NotFound), db.session() as s:
        ind.link_indicator(s, actor, code, "AL-5.02", narrative_entry_id=foreign.id)
    with db.session() as s:
        result = indicators_assessment.case_assessment(s, actor, code)
    assert result.gaps.account_only == ("AL-5.01",)
    ircc4 = next(c for c in result.gaps.ircc if c.id == "IRCC-4")
    assert ircc4.supported and ircc4.account_only
    with db.session() as s:  # removing the passage removes the statement resting on it
        s.execute(NarrativeEntry.__table__.delete().where(NarrativeEntry.id == entry.id))
    with db.session() as s:
        assert ind.list_links(s, actor, code) == []


def test_the_persons_account_rests_on_narrative_entries(db: Database, actor: Actor, new_case) -> None:
    from trpkit.services.narrative import add_entry
    from trpkit.services.narrative_meetings import add_meeting

    code = new_case()
    with db.session() as s:
        meeting = add_meeting(s, actor, code, held_on=date(2026, 3, 2))
        first = add_entry(s, actor, code, meeting.id, "They took my passport at the airport.")
        second = add_entry(s, actor, code, meeting.id, "I worked every day from five until dark.")
        row = ev.add_evidence(
            s,
            actor,
            code,
            type="account",
            description="Her account, two meetings",
            narrative_entry_ids=[second.id, first.id],
        )
    assert row.narrative_entry_ids == tuple(sorted((first.id, second.id)))
    with pytest.raises(UsageError, match="Only the person's account"), db.session() as s:
        ev.add_evidence(s, actor, code, type="contract", description="x", narrative_entry_ids=[first.id])
    with pytest.raises(NotFound, match="no narrative entry 999"), db.session() as s:
        ev.update_evidence(s, actor, code, 1, narrative_entry_ids=[first.id, 999])
    with db.session() as s:
        updated = ev.update_evidence(s, actor, code, 1, narrative_entry_ids=[first.id])
        ind.link_indicator(s, actor, code, "AL-5.01", exhibit=1)
        result = indicators_assessment.case_assessment(s, actor, code)
    assert updated.narrative_entry_ids == (first.id,)
    assert result.gaps.account_only == ("AL-5.01",)


def test_exhibit_counts_in_bulk(db: Database, actor: Actor, new_case) -> None:
    first, second, empty = new_case(), new_case(), new_case()
    for code in (first, first, second):
        _add(db, actor, code)
    with db.session() as s:
        ids = {c: s.scalar(select(Case.id).where(Case.code == c)) for c in (first, second, empty)}
        counts = ev.exhibit_counts(s, list(ids.values()))
    assert counts == {ids[first]: 2, ids[second]: 1}


def test_links_a_list_does_not_have_are_reported_not_silently_dropped(
    db: Database, actor: Actor, new_case
) -> None:
    code = new_case()
    with db.session() as s:
        ind.link_indicator(s, actor, code, "AL-4.08", note="no contract, no insurance")
        adult = indicators_assessment.case_assessment(s, actor, code, framework="delphi-adult-labour")
        child = indicators_assessment.case_assessment(s, actor, code, framework="delphi-child-labour")
    assert adult.unmatched_links == () and "AL-4.08" in adult.gaps.no_support_recorded
    assert child.unmatched_links == ("AL-4.08",)
    assert "Not counted: AL-4.08" in child.explanation and child.explanation.endswith(child.caveats[-1])


def test_without_a_start_date_the_earliest_exhibit_dates_the_exploitation(
    db: Database, actor: Actor, new_case
) -> None:
    code = new_case()
    with db.session() as s:
        case = s.scalar(select(Case).where(Case.code == code))
        case.person.birth_date_earliest, case.person.birth_date_latest = date(2008, 2, 1), date(2008, 2, 1)
        case_id = case.id
    _add(db, actor, code, date_text="2025")
    _add(db, actor, code, date_text="March 2021")
    with db.session() as s:
        single = indicators_assessment.case_assessment(s, actor, code)
        bulk = indicators_assessment.assessment_summaries(s, [case_id])[case_id]
    assert single.framework == bulk.framework == "delphi-child-labour"
    assert "under 18 at the earliest dated exhibit" in single.framework_reason


def test_a_link_to_an_id_removed_from_the_checklists_is_shown_not_lost(
    db: Database, actor: Actor, new_case
) -> None:
    code = new_case()
    with db.session() as s:
        case_id = s.scalar(select(Case.id).where(Case.code == code))
        s.add(IndicatorLink(case_id=case_id, indicator_id="AL-7.77", status="present", note="old checklist"))
    with db.session() as s:
        links = ind.list_links(s, actor, code)
        result = indicators_assessment.case_assessment(s, actor, code)
    assert links[0].label == "(no longer in the checklists)"
    assert result.unmatched_links == ("AL-7.77",)
