"""Plain-language findings for the modelled questions (models.py, survival.py).

Cautious by design: "the data are consistent with ...", an interval with every estimate, never a verdict.
Each function takes one result and returns one finding ({"topic", "strength", "text"}).
"""

from __future__ import annotations

from typing import Any

ALPHA = 0.05


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def interval_text(ci: list[float | None], digits: int = 2) -> str:
    low, high = ci
    low_text = "0" if low is None else f"{low:.{digits}f}"
    high_text = "no upper limit" if high is None else f"{high:.{digits}f}"
    return f"{low_text}–{high_text}"


def _terms(names: list[str]) -> str:
    """Model terms as words: 'strong indicators, medium indicators and renewal application'."""
    words = [n.replace(" (each)", "").replace(" (any)", "") for n in names]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" and {words[-1]}" if words else ""


def _insufficient(topic: str, what: str, result: dict[str, Any]) -> dict[str, Any]:
    return {
        "topic": topic,
        "strength": "insufficient",
        "text": f"{what} The data cannot say: {result['reason']}.",
    }


def labour_indicators(result: dict[str, Any]) -> dict[str, Any]:
    topic = "labour cases and indicators"
    question = "Do labour cases need more indicators than sex-trade cases for a grant?"
    if not result.get("ok"):
        return _insufficient(topic, question, result)
    labour, extra = result["labour"], result["extra_indicators"]
    odds = (
        f"at the same number of indicators, labour cases had {'lower' if labour['odds_ratio'] < 1 else 'higher'} "
        f"odds of a grant than sex-trade cases (odds ratio {labour['odds_ratio']:.2f}, 95% CI "
        f"{interval_text(labour['ci'])}, {_p(labour['p'])})"
    )
    if labour["p"] >= ALPHA:
        text = (
            f"{question} Over {result['n']} decisions, the data do not show a difference: {odds}. A real "
            "difference of that size is neither shown nor ruled out."
        )
        return {"topic": topic, "strength": "unclear", "text": text}
    text = f"{question} Over {result['n']} decisions, the data are consistent with a difference: {odds}."
    if extra.get("ok") and extra["estimate"] > 0:
        text += (
            f" For the same chance of a grant, a labour case needed about {extra['estimate']:.1f} more strong "
            f"indicators (95% CI {interval_text(extra['ci'], 1)})."
        )
    if result["interaction"]["p"] < ALPHA:
        text += " The gap changes with the number of indicators (see the odds ratios at each count)."
    if result["controls_dropped"]:
        text += f" ({_terms(result['controls_dropped'])} could not be held constant: too few decisions.)"
    text += " This is an association in shared decisions, not proof of how officers weigh indicators."
    return {"topic": topic, "strength": "clear", "text": text}


def renewal_risk(result: dict[str, Any]) -> dict[str, Any]:
    topic = "renewals after the criminal case"
    question = "Are renewals refused more often once the criminal case ends?"
    if not result.get("ok"):
        return _insufficient(topic, question, result)
    ratio, ci = result["risk_ratio"], result["ci"]
    words = (
        f"renewals after the case ended were refused {result['risk_ended']:.0%} of the time, against "
        f"{result['risk_ongoing']:.0%} while it was ongoing (risk ratio {ratio:.2f}, 95% CI {interval_text(ci)})"
    )
    if ci[0] > 1 or ci[1] < 1:
        direction = "more" if ci[0] > 1 else "less"
        text = f"{question} The data are consistent with refusals being {direction} frequent once it ends: {words}."
        return {"topic": topic, "strength": "clear", "text": text}
    return {
        "topic": topic,
        "strength": "unclear",
        "text": f"{question} No clear difference: {words}; a real difference is neither shown nor ruled out.",
    }


def office_adjusted(result: dict[str, Any]) -> dict[str, Any]:
    topic = "offices, for similar cases"
    question = "Do IRCC offices decide similar cases differently?"
    if not result.get("ok"):
        return _insufficient(topic, question, result)
    mix = _terms(result["case_mix"]) or "no case-mix terms"
    if result["p"] >= ALPHA:
        return {
            "topic": topic,
            "strength": "unclear",
            "text": f"{question} Accounting for {mix}, the data do not show offices differing beyond chance "
            f"({_p(result['p'])}, {len(result['offices'])} offices).",
        }
    top, bottom = result["offices"][0], result["offices"][-1]
    return {
        "topic": topic,
        "strength": "clear",
        "text": f"{question} Accounting for {mix}, the data are consistent with offices differing beyond chance "
        f"(likelihood-ratio test, {_p(result['p'])}). For a case of the coalition's average mix, the estimated "
        f"chance of a grant ranges from {bottom['adjusted_rate']:.0%} ({bottom['value']}, 95% CI "
        f"{_rate_interval(bottom)}) to {top['adjusted_rate']:.0%} ({top['value']}, 95% CI "
        f"{_rate_interval(top)}), from a mixed-effects model that pulls each office toward the average.",
    }


def indicator_counts(result: dict[str, Any]) -> dict[str, Any]:
    topic = "indicators documented by sector"
    question = "Do labour cases come with fewer documented indicators than sex-trade cases?"
    if not result.get("ok"):
        return _insufficient(topic, question, result)
    shift = result["shift"]
    words = (
        f"median {result['labour_median']:.0f} strong or medium indicators in labour cases and "
        f"{result['sex_trade_median']:.0f} in sex-trade cases (Hodges-Lehmann difference {shift:.1f}, 95% CI "
        f"{interval_text(result['ci'], 1)}; Mann-Whitney {_p(result['p'])})"
    )
    if result["p"] < ALPHA:
        return {
            "topic": topic,
            "strength": "clear",
            "text": f"{question} The data are consistent with a difference: {words}.",
        }
    return {"topic": topic, "strength": "unclear", "text": f"{question} No clear difference: {words}."}


def waiting_time(processing: dict[str, Any]) -> dict[str, Any]:
    topic = "processing time"
    if not processing.get("ok"):
        text = f"Waiting times cannot be described: {processing['reason']}; they are missing, not undecided."
        return {"topic": topic, "strength": "insufficient", "text": text}
    curve = processing["groups"]["all applications"]
    missing = processing.get("missing", 0)
    note = f" {missing} record(s) without a waiting time are left out of this." if missing else ""
    median, (low, high) = curve["median"], curve["median_ci"]
    if median is None:
        text = (
            f"Fewer than half of the {curve['n']} applications with a waiting time have been decided so far "
            f"({curve['censored']} still pending, {curve['withdrawn']} withdrawn), so the median time to a "
            "decision is not known yet."
        )
        return {"topic": topic, "strength": "unclear", "text": text + note}
    text = (
        f"Half of applications were decided within {median:.0f} days (95% CI {low:.0f}–"
        f"{'not reached' if high is None else f'{high:.0f}'} days). Pending applications count as still waiting "
        f"({curve['censored']}), and withdrawals ({curve['withdrawn']}) as ending without a decision, not as a delay."
        if low is not None
        else f"Half of applications were decided within {median:.0f} days (the interval cannot be computed)."
    )
    return {"topic": topic, "strength": "clear", "text": text + note}


# ------------------------------------------------------------------------------------------ Word tables


def docx_tables(doc: Any, report: dict[str, Any], grid: Any) -> None:
    """The modelled questions' numbers as tables in the Word report (``grid(doc, headers, rows)`` draws one).
    Only results the model could give are shown; the findings above say why any other is missing."""
    labour = report.get("labour_indicators", {})
    if labour.get("ok"):
        doc.add_heading("Labour and sex-trade cases at the same number of indicators", level=1)
        doc.add_paragraph(
            f"Logistic model over {labour['n']} decisions, holding constant: "
            f"{_terms(labour['controls']) or 'nothing else'}. Odds ratios of a grant, labour against sex trade."
        )
        rows = [("any number (no interaction)", _or_text(labour["labour"]))]
        rows += [(f"{c['strong_indicators']} strong indicator(s)", _or_text(c)) for c in labour["at_counts"]]
        grid(doc, ("at", "odds ratio (95% CI)"), rows)
    renewal = report.get("renewal_risk", {})
    if renewal.get("ok"):
        doc.add_heading("Renewals refused after the criminal case ended", level=1)
        grid(
            doc,
            ("refused after it ended", "refused while ongoing", "risk ratio (95% CI)"),
            [
                (
                    f"{renewal['risk_ended']:.0%}",
                    f"{renewal['risk_ongoing']:.0%}",
                    f"{renewal['risk_ratio']:.2f} ({interval_text(renewal['ci'])})",
                )
            ],
        )
    offices = report.get("office_adjusted", {})
    if offices.get("ok"):
        doc.add_heading("Offices compared for similar cases", level=1)
        doc.add_paragraph(
            f"Accounting for {_terms(offices['case_mix']) or 'nothing'}; test of any office difference: "
            f"{_p(offices['p'])}. Odds ratio against the average office; chance of a grant for a case of the "
            "coalition's average mix, pulled toward the average."
        )
        grid(
            doc,
            ("office", "odds ratio (95% CI)", "shrunk odds ratio (95% CI)", "chance of a grant (95% CI)"),
            [
                (
                    o["value"],
                    _or_text(o),
                    f"{o['shrunk_odds_ratio']:.2f} ({interval_text(o['shrunk_ci'])})",
                    f"{o['adjusted_rate']:.0%} ({o['adjusted_rate_ci'][0]:.0%}–{o['adjusted_rate_ci'][1]:.0%})",
                )
                for o in offices["offices"]
            ],
        )


def _rate_interval(office: dict[str, Any]) -> str:
    low, high = office["adjusted_rate_ci"]
    return f"{low:.0%}–{high:.0%}"


def _or_text(term: dict[str, Any]) -> str:
    return f"{term['odds_ratio']:.2f} ({interval_text(term['ci'])})"
