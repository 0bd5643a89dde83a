"""How a section of the report is withheld: the replacement a withdrawal puts in its place, and the check
that a group is whole published groups of a table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trpkit.coalition import disclosure, stats


def withdraw_into(target: dict[str, Any], replacement: dict[str, Any]) -> Any:
    """A callback for the joint audit: empty ``target`` in place and put ``replacement`` there."""

    def withdraw(reason: str) -> None:
        target.clear()
        target.update(replacement, reason=f"not shown: {reason}")

    return withdraw


def withheld(question: str, reason: str) -> dict[str, Any]:
    return {"question": question, "ok": False, "withheld": True, "reason": f"not shown: {reason}"}


def raw_groups_clean(
    raw: stats.Frame, protection: disclosure.Protection, dimension: str, groups: Sequence[Sequence[str]]
) -> str:
    """'' when each group (raw values) is whole published groups of ``dimension``'s table, else why not."""
    present = set(raw.text(dimension)[raw.decided].tolist())
    for values in groups:
        if not protection.clean(dimension, set(values) & present):
            return f"one of its groups was pooled with others in the table by {dimension}"
    return ""


def model_withheld(result: dict[str, Any], reason: str) -> dict[str, Any]:
    """A model or estimate that cannot be shown: nothing of it is kept but the reason."""
    return {"ok": False, "withheld": True, "reason": f"not shown: {reason}"}
