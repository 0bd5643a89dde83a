"""``config.toml``: read and checked against :class:`ConfigFile`; a bad value names its line.

Writing stays in :mod:`trpkit.config` (``tomli_w``); this module only reads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from trpkit.loading.source import read_toml
from trpkit.loading.validate import validate

# Unknown keys are refused like in the data files: a misspelt ``remider_days`` would otherwise be
# ignored without a word. Whole numbers are accepted where minutes are asked (10 or 10.5).
_CONFIG = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)

Text = Annotated[str, Field(min_length=1)]


class Organisation(BaseModel):
    """The letterhead and signatory of every letter (docs/drafting.md)."""

    model_config = _CONFIG
    name: str = ""
    address: str | list[str] = ""  # one text, or one entry per line (what `trpkit org set` writes)
    contact: str = ""
    representative: str = ""
    representative_title: str = ""


class ConfigFile(BaseModel):
    model_config = _CONFIG
    vault: Text | None = None
    database_url: Text | None = None
    user: Text | None = None
    idle_lock_minutes: Annotated[float, Field(gt=0)] | None = None
    reminder_days: Annotated[list[Annotated[int, Field(gt=0)]], Field(min_length=1)] | None = None
    agency: Text | None = None
    organisation: Organisation | None = None


def read_config(path: Path) -> dict[str, Any]:
    """The file's settings as written (absent keys left out); an absent file is no settings."""
    source = read_toml(path, missing_ok=True)
    validate(source, ConfigFile)
    return source.data
