"""What a coalition report has published, as partitions of its records, and the audit that withdraws statistics.

Each new statistic is screened as it comes; ``Ledger.audit`` then solves the attacker's problem over everything
at once (:mod:`trpkit.coalition.joint_audit`). See :mod:`trpkit.coalition.disclosure` for the whole method.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from trpkit.domain.coalition_policy import NEVER_BELOW


def _codes(labels: Sequence[Any] | NDArray[Any]) -> NDArray[Any]:
    from trpkit.coalition.disclosure import (
        factorize,  # disclosure imports this module: read when first needed
    )

    array = np.asarray(labels)
    if array.dtype.kind in "iub":
        _, inverse = np.unique(array.astype(np.int64), return_inverse=True)
        return inverse.reshape(-1).astype(np.int64)
    return factorize(array.tolist())[0]


@dataclass
class Partition:
    name: str  # the statistic it belongs to (withdrawn together)
    codes: NDArray[Any]
    sources: frozenset[str]
    hidden: frozenset[int] = frozenset()
    bounds: Mapping[int, tuple[int, int]] = field(default_factory=dict)
    removable: bool = True  # the tables the plan is made of are kept; later statistics can be withdrawn
    leaf: str = ""  # a table of this one column by decision status (see Ledger._published)


class Ledger:
    """What the report has published, as partitions of the records.

    Each new statistic is screened as it comes (its own groups, and its cross-tabulation with each published
    table built from the same columns); ``audit`` then solves the attacker's problem over everything at once
    (``joint_audit``) and withdraws statistics, latest first, until no count from 1 to 4 can be derived."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.partitions: list[Partition] = []
        self.withheld: list[dict[str, str]] = []
        self.on_withdraw: dict[str, Callable[[str], None]] = {}
        self.audit_summary: dict[str, Any] = {}

    def publish(
        self,
        name: str,
        labels: Sequence[Any] | NDArray[Any],
        sources: Iterable[str],
        *,
        hidden: Iterable[int] = (),
        bounds: Mapping[int, tuple[int, int]] | None = None,
        removable: bool = False,
        leaf: str = "",
    ) -> None:
        """Record a partition as published: every group's count, except ``hidden`` groups (raw integer
        labels), of which only ``bounds`` are shown. Integer labels are kept as they are."""
        array = np.asarray(labels)
        hidden_raw, bounds_raw = set(hidden), dict(bounds or {})
        if array.dtype.kind in "iub":
            uniques, inverse = np.unique(array.astype(np.int64), return_inverse=True)
            codes = inverse.reshape(-1).astype(np.int64)
            index = {int(u): i for i, u in enumerate(uniques)}
            hidden_codes = frozenset(index[h] for h in hidden_raw if h in index)
            kept = {index[h]: b for h, b in bounds_raw.items() if h in index}
        else:
            codes, hidden_codes, kept = _codes(array), frozenset(), {}
        self.partitions.append(
            Partition(name, codes, frozenset(sources), hidden_codes, kept, removable, leaf)
        )

    def leak(self, labels: Sequence[Any] | NDArray[Any], sources: Iterable[str]) -> str:
        """'' when counts over ``labels`` pass the first screen (no group of its own, and no cell of its
        cross-tabulation with a published table built from the same columns, from 1 to 4), else why."""
        codes = _codes(labels)
        wanted = frozenset(sources)
        own = np.bincount(codes)
        if np.any((own > 0) & (own < NEVER_BELOW)):
            return "one of its own groups has fewer than 5 records"
        for partition in self.partitions:
            if not partition.sources & wanted or partition.hidden:
                continue
            span = int(partition.codes.max()) + 1 if partition.codes.size else 1
            cross = np.bincount(codes * span + partition.codes)
            if np.any((cross > 0) & (cross < NEVER_BELOW)):
                return f"together with {partition.name} it would let a count below 5 be worked out"
        return ""

    def admit(
        self,
        name: str,
        labels: Sequence[Any] | NDArray[Any],
        sources: Iterable[str],
        on_withdraw: Callable[[str], None] | None = None,
    ) -> str:
        """Publish ``labels`` if it passes the screen and return ''; otherwise record why and return it.
        ``on_withdraw(reason)`` takes the statistic out of the report if the joint audit later must."""
        reason = self.leak(labels, sources)
        if reason:
            self.withheld.append({"statistic": name, "reason": reason})
        else:
            self.publish(name, labels, sources, removable=True)
            if on_withdraw is not None:
                self.on_withdraw[name] = on_withdraw
        return reason

    def refuse(self, name: str, reason: str) -> None:
        self.withheld.append({"statistic": name, "reason": reason})

    def audit(self) -> list[str]:
        """Solve the attacker's problem over every published partition; while a count from 1 to 4 can be
        derived, withdraw a statistic (the latest whose withdrawal alone is enough, else the latest) and
        solve again. Returns the statistics withdrawn."""
        from trpkit.coalition import joint_audit

        withdrawn: list[str] = []
        solves = 0
        first = None
        while True:
            result = joint_audit.audit(self._published(withdrawn), self.n)
            solves += result.solves
            first = first or result
            if not result.exposed:
                break
            victim = self._choose_withdrawal(withdrawn)
            if victim is None:  # only the plan's own tables remain: cannot happen by construction
                raise RuntimeError("the disclosure plan's own tables let a count below 5 be derived")
            withdrawn.append(victim)
        reason = "together with everything else published it would let a count below 5 be worked out"
        for name in withdrawn:
            self.withheld.append({"statistic": name, "reason": f"{reason} (joint audit)"})
            if name in self.on_withdraw:
                self.on_withdraw[name](reason)
        self.partitions = [p for p in self.partitions if p.name not in withdrawn]
        self.audit_summary = {
            "fractional_witnesses": result.fractional,
            "method": "every published count at once: linear-programming bounds of each hidden cell (HiGHS)",
            "finest_cells": result.atoms,
            "cells_at_risk": first.at_risk,
            "exposed_before_withdrawal": len(first.exposed),
            "solves": solves,
            "withdrawn": withdrawn,
        }
        return withdrawn

    def _published(self, leaving: Iterable[str] = ()) -> list[Any]:
        """The partitions the attacker has, less those ``leaving`` and the leaf tables. A leaf is a table of
        one column by decision status whose column no other statistic uses: it meets the rest only through
        the status counts, which are published, so every table consistent with the rest extends to one
        consistent with the leaf too (per status, a transportation problem with equal totals), and a cell
        of the leaf crossed with the rest is pinned only when the rest's cell is. Leaving leaves out keeps
        the system to the columns statistics combine (seconds become milliseconds over 100,000 records)."""
        from trpkit.coalition.joint_audit import Published

        gone = set(leaving)
        kept = [p for p in self.partitions if p.name not in gone]
        used = {source for p in kept if not p.leaf for source in p.sources}
        return [
            Published(p.name, p.codes, p.hidden, p.bounds)
            for p in kept
            if not (p.leaf and p.leaf not in used)
        ]

    def _choose_withdrawal(self, withdrawn: list[str]) -> str | None:
        from trpkit.coalition import joint_audit

        names = list(
            dict.fromkeys(p.name for p in self.partitions if p.removable and p.name not in withdrawn)
        )
        for name in reversed(names):
            if not joint_audit.audit(self._published([*withdrawn, name]), self.n).exposed:
                return name
        return names[-1] if names else None
