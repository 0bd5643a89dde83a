"""trpkit translations list | set | remove: French versions of a case's content for French letters."""

from __future__ import annotations

from pathlib import Path

import click

from trpkit.commands._common import AppContext, emit_json, json_option, pass_app, table
from trpkit.errors import UsageError

STATUS_WORDS = {
    "translated": "translated",
    "outdated": "CHANGED since translated",
    "missing": "MISSING",
    "already": "already in French",
}


@click.group("translations")
def translations_group() -> None:
    """French versions of what a French letter shows (events, summaries, notes, exhibits, facts, quotes)."""


@translations_group.command("list")
@click.argument("code")
@click.option("--template", "-t", default="trp-initial", show_default=True, metavar="NAME")
@click.option(
    "--missing", "only_missing", is_flag=True, help="Only the pieces still without a French version."
)
@json_option
@pass_app
def list_command(app: AppContext, code: str, template: str, only_missing: bool, as_json: bool) -> None:
    """Every piece of CODE's content a French letter shows, and whether it has its French version."""
    from trpkit.services.drafting_translations import translation_status

    with app.session() as session:
        pieces = translation_status(session, app.actor(session), code, template=template)
    if only_missing:
        pieces = tuple(p for p in pieces if p.status in ("missing", "outdated"))
    if as_json:
        emit_json(pieces)
        return
    if not pieces:
        click.echo("Nothing to translate." if only_missing else "The letter shows no case content yet.")
        return
    rows = [[p.piece, STATUS_WORDS[p.status], p.label, _short(p.text or p.original)] for p in pieces]
    table(rows, ["Piece", "Status", "What", "Text"])


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat[:60] + ("…" if len(flat) > 60 else "")


@translations_group.command("set")
@click.argument("code")
@click.argument("piece")
@click.option("--text", required=True, help="The French version (or @FILE to read it from a file).")
@click.option("--translator", required=True, help="Who translated it (the letter names them for quotes).")
@pass_app
def set_command(app: AppContext, code: str, piece: str, text: str, translator: str) -> None:
    """Write the French version of PIECE (an id from 'trpkit translations list CODE')."""
    from trpkit.services.drafting_translations import set_translation

    if text.startswith("@"):
        try:
            text = Path(text[1:]).expanduser().read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot read {text[1:]}: {exc.strerror}") from None
    with app.session() as session:
        done = set_translation(session, app.actor(session), code, piece, text=text, translator=translator)
    click.echo(f"Saved the French version of {done.label} ({done.piece}), translated by {done.translator}.")


@translations_group.command("remove")
@click.argument("code")
@click.argument("piece")
@pass_app
def remove_command(app: AppContext, code: str, piece: str) -> None:
    """Remove the French version of PIECE (the letter is blocked again until it has one)."""
    from trpkit.services.translations import remove_version

    with app.session() as session:
        remove_version(session, app.actor(session), code, piece)
    click.echo(f"Removed the French version of {piece}.")
