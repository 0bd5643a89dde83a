"""trpkit checklist: document checklists per application type, and where each document stands."""

from __future__ import annotations

import click

from trpkit.commands._common import AppContext, emit_json, json_option, parse_date_option, pass_app, table


@click.group("checklist")
def checklist_group() -> None:
    """Document checklists per application type, and where each document stands for a case."""


@checklist_group.command("show")
@click.argument("code")
@click.option(
    "--type",
    "application_type",
    default="initial_trp",
    show_default=True,
    help="initial_trp, subsequent_trp or owp_trp_holder.",
)
@json_option
@pass_app
def checklist_show(app: AppContext, code: str, application_type: str, as_json: bool) -> None:
    """Show the document checklist of CASE: required items, expiry, what is missing."""
    from trpkit.services.checklists import case_checklist

    with app.session() as session:
        view = case_checklist(session, app.actor(session), code, application_type)
    if as_json:
        emit_json(view)
        return
    click.echo(f"{view.case_code}: {view.name} (v{view.version}, {view.verification})")
    table(
        [
            [
                r.id,
                "yes" if r.required else "no",
                r.state,
                r.expires_on.isoformat() if r.expires_on else "-",
                ("!! " if r.problem in ("missing", "expired") and r.required else "") + r.detail,
            ]
            for r in view.rows
        ],
        ["item", "required", "state", "expires", "status"],
    )
    click.echo("complete" if view.complete else "incomplete: set items with 'trpkit checklist set'")


@checklist_group.command("set")
@click.argument("code")
@click.argument("item")
@click.option("--state", required=True, help="obtained, requested, missing or not_applicable.")
@click.option("--type", "application_type", default="initial_trp", show_default=True)
@click.option("--obtained-on", metavar="YYYY-MM-DD")
@click.option("--expires-on", metavar="YYYY-MM-DD", help="Expiry date printed on the document.")
@click.option("--note")
@json_option
@pass_app
def checklist_set(
    app: AppContext,
    code: str,
    item: str,
    state: str,
    application_type: str,
    obtained_on: str | None,
    expires_on: str | None,
    note: str | None,
    as_json: bool,
) -> None:
    """Record where one document of the checklist stands for CASE."""
    from trpkit.services.checklists import set_item

    with app.session() as session:
        view = set_item(
            session,
            app.actor(session),
            code,
            item,
            state=state,
            application_type=application_type,
            obtained_on=parse_date_option(obtained_on, "--obtained-on"),
            expires_on=parse_date_option(expires_on, "--expires-on"),
            note=note,
        )
    if as_json:
        emit_json(view)
        return
    row = next(r for r in view.rows if r.id == item)
    click.echo(f"{view.case_code} {row.id}: {row.state} ({row.detail})")


@checklist_group.command("types")
@json_option
def checklist_types(as_json: bool) -> None:
    """The application types that have a document checklist."""
    from trpkit.services.checklists import all_checklists

    found = all_checklists()
    if as_json:
        emit_json(
            [
                {
                    "application_type": k,
                    "name": v.name,
                    "version": v.version,
                    "verification": v.verification,
                    "items": len(v.items),
                }
                for k, v in sorted(found.items())
            ]
        )
        return
    table([[k, v.name, str(len(v.items))] for k, v in sorted(found.items())], ["type", "name", "items"])
