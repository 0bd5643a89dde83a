"""Shared fixtures: a migrated database on each backend, an acting user, fixed clocks.

``db`` is parametrised over the encrypted SQLite vault and PostgreSQL. The PostgreSQL run needs
TRPKIT_TEST_POSTGRES_URL (set by .ci/run); locally it is skipped when the variable is unset,
but under CI a missing server fails loudly.
"""

from __future__ import annotations

import functools
import gc
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from trpkit.db.database import Database, create_vault, open_target
from trpkit.db.engine import Target
from trpkit.db.vault import VaultKey, unlock
from trpkit.loading.date_phrases import install as install_date_phrases
from trpkit.services.actor import Actor

install_date_phrases()  # as the CLI and the app do at start-up: parse_fuzzy reads checklists/date_phrases/

TEST_PASSPHRASE = "correct staple orbit meadow 42"

# Hypothesis' own timers (a per-example deadline, "input generation is slow") measure wall-clock time,
# which a shared 2-core machine stretches at random: they failed tests that found no bug. Properties are
# judged on their results; speed is the benchmarks' job (tests/benchmarks/).
settings.register_profile("trpkit", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("trpkit")
PG_URL_ENV = "TRPKIT_TEST_POSTGRES_URL"

# Python's collector runs a full pass whenever the objects that outlived two young collections reach a
# quarter of the heap. A screen test's app is hundreds of thousands of short-lived objects, so with the
# default young threshold (700) it set off several full passes per test, ~0.2 CPU s each: a third of the
# screen tests' time. A young collection every 10,000 allocations lets most of them die by reference
# counting first; full passes keep the same rule, so memory stays bounded (the app's own gc.freeze in
# trpkit/tui/heap.py and its test are unaffected). Only the test processes change, never trpkit.
gc.set_threshold(10_000, 10, 10)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read or write the real user's config or data folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("TRPKIT_CONFIG", str(home / "config" / "trpkit" / "config.toml"))
    for name in ("TRPKIT_VAULT", "TRPKIT_DATABASE_URL", "TRPKIT_USER", "TRPKIT_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session", autouse=True)
def _remember_vault_keys() -> Iterator[None]:
    """Stretch each (passphrase, salt, parameters) with the real Argon2id once per test process, not once
    per opening: a command run in-process re-opens the same vault with the same passphrase every time,
    a restore re-derives the key its backup was written with, and each stretch costs about 0.25 CPU
    seconds. The production parameters are untouched, a new vault, a new backup or a wrong passphrase
    still runs the full derivation (a remembered key is the one Argon2id returned for the same input),
    and subprocesses never share the memory."""
    from trpkit.db import kdf, vault

    remembered = functools.lru_cache(maxsize=None)(kdf.derive_raw_key)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kdf, "derive_raw_key", remembered)  # backups import it when they derive
        patch.setattr(vault, "derive_raw_key", remembered)
        yield


@pytest.fixture(scope="session")
def _template_vault(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, VaultKey]:
    path = tmp_path_factory.mktemp("template") / "template.trpvault"
    create_vault(path, TEST_PASSPHRASE).close()
    return path, unlock(path, TEST_PASSPHRASE)


@pytest.fixture(scope="session")
def _pg_template() -> Iterator[str | None]:
    url = os.environ.get(PG_URL_ENV)
    if not url:
        yield None
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from trpkit.db import migrate

    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"trpkit_tmpl_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(make_url(url).set(database=name))
    migrate.upgrade(engine)
    engine.dispose()
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _pg_database(template: str) -> tuple[str, str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = os.environ[PG_URL_ENV]
    name = f"trpkit_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    return name, make_url(url).set(database=name).render_as_string(hide_password=False)


def _drop_pg(name: str) -> None:
    from sqlalchemy import create_engine, text

    from trpkit.db.server_logins import drop_roles, prefix_for

    admin = create_engine(os.environ[PG_URL_ENV], isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        drop_roles(conn, prefix_for(name))  # people's logins made by tests (roles are server-wide)
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    _template_vault: tuple[Path, VaultKey],
    _pg_template: str | None,
) -> Iterator[Database]:
    """A freshly migrated, empty database: encrypted vault or PostgreSQL."""
    if request.param == "sqlite":
        template, key = _template_vault
        path = tmp_path / "test.trpvault"
        shutil.copy(template, path)
        database = open_target(Target(vault_path=path), key=key)
        yield database
        database.close()
        return
    if _pg_template is None:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_URL_ENV} is not set: CI must test PostgreSQL")
        pytest.skip(f"{PG_URL_ENV} not set")
    name, url = _pg_database(_pg_template)
    database = open_target(Target(url=url))
    yield database
    database.close()
    _drop_pg(name)


@pytest.fixture
def vault_db(tmp_path: Path, _template_vault: tuple[Path, VaultKey]) -> Iterator[Database]:
    """Only the encrypted vault (for tests about SQLite-specific behaviour or the TUI)."""
    template, key = _template_vault
    path = tmp_path / "test.trpvault"
    shutil.copy(template, path)
    database = open_target(Target(vault_path=path), key=key)
    yield database
    database.close()


@pytest.fixture
def cli_vault(tmp_path: Path, _template_vault: tuple[Path, VaultKey]) -> Path:
    """A closed vault file for command-line tests: a copy of the migrated template (passphrase
    TEST_PASSPHRASE) whose one user is the supervisor "ana", as 'trpkit init --user ana' leaves it."""
    from trpkit.services import audit
    from trpkit.services.users import create_user

    template, key = _template_vault
    path = tmp_path / "cli.trpvault"
    shutil.copy(template, path)
    database = open_target(Target(vault_path=path), key=key)
    with database.session() as session:
        create_user(session, "ana", role="supervisor")
        audit.record(session, "ana", "vault.init")
    database.close()
    return path


def _make_actor(database: Database, username: str = "ana", role: str = "supervisor") -> Actor:
    from trpkit.services.users import actor_for, create_user

    with database.session() as session:
        create_user(session, username, role=role)
        return actor_for(session, username)


@pytest.fixture
def actor(db: Database) -> Actor:
    """A supervisor (sees every case) in ``db``."""
    return _make_actor(db)


@pytest.fixture
def make_actor() -> object:
    return _make_actor


@pytest.fixture
def new_case(db: Database, actor: Actor):  # type: ignore[no-untyped-def]
    """Factory: a case with a person and (by default) every consent given."""
    from trpkit.services.cases import create_case
    from trpkit.services.consent import record_consent

    def factory(consents: tuple[str, ...] | None = None, **person: str) -> str:
        with db.session() as session:
            detail = create_case(session, actor, person={"legal_name": "Test Fictional", **person})
            for purpose in (
                consents
                if consents is not None
                else ("prepare_file", "submit_to_ircc", "coalition_sharing", "ngo_contact", "quote_own_words")
            ):
                record_consent(
                    session, actor, detail.code, purpose=purpose, decision="given", method="written"
                )
            return detail.code

    return factory
