"""trpkit draft | draft-notes | readiness | templates | checklist."""

from __future__ import annotations

from pathlib import Path

import click

from trpkit.commands._common import AppContext, emit_json, json_option, parse_date_option, pass_app, table
from trpkit.errors import UsageError


def _organisation(app: AppContext):  # type: ignore[no-untyped-def]
    from trpkit.services.drafting import organisation_from_settings

    return organisation_from_settings(app.settings.extra)


def _print_findings(findings) -> None:  # type: ignore[no-untyped-def]
    if not findings:
        click.echo("Ready: no blockers, no warnings.")
        return
    for finding in findings:
        mark = "BLOCKER" if finding.is_blocker else "warning"
        click.echo(f"{mark:8} {finding.message}")
        click.echo(f"{'':8}   fix: {finding.fix}")


# --------------------------------------------------------------------------------------------------
# draft


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
    from trpkit.services.drafting import generate_draft, write_internal_note

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
            organisation=_organisation(app),
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


# --------------------------------------------------------------------------------------------------
# drafts


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


# --------------------------------------------------------------------------------------------------
# draft-notes


@click.command("draft-notes")
@click.argument("code")
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="SECTION=TEXT",
    help="vulnerabilities, safety, risks_on_return, continued_need, recovery, criminal_case, "
    "needs_health, needs_housing, needs_work, the person's ties in Canada (subsequent letter): "
    "ties_work, ties_studies, ties_community, ties_family, ties_treatment; ircc_office, "
    "request_work_permit=yes|no, "
    "request_ifhp=yes|no, health_coverage=none|other|unknown (other coverage than IFHP: the letter "
    "says 'no other coverage' only for none). TEXT may be @FILE to read it from a file.",
)
@click.option("--expected-version", type=int, help="Refuse if the notes changed since this version.")
@json_option
@pass_app
def draft_notes_command(
    app: AppContext, code: str, assignments: tuple[str, ...], expected_version: int | None, as_json: bool
) -> None:
    """Show or change what you write for the submission: safety, risks on return, needs, recovery.

    Blank lines separate paragraphs; each becomes a numbered paragraph of the letter.
    """
    from trpkit.services.drafting_notes import get_notes, update_notes

    values: dict[str, str] = {}
    for item in assignments:
        if "=" not in item:
            raise UsageError(f"'{item}' is not SECTION=TEXT")
        key, value = item.split("=", 1)
        if value.startswith("@"):
            try:
                value = Path(value[1:]).expanduser().read_text(encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"cannot read {value[1:]}: {exc.strerror}") from None
        values[key.strip()] = value
    with app.session() as session:
        actor = app.actor(session)
        notes = (
            update_notes(session, actor, code, expected_version=expected_version, **values)
            if values
            else get_notes(session, actor, code)
        )
    if as_json:
        emit_json(notes)
        return
    click.echo(f"{notes.case_code} submission notes (version {notes.version})")
    click.echo(
        f"  request work permit: {'yes' if notes.request_work_permit else 'no'}   "
        f"request IFHP: {'yes' if notes.request_ifhp else 'no'}   "
        f"other health coverage: {notes.health_coverage}"
    )
    for key, value in notes.values.items():
        shown = " ".join(value.split())
        click.echo(f"  {key}: {shown[:100] + ('…' if len(shown) > 100 else '') if shown else '-'}")


# --------------------------------------------------------------------------------------------------
# readiness


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
    from trpkit.services.drafting import readiness

    with app.session() as session:
        report = readiness(
            session,
            app.actor(session),
            code,
            template=template,
            language=language,
            redacted=redacted,
            on=parse_date_option(on, "--date"),
            organisation=_organisation(app),
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


# --------------------------------------------------------------------------------------------------
# templates


@click.group("templates")
def templates_group() -> None:
    """Word templates: list them, or check one for mistakes before using it."""


@templates_group.command("list")
@json_option
def templates_list(as_json: bool) -> None:
    """The templates trpkit can draft from (name, language, application type)."""
    from trpkit.documents.templates import discover
    from trpkit.paths import templates_dir

    found = discover()
    if as_json:
        emit_json(
            [
                {
                    "name": t.name,
                    "language": t.language,
                    "title": t.title,
                    "application_type": t.application_type,
                    "path": t.path,
                    "sample": t.sample_path if t.sample_path.exists() else None,
                }
                for t in found
            ]
        )
        return
    if not found:
        click.echo(f"No templates in {templates_dir()}.")
        return
    table(
        [[t.name, t.language, t.application_type or "-", t.title] for t in found],
        ["name", "lang", "checklist", "title"],
    )


@templates_group.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--strict", is_flag=True, help="Treat warnings (unused variables, text beside {%p tags) as errors."
)
@json_option
def templates_check(paths: tuple[Path, ...], strict: bool, as_json: bool) -> None:
    """Lint templates (all of them, or the .docx files / folders given).

    Reports tags split across Word runs, unclosed tags, undeclared and unused variables, Jinja syntax
    errors and tags left unrendered, naming the tag and the paragraph. Exit status 1 on errors.
    """
    from trpkit.documents.context import provided_paths
    from trpkit.documents.lint import lint_template
    from trpkit.documents.templates import describe, discover

    files: list[Path] = []
    if not paths:
        files = [t.path for t in discover()]
    for path in paths:
        files += sorted(path.glob("*.docx")) if path.is_dir() else [path]
    provided = provided_paths()
    results = {}
    for path in files:
        info = describe(path)
        sample = info.load_sample() if info.sample_path.exists() else None
        problems = lint_template(path, sample, provided)
        if sample is None:
            from trpkit.documents.lint import LintProblem

            problems.insert(
                0,
                LintProblem(
                    "warning",
                    "no-sample",
                    "template",
                    f"no {info.sample_path.name}: variables checked against trpkit's "
                    "context only, and the template was not test-rendered",
                ),
            )
        results[path] = problems
    errors = sum(1 for ps in results.values() for p in ps if p.severity == "error" or strict)
    if as_json:
        emit_json([{"template": str(path), "problems": problems} for path, problems in results.items()])
    else:
        for path, problems in results.items():
            if not problems:
                click.echo(f"{path.name}: ok")
            for problem in problems:
                click.echo(f"{path.name}: {problem}")
    if errors:
        raise click.exceptions.Exit(1)


# --------------------------------------------------------------------------------------------------
# checklist


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
