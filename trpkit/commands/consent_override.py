"""trpkit consent override CODE: a supervisor's recorded decision where the person cannot give consent."""

from __future__ import annotations

import click

from trpkit.commands._common import AppContext, pass_app


@click.command("override")
@click.argument("code")
@click.option(
    "--purpose",
    required=True,
    help="prepare_file, submit_to_ircc, coalition_sharing, law_enforcement, ngo_contact or quote_own_words.",
)
@click.option("--decision", required=True, type=click.Choice(["given", "refused", "withdrawn"]))
@click.option(
    "--reason", required=True, help="Why you decide instead of the person (at least 15 characters)."
)
@pass_app
def consent_override_command(app: AppContext, code: str, purpose: str, decision: str, reason: str) -> None:
    """Record a consent decision on a supervisor's authority, with a mandatory reason (logged)."""
    from trpkit.services.consent_override import override_consent

    with app.session() as session:
        state = override_consent(
            session, app.actor(session), code, purpose=purpose, decision=decision, reason=reason
        )
    click.echo(f"{code.strip().upper()}: '{state.label}' is now {state.state} (supervisor override, logged).")
