"""k-anonymity by generalising quasi-identifiers (global recoding), suppressing only the residue.

Input rows carry the finest form of each quasi-identifier (age in years, ISO country, exact dates, office);
the policy's hierarchies say how each can be coarsened. The search starts at the finest levels the policy
allows and, one step at a time, coarsens the attribute that removes the most at-risk records per unit of
information lost, until at most ``max_suppression`` of the records sit in groups smaller than k; then it
tries to undo each step that turned out unnecessary (local minimality). Records still in groups smaller
than k are suppressed (left out and counted). Everything is reported before anything is written:
information lost, prosecutor re-identification risk and the l-diversity of the outcome in each group.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from trpkit.coalition.record import COLUMNS, Record, validate_records
from trpkit.domain.coalition_policy import CODE_ATTRIBUTES, DAYS_BAND, QI_COLUMNS, STAR, Hierarchy, Policy

# Keys of an input row besides the record columns: the fine form of each quasi-identifier.
RAW_KEYS = ("age_years", "country", "submitted_date", "decided_date")


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "passed": self.passed, "detail": self.detail}


@dataclass(frozen=True)
class AnonymisationResult:
    ok: bool
    refusal: str
    records: list[Record]
    columns: tuple[str, ...]
    quasi_identifiers: tuple[str, ...]
    levels: dict[str, str]
    total: int
    exported: int
    suppressed: int
    information_loss: dict[str, Any]
    risk: dict[str, Any]
    l_diversity: dict[str, Any]
    checks: list[Check] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "refusal": self.refusal,
            "total": self.total,
            "exported": self.exported,
            "suppressed": self.suppressed,
            "quasi_identifiers": list(self.quasi_identifiers),
            "levels": self.levels,
            "information_loss": self.information_loss,
            "risk": self.risk,
            "l_diversity": self.l_diversity,
            "checks": [c.as_dict() for c in self.checks],
            "warnings": self.warnings,
            "columns": list(self.columns),
        }


# ---------------------------------------------------------------------------------------------- labels


def _age_label(age: float | None, bands: tuple[int, ...]) -> str:
    if age is None:
        return "unknown"
    years = int(age)
    position = int(np.searchsorted(np.asarray(bands), years, side="right")) - 1
    low = bands[max(position, 0)]
    if position + 1 < len(bands):
        return f"{low}-{bands[position + 1] - 1}"
    return f"{low}+"


def _date_label(value: tuple[int, int] | None, level: str) -> str | None:
    if value is None:
        return None
    year, month = value
    if level == "month":
        return f"{year:04d}-{month:02d}"
    if level == "quarter":
        return f"{year:04d}-Q{(month - 1) // 3 + 1}"
    if level == "half":
        return f"{year:04d}-H{1 if month <= 6 else 2}"
    return f"{year:04d}"


def labeller(policy: Policy, attribute: str, level: int) -> Callable[[Any], Any]:
    """A function from the fine value of ``attribute`` to its label at ``level`` (index in the hierarchy)."""
    h: Hierarchy = policy.hierarchies[attribute]
    if level >= h.top:
        if attribute == "dates":
            return lambda triple: (STAR, STAR, None)  # 'pending' is in the outcome already; no days either
        if attribute in CODE_ATTRIBUTES:
            return lambda value: None
        return lambda value: STAR
    name = h.levels[level]
    if attribute in CODE_ATTRIBUTES:
        if level == 0:
            return lambda value: value or None
        mapping = h.maps[name]
        return lambda value: mapping.get(value, value) if value else None
    if attribute == "age_band":
        bands = h.age_bands[name]
        return lambda age: _age_label(age, bands)
    if attribute == "dates":
        band = max(policy.rounding.get("processing_days", 1), DAYS_BAND[name])
        share_days = policy.allows("processing_days")

        def dates(triple: tuple[Any, Any, Any]) -> tuple[str | None, str | None, int | None]:
            days = triple[2]
            banded = None if days is None or not share_days else max(int(days), 0) // band * band
            return (_date_label(triple[0], name), _date_label(triple[1], name), banded)

        return dates
    if attribute == "origin_region":
        m49 = policy.m49
        return lambda country: (m49.area_of(country, name) or "unknown") if country else "unknown"
    if attribute == "ircc_office":
        offices = h.maps.get(h.levels[1], {}) if len(h.levels) > 1 else {}
        if level == 0:
            return lambda office: "unknown" if not office else (office if office in offices else "other")
        mapping = h.maps[name]
        return lambda office: "unknown" if not office else mapping.get(office, "other")
    if level == 0:
        return lambda value: value or "unknown"
    mapping = h.maps[name]
    return lambda value: mapping.get(value or "unknown", "unknown")


def _month(value: date | None) -> tuple[int, int] | None:
    return None if value is None else (value.year, value.month)


def fine_values(rows: Sequence[dict[str, Any]], attribute: str) -> list[Any]:
    """``fine_value`` of every row (one comprehension per attribute: this runs over every exported row)."""
    if attribute == "age_band":
        return [None if (a := r.get("age_years")) is None else int(a) for r in rows]
    if attribute == "origin_region":
        return [(r.get("country") or "").upper() for r in rows]
    if attribute == "dates":
        return [
            (_month(r.get("submitted_date")), _month(r.get("decided_date")), r.get("processing_days"))
            for r in rows
        ]
    return [r.get(attribute) for r in rows]


def fine_value(row: dict[str, Any], attribute: str) -> Any:
    """The finest value of ``attribute`` any level needs (whole years, months): few distinct values."""
    if attribute == "age_band":
        age = row.get("age_years")
        return None if age is None else int(age)
    if attribute == "origin_region":
        return (row.get("country") or "").upper()
    if attribute == "dates":
        return (
            _month(row.get("submitted_date")),
            _month(row.get("decided_date")),
            row.get("processing_days"),
        )
    return row.get(attribute)


# -------------------------------------------------------------------------------------------- the search


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
        fail = sizes < k
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


# ------------------------------------------------------------------------------------------- the result


def shared_columns(policy: Policy) -> tuple[str, ...]:
    return tuple(c.name for c in COLUMNS if c.optional_field is None or policy.allows(c.optional_field))


def class_sizes(records: Sequence[Record], columns: Sequence[str]) -> list[int]:
    """Sizes of the groups of records sharing the same values of ``columns`` (independent of the search)."""
    groups: dict[tuple[Any, ...], int] = {}
    for record in records:
        key = tuple(record.get(c) for c in columns)
        groups[key] = groups.get(key, 0) + 1
    return list(groups.values())


def qi_columns(quasi_identifiers: Sequence[str]) -> tuple[str, ...]:
    """The record columns the quasi-identifiers cover; the days to a decision go with the dates (from them
    and the decision month the submission could be worked out)."""
    columns = [column for attribute in quasi_identifiers for column in QI_COLUMNS[attribute]]
    if "dates" in quasi_identifiers:
        columns.append("processing_days")
    return tuple(columns)


def anonymise(rows: Sequence[dict[str, Any]], policy: Policy) -> AnonymisationResult:
    """Generalise and suppress ``rows`` to meet ``policy``; nothing is written here."""
    total = len(rows)
    k = policy.k
    columns = shared_columns(policy)
    qis = tuple(policy.quasi_identifiers)
    warnings: list[str] = []
    unknown_countries = sorted(
        {
            (r.get("country") or "").upper()
            for r in rows
            if r.get("country") and policy.m49.area_of(r["country"], "region") is None
        }
    )
    if unknown_countries:
        warnings.append(
            f"{len(unknown_countries)} nationality code(s) have no UN M49 region in m49-regions.toml "
            "and were shared as 'unknown'"
        )

    def refused(reason: str) -> AnonymisationResult:
        return AnonymisationResult(
            False,
            reason,
            [],
            columns,
            qis,
            {},
            total,
            0,
            total,
            {},
            {},
            {},
            [Check("k-anonymity", False, reason)],
            warnings,
        )

    if 0 < total < k:
        return refused(
            f"only {total} decision(s) can be shared; the policy needs at least k = {k} so that "
            "every combination of quasi-identifiers is shared by k records"
        )
    lattice = _Lattice(rows, policy)
    node, at_risk = search(lattice, policy)
    limit = int(policy.max_suppression * total)
    if at_risk > limit:
        one_sided = policy.l_diversity >= 2 and not (lattice.granted.any() and lattice.refused.any())
        return refused(_blocked_reason(lattice, policy, total, at_risk, limit, one_sided))
    # Non-quasi-identifier attributes are shared at the finest level the policy allows.
    levels = {a: node.get(a, policy.hierarchies[a].min_level) for a in QI_COLUMNS}
    keep = np.ones(total, dtype=bool)
    if total and qis:
        keep = ~lattice.failing_rows(node, k, policy.l_diversity)
    kept_index = np.flatnonzero(keep)
    per_row: dict[str, list[Any]] = {}
    for attribute in QI_COLUMNS:
        level = levels[attribute]
        table = np.empty(len(lattice.labels[attribute][level]), dtype=object)
        table[:] = lattice.labels[attribute][level]
        values = table[lattice.codes[attribute][level][kept_index]].tolist() if total else []
        if attribute == "dates":
            per_row["submitted"] = [triple[0] for triple in values]
            per_row["decided"] = [triple[1] for triple in values]
            if "processing_days" in columns:
                per_row["processing_days"] = [triple[2] for triple in values]
        else:
            per_row[attribute] = values
    plain = [name for name in columns if name not in per_row]
    records: list[Record] = []
    for position, index in enumerate(kept_index.tolist()):
        row = rows[index]
        record = {name: row.get(name) for name in plain}
        for name, values in per_row.items():
            record[name] = values[position]
        if record.get("refusal_reasons") is not None:
            record["refusal_reasons"] = tuple(record["refusal_reasons"])
        records.append(record)
    # Labels come from the policy's hierarchies; the other columns are checked against the schema here.
    validate_records(records, [c for c in columns if c not in per_row], partial=True)
    exported = len(records)
    suppressed = total - exported
    level_names = {a: policy.hierarchies[a].level_name(levels[a]) for a in QI_COLUMNS}
    loss = _information_loss(policy, levels, qis, total, exported)
    # One pass over the written records (independent of the search): group sizes and outcomes per group.
    groups = _groups(records, qi_columns(qis))
    sizes = [size for size, _ in groups.values()] if qis else ([exported] if exported else [])
    risk = _risk(sizes, exported, k)
    diversity = _diversity(groups)
    checks = [
        Check(
            "k-anonymity",
            all(s >= k for s in sizes),
            f"smallest group {min(sizes) if sizes else 0} record(s), k = {k}, {len(sizes)} group(s)",
        ),
        Check(
            "suppression",
            suppressed <= limit,
            f"{suppressed} of {total} suppressed (at most {limit} allowed)",
        ),
        Check(
            "withheld fields",
            all(r.keys() <= set(columns) for r in records),
            "only fields the policy allows: " + ", ".join(c for c in columns),
        ),
        Check(
            "minimum levels",
            all(levels[a] >= policy.hierarchies[a].min_level for a in QI_COLUMNS),
            "no attribute finer than the policy's min_level",
        ),
        Check(
            "l-diversity" if policy.l_diversity >= 2 else "l-diversity (reported)",
            policy.l_diversity < 2 or diversity["homogeneous_groups"] == 0,
            f"{diversity['homogeneous_groups']} group(s) where every decided record has the same outcome "
            f"(granted or refused; pending and withdrawn are not outcomes for this), l = {policy.l_diversity}",
        ),
    ]
    ok = all(c.passed for c in checks)
    return AnonymisationResult(
        ok,
        "" if ok else "a check failed: " + "; ".join(c.detail for c in checks if not c.passed),
        records,
        columns,
        qis,
        level_names,
        total,
        exported,
        suppressed,
        loss,
        risk,
        diversity,
        checks,
        warnings,
    )


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


def _blocked_reason(lattice: Any, policy: Any, total: int, at_risk: int, limit: int, one_sided: bool) -> str:
    """Why nothing can be shared, with the counts behind it and what would change it (the policy's
    defaults are the coalition's to change, never the exporter's)."""
    granted, refused = int(lattice.granted.sum()), int(lattice.refused.sum())
    if one_sided:
        only = "granted" if granted else "refused"
        other = "a refusal" if granted else "a grant"
        return (
            f"all {granted + refused} decision(s) to share were {only}, and the policy's l-diversity "
            f"(l = {policy.l_diversity}) needs a grant and a refusal in every group, or knowing that someone is "
            f"in the data would tell their outcome. What would change it: {other} among the decisions of people "
            "who consented to coalition sharing; the coalition could also lower l in its policy, at that cost"
        )
    return (
        f"{at_risk} of {total} records would have to be suppressed even at the coarsest levels "
        f"({granted} granted, {refused} refused; each group needs k = {policy.k} records and, with "
        f"l = {policy.l_diversity}, both outcomes); the policy allows at most {limit}. What would change it: "
        "more consenting decisions (from this agency or by waiting for the next ones), or a coalition policy "
        "that allows more suppression or coarser levels"
    )
