"""The report's own findings in plain words (the planned comparisons, the regression, the variation between
offices and officers), and the number formats every part of the report uses."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trpkit.coalition import findings as plain
from trpkit.coalition import stats

ALPHA = 0.05


def percent(x: float | None) -> str:
    return "-" if x is None else f"{x:.0%}"


def interval(ci: Sequence[float] | None) -> str:
    return "-" if not ci else f"{ci[0]:.0%}–{ci[1]:.0%}"


def rate_words(cell: dict[str, Any]) -> str:
    return (
        f"{cell['rate_display']} (95% CI {cell.get('ci_display') or interval(cell['ci'])}, n = {cell['n']})"
    )


def p_words(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def odds_ratio_words(result: dict[str, Any]) -> str:
    if result.get("odds_ratio") is None:
        return ""
    kind = "exact" if result.get("or_method") == "exact conditional" else "large-sample (Woolf)"
    return f"; odds ratio {result['odds_ratio']:.2f}, {kind} 95% CI {plain.interval_text(result['or_ci'])}"


def comparison_finding(result: dict[str, Any]) -> dict[str, Any]:
    if not result.get("ok"):
        return {
            "topic": result["question"],
            "strength": "insufficient",
            "text": f"{result['question']} The data cannot say: {result['reason']}.",
        }
    a, b = result["a"], result["b"]
    if result["p"] < ALPHA:
        text = (
            f"{result['question']} {a['value'].capitalize()} were granted {rate_words(a)} against "
            f"{rate_words(b)} for {b['value']}. A difference this large is unlikely to be chance alone "
            f"(Fisher's exact test, {p_words(result['p'])}{odds_ratio_words(result)})."
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
            f"{result['question']} No clear difference: {a['value']} {rate_words(a)}, {b['value']} "
            f"{rate_words(b)} (Fisher's exact test, {p_words(result['p'])}).{spread}"
        )
        strength = "unclear"
    return {"topic": result["question"], "strength": strength, "text": text}


def variation_findings(result: dict[str, Any], min_cell: int) -> list[dict[str, Any]]:
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
                f"({p_words(result['p_heterogeneity'])}). After shrinking each toward the overall "
                f"{percent(result['overall_rate'])}, estimates run from {percent(bottom['shrunk'])} "
                f"to {percent(top['shrunk'])}.",
            }
        ]
    return [
        {
            "topic": f"{label} variation",
            "strength": "unclear",
            "text": f"No evidence that {label}s differ beyond chance ({p_words(result['p_heterogeneity'])}, "
            f"{len(result['units'])} {label}s with at least {min_cell} decisions).",
        }
    ]


def regression_finding(regression: dict[str, Any]) -> dict[str, Any]:
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
            f"{p_words(term['p'])}), {verdict} the outcome"
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
