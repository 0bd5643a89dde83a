"""trpkit org show | set: the organisation's letterhead and signatory (config.toml [organisation])."""

from __future__ import annotations

import click

from trpkit.commands._common import emit_json, json_option


def _show(org) -> None:  # type: ignore[no-untyped-def]
    from trpkit.services.organisation import FIELD_LABELS, as_table

    values = as_table(org)
    for key, label in FIELD_LABELS.items():
        value = values[key]
        text = " / ".join(value) if isinstance(value, list) else value
        click.echo(f"{label}: {text or '(not set)'}")
    missing = org.missing()
    if missing:
        click.echo(
            f"Letters are blocked until these are set: {', '.join(missing)} (trpkit org set --help).",
            err=True,
        )


@click.group("org")
def org_group() -> None:
    """The organisation named on every letter and who signs it (stored in config.toml)."""


@org_group.command("show")
@json_option
def show_command(as_json: bool) -> None:
    """Show the organisation's name, address, contact line and signatory."""
    from trpkit.config import config_path
    from trpkit.services.organisation import as_table, current

    org = current()
    if as_json:
        emit_json({**as_table(org), "missing": list(org.missing()), "config": str(config_path())})
        return
    _show(org)


@org_group.command("set")
@click.option("--name", help="The organisation's name, as on its letterhead.")
@click.option(
    "--address",
    multiple=True,
    metavar="LINE",
    help="One address line; repeat for each line (replaces the whole address).",
)
@click.option("--contact", help="Telephone and e-mail an officer can use, on one line.")
@click.option("--representative", help="Who signs the letters and answers the officer.")
@click.option("--title", "representative_title", help="The representative's title (e.g. Accompanier).")
def set_command(
    name: str | None,
    address: tuple[str, ...],
    contact: str | None,
    representative: str | None,
    representative_title: str | None,
) -> None:
    """Change the organisation settings given; the others stay as they are.

    Example: trpkit org set --name "Maison Passerelle" --address "1200 rue Exemple"
    --address "Montréal QC H2X 0A0" --contact "514-555-0100" --representative "Dana Quill"
    --title "Accompanier"
    """
    from trpkit.errors import UsageError
    from trpkit.services.organisation import update

    changes: dict[str, object] = {
        key: value
        for key, value in (
            ("name", name),
            ("contact", contact),
            ("representative", representative),
            ("representative_title", representative_title),
        )
        if value is not None
    }
    if address:
        changes["address"] = list(address)
    if not changes:
        raise UsageError("Nothing to change: give at least one option (trpkit org set --help).")
    org = update(changes)
    click.echo("Saved.")
    _show(org)
