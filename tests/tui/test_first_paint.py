"""Unlock is the first thing drawn: the app reaches its unlock screen without the data layer (SQLAlchemy,
the demo generator, the database code), which is loaded after the first paint while the person types.
The timing itself is measured side by side with a bare Textual app in tests/benchmarks/bench_first_paint.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import asyncio, json, sys
from pathlib import Path
from trpkit.config import Settings
from trpkit.db.target import Target
from trpkit.tui.app import TrpkitApp
from trpkit.tui.screens import unlock

# what the first paint needs, not what the warm-up loads after it
unlock.UnlockScreen._warm_up = lambda self: None


async def main() -> None:
    app = TrpkitApp(Settings(target=Target(vault_path=Path(sys.argv[1]))), demo={demo})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "UnlockScreen", app.screen
        print(json.dumps(sorted(sys.modules)))


asyncio.run(main())
"""


def modules_at_unlock(tmp_path: Path, demo: bool = False) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT.replace("{demo}", str(demo)), str(tmp_path / "v.trpvault")],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=120,
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_the_unlock_screen_is_drawn_before_the_data_layer_is_imported(tmp_path: Path) -> None:
    loaded = modules_at_unlock(tmp_path)
    heavy = {
        "sqlalchemy",
        "sqlcipher3",
        "alembic",
        "trpkit.demo",
        "trpkit.db.database",
        "babel",
        "dateparser",
    }
    assert not (loaded & heavy), sorted(loaded & heavy)
