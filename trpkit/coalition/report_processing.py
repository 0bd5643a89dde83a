"""The report's waiting times: Kaplan-Meier and cumulative incidence curves coarsened to steps of at least
the minimum cell, and their counts admitted through the ledger."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from trpkit.coalition import disclosure, stats, survival


def _waiting_labels(frame: stats.Frame, rows: NDArray[Any]) -> NDArray[Any]:
    """1: decided, 2: withdrawn, 3: still waiting, 4: no waiting time; 0: not in ``rows``."""
    days = frame.number("processing_days")
    decided = np.isin(frame.outcome, survival.DECISIONS)
    withdrawn = frame.outcome == "withdrawn"
    known = ~np.isnan(days)
    labels = np.where(known, np.where(decided, 1, np.where(withdrawn, 2, 3)), 4)
    return np.where(rows, labels, 0)


def _coarsen_incidence(
    incidence: dict[str, Any], days: NDArray[Any], outcome: NDArray[Any], min_cell: int
) -> None:
    """Keep the steps of the decided/withdrawn curves that each gather at least ``min_cell`` decisions and
    no withdrawals from 1 to 4, so neither count can be read off the curves (in place)."""
    times = incidence.get("times") or []
    if not times:
        return
    decided_days, decided_n = np.unique(days[np.isin(outcome, survival.DECISIONS)], return_counts=True)
    withdrawn_days, withdrawn_n = np.unique(days[outcome == "withdrawn"], return_counts=True)
    decided_at = dict(zip(decided_days.tolist(), decided_n.tolist(), strict=True))
    withdrawn_at = dict(zip(withdrawn_days.tolist(), withdrawn_n.tolist(), strict=True))
    keep: list[int] = []
    gathered_d = gathered_w = 0
    for index, t in enumerate(times):
        gathered_d += decided_at.get(t, 0)
        gathered_w += withdrawn_at.get(t, 0)
        if gathered_d >= min_cell and not disclosure.small(gathered_w):
            keep.append(index)
            gathered_d = gathered_w = 0
    for key in ("times", "decided", "withdrawn"):
        if key in incidence:
            incidence[key] = [incidence[key][i] for i in keep]


def guarded_processing(
    frame: stats.Frame, protection: disclosure.Protection, min_cell: int
) -> dict[str, Any]:
    """Waiting-time curves with steps of at least ``min_cell`` decisions; their counts (decided, withdrawn,
    still waiting, missing) only when no small count follows from them and the outcome and type tables."""
    processing = survival.processing_times(frame, min_cell)
    if not processing.get("ok"):
        return processing
    days = frame.number("processing_days")
    ended = np.isin(frame.outcome, survival.DECISIONS) | (frame.outcome == "withdrawn")
    types = frame.text("application_type")
    type_codes = disclosure.factorize(types.tolist())[0]
    everyone = np.ones(frame.n, dtype=bool)
    for name, curve in processing["groups"].items():
        rows = everyone if name == "all applications" else types == name
        usable = rows & ~np.isnan(days)
        disclosure.coarsen_curve(curve, days[usable], ended[usable], min_cell)
        if isinstance(curve.get("incidence"), dict):
            _coarsen_incidence(curve["incidence"], days[usable], frame.outcome[usable], min_cell)
        labels = _waiting_labels(frame, rows)
        if name != "all applications":
            labels = disclosure.combine(labels, type_codes)
        sources = ["outcome", "processing_days"] + (
            [] if name == "all applications" else ["application_type"]
        )
        reason = protection.ledger.admit(
            f"the waiting-time counts of {name} by ending", labels, sources, _hide_counts(curve)
        )
        if not reason:
            continue
        _hide_counts(curve)(reason)
        # Perhaps the number with a waiting time (and so the number missing) can still be shown.
        known = (
            np.where(labels == 0, 0, np.where(labels % 5 == 4, 2, 1)) if name == "all applications" else None
        )
        # (whether a record has a waiting time is not built from its outcome: only its own cells are checked)
        if known is None or protection.ledger.admit(
            f"the waiting-time count of {name}", known, ["processing_days"]
        ):
            curve["n"] = "not shown"
            if name == "all applications":
                processing["missing"] = "not shown"
    return processing


def _hide_counts(curve: dict[str, Any]) -> Any:
    def hide(reason: str) -> None:
        for key in ("events", "withdrawn", "censored"):
            if key in curve:
                curve[key] = "not shown"
        curve["counts_withheld"] = reason

    return hide
