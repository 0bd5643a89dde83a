"""trpkit audit show|verify."""

from __future__ import annotations

import click

from trpkit.commands._common import AppContext, emit_json, json_option, pass_app, table


@click.group("audit")
def audit_group() -> None:
    """The audit log of who opened, changed or exported what."""


@audit_group.command("show")
@click.option("--case", "case_code", help="Only entries about this case.")
@click.option("--user", "username", help="Only entries by this user.")
@click.option("--action", help="Only this action (e.g. case.read).")
@click.option("--limit", default=200, show_default=True)
@json_option
@pass_app
def audit_show(
    app: AppContext,
    case_code: str | None,
    username: str | None,
    action: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Show recent audit entries, newest first (supervisors and administrators: everyone's; others: their own)."""
    from trpkit.services import audit

    with app.session() as session:
        rows = audit.show(
            session, app.actor(session), case_code=case_code, username=username, action=action, limit=limit
        )
    if as_json:
        emit_json(rows)
    else:
        table(
            [
                [
                    str(r.id),
                    r.at.strftime("%Y-%m-%d %H:%M:%S"),
                    r.username,
                    r.action,
                    r.case_code or "",
                    ", ".join(f"{k}={v}" for k, v in r.detail.items()),
                ]
                for r in rows
            ],
            ["#", "when (UTC)", "user", "action", "case", "detail"],
        )


@audit_group.command("verify")
@click.option(
    "--expect-head",
    metavar="HASH",
    help="A head hash printed by an earlier verify: it must still be in "
    "the chain (this also catches entries removed from the end).",
)
@json_option
@pass_app
def audit_verify(app: AppContext, expect_head: str | None, as_json: bool) -> None:
    """Check the hash chain: detects any edited, removed or reordered entry. Exit 1 if damaged.

    On a vault or server with accounts, sign in first (like any other command)."""
    from trpkit.services import audit
    from trpkit.services.users import count_users

    with app.session() as session:
        if count_users(session):
            app.actor(session)  # who verified is known (and an outsider learns nothing)
        report = audit.verify(session, expect_head=expect_head.strip().lower() if expect_head else None)
    if as_json:
        emit_json(report)
    elif report.ok:
        click.echo(f"Audit log intact: {report.entries} entries. Head: {report.head_hash}")
    else:
        where = f" at entry {report.first_bad_id}" if report.first_bad_id else ""
        click.echo(f"Audit log damaged{where}: {report.problem}.", err=True)
    if not report.ok:
        raise SystemExit(1)
