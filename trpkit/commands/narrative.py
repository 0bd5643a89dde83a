"""trpkit narrative add|list|show|edit|history|restore: the person's own words and your summaries.

Meetings are ``narrative_meetings``, removing and restoring them ``narrative_removal``.
"""

from __future__ import annotations

import sys
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


def _read_text(value: str | None) -> str:
    if value == "-" or (value is None and not sys.stdin.isatty()):
        return sys.stdin.read()
    if value is None:
        raise UsageError("Give the text as an argument, or '-' to read it from standard input.")
    return value


@click.group("narrative")
def narrative_group() -> None:
    """The person's story: meetings, their own words and your summaries, with every version kept."""


@narrative_group.command("add")
@click.argument("code")
@click.argument("text", required=False)
@click.option("--meeting", "meeting_id", type=int, help="Meeting ID (see 'trpkit narrative meetings').")
@click.option(
    "--date", "held_on", help="Or: the meeting's date (YYYY-MM-DD); a meeting is created if needed."
)
@click.option("--summary", "kind", flag_value="summary", help="Your summary of what the person said.")
@click.option(
    "--own-words",
    "kind",
    flag_value="own_words",
    default=True,
    help="The person's own words, verbatim, in their language (the default).",
)
@click.option(
    "--language", default="", help="Language of the text, by name or code (defaults to the meeting's)."
)
@click.option("--translation", default="", help="A translation of the text.")
@click.option("--translated-by", default="", help="Who translated it.")
@json_option
@pass_app
def entry_add(
    app: AppContext,
    code: str,
    text: str | None,
    meeting_id: int | None,
    held_on: str | None,
    kind: str,
    language: str,
    translation: str,
    translated_by: str,
    as_json: bool,
) -> None:
    """Add an entry (TEXT, or '-' to read standard input). Prints its ID."""
    from trpkit.services.narrative import add_entry
    from trpkit.services.narrative_meetings import find_or_add_meeting

    body = _read_text(text)
    if meeting_id is None and not held_on:
        raise UsageError("Say which meeting: --meeting ID or --date YYYY-MM-DD.")
    with app.session() as session:
        actor = app.actor(session)
        if meeting_id is None:
            day = parse_date_option(held_on, "--date")
            assert day is not None
            meeting_id = find_or_add_meeting(session, actor, code, day, language=language).id
        row = add_entry(
            session,
            actor,
            code,
            meeting_id,
            body,
            kind=kind,
            language=language,
            translation=translation,
            translated_by=translated_by,
        )
    if as_json:
        emit_json(row)
    else:
        click.echo(f"entry {row.id} (version {row.version})")


@narrative_group.command("list")
@click.argument("code")
@json_option
@pass_app
def entry_list(app: AppContext, code: str, as_json: bool) -> None:
    """List the entries in the order they were told (reading them is logged)."""
    from trpkit.services.narrative import KIND_LABELS, list_entries

    with app.session() as session:
        rows = list_entries(session, app.actor(session), code)
    if as_json:
        emit_json(rows)
        return
    table(
        [
            [
                str(r.id),
                r.meeting_date.isoformat(),
                KIND_LABELS[r.kind],
                r.language,
                f"v{r.version}",
                shorten(r.text),
            ]
            for r in rows
        ],
        ["id", "told on", "kind", "lang", "ver", "text"],
    )


def _print_entry(row: Any) -> None:
    from trpkit.services.narrative import KIND_LABELS

    click.echo(
        f"entry {row.id} — {KIND_LABELS[row.kind]}, {row.language or 'language not set'}, "
        f"told {row.meeting_date} (meeting {row.meeting_id}), version {row.version}"
    )
    click.echo("")
    click.echo(row.text)
    if row.translation:
        click.echo("")
        click.echo(f"Translation{' by ' + row.translated_by if row.translated_by else ''}:")
        click.echo(row.translation)


@narrative_group.command("show")
@click.argument("code")
@click.argument("entry_id", type=int)
@json_option
@pass_app
def entry_show(app: AppContext, code: str, entry_id: int, as_json: bool) -> None:
    """Show one entry in full."""
    from trpkit.services.narrative import get_entry

    with app.session() as session:
        row = get_entry(session, app.actor(session), code, entry_id)
    if as_json:
        emit_json(row)
    else:
        _print_entry(row)


@narrative_group.command("edit")
@click.argument("code")
@click.argument("entry_id", type=int)
@click.option("--text", "new_text", help="The new text ('-' reads standard input).")
@click.option("--kind", type=click.Choice(["own_words", "summary"]))
@click.option("--language")
@click.option("--translation")
@click.option("--translated-by")
@click.option(
    "--expected-version",
    type=int,
    required=True,
    help="The version you started from: the save is refused if someone saved a newer one.",
)
@json_option
@pass_app
def entry_edit(
    app: AppContext,
    code: str,
    entry_id: int,
    new_text: str | None,
    kind: str | None,
    language: str | None,
    translation: str | None,
    translated_by: str | None,
    expected_version: int,
    as_json: bool,
) -> None:
    """Change an entry (the previous version stays in its history)."""
    from trpkit.services.narrative import EntryConflict, update_entry

    values: dict[str, Any] = {}
    if new_text is not None:
        values["text"] = _read_text(new_text)
    for key, value in (
        ("kind", kind),
        ("language", language),
        ("translation", translation),
        ("translated_by", translated_by),
    ):
        if value is not None:
            values[key] = value
    if not values:
        raise UsageError(
            "Nothing to change: give --text, --kind, --language, --translation or --translated-by."
        )
    try:
        with app.session() as session:
            row = update_entry(
                session, app.actor(session), code, entry_id, expected_version=expected_version, **values
            )
    except EntryConflict as conflict:
        if as_json:
            emit_json({"conflict": True, "theirs": conflict.theirs, "mine": conflict.mine})
        else:
            click.echo("Someone saved a newer version. Theirs:", err=True)
            click.echo(conflict.theirs.text, err=True)
        raise
    if as_json:
        emit_json(row)
    else:
        click.echo(f"entry {row.id} saved (version {row.version})")


@narrative_group.command("history")
@click.argument("code")
@click.argument("entry_id", type=int)
@click.option("--full", is_flag=True, help="Print every version in full.")
@json_option
@pass_app
def entry_history(app: AppContext, code: str, entry_id: int, full: bool, as_json: bool) -> None:
    """Every saved version of an entry, newest first."""
    from trpkit.services.narrative_history import entry_history as history

    with app.session() as session:
        rows = history(session, app.actor(session), code, entry_id)
    if as_json:
        emit_json(rows)
        return
    if full:
        for r in rows:
            click.echo(
                f"--- version {r.version} ({r.action}) by {r.saved_by}, {r.saved_at:%Y-%m-%d %H:%M} UTC"
            )
            click.echo(r.text)
        return
    table(
        [
            [f"v{r.version}", r.action, r.saved_by, f"{r.saved_at:%Y-%m-%d %H:%M}", shorten(r.text, 50)]
            for r in rows
        ],
        ["ver", "action", "by", "saved (UTC)", "text"],
    )


@narrative_group.command("restore")
@click.argument("code")
@click.argument("entry_id", type=int)
@click.argument("version", type=int)
@pass_app
def entry_restore(app: AppContext, code: str, entry_id: int, version: int) -> None:
    """Make an old version current again (saved as a new version; nothing is lost)."""
    from trpkit.services.narrative_history import restore_revision

    with app.session() as session:
        row = restore_revision(session, app.actor(session), code, entry_id, version)
    click.echo(f"entry {row.id}: version {version} restored as version {row.version}")


def _add_meeting_commands() -> None:
    # Meetings, and removing a meeting and restoring what was removed, live in their own modules.
    from trpkit.commands.narrative_meetings import meeting_add, meeting_edit, meetings_list
    from trpkit.commands.narrative_removal import meeting_remove, removed_list, restore_removed_command

    for command in (
        meeting_add,
        meeting_edit,
        meetings_list,
        meeting_remove,
        removed_list,
        restore_removed_command,
    ):
        narrative_group.add_command(command)


_add_meeting_commands()
