"""SVG snapshots of screens whose content does not depend on today's date.

Update only after reading snapshot_report.html: pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path

import pytest

from trpkit.config import Settings
from trpkit.db.engine import Target
from trpkit.tui.app import TrpkitApp

pytestmark = pytest.mark.snapshot


class TestUnlockScreen:
    """The first thing a person sees: no case data, a plain prompt, the demo hint when it is the demo."""

    def test_demo_unlock(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        app = TrpkitApp(
            Settings(target=Target(vault_path=Path("/home/accompanier/demo.trpvault"))), demo=True
        )
        assert snap_compare(app, terminal_size=(100, 30))

    def test_server_sign_in(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        app = TrpkitApp(
            Settings(
                target=Target(url="postgresql+psycopg://trpkit:secret@db.example.org/trpkit"), username="ana"
            )
        )
        assert snap_compare(app, terminal_size=(100, 30))
