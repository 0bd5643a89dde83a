"""The trpkit command line. Bare ``trpkit`` opens the TUI; every capability is also a command.

Subcommands live in ``trpkit.commands.*`` and are imported only when called, so ``trpkit --help``
stays fast. Errors print one line (never a traceback) and exit non-zero.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from trpkit import __version__

# name -> "module:attribute". Add one line per command group.
COMMANDS: dict[str, str] = {
    "init": "trpkit.commands.vault:init_command",
    "passphrase": "trpkit.commands.vault:passphrase_group",
    "db": "trpkit.commands.vault:db_group",
    "user": "trpkit.commands.users:user_group",
    "case": "trpkit.commands.cases:case_group",
    "consent": "trpkit.commands.consent:consent_group",
    "audit": "trpkit.commands.audit:audit_group",
    "demo": "trpkit.commands.demo:demo_command",
    "coalition": "trpkit.commands.coalition:coalition_group",
    "tui": "trpkit.commands.tui:tui_command",
    "narrative": "trpkit.commands.narrative:narrative_group",
    "timeline": "trpkit.commands.timeline:timeline_group",
    "search": "trpkit.commands.search:search_command",
    "dates": "trpkit.commands.dates:dates_group",
    "indicators": "trpkit.commands.indicators:indicators_group",
    "data": "trpkit.commands.data:data_group",
    "assess": "trpkit.commands.assess:assess_command",
    "evidence": "trpkit.commands.evidence:evidence_group",
    "application": "trpkit.commands.applications:application_group",
    "decision": "trpkit.commands.decisions:decision_group",
    "deadlines": "trpkit.commands.deadlines:deadlines_group",
    "clock": "trpkit.commands.clock:clock_group",
    "backup": "trpkit.commands.backup:backup_command",
    "restore": "trpkit.commands.backup:restore_command",
    "retention": "trpkit.commands.retention:retention_group",
    "draft": "trpkit.commands.draft:draft_command",
    "draft-notes": "trpkit.commands.draft_notes:draft_notes_command",
    "readiness": "trpkit.commands.readiness:readiness_command",
    "templates": "trpkit.commands.templates:templates_group",
    "checklist": "trpkit.commands.checklist:checklist_group",
    "drafts": "trpkit.commands.draft:drafts_command",
    "incident": "trpkit.commands.incidents:incident_group",
    "bulletin": "trpkit.commands.bulletin:bulletin_command",
    "org": "trpkit.commands.org:org_group",
    "translations": "trpkit.commands.translations:translations_group",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        return getattr(importlib.import_module(module_name), attribute)  # type: ignore[no-any-return]

    def invoke(self, ctx: click.Context) -> Any:
        from trpkit.errors import TrpkitError

        try:
            return super().invoke(ctx)
        except TrpkitError as exc:
            from trpkit.domain.terminal import for_terminal

            click.echo(f"Error: {for_terminal(exc)}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # The reader stopped early (e.g. '| head'): stop quietly, as Unix tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(0)
        except Exception as exc:  # last resort: one line, details only on request
            if os.environ.get("TRPKIT_DEBUG"):
                raise
            if type(getattr(exc, "orig", None)).__name__ == "InsufficientPrivilege":
                # PostgreSQL's row-level security or privileges refused the person's own login.
                click.echo(
                    "Error: the server refused this to your database login: your role does not allow it.",
                    err=True,
                )
                ctx.exit(5)
            refused = _login_refused(exc)
            if refused:
                click.echo(f"Error: {refused}", err=True)
                ctx.exit(5)
            click.echo(
                f"Error: unexpected {type(exc).__name__}: {exc} (set TRPKIT_DEBUG=1 for details)", err=True
            )
            ctx.exit(1)


def _login_refused(exc: Exception) -> str | None:
    """One line for a server that refused the login's password (or got none), instead of the driver's
    multi-line message."""
    if type(exc).__name__ != "OperationalError":
        return None
    message = str(getattr(exc, "orig", exc))
    if "password authentication failed" in message:
        return (
            "the database server refused the password of your login: check TRPKIT_PASSWORD or the login's "
            "line in ~/.pgpass (see docs/server-setup.md, section 4)."
        )
    if "no password supplied" in message:
        return (
            "the database server asks for your login's password: set TRPKIT_PASSWORD, or add the login's "
            "line to ~/.pgpass (see docs/server-setup.md, section 4)."
        )
    return None


@click.group(
    cls=LazyGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.option(
    "--vault",
    "vault",
    metavar="PATH",
    help="Encrypted vault file (default: your data folder; or TRPKIT_VAULT).",
)
@click.option(
    "--db", "db_url", metavar="URL", help="PostgreSQL URL instead of a vault (or TRPKIT_DATABASE_URL)."
)
@click.option(
    "--user",
    "user",
    metavar="NAME",
    help="Who you are, when several people share a database (or TRPKIT_USER).",
)
@click.version_option(__version__, "--version", prog_name="trpkit")
@click.pass_context
def cli(ctx: click.Context, vault: str | None, db_url: str | None, user: str | None) -> None:
    """trpkit: accompany survivors of trafficking through IRCC's Temporary Resident Permit process.

    Run 'trpkit' alone to open the app, 'trpkit demo' to try it on fictional cases,
    or 'trpkit init' to create your own encrypted vault.
    """
    from trpkit.commands._common import AppContext
    from trpkit.files import private_umask

    private_umask()  # everything written (exports, packages, drafts, keys) is readable by its owner only
    from trpkit.commands._safe_output import protect_stdout

    protect_stdout()  # names and notes printed by any command cannot drive the terminal
    from trpkit.loading.date_phrases import install

    install()  # the fuzzy-date parser reads checklists/date_phrases/ through the loading layer
    ctx.obj = AppContext(vault=vault, db_url=db_url, user=user)
    ctx.call_on_close(ctx.obj.close)  # fold a vault's write-ahead log back in, even after an error
    if ctx.invoked_subcommand is None:
        from trpkit.commands.tui import run_tui

        run_tui(ctx.obj)


def main() -> None:
    try:
        cli.main(prog_name="trpkit", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
