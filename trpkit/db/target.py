"""Where the data lives. Kept free of SQLAlchemy so the app can paint before the database layer loads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Target:
    """An encrypted vault file, or a server URL."""

    vault_path: Path | None = None
    url: str | None = None

    @property
    def is_vault(self) -> bool:
        return self.vault_path is not None

    def describe(self) -> str:
        if self.vault_path is not None:
            return f"vault {self.vault_path}"
        from sqlalchemy.engine import make_url

        return f"server {make_url(self.url or '').render_as_string(hide_password=True)}"
