"""The coalition report: every analysis as JSON-able data, findings in plain words, and a Word version.

``build_report`` never shows an agency, a group below the minimum cell or a count of 1 to 4. The Word
report adds matplotlib charts (imported only when a Word report is written).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from trpkit.coalition import disclosure, models, stats, survival
from trpkit.coalition import findings as plain
from trpkit.coalition import regression as logistic
from trpkit.coalition.record import OUTCOMES, Record
from trpkit.coalition.words import group_words
from trpkit.domain.coalition_policy import NEVER_BELOW, SCHEMA_VERSION

RENEWAL_TYPES = ("subsequent_trp", "renewal", "extension")
ALPHA = 0.05


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.0%}"


def _ci(ci: Sequence[float] | None) -> str:
    return "-" if not ci else f"{ci[0]:.0%}–{ci[1]:.0%}"


def _rate_words(cell: dict[str, Any]) -> str:
    return f"{cell['rate_display']} (95% CI {cell.get('ci_display') or _ci(cell['ci'])}, n = {cell['n']})"


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _or(result: dict[str, Any]) -> str:
    if result.get("odds_ratio") is None:
        return ""
    kind = "exact" if result.get("or_method") == "exact conditional" else "large-sample (Woolf)"
    return f"; odds ratio {result['odds_ratio']:.2f}, {kind} 95% CI {plain.interval_text(result['or_ci'])}"


def _comparison_finding(result: dict[str, Any]) -> dict[str, Any]:
    if not result.get("ok"):
        return {
            "topic": result["question"],
            "strength": "insufficient",
            "text": f"{result['question']} The data cannot say: {result['reason']}.",
        }
    a, b = result["a"], result["b"]
    if result["p"] < ALPHA:
        text = (
            f"{result['question']} {a['value'].capitalize()} were granted {_rate_words(a)} against "
            f"{_rate_words(b)} for {b['value']}. A difference this large is unlikely to be chance alone "
            f"(Fisher's exact test, {_p(result['p'])}{_or(result)})."
        )
        strength = "clear"
    else:
        spread = ""
        if result.get("or_ci"):
            spread = (
                f" With these numbers the odds ratio could lie anywhere in {plain.interval_text(result['or_ci'])}, "
                "so a real difference is neither shown nor ruled out."
            )
        text = (
            f"{result['question']} No clear difference: {a['value']} {_rate_words(a)}, {b['value']} "
            f"{_rate_words(b)} (Fisher's exact test, {_p(result['p'])}).{spread}"
        )
        strength = "unclear"
    return {"topic": result["question"], "strength": strength, "text": text}


def _default_hierarchies() -> dict[str, Any]:
    from trpkit.loading.coalition_policy import load_policy

    return dict(load_policy().hierarchies)


def _outcome_counts(protection: disclosure.Protection) -> dict[str, Any]:
    """Outcome counts, with the outcomes from 1 to 4 pooled (their total is published, so never one alone)."""
    counts: dict[str, int] = {}
    for outcome in OUTCOMES:
        label = protection.outcome_label.get(outcome, outcome)
        counts[label] = counts.get(label, 0) + int(np.sum(protection.outcome == outcome))
    return counts


def _insufficient(report: dict[str, Any], limitations: list[str], text: str) -> dict[str, Any]:
    report.update(
        rates=[],
        tests=[],
        comparisons=[],
        regression={"ok": False, "reason": "too few decisions"},
        processing={"ok": False, "reason": "too few records"},
        indicators={"ok": False},
        refusal_reasons={"ok": False},
        variation={},
        findings=[{"topic": "overall", "strength": "insufficient", "text": text}],
        limitations=limitations,
    )
    return report


def build_report(
    records: Sequence[Record],
    *,
    min_cell: int = 10,
    source: str = "",
    generated_at: datetime | None = None,
    include_charts_data: bool = True,
    hierarchies: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Every analysis as data. One disclosure pass (``disclosure.protect``) plans the whole report before any
    statistic is computed; every statistic is computed from its recoded records and admitted through its
    ledger, so no count from 1 to 4 can be derived from what is published."""
    min_cell = max(min_cell, NEVER_BELOW)
    protection = disclosure.protect(
        records,
        (*stats.DIMENSIONS, "officer_label"),
        min_cell,
        _default_hierarchies() if hierarchies is None else hierarchies,
    )
    # The agency is never published: no table, test or finding below reads it.
    frame = stats.Frame(protection.records)
    raw = stats.Frame(records)  # raw values, only to define planned comparisons (checked by the ledger)
    decided_count = int(frame.decided.sum())
    granted = int(frame.granted.sum())
    outcomes = _outcome_counts(protection)
    one_sided = "granted" not in outcomes or "refused" not in outcomes
    report: dict[str, Any] = {
        "title": "Coalition review of TRP decisions",
        "schema_version": SCHEMA_VERSION,
        "generated_at": (generated_at or datetime.now(UTC)).isoformat(timespec="seconds"),
        "source": source,
        "min_cell": min_cell,
        "records": len(records) if not disclosure.small(len(records)) else "< 5",
        "decided": decided_count if not one_sided else "not shown",
        "outcomes": outcomes,
        "overall": stats.rate_cell("all decisions", granted, decided_count - granted)
        if decided_count >= min_cell and not one_sided
        else None,
    }
    findings: list[dict[str, Any]] = []
    limitations = [
        "Grant rate = granted / (granted + refused). Withdrawn, returned and pending applications are not in it.",
        (
            f"Groups with fewer than {min_cell} decisions, or with fewer than 5 grants or refusals, are not shown "
            "on their own: they are merged with related groups (trans men with men) or pooled as 'other groups', "
            "and every analysis uses the merged groups. A statistic from which a count below 5 could be worked "
            "out is withheld; the 'disclosure' section lists what was merged, pooled or withheld and why."
        ),
        (
            "These are decisions shared by coalition members with the person's consent, not all TRP decisions: "
            "differences may reflect which cases reach an NGO, not only how IRCC decides."
        ),
        "An association is not a cause: a difference between groups may come from differences in the cases.",
    ]
    if decided_count < min_cell or one_sided:
        report["disclosure"] = protection.summary()
        if one_sided and decided_count >= min_cell:
            return _insufficient(
                report,
                limitations,
                "Fewer than 5 grants or fewer than 5 refusals: no grant rate can be shown without revealing "
                "them.",
            )
        return _insufficient(
            report,
            limitations,
            f"Only {decided_count if decided_count >= NEVER_BELOW else 'fewer than 5'} decisions: "
            f"too few for any analysis (the minimum group is {min_cell}).",
        )
    overall = report["overall"]
    findings.append(
        {
            "topic": "overall",
            "strength": "clear",
            "text": f"Of {decided_count} decided applications, {overall['rate_display']} were granted "
            f"(95% CI {overall.get('ci_display') or _ci(overall['ci'])}).",
        }
    )
    rates = [
        stats.grant_table(frame, d, min_cell)
        for d in stats.DIMENSIONS
        if d in protection.plans and not protection.plans[d].withheld
    ]
    rates = [t for t in rates if t["present"]]
    for table in rates:
        plan = protection.plans[table["dimension"]]
        table["suppressed_groups"] = len(plan.pooled)
        table["merged"] = {label: list(values) for label, values in plan.merged.items()}
    report["rates"] = rates
    report["tests"] = _tests(frame, rates, findings)
    report["comparisons"] = _comparisons(frame, raw, protection, min_cell)
    report["regression"] = _guarded_regression(frame, raw, protection, min_cell)
    report["labour_indicators"] = _guarded_labour_indicators(raw, protection, min_cell)
    processing = _guarded_processing(frame, protection, min_cell)
    report["processing"] = processing
    report["indicators"] = _guarded_indicators(frame, raw, protection, min_cell)
    report["refusal_reasons"] = _guarded_reasons(frame, protection, min_cell)
    report["office_adjusted"] = _guarded_office(frame, protection, min_cell)
    report["variation"] = {}
    for dimension in ("ircc_office", "officer_label"):
        unit_plan = protection.plans.get(dimension)
        if frame.present(dimension) and unit_plan is not None and not unit_plan.withheld:
            # Units are the published groups of the plan: a pooled unit never appears here on its own.
            report["variation"][dimension] = stats.variation(frame, dimension, min_cell)
    # Everything is computed: check it all together, withdraw what must go, and only then write findings.
    protection.ledger.audit()
    report["renewal_risk"] = _guarded_renewal_risk(raw, report["comparisons"], min_cell)
    if not include_charts_data and processing.get("ok"):
        for curve in processing["groups"].values():
            for key in ("times", "survival", "lower", "upper", "incidence"):
                curve.pop(key, None)
    findings.extend(_comparison_finding(c) for c in report["comparisons"])
    findings.append(_regression_finding(report["regression"]))
    findings.append(plain.renewal_risk(report["renewal_risk"]))
    findings.append(plain.labour_indicators(report["labour_indicators"]))
    findings.append(plain.waiting_time(processing))
    findings.append(
        plain.indicator_counts(report["indicators"].get("labour_vs_sex_trade", {"ok": False, "reason": "-"}))
    )
    findings.append(plain.office_adjusted(report["office_adjusted"]))
    for result in report["variation"].values():
        findings.extend(_variation_findings(result, min_cell))
    report["disclosure"] = protection.summary()
    report["findings"] = findings
    report["limitations"] = limitations
    return report


def _tests(
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
                    f"other groups, {_rate_words(cell)} (Fisher's exact test, Holm-adjusted over "
                    f"{len(tests)} comparisons {_p(adjusted)}{_or(test)}).",
                }
            )
    return tests


def _replace(target: dict[str, Any], replacement: dict[str, Any]) -> Any:
    """A callback for the joint audit: empty ``target`` in place and put ``replacement`` there."""

    def withdraw(reason: str) -> None:
        target.clear()
        target.update(replacement, reason=f"not shown: {reason}")

    return withdraw


def _withheld(question: str, reason: str) -> dict[str, Any]:
    return {"question": question, "ok": False, "withheld": True, "reason": f"not shown: {reason}"}


def _comparisons(
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
            withdraw = _replace(result, {"question": question, "ok": False, "withheld": True})
            reason = unclean or protection.ledger.admit(question, labels, groups.keys(), withdraw)
            if unclean:
                protection.ledger.refuse(question, unclean)
            if reason:
                result = _withheld(question, reason)
        out.append(result)
    return out


def _guarded_regression(
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
    withdraw = _replace(result, {"ok": False, "withheld": True})
    reason = protection.ledger.admit(name, protection.outcome_split(rows), sources, withdraw)
    if reason:
        return {"ok": False, "withheld": True, "reason": f"not shown: {reason}"}
    return result


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


def _guarded_processing(
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


def _raw_groups_clean(
    raw: stats.Frame, protection: disclosure.Protection, dimension: str, groups: Sequence[Sequence[str]]
) -> str:
    """'' when each group (raw values) is whole published groups of ``dimension``'s table, else why not."""
    present = set(raw.text(dimension)[raw.decided].tolist())
    for values in groups:
        if not protection.clean(dimension, set(values) & present):
            return f"one of its groups was pooled with others in the table by {dimension}"
    return ""


def _model_withheld(result: dict[str, Any], reason: str) -> dict[str, Any]:
    """A model or estimate that cannot be shown: nothing of it is kept but the reason."""
    return {"ok": False, "withheld": True, "reason": f"not shown: {reason}"}


def _guarded_renewal_risk(
    raw: stats.Frame, comparisons: Sequence[dict[str, Any]], min_cell: int
) -> dict[str, Any]:
    """The refusal risk ratio counts exactly the renewal comparison's cells: shown only when it is, and its
    counts only then."""
    comparison = next(c for c in comparisons if c["question"].startswith("Are renewals"))
    if comparison.get("withheld"):
        return _model_withheld({}, comparison["reason"].removeprefix("not shown: "))
    result = models.renewal_refusal_risk(raw, min_cell)
    if not comparison.get("ok"):
        result.pop("counts", None)
    return result


def _guarded_labour_indicators(
    raw: stats.Frame, protection: disclosure.Protection, min_cell: int
) -> dict[str, Any]:
    """Grant on sector and indicator counts: the sectors must be whole published groups, the model must have
    ``min_cell`` decisions more than parameters, and its labour/sex-trade counts must reveal nothing."""
    name = "the labour-indicator model"
    unclean = _raw_groups_clean(raw, protection, "exploitation_sector", (stats.LABOUR, models.SEX_TRADE))
    if unclean:
        protection.ledger.refuse(name, unclean)
        return _model_withheld({}, unclean)
    result = models.labour_indicators(raw, min_cell)
    if not result.get("ok"):
        return {k: v for k, v in result.items() if k != "counts"}
    parameters = 4 + len(result.get("controls", []))
    if result["n"] - parameters < min_cell:
        reason = f"fewer than {min_cell} decisions more than its parameters (too close to the data)"
        protection.ledger.refuse(name, reason)
        return _model_withheld(result, reason)
    withdraw = _replace(result, {"ok": False, "withheld": True})
    reason = _admit_sectors(
        raw, protection, name, (stats.LABOUR, models.SEX_TRADE), decided_only=True, on_withdraw=withdraw
    )
    return _model_withheld(result, reason) if reason else result


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


def _guarded_indicators(
    frame: stats.Frame, raw: stats.Frame, protection: disclosure.Protection, min_cell: int
) -> dict[str, Any]:
    indicators = stats.indicators_by_sector(frame, min_cell)
    if not indicators.get("ok"):
        return indicators
    has = frame.decided & ~np.isnan(frame.number("strong_indicators"))
    sectors = frame.text("exploitation_sector")
    labels = disclosure.combine(protection.outcome_split(has), disclosure.factorize(sectors.tolist())[0])
    reason = protection.ledger.admit(
        "the indicators by sector",
        labels,
        ["exploitation_sector", "indicators"],
        _replace(indicators, {"ok": False, "withheld": True}),
    )
    if reason:
        return {"ok": False, "withheld": True, "reason": f"not shown: {reason}"}
    name = "the indicators in labour and sex-trade cases"
    unclean = _raw_groups_clean(raw, protection, "exploitation_sector", (stats.LABOUR, models.SEX_TRADE))
    if unclean:
        protection.ledger.refuse(name, unclean)
        indicators["labour_vs_sex_trade"] = _model_withheld({}, unclean)
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
            on_withdraw=_replace(shift, {"ok": False, "withheld": True}),
        )
        if reason:
            shift = _model_withheld(shift, reason)
    indicators["labour_vs_sex_trade"] = shift
    return indicators


def _guarded_office(frame: stats.Frame, protection: disclosure.Protection, min_cell: int) -> dict[str, Any]:
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
        return _model_withheld(result, reason)
    # Its counts (grants and refusals per office, and n) are those of the office table's groups it models: a
    # table of one column by decision status, which the joint audit treats as such.
    office = frame.text("ircc_office")
    rows = frame.decided & np.isin(office, [o["value"] for o in result["offices"]])
    labels = disclosure.combine(protection.outcome_split(rows), disclosure.factorize(office.tolist())[0])
    protection.ledger.publish(name, labels, ["ircc_office"], removable=True, leaf="ircc_office")
    protection.ledger.on_withdraw[name] = _replace(result, {"ok": False, "withheld": True})
    return result


def _guarded_reasons(frame: stats.Frame, protection: disclosure.Protection, min_cell: int) -> dict[str, Any]:
    """Refusal reasons: the refusals with coded reasons must let no small count be worked out, and a breakdown
    by type or period is shown only when every group of it is shown (the overall count minus the groups shown
    would otherwise give the hidden one), with every reason count from 1 to 4 hidden in at least two groups."""
    reasons = stats.refusal_reasons(frame, min_cell)
    if not reasons.get("ok"):
        return reasons
    coded = np.array([bool(r.get("refusal_reasons")) for r in frame.records]) & (frame.outcome == "refused")
    labels = coded.astype(np.int64)
    name = "the refusal reasons"
    withdraw = _replace(reasons, {"ok": False, "withheld": True})
    reason = protection.ledger.admit(name, labels, ["outcome", "refusal_reasons"], withdraw)
    if reason:
        return {"ok": False, "withheld": True, "reason": f"not shown: {reason}"}
    for dimension, block in reasons["by"].items():
        if block["suppressed_groups"] or len(block["groups"]) < 2:
            reasons["by"][dimension] = {
                "groups": {},
                "suppressed_groups": block["suppressed_groups"] + len(block["groups"]),
                "withheld": "a group has too few refusals to show; the others would reveal it",
            }
            continue
        _hide_reason_counts(block["groups"])
    _publish_reason_counts(frame, protection, name, coded, reasons)
    return reasons


def _publish_reason_counts(
    frame: stats.Frame,
    protection: disclosure.Protection,
    name: str,
    coded: NDArray[Any],
    reasons: dict[str, Any],
) -> None:
    """Every reason count shown (overall and per group of each breakdown) goes into the joint audit: the
    count exactly, or for '< 5' the bound 1 to 4, or nothing for 'not shown'. They are withdrawn with the
    refusal reasons as a whole."""
    cites_of: dict[str, NDArray[np.bool_]] = {}
    for position in np.flatnonzero(coded):
        for code in frame.records[position].get("refusal_reasons") or ():
            cites_of.setdefault(code, np.zeros(frame.n, dtype=bool))[position] = True
    blocks: list[tuple[NDArray[np.int64], dict[str, Any], list[str]]] = [
        (np.zeros(frame.n, dtype=np.int64), {"": reasons["all"]}, ["outcome", "refusal_reasons"])
    ]
    for dimension, block in reasons["by"].items():
        if block["groups"]:
            groups = list(block["groups"])
            column = frame.text(dimension)
            index = np.full(frame.n, -1, dtype=np.int64)
            for position, value in enumerate(groups):
                index[column == value] = position
            blocks.append((index, block["groups"], ["outcome", "refusal_reasons", dimension]))
    for _, tables, _ in blocks:  # a count shown beside its refusals gives the refusals not citing it
        for table in tables.values():
            for entry in table["reasons"]:
                if entry["count"] is not None and disclosure.small(table["refusals"] - entry["count"]):
                    entry.update(count=None, display="not shown", share=None)
    for group_index, tables, sources in blocks:
        inside = coded & (group_index >= 0)
        if len(tables) > 1:  # the breakdown's refusals per group are shown
            protection.ledger.publish(name, np.where(inside, group_index + 1, 0), sources, removable=True)
        shown: dict[str, dict[int, Any]] = {}
        for position, table in enumerate(tables.values()):
            for entry in table["reasons"]:
                shown.setdefault(entry["code"], {})[position] = entry
        for code, entries in shown.items():
            cites = cites_of.get(code, np.zeros(frame.n, dtype=bool))
            labels = np.where(inside, 1 + group_index * 2 + cites, 0)
            hidden: set[int] = set()
            bounds: dict[int, tuple[int, int]] = {}
            for position, entry in entries.items():
                if entry["count"] is None:
                    hidden |= {1 + position * 2, 2 + position * 2}
                    if entry["display"] == "< 5":
                        bounds[2 + position * 2] = (1, NEVER_BELOW - 1)
            # a reason missing from a group's list was cited 0 times there: that, too, is published
            protection.ledger.publish(name, labels, sources, hidden=hidden, bounds=bounds, removable=True)


def _hide_reason_counts(groups: dict[str, Any]) -> None:
    """Within one breakdown, a reason hidden ('< 5') in only one group is hidden in a second one too."""
    codes = {r["code"] for table in groups.values() for r in table["reasons"]}
    for code in codes:
        entries = [r for table in groups.values() for r in table["reasons"] if r["code"] == code]
        hidden = [r for r in entries if r["count"] is None]
        if len(hidden) == 1 or (hidden and len(entries) < len(groups)):
            for entry in sorted((r for r in entries if r["count"] is not None), key=lambda r: r["count"])[:1]:
                entry.update(count=None, display="not shown", share=None)


def _variation_findings(result: dict[str, Any], min_cell: int) -> list[dict[str, Any]]:
    if not result.get("ok"):
        return []
    label = result["label"]
    if result["p_heterogeneity"] < ALPHA:
        top, bottom = result["units"][0], result["units"][-1]
        return [
            {
                "topic": f"{label} variation",
                "strength": "clear",
                "text": f"Grant rates differ between {label}s more than chance would explain "
                f"({_p(result['p_heterogeneity'])}). After shrinking each toward the overall "
                f"{_pct(result['overall_rate'])}, estimates run from {_pct(bottom['shrunk'])} "
                f"to {_pct(top['shrunk'])}.",
            }
        ]
    return [
        {
            "topic": f"{label} variation",
            "strength": "unclear",
            "text": f"No evidence that {label}s differ beyond chance ({_p(result['p_heterogeneity'])}, "
            f"{len(result['units'])} {label}s with at least {min_cell} decisions).",
        }
    ]


def _regression_finding(regression: dict[str, Any]) -> dict[str, Any]:
    topic = "regression"
    if not regression.get("ok"):
        return {
            "topic": topic,
            "strength": "insufficient",
            "text": f"A regression accounting for case mix was not possible: {regression['reason']}.",
        }
    controls = ", ".join(regression["controls"]) or "nothing else"
    parts = []
    for term in regression["terms"]:
        if not (term["term"].startswith("cooperation") or term["term"].startswith("criminal case")):
            continue
        lo, hi = term["ci"]
        verdict = "clearly associated with" if term["p"] < ALPHA else "not clearly associated with"
        parts.append(
            f"{term['term']}: odds of a grant ×{term['odds_ratio']:.2f} (95% CI {lo:.2f}–{hi:.2f}, "
            f"{_p(term['p'])}), {verdict} the outcome"
        )
    strength = (
        "clear"
        if any(
            t["p"] < ALPHA
            for t in regression["terms"]
            if t["term"].startswith(("cooperation", "criminal case"))
        )
        else "unclear"
    )
    dropped = (
        f" ({', '.join(regression['controls_dropped'])} left out: too few decisions)"
        if regression["controls_dropped"]
        else ""
    )
    return {
        "topic": topic,
        "strength": strength,
        "text": f"Holding {controls} constant{dropped}, over {regression['n']} decisions: "
        + "; ".join(parts)
        + ".",
    }


# ------------------------------------------------------------------------------------------ plain text


def render_text(report: dict[str, Any]) -> str:
    lines = [
        report["title"],
        (
            f"{report['records']} records, {report['decided']} decided; groups under "
            f"{report['min_cell']} not shown."
        ),
        "",
        "Findings:",
    ]
    lines += [f"  - {f['text']}" for f in report["findings"]]
    for table in report.get("rates", []):
        lines += ["", f"Grant rate by {table['label']}:"]
        for cell in table["cells"]:
            value = group_words(table["dimension"], cell["value"])
            lines.append(
                f"  {value[:34]:<34} {cell['rate_display']:>7}  95% CI {cell.get('ci_display') or _ci(cell['ci']):<9} n = {cell['n']}"
            )
        if table["suppressed_groups"]:
            lines.append(f"  ({table['suppressed_groups']} small group(s) not shown)")
        if table["note"]:
            lines.append(f"  {table['note']}")
    hidden = disclosure_lines(report.get("disclosure", {}))
    if hidden:
        lines += ["", "What is not shown, and why:"] + [f"  - {text}" for text in hidden]
    lines += ["", "Limits of this analysis:"] + [f"  - {text}" for text in report["limitations"]]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------ Word report


def _chart_rates(table: dict[str, Any]) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cells = table["cells"]
    fig, ax = plt.subplots(figsize=(6.2, 0.45 * len(cells) + 1.1), dpi=110)
    for y, cell in enumerate(reversed(cells)):
        lo, hi = cell["ci"]
        ax.plot([lo, hi], [y, y], color="#34638a", linewidth=2)
        if cell["rate"] is not None:
            ax.plot(cell["rate"], y, "o", color="#1b3a57")
    names = [group_words(table["dimension"], c["value"])[:30] for c in reversed(cells)]
    ax.set_yticks(range(len(cells)), names)
    ax.set_xlim(0, 1)
    ax.set_xlabel("grant rate with 95% interval")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def _chart_km(processing: dict[str, Any]) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.2, 3.4), dpi=110)
    for name, curve in processing["groups"].items():
        if not curve.get("times"):
            continue
        times = [0.0] + curve["times"]
        ax.step(times, [1.0] + curve["survival"], where="post", label=group_words("application_type", name))
        ax.fill_between(times, [1.0] + curve["lower"], [1.0] + curve["upper"], step="post", alpha=0.15)
    ax.axhline(0.5, color="grey", linewidth=0.8, linestyle=":")
    ax.set_xlabel("days since submission")
    ax.set_ylabel("share still waiting")
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def _grid(doc, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:  # type: ignore[no-untyped-def]
    grid = doc.add_table(rows=1, cols=len(headers))
    grid.style = "Light Grid Accent 1"
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(grid.add_row().cells, row, strict=True):
            cell.text = str(text)


def disclosure_lines(disclosure_summary: dict[str, Any]) -> list[str]:
    """What the disclosure pass merged, pooled or withheld, in plain words."""
    lines = []
    for entry in disclosure_summary.get("dimensions", []):
        label = stats.DIMENSION_LABELS.get(entry["dimension"], entry["dimension"])
        if entry["withheld"]:
            lines.append(f"By {label}: not shown ({entry['withheld']}).")
            continue
        for merged, values in entry["merged"].items():
            lines.append(f"By {label}: {', '.join(values)} are shown together as '{merged}'.")
        if entry["pooled_groups"]:
            lines.append(
                f"By {label}: {entry['pooled_groups']} groups are pooled as 'other groups' "
                f"({'; '.join(entry['reasons']) or 'so that a small group cannot be worked out from the total'})."
            )
    if disclosure_summary.get("outcomes_pooled"):
        lines.append(
            "Outcomes " + ", ".join(disclosure_summary["outcomes_pooled"]) + " are counted together (one was "
            "fewer than 5)."
        )
    for entry in disclosure_summary.get("withheld", []):
        lines.append(f"{entry['statistic']}: not shown, because {entry['reason']}.")
    return lines


def _disclosure_section(doc, disclosure_summary: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    doc.add_heading("What is not shown, and why", level=1)
    doc.add_paragraph(disclosure_summary.get("standard", ""))
    for line in disclosure_lines(disclosure_summary) or ["Nothing had to be merged, pooled or withheld."]:
        doc.add_paragraph(line, style="List Bullet")


def write_docx(report: dict[str, Any], path: Path) -> Path:
    from docx import Document
    from docx.shared import Inches

    doc = Document()
    doc.add_heading(report["title"], level=0)
    doc.add_paragraph(
        f"Generated {report['generated_at']} from {report['records']} shared records "
        f"({report['decided']} decided). No agency is identified; groups of fewer than "
        f"{report['min_cell']} decisions and counts from 1 to 4 are never shown."
    )
    doc.add_heading("What the data show", level=1)
    for finding in report["findings"]:
        doc.add_paragraph(finding["text"], style="List Bullet")
    for table in report.get("rates", []):
        if not table["cells"]:
            continue
        doc.add_heading(f"Grant rate by {table['label']}", level=2)
        grid = doc.add_table(rows=1, cols=4)
        grid.style = "Light Grid Accent 1"
        for cell, text in zip(
            grid.rows[0].cells, ("group", "decisions", "granted", "95% interval"), strict=True
        ):
            cell.text = text
        for row in table["cells"]:
            cells = grid.add_row().cells
            cells[0].text, cells[1].text = group_words(table["dimension"], row["value"]), str(row["n"])
            cells[2].text, cells[3].text = row["rate_display"], row.get("ci_display") or _ci(row["ci"])
        doc.add_picture(io.BytesIO(_chart_rates(table)), width=Inches(6))
        if table["suppressed_groups"]:
            doc.add_paragraph(f"{table['suppressed_groups']} small group(s) are not shown.")
    regression = report.get("regression", {})
    doc.add_heading("Accounting for case mix (logistic regression)", level=1)
    if regression.get("ok"):
        grid = doc.add_table(rows=1, cols=4)
        grid.style = "Light Grid Accent 1"
        for cell, text in zip(grid.rows[0].cells, ("term", "odds ratio", "95% interval", "p"), strict=True):
            cell.text = text
        for term in regression["terms"]:
            cells = grid.add_row().cells
            cells[0].text, cells[1].text = term["term"], f"{term['odds_ratio']:.2f}"
            cells[2].text, cells[3].text = f"{term['ci'][0]:.2f}–{term['ci'][1]:.2f}", _p(term["p"])
    else:
        doc.add_paragraph(f"Not possible: {regression.get('reason', 'no data')}.")
    processing = report.get("processing", {})
    if processing.get("ok") and any(c.get("times") for c in processing["groups"].values()):
        doc.add_heading("Processing times", level=1)
        doc.add_paragraph(
            "Kaplan-Meier curves of the share of applications still waiting for a decision; "
            + processing["note"]
            + "."
        )
        doc.add_picture(io.BytesIO(_chart_km(processing)), width=Inches(6))
    indicators = report.get("indicators", {})
    if indicators.get("ok") and indicators["sectors"]:
        doc.add_heading("Indicators present at grant and at refusal, by sector", level=1)
        doc.add_paragraph(
            f"Measure: {indicators['measure']}; median (quartiles) and mean. A dash means fewer "
            f"than {report['min_cell']} decisions."
        )

        def summary(entry: dict[str, Any] | None) -> str:
            if entry is None:
                return "-"
            return f"{entry['median']:.0f} ({entry['q1']:.0f}–{entry['q3']:.0f}); mean {entry['mean']:.1f}; n = {entry['n']}"

        _grid(
            doc,
            ("sector", "granted", "refused"),
            [
                (row["sector"], summary(row["granted"]), summary(row["refused"]))
                for row in indicators["sectors"]
            ],
        )
    for result in report.get("variation", {}).values():
        if not result.get("ok"):
            continue
        doc.add_heading(f"Variation between {result['label']}s", level=1)
        doc.add_paragraph(
            f"Only {result['label']}s with at least {report['min_cell']} decisions. 'Shrunk' pulls "
            f"each rate toward the overall {_pct(result['overall_rate'])}, more so for those with few "
            f"decisions; test of any difference beyond chance: {_p(result['p_heterogeneity'])}."
        )
        _grid(
            doc,
            (result["label"], "decisions", "granted", "95% interval", "shrunk"),
            [
                (u["value"], str(u["n"]), u["rate_display"], _ci(u["ci"]), _pct(u["shrunk"]))
                for u in result["units"]
            ],
        )
    plain.docx_tables(doc, report, _grid)
    reasons = report.get("refusal_reasons", {})
    if reasons.get("ok"):
        doc.add_heading("Refusal reasons", level=1)
        _grid(
            doc,
            ("reason", "refusals citing it", "share"),
            [(r["code"], r["display"], _pct(r["share"])) for r in reasons["all"]["reasons"]],
        )
        for dimension, block in reasons["by"].items():
            for value, table in block["groups"].items():
                doc.add_paragraph(
                    f"{stats.DIMENSION_LABELS.get(dimension, dimension)} {value} "
                    f"({table['refusals']} refusals): "
                    + "; ".join(f"{r['code']} {r['display']}" for r in table["reasons"])
                )
    _disclosure_section(doc, report.get("disclosure", {}))
    doc.add_heading("Limits of this analysis", level=1)
    for text in report["limitations"]:
        doc.add_paragraph(text, style="List Bullet")
    path = Path(path)
    doc.save(str(path))
    return path
