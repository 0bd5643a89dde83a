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
def audit_show(app: AppContext, case_code: str | None, username: str | None, action: str | None, limit: int,
               as_json: bool) -> None:
    """Show recent audit entries, newest first."""
    from trpkit.errors import AccessDenied
    from trpkit.services import audit

    with app.session() as session:
        actor = app.actor(session)
        if actor.role.value not in ("supervisor", "admin") and username != actor.username:
            raise AccessDenied("Only supervisors and administrators see others' audit entries; use --user YOURNAME.")
        rows = audit.entries(session, case_code=case_code.upper() if case_code else None, username=username,
                             action=action, limit=limit)
    if as_json:
        emit_json(rows)
    else:
        table([[str(r.id), r.at.strftime("%Y-%m-%d %H:%M:%S"), r.username, r.action, r.case_code or "",
                ", ".join(f"{k}={v}" for k, v in r.detail.items())] for r in rows],
              ["#", "when (UTC)", "user", "action", "case", "detail"])


@audit_group.command("verify")
@json_option
@pass_app
def audit_verify(app: AppContext, as_json: bool) -> None:
    """Check the hash chain: detects any edited, removed or reordered entry."""
    from trpkit.services import audit

    with app.session() as session:
        report = audit.verify(session)
    if as_json:
        emit_json(report)
    elif report.ok:
        click.echo(f"Audit log intact: {report.entries} entries.")
    else:
        click.echo(f"Audit log damaged at entry {report.first_bad_id}: {report.problem}.", err=True)
    if not report.ok:
        raise SystemExit(1)
