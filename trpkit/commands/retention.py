"""trpkit retention [destroy CODE]: closed case files due for destruction, and destroying one."""

from __future__ import annotations

import sys

import click

from trpkit.commands._common import AppContext, emit_json, json_option, pass_app, table
from trpkit.errors import UsageError


def _years(app: AppContext) -> int:
    from trpkit.services.retention import retention_years

    return retention_years(app.settings.extra)


@click.group("retention", invoke_without_command=True)
@click.option("--all", "show_all", is_flag=True, help="Also list closed files not yet due.")
@json_option
@click.pass_context
def retention_group(ctx: click.Context, show_all: bool, as_json: bool) -> None:
    """Closed case files due for destruction (retention_years after closing; default 7)."""
    if ctx.invoked_subcommand is not None:
        return
    from trpkit.services.retention import closed_cases, unsent_coalition_withdrawals

    app = ctx.find_object(AppContext)
    assert app is not None  # the trpkit group always sets it
    years = _years(app)
    with app.session() as session:
        actor = app.actor(session)
        rows = closed_cases(session, actor, years=years, due_only=not show_all)
        unsent = unsent_coalition_withdrawals(session, actor)
    if as_json:
        emit_json({"retention_years": years, "cases": rows, "coalition_withdrawals_unsent": unsent})
        return
    if unsent:
        click.echo(
            f"{unsent} coalition record(s) of destroyed case files wait for the next "
            "'trpkit coalition export' to be withdrawn."
        )
    if not rows:
        click.echo(f"No closed case files are due for destruction (kept {years} years after closing).")
        return
    table(
        [
            [
                r.code,
                r.closed_at.strftime("%Y-%m-%d"),
                r.destroy_after.isoformat(),
                "due" if r.due else f"in {-r.days_overdue} days",
            ]
            for r in rows
        ],
        ["case", "closed", "destroy after", "state"],
    )
    if any(r.due for r in rows):
        click.echo("Destroy a file with: trpkit retention destroy CASE")


@retention_group.command("destroy")
@click.argument("code")
@click.option("--early-reason", default="", help="Why a file is destroyed before its period ends (no names).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@json_option
@pass_app
def retention_destroy(app: AppContext, code: str, early_reason: str, yes: bool, as_json: bool) -> None:
    """Destroy a closed case file for good: the person, every record and attachment. Leaves an audit entry."""
    from trpkit.services.retention import compact, destroy_case

    code = code.strip().upper()
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError(
                "Destruction cannot be undone: add --yes to confirm when running without a terminal."
            )
        typed = click.prompt(f"This erases {code} for good. Type the case code to confirm")
        if typed.strip().upper() != code:
            raise UsageError("The code did not match; nothing was destroyed.")
    years = _years(app)
    with app.session() as session:
        result = destroy_case(session, app.actor(session), code, years=years, early_reason=early_reason)
    database = app.database()
    if database.target.is_vault:
        compact(database)
    if as_json:
        emit_json(result)
        return
    click.echo(
        f"{code} destroyed. Only an audit entry remains. Older backups still hold it until they are rotated."
    )
    click.echo(f"Coalition: {result.coalition_message}")
    if result.coalition == "pending":
        click.echo(
            "Run 'trpkit coalition export' and send the package to the coalition: it erases those records "
            "when it imports the package."
        )
