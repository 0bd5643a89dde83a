"""The ``trpkit`` program's entry point: bare ``trpkit`` opens the app at once; anything else goes to the
command line (``trpkit.cli``).

Opening the app does not import click: its tens of milliseconds of imports would be paid before the
unlock screen's first paint (tests/benchmarks/bench_first_paint.py). Only a line made of the app's own
options takes this way; any other word, ``--help`` or a mistake is read and explained by click.
"""

from __future__ import annotations

import sys

# The options bare ``trpkit`` takes (those of ``trpkit.cli.cli``; any other goes to click).
_APP_OPTIONS = {"--vault": "vault", "--db": "db_url", "--user": "user"}


def _app_options(args: list[str]) -> dict[str, str] | None:
    """The options of a line that only opens the app (``trpkit [--vault P] [--db U] [--user N]``), or None
    for anything else (a command, --help, a mistake), which click reads and explains."""
    found: dict[str, str] = {}
    rest = iter(args)
    for arg in rest:
        name, equals, value = arg.partition("=")
        if name not in _APP_OPTIONS:
            return None
        if not equals:
            value = next(rest, "")
        if not value or value.startswith("-"):
            return None
        found[_APP_OPTIONS[name]] = value
    return found


def _open_the_app(options: dict[str, str]) -> None:
    """Bare ``trpkit``: straight to the app, without click (tens of milliseconds of imports the unlock
    screen's first paint would wait for). The app writes through its own driver, not sys.stdout."""
    from trpkit.config import resolve
    from trpkit.errors import TrpkitError
    from trpkit.files import private_umask

    private_umask()
    try:
        settings = resolve(options.get("vault"), options.get("db_url"), options.get("user"))
    except TrpkitError as exc:
        from trpkit.domain.terminal import for_terminal

        print(f"Error: {for_terminal(exc)}", file=sys.stderr)
        sys.exit(exc.exit_code)
    from trpkit.loading.date_phrases import install
    from trpkit.tui.app import TrpkitApp

    install()  # the fuzzy-date parser reads checklists/date_phrases/ through the loading layer
    TrpkitApp(settings).run()


def main() -> None:
    options = _app_options(sys.argv[1:])
    if options is None:
        from trpkit.cli import main as command_line

        command_line()
        return
    try:
        _open_the_app(options)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        sys.exit(130)
