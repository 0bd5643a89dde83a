"""trpkit draft | drafts: make a Word document for a case, and list the drafts made for it."""

from __future__ import annotations

from pathlib import Path

import click

from trpkit.commands._common import AppContext, emit_json, json_option, parse_date_option, pass_app, table
from trpkit.errors import UsageError


@click.command("draft")
@click.argument("code")
@click.option(
    "--template",
    "-t",
    "template",
    required=True,
    metavar="NAME",
    help="trp-initial, trp-subsequent, owp-cover, exhibit-index (see 'trpkit templates list').",
)
@click.option(
    "--lang",
    "language",
    type=click.Choice(["en", "fr"]),
    default="en",
    show_default=True,
    help="Language of the draft.",
)
@click.option(
    "--redacted",
    is_flag=True,
    help="Replace names, dates of birth, UCI, addresses, phone numbers and "
    "employers by roles (for supervision or coalition discussion).",
)
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.docx",
    help="Where to write the Word file (nothing is written anywhere else).",
)
@click.option(
    "--date", "on", metavar="YYYY-MM-DD", help="Date of the letter (default today; selects the policy)."
)
@click.option("--force", is_flag=True, help="Replace FILE.docx if it exists.")
@click.option(
    "--internal-note",
    "internal_note",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="NOTE.docx",
    help="Also write the internal cover note (framework caveats, unmet dimensions, accepted warnings), "
    "marked not for submission.",
)
@click.option(
    "--application",
    "application",
    metavar="CASE/A<n>",
    help="Link the draft to this application as the draft used (e.g. TRP-2026-0042/A2).",
)
@json_option
@pass_app
def draft_command(
    app: AppContext,
    code: str,
    template: str,
    language: str,
    redacted: bool,
    output: Path,
    on: str | None,
    force: bool,
    internal_note: Path | None,
    application: str | None,
    as_json: bool,
) -> None:
    """Draft a Word document for CASE from a template, after the readiness check.

    Stops with the list of blockers when the case is not ready (for example no consent to submit
    to IRCC). Warnings are printed and the draft is made. The draft is recorded in the case with its
    SHA-256; the audit log notes the export.
    """
    from trpkit.services.drafting import generate_draft, organisation_from_settings, write_internal_note

    day = parse_date_option(on, "--date")
    if internal_note is not None and internal_note.expanduser().resolve() == output.expanduser().resolve():
        raise UsageError("--internal-note must be another file than the letter")
    with app.session() as session:
        actor = app.actor(session)
        record = generate_draft(
            session,
            actor,
            code,
            template=template,
            output=output.expanduser(),
            language=language,
            redacted=redacted,
            on=day,
            organisation=organisation_from_settings(app.settings.extra),
            overwrite=force,
            application=application,
        )
    note = write_internal_note(record, internal_note.expanduser(), overwrite=force) if internal_note else None
    if as_json:
        emit_json(record)
        return
    for warning in record.findings:
        click.echo(f"warning: {warning.message} (fix: {warning.fix})", err=True)
    kind = "redacted " if record.redacted else ""
    click.echo(f"Wrote {kind}{record.template} ({record.language}) to {record.path}")
    click.echo(
        f"SHA-256 {record.sha256}  (draft #{record.id} recorded in {record.case_code}"
        f"{f', linked to {application.upper()}' if application else ''})"
    )
    if note is not None:
        click.echo(f"Wrote the internal note (not for submission) to {note}")
    elif record.internal:
        click.echo(
            f"{len(record.internal)} internal note(s) kept out of the letter: see them with "
            f"'trpkit readiness {record.case_code} -t {record.template}' or pass --internal-note NOTE.docx",
            err=True,
        )


@click.command("drafts")
@click.argument("code")
@json_option
@pass_app
def drafts_command(app: AppContext, code: str, as_json: bool) -> None:
    """List the drafts made for CASE: template, language, when, by whom, file name, SHA-256.

    Compare a file with its record: sha256sum FILE.docx (or certutil -hashfile FILE.docx SHA256).
    """
    from trpkit.services.drafting import list_drafts

    with app.session() as session:
        records = list_drafts(session, app.actor(session), code)
    if as_json:
        emit_json(records)
        return
    if not records:
        click.echo(
            f"No drafts yet for {code.upper()}: make one with 'trpkit draft {code.upper()} --template ...'."
        )
        return
    table(
        [
            [
                str(r.id),
                r.created_at.strftime("%Y-%m-%d %H:%M"),
                r.template,
                r.language,
                "yes" if r.redacted else "no",
                r.output_filename,
                r.sha256[:16],
                r.created_by,
            ]
            for r in records
        ],
        ["#", "when (UTC)", "template", "lang", "redacted", "file", "sha256", "by"],
    )
