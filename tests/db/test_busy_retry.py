"""Database.run: the one retry policy for a busy vault (a unit of work re-run from the start)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from trpkit.db import database as database_module
from trpkit.db.database import BUSY_ATTEMPTS, Database, is_busy


def _locked() -> OperationalError:
    return OperationalError("INSERT INTO ...", {}, Exception("database is locked"))


@pytest.fixture(autouse=True)
def _no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(database_module.time, "sleep", slept.append)
    return slept


def test_a_busy_vault_is_retried_and_nothing_of_the_failed_attempt_is_kept(vault_db: Database) -> None:
    with vault_db.session() as s:
        s.execute(text("CREATE TABLE scratch (n INTEGER)"))
    calls: list[int] = []

    def work(session: Session) -> int:
        calls.append(1)
        session.execute(text("INSERT INTO scratch VALUES (:n)"), {"n": len(calls)})
        if len(calls) < 3:
            raise _locked()
        return int(session.scalar(text("SELECT count(*) FROM scratch")) or 0)

    assert vault_db.run(work) == 1  # the two failed attempts were rolled back
    assert len(calls) == 3


def test_other_errors_are_not_retried(vault_db: Database) -> None:
    calls: list[int] = []

    def work(session: Session) -> None:
        calls.append(1)
        raise OperationalError("SELECT nope", {}, Exception("no such table: nope"))

    with pytest.raises(OperationalError, match="no such table"):
        vault_db.run(work)
    assert calls == [1]


def test_a_vault_busy_for_too_long_says_so(vault_db: Database, _no_sleep: list[float]) -> None:
    def work(session: Session) -> None:
        raise _locked()

    with pytest.raises(OperationalError) as caught:
        vault_db.run(work)
    assert is_busy(caught.value)
    assert len(_no_sleep) == BUSY_ATTEMPTS - 1 and _no_sleep == sorted(_no_sleep)  # waits grow
