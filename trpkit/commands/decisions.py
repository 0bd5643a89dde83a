"""trpkit decision record|show|reasons: IRCC's decisions on applications."""

from __future__ import annotations

import click

from trpkit.commands._common import AppContext, emit_json, json_option, parse_date_option, pass_app, table
from trpkit.commands._lines import echo_lines


@click.group("decision")
def decision_group() -> None:
    """IRCC decisions on applications, with reasons and a snapshot of the file."""


# Long by its options: one per field of a decision (the body only parses them and calls the service).
@decision_group.command("record")
@click.argument("ref")
@click.option(
    "--outcome", required=True, help="granted, refused, partially_granted, withdrawn, returned_incomplete."
)
@click.option("--on", "on", required=True, help="Decision date (YYYY-MM-DD).")
@click.option("--valid-from", help="First day of the permit (default: the decision date).")
@click.option("--valid-to", help="Last day of the permit.")
@click.option("--days", type=int, help="Duration granted in days (instead of --valid-to).")
@click.option("--conditions", default="", help="Conditions written on the permit.")
@click.option("--office", help="IRCC office that decided (default: the application's).")
@click.option("--officer-label", default="", help="Pseudonymous officer label such as VAN-03 (never a name).")
@click.option(
    "--reason", "reasons", multiple=True, help="Refusal reason code (repeat; see 'trpkit decision reasons')."
)
@click.option("--reasons-text", default="", help="The reasons in the letter's own words.")
@click.option("--replace", is_flag=True, help="Correct a decision already recorded.")
@click.option(
    "--expected-version", type=int, help="With --replace: refuse if the decision changed since this version."
)
@json_option
@pass_app
def decision_record(
    app: AppContext,
    ref: str,
    outcome: str,
    on: str,
    valid_from: str | None,
    valid_to: str | None,
    days: int | None,
    conditions: str,
    office: str | None,
    officer_label: str,
    reasons: tuple[str, ...],
    reasons_text: str,
    replace: bool,
    expected_version: int | None,
    as_json: bool,
) -> None:
    """Record IRCC's decision on application REF (CASE/A<n>)."""
    from trpkit.services.decisions import record_decision

    decided = parse_date_option(on, "--on")
    assert decided is not None
    codes = [c for item in reasons for c in item.split(",")]
    with app.session() as session:
        detail = record_decision(
            session,
            app.actor(session),
            ref,
            outcome=outcome,
            decided_on=decided,
            validity_start=parse_date_option(valid_from, "--valid-from"),
            validity_end_on=parse_date_option(valid_to, "--valid-to"),
            duration_days=days,
            conditions=conditions,
            ircc_office=office,
            officer_label=officer_label,
            reasons_text=reasons_text,
            refusal_reasons=codes,
            replace=replace,
            expected_version=expected_version,
        )
    if as_json:
        emit_json(detail)
    else:
        from trpkit.presenters.applications import decided as decided_line

        click.echo(decided_line(detail))


@decision_group.command("show")
@click.argument("ref")
@json_option
@pass_app
def decision_show(app: AppContext, ref: str, as_json: bool) -> None:
    """Show the decision on application REF."""
    from trpkit.services.decisions import get_decision

    with app.session() as session:
        detail = get_decision(session, app.actor(session), ref)
    if as_json:
        emit_json(detail)
    else:
        from trpkit.presenters.applications import decision_lines

        click.echo(detail.ref)
        echo_lines(decision_lines(detail, indent="  "))


@decision_group.command("reasons")
@json_option
def decision_reasons(as_json: bool) -> None:
    """List the refusal-reason codes (from checklists/refusal-reasons.toml)."""
    from trpkit.loading.ircc_periods import refusal_reasons

    reasons = refusal_reasons()
    if as_json:
        emit_json(list(reasons))
        return
    table(
        [
            [r.code, r.group, r.label + (" (against stated policy)" if r.against_policy else "")]
            for r in reasons
        ],
        ["code", "group", "label"],
    )
