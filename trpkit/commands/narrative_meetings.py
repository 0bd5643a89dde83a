"""trpkit narrative meeting | meeting-edit | meetings: the meetings where the person told their story."""

from __future__ import annotations

from typing import Any

import click

from trpkit.commands._common import (
    AppContext,
    emit_json,
    json_option,
    parse_date_option,
    pass_app,
    shorten,
    table,
)
from trpkit.errors import UsageError


@click.command("meeting")
@click.argument("code")
@click.option("--date", "held_on", required=True, help="Day of the meeting (YYYY-MM-DD).")
@click.option("--place", default="", help="Where it took place.")
@click.option("--present", default="", help="Comma-separated: who was present.")
@click.option(
    "--language", default="", help="Language used, by name (Spanish, espagnol) or ISO 639 code (es)."
)
@click.option("--interpreter", default="", help="Interpreter's name, if any.")
@click.option("--duration", type=int, help="Length in minutes.")
@click.option("--wellbeing", default="", help="Notes on the person's wellbeing (e.g. 'asked to stop early').")
@json_option
@pass_app
def meeting_add(
    app: AppContext,
    code: str,
    held_on: str,
    place: str,
    present: str,
    language: str,
    interpreter: str,
    duration: int | None,
    wellbeing: str,
    as_json: bool,
) -> None:
    """Record a meeting with the person. Prints its ID."""
    from trpkit.services.narrative_meetings import add_meeting

    day = parse_date_option(held_on, "--date")
    assert day is not None
    with app.session() as session:
        row = add_meeting(
            session,
            app.actor(session),
            code,
            held_on=day,
            place=place,
            present=list(present.split(",")),
            language=language,
            interpreter=interpreter,
            duration_minutes=duration,
            wellbeing_notes=wellbeing,
        )
    if as_json:
        emit_json(row)
    else:
        click.echo(f"meeting {row.id} ({row.held_on})")


@click.command("meeting-edit")
@click.argument("code")
@click.argument("meeting_id", type=int)
@click.option("--date", "held_on", help="YYYY-MM-DD")
@click.option("--place")
@click.option("--present", help="Comma-separated: who was present.")
@click.option("--language")
@click.option("--interpreter")
@click.option("--duration", type=int, help="Length in minutes.")
@click.option("--wellbeing", help="Notes on the person's wellbeing.")
@click.option("--expected-version", type=int, help="Refuse if the meeting changed since this version.")
@json_option
@pass_app
def meeting_edit(
    app: AppContext,
    code: str,
    meeting_id: int,
    held_on: str | None,
    place: str | None,
    present: str | None,
    language: str | None,
    interpreter: str | None,
    duration: int | None,
    wellbeing: str | None,
    expected_version: int | None,
    as_json: bool,
) -> None:
    """Change a meeting's details (e.g. add a note that the person asked to stop early)."""
    from trpkit.services.narrative_meetings import update_meeting

    values: dict[str, Any] = {
        k: v
        for k, v in (
            ("place", place),
            ("language", language),
            ("interpreter", interpreter),
            ("duration_minutes", duration),
            ("wellbeing_notes", wellbeing),
        )
        if v is not None
    }
    if held_on is not None:
        values["held_on"] = parse_date_option(held_on, "--date")
    if present is not None:
        values["present"] = [p.strip() for p in present.split(",") if p.strip()]
    if not values:
        raise UsageError(
            "Nothing to change: give --date, --place, --present, --language, --interpreter, "
            "--duration or --wellbeing."
        )
    with app.session() as session:
        row = update_meeting(
            session, app.actor(session), code, meeting_id, expected_version=expected_version, **values
        )
    if as_json:
        emit_json(row)
    else:
        click.echo(f"meeting {row.id} saved (version {row.version})")


@click.command("meetings")
@click.argument("code")
@json_option
@pass_app
def meetings_list(app: AppContext, code: str, as_json: bool) -> None:
    """List the meetings of a case."""
    from trpkit.services.narrative_meetings import list_meetings

    with app.session() as session:
        rows = list_meetings(session, app.actor(session), code)
    if as_json:
        emit_json(rows)
        return
    table(
        [
            [
                str(r.id),
                r.held_on.isoformat(),
                r.place,
                r.language,
                r.interpreter,
                f"{r.duration_minutes} min" if r.duration_minutes is not None else "",
                str(r.entry_count),
                shorten(r.wellbeing_notes, 30),
            ]
            for r in rows
        ],
        ["id", "date", "place", "lang", "interpreter", "length", "entries", "wellbeing"],
    )
