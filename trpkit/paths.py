"""Where trpkit finds its data files (templates, checklists) and keeps the default vault."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    # In a source checkout (or editable install) the folders sit beside the package;
    # in an installed wheel they are bundled as trpkit/_data/<name>.
    checkout = _PACKAGE_DIR.parent / name
    if checkout.is_dir():
        return checkout
    return _PACKAGE_DIR / "_data" / name


def templates_dir() -> Path:
    override = os.environ.get("TRPKIT_TEMPLATES_DIR")
    return Path(override) if override else _data_dir("templates")


def checklists_dir() -> Path:
    override = os.environ.get("TRPKIT_CHECKLISTS_DIR")
    return Path(override) if override else _data_dir("checklists")


def user_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("trpkit", appauthor=False)


def default_vault_path() -> Path:
    return user_data_dir() / "vault.trpvault"


def demo_vault_path() -> Path:
    return user_data_dir() / "demo.trpvault"
