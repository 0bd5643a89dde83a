"""The app in a real terminal: tmux at 80×24, keyboard only, as a new accompanier would try it.

``trpkit demo`` makes a vault of fictional cases and opens the app with the demo passphrase filled in; the
test presses Enter to unlock, ``c`` for the case list, Enter to open the first case, then F-keys to switch
tabs, reading the screen with ``capture-pane`` after each step. The keys travel as the bytes tmux sends,
through Textual's own parser, which Pilot's key names skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

STEP_DEADLINE = 20.0  # seconds for one step on a loaded machine; an idle one takes well under one
POLL = 0.1


class Terminal:
    """One tmux server of our own (its own socket), one 80×24 window."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=False, timeout=10
        )
        return done.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "e2e")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "e2e", *keys)

    def wait_for(self, *words: str, absent: str | None = None) -> str:
        """Poll the screen until every word shows (and ``absent`` does not); fail with the last screen."""
        deadline = time.monotonic() + STEP_DEADLINE
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if all(w in shown for w in words) and (absent is None or absent not in shown):
                return shown
            time.sleep(POLL)
        pytest.fail(f"after {STEP_DEADLINE:.0f} s the screen does not show {words}:\n{shown}")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(f"trpkit-e2e-{uuid.uuid4().hex[:12]}")
    vault = tmp_path / "demo.trpvault"
    env = {
        **os.environ,
        "HOME": str(tmp_path),  # no config, data or cache of the person running the tests
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "TERM": "xterm-256color",
    }
    env.pop("TRPKIT_VAULT", None)
    env.pop("TRPKIT_DATABASE_URL", None)
    size = ["-x", "80", "-y", "24", "-c", str(tmp_path)]
    command = f"{sys.executable} -m trpkit demo --cases 4 --path {vault}"
    try:
        subprocess.run(
            ["tmux", "-L", term.socket, "-f", os.devnull, "new-session", "-d", "-s", "e2e", *size, command],
            env=env,
            check=True,
            timeout=10,
        )
        term.tmux("set-option", "-t", "e2e", "status", "off")  # all 24 rows for the app
        term.tmux("resize-window", "-t", "e2e", "-x", "80", "-y", "24")
        yield term
    finally:
        term.tmux("kill-server")


def test_unlock_open_a_case_and_switch_tabs_from_the_keyboard(terminal: Terminal) -> None:
    terminal.wait_for("unlock the vault", "Press Enter")
    terminal.keys("Enter")
    terminal.wait_for("Cases", "New case", absent="Press Enter")  # the home screen, its footer keys

    terminal.keys("c")
    listing = terminal.wait_for("4 of 4 cases", "names hidden")
    assert "TRP-" in listing

    terminal.keys("Enter")  # the first case, from the filter box
    terminal.wait_for("Case file", "Person", "Legal name")

    terminal.keys("F3")
    terminal.wait_for("Record a decision the person made", absent="Legal name")
    terminal.keys("F4")
    terminal.wait_for("Add meeting", "Wellbeing")
    terminal.keys("F2")
    terminal.wait_for("Legal name")

    terminal.keys("Escape")  # back to the list: nothing was typed, so nothing is asked
    terminal.wait_for("4 of 4 cases")
    terminal.keys("C-q")
    deadline = time.monotonic() + STEP_DEADLINE
    while terminal.tmux("list-sessions") and time.monotonic() < deadline:
        time.sleep(POLL)
    assert not terminal.tmux("list-sessions"), "ctrl+q did not quit the app"
