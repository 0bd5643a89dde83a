"""A second vault: a member agency (or the coordinator) receiving packages."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from trpkit.db.database import Database, open_target
from trpkit.db.engine import Target
from trpkit.db.vault import VaultKey


@pytest.fixture
def member_db(tmp_path: Path, _template_vault: tuple[Path, VaultKey]) -> Iterator[Database]:
    template, key = _template_vault
    path = tmp_path / "member.trpvault"
    shutil.copy(template, path)
    database = open_target(Target(vault_path=path), key=key)
    yield database
    database.close()
