"""Presenter lines on the terminal, shared by the commands of applications, decisions and the clock."""

from __future__ import annotations

import click


def echo_lines(lines: list[str]) -> None:
    """Presenter lines, with any control character in a person's notes made harmless."""
    from trpkit.domain.terminal import for_terminal

    click.echo("\n".join(for_terminal(line) for line in lines))
