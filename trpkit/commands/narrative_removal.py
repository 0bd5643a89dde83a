"""trpkit narrative meeting-remove | removed | restore-removed: remove a meeting (saying what happens to its
entries) and bring a removed one back."""

from __future__ import annotations

import click

from trpkit.commands._common import AppContext, emit_json, json_option, pass_app, table


@click.command("meeting-remove")
@click.argument("code")
@click.argument("meeting_id", type=int)
@click.option("--move-to", type=int, help="Move the meeting's entries to this other meeting first.")
@click.option("--with-entries", is_flag=True, help="Remove the meeting's entries with it (restorable).")
@click.option("--expected-version", type=int, help="Refuse if the meeting changed since this version.")
@pass_app
def meeting_remove(
    app: AppContext,
    code: str,
    meeting_id: int,
    move_to: int | None,
    with_entries: bool,
    expected_version: int | None,
) -> None:
    """Remove a meeting. One that holds entries needs --move-to MEETING or --with-entries."""
    from trpkit.errors import UsageError
    from trpkit.services.narrative_removal import remove_meeting

    if move_to is not None and with_entries:
        raise UsageError("Choose one: --move-to MEETING keeps the entries, --with-entries removes them.")
    entries = "move" if move_to is not None else "remove" if with_entries else "refuse"
    with app.session() as session:
        said = remove_meeting(
            session,
            app.actor(session),
            code,
            meeting_id,
            entries=entries,  # type: ignore[arg-type]
            move_to=move_to,
            expected_version=expected_version,
        )
    click.echo(said)


@click.command("removed")
@click.argument("code")
@json_option
@pass_app
def removed_list(app: AppContext, code: str, as_json: bool) -> None:
    """What was removed from the case's narrative, newest first (restore with restore-removed)."""
    from trpkit.services.narrative_removal import list_removed

    with app.session() as session:
        rows = list_removed(session, app.actor(session), code)
    if as_json:
        emit_json(rows)
        return
    table(
        [
            [
                str(r.id),
                r.label,
                r.removed_by,
                f"{r.removed_at:%Y-%m-%d %H:%M}",
                f"restored {r.restored_at:%Y-%m-%d}" if r.restored_at else "",
            ]
            for r in rows
        ],
        ["number", "what", "removed by", "when (UTC)", ""],
    )


@click.command("restore-removed")
@click.argument("code")
@click.argument("number", type=int)
@pass_app
def restore_removed_command(app: AppContext, code: str, number: int) -> None:
    """Put a removed meeting back, with its entries and their history (see 'trpkit narrative removed')."""
    from trpkit.services.narrative_removal import restore_removed

    with app.session() as session:
        row = restore_removed(session, app.actor(session), code, number)
    click.echo(f"Restored: meeting {row.id} of {row.held_on} with {row.entry_count} entries.")
