"""trpkit draft-notes: what the accompanier writes for the submission (safety, risks, needs, ties)."""

from __future__ import annotations

from pathlib import Path

import click

from trpkit.commands._common import AppContext, emit_json, json_option, pass_app
from trpkit.errors import UsageError


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
