"""The report's modelled questions (models.py) behind the ledger: renewal refusal risk, labour against
sex-trade cases, indicators by sector, and offices adjusted for case mix."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from trpkit.coalition import disclosure, models, stats, summaries
from trpkit.coalition.report_guard import model_withheld, raw_groups_clean, withdraw_into


def guarded_renewal_risk(
    raw: stats.Frame, comparisons: Sequence[dict[str, Any]], min_cell: int
) -> dict[str, Any]:
    """The refusal risk ratio counts exactly the renewal comparison's cells: shown only when it is, and its
    counts only then."""
    comparison = next(c for c in comparisons if c["question"].startswith("Are renewals"))
    if comparison.get("withheld"):
        return model_withheld({}, comparison["reason"].removeprefix("not shown: "))
    result = models.renewal_refusal_risk(raw, min_cell)
    if not comparison.get("ok"):
        result.pop("counts", None)
    return result


def guarded_labour_indicators(
    raw: stats.Frame, protection: disclosure.Protection, min_cell: int
) -> dict[str, Any]:
    """Grant on sector and indicator counts: the sectors must be whole published groups, the model must have
    ``min_cell`` decisions more than parameters, and its labour/sex-trade counts must reveal nothing."""
    name = "the labour-indicator model"
    unclean = raw_groups_clean(raw, protection, "exploitation_sector", (stats.LABOUR, models.SEX_TRADE))
    if unclean:
        protection.ledger.refuse(name, unclean)
        return model_withheld({}, unclean)
    result = models.labour_indicators(raw, min_cell)
    if not result.get("ok"):
        return {k: v for k, v in result.items() if k != "counts"}
    parameters = 4 + len(result.get("controls", []))
    if result["n"] - parameters < min_cell:
        reason = f"fewer than {min_cell} decisions more than its parameters (too close to the data)"
        protection.ledger.refuse(name, reason)
        return model_withheld(result, reason)
    withdraw = withdraw_into(result, {"ok": False, "withheld": True})
    reason = _admit_sectors(
        raw, protection, name, (stats.LABOUR, models.SEX_TRADE), decided_only=True, on_withdraw=withdraw
    )
    return model_withheld(result, reason) if reason else result


def _admit_sectors(
    raw: stats.Frame,
    protection: disclosure.Protection,
    name: str,
    groups: Sequence[Sequence[str]],
    *,
    decided_only: bool,
    on_withdraw: Any = None,
) -> str:
    """Admit counts of decided records with indicator counts in each sector group (by outcome if asked)."""
    has = raw.decided & ~np.isnan(raw.number("strong_indicators"))
    sectors = raw.text("exploitation_sector")
    group_codes = np.zeros(raw.n, dtype=np.int64)
    for code, values in enumerate(groups, start=1):
        group_codes[np.isin(sectors, list(values))] = code
    inside = protection.outcome_split(has & (group_codes > 0)) if decided_only else (has & (group_codes > 0))
    labels = disclosure.combine(np.asarray(inside, dtype=np.int64), group_codes)
    return protection.ledger.admit(name, labels, ["exploitation_sector", "indicators"], on_withdraw)


def guarded_indicators(
    frame: stats.Frame, raw: stats.Frame, protection: disclosure.Protection, min_cell: int
) -> dict[str, Any]:
    indicators = summaries.indicators_by_sector(frame, min_cell)
    if not indicators.get("ok"):
        return indicators
    has = frame.decided & ~np.isnan(frame.number("strong_indicators"))
    sectors = frame.text("exploitation_sector")
    labels = disclosure.combine(protection.outcome_split(has), disclosure.factorize(sectors.tolist())[0])
    reason = protection.ledger.admit(
        "the indicators by sector",
        labels,
        ["exploitation_sector", "indicators"],
        withdraw_into(indicators, {"ok": False, "withheld": True}),
    )
    if reason:
        return {"ok": False, "withheld": True, "reason": f"not shown: {reason}"}
    name = "the indicators in labour and sex-trade cases"
    unclean = raw_groups_clean(raw, protection, "exploitation_sector", (stats.LABOUR, models.SEX_TRADE))
    if unclean:
        protection.ledger.refuse(name, unclean)
        indicators["labour_vs_sex_trade"] = model_withheld({}, unclean)
        return indicators
    shift = models.indicators_labour_vs_sex_trade(raw, min_cell)
    if not shift.get("ok"):
        shift.pop("counts", None)  # counts of groups too small to compare are not shown
    else:
        reason = _admit_sectors(
            raw,
            protection,
            name,
            (stats.LABOUR, models.SEX_TRADE),
            decided_only=False,
            on_withdraw=withdraw_into(shift, {"ok": False, "withheld": True}),
        )
        if reason:
            shift = model_withheld(shift, reason)
    indicators["labour_vs_sex_trade"] = shift
    return indicators


def guarded_office(frame: stats.Frame, protection: disclosure.Protection, min_cell: int) -> dict[str, Any]:
    """Offices adjusted for case mix, computed from the published office groups (a pooled office is never a
    unit of its own); the model needs ``min_cell`` decisions more than parameters."""
    plan = protection.plans.get("ircc_office")
    if plan is None or plan.withheld:
        return {"ok": False, "reason": "the data have no office groups that can be shown"}
    result = models.office_adjusted(frame, min_cell)
    if not result.get("ok"):
        return result
    name = "the offices adjusted for case mix"
    parameters = len(result["offices"]) + len(result.get("case_mix", []))
    if result["n"] - parameters < min_cell:
        reason = f"fewer than {min_cell} decisions more than its parameters (too close to the data)"
        protection.ledger.refuse(name, reason)
        return model_withheld(result, reason)
    # Its counts (grants and refusals per office, and n) are those of the office table's groups it models: a
    # table of one column by decision status, which the joint audit treats as such.
    office = frame.text("ircc_office")
    rows = frame.decided & np.isin(office, [o["value"] for o in result["offices"]])
    labels = disclosure.combine(protection.outcome_split(rows), disclosure.factorize(office.tolist())[0])
    protection.ledger.publish(name, labels, ["ircc_office"], removable=True, leaf="ircc_office")
    protection.ledger.on_withdraw[name] = withdraw_into(result, {"ok": False, "withheld": True})
    return result
