"""The generalisation lattice (every row coded at every level of every quasi-identifier) and its search."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from trpkit.coalition.hierarchy_labels import _month, fine_values, labeller
from trpkit.domain.coalition_policy import DAYS_BAND, QI_COLUMNS, Hierarchy, Policy


class _Lattice:
    """Integer codes of every row at every level of every quasi-identifier, for fast group counting."""

    def __init__(self, rows: Sequence[dict[str, Any]], policy: Policy) -> None:
        self.policy = policy
        self.attributes = list(policy.quasi_identifiers)  # searched; the others stay at their min_level
        self.codes: dict[str, list[NDArray[Any]]] = {}
        self.cards: dict[str, list[int]] = {}
        self.labels: dict[str, list[list[Any]]] = {}
        for attribute in QI_COLUMNS:
            h = policy.hierarchies[attribute]
            searched = attribute in self.attributes
            if attribute == "dates":
                self._dates(rows, h, searched)
                continue
            index: dict[Any, int] = {}
            values = fine_values(rows, attribute)
            ids = np.fromiter(
                (index.setdefault(v, len(index)) for v in values), dtype=np.int64, count=len(rows)
            )
            uniques = list(index)
            per_level_codes: list[NDArray[Any]] = []
            per_level_cards: list[int] = []
            per_level_labels: list[list[Any]] = []
            for level in range(h.top + 1):
                if level < h.min_level or (not searched and level > h.min_level):
                    per_level_codes.append(np.zeros(0, dtype=np.int64))
                    per_level_cards.append(0)
                    per_level_labels.append([])
                    continue
                label_of = labeller(policy, attribute, level)
                label_index: dict[Any, int] = {}
                mapped = np.array(
                    [label_index.setdefault(label_of(u), len(label_index)) for u in uniques], dtype=np.int64
                )
                per_level_codes.append(mapped[ids] if len(rows) else np.zeros(0, dtype=np.int64))
                per_level_cards.append(max(len(label_index), 1))
                per_level_labels.append(list(label_index))
            self.codes[attribute] = per_level_codes
            self.cards[attribute] = per_level_cards
            self.labels[attribute] = per_level_labels
        self.n = len(rows)
        self._memo: dict[tuple[Any, ...], int] = {}
        outcome = [r.get("outcome") for r in rows]
        self.granted = np.fromiter((o == "granted" for o in outcome), dtype=bool, count=self.n)
        self.refused = np.fromiter((o == "refused" for o in outcome), dtype=bool, count=self.n)

    def _dates(self, rows: Sequence[dict[str, Any]], h: Hierarchy, searched: bool) -> None:
        """The dates and the days to a decision, labelled together: months are few and labelled once each;
        the days (many distinct values) are banded with numpy."""
        policy = self.policy
        index: dict[Any, int] = {}
        pairs = ((_month(r.get("submitted_date")), _month(r.get("decided_date"))) for r in rows)
        ids = np.fromiter((index.setdefault(v, len(index)) for v in pairs), dtype=np.int64, count=len(rows))
        uniques = list(index)
        raw_days = [r.get("processing_days") for r in rows]
        days = np.array([-1 if d is None else max(int(d), 0) for d in raw_days], dtype=np.int64)
        share_days = policy.allows("processing_days")
        codes: list[NDArray[Any]] = []
        cards: list[int] = []
        labels: list[list[Any]] = []
        for level in range(h.top + 1):
            if level < h.min_level or (not searched and level > h.min_level):
                codes.append(np.zeros(0, dtype=np.int64))
                cards.append(0)
                labels.append([])
                continue
            label_of = labeller(policy, "dates", level)
            label_index: dict[Any, int] = {}
            label_ids = np.array(
                [label_index.setdefault(label_of((u[0], u[1], None))[:2], len(label_index)) for u in uniques],
                dtype=np.int64,
            )
            pair_labels = list(label_index)
            band = 0
            if level < h.top and share_days:
                band = max(policy.rounding.get("processing_days", 1), DAYS_BAND[h.levels[level]])
            banded = np.where(days < 0, -1, days // band) if band else np.full(len(rows), -1)
            key = label_ids[ids] * (int(banded.max(initial=-1)) + 2) + banded + 1
            distinct, inverse = np.unique(key, return_inverse=True)
            span = int(banded.max(initial=-1)) + 2
            codes.append(inverse.reshape(-1).astype(np.int64))
            cards.append(max(len(distinct), 1))
            labels.append(
                [
                    (*pair_labels[int(k) // span], None if int(k) % span == 0 else (int(k) % span - 1) * band)
                    for k in distinct
                ]
            )
        self.codes["dates"] = codes
        self.cards["dates"] = cards
        self.labels["dates"] = labels

    def failing(self, group: NDArray[Any], span: int, k: int, l_diversity: int) -> NDArray[Any]:
        """Rows whose group (ids in ``group`` below ``span``) is smaller than k, or, when l = 2, holds
        decisions of one outcome only (knowing someone is in it would tell their outcome)."""
        sizes = np.bincount(group, minlength=span)[group]
        fail: NDArray[np.bool_] = sizes < k
        if l_diversity >= 2:
            has_g = np.bincount(group, weights=self.granted, minlength=span)[group] > 0
            has_r = np.bincount(group, weights=self.refused, minlength=span)[group] > 0
            fail |= (has_g | has_r) & ~(has_g & has_r)
        return fail

    def _key(self, node: dict[str, int]) -> tuple[NDArray[Any], int]:
        """One integer per row identifying its combination of labels, and the largest possible key + 1."""
        key = np.zeros(self.n, dtype=np.int64)
        span = 1
        for attribute in self.attributes:
            level = node[attribute]
            card = self.cards[attribute][level]
            if span * card > 2**62:
                _, key = np.unique(key, return_inverse=True)
                key = key.reshape(-1).astype(np.int64)
                span = int(key.max()) + 1 if self.n else 1
            key = key * card + self.codes[attribute][level]
            span *= card
        return key, span

    def failing_rows(self, node: dict[str, int], k: int, l_diversity: int = 1) -> NDArray[Any]:
        """A boolean per row: its group is below k (or not l-diverse)."""
        if not self.attributes or self.n == 0:
            return np.full(self.n, 0 < self.n < k)
        key, span = self._key(node)
        if span > max(4 * self.n, 1 << 20):  # sorting beats counting when the key space is large
            _, key = np.unique(key, return_inverse=True)
            key = key.reshape(-1)
            span = int(key.max()) + 1
        return self.failing(key, span, k, l_diversity)

    def at_risk(self, node: dict[str, int], k: int, l_diversity: int = 1) -> int:
        """Rows in groups smaller than k (or, with l = 2, of a single decided outcome). Remembered: the
        search's undo steps revisit nodes the climb has counted."""
        memo_key = (tuple(node[a] for a in self.attributes), k, l_diversity)
        found = self._memo.get(memo_key)
        if found is None:
            found = self._memo[memo_key] = int(np.count_nonzero(self.failing_rows(node, k, l_diversity)))
        return found


def _loss(policy: Policy, node: dict[str, int]) -> float:
    if not node:
        return 0.0
    return float(np.mean([node[a] / policy.hierarchies[a].top for a in node]))


EXHAUSTIVE_BUDGET = 2_000_000  # lattice nodes x records below which every node is tried (optimal loss)
EXHAUSTIVE_NODES = 6_000  # and at most this many nodes (ten quasi-identifiers make tens of thousands)


def _exhaustive(
    lattice: _Lattice, policy: Policy, ranges: list[range], limit: int
) -> tuple[dict[str, int], int]:
    """The least information loss meeting the limit (ties: fewest suppressed), trying nodes by loss."""
    import itertools

    attributes = lattice.attributes
    nodes = [dict(zip(attributes, levels, strict=True)) for levels in itertools.product(*ranges)]
    nodes.sort(key=lambda node: _loss(policy, node))
    best: tuple[dict[str, int], int] | None = None
    best_loss = None
    for node in nodes:
        loss = _loss(policy, node)
        if best_loss is not None and loss > best_loss + 1e-12:
            break
        risk = lattice.at_risk(node, policy.k, policy.l_diversity)
        if risk <= limit and (best is None or risk < best[1]):
            best, best_loss = (node, risk), loss
    if best is None:  # not even everything at '*' meets the limit (fewer than k records)
        top = {a: policy.hierarchies[a].top for a in attributes}
        return top, lattice.at_risk(top, policy.k, policy.l_diversity)
    return best


def search(lattice: _Lattice, policy: Policy) -> tuple[dict[str, int], int]:
    """The chosen levels and the number of records left in groups smaller than k.

    Small data (most single-agency exports): every combination of levels is tried, the least information
    loss wins. Large data: a greedy climb, then local minimality.
    """
    k = policy.k
    limit = int(policy.max_suppression * lattice.n)
    node = {a: policy.hierarchies[a].min_level for a in lattice.attributes}
    at_risk = lattice.at_risk(node, k, policy.l_diversity)
    if at_risk <= limit:
        return node, at_risk
    ranges = [
        range(policy.hierarchies[a].min_level, policy.hierarchies[a].top + 1) for a in lattice.attributes
    ]
    size = int(np.prod([len(r) for r in ranges])) if ranges else 1
    if size <= EXHAUSTIVE_NODES and size * max(lattice.n, 1) <= EXHAUSTIVE_BUDGET:
        return _exhaustive(lattice, policy, ranges, limit)
    while at_risk > limit:
        best: tuple[float, float, str, int] | None = None
        for attribute in lattice.attributes:
            if node[attribute] >= policy.hierarchies[attribute].top:
                continue
            trial = dict(node, **{attribute: node[attribute] + 1})
            trial_risk = lattice.at_risk(trial, k, policy.l_diversity)
            step_loss = 1.0 / policy.hierarchies[attribute].top
            gain = (at_risk - trial_risk) / step_loss
            # Prefer the largest gain per unit of loss; on a plateau, the smallest remaining risk, then loss.
            score = (gain, -trial_risk - step_loss)
            if best is None or score > (best[0], best[1]):
                best = (score[0], score[1], attribute, trial_risk)
        if best is None:
            break
        node[best[2]] += 1
        at_risk = best[3]
    if at_risk > limit:
        return node, at_risk
    # Local minimality: undo any step that is no longer needed (most information-rich attribute first).
    changed = True
    while changed:
        changed = False
        for attribute in sorted(lattice.attributes, key=lambda a: -node[a] / policy.hierarchies[a].top):
            if node[attribute] <= policy.hierarchies[attribute].min_level:
                continue
            trial = dict(node, **{attribute: node[attribute] - 1})
            trial_risk = lattice.at_risk(trial, k, policy.l_diversity)
            if trial_risk <= limit:
                node, at_risk, changed = trial, trial_risk, True
    return node, at_risk
