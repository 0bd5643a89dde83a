"""trpkit user add|list."""

from __future__ import annotations

import click

from trpkit.commands._common import AppContext, emit_json, json_option, pass_app, table


@click.group("user")
def user_group() -> None:
    """People who use this vault or server."""


@user_group.command("list")
@json_option
@pass_app
def user_list(app: AppContext, as_json: bool) -> None:
    """List users and their roles."""
    from trpkit.services.users import list_users

    with app.session() as session:
        rows = list_users(session)
    if as_json:
        emit_json(rows)
    else:
        table([[r.username, r.display_name, r.role, "yes" if r.active else "no"] for r in rows],
              ["user", "name", "role", "active"])


@user_group.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(["accompanier", "supervisor", "analyst", "admin"]), default="accompanier")
@click.option("--display-name", default="")
@pass_app
def user_add(app: AppContext, username: str, role: str, display_name: str) -> None:
    """Add a user with a role."""
    from trpkit.errors import AccessDenied
    from trpkit.services import audit
    from trpkit.services.users import create_user

    with app.session() as session:
        actor = app.actor(session)
        if actor.role.value not in ("admin", "supervisor"):
            raise AccessDenied("Only an administrator or supervisor can add users.")
        row = create_user(session, username, role=role, display_name=display_name)
        audit.record(session, actor, "user.add", None, user=row.username, role=row.role)
    click.echo(f"Added {row.username} ({row.role}).")
