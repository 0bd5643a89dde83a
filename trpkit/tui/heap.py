"""Keep Python's garbage collector from pausing keystrokes.

A full collection walks every object the collector tracks; after unlocking that is already some 150,000
(modules, classes, functions, the home screen's widgets), all alive until the app locks, so every full
collection at a keystroke paid for them again. Once the home screen is shown after unlocking, the young
generations are collected (a few milliseconds, not a full collection's pause at the person's first key)
and everything is frozen (``gc.freeze``): later collections walk only what was made since (a case file,
a list). Locking and quitting unfreeze, so the screens they close, and any older garbage frozen with the
rest, can be collected.
(The case list keeps its cases as plain tuples of strings, which the collector does not track at all.)
"""

from __future__ import annotations

import gc


def settle_heap() -> None:
    """Collect the young generations, then freeze: the app's long-lived objects leave the walks."""
    gc.collect(1)
    gc.freeze()


def release_heap() -> None:
    """Frozen objects back under the collector (the screens locking closes hold cycles)."""
    gc.unfreeze()
