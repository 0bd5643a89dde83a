"""Case files and consent, on the encrypted vault and on PostgreSQL."""

from __future__ import annotations

import pytest

from trpkit.db.database import Database
from trpkit.errors import AccessDenied, ConflictError, ConsentMissing, NotFound, UsageError
from trpkit.services import audit
from trpkit.services.actor import Actor
from trpkit.services.cases import HIDDEN, assign, create_case, get_case, list_cases, update_case
from trpkit.services.consent import consent_status, record_consent, require_consent


def test_case_codes_are_sequential_per_year(db: Database, actor: Actor) -> None:
    with db.session() as s:
        first = create_case(s, actor, person={"legal_name": "Rosa Ejemplar"}, year=2026)
        second = create_case(s, actor, year=2026)
        other_year = create_case(s, actor, year=2027)
    assert (first.code, second.code, other_year.code) == ("TRP-2026-0001", "TRP-2026-0002", "TRP-2027-0001")


def test_names_are_hidden_in_lists_unless_revealed(db: Database, actor: Actor) -> None:
    with db.session() as s:
        create_case(s, actor, person={"legal_name": "Rosa Ejemplar"})
    with db.session() as s:
        hidden = list_cases(s, actor)
        by_name_hidden = list_cases(s, actor, text="Rosa")
        shown = list_cases(s, actor, reveal_names=True, text="rosa")
    assert hidden[0].display_name == HIDDEN
    assert by_name_hidden == []  # a hidden name cannot be probed by searching for it
    assert shown[0].display_name == "Rosa Ejemplar"
    with db.session() as s:
        assert any(e.action == "names.reveal" for e in audit.entries(s))


def test_unicode_fields_round_trip(db: Database, actor: Actor) -> None:
    name = "Zsófia Kitalált-Ñandú 王 ✓"
    with db.session() as s:
        code = create_case(s, actor, person={"legal_name": name, "languages": "Hungarian, Romani"}).code
    with db.session() as s:
        detail = get_case(s, actor, code)
    assert detail.person.legal_name == name
    assert detail.person.languages == ("hu", "rom")  # by name in, ISO 639 codes kept


def test_stale_edit_is_refused_not_lost(db: Database, actor: Actor) -> None:
    with db.session() as s:
        code = create_case(s, actor).code
    with db.session() as s:
        update_case(s, actor, code, expected_version=1, status="preparing")
    with pytest.raises(ConflictError), db.session() as s:
        update_case(s, actor, code, expected_version=1, status="closed")
    with db.session() as s:
        assert get_case(s, actor, code).status == "preparing"


def test_bad_values_are_explained(db: Database, actor: Actor) -> None:
    with pytest.raises(UsageError, match="use one of"), db.session() as s:
        create_case(s, actor, exploitation_sector="fishing-boats")
    with pytest.raises(UsageError, match=r"Did you mean: Mexico \(MX\)"), db.session() as s:
        create_case(s, actor, person={"nationality": "Mexco"})
    with db.session() as s:  # a name in English, French or Spanish is a country, kept as its code
        assert create_case(s, actor, person={"nationality": "Mexique"}).person.nationality == "MX"


def test_accompanier_sees_only_own_and_assigned_cases(db: Database, actor: Actor, make_actor) -> None:  # type: ignore[no-untyped-def]
    luis = make_actor(db, "luis", "accompanier")
    with db.session() as s:
        mine = create_case(s, actor).code
        theirs = create_case(s, luis).code
    with db.session() as s:
        assert [c.code for c in list_cases(s, luis)] == [theirs]
    with pytest.raises(AccessDenied), db.session() as s:
        get_case(s, luis, mine)
    with db.session() as s:
        assign(s, actor, mine, "luis")
    with db.session() as s:
        assert get_case(s, luis, mine).code == mine
    analyst = make_actor(db, "ari", "analyst")
    with db.session() as s:
        assert list_cases(s, analyst) == []
    with pytest.raises(NotFound), db.session() as s:
        get_case(s, actor, "TRP-1999-0001")


def test_consent_is_enforced_and_keeps_history(db: Database, actor: Actor) -> None:
    with db.session() as s:
        detail = create_case(s, actor)
    with pytest.raises(ConsentMissing, match="submitting to IRCC.*not asked"), db.session() as s:
        require_consent(s, detail.id, "submit_to_ircc")
    with db.session() as s:
        record_consent(s, actor, detail.code, purpose="submit_to_ircc", decision="given", method="written")
        require_consent(s, detail.id, "submit_to_ircc")
    with db.session() as s:
        record_consent(
            s,
            actor,
            detail.code,
            purpose="submit_to_ircc",
            decision="withdrawn",
            method="verbal_through_interpreter",
            interpreter="A. Interpreter",
        )
    with pytest.raises(ConsentMissing, match="withdrawn"), db.session() as s:
        require_consent(s, detail.id, "submit_to_ircc")
    with db.session() as s:
        state = {c.purpose: c for c in consent_status(s, actor, detail.code)}["submit_to_ircc"]
    assert [r.decision for r in state.history] == ["given", "withdrawn"]
    assert state.history[1].interpreter == "A. Interpreter"


def test_interpreted_consent_names_the_interpreter(db: Database, actor: Actor) -> None:
    with db.session() as s:
        code = create_case(s, actor).code
    with pytest.raises(UsageError, match="interpreter"), db.session() as s:
        record_consent(s, actor, code, purpose="prepare_file", decision="given", method="through_interpreter")


def test_audit_chain_detects_tampering(db: Database, actor: Actor) -> None:
    from sqlalchemy import delete, text, update

    from trpkit.db.models import AuditEntry

    with db.session() as s:
        for _ in range(3):
            create_case(s, actor)
    with db.session() as s:
        assert audit.verify(s).ok
    bypass = "SET LOCAL session_replication_role = replica"  # a superuser switching the triggers off
    postgres = db.engine.dialect.name == "postgresql"
    with db.session() as s:
        if postgres:
            s.execute(text(bypass))
        s.execute(update(AuditEntry).where(AuditEntry.id == 2).values(action="case.tampered"))
    with db.session() as s:
        report = audit.verify(s)
    assert not report.ok and report.first_bad_id == 2
    with db.session() as s:
        if postgres:
            s.execute(text(bypass))
        s.execute(update(AuditEntry).where(AuditEntry.id == 2).values(action="case.create"))
        s.execute(delete(AuditEntry).where(AuditEntry.id == 2))
    with db.session() as s:
        report = audit.verify(s)
    assert not report.ok and report.first_bad_id == 3
