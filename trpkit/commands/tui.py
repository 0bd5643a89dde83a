"""Opening the TUI from the CLI (Textual is imported only here, inside the function)."""

from __future__ import annotations

import click

from trpkit.commands._common import AppContext, pass_app


def run_tui(app: AppContext, demo: bool = False) -> None:
    from trpkit.tui.app import TrpkitApp

    settings = app.settings
    TrpkitApp(settings, demo=demo).run()


@click.command("tui")
@pass_app
def tui_command(app: AppContext) -> None:
    """Open the app (the same as running 'trpkit' alone)."""
    run_tui(app)
