"""The report's tests: every shown group against the rest (one Holm family over the report), the three
planned comparisons and the regression on cooperation and criminal case, each admitted through the ledger."""

from __future__ import annotations

from typing import Any

import numpy as np

from trpkit.coalition import disclosure, stats
from trpkit.coalition import regression as logistic
from trpkit.coalition.report_guard import withdraw_into, withheld
from trpkit.coalition.report_words import ALPHA, odds_ratio_words, p_words, rate_words

RENEWAL_TYPES = ("subsequent_trp", "renewal", "extension")


def group_tests(
    frame: stats.Frame, rates: list[dict[str, Any]], findings: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Every group against the rest, as one family: Holm's adjustment over all of them keeps the chance of
    any false "difference" in the whole report at 5%. Each test is the published table's own counts."""
    tables = {table["dimension"]: table for table in rates}
    tests = [test for table in rates for test in stats.dimension_tests(frame, table, adjust=False)]
    for test, adjusted in zip(tests, stats.holm([t["p"] for t in tests]), strict=True):
        test["p_adjusted"] = adjusted
        test["adjusted_over"] = len(tests)
        if adjusted < ALPHA:
            table = tables[test["dimension"]]
            cell = next(c for c in table["cells"] if c["value"] == test["value"])
            direction = "higher" if (test.get("odds_ratio") or 1) > 1 else "lower"
            findings.append(
                {
                    "topic": table["label"],
                    "strength": "clear",
                    "text": f"By {table['label']}: {test['value']} has a {direction} grant rate than the "
                    f"other groups, {rate_words(cell)} (Fisher's exact test, Holm-adjusted over "
                    f"{len(tests)} comparisons {p_words(adjusted)}{odds_ratio_words(test)}).",
                }
            )
    return tests


def planned_comparisons(
    frame: stats.Frame, raw: stats.Frame, protection: disclosure.Protection, min_cell: int
) -> list[dict[str, Any]]:
    """The three planned questions. Each group must be whole published groups of the tables it is defined
    from, and the comparison's own counts must let no count below 5 be worked out with those tables."""
    cooperation = raw.text("law_enforcement_cooperation")
    renewal_values = [v for v in set(raw.text("application_type").tolist()) if v in RENEWAL_TYPES]
    specs: list[tuple[str, str, str, dict[str, tuple[list[str], list[str]]]]] = [
        (
            "Does cooperating with police change the outcome?",
            "people cooperating with police",
            "people not cooperating",
            {"law_enforcement_cooperation": (["reported", "cooperating", "testified"], ["none"])},
        ),
        (
            "Are renewals refused once a criminal case ends?",
            "renewals after the criminal case ended",
            "renewals while it was ongoing",
            {
                "application_type": (renewal_values, renewal_values),
                "criminal_case_status": (["concluded"], ["investigation", "prosecution"]),
            },
        ),
        (
            "Do labour cases fare differently from sex-trade cases?",
            "labour exploitation cases",
            "sex-trade cases",
            {"exploitation_sector": (list(stats.LABOUR), ["sex_trade", "sexual"])},
        ),
    ]
    del cooperation
    out = []
    for question, label_a, label_b, groups in specs:
        in_a = np.ones(frame.n, dtype=bool)
        in_b = np.ones(frame.n, dtype=bool)
        unclean = ""
        for dimension, (values_a, values_b) in groups.items():
            column = raw.text(dimension)
            in_a &= np.isin(column, values_a)
            in_b &= np.isin(column, values_b)
            present = set(column[raw.decided].tolist())
            for values in (values_a, values_b):
                if not protection.clean(dimension, set(values) & present):
                    unclean = f"one of its groups was pooled with others in the table by {dimension}"
        result = stats.compare_groups(frame, in_a, in_b, label_a, label_b, question, min_cell)
        if result.get("ok"):
            # a: 1 granted, 2 refused; b: 3 granted, 4 refused (the groups never overlap)
            in_b_split = protection.outcome_split(in_b)
            labels = protection.outcome_split(in_a) + np.where(in_b_split > 0, in_b_split + 2, 0)
            withdraw = withdraw_into(result, {"question": question, "ok": False, "withheld": True})
            reason = unclean or protection.ledger.admit(question, labels, groups.keys(), withdraw)
            if unclean:
                protection.ledger.refuse(question, unclean)
            if reason:
                result = withheld(question, reason)
        out.append(result)
    return out


def guarded_regression(
    frame: stats.Frame, raw: stats.Frame, protection: disclosure.Protection, min_cell: int
) -> dict[str, Any]:
    """A model is published only if its categories are published groups, it has at least ``min_cell``
    residual degrees of freedom (not saturated) and its rows let no small count be worked out."""
    name = "the regression"
    for dimension in ("law_enforcement_cooperation", "criminal_case_status"):
        plan = protection.plans.get(dimension)
        if plan is not None and (plan.pooled or plan.merged or plan.withheld):
            reason = f"a category of {dimension} is too small and was pooled, so its own term cannot be shown"
            protection.ledger.refuse(name, reason)
            return {"ok": False, "withheld": True, "reason": reason}
    result = logistic.logistic_regression(frame)
    if not result.get("ok"):
        return result
    parameters = len(result["terms"]) + 1
    if result["n"] - parameters < min_cell:
        reason = f"fewer than {min_cell} decisions more than its parameters (too close to the data)"
        protection.ledger.refuse(name, reason)
        return {"ok": False, "withheld": True, "reason": reason}
    rows = (
        frame.decided
        & (frame.raw("law_enforcement_cooperation") != None)  # noqa: E711 - numpy elementwise
        & (frame.raw("criminal_case_status") != None)  # noqa: E711 - numpy elementwise
    )
    sources = ["law_enforcement_cooperation", "criminal_case_status", "application_type", "policy_period"]
    withdraw = withdraw_into(result, {"ok": False, "withheld": True})
    reason = protection.ledger.admit(name, protection.outcome_split(rows), sources, withdraw)
    if reason:
        return {"ok": False, "withheld": True, "reason": f"not shown: {reason}"}
    return result
