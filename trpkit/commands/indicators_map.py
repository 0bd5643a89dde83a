"""trpkit indicators suggest|accept|link|unlink|links|set|contrast: a case's indicator map."""

from __future__ import annotations

from typing import Any

import click

from trpkit.commands._common import AppContext, emit_json, json_option, pass_app, table
from trpkit.errors import UsageError


@click.command("suggest")
@click.argument("code")
@json_option
@pass_app
def indicators_suggest(app: AppContext, code: str, as_json: bool) -> None:
    """Passages that read like an indicator but are not linked to it, and contradictions in the file.

    Nothing is linked on its own: accept a suggestion with 'trpkit indicators accept CODE ID'.
    """
    from trpkit.services.case_review import review

    with app.session() as session:
        result = review(session, app.actor(session), code)
    if as_json:
        emit_json(result)
        return
    if not result.suggestions:
        click.echo(f"{result.code}: no unlinked passage matches an indicator's cues.")
    else:
        click.echo(
            f"{result.code}: {len(result.suggestions)} suggestion(s) ({result.framework}); accept with "
            f"'trpkit indicators accept {result.code} ID'"
        )
        table(
            [
                [
                    s.id,
                    s.indicator_id + (" (recorded)" if s.indicator_present else ""),
                    s.passage,
                    s.excerpt,
                ]
                for s in result.suggestions
            ],
            ["id", "indicator", "passage", "words"],
        )
    if result.contradictions:
        click.echo(f"\n{len(result.contradictions)} contradiction(s):")
        for c in result.contradictions:
            click.echo(f"- {c.message}")


@click.command("accept")
@click.argument("code")
@click.argument("suggestion_ids", metavar="ID[,ID...]")
@click.option(
    "--status",
    default="present",
    show_default=True,
    help="present, or reported_unsupported / explored_absent to record that the passage was read.",
)
@click.option(
    "--note", default="", help="What the passage shows, in a few words (default: the passage named)."
)
@json_option
@pass_app
def indicators_accept(
    app: AppContext, code: str, suggestion_ids: str, status: str, note: str, as_json: bool
) -> None:
    """Accept suggestions from 'trpkit indicators suggest CODE': link each indicator to its passage."""
    from trpkit.services.case_review import accept_suggestion

    ids = [i.strip() for i in suggestion_ids.split(",") if i.strip()]
    if not ids:
        raise UsageError("give at least one suggestion id, e.g. E12-5.01")
    with app.session() as session:
        actor = app.actor(session)
        rows = [
            row
            for sid in ids
            for row in accept_suggestion(session, actor, code, sid, status=status, note=note)
        ]
    if as_json:
        emit_json(rows)
        return
    _print_links(rows)


@click.command("link")
@click.argument("code")
@click.argument("indicator_ids", metavar="INDICATOR[,INDICATOR...]")
@click.option(
    "--status",
    default="present",
    show_default=True,
    help="present, reported_unsupported, explored_absent or not_explored.",
)
@click.option("--exhibit", type=int, help="Exhibit number the statement rests on.")
@click.option("--entry", "entry", type=int, help="Narrative entry (the person's own words) it rests on.")
@click.option("--note", default="", help="What supports it, in a few words (no need to repeat the exhibit).")
@json_option
@pass_app
def indicators_link(
    app: AppContext,
    code: str,
    indicator_ids: str,
    status: str,
    exhibit: int | None,
    entry: int | None,
    note: str,
    as_json: bool,
) -> None:
    """Link indicators of a case to an exhibit (or mark them with a note). All or nothing."""
    from trpkit.services.indicators import link_indicator

    ids = [i.strip() for i in indicator_ids.split(",") if i.strip()]
    if not ids:
        raise UsageError("give at least one indicator id, e.g. AL-5.01")
    with app.session() as session:
        actor = app.actor(session)
        rows = [
            link_indicator(
                session, actor, code, iid, status=status, note=note, exhibit=exhibit, narrative_entry_id=entry
            )
            for iid in ids
        ]
    if as_json:
        emit_json(rows)
        return
    _print_links(rows)


@click.command("unlink")
@click.argument("code")
@click.argument("link_id", type=int)
@pass_app
def indicators_unlink(app: AppContext, code: str, link_id: int) -> None:
    """Remove one indicator link (see 'trpkit indicators links CODE')."""
    from trpkit.services.indicators import unlink

    with app.session() as session:
        unlink(session, app.actor(session), code, link_id)
    click.echo(f"link {link_id} removed")


@click.command("links")
@click.argument("code")
@json_option
@pass_app
def indicators_links(app: AppContext, code: str, as_json: bool) -> None:
    """The indicator links recorded for a case."""
    from trpkit.services.indicators import list_links

    with app.session() as session:
        rows = list_links(session, app.actor(session), code)
    if as_json:
        emit_json(rows)
        return
    table(
        [
            [
                str(r.id),
                r.indicator_id,
                r.strength,
                r.status_label,
                str(r.exhibit_number or "-"),
                r.label,
                r.note,
            ]
            for r in rows
        ],
        ["link", "indicator", "strength", "status", "exhibit", "indicator", "note"],
    )


@click.command("set")
@click.argument("code")
@click.option("--framework", help="A Delphi list for this case, or 'auto' to choose from age and sector.")
@click.option("--exploitation-start", help="When the recruitment or exploitation began ('spring 2019').")
@click.option(
    "--consented-to-crossing",
    type=click.Choice(["yes", "no", "unknown"]),
    help="Did the person agree to the border crossing? (for the smuggling contrast)",
)
@json_option
@pass_app
def indicators_set(
    app: AppContext,
    code: str,
    framework: str | None,
    exploitation_start: str | None,
    consented_to_crossing: str | None,
    as_json: bool,
) -> None:
    """Settings of a case's indicator map."""
    from trpkit.services.indicators import set_settings

    changes: dict[str, Any] = {}
    if framework is not None:
        changes["framework"] = None if framework == "auto" else framework
    if exploitation_start is not None:
        changes["exploitation_start"] = exploitation_start
    if consented_to_crossing is not None:
        changes["consented_to_crossing"] = {"yes": True, "no": False, "unknown": None}[consented_to_crossing]
    if not changes:
        raise UsageError(
            "nothing to change: give --framework, --exploitation-start or --consented-to-crossing"
        )
    with app.session() as session:
        settings = set_settings(session, app.actor(session), code, **changes)
    if as_json:
        emit_json(settings)
    else:
        click.echo(f"{code.upper()}: framework {settings.framework or 'automatic'}")


@click.command("contrast")
@click.argument("code")
@json_option
@pass_app
def indicators_contrast(app: AppContext, code: str, as_json: bool) -> None:
    """Trafficking or smuggling? The five elements read against the case's indicators."""
    from trpkit.services.indicators_assessment import case_contrast

    with app.session() as session:
        result = case_contrast(session, app.actor(session), code)
    if as_json:
        emit_json(result)
        return
    table(
        [[e.label, e.reading, ", ".join(e.indicators) or "-"] for e in result.elements],
        ["element", "reading", "items"],
    )
    click.echo("\n" + click.wrap_text(result.summary, width=100))


def _print_links(rows: list[Any]) -> None:
    """One line per link recorded: its id, indicator, status and what it rests on."""
    for row in rows:
        where = (
            f"exhibit {row.exhibit_number}"
            if row.exhibit_number
            else f"narrative entry {row.narrative_entry_id}"
            if row.narrative_entry_id
            else "a note"
        )
        click.echo(f"link {row.id}: {row.indicator_id} {row.status_label} ({where})")
