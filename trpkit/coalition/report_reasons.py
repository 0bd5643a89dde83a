"""The report's refusal reasons: overall and by application type and period, every count shown (or bounded)
in the joint audit, a count from 1 to 4 never the only one hidden."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from trpkit.coalition import disclosure, stats, summaries
from trpkit.coalition.report_guard import withdraw_into
from trpkit.domain.coalition_policy import NEVER_BELOW


def guarded_reasons(frame: stats.Frame, protection: disclosure.Protection, min_cell: int) -> dict[str, Any]:
    """Refusal reasons: the refusals with coded reasons must let no small count be worked out, and a breakdown
    by type or period is shown only when every group of it is shown (the overall count minus the groups shown
    would otherwise give the hidden one), with every reason count from 1 to 4 hidden in at least two groups."""
    reasons = summaries.refusal_reasons(frame, min_cell)
    if not reasons.get("ok"):
        return reasons
    coded = np.array([bool(r.get("refusal_reasons")) for r in frame.records]) & (frame.outcome == "refused")
    labels = coded.astype(np.int64)
    name = "the refusal reasons"
    withdraw = withdraw_into(reasons, {"ok": False, "withheld": True})
    reason = protection.ledger.admit(name, labels, ["outcome", "refusal_reasons"], withdraw)
    if reason:
        return {"ok": False, "withheld": True, "reason": f"not shown: {reason}"}
    for dimension, block in reasons["by"].items():
        if block["suppressed_groups"] or len(block["groups"]) < 2:
            reasons["by"][dimension] = {
                "groups": {},
                "suppressed_groups": block["suppressed_groups"] + len(block["groups"]),
                "withheld": "a group has too few refusals to show; the others would reveal it",
            }
            continue
        _hide_reason_counts(block["groups"])
    _publish_reason_counts(frame, protection, name, coded, reasons)
    return reasons


def _publish_reason_counts(
    frame: stats.Frame,
    protection: disclosure.Protection,
    name: str,
    coded: NDArray[Any],
    reasons: dict[str, Any],
) -> None:
    """Every reason count shown (overall and per group of each breakdown) goes into the joint audit: the
    count exactly, or for '< 5' the bound 1 to 4, or nothing for 'not shown'. They are withdrawn with the
    refusal reasons as a whole."""
    cites_of: dict[str, NDArray[np.bool_]] = {}
    for position in np.flatnonzero(coded):
        for code in frame.records[position].get("refusal_reasons") or ():
            cites_of.setdefault(code, np.zeros(frame.n, dtype=bool))[position] = True
    blocks: list[tuple[NDArray[np.int64], dict[str, Any], list[str]]] = [
        (np.zeros(frame.n, dtype=np.int64), {"": reasons["all"]}, ["outcome", "refusal_reasons"])
    ]
    for dimension, block in reasons["by"].items():
        if block["groups"]:
            groups = list(block["groups"])
            column = frame.text(dimension)
            index = np.full(frame.n, -1, dtype=np.int64)
            for position, value in enumerate(groups):
                index[column == value] = position
            blocks.append((index, block["groups"], ["outcome", "refusal_reasons", dimension]))
    for _, tables, _ in blocks:  # a count shown beside its refusals gives the refusals not citing it
        for table in tables.values():
            for entry in table["reasons"]:
                if entry["count"] is not None and disclosure.small(table["refusals"] - entry["count"]):
                    entry.update(count=None, display="not shown", share=None)
    for group_index, tables, sources in blocks:
        inside = coded & (group_index >= 0)
        if len(tables) > 1:  # the breakdown's refusals per group are shown
            protection.ledger.publish(name, np.where(inside, group_index + 1, 0), sources, removable=True)
        shown: dict[str, dict[int, Any]] = {}
        for position, table in enumerate(tables.values()):
            for entry in table["reasons"]:
                shown.setdefault(entry["code"], {})[position] = entry
        for code, entries in shown.items():
            cites = cites_of.get(code, np.zeros(frame.n, dtype=bool))
            labels = np.where(inside, 1 + group_index * 2 + cites, 0)
            hidden: set[int] = set()
            bounds: dict[int, tuple[int, int]] = {}
            for position, entry in entries.items():
                if entry["count"] is None:
                    hidden |= {1 + position * 2, 2 + position * 2}
                    if entry["display"] == "< 5":
                        bounds[2 + position * 2] = (1, NEVER_BELOW - 1)
            # a reason missing from a group's list was cited 0 times there: that, too, is published
            protection.ledger.publish(name, labels, sources, hidden=hidden, bounds=bounds, removable=True)


def _hide_reason_counts(groups: dict[str, Any]) -> None:
    """Within one breakdown, a reason hidden ('< 5') in only one group is hidden in a second one too."""
    codes = {r["code"] for table in groups.values() for r in table["reasons"]}
    for code in codes:
        entries = [r for table in groups.values() for r in table["reasons"] if r["code"] == code]
        hidden = [r for r in entries if r["count"] is None]
        if len(hidden) == 1 or (hidden and len(entries) < len(groups)):
            for entry in sorted((r for r in entries if r["count"] is not None), key=lambda r: r["count"])[:1]:
                entry.update(count=None, display="not shown", share=None)
