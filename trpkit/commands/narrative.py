"""trpkit narrative | timeline | search | dates."""

from __future__ import annotations

import sys
from typing import Any

import click

from trpkit.commands._common import AppContext, emit_json, json_option, parse_date_option, pass_app, table
from trpkit.errors import UsageError


def _read_text(value: str | None) -> str:
    if value == "-" or (value is None and not sys.stdin.isatty()):
        return sys.stdin.read()
    if value is None:
        raise UsageError("Give the text as an argument, or '-' to read it from standard input.")
    return value


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# =============================================================================================== narrative


@click.group("narrative")
def narrative_group() -> None:
    """The person's story: meetings, their own words and your summaries, with every version kept."""


@narrative_group.command("meeting")
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


@narrative_group.command("meeting-edit")
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


@narrative_group.command("meetings")
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
                _short(r.wellbeing_notes, 30),
            ]
            for r in rows
        ],
        ["id", "date", "place", "lang", "interpreter", "length", "entries", "wellbeing"],
    )


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
                _short(r.text),
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
            [f"v{r.version}", r.action, r.saved_by, f"{r.saved_at:%Y-%m-%d %H:%M}", _short(r.text, 50)]
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


# =============================================================================================== timeline


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
                e.type_label + (f": {_short(e.title, 30)}" if e.title else ""),
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
        [[str(r.id), str(r.entry_id), r.phrase, r.date_text, _short(r.context, 50)] for r in rows],
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


# =============================================================================================== search


@click.command("search")
@click.argument("query")
@click.option("--case", "case_code", help="Only this case.")
@click.option("--limit", default=50, show_default=True, help="At most this many results.")
@json_option
@pass_app
def search_command(app: AppContext, query: str, case_code: str | None, limit: int, as_json: bool) -> None:
    """Search the narratives of the cases you can open.

    QUERY: words (all must appear), "a phrase", OR, -word to exclude, word* for a prefix.
    """
    from trpkit.services.search import search

    with app.session() as session:
        hits = search(session, app.actor(session), query, case_code=case_code, limit=limit)
    if as_json:
        emit_json(
            [
                {**{k: v for k, v in vars(h).items() if k != "snippet"}, "snippet": h.marked("«", "»")}
                for h in hits
            ]
        )
        return
    if not hits:
        click.echo("No matches.")
        return
    from trpkit.commands._safe_output import colour_on, styled

    color = colour_on()
    for h in hits:
        # The snippet is the person's words: styled() cleans them before trpkit adds its highlight.
        snippet = "".join(
            styled(t, bold=True, underline=True) if hl and color else (f"[{t}]" if hl else t)
            for t, hl in h.snippet_parts()
        )
        click.echo(f"{h.case_code}  entry {h.entry_id}  {h.meeting_date}  {h.kind.replace('_', ' ')}")
        click.echo(f"    {' '.join(snippet.split())}")


# =============================================================================================== dates


@click.group("dates")
def dates_group() -> None:
    """Check how trpkit reads a date phrase."""


@dates_group.command("parse")
@click.argument("text")
@click.option("--lang", "language", default="en", show_default=True, help="Language of the phrase.")
@click.option(
    "--relative-to", help="Day it was said (YYYY-MM-DD); relative phrases count from it (default today)."
)
@json_option
def dates_parse(text: str, language: str, relative_to: str | None, as_json: bool) -> None:
    """Read TEXT as a fuzzy date: interval, precision, EDTF, and how it is written back."""
    from trpkit.domain.fuzzy_dates import format_fuzzy, parse_fuzzy

    fd = parse_fuzzy(text, language, relative_to=parse_date_option(relative_to, "--relative-to"))
    if as_json:
        data = fd.to_dict()
        emit_json(
            {
                k: data[k]
                for k in (
                    "original",
                    "language",
                    "edtf",
                    "earliest",
                    "latest",
                    "precision",
                    "approximate",
                    "uncertain",
                    "status",
                )
            }
            | {"written": format_fuzzy(fd, language)}
        )
        return
    if not fd.is_parsed:
        click.echo(f"unparsed: “{text}” is kept as said, for a person to fix")
        return
    flags = ", ".join(f for f, on in (("approximate", fd.approximate), ("uncertain", fd.uncertain)) if on)
    click.echo(f"{format_fuzzy(fd, language)}")
    click.echo(
        f"  from {fd.earliest or '…'} to {fd.latest or '…'}  precision {fd.precision.value}  "
        f"EDTF {fd.edtf}" + (f"  ({flags})" if flags else "")
    )


@dates_group.command("languages")
def dates_languages() -> None:
    """Languages with full phrase support, and those read by dateparser alone."""
    from trpkit.domain.fuzzy_dates import (
        PhraseDataError,
        language_data,
        phrase_languages,
        supported_languages,
    )

    full = phrase_languages()
    problems = []
    for lang in full:
        try:
            language_data(lang)
        except PhraseDataError as exc:
            problems.append(str(exc))
    click.echo("Full support (phrase files in checklists/date_phrases): " + ", ".join(full))
    others = [lang for lang in supported_languages() if lang not in full]
    click.echo(
        f"Dates and months only, through dateparser: {len(others)} languages, e.g. "
        + ", ".join(lang for lang in ("tl", "hi", "pa", "hu", "ro", "uk", "ru", "yo") if lang in others)
    )
    for problem in problems:
        click.echo(f"Problem: {problem}", err=True)
    if problems:
        raise SystemExit(1)


def _add_removal_commands() -> None:
    # Removing a meeting and restoring what was removed live in their own module.
    from trpkit.commands.narrative_removal import meeting_remove, removed_list, restore_removed_command

    for command in (meeting_remove, removed_list, restore_removed_command):
        narrative_group.add_command(command)


_add_removal_commands()
