"""Applications, decisions and deadlines on the encrypted vault and on PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from trpkit.db.database import Database
from trpkit.db.models import Application, ApplicationStageEvent, Case, Decision
from trpkit.documents.calendar import deadline_summary
from trpkit.errors import AccessDenied, ConflictError, ConsentMissing, NotFound, UsageError
from trpkit.services import audit
from trpkit.services.actor import Actor
from trpkit.services.applications import (
    advance,
    case_applications,
    create_application,
    get_application,
    parse_ref,
    update_application,
)
from trpkit.services.applications_list import list_applications
from trpkit.services.cases import update_case
from trpkit.services.clock_view import continuity
from trpkit.services.deadlines import list_deadlines
from trpkit.services.decisions import get_decision, record_decision

TODAY = date(2026, 11, 28)


def _submitted(
    db: Database, actor: Actor, code: str, kind: str = "initial_trp", on: date = date(2026, 1, 10)
) -> str:
    with db.session() as s:
        return create_application(
            s, actor, code, type=kind, submitted_on=on, ircc_office="Vancouver", today=TODAY
        ).ref


def test_application_lifecycle_with_history(db: Database, actor: Actor, new_case) -> None:  # type: ignore[no-untyped-def]
    code = new_case()
    with db.session() as s:
        draft = create_application(
            s, actor, code, type="initial-trp", started_on=date(2026, 1, 2), today=TODAY
        )
    assert draft.ref == f"{code}/A1" and draft.stage == "draft" and draft.policy_period == "vtip-2025"
    with db.session() as s:
        advance(s, actor, draft.ref, "submitted", on=date(2026, 1, 10), today=TODAY)
        advance(
            s, actor, draft.ref, "acknowledged", on=date(2026, 1, 20), file_number="W301234567", today=TODAY
        )
        after = advance(
            s,
            actor,
            draft.ref,
            "info_requested",
            on=date(2026, 2, 1),
            due_on=date(2026, 3, 3),
            note="pay records",
            today=TODAY,
        )
    assert after.stage == "info_requested" and after.stage_due_on == date(2026, 3, 3)
    assert [e.stage for e in after.events] == ["draft", "submitted", "acknowledged", "info_requested"]
    assert after.submitted_on == date(2026, 1, 10) and after.file_number == "W301234567"
    with db.session() as s:
        decision = record_decision(
            s,
            actor,
            draft.ref,
            outcome="granted",
            decided_on=date(2026, 4, 1),
            duration_days=365,
            officer_label="van-03",
            today=TODAY,
        )
    assert decision.validity_start == date(2026, 4, 1) and decision.validity_end == date(2027, 3, 31)
    assert decision.duration_granted_days == 365 and decision.officer_label == "VAN-03"
    assert decision.snapshot["policy_period"] == "vtip-2025"
    assert decision.snapshot["criminal_case_status"] == "none"
    assert set(decision.snapshot) >= {
        "law_enforcement_cooperation",
        "exploitation_sector",
        "delphi",
        "exhibits",
    }
    with db.session() as s:
        shown = get_application(s, actor, draft.ref)
        assert shown.stage == "decided" and shown.decision is not None
        assert shown.decision.outcome == "granted"
        assert [a.ref for a in case_applications(s, actor, code)] == [draft.ref]
        assert {e.action for e in audit.entries(s, case_code=code)} >= {
            "application.create",
            "application.advance",
            "decision.record",
            "application.read",
        }


def test_stage_rules_are_explained(db: Database, actor: Actor, new_case) -> None:  # type: ignore[no-untyped-def]
    code = new_case()
    with db.session() as s:
        ref = create_application(
            s, actor, code, type="subsequent_trp", started_on=date(2026, 5, 1), today=TODAY
        ).ref
    with pytest.raises(UsageError, match="cannot go from 'draft' to 'acknowledged'"), db.session() as s:
        advance(s, actor, ref, "acknowledged", today=TODAY)
    with pytest.raises(UsageError, match="record the decision"), db.session() as s:
        advance(s, actor, ref, "decided", today=TODAY)
    with pytest.raises(UsageError, match="before the current stage"), db.session() as s:
        advance(s, actor, ref, "submitted", on=date(2026, 4, 1), today=TODAY)
    with pytest.raises(UsageError, match="in the future"), db.session() as s:
        advance(s, actor, ref, "submitted", on=date(2027, 1, 1), today=TODAY)
    with pytest.raises(UsageError, match="only a submitted application"), db.session() as s:
        record_decision(
            s,
            actor,
            ref,
            outcome="refused",
            decided_on=date(2026, 6, 1),
            refusal_reasons=["other"],
            today=TODAY,
        )
    with pytest.raises(UsageError, match="unknown application type"), db.session() as s:
        create_application(s, actor, code, type="tourist_visa", today=TODAY)
    with pytest.raises(NotFound, match="no application A9"), db.session() as s:
        get_application(s, actor, f"{code}/A9")
    with pytest.raises(UsageError, match="not an application reference"):
        parse_ref("A1")
    assert parse_ref("trp-2026-0001#3") == ("TRP-2026-0001", 3)


def test_submission_needs_consent_to_submit(db: Database, actor: Actor, new_case) -> None:  # type: ignore[no-untyped-def]
    code = new_case(consents=("prepare_file",))
    with db.session() as s:
        ref = create_application(
            s, actor, code, type="initial_trp", started_on=date(2026, 1, 2), today=TODAY
        ).ref
    with pytest.raises(ConsentMissing, match="submitting to IRCC"), db.session() as s:
        advance(s, actor, ref, "submitted", on=date(2026, 1, 3), today=TODAY)
    nothing = new_case(consents=())
    with pytest.raises(ConsentMissing, match="preparing the file"), db.session() as s:
        create_application(s, actor, nothing, type="initial_trp", today=TODAY)


def test_refusal_needs_codes_and_grants_need_validity(db: Database, actor: Actor, new_case) -> None:  # type: ignore[no-untyped-def]
    code = new_case()
    ref = _submitted(db, actor, code)
    with pytest.raises(UsageError, match="at least one reason code"), db.session() as s:
        record_decision(s, actor, ref, outcome="refused", decided_on=date(2026, 5, 1), today=TODAY)
    with pytest.raises(UsageError, match="unknown refusal reason"), db.session() as s:
        record_decision(
            s,
            actor,
            ref,
            outcome="refused",
            decided_on=date(2026, 5, 1),
            refusal_reasons=["bad_luck"],
            today=TODAY,
        )
    with pytest.raises(UsageError, match="needs its validity"), db.session() as s:
        record_decision(s, actor, ref, outcome="granted", decided_on=date(2026, 5, 1), today=TODAY)
    with pytest.raises(UsageError, match="is 31 days, not 30"), db.session() as s:
        record_decision(
            s,
            actor,
            ref,
            outcome="granted",
            decided_on=date(2026, 5, 1),
            validity_end_on=date(2026, 5, 31),
            duration_days=30,
            today=TODAY,
        )
    with pytest.raises(UsageError, match="never the officer's name"), db.session() as s:
        record_decision(
            s,
            actor,
            ref,
            outcome="granted",
            decided_on=date(2026, 5, 1),
            duration_days=30,
            officer_label="Jane Officer",
            today=TODAY,
        )
    with pytest.raises(UsageError, match="submitted on 2026-01-10"), db.session() as s:
        record_decision(
            s,
            actor,
            ref,
            outcome="refused",
            decided_on=date(2026, 1, 1),
            refusal_reasons=["other"],
            today=TODAY,
        )
    with db.session() as s:
        refused = record_decision(
            s,
            actor,
            ref,
            outcome="refused",
            decided_on=date(2026, 5, 1),
            refusal_reasons=["credibility", "date-inconsistency"],
            reasons_text="dates differ",
            today=TODAY,
        )
    assert refused.refusal_reasons == ("credibility", "date_inconsistency")
    assert refused.refusal_reason_labels[0] == "Credibility"
    with pytest.raises(UsageError, match="already has a decision"), db.session() as s:
        record_decision(
            s, actor, ref, outcome="granted", decided_on=date(2026, 5, 1), duration_days=30, today=TODAY
        )
    with pytest.raises(ConflictError), db.session() as s:
        record_decision(
            s,
            actor,
            ref,
            outcome="granted",
            decided_on=date(2026, 5, 1),
            duration_days=30,
            replace=True,
            expected_version=7,
            today=TODAY,
        )
    with db.session() as s:
        fixed = record_decision(
            s,
            actor,
            ref,
            outcome="partially_granted",
            decided_on=date(2026, 5, 1),
            duration_days=90,
            refusal_reasons=["insufficient_evidence_exploitation"],
            replace=True,
            expected_version=1,
            today=TODAY,
        )
    assert fixed.version == 2 and fixed.validity_end == date(2026, 7, 29)
    with db.session() as s:
        assert get_decision(s, actor, ref).outcome == "partially_granted"


def test_snapshot_freezes_the_file_at_decision_time(db: Database, actor: Actor, new_case) -> None:  # type: ignore[no-untyped-def]
    code = new_case()
    with db.session() as s:
        update_case(
            s,
            actor,
            code,
            law_enforcement_cooperation="testified",
            criminal_case_status="prosecution",
            exploitation_sector="agriculture",
        )
    ref = _submitted(db, actor, code)
    with db.session() as s:
        record_decision(
            s, actor, ref, outcome="granted", decided_on=date(2026, 3, 1), duration_days=180, today=TODAY
        )
        update_case(s, actor, code, criminal_case_status="concluded")
    with db.session() as s:
        snap = get_decision(s, actor, ref).snapshot
    assert (
        snap["law_enforcement_cooperation"],
        snap["criminal_case_status"],
        snap["exploitation_sector"],
    ) == ("testified", "prosecution", "agriculture")
    assert snap["exhibits"] == 0
    assert snap["delphi"]["framework"] and snap["delphi"]["identified"] is False
    assert snap["delphi"]["strong"] == 0 and isinstance(snap["delphi"]["positive_dimensions"], list)


def test_list_is_limited_to_visible_cases(db: Database, actor: Actor, new_case, make_actor) -> None:  # type: ignore[no-untyped-def]
    code = new_case()
    ref = _submitted(db, actor, code)
    other = make_actor(db, "bea", "accompanier")
    with db.session() as s:
        assert [a.ref for a in list_applications(s, actor)] == [ref]
        assert list_applications(s, other) == []
        assert [a.ref for a in list_applications(s, actor, stage="submitted", type="initial_trp")] == [ref]
    with pytest.raises(AccessDenied), db.session() as s:
        get_application(s, other, ref)
    with db.session() as s:
        assert list_deadlines(s, other, today=TODAY).items == ()


def test_deadlines_from_permits_and_requests(db: Database, actor: Actor, new_case) -> None:  # type: ignore[no-untyped-def]
    expiring = new_case()
    trp = _submitted(db, actor, expiring, on=date(2025, 10, 1))
    with db.session() as s:
        record_decision(
            s,
            actor,
            trp,
            outcome="granted",
            decided_on=date(2026, 1, 15),
            validity_end_on=date(2027, 1, 14),
            today=TODAY,
        )
    asked = new_case()
    pending = _submitted(db, actor, asked, kind="owp_trp_holder", on=date(2026, 10, 1))
    with db.session() as s:
        advance(s, actor, pending, "info_requested", on=date(2026, 11, 20), today=TODAY)
    with db.session() as s:
        summary = list_deadlines(s, actor, today=TODAY, within_days=60)
    kinds = {(i.case_code, i.kind): i for i in summary.items}
    expiry = kinds[(expiring, "reflection_end")]
    assert expiry.due == date(2027, 1, 14) and expiry.status == "coming" and expiry.days_left == 47
    reminder = kinds[(expiring, "renewal_reminder")]
    assert reminder.due == date(2026, 11, 15) and reminder.status == "overdue"  # 60 days before: passed
    assert "60 days before" in deadline_summary(reminder)
    respond = kinds[(asked, "info_request")]
    assert respond.due == date(2026, 12, 20) and respond.assumed
    assert all(deadline_summary(i).startswith(f"{i.case_code}: ") for i in summary.items)
    assert summary.overdue == 1
    # A renewal submitted in time silences the reminders but keeps the expiry in view.
    with db.session() as s:
        create_application(
            s, actor, expiring, type="subsequent_trp", submitted_on=date(2026, 11, 25), today=TODAY
        )
        again = list_deadlines(s, actor, today=TODAY, within_days=60)
    mine = [i for i in again.items if i.case_code == expiring]
    assert [i.kind for i in mine] == ["reflection_end"] and "renewal" in mine[0].detail
    with db.session() as s:
        assert [
            i.kind for i in list_deadlines(s, actor, today=TODAY, within_days=10, case_code=asked).items
        ] == []
        assert [
            i.kind for i in list_deadlines(s, actor, today=TODAY, within_days=30, case_code=asked).items
        ] == ["info_prepare", "info_request"]
    with db.session() as s:
        update_case(s, actor, asked, status="closed")
        assert all(i.case_code != asked for i in list_deadlines(s, actor, today=TODAY).items)


def test_continuity_clock_from_recorded_permits(db: Database, actor: Actor, new_case) -> None:  # type: ignore[no-untyped-def]
    code = new_case()
    first = _submitted(db, actor, code, on=date(2021, 1, 5))
    with db.session() as s:
        record_decision(
            s,
            actor,
            first,
            outcome="granted",
            decided_on=date(2021, 3, 1),
            validity_end_on=date(2022, 2, 28),
            today=TODAY,
        )
        second = create_application(
            s, actor, code, type="subsequent_trp", submitted_on=date(2022, 4, 1), today=TODAY
        ).ref
        record_decision(
            s,
            actor,
            second,
            outcome="granted",
            decided_on=date(2022, 5, 1),
            validity_end_on=date(2025, 4, 30),
            today=TODAY,
        )
        third = create_application(
            s, actor, code, type="subsequent_trp", submitted_on=date(2025, 3, 1), today=TODAY
        ).ref
        record_decision(
            s,
            actor,
            third,
            outcome="granted",
            decided_on=date(2025, 5, 10),
            validity_start=date(2025, 5, 10),
            validity_end_on=date(2028, 5, 9),
            today=TODAY,
        )
    with db.session() as s:
        view = continuity(s, actor, code, today=TODAY)
    clock = view.clock
    assert [p.label for p in view.permits] == [first, second, third]
    assert clock.continuous_since == date(2022, 5, 1)  # the 2022 lapse (applied after expiry) broke it
    assert len(clock.gaps) == 2 and clock.gaps[0].breaks_continuity and clock.gaps[1].covered_by_application
    assert clock.eligible_on == date(2027, 5, 1)
    with db.session() as s:
        health = continuity(s, actor, code, today=TODAY, health_inadmissible=True).clock
        assert health.eligible_on == date(2025, 5, 1) and health.eligible(TODAY)
        items = list_deadlines(s, actor, today=TODAY, within_days=None).items
    assert any(i.kind == "pr_eligible" and i.due == date(2027, 5, 1) for i in items)


def test_deleting_a_case_removes_its_applications(db: Database, actor: Actor, new_case) -> None:  # type: ignore[no-untyped-def]
    code = new_case()
    ref = _submitted(db, actor, code)
    with db.session() as s:
        record_decision(
            s,
            actor,
            ref,
            outcome="refused",
            decided_on=date(2026, 2, 1),
            refusal_reasons=["other"],
            today=TODAY,
        )
    with db.session() as s:
        s.delete(s.scalar(select(Case).where(Case.code == code)))
    with db.session() as s:
        for model in (Application, ApplicationStageEvent, Decision):
            assert s.scalar(select(func.count()).select_from(model)) == 0


def test_edit_links_a_draft_and_guards_versions(db: Database, actor: Actor, new_case) -> None:  # type: ignore[no-untyped-def]
    code = new_case()
    ref = _submitted(db, actor, code)
    with db.session() as s:
        version = get_application(s, actor, ref).version
        edited = update_application(
            s, actor, ref, draft_id=4, file_number=" W3001 ", expected_version=version
        )
    assert edited.draft_id == 4 and edited.file_number == "W3001" and edited.version == version + 1
    with pytest.raises(ConflictError), db.session() as s:
        update_application(s, actor, ref, notes="x", expected_version=version)
    with pytest.raises(UsageError, match="Nothing to change"), db.session() as s:
        update_application(s, actor, ref)


def test_document_deadlines_come_from_the_checklists(db: Database, actor: Actor, new_case) -> None:  # type: ignore[no-untyped-def]
    from trpkit.services.checklists import set_item

    code = new_case()
    with db.session() as s:
        create_application(s, actor, code, type="initial_trp", started_on=date(2026, 11, 1), today=TODAY)
        set_item(
            s,
            actor,
            code,
            "identity-document",
            state="obtained",
            obtained_on=date(2026, 10, 1),
            expires_on=date(2027, 1, 31),
            today=TODAY,
        )
        set_item(s, actor, code, "photos", state="obtained", obtained_on=date(2026, 6, 10), today=TODAY)
    with db.session() as s:
        items = [
            i
            for i in list_deadlines(s, actor, today=TODAY, case_code=code).items
            if i.kind.startswith("document")
        ]
    assert [(i.kind, i.due) for i in items] == [
        ("document_age", date(2026, 12, 7)),
        ("document_expiry", date(2027, 1, 31)),
    ]
    assert deadline_summary(items[1]) == f"{code}: Identity document expires (initial TRP checklist)"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=-20, max_value=60), st.integers(min_value=30, max_value=500), st.booleans()
        ),
        min_size=1,
        max_size=4,
    )
)
def test_recorded_permits_give_the_same_clock_as_the_domain(
    vault_db: Database, steps: list[tuple[int, int, bool]]
) -> None:
    """Whatever sequence of TRPs is recorded (gaps, overlaps, late or early renewals), the service's clock is
    the pure clock over the same permits."""
    from trpkit.domain.clocks import Permit
    from trpkit.domain.permit_holder_clock import permit_holder_clock
    from trpkit.services.cases import create_case
    from trpkit.services.consent import record_consent
    from trpkit.services.users import actor_for, create_user

    with vault_db.session() as s:
        name = f"u{len(steps)}{abs(hash(tuple(steps))) % 10**8}"
        create_user(s, name, role="supervisor")
        actor = actor_for(s, name)
        code = create_case(s, actor).code
        for purpose in ("prepare_file", "submit_to_ircc"):
            record_consent(s, actor, code, purpose=purpose, decision="given", method="written")
    start = date(2019, 1, 1)
    expected = []
    with vault_db.session() as s:
        for index, (offset, length, early) in enumerate(steps):
            applied = start - timedelta(days=10) if early or index == 0 else start + timedelta(days=5)
            kind = "initial_trp" if index == 0 else "subsequent_trp"
            ref = create_application(s, actor, code, type=kind, submitted_on=applied, today=TODAY).ref
            record_decision(
                s,
                actor,
                ref,
                outcome="granted",
                decided_on=max(applied, start),
                validity_start=start,
                duration_days=length,
                today=TODAY,
            )
            end = start + timedelta(days=length - 1)
            expected.append(Permit(start, end, applied, ref))
            start = end + timedelta(days=1 + offset)
    with vault_db.session() as s:
        clock = continuity(s, actor, code, today=TODAY).clock
    assert clock == permit_holder_clock(expected, TODAY, health_inadmissible=None)  # no ground recorded


def test_recording_a_decision_moves_the_case_to_decided(db: Database, actor: Actor, new_case) -> None:  # type: ignore[no-untyped-def]
    from trpkit.services.cases import get_case, update_case

    code = new_case()
    closed = new_case()
    with db.session() as s:
        update_case(s, actor, closed, status="closed")
    for case_code in (code, closed):
        ref = _submitted(db, actor, case_code)
        with db.session() as s:
            record_decision(
                s, actor, ref, outcome="granted", decided_on=date(2026, 4, 1), duration_days=365, today=TODAY
            )
    with db.session() as s:
        assert get_case(s, actor, code).status == "decided"
        assert get_case(s, actor, closed).status == "closed"  # a closed file stays closed
