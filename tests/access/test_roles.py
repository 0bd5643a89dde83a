"""Roles are enforced in the service layer, on the encrypted vault and on PostgreSQL.

Accompaniers: their own and assigned cases. Supervisors: all cases, assignments, overrides, retention.
Analysts and administrators: never a case file.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass
from pathlib import Path

import pytest

import trpkit.services
from trpkit.db.database import Database
from trpkit.errors import AccessDenied, TrpkitError
from trpkit.services import audit, cases, consent, consent_override, retention, subject_access, users
from trpkit.services.actor import Actor

PASSWORD = "violet harbour quill 8812"


@dataclass
class World:
    supervisor: Actor
    accompanier: Actor
    colleague: Actor
    analyst: Actor
    admin: Actor
    own_case: str  # created by ``accompanier``
    other_case: str  # created by the supervisor, not assigned to ``accompanier``


@pytest.fixture
def world(db: Database, actor: Actor, make_actor) -> World:  # type: ignore[no-untyped-def]
    acc = make_actor(db, "acc", "accompanier")
    colleague = make_actor(db, "colleague", "accompanier")
    analyst = make_actor(db, "stats", "analyst")
    admin = make_actor(db, "root", "admin")
    with db.session() as s:
        own = cases.create_case(s, acc, person={"legal_name": "Own Fictional"}).code
        other = cases.create_case(s, actor, person={"legal_name": "Other Fictional"}).code
    return World(actor, acc, colleague, analyst, admin, own, other)


def test_accompanier_sees_own_and_assigned_cases_only(db: Database, world: World) -> None:
    with db.session() as s:
        assert [c.code for c in cases.list_cases(s, world.accompanier)] == [world.own_case]
        assert cases.count_cases(s, world.accompanier) == 1
        with pytest.raises(AccessDenied, match="not assigned"):
            cases.get_case(s, world.accompanier, world.other_case)
        with pytest.raises(AccessDenied):
            cases.update_case(s, world.accompanier, world.other_case, status="preparing")
        with pytest.raises(AccessDenied):
            consent.record_consent(
                s,
                world.accompanier,
                world.other_case,
                purpose="prepare_file",
                decision="given",
                method="verbal",
            )
        with pytest.raises(AccessDenied):
            consent.consent_status(s, world.accompanier, world.other_case)
    with db.session() as s:
        cases.assign(s, world.supervisor, world.other_case, "acc")
    with db.session() as s:
        assert cases.get_case(s, world.accompanier, world.other_case).code == world.other_case
        assert cases.count_cases(s, world.accompanier) == 2


def test_supervisor_sees_all_cases_and_assigns(db: Database, world: World) -> None:
    with db.session() as s:
        assert {c.code for c in cases.list_cases(s, world.supervisor)} == {world.own_case, world.other_case}
        assert cases.get_case(s, world.supervisor, world.own_case).code == world.own_case
        cases.assign(s, world.supervisor, world.own_case, "colleague")
        with pytest.raises(AccessDenied, match="supervisor"):
            cases.assign(s, world.accompanier, world.own_case, "colleague")


@pytest.mark.parametrize("who", ["analyst", "admin"])
def test_analyst_and_admin_never_open_a_case_file(db: Database, world: World, who: str) -> None:
    person: Actor = getattr(world, who)
    with db.session() as s:
        assert cases.list_cases(s, person) == []
        assert cases.count_cases(s, person) == 0
        for call in (
            lambda: cases.get_case(s, person, world.own_case),
            lambda: cases.create_case(s, person),
            lambda: cases.update_case(s, person, world.own_case, status="preparing"),
            lambda: consent.consent_status(s, person, world.own_case),
            lambda: consent.record_consent(
                s, person, world.own_case, purpose="prepare_file", decision="given", method="verbal"
            ),
            lambda: subject_access.export_case(s, person, world.own_case, Path("/nonexistent/never")),
            # a made-up code gives the same answer: the role cannot probe which cases exist
            lambda: cases.get_case(s, person, "TRP-1999-9999"),
        ):
            with pytest.raises(AccessDenied, match="cannot"):
                call()


def test_consent_override_needs_a_supervisor_and_a_reason(db: Database, world: World) -> None:
    reason = "Interpreter confirmed verbal consent by phone; deadline tomorrow."
    with db.session() as s:
        for person in (world.accompanier, world.analyst, world.admin):
            with pytest.raises(AccessDenied, match="supervisor"):
                consent_override.override_consent(
                    s, person, world.own_case, purpose="submit_to_ircc", decision="given", reason=reason
                )
        with pytest.raises(TrpkitError, match="reason"):
            consent_override.override_consent(
                s,
                world.supervisor,
                world.own_case,
                purpose="submit_to_ircc",
                decision="given",
                reason="urgent",
            )
    with db.session() as s:
        state = consent_override.override_consent(
            s, world.supervisor, world.own_case, purpose="submit_to_ircc", decision="given", reason=reason
        )
        assert state.granted and state.history[-1].override_reason == reason
        assert state.history[-1].method == "supervisor_override"
        consent.require_consent(s, cases.get_case(s, world.supervisor, world.own_case).id, "submit_to_ircc")
    with db.session() as s:
        logged = audit.entries(s, action="consent.override")
    assert len(logged) == 1 and logged[0].case_code == world.own_case
    assert reason not in str(logged[0].detail)  # the reason stays in the case file, not in the audit log


def test_user_management_roles(db: Database, world: World) -> None:
    server = db.engine.dialect.name == "postgresql"  # the test connects as the owner (a superuser)
    with db.session() as s:
        for person in (world.accompanier, world.analyst):
            with pytest.raises(AccessDenied):
                users.add_user(s, person, "newbie", password=PASSWORD)
            with pytest.raises(AccessDenied):
                users.deactivate_user(s, person, "colleague")
            with pytest.raises(AccessDenied):
                users.set_password(s, person, "colleague", PASSWORD)
        if server:  # on a server the owner connection is the administrator's: it may add administrators
            users.add_user(s, world.supervisor, "root3", role="admin", password=PASSWORD)
        else:
            with pytest.raises(AccessDenied, match="administrator"):
                users.add_user(s, world.supervisor, "root2", role="admin")
        users.add_user(s, world.admin, "root2", role="admin", password=PASSWORD)
        users.add_user(s, world.supervisor, "newbie", role="accompanier", password=PASSWORD)
        with pytest.raises(AccessDenied, match="administrator"):
            users.deactivate_user(s, world.supervisor, "root2")
        users.deactivate_user(s, world.admin, "newbie")
        assert {u.username for u in users.list_users(s, world.analyst)} >= {"acc", "stats", "root", "newbie"}


def test_audit_log_reading_roles(db: Database, world: World) -> None:
    with db.session() as s:
        mine = audit.show(s, world.accompanier)
        assert mine and {r.username for r in mine} == {"acc"}
        with pytest.raises(AccessDenied):
            audit.show(s, world.accompanier, username="ana")
        assert {r.username for r in audit.show(s, world.admin, limit=1000)} >= {"acc", "ana"}
        by_case = audit.show(s, world.supervisor, case_code=world.own_case.lower())
        assert by_case and {r.case_code for r in by_case} == {world.own_case}


def test_retention_and_backup_roles(db: Database, world: World, tmp_path: Path) -> None:
    from trpkit.services.backup import create_backup

    with db.session() as s:
        for person in (world.accompanier, world.analyst, world.admin):
            with pytest.raises(AccessDenied):
                retention.closed_cases(s, person)
            with pytest.raises(AccessDenied):
                retention.destroy_case(s, person, world.own_case)
    for person in (world.accompanier, world.analyst):
        with pytest.raises(AccessDenied, match="backups"):
            create_backup(db, person, tmp_path / "x.trpbackup", "a long passphrase for backups 9")
    assert not (tmp_path / "x.trpbackup").exists()


def _case_functions() -> list[tuple[str, object]]:
    """Every public service function called as (session, actor, code | ref, ...): the case-file entry
    points, by case code or by application reference (TRP-2026-0001-A1)."""
    found = []
    for info in pkgutil.iter_modules(trpkit.services.__path__):
        module = importlib.import_module(f"trpkit.services.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != module.__name__:
                continue
            params = list(inspect.signature(fn).parameters.values())
            names = [p.name for p in params[:3]]
            positional = len(params) > 2 and params[2].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
            if names[:2] == ["session", "actor"] and positional and names[2] in ("code", "ref"):
                found.append((f"{info.name}.{name}", fn))
    return found


@dataclass
class CaseFile:
    """Real objects in ``World.own_case``, so every entry point gets arguments it would accept."""

    ref: str
    ids: dict[str, int]


def _fill_own_case(db: Database, world: World) -> CaseFile:
    from datetime import date

    from trpkit.services import (
        applications,
        case_review,
        clock_facts,
        dependants,
        evidence,
        evidence_files,
        indicators,
        narrative,
        narrative_drafts,
        narrative_meetings,
        narrative_removal,
        timeline,
        timeline_suggestions,
    )
    from trpkit.services.evidence import EVIDENCE_TYPES

    code, acc = world.own_case, world.accompanier
    with db.session() as s:
        for purpose in ("prepare_file", "submit_to_ircc", "coalition_sharing", "quote_own_words"):
            consent.record_consent(s, acc, code, purpose=purpose, decision="given", method="written")
        meeting = narrative_meetings.add_meeting(s, acc, code, held_on=date(2026, 1, 5))
        entry = narrative.add_entry(s, acc, code, meeting.id, "In March 2025 the boss took the passport.")
        draft = narrative_drafts.save_draft(
            s, acc, code, meeting_id=meeting.id, entry_id=None, base_version=None, text="A draft in progress."
        )
        exhibit = evidence.add_evidence(s, acc, code, type=next(iter(EVIDENCE_TYPES)), description="pay slip")
        attachment = evidence_files.attach_file(
            s, acc, code, exhibit.exhibit_number, "slip.txt", b"fictional"
        )
        link = indicators.link_indicator(s, acc, code, "AL-1.01", note="passport kept")
        event = timeline.add_event(
            s, acc, code, event_type=next(iter(timeline.EVENT_TYPES)), date_text="2025"
        )
        absence = clock_facts.add_absence(s, acc, code, left_on=date(2025, 6, 1))
        dependant = dependants.add_dependant(s, acc, code, name="Fictional Child", relationship="son")
        app = applications.create_application(s, acc, code, type="initial_trp")
        suggestions = timeline_suggestions.suggest_dates(s, acc, code)
        cue_suggestions = case_review.review(s, acc, code).suggestions
        spare = narrative_meetings.add_meeting(s, acc, code, held_on=date(2026, 1, 7))
        narrative_removal.remove_meeting(s, acc, code, spare.id)
        removed = narrative_removal.list_removed(s, acc, code)
    ids = {
        "meeting_id": meeting.id,
        "entry_id": entry.id,
        "draft_id": draft.id,
        "exhibit": exhibit.exhibit_number,
        "attachment_id": attachment.id,
        "link_id": link.id,
        "event_id": event.id,
        "absence_id": absence.id,
        "dependant_id": dependant.dependant.id,
        "suggestion_id": suggestions[0].id if suggestions else 1,
        "cue_suggestion_id": cue_suggestions[0].id,
        "removed_id": removed[0].id,
    }
    return CaseFile(app.ref, ids)


def _valid_args(fn: object, case: CaseFile, tmp: Path) -> dict[str, object]:
    """Arguments the case's owner could pass (so a refusal is about who calls, not about what)."""
    from datetime import date

    from trpkit.services import timeline
    from trpkit.services.evidence import EVIDENCE_TYPES

    label = f"{fn.__module__.rsplit('.', 1)[1]}.{fn.__name__}"  # type: ignore[attr-defined]
    named: dict[str, object] = {
        **case.ids,
        "stage": "submitted",
        "outcome": "granted",
        "decided_on": date(2026, 2, 1),
        "username": "acc",
        "item_id": "application-form",
        "state": "done",
        "left_on": date(2025, 6, 1),
        "ground": "health",
        "purpose": "ngo_contact",
        "decision": "given",
        "method": "written",
        "reason": "The person asked in writing and cannot sign this week.",
        "template": "trp-initial",
        "output": tmp / "draft.docx",
        "directory": tmp / "exhibits",
        "folder": tmp / "export",
        "name": "slip2.txt",
        "data": b"fictional",
        "indicator_id": "AL-1.02",
        "text": "More of the person's own words.",
        "held_on": date(2026, 1, 6),
        "base_version": None,
        "expected_version": 1,
        "version": 1,
        "event_type": next(iter(timeline.EVENT_TYPES)),
        "date_text": "2025",
        "entry_ids": [case.ids["entry_id"]],
        "piece": f"entry:{case.ids['entry_id']}",  # a French version of the person's entry
        "translator": "Fictional Translator",
        "original": "In March 2025 the boss took the passport.",
        "form": "person",
        "values": {"legal_name": "A fictional name being typed"},
    }
    if label == "evidence.add_evidence":
        named["type"] = next(iter(EVIDENCE_TYPES))
    elif label == "applications.create_application":
        named["type"] = "subsequent_trp"
    if label == "narrative_drafts.save_draft":
        named["entry_id"] = None
    if label == "case_review.accept_suggestion":  # its ids are the review's (E12-5.01), not row numbers
        named["suggestion_id"] = case.ids["cue_suggestion_id"]
    values: dict[str, object] = {}
    for name, param in list(inspect.signature(fn).parameters.items())[3:]:  # type: ignore[arg-type]
        if param.default is inspect.Parameter.empty and param.kind not in (
            param.VAR_KEYWORD,
            param.VAR_POSITIONAL,
        ):
            assert name in named, f"{label}: no valid value for parameter '{name}': add one to _valid_args"
            values[name] = named[name]
    return values


def test_no_case_entry_point_gives_case_data_to_an_outsider(
    db: Database, world: World, tmp_path: Path
) -> None:
    """Generic sweep over every area's services (present and future): each function called as
    (session, actor, code | ref, ...) with arguments its case's owner may pass must work for a supervisor
    and be refused with AccessDenied or NotFound, and nothing else, to an analyst, an administrator and an
    unassigned accompanier; nothing may be written."""
    from trpkit.errors import NotFound

    case = _fill_own_case(db, world)
    functions = _case_functions()
    labels = {label for label, _ in functions}
    assert {
        "applications.advance",
        "applications.get_application",
        "decisions.record_decision",
        "decisions.get_decision",
        "cases.get_case",
        "narrative.list_entries",
    } <= labels
    problems = []
    answered = []
    for label, fn in functions:
        key = case.ref if "ref" in inspect.signature(fn).parameters else world.own_case  # type: ignore[arg-type]
        args = _valid_args(fn, case, tmp_path)
        with db.session() as s:
            try:
                fn(s, world.supervisor, key, **args)  # type: ignore[operator]
                answered.append(label)
            except AccessDenied as exc:
                problems.append(f"{label}: the supervisor was refused ({exc}): the sweep proves nothing")
            except TrpkitError:
                pass  # e.g. a decision before the application was decided: the arguments were still valid
            s.rollback()
        for person in (world.analyst, world.admin, world.colleague):
            before = _audit_count(db)
            with db.session() as s:
                try:
                    result = fn(s, person, key, **args)  # type: ignore[operator]
                except (AccessDenied, NotFound):
                    s.rollback()
                    continue
                except Exception as exc:
                    s.rollback()
                    problems.append(f"{label} as {person.role.value} raised {type(exc).__name__}: {exc}")
                    continue
                s.rollback()
                problems.append(f"{label} as {person.role.value} returned {type(result).__name__}")
            assert _audit_count(db) == before
    assert problems == []
    # The refusals above mean something only where the owner's call works: most did, the core ones all (71 of 92 today).
    assert {"applications.get_application", "cases.get_case", "narrative.list_entries"} <= set(answered)
    assert len(answered) * 3 >= len(functions) * 2, sorted(labels - set(answered))


def _audit_count(db: Database) -> int:
    from sqlalchemy import func, select

    from trpkit.db.models import AuditEntry

    with db.session() as s:
        return int(s.scalar(select(func.count(AuditEntry.id))) or 0)


def _listing_functions() -> list[tuple[str, object]]:
    """Every public service function called as (session, actor, ...) that is not about one named case."""
    found = []
    for info in pkgutil.iter_modules(trpkit.services.__path__):
        module = importlib.import_module(f"trpkit.services.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != module.__name__:
                continue
            params = list(inspect.signature(fn).parameters)
            if params[:2] == ["session", "actor"] and (len(params) < 3 or params[2] != "code"):
                found.append((f"{info.name}.{name}", fn))
    return found


def test_no_listing_or_search_gives_case_data_to_analysts_or_admins(db: Database, world: World) -> None:
    """Generic sweep: whatever an analyst or administrator may call (lists, searches, reports, exports),
    the result never carries a case code or a person's name."""
    from trpkit.services.narrative import add_entry
    from trpkit.services.narrative_meetings import add_meeting

    with db.session() as s:
        consent.record_consent(
            s, world.accompanier, world.own_case, purpose="prepare_file", decision="given", method="written"
        )
        meeting = add_meeting(
            s, world.accompanier, world.own_case, held_on=__import__("datetime").date(2026, 1, 5)
        )
        add_entry(s, world.accompanier, world.own_case, meeting.id, "Own Fictional kept the passport.")
    functions = _listing_functions()
    assert len(functions) >= 5, functions
    secrets = (world.own_case, world.other_case, "Own Fictional", "Other Fictional")
    leaks = []
    answered: dict[str, list[str]] = {}
    for person in (world.analyst, world.admin):
        for label, fn in functions:
            args = _dummy_args_from(fn, 2)
            if "query" in args:
                args["query"] = "Fictional"
            with db.session() as s:
                try:
                    result = fn(s, person, **args)  # type: ignore[operator]
                except Exception:  # refused (or not applicable) before returning anything
                    s.rollback()
                    continue
                s.rollback()
            answered.setdefault(person.role.value, []).append(label)
            text = repr(result)
            # administrators audit who opened which case: codes (pseudonymous) yes, names never
            shown = secrets[2:] if label == "audit.show" else secrets
            leaks += [
                f"{label} as {person.role.value} shows {secret!r}" for secret in shown if secret in text
            ]
    assert leaks == []
    # The sweep looked at real answers: the lists that would show case data did answer both roles (had
    # every call raised, the check above would have passed without looking at anything).
    for role in ("analyst", "admin"):
        assert {"cases.list_cases", "deadlines.list_deadlines", "audit.show"} <= set(
            answered.get(role, [])
        ), role


def _dummy_args_from(fn: object, skip: int) -> dict[str, object]:
    values: dict[str, object] = {}
    for name, param in list(inspect.signature(fn).parameters.items())[skip:]:  # type: ignore[arg-type]
        if param.default is not inspect.Parameter.empty or param.kind in (
            param.VAR_KEYWORD,
            param.VAR_POSITIONAL,
        ):
            continue
        hint = str(param.annotation)
        if "Path" in hint or name in ("path", "directory", "folder", "output"):
            values[name] = Path("/nonexistent/trpkit-role-test/out")
        elif "bytes" in hint:
            values[name] = b"x"
        elif hint.startswith("int"):
            values[name] = 1
        else:
            values[name] = "x"
    return values
