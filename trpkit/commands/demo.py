"""trpkit demo: a vault full of fictional cases, opened in the app."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from trpkit.commands._common import AppContext, pass_app
from trpkit.errors import UsageError


@click.command("demo")
@click.option("--cases", "n", default=60, show_default=True, help="How many fictional cases to generate.")
@click.option("--seed", default=2026, show_default=True, help="Same seed, same cases.")
@click.option(
    "--path",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the demo vault (default: demo.trpvault in your data folder).",
)
@click.option("--fresh", is_flag=True, help="Replace an existing demo vault.")
@click.option("--no-tui", is_flag=True, help="Only create the demo vault; do not open the app.")
@pass_app
def demo_command(app: AppContext, n: int, seed: int, path: Path | None, fresh: bool, no_tui: bool) -> None:
    """Open trpkit on a demo vault of fictional cases (its passphrase is shown on the unlock screen)."""
    from trpkit.paths import demo_vault_path

    if path is None and app.vault:
        click.echo(
            "The demo keeps its own file and never touches your vault (--vault / TRPKIT_VAULT); "
            "--path chooses where the demo goes.",
            err=True,
        )
    path = path or demo_vault_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with _demo_lock(path):
        _make_and_open(app, path, n, seed, fresh, no_tui)


@contextmanager
def _demo_lock(path: Path) -> Iterator[None]:
    """One demo at a time per file: a second run would replace or delete the vault the first is using."""
    import fcntl
    import os

    lock_path = path.with_name(f".{path.name}.lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(
                f"Another trpkit demo is using {path} right now. Close it first, or give this one "
                "another file with --path."
            ) from None
        yield
    finally:
        os.close(fd)  # releases the lock


def _make_and_open(app: AppContext, path: Path, n: int, seed: int, fresh: bool, no_tui: bool) -> None:
    from trpkit.db.database import create_vault
    from trpkit.demo import DEMO_PASSPHRASE, generate
    from trpkit.services.users import create_user

    if fresh and path.exists():
        path.unlink()
    if not path.exists():
        import os

        click.echo(f"Creating a demo vault with {n} fictional cases at {path}", err=True)
        # Built under a temporary name, renamed when complete: an interrupted run leaves no half-made demo.
        building = path.with_name(f".{path.name}.building-{os.getpid()}")
        for stale in path.parent.glob(f".{path.name}.building-*"):  # left by an interrupted earlier run
            stale.unlink(missing_ok=True)
        db = create_vault(building, DEMO_PASSPHRASE)
        with db.session() as session:
            create_user(session, "demo", role="supervisor", display_name="Demo accompanier")
            from trpkit.services.users import actor_for

            actor = actor_for(session, "demo")
            with click.progressbar(length=n, label="Generating cases", file=sys.stderr) as bar:
                generate(session, actor, n, seed, progress=bar.update)
        db.close()
        os.replace(building, path)
    else:
        click.echo(f"Using the existing demo vault at {path} (--fresh to regenerate)", err=True)
    click.echo(f"Demo passphrase: {DEMO_PASSPHRASE}", err=True)
    if not no_tui:
        from trpkit.commands.tui import run_tui

        app.vault = str(path)
        app.user = "demo"
        run_tui(app, demo=True)
