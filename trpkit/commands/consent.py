"""trpkit consent record|show."""

from __future__ import annotations

import click

from trpkit.commands._common import AppContext, emit_json, json_option, parse_date_option, pass_app, table
from trpkit.domain.vocab import ConsentMethod, ConsentPurpose


@click.group("consent")
def consent_group() -> None:
    """The person's consent, per purpose, with its history."""


@consent_group.command("record")
@click.argument("code")
@click.option("--purpose", required=True, type=click.Choice([p.value for p in ConsentPurpose]))
@click.option("--given", "decision", flag_value="given", help="The person agreed.")
@click.option("--refused", "decision", flag_value="refused", help="The person said no.")
@click.option("--withdrawn", "decision", flag_value="withdrawn", help="The person took back an earlier yes.")
@click.option("--method", required=True, type=click.Choice([m.value for m in ConsentMethod]))
@click.option("--interpreter", default="", help="Interpreter's name, when consent went through one.")
@click.option("--note", default="")
@click.option(
    "--date",
    "decided_on",
    help="The day the person decided (YYYY-MM-DD), when it was earlier than today; default: now.",
)
@json_option
@pass_app
def consent_record(
    app: AppContext,
    code: str,
    purpose: str,
    decision: str | None,
    method: str,
    interpreter: str,
    note: str,
    decided_on: str | None,
    as_json: bool,
) -> None:
    """Record a consent decision (one of --given, --refused, --withdrawn)."""
    from trpkit.errors import UsageError
    from trpkit.services.consent import decided_at_for, record_consent

    if decision is None:
        raise UsageError("Say what the person decided: --given, --refused or --withdrawn.")
    day = parse_date_option(decided_on, "--date")
    when = decided_at_for(day) if day is not None else None
    with app.session() as session:
        state = record_consent(
            session,
            app.actor(session),
            code,
            purpose=purpose,
            decision=decision,
            method=method,
            interpreter=interpreter,
            note=note,
            decided_at=when,
        )
    if as_json:
        emit_json(state)
    else:
        click.echo(f"{code}: {state.label}: {state.state}")


@consent_group.command("show")
@click.argument("code")
@click.option("--history", is_flag=True, help="Show every decision, not just the current state.")
@json_option
@pass_app
def consent_show(app: AppContext, code: str, history: bool, as_json: bool) -> None:
    """Show the current consent per purpose."""
    from trpkit.services.consent import consent_status

    with app.session() as session:
        states = consent_status(session, app.actor(session), code)
    if as_json:
        emit_json(states)
        return
    rows = []
    for s in states:
        rows.append([s.purpose, s.state, s.since.date().isoformat() if s.since else "-", s.label])
        if history:
            for r in s.history:
                late = (
                    f", recorded {r.recorded_at.date().isoformat()}"
                    if r.recorded_at.date() != r.decided_at.date()
                    else ""
                )
                rows.append(
                    [
                        "",
                        f"  {r.decision}",
                        r.decided_at.date().isoformat(),
                        f"{r.method.replace('_', ' ')} by {r.recorded_by}{late}",
                    ]
                )
    table(rows, ["purpose", "state", "since", "meaning"])


def _add_override() -> None:
    # The supervisor's consent override lives in its own module.
    from trpkit.commands.consent_override import consent_override_command

    consent_group.add_command(consent_override_command)


_add_override()
