"""trpkit coalition keygen|secret|agencies: this agency's signing key, the coalition secret, trusted members."""

from __future__ import annotations

from pathlib import Path

import click

from trpkit.commands._common import AppContext, emit_json, json_option, pass_app, table
from trpkit.commands.coalition import write_private
from trpkit.errors import UsageError


@click.command("keygen")
@click.option("--agency", help="Your agency's coalition id, e.g. maison-passage.")
@click.option(
    "--replace", is_flag=True, help="Replace an existing key (give the coalition the new public key)."
)
@click.option("--show", is_flag=True, help="Only show the existing public key.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Also write the public key here."
)
@json_option
@pass_app
def keygen_command(
    app: AppContext, agency: str | None, replace: bool, show: bool, output: Path | None, as_json: bool
) -> None:
    """Make this agency's signing key. The private key stays in the vault; share the public key line."""
    from trpkit.services import coalition

    with app.session() as session:
        if show:
            info = coalition.public_key(session)
            if info is None:
                raise UsageError("No coalition key yet: run 'trpkit coalition keygen --agency ID'.")
        else:
            if not agency:
                raise UsageError(
                    "Give your agency's coalition id: --agency ID (e.g. --agency maison-passage)."
                )
            info = coalition.keygen(session, app.actor(session), agency, replace=replace)
    if output:
        write_private(output, info.public_key_file.encode("utf-8"))
    if as_json:
        emit_json(info)
        return
    click.echo(info.public_key_file.rstrip())
    click.echo(
        f"fingerprint {info.fingerprint}"
        + (f"; public key written to {output}" if output else "")
        + ". Give the line above to the coalition (trpkit coalition agencies add)."
    )


@click.command("secret")
@click.option(
    "--new", "make_new", is_flag=True, help="Make a new coalition secret (the coordinator does this once)."
)
@click.option(
    "--import",
    "import_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Store the coalition secret from this file in the vault.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Where --new writes the secret."
)
@pass_app
def secret_command(app: AppContext, make_new: bool, import_file: Path | None, output: Path | None) -> None:
    """The coalition's record-id secret: shared with member agencies, never with analysts."""
    from trpkit.services import coalition

    if make_new == bool(import_file):
        raise UsageError(
            "Use either --new -o FILE (make a secret) or --import FILE (store one in this vault)."
        )
    if make_new:
        if output is None:
            raise UsageError("Say where to write the new secret: --new -o FILE")
        if output.exists():
            raise UsageError(f"{output} exists; choose another file name.")
        output.write_text(coalition.new_secret() + "\n", encoding="utf-8")
        output.chmod(0o600)
        click.echo(
            f"New coalition secret written to {output}. Give it to member agencies only, by a safe channel."
        )
        return
    assert import_file is not None
    with app.session() as session:
        fingerprint = coalition.set_secret(
            session, app.actor(session), import_file.read_text(encoding="utf-8")
        )
    click.echo(
        f"Coalition secret stored in the vault (fingerprint {fingerprint}). You may delete {import_file}."
    )


@click.group("agencies")
def agencies_group() -> None:
    """Member agencies whose packages the coalition accepts."""


@agencies_group.command("add")
@click.argument("key_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_app
def agencies_add(app: AppContext, key_file: Path) -> None:
    """Accept packages signed with the public key in KEY_FILE (from 'trpkit coalition keygen')."""
    from trpkit.services import coalition

    with app.session() as session:
        row = coalition.add_agency(session, app.actor(session), key_file.read_text(encoding="utf-8"))
    click.echo(f"{row.agency} added (key {row.fingerprint}).")


@agencies_group.command("list")
@json_option
@pass_app
def agencies_list(app: AppContext, as_json: bool) -> None:
    """List member agencies and their key fingerprints."""
    from trpkit.services import coalition

    with app.session() as session:
        rows = coalition.list_agencies(session, app.actor(session))
    if as_json:
        emit_json(rows)
        return
    table(
        [[r.agency, r.fingerprint, "yes" if r.active else "no", r.added_at.date().isoformat()] for r in rows],
        ["agency", "key", "active", "added"],
    )
