"""trpkit backup, restore, retention, case export (a person's access request) and consent override."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from trpkit.commands._common import AppContext, emit_json, json_option, pass_app, table
from trpkit.errors import UsageError


def _stage_printer():  # type: ignore[no-untyped-def]
    """Progress for long work: one line per stage on stderr, then percentages when it is a terminal."""
    seen: dict[str, int] = {}
    tty = sys.stderr.isatty()

    def progress(stage: str, done: int, total: int) -> None:
        percent = int(100 * done / total) if total else 100
        if stage not in seen:
            seen[stage] = -1
            click.echo(f"{stage.capitalize()}…", err=True)
        if tty and percent != seen[stage]:
            seen[stage] = percent
            click.echo(f"\r  {percent:3d}%", err=True, nl=percent >= 100)

    return progress


def _backup_passphrase(is_vault: bool) -> str:
    from trpkit.domain.passphrase import assess_passphrase

    value = os.environ.get("TRPKIT_BACKUP_PASSPHRASE")
    if value is None and sys.stdin.isatty():
        value = click.prompt(
            "Backup passphrase (needed to restore; keep it apart from the backup)",
            hide_input=True,
            confirmation_prompt="Type it again",
        )
    if value is None and is_vault:
        value = os.environ.get("TRPKIT_PASSPHRASE")  # scripts: the backup opens with the vault passphrase
    if not value:
        raise UsageError(
            "No backup passphrase: set TRPKIT_BACKUP_PASSPHRASE when running without a terminal."
        )
    report = assess_passphrase(value)
    if not report.acceptable:
        raise UsageError("Backup passphrase too weak: " + "; ".join(report.problems) + ".")
    return str(value)


@click.command("backup")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The backup file to write (must not exist yet).",
)
@json_option
@pass_app
def backup_command(app: AppContext, output: Path, as_json: bool) -> None:
    """Write an encrypted, integrity-checked backup of the vault or server.

    The backup is protected by a backup passphrase (prompted; scripts: TRPKIT_BACKUP_PASSPHRASE, or the
    vault's TRPKIT_PASSPHRASE). Restore it with 'trpkit restore FILE'. Keep backups on another device.
    """
    from trpkit.services.backup import create_backup

    database = app.database()
    with app.session() as session:
        actor = app.actor(session)
    passphrase = _backup_passphrase(database.target.is_vault)
    info = create_backup(database, actor, output, passphrase, progress=None if as_json else _stage_printer())
    if as_json:
        emit_json(info)
    else:
        click.echo(
            f"Backup written: {info.path} ({info.cases} cases, {info.vault_bytes:,} bytes, "
            f"SHA-256 {info.sha256[:16]}…). Check it with: trpkit restore {info.path} --verify-only"
        )


@click.command("restore")
@click.argument("backup_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--to",
    "target",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The NEW vault file to create (default: --vault / your default vault, if none exists yet).",
)
@click.option(
    "--verify-only", is_flag=True, help="Only check that the backup is complete and opens; restore nothing."
)
@json_option
@pass_app
def restore_command(
    app: AppContext, backup_file: Path, target: Path | None, verify_only: bool, as_json: bool
) -> None:
    """Restore a backup into a new vault, after checking it completely. Never overwrites a file.

    The restored vault opens with the backup passphrase (scripts: TRPKIT_BACKUP_PASSPHRASE, else
    TRPKIT_PASSPHRASE); change it afterwards with 'trpkit passphrase change'.
    """
    from trpkit.services.backup import restore_backup, verify_backup

    passphrase = os.environ.get("TRPKIT_BACKUP_PASSPHRASE") or os.environ.get("TRPKIT_PASSPHRASE")
    if passphrase is None:
        if not sys.stdin.isatty():
            raise UsageError(
                "No backup passphrase: set TRPKIT_BACKUP_PASSPHRASE when running without a terminal."
            )
        passphrase = str(click.prompt("Backup passphrase", hide_input=True))
    progress = None if as_json else _stage_printer()
    if verify_only:
        report = verify_backup(backup_file, passphrase, progress=progress)
    else:
        if target is None:
            default = app.settings.target
            if not default.is_vault or default.vault_path is None or default.vault_path.exists():
                raise UsageError(
                    "Say where to restore: --to NEW_VAULT_PATH (an existing vault is never replaced)."
                )
            target = default.vault_path
        report = restore_backup(backup_file, target, passphrase, progress=progress)
    if as_json:
        emit_json(report)
        return
    info = report.info
    click.echo(
        f"Backup of {info.created_at:%Y-%m-%d %H:%M} UTC ({info.kind}): {info.cases} cases, "
        f"{info.audit_entries} audit entries; integrity {report.integrity}; audit chain "
        + ("intact." if report.audit_ok else f"DAMAGED ({report.audit_problem}).")
    )
    if verify_only:
        click.echo("The backup is complete and opens. Nothing was restored.")
    else:
        click.echo(f"Restored into {report.vault_path}. Open it with: trpkit --vault {report.vault_path}")
        if report.schema_state == "outdated":
            click.echo("It was made by an older trpkit: run 'trpkit --vault ... db upgrade' before use.")


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

    app: AppContext = ctx.find_object(AppContext)
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


@click.command("export")
@click.argument("code")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="New folder to write (default: ./CASE-export).",
)
@json_option
@pass_app
def case_export(app: AppContext, code: str, output: Path | None, as_json: bool) -> None:
    """Everything held about the person, in readable form (their access request). Logged.

    Writes case-file.txt, case-file.json and attachments/ into a new folder. The folder is NOT
    encrypted: give it to the person safely, then delete it.
    """
    from trpkit.services.subject_access import export_case

    folder = output or Path(f"{code.strip().upper()}-export")
    with app.session() as session:
        report = export_case(session, app.actor(session), code, folder)
    if as_json:
        emit_json(report)
        return
    click.echo(
        f"Exported {report.case_code}: {sum(report.rows.values())} records, {len(report.attachments)} "
        f"attachments, {report.access_log_entries} access-log entries -> {report.folder}"
    )
    click.echo("This folder is not encrypted: hand it over safely and delete it afterwards.", err=True)


@click.command("override")
@click.argument("code")
@click.option(
    "--purpose",
    required=True,
    help="prepare_file, submit_to_ircc, coalition_sharing, law_enforcement, ngo_contact or quote_own_words.",
)
@click.option("--decision", required=True, type=click.Choice(["given", "refused", "withdrawn"]))
@click.option(
    "--reason", required=True, help="Why you decide instead of the person (at least 15 characters)."
)
@pass_app
def consent_override_command(app: AppContext, code: str, purpose: str, decision: str, reason: str) -> None:
    """Record a consent decision on a supervisor's authority, with a mandatory reason (logged)."""
    from trpkit.services.consent_override import override_consent

    with app.session() as session:
        state = override_consent(
            session, app.actor(session), code, purpose=purpose, decision=decision, reason=reason
        )
    click.echo(f"{code.strip().upper()}: '{state.label}' is now {state.state} (supervisor override, logged).")
