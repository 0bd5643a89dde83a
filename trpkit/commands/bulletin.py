"""trpkit bulletin: the incident bulletin (Word or Markdown), received and own incidents."""

from __future__ import annotations

from pathlib import Path

import click

from trpkit.commands._common import AppContext, emit_json, json_option, parse_date_option, pass_app
from trpkit.errors import UsageError


@click.command("bulletin")
@click.option("--since", help="Incidents that may have happened on or after this date (YYYY-MM-DD).")
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(["docx", "md"]), default=None, help="Default: from the file name."
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="bulletin.docx or bulletin.md."
)
@json_option
@pass_app
def bulletin_command(
    app: AppContext, since: str | None, lang: str, fmt: str | None, output: Path | None, as_json: bool
) -> None:
    """The incident bulletin: received and own incidents, by region and sector, newest first."""
    from trpkit.documents.bulletin import write_docx, write_markdown
    from trpkit.services.incident_bulletin import bulletin_input

    fmt = fmt or ("md" if output is None or output.suffix.lower() == ".md" else "docx")
    with app.session() as session:
        data = bulletin_input(
            session, app.actor(session), since=parse_date_option(since, "--since"), language=lang
        )
    if as_json:
        emit_json(data)
        return
    if fmt == "docx":
        if output is None:
            raise UsageError("A Word bulletin needs a file: -o bulletin.docx (or --format md for text).")
        write_docx(data, output)
        click.echo(f"{output}: {len(data.incidents)} incident(s)")
        return
    text = write_markdown(data)
    if output is None:
        click.echo(text)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{output}: {len(data.incidents)} incident(s)")
