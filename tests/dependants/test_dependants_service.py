"""Dependants service on the encrypted vault and on PostgreSQL: list/add/edit/remove, conflicts, roles,
the audit log, old records, and what drafting makes of them."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from trpkit.db.database import Database
from trpkit.db.models import Case, Person
from trpkit.domain.dependant_relationships import Relationship
from trpkit.errors import AccessDenied, ConflictError, NotFound, UsageError
from trpkit.services import audit
from trpkit.services.actor import Actor
from trpkit.services.dependants import add_dependant, edit_dependant, list_dependants, remove_dependant

DAY = date(2026, 11, 2)


def test_add_list_edit_remove(db: Database, actor: Actor, new_case) -> None:  # type: ignore[no-untyped-def]
    code = new_case(legal_name="Marisol Brennvik")
    with db.session() as s:
        empty = list_dependants(s, actor, code)
    assert empty.dependants == () and empty.person_version == 1
    with db.session() as s:
        added = add_dependant(
            s,
            actor,
            code,
            expected_version=1,
            today=DAY,
            name="Tomás Brennvik",
            relationship="son",
            birth_date="2016-03-14",
            status_in_canada="no status",
        )
        second = add_dependant(
            s,
            actor,
            code,
            today=DAY,
            name="Rosa Brennvik",
            relationship="spouse",
            status_in_canada="Canadian citizen",
        )
    assert added.dependant.id == 1 and added.warnings == ()
    assert second.dependant.id == 2 and any("needs no permit" in w for w in second.warnings)
    with db.session() as s:  # a fresh session reads what was committed
        view = list_dependants(s, actor, code)
    assert [(d.id, d.name, d.relationship, d.relationship_label()) for d in view.dependants] == [
        (1, "Tomás Brennvik", Relationship.CHILD, "son"),
        (2, "Rosa Brennvik", Relationship.SPOUSE, "spouse or common-law partner"),
    ]
    assert view.dependants[0].birth.earliest == date(2016, 3, 14)
    with db.session() as s:
        edited = edit_dependant(
            s, actor, code, 2, expected_version=view.person_version, include_in_application=False
        )
    assert (
        not edited.dependant.include_in_application and edited.view.person_version == view.person_version + 1
    )
    assert edited.dependant.status_in_canada == "Canadian citizen"  # untouched fields kept
    with db.session() as s:
        removed = remove_dependant(s, actor, code, 1, expected_version=edited.view.person_version)
    assert removed.dependant.name == "Tomás Brennvik" and [d.id for d in removed.view.dependants] == [2]
    with db.session() as s:  # the number of a removed dependant is never given to someone else
        again = add_dependant(s, actor, code, name="Lía Brennvik", relationship="other", described_as="niece")
        remove_dependant(s, actor, code, again.dependant.id)
        third = add_dependant(s, actor, code, name="Ana Brennvik", relationship="sister")
    assert (again.dependant.id, third.dependant.id) == (3, 4)


def test_stale_edits_fail_with_what_to_do(db: Database, actor: Actor, new_case) -> None:  # type: ignore[no-untyped-def]
    code = new_case()
    with db.session() as s:
        version = add_dependant(
            s, actor, code, name="Tomás Ejemplar", relationship="child"
        ).view.person_version
    with db.session() as s:  # someone else changes the person meanwhile
        from trpkit.services.cases import update_case

        update_case(s, actor, code, person={"gender": "woman"})
    for call in (
        lambda s: add_dependant(s, actor, code, expected_version=version, name="Rosa", relationship="wife"),
        lambda s: edit_dependant(s, actor, code, 1, expected_version=version, notes="x"),
        lambda s: remove_dependant(s, actor, code, 1, expected_version=version),
    ):
        with (
            pytest.raises(
                ConflictError,
                match=r"changed by someone else.*Reload them \('trpkit case dependant "
                rf"list {code}'\) and make your change again",
            ),
            db.session() as s,
        ):
            call(s)
    with db.session() as s:
        view = list_dependants(s, actor, code)
    assert [(d.name, d.notes) for d in view.dependants] == [("Tomás Ejemplar", "")]  # nothing was overwritten


def test_bad_input_and_unknown_numbers(db: Database, actor: Actor, new_case) -> None:  # type: ignore[no-untyped-def]
    code = new_case()
    with db.session() as s:
        add_dependant(s, actor, code, name="Tomás Ejemplar", relationship="child")
    with pytest.raises(UsageError, match="Unknown relationship 'chlid'"), db.session() as s:
        add_dependant(s, actor, code, name="Rosa", relationship="chlid")
    with pytest.raises(UsageError, match="already recorded"), db.session() as s:
        add_dependant(s, actor, code, name="tomás ejemplar", relationship="son")
    with pytest.raises(NotFound, match=f"{code} has no dependant 9"), db.session() as s:
        edit_dependant(s, actor, code, 9, notes="x")
    with pytest.raises(NotFound, match="has no dependant 9"), db.session() as s:
        remove_dependant(s, actor, code, 9)
    with pytest.raises(UsageError, match="Nothing to change"), db.session() as s:
        edit_dependant(s, actor, code, 1)
    with db.session() as s:  # the same values again is not a change: no new version, no audit entry
        before = list_dependants(s, actor, code).person_version
        same = edit_dependant(s, actor, code, 1, relationship="child")
    assert same.view.person_version == before


def test_roles_are_those_of_editing_the_case(db: Database, actor: Actor, new_case, make_actor) -> None:  # type: ignore[no-untyped-def]
    from trpkit.services.cases import assign

    code = new_case()
    outsider = make_actor(db, "bo", "accompanier")
    analyst = make_actor(db, "cy", "analyst")
    admin = make_actor(db, "di", "admin")
    for who in (outsider, analyst, admin):
        with pytest.raises(AccessDenied), db.session() as s:
            add_dependant(s, who, code, name="Tomás Ejemplar", relationship="child")
        with pytest.raises(AccessDenied), db.session() as s:
            list_dependants(s, who, code)
    with db.session() as s:
        assign(s, actor, code, "bo")
    with db.session() as s:  # once assigned, the accompanier may
        assert add_dependant(s, outsider, code, name="Tomás Ejemplar", relationship="child").dependant.id == 1


def test_audit_records_numbers_and_fields_never_names(db: Database, actor: Actor, new_case) -> None:  # type: ignore[no-untyped-def]
    code = new_case()
    with db.session() as s:
        add_dependant(
            s,
            actor,
            code,
            name="Zyxwel Quillfeather",
            relationship="other",
            described_as="goddaughter",
            status_in_canada="visitor",
            notes="Goes to Ecole Saint-Zyxwel",
        )
        edit_dependant(s, actor, code, 1, notes="moved", include_in_application=False)
        list_dependants(s, actor, code)
        remove_dependant(s, actor, code, 1)
    with db.session() as s:
        rows = [r for r in audit.entries(s, case_code=code) if r.action.startswith("dependants.")]
        assert audit.verify(s).ok
    assert [(r.action, r.detail) for r in reversed(rows)] == [
        ("dependants.add", {"dependant": 1, "included": True}),
        ("dependants.edit", {"dependant": 1, "fields": ["include_in_application", "notes"]}),
        ("dependants.read", {"count": 1}),
        ("dependants.remove", {"dependant": 1}),
    ]
    assert "Zyxwel" not in json.dumps([r.detail for r in rows]) and "goddaughter" not in json.dumps(
        [r.detail for r in rows]
    )


def test_old_records_are_read_and_numbered_when_saved(db: Database, actor: Actor, new_case) -> None:  # type: ignore[no-untyped-def]
    code = new_case()
    with db.session() as s:  # as trpkit stored them before dependants could be edited
        person = s.scalar(select(Person).join(Case).where(Case.code == code))
        assert person is not None
        person.dependants_in_canada = [
            {"name": "Tomás Brennvik", "relationship": "son"},
            {"name": "Lía Brennvik", "relationship": "goddaughter"},
        ]
    with db.session() as s:
        view = list_dependants(s, actor, code)
    assert [(d.id, d.relationship, d.relationship_label()) for d in view.dependants] == [
        (1, Relationship.CHILD, "son"),
        (2, Relationship.OTHER, "goddaughter"),
    ]
    with db.session() as s:
        edit_dependant(s, actor, code, 2, birth_date="2019")
        third = add_dependant(s, actor, code, name="Rosa Brennvik", relationship="spouse")
    assert third.dependant.id == 3
    with db.session() as s:
        stored = s.scalar(select(Person.dependants_in_canada).join(Case).where(Case.code == code))
    assert [d["id"] for d in stored] == [1, 2, 3] and stored[0]["relationship"] == "child"
    assert stored[0]["described_as"] == "son" and stored[1]["birth_date_text"] == "2019"


def test_drafting_asks_only_for_those_included_and_redacts_every_name(
    db: Database, actor: Actor, new_case
) -> None:  # type: ignore[no-untyped-def]
    from trpkit.services.drafting import Organisation, build_draft_context
    from trpkit.services.narrative import add_entry
    from trpkit.services.narrative_meetings import add_meeting

    code = new_case(legal_name="Marisol Brennvik", birth_date_text="1991", nationality="MX")
    with db.session() as s:
        add_dependant(
            s, actor, code, today=DAY, name="Tomás Quillvane", relationship="son", birth_date="2016-03-14"
        )
        add_dependant(
            s,
            actor,
            code,
            today=DAY,
            name="Rosa Quillvane",
            relationship="spouse",
            status_in_canada="Canadian citizen",
            include_in_application=False,
        )
        meeting = add_meeting(s, actor, code, held_on=date(2026, 2, 10), language="en")
        add_entry(
            s,
            actor,
            code,
            meeting.id,
            "Marisol came with Tomás, born 2016-03-14; Rosa joined later.",
            kind="summary",
        )
    org = Organisation(
        "Maison Passerelle (fictional)", ("1200 rue Exemple",), "514-555-0100", "Dana Q.", "Accompanier"
    )
    with db.session() as s:
        plain = build_draft_context(s, actor, code, template="trp-initial", on=DAY, organisation=org)
        french = build_draft_context(
            s, actor, code, template="trp-initial", language="fr", on=DAY, organisation=org
        )
        red = build_draft_context(
            s, actor, code, template="trp-initial", redacted=True, on=DAY, organisation=org
        )
    assert plain["request"]["dependants"] == [{"name": "Tomás Quillvane", "relationship": "son, 10"}]
    assert french["request"]["dependants"] == [{"name": "Tomás Quillvane", "relationship": "fils, 10 ans"}]
    everything = json.dumps(red, ensure_ascii=False)
    for identifying in ("Tomás", "Quillvane", "Rosa", "2016-03-14"):
        assert identifying not in everything
    assert red["request"]["dependants"][0]["name"] == "[dependant]"
    summary = red["summaries"][0]["text"]
    assert "[dependant]" in summary and "[date of birth]" in summary


def test_readiness_warns_about_an_included_dependant_with_no_date_of_birth(
    db: Database, actor: Actor, new_case
) -> None:  # type: ignore[no-untyped-def]
    from trpkit.services.drafting import readiness

    code = new_case()
    with db.session() as s:
        add_dependant(s, actor, code, name="Tomás Ejemplar", relationship="child")  # included by default
        add_dependant(
            s, actor, code, name="Rosa Ejemplar", relationship="spouse", include_in_application=False
        )
        add_dependant(s, actor, code, name="Lía Ejemplar", relationship="child", birth_date="aged 9")
    with db.session() as s:
        found = [f for f in readiness(s, actor, code).findings if f.code == "dependant-birth-date"]
        assert [(f.severity, f.message.split(",")[0]) for f in found] == [("warning", "Dependant(s) 1")]
        assert f"trpkit case dependant edit {code} 1 --birth-date" in found[0].fix
        assert not [
            f
            for f in readiness(s, actor, code, template="owp-cover").findings
            if f.code == "dependant-birth-date"
        ]
