"""trpkit incident new|list|show|edit|withdraw|follow|places|patterns (export and import:
incident_sharing; trpkit bulletin: bulletin)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

import click

from trpkit.commands._common import AppContext, emit_json, json_option, parse_date_option, pass_app, table
from trpkit.commands.incident_sharing import export_command, import_command
from trpkit.errors import TrpkitError

F = TypeVar("F", bound=Callable[..., Any])


class ImportRefused(TrpkitError):
    exit_code = 1


def _split(values: tuple[str, ...]) -> tuple[str, ...] | None:
    """Repeated or comma-separated options; None when not given (an edit leaves the field alone)."""
    if not values:
        return None
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _sources(values: tuple[str, ...], public: tuple[str, ...]) -> tuple[Any, ...] | None:
    from trpkit.domain.incidents import Source

    if not values and not public:
        return None
    out = []
    for spec, is_public in [(v, None) for v in values] + [(v, True) for v in public]:
        kind, _, detail = spec.partition("=")
        kind = kind.strip()
        out.append(Source(kind, detail.strip(), kind == "public_link" if is_public is None else is_public))
    return tuple(out)


def _content_options(func: F) -> F:
    options = [
        click.option("--title", help="A few words saying what happened (no names)."),
        click.option("--when", help='When, as known: "early March 2026", "last week of May".'),
        click.option("--place", help="Province or economic region (name or id, e.g. Toronto or ER-3530)."),
        click.option(
            "--sector", help="agriculture, construction, domestic_work, hospitality, sex_trade, ..."
        ),
        click.option(
            "--people", help="How many people, as a band: 1, 2-4, 5-9, 10-24, 25-99, 100+, unknown."
        ),
        click.option(
            "--framing",
            help="How authorities or media framed it: trafficking, smuggling, labour_dispute, "
            "immigration_enforcement, other, not_framed.",
        ),
        click.option(
            "--indicator",
            "indicators",
            multiple=True,
            help="Indicator id(s), e.g. AL-5.01 (repeat or comma).",
        ),
        click.option(
            "--fact",
            "facts",
            multiple=True,
            help="Reported facts for the second look: debt, movement_controlled, work_controlled, coerced_crime, "
            "documents_held, deceptive_recruitment.",
        ),
        click.option("--known", help="What is known."),
        click.option("--unknown", help="What is not known."),
        click.option("--questions", help="The questions it raises."),
        click.option(
            "--source",
            "sources",
            multiple=True,
            help="KIND=DETAIL (public_link=URL, own_accompaniment, another_agency=...); only links are public.",
        ),
        click.option("--public-source", "public_sources", multiple=True, help="KIND=DETAIL, marked public."),
        click.option(
            "--ask",
            "asks",
            multiple=True,
            help="call_for_information, legal_support, interpreters, shelter_capacity (repeat or comma).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _input(kwargs: dict[str, Any]) -> Any:
    from trpkit.services.incidents import IncidentInput

    return IncidentInput(
        title=kwargs["title"],
        when=kwargs["when"],
        place=kwargs["place"],
        sector=kwargs["sector"],
        people=kwargs["people"],
        framing=kwargs["framing"],
        indicators=_split(kwargs["indicators"]),
        facts=_split(kwargs["facts"]),
        known=kwargs["known"],
        unknown=kwargs["unknown"],
        questions=kwargs["questions"],
        sources=_sources(kwargs["sources"], kwargs["public_sources"]),
        asks=_split(kwargs["asks"]),
    )


def _as_dict(view: Any) -> dict[str, Any]:
    data = dataclasses.asdict(view)
    data["framing_changed"] = view.incident.framing_changed
    data["unshared_changes"] = view.unshared_changes
    return data


def _print_view(view: Any) -> None:
    from trpkit.domain.incidents import second_look
    from trpkit.loading.incident_vocab import vocabulary

    vocab, inc = vocabulary(), view.incident
    state = "withdrawn" if inc.withdrawn else ("ours" if view.own else f"from {inc.agency}")
    click.echo(f"{view.ref}  {inc.title}  [{state}, version {inc.sequence}]")
    when = inc.when_text or "-"
    if view.when_needs_correction:
        when += "  (kept as written: not read as a date; correct it with 'trpkit incident edit --when')"
    framing = vocab.label("framing", inc.framing)
    if inc.framing_changed:
        framing += " (earlier: " + ", ".join(vocab.label("framing", f) for f in inc.framing_history) + ")"
    rows = [
        ("when", when),
        ("where", f"{view.place_name} ({inc.place})"),
        ("sector", vocab.label("sector", inc.sector)),
        ("people", vocab.label("band", inc.people)),
        ("framed as", framing),
        ("indicators", ", ".join(inc.indicators)),
        ("known", inc.known),
        ("not known", inc.unknown),
        ("questions", inc.questions),
        ("asks", ", ".join(vocab.label("ask", a) for a in inc.asks)),
    ]
    for number, source in enumerate(inc.sources, start=1):
        privacy = "public" if source.public else "confidential"
        rows.append(
            (f"source {number}", f"{vocab.label('source_kind', source.kind)} ({privacy}) {source.detail}")
        )
    for label, value in rows:
        if value:
            click.echo(f"  {label + ':':<12}{value}")
    if view.followed:
        click.echo("  followed")
    if not inc.withdrawn:
        look = second_look(inc, vocab)
        click.echo(f"  second look: {look.note}")
        for item in look.items:
            said = f" (reported: {', '.join(item.reported)})" if item.reported else ""
            click.echo(f"    {item.element_label}{said}")
            for question in item.questions:
                click.echo(f"      - {question}")


@click.group("incident")
def incident_group() -> None:
    """Incidents to share with member agencies: no names, region-level places, people-count bands."""


@incident_group.command("new")
@_content_options
@json_option
@pass_app
def new_command(app: AppContext, /, as_json: bool, **kwargs: Any) -> None:
    """Record an incident this agency saw or learned about."""
    from trpkit.services import incidents

    with app.session() as session:
        view = incidents.new_incident(session, app.actor(session), _input(kwargs))
    if as_json:
        emit_json(_as_dict(view))
        return
    click.echo(view.ref)
    if view.when_needs_correction:
        click.echo(
            f"note: '{view.incident.when_text}' is kept as written: it could not be read as a date.", err=True
        )


@incident_group.command("edit")
@click.argument("ref")
@_content_options
@click.option("--expected-version", type=int, help="Refuse if someone changed it since (scripts).")
@json_option
@pass_app
def edit_command(
    app: AppContext, /, ref: str, expected_version: int | None, as_json: bool, **kwargs: Any
) -> None:
    """Change an incident (a changed framing is kept in its history); members get the new version."""
    from trpkit.services import incidents

    with app.session() as session:
        view = incidents.edit_incident(
            session, app.actor(session), ref, _input(kwargs), expected_version=expected_version
        )
    if as_json:
        emit_json(_as_dict(view))
    else:
        _print_view(view)


@incident_group.command("list")
@click.option("--since", help="Only incidents that may have happened on or after this date (YYYY-MM-DD).")
@click.option("--place", help="A province or economic region.")
@click.option("--sector")
@click.option("--framing")
@click.option("--own/--received", "own", default=None, help="Only this agency's, or only received ones.")
@click.option("--followed", is_flag=True, help="Only incidents marked followed.")
@click.option("--all", "include_withdrawn", is_flag=True, help="Include withdrawn incidents.")
@json_option
@pass_app
def list_command(app: AppContext, /, as_json: bool, since: str | None, **filters: Any) -> None:
    """Incidents, newest first."""
    from trpkit.services import incidents

    filters["followed"] = True if filters["followed"] else None  # not given: followed or not
    with app.session() as session:
        views = incidents.list_incidents(
            session, app.actor(session), since=parse_date_option(since, "--since"), **filters
        )
    if as_json:
        emit_json([_as_dict(v) for v in views])
        return
    if not views:
        click.echo("No incidents. Record one with 'trpkit incident new', or import a package.")
        return
    rows = []
    for v in views:
        marks = ("F" if v.followed else "") + ("*" if v.incident.framing_changed else "")
        marks += "?" if v.incident.calls_for_information else ""
        source = "ours" if v.own else v.incident.agency
        rows.append(
            [
                v.ref,
                v.incident.when_text or "-",
                v.place_name,
                v.incident.sector,
                source,
                marks,
                v.incident.title,
            ]
        )
    table(rows, ["ref", "when", "where", "sector", "from", "", "title"])
    click.echo("F followed, * framing changed, ? open call for information")


@incident_group.command("show")
@click.argument("ref")
@json_option
@pass_app
def show_command(app: AppContext, ref: str, as_json: bool) -> None:
    """One incident, with the trafficking-or-smuggling second look."""
    from trpkit.domain.incidents import second_look
    from trpkit.loading.incident_vocab import vocabulary
    from trpkit.services import incidents

    with app.session() as session:
        view = incidents.show_incident(session, app.actor(session), ref)
    if as_json:
        data = _as_dict(view)
        data["second_look"] = dataclasses.asdict(second_look(view.incident, vocabulary()))
        emit_json(data)
    else:
        _print_view(view)


@incident_group.command("withdraw")
@click.argument("ref")
@pass_app
def withdraw_command(app: AppContext, ref: str) -> None:
    """Withdraw one of this agency's incidents: the next export tells members to drop it."""
    from trpkit.services import incidents

    with app.session() as session:
        view = incidents.withdraw_incident(session, app.actor(session), ref)
    click.echo(f"{view.ref} withdrawn; run 'trpkit incident export' to tell member agencies.")


@incident_group.command("follow")
@click.argument("ref")
@click.option("--undo", is_flag=True, help="Unmark it.")
@pass_app
def follow_command(app: AppContext, ref: str, undo: bool) -> None:
    """Mark an incident as followed by this agency (never shared)."""
    from trpkit.services import incidents

    with app.session() as session:
        view = incidents.set_followed(session, app.actor(session), ref, not undo)
    click.echo(f"{view.ref} {'followed' if view.followed else 'no longer followed'}")


@incident_group.command("places")
@click.argument("search", required=False)
@json_option
def places_command(search: str | None, as_json: bool) -> None:
    """The place list: provinces, territories and economic regions (Statistics Canada)."""
    from trpkit.domain.incident_vocab import resolve_place
    from trpkit.loading.incident_vocab import vocabulary

    vocab = vocabulary()
    places = [resolve_place(search, vocab)] if search else list(vocab.places.values())
    if as_json:
        emit_json(places)
        return
    table([[p.id, p.name, p.province] for p in places], ["id", "name", "province"])
    if not search:
        click.echo(f"source: {vocab.places_source}")


@incident_group.command("patterns")
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True)
@json_option
@pass_app
def patterns_command(app: AppContext, lang: str, as_json: bool) -> None:
    """Where incidents meet a rise in refusals (same province and year): questions, not conclusions."""
    from trpkit.services import incidents
    from trpkit.services.incident_patterns import patterns_for

    with app.session() as session:
        actor = app.actor(session)
        found = patterns_for(session, actor, incidents.list_incidents(session, actor), lang)
    if as_json:
        emit_json(found)
        return
    if not found:
        click.echo(
            "No pattern to state: no province and year where refusals rose and incidents were reported, with "
            "every count at or above the policy's minimum cell (this needs the coalition's decision store)."
        )
    for pattern in found:
        click.echo(f"- {pattern.text}")


incident_group.add_command(export_command)
incident_group.add_command(import_command)
