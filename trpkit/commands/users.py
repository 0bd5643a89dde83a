"""trpkit user add|list|passwd|deactivate."""

from __future__ import annotations

import os
import sys

import click

from trpkit.commands._common import AppContext, emit_json, json_option, pass_app, table
from trpkit.errors import UsageError


def _new_password(env_name: str, prompt: str) -> str:
    """From ``env_name`` (scripts) or typed twice at a terminal."""
    value = os.environ.get(env_name)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise UsageError(f"No password given: set {env_name} when running without a terminal.")
    return str(click.prompt(prompt, hide_input=True, confirmation_prompt="Type it again"))


@click.group("user")
def user_group() -> None:
    """People who use this vault or server, their roles and passwords."""


@user_group.command("list")
@json_option
@pass_app
def user_list(app: AppContext, as_json: bool) -> None:
    """List users and their roles."""
    from trpkit.services.users import list_users

    with app.session() as session:
        rows = list_users(session, app.actor(session))
    if as_json:
        emit_json(rows)
    else:
        table(
            [
                [
                    r.username,
                    r.display_name,
                    r.role,
                    "yes" if r.active else "no",
                    "yes" if r.has_password else "no",
                ]
                for r in rows
            ],
            ["user", "name", "role", "active", "password"],
        )
        locked = [r.username for r in rows if r.active and not r.has_password]
        if locked and any(r.has_password for r in rows):
            click.echo(
                f"\nEvery account needs a password once one has: {', '.join(locked)} cannot sign in until "
                "a supervisor or administrator sets one ('trpkit user passwd NAME')."
            )


@user_group.command("add")
@click.argument("username")
@click.option(
    "--role",
    type=click.Choice(["accompanier", "supervisor", "analyst", "admin"]),
    default="accompanier",
    show_default=True,
)
@click.option("--display-name", default="")
@click.option(
    "--password",
    "with_password",
    is_flag=True,
    help="Give the account a password (prompted, or TRPKIT_NEW_PASSWORD): needed on a server.",
)
@pass_app
def user_add(app: AppContext, username: str, role: str, display_name: str, with_password: bool) -> None:
    """Add a colleague with a role (administrators and supervisors)."""
    from trpkit.services.users import add_user, require_own_password_first

    password = _new_password("TRPKIT_NEW_PASSWORD", f"Password for {username}") if with_password else None
    with app.session() as session:
        actor = app.actor(session)
        if password is not None:
            require_own_password_first(session, actor)
        row = add_user(session, actor, username, role=role, display_name=display_name, password=password)
    click.echo(f"Added {row.username} ({row.role})" + (" with a password." if row.has_password else "."))


@user_group.command("passwd")
@click.argument("username", required=False)
@pass_app
def user_passwd(app: AppContext, username: str | None) -> None:
    """Set a password: your own (default), or a colleague's as administrator or supervisor.

    Scripts: TRPKIT_PASSWORD is your current password, TRPKIT_NEW_PASSWORD the new one.
    """
    from trpkit.services.users import needs_password, set_password

    with app.session() as session:
        actor = app.actor(session)
        target = username or actor.username
        current = None
        if target == actor.username and needs_password(session, target):
            current = os.environ.get("TRPKIT_PASSWORD")
            if current is None:
                if not sys.stdin.isatty():
                    raise UsageError(
                        "Set TRPKIT_PASSWORD to your current password when running without a terminal."
                    )
                current = str(click.prompt("Current password", hide_input=True))
        new = _new_password("TRPKIT_NEW_PASSWORD", f"New password for {target}")
        set_password(session, actor, target, new, current_password=current)
    click.echo(f"Password set for {target}.")


@user_group.command("deactivate")
@click.argument("username")
@pass_app
def user_deactivate(app: AppContext, username: str) -> None:
    """Close an account: it can no longer sign in; its history stays."""
    from trpkit.services.users import deactivate_user

    with app.session() as session:
        row = deactivate_user(session, app.actor(session), username)
    click.echo(f"{row.username} can no longer sign in.")
