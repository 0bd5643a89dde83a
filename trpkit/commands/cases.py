"""trpkit case new|list|show|edit|assign, and case dependant add|list|edit|remove."""

from __future__ import annotations

from typing import Any

import click

from trpkit.commands._common import AppContext, F, emit_json, json_option, pass_app, table
from trpkit.commands.case_export import case_export
from trpkit.errors import UsageError

_PERSON_OPTIONS = {
    "name": "legal_name",
    "preferred_name": "preferred_name",
    "birth_date": "birth_date_text",
    "gender": "gender",
    "nationality": "nationality",
    "languages": "languages",
    "uci": "uci",
    "immigration_status": "immigration_status",
    "interpreter_needs": "interpreter_needs",
    "contact": "contact",
    "safe_contact": "safe_contact_instructions",
    "aliases": "aliases",
}


@click.group("case")
def case_group() -> None:
    """Case files: create, list, show and edit."""


@case_group.command("new")
@click.option("--name", help="Legal name.")
@click.option("--preferred-name", help="The name the person wants to be called.")
@click.option("--birth-date", help="Date of birth, as precise as known ('1990', 'March 1988').")
@click.option("--gender", help="Gender, as the person describes it.")
@click.option(
    "--nationality", help="Country, by name (Mexico, México, Mexique) or ISO code (MX); stored as the code."
)
@click.option(
    "--languages", help="Comma-separated languages, by name (Spanish, espagnol) or ISO 639 code (es)."
)
@click.option("--aliases", help="Comma-separated other names.")
@click.option("--uci", help="IRCC client identifier, if any.")
@click.option("--immigration-status", help="Current immigration status.")
@click.option("--interpreter-needs")
@click.option("--contact", help="How to reach the person.")
@click.option("--safe-contact", help="Safety instructions for contact (e.g. never leave voicemail).")
@click.option(
    "--sector",
    "exploitation_sector",
    help="agriculture, construction, domestic_work, hospitality, "
    "manufacturing, sex_trade, forced_criminality, other, unknown.",
)
@json_option
@pass_app
def case_new(
    app: AppContext, /, as_json: bool, exploitation_sector: str | None, **person_options: str | None
) -> None:
    """Open a new case file. Prints its case code (e.g. TRP-2026-0042)."""
    from trpkit.services.cases import create_case

    person = {_PERSON_OPTIONS[k]: v for k, v in person_options.items() if v is not None}
    case_values: dict[str, Any] = {"exploitation_sector": exploitation_sector} if exploitation_sector else {}
    with app.session() as session:
        detail = create_case(session, app.actor(session), person=person, **case_values)
    if as_json:
        emit_json({"code": detail.code, "status": detail.status, "version": detail.version})
    else:
        click.echo(detail.code)


@case_group.command("list")
@click.option("--search", "text", default="", help="Filter by case code (and by name with --reveal-names).")
@click.option("--status", help="intake, preparing, submitted, decided or closed.")
@click.option("--reveal-names", is_flag=True, help="Show names instead of hiding them (this is logged).")
@json_option
@pass_app
def case_list(app: AppContext, text: str, status: str | None, reveal_names: bool, as_json: bool) -> None:
    """List the cases you can open. Names are hidden unless --reveal-names."""
    from trpkit.services.cases import list_cases

    with app.session() as session:
        rows = list_cases(session, app.actor(session), text=text, status=status, reveal_names=reveal_names)
    if as_json:
        emit_json(rows)
        return
    table(
        [
            [r.code, r.status, r.display_name, r.nationality, r.exploitation_sector, ",".join(r.accompaniers)]
            for r in rows
        ],
        ["case", "status", "name", "nat.", "sector", "accompaniers"],
    )


@case_group.command("show")
@click.argument("code")
@json_option
@pass_app
def case_show(app: AppContext, code: str, as_json: bool) -> None:
    """Show one case file (this read is logged)."""
    from trpkit.services.cases import get_case

    with app.session() as session:
        detail = get_case(session, app.actor(session), code)
    if as_json:
        emit_json(detail)
        return
    from trpkit.domain.places_languages import country_name, language_name

    p = detail.person
    nationality = f"{country_name(p.nationality)} ({p.nationality})" if p.nationality else "-"
    lines = [
        f"{detail.code}  ({detail.status}, version {detail.version})",
        f"  name: {p.legal_name}" + (f"  (prefers {p.preferred_name})" if p.preferred_name else ""),
        f"  born: {p.birth_date_text or 'unknown'}   gender: {p.gender or '-'}   nationality: {nationality}",
        f"  languages: {', '.join(language_name(c) for c in p.languages) or '-'}   interpreter: {p.interpreter_needs or '-'}",
        f"  immigration status: {p.immigration_status or '-'}   UCI: {p.uci or '-'}",
        f"  safe contact: {p.safe_contact_instructions or '-'}",
        (
            f"  sector: {detail.exploitation_sector}   police: {detail.law_enforcement_cooperation}"
            f"   criminal case: {detail.criminal_case_status}"
        ),
        f"  accompaniers: {', '.join(detail.accompaniers)}",
    ]
    click.echo("\n".join(lines))


@case_group.command("edit")
@click.argument("code")
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="FIELD=VALUE",
    help="A field to change, e.g. --set status=preparing --set person.preferred_name=Ana.",
)
@click.option("--expected-version", type=int, help="Refuse if the case changed since this version.")
@json_option
@pass_app
def case_edit(
    app: AppContext, code: str, assignments: tuple[str, ...], expected_version: int | None, as_json: bool
) -> None:
    """Change fields of a case or of the person (person.FIELD)."""
    from trpkit.services.cases import update_case

    case_values: dict[str, str] = {}
    person: dict[str, str] = {}
    for item in assignments:
        if "=" not in item:
            raise UsageError(f"'{item}' is not FIELD=VALUE")
        key, value = item.split("=", 1)
        key = key.strip()
        if key.startswith("person."):
            person[key.removeprefix("person.")] = value
        else:
            case_values[key] = value
    with app.session() as session:
        detail = update_case(
            session, app.actor(session), code, expected_version=expected_version, person=person, **case_values
        )
    if as_json:
        emit_json({"code": detail.code, "version": detail.version, "status": detail.status})
    else:
        click.echo(f"{detail.code} saved (version {detail.version}).")


@case_group.command("assign")
@click.argument("code")
@click.argument("username")
@pass_app
def case_assign(app: AppContext, code: str, username: str) -> None:
    """Assign a case to an accompanier (supervisors only)."""
    from trpkit.services.cases import assign

    with app.session() as session:
        detail = assign(session, app.actor(session), code, username)
    click.echo(f"{detail.code}: {', '.join(detail.accompaniers)}")


@case_group.group("dependant")
def dependant_group() -> None:
    """Dependants in Canada: family members who may be included in the TRP application.

    \b
    trpkit case dependant list TRP-2026-0042
    trpkit case dependant add TRP-2026-0042 --name "Tomás Ejemplar" --relationship son --birth-date "aged 9"
    trpkit case dependant edit TRP-2026-0042 2 --not-included --status "Canadian citizen"
    trpkit case dependant remove TRP-2026-0042 2
    """


def _dependant_options(func: F) -> F:
    for option in reversed(
        [
            click.option("--name", help="Full name (as IRCC should write it on a permit, if known)."),
            click.option(
                "--relationship",
                help="spouse (or common-law partner), child, parent, sibling or other; "
                "everyday words such as son, wife or sister work too.",
            ),
            click.option(
                "--described-as",
                help="The person's own word for the relationship (needed with 'other', "
                "e.g. 'niece'); empty to clear.",
            ),
            click.option(
                "--birth-date",
                help="Date of birth, as precise as known ('2016', 'March 2016', "
                "'around 2015', 'aged 9'); empty to clear.",
            ),
            click.option(
                "--status",
                "status_in_canada",
                help="Current immigration status in Canada, in words "
                "('no status', 'visitor (expired)', 'Canadian citizen').",
            ),
            click.option(
                "--included/--not-included",
                "include_in_application",
                default=None,
                help="Whether to ask IRCC for a permit for them too, in the TRP application "
                "(new dependants are included unless --not-included).",
            ),
            click.option("--notes", help="Short notes (at most 500 characters); empty to clear."),
            click.option(
                "--expected-version",
                type=int,
                help="Refuse if the person's details changed since this version (shown by 'list').",
            ),
            json_option,
        ]
    ):
        func = option(func)
    return func


def _dependant_values(options: dict[str, object]) -> dict[str, Any]:
    return {key: value for key, value in options.items() if value is not None}


def _dependant_row(d) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "id": d.id,
        "name": d.name,
        "relationship": d.relationship.value,
        "described_as": d.described_as,
        "relationship_label": d.relationship_label(),
        "birth_date_text": d.birth.text,
        "birth_date_earliest": d.birth.earliest,
        "birth_date_latest": d.birth.latest,
        "status_in_canada": d.status_in_canada,
        "include_in_application": d.include_in_application,
        "notes": d.notes,
    }


def _echo_change(verb: str, change, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    view = change.view
    if as_json:
        emit_json(
            {
                "case": view.case_code,
                "version": view.person_version,
                "dependant": _dependant_row(change.dependant),
                "warnings": list(change.warnings),
            }
        )
        return
    click.echo(
        f"{view.case_code}: dependant {change.dependant.id} {verb} (person version {view.person_version})."
    )
    for warning in change.warnings:
        click.echo(f"  note: {warning}")


@dependant_group.command("list")
@click.argument("code")
@json_option
@pass_app
def dependant_list(app: AppContext, code: str, as_json: bool) -> None:
    """List the person's dependants in Canada (this read is logged)."""
    from trpkit.services.dependants import list_dependants

    with app.session() as session:
        view = list_dependants(session, app.actor(session), code)
    if as_json:
        emit_json(
            {
                "case": view.case_code,
                "version": view.person_version,
                "dependants": [_dependant_row(d) for d in view.dependants],
                "warnings": list(view.warnings),
            }
        )
        return
    if not view.dependants:
        click.echo(
            f"{view.case_code}: no dependants in Canada recorded (person version {view.person_version}). "
            f"Add one with 'trpkit case dependant add {view.case_code} --name ... --relationship ...'."
        )
        return
    click.echo(f"{view.case_code}: dependants in Canada (person version {view.person_version})")
    table(
        [
            [
                str(d.id),
                d.name,
                d.relationship_label(),
                d.birth.text or "-",
                d.status_in_canada or "-",
                "yes" if d.include_in_application else "no",
                d.notes.replace("\n", " ") or "-",
            ]
            for d in view.dependants
        ],
        ["#", "name", "relationship", "born", "status in Canada", "in application", "notes"],
    )
    for warning in view.warnings:
        click.echo(f"note: {warning}")


@dependant_group.command("add")
@click.argument("code")
@_dependant_options
@pass_app
def dependant_add(
    app: AppContext, /, code: str, expected_version: int | None, as_json: bool, **options: object
) -> None:
    """Record a dependant in Canada. --name and --relationship are needed."""
    from trpkit.services.dependants import add_dependant

    with app.session() as session:
        change = add_dependant(
            session, app.actor(session), code, expected_version=expected_version, **_dependant_values(options)
        )
    _echo_change("added", change, as_json)


@dependant_group.command("edit")
@click.argument("code")
@click.argument("number", type=int)
@_dependant_options
@pass_app
def dependant_edit(
    app: AppContext, /, code: str, number: int, expected_version: int | None, as_json: bool, **options: object
) -> None:
    """Change a dependant. NUMBER is from 'list'; only the options given change."""
    from trpkit.services.dependants import edit_dependant

    values = _dependant_values(options)
    if not values:
        raise UsageError("Nothing to change: give at least one option, e.g. --status or --not-included.")
    with app.session() as session:
        change = edit_dependant(
            session, app.actor(session), code, number, expected_version=expected_version, **values
        )
    _echo_change("saved", change, as_json)


@dependant_group.command("remove")
@click.argument("code")
@click.argument("number", type=int)
@click.option(
    "--expected-version", type=int, help="Refuse if the person's details changed since this version."
)
@json_option
@pass_app
def dependant_remove(
    app: AppContext, /, code: str, number: int, expected_version: int | None, as_json: bool
) -> None:
    """Remove a dependant. NUMBER is from 'list'; it is never given to anyone else."""
    from trpkit.services.dependants import remove_dependant

    with app.session() as session:
        change = remove_dependant(
            session, app.actor(session), code, number, expected_version=expected_version
        )
    _echo_change("removed", change, as_json)


case_group.add_command(case_export)
