"""trpkit evidence add|list|edit|attach|get|remove|renumber|export: the evidence register."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from trpkit.commands._common import AppContext, emit_json, json_option, pass_app, table
from trpkit.errors import UsageError


def _numbers(text: str, what: str) -> list[int]:
    try:
        return [int(part) for part in text.replace(" ", "").split(",") if part]
    except ValueError:
        raise UsageError(f"{what} takes numbers separated by commas, e.g. 3,4") from None


@click.group("evidence")
def evidence_group() -> None:
    """The evidence register: numbered exhibits and files kept inside the vault."""


@evidence_group.command("add")
@click.argument("code")
@click.option(
    "--type",
    "kind",
    required=True,
    help="account, document, contract, pay_record, message_or_photo, medical_report, "
    "police_or_inspection_report, third_party_letter or other.",
)
@click.option("--description", required=True, help="What it is and what it shows.")
@click.option(
    "--date", "date_text", default="", help="When, as precisely as known ('March 2024', 'summer 2023')."
)
@click.option("--source", default="", help="Who or where it comes from.")
@click.option(
    "--how-obtained", default="", help="How it was obtained (given by the person, requested from ...)."
)
@click.option(
    "--entries", default="", help="For the person's account: narrative entry numbers it rests on (3,4)."
)
@json_option
@pass_app
def evidence_add(
    app: AppContext,
    code: str,
    kind: str,
    description: str,
    date_text: str,
    source: str,
    how_obtained: str,
    entries: str,
    as_json: bool,
) -> None:
    """Register an evidence item; prints its exhibit number."""
    from trpkit.services.evidence import add_evidence

    with app.session() as session:
        row = add_evidence(
            session,
            app.actor(session),
            code,
            type=kind,
            description=description,
            date_text=date_text,
            source=source,
            how_obtained=how_obtained,
            narrative_entry_ids=_numbers(entries, "--entries"),
        )
    if as_json:
        emit_json(row)
    else:
        click.echo(f"exhibit {row.exhibit_number}")


@evidence_group.command("list")
@click.argument("code")
@json_option
@pass_app
def evidence_list(app: AppContext, code: str, as_json: bool) -> None:
    """The exhibits of a case (this read is logged)."""
    from trpkit.services.evidence import list_evidence

    with app.session() as session:
        rows = list_evidence(session, app.actor(session), code)
    if as_json:
        emit_json(rows)
        return
    table(
        [
            [
                str(r.exhibit_number),
                r.type_label,
                r.date.original if r.date else "-",
                r.description[:50],
                str(len(r.attachments)),
                ",".join(r.indicator_ids) or "-",
            ]
            for r in rows
        ],
        ["exhibit", "type", "date", "description", "files", "indicators"],
    )


@evidence_group.command("edit")
@click.argument("code")
@click.argument("exhibit", type=int)
@click.option("--type", "kind", help="A new evidence type.")
@click.option("--description")
@click.option("--date", "date_text", help="A new date, as precisely as known.")
@click.option("--source")
@click.option("--how-obtained")
@click.option(
    "--entries", help="For the person's account: the narrative entry numbers it rests on ('' for none)."
)
@click.option("--expected-version", type=int, help="Refuse if the exhibit changed since this version.")
@json_option
@pass_app
def evidence_edit(
    app: AppContext,
    code: str,
    exhibit: int,
    kind: str | None,
    description: str | None,
    date_text: str | None,
    source: str | None,
    how_obtained: str | None,
    entries: str | None,
    expected_version: int | None,
    as_json: bool,
) -> None:
    """Change an exhibit's type, description, date, source or how it was obtained."""
    from trpkit.services.evidence import update_evidence

    changes: dict[str, Any] = {
        k: v
        for k, v in {
            "type": kind,
            "description": description,
            "date_text": date_text,
            "source": source,
            "how_obtained": how_obtained,
        }.items()
        if v is not None
    }
    if not changes and entries is None:
        raise UsageError(
            "nothing to change: give --type, --description, --date, --source, --how-obtained or --entries"
        )
    with app.session() as session:
        row = update_evidence(
            session,
            app.actor(session),
            code,
            exhibit,
            expected_version=expected_version,
            narrative_entry_ids=None if entries is None else _numbers(entries, "--entries"),
            **changes,
        )
    if as_json:
        emit_json(row)
    else:
        click.echo(f"exhibit {row.exhibit_number} saved (version {row.version})")


@evidence_group.command("attach")
@click.argument("code")
@click.argument("exhibit", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name", help="Name to store (default: the file's name).")
@click.option("--media-type", help="e.g. application/pdf (default: guessed from the name).")
@json_option
@pass_app
def evidence_attach(
    app: AppContext,
    code: str,
    exhibit: int,
    file: Path,
    name: str | None,
    media_type: str | None,
    as_json: bool,
) -> None:
    """Copy a file INTO the vault, attached to an exhibit. You may then delete the original."""
    from trpkit.services.evidence_files import attach_file

    data = file.read_bytes()
    with app.session() as session:
        info = attach_file(session, app.actor(session), code, exhibit, name or file.name, data, media_type)
    if as_json:
        emit_json(info)
    else:
        click.echo(f"attachment {info.id}: {info.name} ({info.size} bytes, sha256 {info.sha256[:16]}…)")


@evidence_group.command("get")
@click.argument("code")
@click.argument("attachment_id", type=int)
@click.option(
    "--output",
    "output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the file (must not exist).",
)
@pass_app
def evidence_get(app: AppContext, code: str, attachment_id: int, output: Path) -> None:
    """Write one attachment out of the vault (this is logged)."""
    from trpkit.services.evidence_files import attachment_bytes

    if output.exists():
        raise UsageError(f"{output} exists: choose a new file name")
    with app.session() as session:
        info, data = attachment_bytes(session, app.actor(session), code, attachment_id)
    output.write_bytes(data)
    click.echo(f"{output} ({info.size} bytes)")


@evidence_group.command("remove")
@click.argument("code")
@click.argument("exhibit", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--expected-version", type=int, help="Refuse if the exhibit changed since this version.")
@pass_app
def evidence_remove(
    app: AppContext, code: str, exhibit: int, yes: bool, expected_version: int | None
) -> None:
    """Remove an exhibit, its files and the indicator links resting on it."""
    from trpkit.services.evidence import delete_evidence

    if not yes:
        click.confirm(f"Remove exhibit {exhibit} of {code}, its files and its indicator links?", abort=True)
    with app.session() as session:
        delete_evidence(session, app.actor(session), code, exhibit, expected_version=expected_version)
    click.echo(f"exhibit {exhibit} removed")


@evidence_group.command("renumber")
@click.argument("code")
@pass_app
def evidence_renumber(app: AppContext, code: str) -> None:
    """Number the exhibits 1..n in date order (undated ones last)."""
    from trpkit.services.evidence import renumber_exhibits

    with app.session() as session:
        rows = renumber_exhibits(session, app.actor(session), code)
    click.echo(f"{len(rows)} exhibits renumbered")


@evidence_group.command("export")
@click.argument("code")
@click.argument("directory", type=click.Path(file_okay=True, path_type=Path))
@json_option
@pass_app
def evidence_export(app: AppContext, code: str, directory: Path, as_json: bool) -> None:
    """Write every attachment, named by exhibit, into a new folder (needs consent to submit)."""
    from trpkit.services.evidence_files import export_evidence

    with app.session() as session:
        result = export_evidence(session, app.actor(session), code, directory)
    if as_json:
        emit_json(result)
    else:
        click.echo(f"{len(result.files)} file(s) written to {result.directory}")
