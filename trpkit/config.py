"""Settings: command-line options, then TRPKIT_* environment variables, then config.toml, then defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trpkit.db.target import Target
from trpkit.errors import UsageError
from trpkit.paths import default_vault_path

DEFAULT_IDLE_LOCK_MINUTES = 10.0
DEFAULT_REMINDER_DAYS = (120, 90, 60, 30)


def config_path() -> Path:
    override = os.environ.get("TRPKIT_CONFIG")
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path("trpkit", appauthor=False) / "config.toml"


def read_config_file(path: Path) -> dict[str, Any]:
    """The file's settings, checked (a bad value names its line); imported only when a file exists."""
    if not path.exists():
        return {}
    from trpkit.loading.config_file import read_config

    return read_config(path)


@dataclass(frozen=True)
class Settings:
    target: Target
    username: str | None = None
    idle_lock_minutes: float = DEFAULT_IDLE_LOCK_MINUTES
    reminder_days: tuple[int, ...] = DEFAULT_REMINDER_DAYS
    agency: str = "agency"
    extra: dict[str, Any] = field(default_factory=dict)


def resolve(vault: str | None = None, db_url: str | None = None, user: str | None = None) -> Settings:
    file_values = read_config_file(config_path())
    url = db_url or os.environ.get("TRPKIT_DATABASE_URL") or file_values.get("database_url")
    vault_value = vault or os.environ.get("TRPKIT_VAULT") or file_values.get("vault")
    if url and vault:
        raise UsageError("Give either --vault or --db, not both.")
    if url and not vault:
        target = Target(url=str(url))
    else:
        target = Target(vault_path=Path(vault_value).expanduser() if vault_value else default_vault_path())
    idle = os.environ.get("TRPKIT_IDLE_LOCK_MINUTES") or file_values.get("idle_lock_minutes")
    try:
        idle_minutes = float(idle) if idle is not None else DEFAULT_IDLE_LOCK_MINUTES
    except ValueError:
        raise UsageError(f"idle_lock_minutes must be a number of minutes, not '{idle}'") from None
    reminders = file_values.get("reminder_days", DEFAULT_REMINDER_DAYS)
    return Settings(
        target=target,
        username=user or os.environ.get("TRPKIT_USER") or file_values.get("user"),
        idle_lock_minutes=idle_minutes,
        reminder_days=tuple(int(d) for d in reminders),
        agency=str(file_values.get("agency", "agency")),
        extra={k: v for k, v in file_values.items() if k not in {"database_url", "vault", "user"}},
    )


# --------------------------------------------------------------------------------------------------
# The [organisation] table: the letterhead and the signatory of every letter (docs/drafting.md)

ORGANISATION_KEYS = ("name", "address", "contact", "representative", "representative_title")


def read_organisation(path: Path | None = None) -> dict[str, Any]:
    """The ``[organisation]`` table of config.toml as written (empty when not set)."""
    raw = read_config_file(path or config_path()).get("organisation") or {}
    if not isinstance(raw, dict):
        raise UsageError("[organisation] in config.toml must be a table (see docs/drafting.md)")
    return dict(raw)


def write_organisation(values: dict[str, Any], path: Path | None = None) -> Path:
    """Replace the ``[organisation]`` table, keeping every other setting; atomic, with a .bak copy.

    tomllib/tomli-w do not keep comments: the previous file is kept beside it as config.toml.bak.
    """
    import tempfile

    import tomli_w

    target = path or config_path()
    current = read_config_file(target)
    unknown = set(values) - set(ORGANISATION_KEYS)
    if unknown:
        raise UsageError(f"unknown organisation setting(s) {', '.join(sorted(unknown))}")
    current["organisation"] = {k: values[k] for k in ORGANISATION_KEYS if k in values}
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.with_name(target.name + ".bak").write_bytes(target.read_bytes())
    handle, tmp = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            tomli_w.dump(current, out)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
