"""trpkit backup, trpkit restore: an encrypted, checked backup, and restoring one into a new vault."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import click

from trpkit.commands._common import AppContext, emit_json, json_option, pass_app
from trpkit.errors import UsageError


def _stage_printer() -> Callable[[str, int, int], None]:
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
