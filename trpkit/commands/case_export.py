"""trpkit case export CODE: everything the vault holds about a person, for their access request."""

from __future__ import annotations

from pathlib import Path

import click

from trpkit.commands._common import AppContext, emit_json, json_option, pass_app


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
