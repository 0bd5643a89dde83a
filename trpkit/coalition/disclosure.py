"""Statistical disclosure control over a whole coalition report: one plan, one ledger, every statistic through it.

The method (after tau-ARGUS and sdcTable: primary suppression, then complementary suppression chosen at least
cost, then an attacker's check) adapted to a report whose tables all come from one set of records:

1. **Primary**: a group of a table is unsafe when it has fewer than ``min_cell`` decisions or when its
   granted or refused count is from 1 to 4.
2. **Complementary, by recoding**: each dimension's unsafe groups are merged along the policy's hierarchy
   (trans men with men) or pooled into "other groups", choosing the plan that hides the fewest records. A pool
   is itself safe and never a single group, so the total minus the groups shown (which anyone can compute)
   never gives a hidden group, and each hidden group's counts could be anything from 0 to the pool's. The
   records are then *recoded*: every later table, comparison, model, shrunk rate and survival table is
   computed from the recoded records, so no statistic can tell the pooled groups apart.
3. **Ledger**: a statistic that cuts the records another way (a planned comparison, waiting times, a model's
   rows) declares the records it counts (a label per record) and the columns the labels are built from. It is
   published only if no count from 1 to 4 follows from it together with a table built from the same columns
   (every cell of their cross-tabulation, which is what subtraction can reach); otherwise it is withheld, with
   the reason, and nothing of it is shown.

The ledger's ``disclosure`` section tells the reader what was merged, pooled or withheld and why.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from trpkit.coalition.disclosure_ledger import Ledger
from trpkit.coalition.record import Record
from trpkit.domain.coalition_policy import NEVER_BELOW

NOT_RECORDED = "(not recorded)"
OUTSIDE = "·"  # the label of records a statistic does not count
EXACT_SEARCH_LIMIT = 14  # up to this many safe groups, every pool is tried (least records hidden)


def small(count: int) -> bool:
    """A count the report never lets anyone know: 1 to 4."""
    return 0 < count < NEVER_BELOW


def safe_group(granted: int, refused: int, min_cell: int) -> bool:
    return granted + refused >= min_cell and not small(granted) and not small(refused)


def _why(granted: int, refused: int, min_cell: int) -> str:
    n = granted + refused
    if n < min_cell:
        return f"fewer than {min_cell} decisions"
    return "fewer than 5 grants" if small(granted) else "fewer than 5 refusals"


@dataclass(frozen=True)
class DimensionPlan:
    """How one dimension's groups are shown: as themselves, merged along the hierarchy, or pooled."""

    dimension: str
    label_of: dict[str, str]  # raw value -> the label every statistic sees
    merged: dict[str, tuple[str, ...]] = field(default_factory=dict)  # label -> raw values merged into it
    pooled: tuple[str, ...] = ()
    primary: dict[str, str] = field(default_factory=dict)  # raw value -> why it could not be shown
    withheld: str = ""  # the whole table cannot be shown (even the pool of everything is unsafe)

    @property
    def pool_label(self) -> str:
        return f"other groups ({len(self.pooled)})"

    def shown(self, value: str) -> bool:
        return self.label_of.get(value, value) == value

    def as_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "merged": {label: list(values) for label, values in self.merged.items()},
            "pooled_groups": len(self.pooled),
            "hidden_primary": len(self.primary),
            "reasons": sorted(set(self.primary.values())),
            "withheld": self.withheld,
        }


def _best_pool(
    rows: Mapping[str, tuple[int, int]], unsafe: set[str], min_cell: int
) -> tuple[str, ...] | None:
    """The set of rows, containing every unsafe one, whose pool is safe and hides the fewest records."""
    if not unsafe:
        return ()
    base = list(unsafe)
    g0 = sum(rows[v][0] for v in base)
    r0 = sum(rows[v][1] for v in base)
    if safe_group(g0, r0, min_cell) and len(base) >= 2:
        return tuple(sorted(base))
    candidates = sorted((v for v in rows if v not in unsafe), key=lambda v: (sum(rows[v]), v))
    best: tuple[int, tuple[str, ...]] | None = None
    if len(candidates) <= EXACT_SEARCH_LIMIT:
        for size in range(1, len(candidates) + 1):
            for extra in itertools.combinations(candidates, size):
                g = g0 + sum(rows[v][0] for v in extra)
                r = r0 + sum(rows[v][1] for v in extra)
                cost = sum(sum(rows[v]) for v in extra)
                if safe_group(g, r, min_cell) and (best is None or cost < best[0]):
                    best = (cost, tuple(sorted(base + list(extra))))
        return None if best is None else best[1]
    # Many groups (offices, officers): add the smallest shown groups until the pool is safe.
    pool = list(base)
    g, r = g0, r0
    for value in candidates:
        if safe_group(g, r, min_cell) and len(pool) >= 2:
            break
        pool.append(value)
        g, r = g + rows[value][0], r + rows[value][1]
    return tuple(sorted(pool)) if safe_group(g, r, min_cell) and len(pool) >= 2 else None


def _merge_along(
    counts: Mapping[str, tuple[int, int]], parents: Mapping[str, str], unsafe: set[str], min_cell: int
) -> tuple[dict[str, tuple[str, ...]], int]:
    """Merge each unsafe value with its siblings under the hierarchy's parent (trans men with men) when the
    merged group is safe. Returns label -> members, and the records no longer shown under their own value
    (the largest member keeps its meaning, so it is not counted as lost)."""
    merged: dict[str, tuple[str, ...]] = {}
    cost = 0
    done: set[str] = set()
    for value in sorted(unsafe):
        parent = parents.get(value)
        if parent is None or value in done:
            continue
        members = tuple(sorted(v for v in counts if parents.get(v) == parent))
        if len(members) < 2:
            continue
        g = sum(counts[v][0] for v in members)
        r = sum(counts[v][1] for v in members)
        if not safe_group(g, r, min_cell):
            continue
        largest = max(members, key=lambda v: (sum(counts[v]), v))
        label = (
            f"{parent} ({', '.join(members)})"
            if parent != largest
            else f"{largest} (with " + ", ".join(m for m in members if m != largest) + ")"
        )
        merged[label] = members
        done.update(members)
        cost += sum(sum(counts[v]) for v in members if v != largest)
    return merged, cost


def plan_dimension(
    dimension: str,
    counts: Mapping[str, Sequence[int]],
    min_cell: int,
    parents: Mapping[str, str] | None = None,
) -> DimensionPlan:
    """Primary and complementary suppression of one table of grants and refusals (value -> [granted, refused])."""
    rows = {str(v): (int(c[0]), int(c[1])) for v, c in counts.items()}
    unsafe = {v for v, (g, r) in rows.items() if not safe_group(g, r, min_cell)}
    primary = {v: _why(*rows[v], min_cell) for v in unsafe}
    if not unsafe:
        return DimensionPlan(dimension, {v: v for v in rows})
    options: list[tuple[int, dict[str, tuple[str, ...]], tuple[str, ...]]] = []
    pool = _best_pool(rows, unsafe, min_cell)
    if pool is not None:
        options.append((sum(sum(rows[v]) for v in pool), {}, pool))
    if parents:
        merged, merge_cost = _merge_along(rows, parents, unsafe, min_cell)
        if merged:
            collapsed = {v: c for v, c in rows.items() if not any(v in m for m in merged.values())}
            for label, members in merged.items():
                collapsed[label] = (sum(rows[m][0] for m in members), sum(rows[m][1] for m in members))
            left = {v for v in unsafe if v in collapsed}
            rest = _best_pool(collapsed, left, min_cell)
            if rest is not None:
                cost = merge_cost + sum(sum(collapsed[v]) for v in rest)
                options.append((cost, merged, rest))
    if not options:
        return DimensionPlan(
            dimension,
            dict.fromkeys(rows, "hidden"),
            primary=primary,
            withheld="too few decisions in the groups to show any of them safely",
        )
    _, merged, pool = min(options, key=lambda o: (o[0], -len(o[1])))
    label_of = {v: v for v in rows}
    for label, members in merged.items():
        for member in members:
            label_of[member] = label
    pool_members: list[str] = []
    for entry in pool:
        pool_members.extend(merged.get(entry, (entry,)))
    kept_merges = {label: members for label, members in merged.items() if label not in pool}
    pool_label = f"other groups ({len(pool_members)})"
    for member in pool_members:
        label_of[member] = pool_label
    return DimensionPlan(dimension, label_of, kept_merges, tuple(sorted(pool_members)), primary)


def plan_counts(counts: Mapping[str, int]) -> tuple[dict[str, str], tuple[str, ...]]:
    """Single counts with a published total (the outcomes): pool the counts from 1 to 4 with the fewest others."""
    unsafe = {v for v, c in counts.items() if small(c)}
    label_of = {v: v for v in counts}
    if not unsafe:
        return label_of, ()
    pool = set(unsafe)
    for value in sorted((v for v in counts if v not in unsafe), key=lambda v: (counts[v], v)):
        if len(pool) >= 2 and not small(sum(counts[v] for v in pool)):
            break
        pool.add(value)
    if small(sum(counts[v] for v in pool)) or len(pool) < 2:
        pool = set(counts)
    for value in pool:
        label_of[value] = "other outcomes"
    return label_of, tuple(sorted(pool))


def factorize(values: Sequence[Any] | NDArray[Any]) -> tuple[NDArray[Any], list[Any]]:
    """(a small integer per value, the distinct values in order of first appearance): hashing, not sorting."""
    uniques = list(dict.fromkeys(values))
    index = {v: i for i, v in enumerate(uniques)}
    codes = np.fromiter(map(index.__getitem__, values), dtype=np.int64, count=len(values))
    return codes, uniques


def combine(inside: NDArray[Any], sub: NDArray[Any]) -> NDArray[Any]:
    """Split the records ``inside`` counts (code > 0; 0 = not counted) further by ``sub`` (codes >= 0)."""
    span = int(sub.max()) + 1 if sub.size else 1
    return np.where(inside == 0, 0, inside * span + sub + 1)


# ---------------------------------------------------------------------------------------------- protection


@dataclass
class Protection:
    """The plan for one report: recoded records every statistic is computed from, and the ledger."""

    min_cell: int
    plans: dict[str, DimensionPlan]
    outcome_label: dict[str, str]
    outcome_pool: tuple[str, ...]
    records: list[Record]  # recoded: pooled and merged groups carry their label
    ledger: Ledger
    outcome: NDArray[Any]
    decided: NDArray[Any]
    granted: NDArray[Any]

    def labels_of(self, dimension: str, raw_values: Iterable[str]) -> set[str]:
        plan = self.plans.get(dimension)
        return {plan.label_of.get(v, v) if plan else v for v in raw_values}

    def clean(self, dimension: str, values: Iterable[str]) -> bool:
        """True when ``values`` (raw) are whole groups of the published table (never part of a pool)."""
        plan = self.plans.get(dimension)
        if plan is None:
            return True
        wanted = set(values)
        for label in self.labels_of(dimension, wanted & set(plan.label_of)):
            members = {v for v, lab in plan.label_of.items() if lab == label}
            if not members <= wanted:
                return False
        return True

    def outcome_split(self, inside: NDArray[Any]) -> NDArray[Any]:
        """Codes: 1 granted, 2 refused for decided records ``inside``; 0 (not counted) for the rest."""
        codes = np.zeros(len(self.outcome), dtype=np.int64)
        codes[inside & self.granted] = 1
        codes[inside & self.decided & ~self.granted] = 2
        return codes

    def summary(self) -> dict[str, Any]:
        dims = [p.as_dict() for p in self.plans.values() if p.merged or p.pooled or p.withheld]
        return {
            "standard": (
                f"Every group shown has at least {self.min_cell} decisions and no grant or refusal count from 1 "
                "to 4; smaller groups are merged along the policy's hierarchy or pooled, and every statistic is "
                "computed from the merged records. Every published count (totals, margins, comparisons, model "
                "rows, shrunk rates, waiting-time and refusal-reason tables) is then checked together: for each "
                "hidden count the smallest and largest value consistent with all of them is computed, and a "
                "statistic is withdrawn until none of them is pinned to a value from 1 to 4 "
                "(see docs/coalition.md)."
            ),
            "joint_audit": dict(self.ledger.audit_summary),
            "dimensions": dims,
            "outcomes_pooled": list(self.outcome_pool),
            "withheld": list(self.ledger.withheld),
        }


def _parents(hierarchies: Mapping[str, Any] | None, dimension: str) -> dict[str, str]:
    if not hierarchies or dimension not in hierarchies:
        return {}
    h = hierarchies[dimension]
    if len(h.levels) < 2:
        return {}
    return dict(h.maps.get(h.levels[1], {}))


def protect(
    records: Sequence[Record],
    dimensions: Sequence[str],
    min_cell: int,
    hierarchies: Mapping[str, Any] | None = None,
) -> Protection:
    """Plan every dimension, recode the records, and start a ledger holding the tables the report shows."""
    min_cell = max(min_cell, NEVER_BELOW)
    n = len(records)
    outcome = np.empty(n, dtype=object)
    outcome[:] = [r.get("outcome") for r in records]
    granted = outcome == "granted"
    decided = granted | (outcome == "refused")
    plans: dict[str, DimensionPlan] = {}
    columns: dict[str, tuple[NDArray[Any], list[str]]] = {}  # codes per record, and the values they stand for
    status = np.where(decided, np.where(granted, 1, 2), 0)  # 0: not decided, 1: granted, 2: refused
    for dimension in dimensions:
        codes, values = factorize([r.get(dimension) for r in records])
        if all(v is None for v in values):
            continue
        text = [NOT_RECORDED if v is None or v == "" else str(v) for v in values]
        g = np.bincount(codes[decided & granted], minlength=len(text))
        t = np.bincount(codes[decided], minlength=len(text))
        counts: dict[str, list[int]] = {}
        for value, a, b in zip(text, g, t, strict=True):
            if b:
                entry = counts.setdefault(value, [0, 0])
                entry[0] += int(a)
                entry[1] += int(b - a)
        plan = plan_dimension(dimension, counts, min_cell, _parents(hierarchies, dimension))
        plans[dimension] = plan
        columns[dimension] = (codes, text)
    outcome_codes, outcome_values = factorize(outcome.tolist())
    tally = {str(o): int(c) for o, c in zip(outcome_values, np.bincount(outcome_codes), strict=True)}
    outcome_label, outcome_pool = plan_counts(tally)
    recoded = _recode(records, plans, columns)
    ledger = Ledger(n)
    ledger.publish("the total", np.zeros(n, dtype=np.int64), {"*"})
    merged_outcomes = factorize([outcome_label.get(str(o), str(o)) for o in outcome_values])[0]
    ledger.publish("the outcome counts", merged_outcomes[outcome_codes], {"outcome"})
    # grants and refusals (the overall rate and the number decided) are published whenever anything is
    ledger.publish("the decisions", status, {"outcome"})
    protection = Protection(
        min_cell, plans, outcome_label, outcome_pool, recoded, ledger, outcome, decided, granted
    )
    for dimension, plan in plans.items():
        if plan.withheld:
            continue
        codes, text = columns[dimension]
        label_codes = factorize([plan.label_of.get(v, v) for v in text])[0]
        labels = label_codes[codes]
        ledger.publish(
            f"the table by {dimension}",
            np.where(status == 0, 0, labels * 2 + status),
            {dimension},
            leaf=dimension,
        )
    return protection


def _recode(
    records: Sequence[Record],
    plans: Mapping[str, DimensionPlan],
    columns: Mapping[str, tuple[NDArray[Any], list[str]]],
) -> list[Record]:
    changes: list[tuple[str, NDArray[Any]]] = []
    for dimension, plan in plans.items():
        if not plan.merged and not plan.pooled and not plan.withheld:
            continue
        codes, text = columns[dimension]
        labels = [plan.label_of.get(v, v) for v in text]
        # a value nobody decided on (pending only) is left as it is; '(not recorded)' goes back to empty
        table = np.array([None if label == NOT_RECORDED else label for label in labels], dtype=object)
        changes.append((dimension, table[codes]))
    if not changes:
        return list(records)
    out = []
    for index, record in enumerate(records):
        copy = dict(record)
        for dimension, recoded in changes:
            copy[dimension] = recoded[index]
        out.append(copy)
    return out


# ------------------------------------------------------------------------------------- waiting-time curves


def coarsen_curve(curve: dict[str, Any], days: NDArray[Any], ended: NDArray[Any], min_cell: int) -> None:
    """Keep only the steps of a Kaplan-Meier curve that each gather at least ``min_cell`` decisions, so the
    number of decisions on any day cannot be read off the curve (in place)."""
    times = curve.get("times") or []
    if not times:
        return
    event_days, per_day = np.unique(days[ended], return_counts=True)
    lookup = dict(zip(event_days.tolist(), per_day.tolist(), strict=True))
    keep: list[int] = []
    gathered = 0
    for index, t in enumerate(times):
        gathered += lookup.get(t, 0)
        if gathered >= min_cell:
            keep.append(index)
            gathered = 0
    for key in ("times", "survival", "lower", "upper"):
        if key in curve:
            curve[key] = [curve[key][i] for i in keep]
