"""Where the person was when the app locked, so unlocking brings them back there (not to the home screen).

Only what can be rebuilt from codes is kept (which screens, which case, which tab): never case data, which
is gone with the vault key. Forms in dialogs are not reopened; their typing is kept by the tabs' own drafts.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from trpkit.tui.registry import APP_SCREENS

if TYPE_CHECKING:
    from trpkit.services.actor import Actor

CASE_LIST = "trpkit.tui.screens.case_list:CaseListScreen"


@dataclass(frozen=True)
class ScreenSpec:
    dotted: str  # "module:Class"
    args: tuple[Any, ...] = ()

    def rebuild(self) -> Any:
        module_name, name = self.dotted.split(":")
        return getattr(importlib.import_module(module_name), name)(*self.args)


@dataclass(frozen=True)
class Where:
    username: str
    screens: tuple[ScreenSpec, ...]


def where_we_are(stack: Sequence[Any], actor: Actor | None) -> Where | None:
    """The reopenable screens above the home screen, bottom first (a screen may say how with
    ``reopen_args()``; the registry's app screens and the case list take no arguments)."""
    if actor is None:
        return None
    plain = {dotted for _key, _title, dotted in APP_SCREENS} | {CASE_LIST}
    specs: list[ScreenSpec] = []
    for screen in stack:
        dotted = f"{type(screen).__module__}:{type(screen).__name__}"
        reopen = getattr(screen, "reopen_args", None)
        if reopen is not None:
            args = reopen()
            if args is not None:
                specs.append(ScreenSpec(dotted, tuple(args)))
        elif dotted in plain:
            specs.append(ScreenSpec(dotted))
    return Where(actor.username, tuple(specs))
