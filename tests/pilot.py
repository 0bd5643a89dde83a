"""Helpers for Textual Pilot tests, shared by every area's screen tests."""

from __future__ import annotations

from typing import Any


async def settle(app: Any, pilot: Any, rounds: int = 3) -> None:
    """Let the app finish what the last key started: its messages, the workers they start (and the
    messages those post back), then a repaint."""
    for _ in range(rounds):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()
