"""trpkit application new|list|show|advance|edit|policy: applications to IRCC and their stages."""

from __future__ import annotations

from datetime import date

import click

from trpkit.commands._common import AppContext, emit_json, json_option, parse_date_option, pass_app, table
from trpkit.commands._lines import echo_lines
from trpkit.errors import UsageError

TYPES_HELP = (
    "initial_trp, subsequent_trp, owp_trp_holder, owp_vulnerable_worker, study_permit, ifhp, "
    "pr_permit_holder, h_and_c, refugee_claim"
)


@click.group("application")
def application_group() -> None:
    """Applications to IRCC (TRP, work and study permits, IFHP, PR…) and their stages."""


@application_group.command("new")
@click.argument("code")
@click.option("--type", "kind", required=True, help=TYPES_HELP)
@click.option("--office", default="", help="IRCC office handling it.")
@click.option("--file-number", default="", help="IRCC file or application number.")
@click.option("--draft-id", type=int, help="The submission draft used (see 'trpkit drafts CASE').")
@click.option("--started", help="Date the draft was started (YYYY-MM-DD; default today).")
@click.option("--submitted", help="Already submitted on this date (YYYY-MM-DD).")
@click.option("--notes", default="", help="Notes (no names of third parties).")
@json_option
@pass_app
def application_new(
    app: AppContext,
    code: str,
    kind: str,
    office: str,
    file_number: str,
    draft_id: int | None,
    started: str | None,
    submitted: str | None,
    notes: str,
    as_json: bool,
) -> None:
    """Open an application for case CODE. Prints its reference (CASE/A<n>)."""
    from trpkit.services.applications import create_application

    with app.session() as session:
        detail = create_application(
            session,
            app.actor(session),
            code,
            type=kind,
            ircc_office=office,
            file_number=file_number,
            draft_id=draft_id,
            notes=notes,
            started_on=parse_date_option(started, "--started"),
            submitted_on=parse_date_option(submitted, "--submitted"),
        )
    if as_json:
        emit_json(
            {
                "ref": detail.ref,
                "stage": detail.stage,
                "policy_period": detail.policy_period,
                "version": detail.version,
            }
        )
    else:
        click.echo(detail.ref)


@application_group.command("list")
@click.argument("code", required=False)
@click.option(
    "--stage", help="draft, submitted, acknowledged, interview_scheduled, info_requested, decided, withdrawn."
)
@click.option("--type", "kind", help=TYPES_HELP)
@json_option
@pass_app
def application_list(
    app: AppContext, code: str | None, stage: str | None, kind: str | None, as_json: bool
) -> None:
    """List applications (of case CODE, or of every case you can open)."""
    from trpkit.services.applications_list import list_applications

    with app.session() as session:
        rows = list_applications(session, app.actor(session), code=code, stage=stage, type=kind)
    if as_json:
        emit_json(rows)
        return
    from trpkit.presenters.applications import LIST_HEADERS, list_row

    table([[cell or "-" for cell in list_row(r)] for r in rows], list(LIST_HEADERS))


@application_group.command("show")
@click.argument("ref")
@json_option
@pass_app
def application_show(app: AppContext, ref: str, as_json: bool) -> None:
    """Show one application (REF = CASE/A<n>) with its history and decision."""
    from trpkit.services.applications import get_application

    with app.session() as session:
        detail = get_application(session, app.actor(session), ref)
    if as_json:
        emit_json(detail)
    else:
        from trpkit.presenters.applications import application_lines

        echo_lines(application_lines(detail))


@application_group.command("advance")
@click.argument("ref")
@click.argument("stage")
@click.option("--on", "on", help="Date of this step (YYYY-MM-DD; default today).")
@click.option("--due", help="Response deadline (info_requested) or interview date (interview_scheduled).")
@click.option("--note", default="", help="Short note (no names).")
@click.option("--office", help="IRCC office (if it changed or is now known).")
@click.option("--file-number", help="IRCC file number (if now known).")
@click.option("--expected-version", type=int, help="Refuse if the application changed since this version.")
@json_option
@pass_app
def application_advance(
    app: AppContext,
    ref: str,
    stage: str,
    on: str | None,
    due: str | None,
    note: str,
    office: str | None,
    file_number: str | None,
    expected_version: int | None,
    as_json: bool,
) -> None:
    """Move application REF to STAGE (submitted, acknowledged, interview_scheduled, info_requested, withdrawn).

    Record the decision itself with 'trpkit decision record REF'.
    """
    from trpkit.services.applications import advance

    with app.session() as session:
        detail = advance(
            session,
            app.actor(session),
            ref,
            stage,
            on=parse_date_option(on, "--on"),
            due_on=parse_date_option(due, "--due"),
            note=note,
            ircc_office=office,
            file_number=file_number,
            expected_version=expected_version,
        )
    if as_json:
        emit_json({"ref": detail.ref, "stage": detail.stage, "version": detail.version})
    else:
        from trpkit.presenters.applications import advanced

        click.echo(advanced(detail))


@application_group.command("edit")
@click.argument("ref")
@click.option("--office", help="IRCC office.")
@click.option("--file-number", help="IRCC file number.")
@click.option("--draft-id", type=int, help="The submission draft used.")
@click.option("--notes", help="Notes (replaces the old ones; no names of third parties).")
@click.option("--expected-version", type=int, help="Refuse if the application changed since this version.")
@json_option
@pass_app
def application_edit(
    app: AppContext,
    ref: str,
    office: str | None,
    file_number: str | None,
    draft_id: int | None,
    notes: str | None,
    expected_version: int | None,
    as_json: bool,
) -> None:
    """Change the office, file number, linked draft or notes of application REF."""
    from trpkit.services.applications import update_application

    with app.session() as session:
        detail = update_application(
            session,
            app.actor(session),
            ref,
            ircc_office=office,
            file_number=file_number,
            draft_id=draft_id,
            notes=notes,
            expected_version=expected_version,
        )
    if as_json:
        emit_json({"ref": detail.ref, "version": detail.version})
    else:
        click.echo(f"{detail.ref} saved (version {detail.version}).")


@application_group.command("policy")
@click.option("--on", "on", help="The date to look up (YYYY-MM-DD; default today).")
@click.option("--all", "show_all", is_flag=True, help="List every policy period.")
@json_option
def application_policy(on: str | None, show_all: bool, as_json: bool) -> None:
    """The IRCC rules in force on a date (from checklists/policy-periods.toml), with their sources' status."""
    from trpkit.domain.ircc_periods import NoPolicyPeriod
    from trpkit.loading.errors import DataFileError
    from trpkit.loading.ircc_periods import policy_data

    day = parse_date_option(on, "--on") or date.today()
    try:
        data = policy_data()
        periods = list(data.periods) if show_all else [data.in_force(day)]
        ambiguous = [] if show_all else [p.id for p in data.possibly_in_force(day)]
    except (NoPolicyPeriod, DataFileError) as exc:
        raise UsageError(str(exc)) from None
    if as_json:
        emit_json(
            [p.summary() for p in periods] if show_all else {**periods[0].summary(), "possibly": ambiguous}
        )
        return
    for period in periods:
        until = f" to {period.effective_to}" if period.effective_to else " (current)"
        click.echo(f"{period.id}: {period.title}")
        click.echo(
            f"  from {period.effective_from}{until}; start known to the {period.date_precision}"
            f" ({period.date_status})"
        )
        for name, rule in sorted(period.rules.items()):
            value = (
                (", ".join(rule.value) or "none")
                if isinstance(rule.value, list)
                else (
                    {True: "yes", False: "no"}.get(rule.value, rule.value)
                    if isinstance(rule.value, bool)
                    else rule.value
                )
            )
            click.echo(f"  {name}: {value}  [{rule.status}; {', '.join(rule.sources) or 'no source'}]")
    if len(ambiguous) > 1:
        click.echo(
            f"Note: {day} is close to a start date known only roughly; it may fall under "
            f"{' or '.join(ambiguous)}."
        )
