"""trpkit incident export|import: signed incident packages exchanged between member agencies."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from trpkit.commands._common import AppContext, emit_json, json_option, pass_app
from trpkit.errors import UsageError


@click.command("export")
@click.argument("refs", nargs=-1)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Package file (.trpinc)."
)
@click.option(
    "--all", "everything", is_flag=True, help="Every incident of this agency, not only changed ones."
)
@click.option(
    "--policy", "policy_path", type=click.Path(dir_okay=False, path_type=Path), help="Coalition policy file."
)
@pass_app
def export_command(
    app: AppContext, refs: tuple[str, ...], output: Path | None, everything: bool, policy_path: Path | None
) -> None:
    """A signed package of this agency's new and changed incidents, after checking nothing identifies anyone."""
    from trpkit.services import incident_sharing

    target = output or Path(f"incidents-{date.today().isoformat()}.trpinc")
    if target.exists():
        raise UsageError(f"{target} exists: choose another file with -o (nothing is overwritten).")
    with app.session() as session:
        result = incident_sharing.export_incidents(
            session, app.actor(session), refs=refs, everything=everything, policy_path=policy_path
        )
        written = incident_sharing.write_package(target, result.data)
    click.echo(
        f"{written}: {result.incidents} incident(s), {result.withdrawals} withdrawal(s), signed as {result.agency}. "
        "Send it to member agencies and the coordinator."
    )


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@json_option
@pass_app
def import_command(app: AppContext, files: tuple[Path, ...], as_json: bool) -> None:
    """Import incident packages from member agencies (each whole, or not at all)."""
    from trpkit.services import incident_sharing

    results = []
    with app.session() as session:
        actor = app.actor(session)
        for path in files:
            try:
                data = path.read_bytes()
            except OSError as exc:
                results.append(
                    incident_sharing.ImportResult(str(path), False, f"cannot read the file ({exc.strerror})")
                )
                continue
            results.append(incident_sharing.import_package_bytes(session, actor, data, source=str(path)))
    if as_json:
        emit_json(results)
    else:
        for r in results:
            if r.imported:
                click.echo(
                    f"{r.source}: from {r.agency}: {r.new} new, {r.updated} updated, {r.withdrawn} withdrawn"
                    + (f", {r.unchanged} unchanged" if r.unchanged else "")
                )
            else:
                click.echo(f"{r.source}: refused, nothing imported: {r.message}", err=True)
    if any(not r.imported for r in results):
        raise click.exceptions.Exit(1)
