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
    """Every public service function called as (session, actor, code, ...): the case-file entry points."""
    found = []
    for info in pkgutil.iter_modules(trpkit.services.__path__):
        module = importlib.import_module(f"trpkit.services.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != module.__name__:
                continue
            params = list(inspect.signature(fn).parameters)
            if params[:3] == ["session", "actor", "code"]:
                found.append((f"{info.name}.{name}", fn))
    return found


def _dummy_args(fn: object) -> dict[str, object]:
    """Plausible values for the other required parameters, so the call reaches its access check."""
    values: dict[str, object] = {}
    for name, param in list(inspect.signature(fn).parameters.items())[3:]:  # type: ignore[arg-type]
        if param.default is not inspect.Parameter.empty or param.kind in (
            param.VAR_KEYWORD,
            param.VAR_POSITIONAL,
        ):
            continue
        hint = str(param.annotation)
        if "Path" in hint:
            values[name] = Path("/nonexistent/trpkit-role-test/out.docx")
        elif "bytes" in hint:
            values[name] = b"x"
        elif hint.startswith("int"):
            values[name] = 1
        elif "date" in hint:
            from datetime import date

            values[name] = date(2026, 1, 1)
        else:
            values[name] = "x"
    return values


def test_no_case_entry_point_gives_case_data_to_an_outsider(db: Database, world: World) -> None:
    """Generic sweep over every area's services (present and future): an analyst, an administrator and an
    unassigned accompanier calling any (session, actor, code, ...) function on a case they may not open
    must get an error, never a result, and nothing may be written."""
    functions = _case_functions()
    assert len(functions) >= 8, functions  # the sweep really found the entry points
    leaks = []
    for person in (world.analyst, world.admin, world.colleague):
        for label, fn in functions:
            with db.session() as s:
                try:
                    result = fn(s, person, world.own_case, **_dummy_args(fn))  # type: ignore[operator]
                except Exception:  # refused (or failed) before returning anything: no leak
                    s.rollback()
                    continue
                s.rollback()
                leaks.append(f"{label} as {person.role.value} returned {type(result).__name__}")
    assert leaks == []


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
    from trpkit.services.narrative import add_entry, add_meeting

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
            text = repr(result)
            # administrators audit who opened which case: codes (pseudonymous) yes, names never
            shown = secrets[2:] if label == "audit.show" else secrets
            leaks += [
                f"{label} as {person.role.value} shows {secret!r}" for secret in shown if secret in text
            ]
    assert leaks == []


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
