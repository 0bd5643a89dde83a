"""trpkit search QUERY: search the narratives of the cases you can open."""

from __future__ import annotations

import click

from trpkit.commands._common import AppContext, emit_json, json_option, pass_app


@click.command("search")
@click.argument("query")
@click.option("--case", "case_code", help="Only this case.")
@click.option("--limit", default=50, show_default=True, help="At most this many results.")
@json_option
@pass_app
def search_command(app: AppContext, query: str, case_code: str | None, limit: int, as_json: bool) -> None:
    """Search the narratives of the cases you can open.

    QUERY: words (all must appear), "a phrase", OR, -word to exclude, word* for a prefix.
    """
    from trpkit.services.search import search

    with app.session() as session:
        hits = search(session, app.actor(session), query, case_code=case_code, limit=limit)
    if as_json:
        emit_json(
            [
                {**{k: v for k, v in vars(h).items() if k != "snippet"}, "snippet": h.marked("«", "»")}
                for h in hits
            ]
        )
        return
    if not hits:
        click.echo("No matches.")
        return
    from trpkit.commands._safe_output import colour_on, styled

    color = colour_on()
    for h in hits:
        # The snippet is the person's words: styled() cleans them before trpkit adds its highlight.
        snippet = "".join(
            styled(t, bold=True, underline=True) if hl and color else (f"[{t}]" if hl else t)
            for t, hl in h.snippet_parts()
        )
        click.echo(f"{h.case_code}  entry {h.entry_id}  {h.meeting_date}  {h.kind.replace('_', ' ')}")
        click.echo(f"    {' '.join(snippet.split())}")
