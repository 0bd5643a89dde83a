"""Keep Python's garbage collector from pausing keystrokes.

A full collection walks every object the collector tracks; after unlocking that is already some 150,000
(modules, classes, functions, the home screen's widgets), all alive until the app locks, so every full
collection at a keystroke paid for them again. Once the home screen is shown after unlocking, one
collection clears what is garbage, and the rest is frozen (``gc.freeze``): later collections walk only
what was made since (a case file, a list). Locking unfreezes, so the screens it closes can be collected.
(The case list keeps its cases as plain tuples of strings, which the collector does not track at all.)
"""

from __future__ import annotations

import gc


def settle_heap() -> None:
    """Collect once, then freeze what survives: the app's long-lived objects."""
    gc.collect()
    gc.freeze()


def release_heap() -> None:
    """Frozen objects back under the collector (the screens locking closes hold cycles)."""
    gc.unfreeze()
