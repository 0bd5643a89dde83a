"""What every command shares: settings, opening the database, the acting user, JSON output."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from trpkit.errors import UsageError, VaultError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from trpkit.config import Settings
    from trpkit.db.database import Database
    from trpkit.services.actor import Actor

F = TypeVar("F", bound=Callable[..., Any])


def passphrase_from_env_or_prompt(prompt: str = "Vault passphrase") -> str:
    value = os.environ.get("TRPKIT_PASSPHRASE")
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise VaultError("No passphrase: set TRPKIT_PASSPHRASE when running without a terminal.")
    return str(click.prompt(prompt, hide_input=True))


class AppContext:
    """Lazily opened database for one command invocation."""

    def __init__(self, vault: str | None, db_url: str | None, user: str | None) -> None:
        self.vault = vault
        self.db_url = db_url
        self.user = user
        self._settings: Settings | None = None
        self._db: Database | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from trpkit.config import resolve

            self._settings = resolve(self.vault, self.db_url, self.user)
        return self._settings

    def database(self, *, check_schema: bool = True) -> Database:
        if self._db is None:
            from trpkit.db.database import open_target

            target = self.settings.target
            passphrase = passphrase_from_env_or_prompt() if target.is_vault else None
            if target.is_vault:
                from trpkit.db.vault import read_salt

                assert target.vault_path is not None  # is_vault means a vault path
                read_salt(target.vault_path)  # say "no vault here" before asking anything else
            # On a server each person's login takes their own password: ~/.pgpass, or TRPKIT_PASSWORD
            # (used only if the server asks for one).
            password = None if target.is_vault else os.environ.get("TRPKIT_PASSWORD")
            db = open_target(target, passphrase, password=password)
            self._db = db
            if check_schema:
                db.require_current_schema()
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    @contextmanager
    def session(self) -> Iterator[Any]:
        with self.database().session() as session:
            yield session

    def actor(self, session: Session) -> Actor:
        """The acting user; an account with a password signs in (TRPKIT_PASSWORD or a prompt)."""
        from trpkit.services.sign_in import resolve_actor

        def ask(username: str) -> str | None:
            value = os.environ.get("TRPKIT_PASSWORD")
            if value is not None:
                return value
            if not sys.stdin.isatty():
                return None
            return str(click.prompt(f"Password for {username}", hide_input=True))

        return resolve_actor(session, self.settings.username, ask)


# Commands that take **options must mark ``app`` positional-only (``app: AppContext, /``) for mypy.
pass_app = click.make_pass_decorator(AppContext)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")(func)


def to_jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    return value


def emit_json(value: Any) -> None:
    click.echo(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2))


def parse_date_option(value: str | None, what: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{what} '{value}' is not a date: use YYYY-MM-DD") from None


def table(rows: list[list[str]], headers: list[str]) -> None:
    """A plain aligned table for terminals (no colours: output is often piped); no control characters."""
    from trpkit.domain.terminal import for_terminal

    rows = [[for_terminal(c) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(str(c))) for w, c in zip(widths, row, strict=False)]
    click.echo("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=False)).rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for row in rows:
        click.echo("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=False)).rstrip())


def shorten(text: str, width: int = 60) -> str:
    """One line of at most ``width`` characters, for a table cell."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
