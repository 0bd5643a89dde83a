"""The demo histories obey the same rules as recorded data."""

from __future__ import annotations

import itertools
from datetime import date

from sqlalchemy import select

from trpkit.db.database import Database
from trpkit.db.models import Application, ApplicationStageEvent, Decision
from trpkit.domain.applications import NEXT_STAGES, check_officer_label
from trpkit.loading.ircc_periods import refusal_reason_codes
from trpkit.services.deadlines import list_deadlines

TODAY = date(2026, 11, 28)


def test_demo_histories_are_consistent(vault_db: Database) -> None:
    from trpkit.demo import generate
    from trpkit.services.users import actor_for, create_user

    with vault_db.session() as s:
        create_user(s, "demo", role="supervisor")
        actor = actor_for(s, "demo")
        generate(s, actor, 80, seed=3, today=TODAY)
    codes = refusal_reason_codes()
    with vault_db.session() as s:
        apps = {a.id: a for a in s.scalars(select(Application))}
        decisions = {d.application_id: d for d in s.scalars(select(Decision))}
        events = s.scalars(select(ApplicationStageEvent).order_by(ApplicationStageEvent.id)).all()
        summary = list_deadlines(s, actor, today=TODAY, within_days=120)
    assert len(apps) > 30 and len(decisions) > 10
    kinds = {a.type for a in apps.values()}
    assert {"initial_trp", "subsequent_trp", "owp_trp_holder"} <= kinds
    assert {"granted", "refused"} <= {d.outcome for d in decisions.values()}
    for app_id, d in decisions.items():
        app = apps[app_id]
        assert app.stage == "decided" and d.case_id == app.case_id
        assert d.decided_on <= TODAY and (app.submitted_on is None or d.decided_on >= app.submitted_on)
        assert check_officer_label(d.officer_label) == d.officer_label
        assert set(d.refusal_reasons) <= codes
        assert (d.outcome == "refused") == bool(d.refusal_reasons) or d.outcome == "partially_granted"
        if d.validity_end is not None:
            assert d.validity_start <= d.validity_end
            assert d.duration_granted_days == (d.validity_end - d.validity_start).days + 1
        assert set(d.snapshot) == {
            "law_enforcement_cooperation",
            "criminal_case_status",
            "exploitation_sector",
            "delphi",
            "exhibits",
            "policy_period",
        }
    for app in apps.values():
        if app.stage != "decided":
            assert app.id not in decisions
    history: dict[int, list[ApplicationStageEvent]] = {}
    for event in events:
        history.setdefault(event.application_id, []).append(event)
    for app_id, steps in history.items():
        assert steps[0].stage == "draft"
        assert [e.occurred_on for e in steps] == sorted(e.occurred_on for e in steps)
        for before, after in itertools.pairwise(steps):
            assert after.stage in NEXT_STAGES[before.stage] or after.stage == "decided", (
                before.stage,
                after.stage,
            )
        assert steps[-1].stage == apps[app_id].stage
    assert summary.items and {i.status for i in summary.items} >= {"due", "coming"}
