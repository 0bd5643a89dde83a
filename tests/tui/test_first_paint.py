"""Unlock is the first thing drawn: the app reaches its unlock screen without the data layer (SQLAlchemy,
the demo generator, the database code), which is loaded after the first paint while the person types.
The timing itself is measured side by side with a bare Textual app in tests/benchmarks/bench_first_paint.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import asyncio, json, sys
from pathlib import Path

import pytest
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


FROM_THE_COMMAND_LINE = """
import json, sys
from trpkit.tui.screens import unlock


OUT = sys.argv[2]


def painted(self) -> None:
    with open(OUT, "w") as out:  # not stderr: the app's driver writes its screen there
        out.write(json.dumps(sorted(sys.modules)))
    self.app.exit()


unlock.UnlockScreen.on_mount = painted
sys.argv = ["trpkit", "--vault", sys.argv[1]]
from trpkit.start import main

main()
"""


def test_bare_trpkit_reaches_the_unlock_screen_without_the_command_line_library(tmp_path: Path) -> None:
    """What `trpkit --vault PATH` imports before the unlock screen: no click (the commands' library),
    no services layer; the same as the app alone plus trpkit's few small modules."""
    modules = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", FROM_THE_COMMAND_LINE, str(tmp_path / "v.trpvault"), str(modules)],
        capture_output=True,
        check=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "TRPKIT_CONFIG": str(tmp_path / "none.toml"), "TERM": "xterm-256color"},
        stdin=subprocess.DEVNULL,
    )
    loaded = set(json.loads(modules.read_text()))
    assert not {m for m in loaded if m == "click" or m.startswith(("click.", "trpkit.services"))}
    assert "trpkit.cli" not in loaded and "tomllib" not in loaded


@pytest.mark.parametrize(
    ("args", "opens_the_app"),
    [
        ([], {}),
        (["--vault", "v.trpvault"], {"vault": "v.trpvault"}),
        (["--user=ana", "--db", "postgresql://h/db"], {"user": "ana", "db_url": "postgresql://h/db"}),
        (["--vault"], None),  # a mistake: click says what is missing
        (["--vault", "--user"], None),
        (["--help"], None),
        (["--version"], None),
        (["case", "list"], None),
        (["--vault", "v.trpvault", "tui"], None),
    ],
)
def test_only_a_line_that_just_opens_the_app_skips_the_command_line(
    args: list[str], opens_the_app: dict[str, str] | None
) -> None:
    from trpkit.start import _app_options

    assert _app_options(args) == opens_the_app
