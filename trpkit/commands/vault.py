"""trpkit init, trpkit passphrase change, trpkit db upgrade|current."""

from __future__ import annotations

import getpass
import os
import sys

import click

from trpkit.commands._common import (
    AppContext,
    emit_json,
    json_option,
    pass_app,
    passphrase_from_env_or_prompt,
)
from trpkit.errors import UsageError, VaultError


def new_passphrase(prompt: str = "New vault passphrase") -> str:
    """From TRPKIT_PASSPHRASE (scripts) or typed twice; refused unless strong."""
    from trpkit.domain.passphrase import assess_passphrase

    value = os.environ.get("TRPKIT_NEW_PASSPHRASE") or os.environ.get("TRPKIT_PASSPHRASE")
    if value is None:
        if not sys.stdin.isatty():
            raise VaultError("No passphrase: set TRPKIT_PASSPHRASE when running without a terminal.")
        while True:
            value = click.prompt(prompt, hide_input=True, confirmation_prompt="Type it again")
            report = assess_passphrase(value)
            if report.acceptable:
                break
            click.echo(
                "That passphrase is too weak: " + "; ".join(report.problems) + ". Try another.", err=True
            )
    report = assess_passphrase(value)
    if not report.acceptable:
        raise VaultError("Passphrase too weak: " + "; ".join(report.problems) + ".")
    return value


@click.command("init")
@click.option(
    "--user", "username", default=None, help="Your user name in the vault (default: your login name)."
)
@click.option("--display-name", default="", help="Your name as shown to colleagues.")
@pass_app
def init_command(app: AppContext, username: str | None, display_name: str) -> None:
    """Create a new encrypted vault (or set up a PostgreSQL database) and its first user.

    The vault is one encrypted file; only the passphrase is needed to open it. Keep the
    passphrase somewhere safe: without it nobody, including you, can read the vault.
    """
    from trpkit.db import migrate
    from trpkit.db.database import create_vault, open_target
    from trpkit.services import audit
    from trpkit.services.users import count_users, create_user

    target = app.settings.target
    username = username or app.settings.username or getpass.getuser() or "accompanier"
    if target.is_vault:
        assert target.vault_path is not None
        if target.vault_path.exists():
            raise VaultError(
                f"A vault already exists at {target.vault_path}. Open it with 'trpkit', or choose --vault PATH."
            )
        db = create_vault(target.vault_path, new_passphrase())
    else:
        db = open_target(target)
        migrate.upgrade(db.engine)
    with db.session() as session:
        if count_users(session):
            raise UsageError(f"The {target.describe()} is already set up. Add people with 'trpkit user add'.")
        # On a one-person vault the first user supervises all its cases.
        create_user(session, username, role="supervisor", display_name=display_name)
        audit.record(session, username, "vault.init")
    db.close()
    click.echo(
        f"Created {target.describe()} for user '{username}'. Open it with: trpkit"
        + (f" --vault {target.vault_path}" if app.vault else "")
    )


@click.group("passphrase")
def passphrase_group() -> None:
    """Manage the vault passphrase."""


@passphrase_group.command("change")
@pass_app
def passphrase_change(app: AppContext) -> None:
    """Re-encrypt the vault under a new passphrase.

    Scripts: TRPKIT_PASSPHRASE is the current passphrase, TRPKIT_NEW_PASSPHRASE the new one.
    """
    from trpkit.db import vault

    target = app.settings.target
    if not target.is_vault:
        raise UsageError("Only an encrypted vault has a passphrase; a server uses its own logins.")
    assert target.vault_path is not None
    old = passphrase_from_env_or_prompt("Current passphrase")
    vault.unlock(target.vault_path, old)  # fail early on a wrong current passphrase
    if sys.stdin.isatty() and not os.environ.get("TRPKIT_NEW_PASSPHRASE"):
        os.environ.pop("TRPKIT_PASSPHRASE", None)
    new = new_passphrase()
    if new == old:
        raise UsageError("The new passphrase is the same as the current one.")
    vault.rekey(target.vault_path, old, new)
    from trpkit.db.database import open_target
    from trpkit.services import audit

    db = open_target(target, new)
    with db.session() as session:
        audit.record(session, app.settings.username or "vault", "vault.rekey")
    db.close()
    click.echo("Passphrase changed. The old passphrase no longer opens the vault.")


@click.group("db")
def db_group() -> None:
    """Database schema: see and upgrade its version."""


@db_group.command("current")
@json_option
@pass_app
def db_current(app: AppContext, as_json: bool) -> None:
    """Show the schema revision of the vault or server, and the newest this trpkit knows."""
    from trpkit.db import migrate

    db = app.database(check_schema=False)
    info = {
        "target": app.settings.target.describe(),
        "current": migrate.current_revision(db.engine),
        "head": migrate.head_revision(),
        "state": db.schema_state(),
    }
    if as_json:
        emit_json(info)
    else:
        click.echo(f"{info['target']}: revision {info['current']} (newest: {info['head']}; {info['state']})")


@db_group.command("upgrade")
@pass_app
def db_upgrade(app: AppContext) -> None:
    """Upgrade the schema to this trpkit's version. A vault is copied to a backup file first."""
    db = app.database(check_schema=False)
    state = db.schema_state()
    if state == "current":
        click.echo("Already up to date.")
        return
    if state == "newer":
        raise VaultError("This database was made by a newer trpkit; upgrade trpkit instead.")
    click.echo("Upgrading the schema…", err=True)
    backup = db.upgrade()
    if backup:
        click.echo(f"Backup of the previous version: {backup}")
    click.echo("Upgraded to the newest schema.")
