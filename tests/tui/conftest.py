"""TUI fixtures: an app over a fresh encrypted vault with a few fictional cases."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from trpkit.config import Settings
from trpkit.db.database import Database, open_target
from trpkit.db.engine import Target
from trpkit.db.vault import VaultKey
from trpkit.services.actor import Actor

FIXED_TODAY = date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Deterministic screens: the input cursor does not blink."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None, raising=False)


@dataclass
class Seeded:
    path: Path
    database: Database
    actor: Actor

    def settings(self, **kw: object) -> Settings:
        return Settings(target=Target(vault_path=self.path), username=self.actor.username, **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def _seeded_template(
    tmp_path_factory: pytest.TempPathFactory, _template_vault: tuple[Path, VaultKey]
) -> Path:
    """The demo cases every screen test starts from, generated once per test process: each test gets
    its own copy of this file (copying is far cheaper than generating twelve cases again)."""
    from trpkit.demo import generate
    from trpkit.services.users import actor_for, create_user

    template, key = _template_vault
    path = tmp_path_factory.mktemp("seeded") / "seeded.trpvault"
    shutil.copy(template, path)
    database = open_target(Target(vault_path=path), key=key)
    with database.session() as session:
        create_user(session, "ana", role="supervisor")
        generate(session, actor_for(session, "ana"), 12, seed=11, today=FIXED_TODAY)
    database.close()  # folds the write-ahead log back in: the one file holds everything
    return path


@pytest.fixture
def seeded(
    tmp_path: Path, _seeded_template: Path, _template_vault: tuple[Path, VaultKey]
) -> Iterator[Seeded]:
    """A vault of its own for the test: 12 fictional demo cases and the supervisor "ana"."""
    from trpkit.services.users import actor_for

    path = tmp_path / "tui.trpvault"
    shutil.copy(_seeded_template, path)
    database = open_target(Target(vault_path=path), key=_template_vault[1])
    with database.session() as session:
        actor = actor_for(session, "ana")
    yield Seeded(path, database, actor)
    database.close()
