"""Helpers for Textual Pilot tests, shared by every area's screen tests."""

from __future__ import annotations

from typing import Any

from textual.worker import WorkerCancelled


async def settle(app: Any, pilot: Any, rounds: int = 3) -> None:
    """Let the app finish what the last key started: its messages, the workers they start (and the
    messages those post back), then a repaint. A worker the app cancelled on purpose (an exclusive
    loader replaced by a newer one, a tab left before it loaded) is not a failure: wait for the rest."""
    for _ in range(rounds):
        await pilot.pause()
        for _attempt in range(5):
            try:
                await app.workers.wait_for_complete()
                break
            except WorkerCancelled:
                await pilot.pause()
    await pilot.pause()
