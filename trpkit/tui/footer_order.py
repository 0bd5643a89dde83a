"""Help and Lock first in every footer, so a narrow terminal never drops them.

Textual's footer lists the focused widget's keys first and the app's last; at 80 columns a tab with a
few keys of its own pushes F1 Help and ctrl+l Lock off the right edge. Only the order shown changes:
which key does what is decided elsewhere (the binding chain), so nothing here can change a key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.binding import ActiveBinding

FIRST_ACTIONS = ("help", "lock")  # the app's own actions every person needs on every screen


def app_keys_first(bindings: dict[str, ActiveBinding], app: object) -> dict[str, ActiveBinding]:
    """``bindings`` with the app's Help and Lock moved to the front, the rest in their order."""
    first = {
        key: active
        for action in FIRST_ACTIONS
        for key, active in bindings.items()
        if active.node is app and active.binding.action == action
    }
    return {**first, **{key: active for key, active in bindings.items() if key not in first}}
