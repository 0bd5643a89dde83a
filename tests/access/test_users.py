"""Accounts, Argon2id passwords and signing in (logged, never the password; repeated failures lock)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from trpkit.db.database import Database
from trpkit.db.models import AuditEntry, User
from trpkit.errors import AccessDenied, UsageError
from trpkit.services import audit, sign_in, user_passwords, users
from trpkit.services.actor import Actor

PASSWORD = "violet harbour quill 8812"


@pytest.fixture(autouse=True)
def _cheap_hashes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Real Argon2id, lighter parameters, so the many sign-ins here stay fast (one test checks the real ones).
    The commands run in-process (tests/cli.py), so the lighter hasher reaches them too."""
    if request.node.name.startswith("test_production_parameters"):
        return
    from argon2 import PasswordHasher

    monkeypatch.setattr(
        user_passwords, "_hasher", lambda: PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


def test_production_parameters_are_rfc9106_argon2id() -> None:
    from argon2 import Type, extract_parameters

    params = extract_parameters(user_passwords.hash_password("any password at all 1"))
    assert params.type is Type.ID and params.memory_cost >= 65536 and params.time_cost >= 3


def _events(db: Database, username: str) -> list[tuple[str, dict]]:
    with db.session() as s:
        return [
            (e.action, e.detail)
            for e in s.scalars(
                select(AuditEntry).where(AuditEntry.username == username).order_by(AuditEntry.id)
            )
        ]


def test_password_is_stored_as_argon2id_and_sign_in_works(db: Database, actor: Actor) -> None:
    with db.session() as s:
        users.add_user(s, actor, "lea", role="accompanier", password=PASSWORD)
    with db.session() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "lea"))
        assert stored.startswith("$argon2id$") and PASSWORD not in stored
        assert users.needs_password(s, "lea") and not users.needs_password(s, "ana")
    with db.session() as s:
        signed_in = sign_in.authenticate(s, "lea", PASSWORD)
    assert signed_in.username == "lea" and signed_in.role.value == "accompanier"
    assert _events(db, "lea")[-1] == ("login.success", {"via": "password"})


def test_failures_are_logged_without_the_password_and_survive_the_rollback(
    db: Database, actor: Actor
) -> None:
    with db.session() as s:
        users.add_user(s, actor, "lea", password=PASSWORD)
    for attempt in ("wrong horse battery", "", PASSWORD.upper()):
        with pytest.raises(users.LoginFailed, match="Wrong user name or password"), db.session() as s:
            sign_in.authenticate(s, "lea", attempt)
    with pytest.raises(users.LoginFailed, match="Wrong user name or password"), db.session() as s:
        sign_in.authenticate(s, "nobody", PASSWORD)  # same message: names cannot be probed
    events = _events(db, "lea")
    assert [e for e, _ in events].count("login.failure") == 3
    assert {d["reason"] for e, d in events if e == "login.failure"} == {"wrong password"}
    assert _events(db, "nobody") == [("login.failure", {"reason": "unknown user"})]
    with db.session() as s:
        everything = str([(e.detail, e.action) for e in s.scalars(select(AuditEntry))])
        assert audit.verify(s).ok
    assert PASSWORD not in everything and PASSWORD.upper() not in everything


def test_repeated_failures_lock_the_account_for_a_while(db: Database, actor: Actor) -> None:
    with db.session() as s:
        users.add_user(s, actor, "lea", password=PASSWORD)
    for _ in range(sign_in.MAX_FAILED_LOGINS):
        with pytest.raises(users.LoginFailed), db.session() as s:
            sign_in.authenticate(s, "lea", "not the password at all")
    with pytest.raises(users.LoginFailed, match="Too many failed sign-ins"), db.session() as s:
        sign_in.authenticate(s, "lea", PASSWORD)  # even the right password waits out the lock
    assert _events(db, "lea")[-1] == ("login.failure", {"reason": "locked"})


def test_deactivated_and_passwordless_accounts_cannot_sign_in(db: Database, actor: Actor, make_actor) -> None:  # type: ignore[no-untyped-def]
    make_actor(db, "nopass", "accompanier")
    with db.session() as s:
        users.add_user(s, actor, "lea", password=PASSWORD)
        users.deactivate_user(s, actor, "lea")
    with pytest.raises(users.LoginFailed, match="deactivated"), db.session() as s:
        sign_in.authenticate(s, "lea", PASSWORD)
    with pytest.raises(users.LoginFailed), db.session() as s:
        sign_in.authenticate(s, "nopass", "")
    with pytest.raises(UsageError, match="deactivated"), db.session() as s:
        users.actor_for(s, "lea")


def test_changing_passwords(db: Database, actor: Actor, make_actor) -> None:  # type: ignore[no-untyped-def]
    with db.session() as s:
        users.add_user(s, actor, "lea", password=PASSWORD)
        lea = users.actor_for(s, "lea")
    new = "copper lantern drift 5521"
    with pytest.raises(users.LoginFailed, match="current password"), db.session() as s:
        users.set_password(s, lea, "lea", new, current_password="guess guess guess")
    with pytest.raises(UsageError, match="too weak"), db.session() as s:
        users.set_password(s, lea, "lea", "password1", current_password=PASSWORD)
    with db.session() as s:
        users.set_password(s, lea, "lea", new, current_password=PASSWORD)
    with db.session() as s:
        assert sign_in.authenticate(s, "lea", new).username == "lea"
    with pytest.raises(users.LoginFailed), db.session() as s:
        sign_in.authenticate(s, "lea", PASSWORD)
    with db.session() as s:  # a supervisor resets a forgotten password without knowing the old one
        users.set_password(s, actor, "lea", PASSWORD)
    with db.session() as s:
        assert sign_in.authenticate(s, "lea", PASSWORD).username == "lea"
    with pytest.raises(AccessDenied), db.session() as s:
        users.set_password(s, lea, "ana", new)


@pytest.mark.parametrize("name", ["", "two words", "x" * 65, "tab\there", "nul\x00"])
def test_bad_usernames_are_refused(db: Database, actor: Actor, name: str) -> None:
    with pytest.raises(UsageError, match="username"), db.session() as s:
        users.add_user(s, actor, name)


BOSS = "saffron glacier tandem 2741"


def test_user_commands(tmp_path: Path) -> None:
    from tests.cli import CliResult, run_cli
    from tests.conftest import TEST_PASSPHRASE

    vault = tmp_path / "v.trpvault"

    def run(*args: str, **extra: str) -> CliResult:
        return run_cli(args, vault=vault, passphrase=TEST_PASSPHRASE, env=extra)

    assert run("init", "--user", "boss").returncode == 0
    first = run("--user", "boss", "user", "add", "lea", "--password", TRPKIT_NEW_PASSWORD=PASSWORD)
    assert first.returncode == 2 and "Give your own account a password first" in first.stderr
    assert run("--user", "boss", "user", "passwd", TRPKIT_NEW_PASSWORD=BOSS).returncode == 0
    boss = {"TRPKIT_PASSWORD": BOSS}
    added = run("--user", "boss", "user", "add", "lea", "--password", TRPKIT_NEW_PASSWORD=PASSWORD, **boss)
    assert added.returncode == 0 and "with a password" in added.stdout
    assert run("--user", "boss", "user", "add", "stats", "--role", "analyst", **boss).returncode == 0
    # a passwordless account on a vault where others have passwords cannot be taken by its name
    said = run("--user", "boss", "user", "list", **boss)
    assert "Every account needs a password once one has: stats cannot sign in" in said.stdout
    taken = run("--user", "stats", "user", "list")
    assert taken.returncode != 0 and "every account needs one" in taken.stderr
    assert "trpkit user passwd stats" in taken.stderr
    weak = run("--user", "boss", "user", "passwd", "stats", TRPKIT_NEW_PASSWORD="abc", **boss)
    assert weak.returncode == 2 and "too weak" in weak.stderr
    stats_pw = "copper lantern drizzle 5150"
    assert (
        run("--user", "boss", "user", "passwd", "stats", TRPKIT_NEW_PASSWORD=stats_pw, **boss).returncode == 0
    )
    stats = {"TRPKIT_PASSWORD": stats_pw}
    refused = run("--user", "stats", "user", "add", "eve", **stats)
    assert refused.returncode == 5 and "Only an administrator or a supervisor" in refused.stderr
    told = run("--user", "boss", "user", "list", **boss)
    assert "Every account needs a password once one has" not in told.stdout  # everyone has one now
    listed = run("--user", "stats", "user", "list", "--json", **stats)
    assert listed.returncode == 0 and '"has_password": true' in listed.stdout
    assert run("--user", "boss", "user", "deactivate", "stats", **boss).returncode == 0
    gone = run("--user", "stats", "case", "list", **stats)
    assert gone.returncode != 0 and "deactivated" in gone.stderr


def test_resolve_actor_asks_for_a_password_only_when_the_account_has_one(db: Database, actor: Actor) -> None:
    asked: list[str] = []

    def ask(name: str) -> str | None:
        asked.append(name)
        return {"lea": PASSWORD}.get(name)

    with db.session() as s:
        users.add_user(s, actor, "lea", password=PASSWORD)
        users.add_user(s, actor, "sam", password=PASSWORD)
    with pytest.raises(users.LoginFailed, match="every account needs one"), db.session() as s:
        sign_in.resolve_actor(s, "ana", ask)  # passwordless, while colleagues have passwords: refused
    assert asked == []
    with db.session() as s:
        assert sign_in.resolve_actor(s, "lea", ask).username == "lea" and asked == ["lea"]
    with pytest.raises(users.LoginFailed, match="TRPKIT_PASSWORD"), db.session() as s:
        sign_in.resolve_actor(s, "sam", ask)
    with pytest.raises(users.LoginFailed, match="Wrong"), db.session() as s:
        sign_in.resolve_actor(s, "sam", lambda name: "not it at all, sorry")
