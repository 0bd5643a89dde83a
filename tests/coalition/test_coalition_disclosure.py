"""Attack the report's JSON as an auditor would: no hidden count from 1 to 4 may be derivable.

The attacker below is written from the published JSON and the documented definitions only (it never calls the
suppression code). For each family of linked statistics it sets up the counts of the finest cells as unknown
non-negative integers, adds every published total, margin, table row, planned comparison, indicator summary and
waiting-time count as an equation, and asks an integer programme (scipy's milp) for the smallest and largest
value each cell can take. A cell whose smallest and largest possible values are the same number from 1 to 4 is
a disclosure.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from trpkit.coalition.record import COOPERATION, CRIMINAL_CASE
from trpkit.coalition.report import build_report
from trpkit.domain.coalition_policy import GENDERS, SECTORS

TYPES = ("initial_trp", "subsequent_trp")
OFFICES = ("toronto", "montreal", "vancouver", "calgary", "halifax", "winnipeg")
OUTCOMES = ("granted", "refused", "withdrawn", "returned", "pending")
LABOUR = ("agriculture", "construction", "domestic_work", "hospitality", "manufacturing")
REASONS = ("not_credible", "insufficient_evidence", "inadmissible", "other_avenue")
VOCABULARY = {
    "application_type": TYPES,
    "exploitation_sector": SECTORS,
    "law_enforcement_cooperation": COOPERATION,
    "criminal_case_status": CRIMINAL_CASE,
    "gender": GENDERS,
    "ircc_office": OFFICES,
}


# ------------------------------------------------------------------------------------ data with small groups


def coalition_data(seed: int, n: int, concentration: float) -> list[dict[str, Any]]:
    """Records whose categories follow skewed (Dirichlet) shares: many groups of 1 to 9 beside big ones."""
    rng = np.random.default_rng(seed)

    def pick(values: Sequence[str]) -> np.ndarray:
        shares = rng.dirichlet(np.full(len(values), concentration))
        return rng.choice(np.asarray(values, dtype=object), size=n, p=shares)

    columns = {name: pick(values) for name, values in VOCABULARY.items()}
    outcome = rng.choice(np.asarray(OUTCOMES, dtype=object), size=n, p=rng.dirichlet([4, 3, 0.6, 0.4, 1.5]))
    shares = rng.dirichlet(np.full(len(REASONS), concentration))
    reasons = [
        tuple(sorted(set(rng.choice(REASONS, size=int(rng.integers(1, 3)), p=shares).tolist())))
        for _ in range(n)
    ]
    out = []
    for i in range(n):
        decided = outcome[i] in ("granted", "refused", "returned", "withdrawn")
        days = int(rng.integers(20, 400)) if decided and rng.random() > 0.05 else None
        strong = int(rng.integers(0, 5))
        out.append(
            {
                "record_id": f"{i:016x}",
                "agency": "ngo-a",
                "outcome": str(outcome[i]),
                "processing_days": days,
                "policy_period": "vtip-2025",
                "strong_indicators": strong if outcome[i] in ("granted", "refused") else None,
                "medium_indicators": int(rng.integers(0, 4))
                if outcome[i] in ("granted", "refused")
                else None,
                "weak_indicators": 0 if outcome[i] in ("granted", "refused") else None,
                "refusal_reasons": list(reasons[i]) if outcome[i] == "refused" else [],
                **{name: str(column[i]) for name, column in columns.items()},
            }
        )
    return out


# --------------------------------------------------------------------------------------------- the attacker


class Attack:
    """Unknown non-negative integer counts of cells, equations from the report, exact integer bounds."""

    def __init__(self, cells: Sequence[tuple[Any, ...]]) -> None:
        self.cells = list(cells)
        self.index = {cell: i for i, cell in enumerate(self.cells)}
        self.rows: list[np.ndarray] = []
        self.values: list[float] = []

    def equation(self, chosen: Callable[[tuple[Any, ...]], bool], value: Any) -> None:
        if not isinstance(value, int) or isinstance(value, bool):
            return  # a withheld or bounded value is not an equation
        row = np.array([1.0 if chosen(cell) else 0.0 for cell in self.cells])
        self.rows.append(row)
        self.values.append(float(value))

    def bounds(self, chosen: Callable[[tuple[Any, ...]], bool]) -> tuple[int, int]:
        target = np.array([1.0 if chosen(cell) else 0.0 for cell in self.cells])
        constraints = LinearConstraint(np.array(self.rows), self.values, self.values)
        integrality = np.ones(len(self.cells))
        box = Bounds(0, np.inf)
        low = milp(target, constraints=constraints, integrality=integrality, bounds=box)
        high = milp(-target, constraints=constraints, integrality=integrality, bounds=box)
        assert low.success, "the published numbers must be consistent with the data"
        if high.status != 0:  # unbounded above: certainly not pinned
            return round(low.fun), 10**9
        return round(low.fun), round(-high.fun)


def _members(table: dict[str, Any] | None, vocabulary: Sequence[str]) -> dict[str, set[str]]:
    """The values behind each published row of a rate table: itself, a merge (listed), or the pool (every value
    of the vocabulary not shown otherwise)."""
    if table is None:
        return {}
    merged = {label: set(values) for label, values in table.get("merged", {}).items()}
    listed = {c["value"] for c in table["cells"]} | {v for values in merged.values() for v in values}
    out: dict[str, set[str]] = {}
    for cell in table["cells"]:
        label = cell["value"]
        if label in merged:
            out[label] = merged[label]
        elif re.fullmatch(r"other groups \(\d+\)", label):
            out[label] = set(vocabulary) - listed
        else:
            out[label] = {label}
    return out


def _table(report: dict[str, Any], dimension: str) -> dict[str, Any] | None:
    return next((t for t in report.get("rates", []) if t["dimension"] == dimension), None)


def _add_table(attack: Attack, report: dict[str, Any], dimension: str, position: int) -> None:
    table = _table(report, dimension)
    members = _members(table, VOCABULARY[dimension])
    for cell in table["cells"] if table else []:
        values = members[cell["value"]]
        for outcome in ("granted", "refused"):
            attack.equation(lambda c, v=values, o=outcome: c[position] in v and c[-1] == o, cell[outcome])
    if table is not None and not any(
        re.fullmatch(r"other groups \(\d+\)", c["value"]) for c in table["cells"]
    ):
        shown = set().union(*members.values()) if members else set()
        # no pool row: the values not shown were not in the data
        attack.equation(lambda c: c[position] not in shown and c[-1] in ("granted", "refused"), 0)


def _add_totals(attack: Attack, report: dict[str, Any]) -> None:
    outcomes = report["outcomes"]
    attack.equation(lambda c: c[-1] == "granted", outcomes.get("granted"))
    attack.equation(lambda c: c[-1] == "refused", outcomes.get("refused"))


def _comparison(report: dict[str, Any], question_start: str) -> dict[str, Any] | None:
    found = next((c for c in report.get("comparisons", []) if c["question"].startswith(question_start)), None)
    return found if found and found.get("ok") else None


def _pinned_small(attack: Attack, targets: dict[str, Callable[[tuple[Any, ...]], bool]]) -> list[str]:
    leaks = []
    for name, chosen in targets.items():
        low, high = attack.bounds(chosen)
        if low == high and 0 < low < 5:
            leaks.append(f"{name} = {low}")
    return leaks


def attack_dimension(report: dict[str, Any], dimension: str) -> list[str]:
    """One dimension's table with the totals, the planned comparisons and indicator summaries defined on it."""
    vocabulary = VOCABULARY[dimension]
    attack = Attack(list(itertools.product(vocabulary, ("granted", "refused"))))
    _add_totals(attack, report)
    _add_table(attack, report, dimension, 0)
    if dimension == "law_enforcement_cooperation" and (c := _comparison(report, "Does cooperating")):
        for side, values in (("a", {"reported", "cooperating", "testified"}), ("b", {"none"})):
            for outcome in ("granted", "refused"):
                attack.equation(lambda x, v=values, o=outcome: x[0] in v and x[1] == o, c[side][outcome])
    if dimension == "exploitation_sector":
        if c := _comparison(report, "Do labour cases"):
            for side, values in (("a", set(LABOUR)), ("b", {"sex_trade"})):
                for outcome in ("granted", "refused"):
                    attack.equation(lambda x, v=values, o=outcome: x[0] in v and x[1] == o, c[side][outcome])
        indicators = report.get("indicators", {})
        if indicators.get("ok"):
            members = _members(_table(report, dimension), vocabulary)
            for row in indicators["sectors"]:
                values = members.get(row["sector"], {row["sector"]})
                for outcome in ("granted", "refused"):
                    if row[outcome] is not None:
                        attack.equation(
                            lambda x, v=values, o=outcome: x[0] in v and x[1] == o, row[outcome]["n"]
                        )
            at_grant = indicators.get("labour_vs_sex_trade_at_grant", {})
            if at_grant.get("ok"):
                attack.equation(lambda x: x[0] in LABOUR and x[1] == "granted", at_grant["labour"]["n"])
                attack.equation(
                    lambda x: x[0] == "sex_trade" and x[1] == "granted", at_grant["sex_trade"]["n"]
                )
        model = report.get("labour_indicators", {})
        for side, values in (("labour", set(LABOUR)), ("sex_trade", {"sex_trade"})):
            counts = model.get("counts", {}).get(side)
            if counts:  # [granted, refused]; every generated decision has indicator counts
                attack.equation(lambda x, v=values: x[0] in v and x[1] == "granted", counts[0])
                attack.equation(lambda x, v=values: x[0] in v and x[1] == "refused", counts[1])
            shift = indicators.get("labour_vs_sex_trade", {}) if indicators.get("ok") else {}
            if shift.get("counts", {}).get(side) is not None:
                attack.equation(lambda x, v=values: x[0] in v, shift["counts"][side])
    if dimension == "ircc_office":
        members = _members(_table(report, dimension), vocabulary)
        for office in report.get("office_adjusted", {}).get("offices", []):
            values = members.get(office["value"], {office["value"]})
            for index, outcome in enumerate(("granted", "refused")):
                attack.equation(
                    lambda x, v=values, o=outcome: x[0] in v and x[1] == o, office["counts"][index]
                )
    targets = {f"{v} {o}": (lambda x, v=v, o=o: x == (v, o)) for v, o in attack.cells}
    targets |= {f"{v} decisions": (lambda x, v=v: x[0] == v) for v in vocabulary}
    return _pinned_small(attack, targets)


def attack_renewals(report: dict[str, Any]) -> list[str]:
    """Application type x criminal case status: both tables, the totals and the renewal comparison."""
    attack = Attack(list(itertools.product(TYPES, CRIMINAL_CASE, ("granted", "refused"))))
    _add_totals(attack, report)
    _add_table(attack, report, "application_type", 0)
    _add_table(attack, report, "criminal_case_status", 1)
    if c := _comparison(report, "Are renewals"):
        for side, values in (("a", {"concluded"}), ("b", {"investigation", "prosecution"})):
            for outcome in ("granted", "refused"):
                attack.equation(
                    lambda x, v=values, o=outcome: x[0] == "subsequent_trp" and x[1] in v and x[2] == o,
                    c[side][outcome],
                )
    risk = report.get("renewal_risk", {})
    for side, values in (("ended", {"concluded"}), ("ongoing", {"investigation", "prosecution"})):
        counts = risk.get("counts", {}).get(side)
        for index, outcome in enumerate(("granted", "refused")):
            if counts:
                attack.equation(
                    lambda x, v=values, o=outcome: x[0] == "subsequent_trp" and x[1] in v and x[2] == o,
                    counts[index],
                )
    targets = {" ".join(cell): (lambda x, cell=cell: x == cell) for cell in attack.cells}
    for status, outcome in itertools.product(CRIMINAL_CASE, ("granted", "refused")):
        targets[f"{status} {outcome}"] = lambda x, s=status, o=outcome: x[1] == s and x[2] == o
    return _pinned_small(attack, targets)


def attack_outcomes(report: dict[str, Any]) -> list[str]:
    """Outcome x waiting time known x type: records, outcome counts, the type table and waiting-time counts."""
    attack = Attack(list(itertools.product(TYPES, (True, False), OUTCOMES)))
    attack.equation(lambda c: True, report["records"])
    outcomes = report["outcomes"]
    listed = [o for o in OUTCOMES if o in outcomes]
    for outcome in listed:
        attack.equation(lambda c, o=outcome: c[2] == o, outcomes[outcome])
    if "other outcomes" in outcomes:
        attack.equation(lambda c: c[2] not in listed, outcomes["other outcomes"])
    table = _table(report, "application_type")
    members = _members(table, TYPES)
    for cell in table["cells"] if table else []:
        for outcome in ("granted", "refused"):
            attack.equation(
                lambda c, v=members[cell["value"]], o=outcome: c[0] in v and c[2] == o, cell[outcome]
            )
    processing = report.get("processing", {})
    ended = ("granted", "refused", "returned")
    for name, curve in processing.get("groups", {}).items() if processing.get("ok") else ():
        values = set(TYPES) if name == "all applications" else members.get(name, {name})
        attack.equation(lambda c, v=values: c[0] in v and c[1], curve.get("n"))
        attack.equation(lambda c, v=values: c[0] in v and c[1] and c[2] in ended, curve.get("events"))
        attack.equation(
            lambda c, v=values: c[0] in v and c[1] and c[2] == "withdrawn", curve.get("withdrawn")
        )
        attack.equation(
            lambda c, v=values: c[0] in v and c[1] and c[2] not in (*ended, "withdrawn"),
            curve.get("censored"),
        )
    if processing.get("ok"):
        attack.equation(lambda c: not c[1], processing.get("missing"))
    targets = {" ".join(map(str, cell)): (lambda x, cell=cell: x == cell) for cell in attack.cells}
    for outcome in OUTCOMES:
        targets[outcome] = lambda x, o=outcome: x[2] == o
        for kind in TYPES:
            targets[f"{kind} {outcome}"] = lambda x, o=outcome, t=kind: x[2] == o and x[0] == t
    return _pinned_small(attack, targets)


def structural_leaks(report: dict[str, Any]) -> list[str]:
    """Derived statistics must sit on published rows: each test on a shown row, each shrunk office rate on a
    row of the office table with the same counts (shrunk x (n + prior) - prior x overall gives its grants)."""
    leaks = []
    shown = {(t["dimension"], c["value"]): c for t in report.get("rates", []) for c in t["cells"]}
    for test in report.get("tests", []):
        if (test["dimension"], test["value"]) not in shown:
            leaks.append(f"test on an unpublished group {test['dimension']}={test['value']}")
    for dimension, result in report.get("variation", {}).items():
        if not result.get("ok"):
            continue
        prior = result["prior_strength"]
        for unit in result["units"]:
            row = shown.get((dimension, unit["value"]))
            if dimension == "ircc_office" and (row is None or row["n"] != unit["n"]):
                leaks.append(f"office {unit['value']} in the variation table but not in the grant table")
            if prior is not None:
                solved = unit["shrunk"] * (unit["n"] + prior) - prior * result["overall_rate"]
                if abs(solved - round(solved)) < 1e-6 and 0 < round(solved) < 5:
                    leaks.append(f"shrunk rate of {unit['value']} gives {round(solved)} grants")
    return leaks


def audit(report: dict[str, Any]) -> list[str]:
    leaks = structural_leaks(report)
    if not report.get("rates"):
        return leaks
    for dimension in VOCABULARY:
        leaks += [f"{dimension}: {leak}" for leak in attack_dimension(report, dimension)]
    leaks += [f"renewals: {leak}" for leak in attack_renewals(report)]
    leaks += [f"outcomes: {leak}" for leak in attack_outcomes(report)]
    return leaks


def _lp_pinned(
    rows: list[np.ndarray], values: list[float], ub: list[tuple[np.ndarray, float]], target: np.ndarray
) -> tuple[int, int]:
    """The attacker's integer bounds on ``target``: linear-programming bounds, confirmed by the integer
    program when they are less than 2 apart (where rounding could hide a pinned count)."""
    from scipy.optimize import linprog

    a_ub = np.array([r for r, _ in ub]) if ub else None
    b_ub = np.array([b for _, b in ub]) if ub else None
    ends = []
    for sign in (1.0, -1.0):
        result = linprog(
            sign * target, A_eq=np.array(rows), b_eq=values, A_ub=a_ub, b_ub=b_ub, bounds=(0, None)
        )
        assert result.status == 0, "the published numbers must be consistent with the data"
        ends.append(sign * result.fun)
    low, high = math.ceil(ends[0] - 1e-6), math.floor(ends[1] + 1e-6)
    if high - low < 2:
        constraints = [LinearConstraint(np.array(rows), values, values)]
        if ub:
            constraints.append(LinearConstraint(a_ub, -np.inf, b_ub))
        box, whole = Bounds(0, np.inf), np.ones(len(target))
        low = round(milp(target, constraints=constraints, integrality=whole, bounds=box).fun)
        high = round(-milp(-target, constraints=constraints, integrality=whole, bounds=box).fun)
    return low, high


def attack_jointly(report: dict[str, Any], data: Sequence[dict[str, Any]]) -> list[str]:
    """Everything defined on type x cooperation x criminal case x sector x outcome at once: the four tables,
    the totals, the three planned comparisons, the renewal risk ratio's and the labour model's counts."""
    if not report.get("rates"):
        return []
    dims = ("application_type", "law_enforcement_cooperation", "criminal_case_status", "exploitation_sector")
    attack = Attack(list(itertools.product(*(VOCABULARY[d] for d in dims), ("granted", "refused"))))
    _add_totals(attack, report)
    for position, dimension in enumerate(dims):
        _add_table(attack, report, dimension, position)
    sides = {
        "Does cooperating": (1, {"a": {"reported", "cooperating", "testified"}, "b": {"none"}}),
        "Do labour cases": (3, {"a": set(LABOUR), "b": {"sex_trade"}}),
    }
    for start, (position, groups) in sides.items():
        if c := _comparison(report, start):
            for side, values in groups.items():
                for outcome in ("granted", "refused"):
                    attack.equation(
                        lambda x, p=position, v=values, o=outcome: x[p] in v and x[-1] == o, c[side][outcome]
                    )
    renewal_sides = {"a": {"concluded"}, "b": {"investigation", "prosecution"}}
    risk = report.get("renewal_risk", {}).get("counts", {})
    comparison = _comparison(report, "Are renewals")
    for side, key in (("a", "ended"), ("b", "ongoing")):
        for index, outcome in enumerate(("granted", "refused")):
            chosen = lambda x, v=renewal_sides[side], o=outcome: (  # noqa: E731
                x[0] == "subsequent_trp" and x[2] in v and x[-1] == o
            )
            if comparison:
                attack.equation(chosen, comparison[side][outcome])
            if risk.get(key):
                attack.equation(chosen, risk[key][index])
    truth = dict.fromkeys(attack.cells, 0)
    for record in data:
        if record["outcome"] in ("granted", "refused"):
            truth[(*(record[d] for d in dims), record["outcome"])] += 1
    leaks = []
    for cell, count in truth.items():
        if 0 < count < 5:
            target = np.array([1.0 if c == cell else 0.0 for c in attack.cells])
            low, high = _lp_pinned(attack.rows, attack.values, [], target)
            if low == high:
                leaks.append(f"{' '.join(cell)} = {low}")
    return leaks


def _reason_equation(
    cells: list[tuple[str, bool]],
    rows: list[np.ndarray],
    values: list[float],
    ub: list[tuple[np.ndarray, float]],
    chosen: Callable[[tuple[str, bool]], bool],
    entry: dict[str, Any] | None,
) -> None:
    row = np.array([1.0 if chosen(c) else 0.0 for c in cells])
    if entry is None:
        rows.append(row)
        values.append(0.0)  # a reason missing from a list was not cited there
    elif entry["count"] is not None:
        rows.append(row)
        values.append(float(entry["count"]))
    elif entry["display"] == "< 5":
        ub.extend([(row, 4.0), (-row, -1.0)])


def attack_reasons(report: dict[str, Any], data: Sequence[dict[str, Any]]) -> list[str]:
    """Each refusal reason over type x cites-it among coded refusals: the overall count, the counts per type
    (exactly, or '< 5' as the bound 1 to 4) and the refusals per type."""
    reasons = report.get("refusal_reasons", {})
    if not reasons.get("ok"):
        return []
    cells = list(itertools.product(TYPES, (True, False)))
    by_type = reasons["by"].get("application_type", {}).get("groups", {})
    leaks = []
    for code in {r["code"] for r in reasons["all"]["reasons"]}:
        rows: list[np.ndarray] = []
        values: list[float] = []
        ub: list[tuple[np.ndarray, float]] = []

        add = functools.partial(_reason_equation, cells, rows, values, ub)
        rows.append(np.ones(len(cells)))
        values.append(float(reasons["all"]["refusals"]))
        add(lambda c: c[1], next((r for r in reasons["all"]["reasons"] if r["code"] == code), None))
        for kind, table in by_type.items():
            rows.append(np.array([1.0 if c[0] == kind else 0.0 for c in cells]))
            values.append(float(table["refusals"]))
            entry = next((r for r in table["reasons"] if r["code"] == code), None)
            add(lambda c, k=kind: c[0] == k and c[1], entry)
        coded = [r for r in data if r["outcome"] == "refused" and r["refusal_reasons"]]
        for cell in cells:
            count = sum(
                1
                for r in coded
                if r["application_type"] == cell[0] and (code in r["refusal_reasons"]) == cell[1]
            )
            if 0 < count < 5:
                low, high = _lp_pinned(rows, values, ub, np.array([1.0 if c == cell else 0.0 for c in cells]))
                if low == high:
                    leaks.append(f"{code} {cell} = {low}")
    return leaks


# -------------------------------------------------------------------------------------------------- tests


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(min_value=40, max_value=260),
    concentration=st.sampled_from([0.3, 0.6, 1.0, 3.0]),
)
def test_no_hidden_count_from_1_to_4_can_be_derived_from_the_report(
    seed: int, n: int, concentration: float
) -> None:
    data = coalition_data(seed, n, concentration)
    report = build_report(data, min_cell=10, include_charts_data=False)
    leaks = audit(report)
    leaks += [f"jointly: {leak}" for leak in attack_jointly(report, data)]
    leaks += [f"refusal reasons: {leak}" for leak in attack_reasons(report, data)]
    assert not leaks, leaks
    if report.get("rates"):  # the audit ran over the whole report
        assert report["disclosure"]["joint_audit"]["method"].startswith("every published count")


def test_the_attacker_finds_what_cell_by_cell_suppression_gives_away() -> None:
    # The attacker must be able to fail: a table that hides one small group but shows the total gives it away.
    attack = Attack(list(itertools.product(("a", "b", "c"), ("granted", "refused"))))
    attack.equation(lambda c: c[1] == "granted", 30)
    attack.equation(lambda c: c[1] == "refused", 20)
    for value, g, r in (("a", 12, 10), ("b", 15, 8)):  # c (3 granted, 2 refused) hidden
        attack.equation(lambda c, v=value: c == (v, "granted"), g)
        attack.equation(lambda c, v=value: c == (v, "refused"), r)
    assert _pinned_small(attack, {"c granted": lambda c: c == ("c", "granted")}) == ["c granted = 3"]


def test_a_group_of_two_is_not_protected_by_pooling_a_group_of_880() -> None:
    records = []
    for gender, count, granted in (("woman", 900, 600), ("man", 880, 500), ("trans_man", 2, 1)):
        for i in range(count):
            records.append(
                {
                    "outcome": "granted" if i < granted else "refused",
                    "gender": gender,
                    "application_type": "initial_trp",
                }
            )
    report = build_report(records, min_cell=10)
    table = _table(report, "gender")
    assert table is not None
    values = {c["value"]: c["n"] for c in table["cells"]}
    assert values["woman"] == 900  # the big groups stay as they are
    assert max(values.values()) < 1000  # nothing of the size of 880 + 900 pooled
    assert "man (with trans_man)" in values and values["man (with trans_man)"] == 882
    assert not audit(report)
    assert any(d["dimension"] == "gender" for d in report["disclosure"]["dimensions"])


@settings(max_examples=200, deadline=None)
@given(
    counts=st.dictionaries(
        st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "h", "woman", "trans_woman", "man", "trans_man"]),
        st.tuples(st.integers(0, 60), st.integers(0, 60)).filter(lambda c: sum(c) > 0),
        min_size=1,
        max_size=12,
    ),
    min_cell=st.integers(5, 15),
)
def test_every_published_group_of_a_plan_is_safe_and_no_pool_is_a_single_group(counts, min_cell) -> None:  # type: ignore[no-untyped-def]
    from trpkit.coalition.disclosure import plan_dimension

    parents = {"woman": "woman", "trans_woman": "woman", "man": "man", "trans_man": "man"}
    plan = plan_dimension("gender", counts, min_cell, parents)
    if plan.withheld:
        total = [sum(c[0] for c in counts.values()), sum(c[1] for c in counts.values())]
        # only when even everything together could not be shown (or everything is one small group)
        assert sum(total) < min_cell or any(0 < t < 5 for t in total) or len(counts) < 2
        return
    groups: dict[str, list[int]] = {}
    for value, (granted, refused) in counts.items():
        entry = groups.setdefault(plan.label_of[value], [0, 0, 0])
        entry[0] += granted
        entry[1] += refused
        entry[2] += 1
    for label, (granted, refused, members) in groups.items():
        assert granted + refused >= min_cell and not 0 < granted < 5 and not 0 < refused < 5, label
        if label.startswith("other groups"):
            assert members >= 2
    assert len(plan.pooled) != 1
