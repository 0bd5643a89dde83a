"""trpkit timeline show|add|edit|remove|link|suggest|accept|dismiss: the case chronology."""

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


@click.group("timeline")
def timeline_group() -> None:
    """The chronology: events with honest fuzzy dates, conflicts, gaps and date suggestions."""


@timeline_group.command("show")
@click.argument("code")
@click.option("--markdown", is_flag=True, help="Print a Markdown chronology with range bars.")
@click.option("--lang", "language", default="en", help="Language to write dates in (en, fr, es, pt).")
@json_option
@pass_app
def timeline_show(app: AppContext, code: str, markdown: bool, language: str, as_json: bool) -> None:
    """Show the chronology, ordered under uncertainty."""
    from trpkit.domain.fuzzy_dates import describe_interval, format_fuzzy
    from trpkit.domain.timeline import range_bar, span
    from trpkit.services.timeline_view import case_timeline, timeline_markdown

    with app.session() as session:
        tl = case_timeline(session, app.actor(session), code)
    if as_json:
        emit_json(tl)
        return
    if markdown:
        click.echo(timeline_markdown(tl, language), nl=False)
        return
    bounds = span(e.date for e in tl.events if e.date.is_parsed)
    gaps = {g.before_event_id: g for g in tl.gaps}
    rows = []
    for e in tl.events:
        if e.id in gaps:
            rows.append(["", f"— gap of {gaps[e.id].days} days —", "", "", ""])
        when = format_fuzzy(e.date, language) if e.date.is_parsed else f"? “{e.date.original}”"
        bar = range_bar(e.date, *bounds, width=20) if bounds else ""
        flag = "⚠ " + "; ".join(e.conflict_reasons) if e.conflict else ""
        rows.append(
            [
                str(e.id),
                when,
                e.type_label + (f": {shorten(e.title, 30)}" if e.title else ""),
                bar,
                flag or (describe_interval(e.date) if e.date.is_parsed else "date to fix"),
            ]
        )
    table(rows, ["id", "when", "event", "range", "notes"])
    if tl.suggestions:
        click.echo(
            f"\n{len(tl.suggestions)} date suggestion(s) waiting: trpkit timeline suggest {tl.case_code}"
        )


@timeline_group.command("add")
@click.argument("code")
@click.option(
    "--type",
    "event_type",
    required=True,
    help="recruitment, departure, travel, arrival_canada, "
    "start_work, change_employer, control_incident, violence, debt, documents_taken, escape, "
    "police_contact, ngo_meeting, medical_care, application, decision, other.",
)
@click.option(
    "--date", "date_text", required=True, help="As the person said it: 'spring 2019', 'hace dos años'."
)
@click.option("--lang", "language", default="en", help="Language of the date phrase.")
@click.option("--title", default="", help="Short description.")
@click.option("--place", default="")
@click.option(
    "--person",
    "people",
    multiple=True,
    metavar="ROLE=NAME",
    help="Someone involved: recruiter, employer, controller, co-worker or other (repeatable).",
)
@click.option(
    "--entry", "entry_ids", multiple=True, type=int, help="Narrative entry that supports it (repeatable)."
)
@click.option("--after", "after_event_id", type=int, help="An event this one certainly came after.")
@click.option("--told-on", help="Day the phrase was said (YYYY-MM-DD); default: the linked entry's meeting.")
@json_option
@pass_app
def timeline_add(
    app: AppContext,
    code: str,
    event_type: str,
    date_text: str,
    language: str,
    title: str,
    place: str,
    people: tuple[str, ...],
    entry_ids: tuple[int, ...],
    after_event_id: int | None,
    told_on: str | None,
    as_json: bool,
) -> None:
    """Add an event to the chronology. Prints its ID and how its date was read."""
    from trpkit.services.timeline import add_event, parse_people

    with app.session() as session:
        row = add_event(
            session,
            app.actor(session),
            code,
            event_type=event_type,
            date_text=date_text,
            language=language,
            title=title,
            place=place,
            people=parse_people(people),
            entry_ids=list(entry_ids),
            after_event_id=after_event_id,
            told_on=parse_date_option(told_on, "--told-on"),
        )
    if as_json:
        emit_json(row)
    elif row.date.is_parsed:
        click.echo(f"event {row.id}: {row.date_text}")
    else:
        click.echo(
            f"event {row.id}: date kept as said (“{row.date.original}”); fix it with "
            f"'trpkit timeline edit {code} {row.id} --date ...'"
        )


@timeline_group.command("edit")
@click.argument("code")
@click.argument("event_id", type=int)
@click.option("--type", "event_type")
@click.option("--date", "date_text")
@click.option("--lang", "language")
@click.option("--title")
@click.option("--place")
@click.option("--person", "people", multiple=True, metavar="ROLE=NAME", help="Replaces the people involved.")
@click.option("--after", "after_event_id", type=int)
@click.option("--expected-version", type=int)
@json_option
@pass_app
def timeline_edit(
    app: AppContext,
    code: str,
    event_id: int,
    event_type: str | None,
    date_text: str | None,
    language: str | None,
    title: str | None,
    place: str | None,
    people: tuple[str, ...],
    after_event_id: int | None,
    expected_version: int | None,
    as_json: bool,
) -> None:
    """Change an event (its date is read again)."""
    from trpkit.services.timeline import parse_people, update_event

    values: dict[str, Any] = {
        k: v
        for k, v in (
            ("event_type", event_type),
            ("date_text", date_text),
            ("language", language),
            ("title", title),
            ("place", place),
            ("after_event_id", after_event_id),
        )
        if v is not None
    }
    if people:
        values["people"] = parse_people(people)
    if not values:
        raise UsageError("Nothing to change.")
    with app.session() as session:
        row = update_event(
            session, app.actor(session), code, event_id, expected_version=expected_version, **values
        )
    if as_json:
        emit_json(row)
    else:
        click.echo(f"event {row.id}: {row.date_text} (version {row.version})")


@timeline_group.command("remove")
@click.argument("code")
@click.argument("event_id", type=int)
@pass_app
def timeline_remove(app: AppContext, code: str, event_id: int) -> None:
    """Remove an event from the chronology."""
    from trpkit.services.timeline import delete_event

    with app.session() as session:
        delete_event(session, app.actor(session), code, event_id)
    click.echo(f"event {event_id} removed")


@timeline_group.command("link")
@click.argument("code")
@click.argument("event_id", type=int)
@click.argument("entry_ids", type=int, nargs=-1, required=True)
@click.option("--unlink", is_flag=True, help="Remove the links instead.")
@pass_app
def timeline_link(
    app: AppContext, code: str, event_id: int, entry_ids: tuple[int, ...], unlink: bool
) -> None:
    """Link narrative entries that support an event."""
    from trpkit.services.timeline import link_entries

    with app.session() as session:
        row = link_entries(session, app.actor(session), code, event_id, list(entry_ids), unlink=unlink)
    click.echo(f"event {row.id}: entries {', '.join(map(str, row.linked_entry_ids)) or 'none'}")


@timeline_group.command("suggest")
@click.argument("code")
@json_option
@pass_app
def timeline_suggest(app: AppContext, code: str, as_json: bool) -> None:
    """Find dates in the narrative. Nothing is added until you accept a suggestion."""
    from trpkit.services.timeline_suggestions import suggest_dates

    with app.session() as session:
        rows = suggest_dates(session, app.actor(session), code)
    if as_json:
        emit_json(rows)
        return
    table(
        [[str(r.id), str(r.entry_id), r.phrase, r.date_text, shorten(r.context, 50)] for r in rows],
        ["id", "entry", "phrase", "read as", "context"],
    )
    if rows:
        click.echo(
            f"\nAccept: trpkit timeline accept {code.upper()} ID --type TYPE   Dismiss: trpkit timeline "
            f"dismiss {code.upper()} ID"
        )


@timeline_group.command("accept")
@click.argument("code")
@click.argument("suggestion_id", type=int)
@click.option("--type", "event_type", required=True, help="The event type (see 'timeline add --help').")
@click.option("--title", default="")
@json_option
@pass_app
def timeline_accept(
    app: AppContext, code: str, suggestion_id: int, event_type: str, title: str, as_json: bool
) -> None:
    """Turn a suggested date into an event linked to its entry."""
    from trpkit.services.timeline_suggestions import accept_suggestion

    with app.session() as session:
        row = accept_suggestion(
            session, app.actor(session), code, suggestion_id, event_type=event_type, title=title
        )
    if as_json:
        emit_json(row)
    else:
        click.echo(f"event {row.id}: {row.date_text}")


@timeline_group.command("dismiss")
@click.argument("code")
@click.argument("suggestion_id", type=int)
@pass_app
def timeline_dismiss(app: AppContext, code: str, suggestion_id: int) -> None:
    """Dismiss a suggested date (it is not a date of the story)."""
    from trpkit.services.timeline_suggestions import dismiss_suggestion

    with app.session() as session:
        dismiss_suggestion(session, app.actor(session), code, suggestion_id)
    click.echo(f"suggestion {suggestion_id} dismissed")
