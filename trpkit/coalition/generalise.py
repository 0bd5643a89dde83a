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

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from trpkit.coalition.export_risk import _diversity, _groups, _information_loss, _risk
from trpkit.coalition.lattice import _Lattice, search
from trpkit.coalition.record import COLUMNS, Record, validate_records
from trpkit.domain.coalition_policy import QI_COLUMNS, Policy

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


# -------------------------------------------------------------------------------------------- the search


# ------------------------------------------------------------------------------------------- the result


def shared_columns(policy: Policy) -> tuple[str, ...]:
    return tuple(c.name for c in COLUMNS if c.optional_field is None or policy.allows(c.optional_field))


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
    warnings = _unknown_countries(rows, policy)

    def refused(reason: str) -> AnonymisationResult:
        return _refused(reason, columns, qis, total, warnings)

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
    records = _generalised(rows, lattice, levels, np.flatnonzero(keep), columns)
    return _measured(policy, records, levels, columns, total, limit, warnings)


def _refused(
    reason: str, columns: tuple[str, ...], qis: tuple[str, ...], total: int, warnings: list[str]
) -> AnonymisationResult:
    """Nothing shared, and why."""
    checks = [Check("k-anonymity", False, reason)]
    return AnonymisationResult(
        False, reason, [], columns, qis, {}, total, 0, total, {}, {}, {}, checks, warnings
    )


def _measured(
    policy: Policy,
    records: list[Record],
    levels: dict[str, int],
    columns: tuple[str, ...],
    total: int,
    limit: int,
    warnings: list[str],
) -> AnonymisationResult:
    """The generalised records with what they still reveal, measured on the records themselves."""
    qis = tuple(policy.quasi_identifiers)
    exported = len(records)
    suppressed = total - exported
    level_names = {a: policy.hierarchies[a].level_name(levels[a]) for a in QI_COLUMNS}
    loss = _information_loss(policy, levels, qis, total, exported)
    # One pass over the written records (independent of the search): group sizes and outcomes per group.
    groups = _groups(records, qi_columns(qis))
    sizes = [size for size, _ in groups.values()] if qis else ([exported] if exported else [])
    risk = _risk(sizes, exported, policy.k)
    diversity = _diversity(groups)
    suppression = Check(
        "suppression", suppressed <= limit, f"{suppressed} of {total} suppressed (at most {limit} allowed)"
    )
    checks = _checks(policy, records, columns, levels, sizes, diversity, suppression)
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


def _unknown_countries(rows: Sequence[dict[str, Any]], policy: Policy) -> list[str]:
    """The warning for nationalities the M49 table does not place (shared as 'unknown'), if any."""
    unknown_countries = sorted(
        {
            (r.get("country") or "").upper()
            for r in rows
            if r.get("country") and policy.m49.area_of(r["country"], "region") is None
        }
    )
    if not unknown_countries:
        return []
    return [
        (
            f"{len(unknown_countries)} nationality code(s) have no UN M49 region in m49-regions.toml "
            "and were shared as 'unknown'"
        )
    ]


def _generalised(
    rows: Sequence[dict[str, Any]],
    lattice: _Lattice,
    levels: dict[str, int],
    kept_index: NDArray[Any],
    columns: Sequence[str],
) -> list[Record]:
    """The kept rows as records: each quasi-identifier's label at its level, the other columns as given."""
    total = len(rows)
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
    validate_records(records, plain, partial=True)
    return records


def _checks(
    policy: Policy,
    records: list[Record],
    columns: Sequence[str],
    levels: dict[str, int],
    sizes: Sequence[int],
    diversity: dict[str, Any],
    suppression: Check,
) -> list[Check]:
    """The checks every export reports (and must pass): k, suppression, fields, levels, l-diversity."""
    k = policy.k
    return [
        Check(
            "k-anonymity",
            all(s >= k for s in sizes),
            f"smallest group {min(sizes) if sizes else 0} record(s), k = {k}, {len(sizes)} group(s)",
        ),
        suppression,
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
