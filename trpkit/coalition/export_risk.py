"""What an anonymised export still reveals: group sizes, re-identification risk, l-diversity, information lost."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

import numpy as np

from trpkit.coalition.record import Record
from trpkit.domain.coalition_policy import Policy


def class_sizes(records: Sequence[Record], columns: Sequence[str]) -> list[int]:
    """Sizes of the groups of records sharing the same values of ``columns`` (independent of the search)."""
    groups: dict[tuple[Any, ...], int] = {}
    for record in records:
        key = tuple(record.get(c) for c in columns)
        groups[key] = groups.get(key, 0) + 1
    return list(groups.values())


def _information_loss(
    policy: Policy, levels: dict[str, int], qis: Sequence[str], total: int, exported: int
) -> dict[str, Any]:
    per_attribute = {a: round(levels[a] / policy.hierarchies[a].top, 3) for a in qis}
    precision = float(np.mean(list(per_attribute.values()))) if per_attribute else 0.0
    suppressed_share = (total - exported) / total if total else 0.0
    return {
        "per_attribute": per_attribute,
        "generalisation": round(precision, 3),
        "suppressed_share": round(suppressed_share, 4),
        # Counting a suppressed record as fully generalised: one number between 0 (nothing lost) and 1.
        "overall": round(precision * (1 - suppressed_share) + suppressed_share, 3),
    }


def _risk(sizes: Sequence[int], exported: int, k: int) -> dict[str, Any]:
    if not sizes or exported == 0:
        return {
            "prosecutor_max": 0.0,
            "prosecutor_average": 0.0,
            "groups": 0,
            "smallest_group": 0,
            "records_at_max_risk": 0,
        }
    smallest = min(sizes)
    return {
        "prosecutor_max": round(1 / smallest, 4),
        "prosecutor_average": round(len(sizes) / exported, 4),
        "groups": len(sizes),
        "smallest_group": smallest,
        "records_at_max_risk": sum(s for s in sizes if s == smallest),
        "average_group_size": round(exported / len(sizes), 2),
    }


DECIDED = frozenset({"granted", "refused"})  # the outcomes l-diversity is about


def _groups(
    records: Sequence[Record], columns: Sequence[str], sensitive: str = "outcome"
) -> dict[tuple[Any, ...], tuple[int, set[Any]]]:
    """Group size and the set of *decided* outcomes in it (pending and withdrawn reveal no decision)."""
    complete = bool(records) and all(c in records[0] for c in columns)
    getter = (
        operator.itemgetter(*columns)
        if columns and complete
        else (lambda r: tuple(r.get(c) for c in columns))
    )
    found: dict[Any, list[Any]] = {}
    for record in records:
        key = getter(record)
        entry = found.get(key)
        if entry is None:
            entry = found[key] = [0, set()]
        entry[0] += 1
        if record.get(sensitive) in DECIDED:
            entry[1].add(record[sensitive])
    return {k: (v[0], v[1]) for k, v in found.items()}


def _diversity(groups: dict[Any, tuple[int, set[Any]]]) -> dict[str, Any]:
    decided = {key: entry for key, entry in groups.items() if entry[1]}
    if not decided:
        return {"min_l": 0, "homogeneous_groups": 0, "records_in_homogeneous_groups": 0, "groups": 0}
    return {
        "min_l": min(len(outcomes) for _, outcomes in decided.values()),
        "homogeneous_groups": sum(1 for _, outcomes in decided.values() if len(outcomes) == 1),
        "records_in_homogeneous_groups": sum(
            size for size, outcomes in decided.values() if len(outcomes) == 1
        ),
        "groups": len(decided),
        "measured_on": "decided outcomes (granted, refused)",
    }


def l_diversity(
    records: Sequence[Record], columns: Sequence[str], sensitive: str = "outcome"
) -> dict[str, Any]:
    """Distinct decided outcomes per group: a group where everyone decided was refused reveals each
    member's outcome. Groups with no decision yet are left out."""
    return _diversity(_groups(records, columns, sensitive))
