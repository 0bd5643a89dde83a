"""trpkit readiness: what blocks or weakens a draft, and where to fix each point."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from trpkit.commands._common import AppContext, emit_json, json_option, parse_date_option, pass_app

if TYPE_CHECKING:
    from trpkit.domain.readiness import Finding


def _print_findings(findings: Sequence[Finding]) -> None:
    if not findings:
        click.echo("Ready: no blockers, no warnings.")
        return
    for finding in findings:
        mark = "BLOCKER" if finding.is_blocker else "warning"
        click.echo(f"{mark:8} {finding.message}")
        click.echo(f"{'':8}   fix: {finding.fix}")


@click.command("readiness")
@click.argument("code")
@click.option("--template", "-t", "template", default="trp-initial", show_default=True, metavar="NAME")
@click.option("--lang", "language", type=click.Choice(["en", "fr"]), default="en", show_default=True)
@click.option("--redacted", is_flag=True, help="Check for a redacted copy (consent to submit not needed).")
@click.option("--date", "on", metavar="YYYY-MM-DD", help="Date of the letter (default today).")
@json_option
@pass_app
def readiness_command(
    app: AppContext, code: str, template: str, language: str, redacted: bool, on: str | None, as_json: bool
) -> None:
    """List what blocks or weakens a draft for CASE, and where to fix each point.

    Exit status 0 when ready (warnings allowed), 1 when there are blockers.
    """
    from trpkit.services.drafting import organisation_from_settings, readiness

    with app.session() as session:
        report = readiness(
            session,
            app.actor(session),
            code,
            template=template,
            language=language,
            redacted=redacted,
            on=parse_date_option(on, "--date"),
            organisation=organisation_from_settings(app.settings.extra),
        )
    if as_json:
        emit_json(
            {
                "case": report.case_code,
                "template": report.template,
                "language": report.language,
                "redacted": report.redacted,
                "ready": report.ready,
                "blockers": report.blockers,
                "warnings": report.warnings,
                "internal": report.internal,
            }
        )
    else:
        click.echo(
            f"{report.case_code}: {report.template} ({report.language}) — "
            f"{'ready' if report.ready else 'NOT ready'}: {len(report.blockers)} blocker(s), "
            f"{len(report.warnings)} warning(s)"
        )
        _print_findings(report.findings)
        if report.internal:
            click.echo("For you, not the officer (kept out of the letter):")
            for text in report.internal:
                click.echo(f"  - {text}")
    if not report.ready:
        raise click.exceptions.Exit(1)
