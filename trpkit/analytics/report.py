"""The coalition report: every analysis as JSON-able data, findings in plain words, and a Word version.

``build_report`` never shows an agency, a group below the minimum cell or a count of 1 to 4. The Word
report adds matplotlib charts (imported only when a Word report is written).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from trpkit.analytics import findings as plain
from trpkit.analytics import models, stats, survival
from trpkit.analytics import regression as logistic
from trpkit.analytics.policy import NEVER_BELOW
from trpkit.analytics.record import OUTCOMES, SCHEMA_VERSION, Record

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
    return f"; odds ratio {result['odds_ratio']:.2f}, exact 95% CI {plain.interval_text(result['or_ci'])}"


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


def _mask(count: int) -> int | str:
    return "< 5" if 0 < count < NEVER_BELOW else count


def _outcome_counts(records: Sequence[Record]) -> dict[str, Any]:
    counts = dict.fromkeys(OUTCOMES, 0)
    for r in records:
        counts[r["outcome"]] = counts.get(r["outcome"], 0) + 1
    return {o: ("< 5" if 0 < c < NEVER_BELOW else c) for o, c in counts.items()}


def build_report(
    records: Sequence[Record],
    *,
    min_cell: int = 10,
    source: str = "",
    generated_at: datetime | None = None,
    include_charts_data: bool = True,
) -> dict[str, Any]:
    min_cell = max(min_cell, NEVER_BELOW)
    # The agency is never published: no table, test or finding below reads it.
    frame = stats.Frame(records)
    decided_count = int(frame.decided.sum())
    granted = int(frame.granted.sum())
    report: dict[str, Any] = {
        "title": "Coalition review of TRP decisions",
        "schema_version": SCHEMA_VERSION,
        "generated_at": (generated_at or datetime.now(UTC)).isoformat(timespec="seconds"),
        "source": source,
        "min_cell": min_cell,
        "records": _mask(len(records)),
        "decided": _mask(decided_count),
        "outcomes": _outcome_counts(records),
        "overall": stats.rate_cell("all decisions", granted, decided_count - granted)
        if decided_count >= min_cell
        else None,
    }
    findings: list[dict[str, Any]] = []
    limitations = [
        "Grant rate = granted / (granted + refused). Withdrawn, returned and pending applications are not in it.",
        (
            f"Groups with fewer than {min_cell} decisions are not shown (pooled as 'other groups' when the pool is "
            "large enough); counts from 1 to 4 are never shown, and a rate that would reveal one is given as a bound."
        ),
        (
            "These are decisions shared by coalition members with the person's consent, not all TRP decisions: "
            "differences may reflect which cases reach an NGO, not only how IRCC decides."
        ),
        "An association is not a cause: a difference between groups may come from differences in the cases.",
    ]
    if decided_count < min_cell:
        report.update(
            rates=[],
            tests=[],
            comparisons=[],
            regression={"ok": False, "reason": "too few decisions"},
            processing={"ok": False, "reason": "too few records"},
            indicators={"ok": False},
            refusal_reasons={"ok": False},
            variation={},
            findings=[
                {
                    "topic": "overall",
                    "strength": "insufficient",
                    "text": f"Only {decided_count if decided_count >= NEVER_BELOW else 'fewer than 5'} decisions: "
                    f"too few for any analysis (the minimum group is {min_cell}).",
                }
            ],
            limitations=limitations,
        )
        return report
    overall = report["overall"]
    findings.append(
        {
            "topic": "overall",
            "strength": "clear",
            "text": f"Of {decided_count} decided applications, {overall['rate_display']} were granted "
            f"(95% CI {overall.get('ci_display') or _ci(overall['ci'])}).",
        }
    )
    rates = [stats.grant_table(frame, d, min_cell) for d in stats.DIMENSIONS]
    rates = [t for t in rates if t["present"]]
    report["rates"] = rates
    # Every group-against-the-rest test of every dimension is one family: Holm's adjustment over all of them
    # keeps the chance of any false "difference" in the whole report at 5%.
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
    report["tests"] = tests
    cooperation = frame.raw("law_enforcement_cooperation")
    renewal = np.isin(frame.raw("application_type"), RENEWAL_TYPES)
    criminal = frame.raw("criminal_case_status")
    sector = frame.raw("exploitation_sector")
    comparisons = [
        stats.compare_groups(
            frame,
            (cooperation != None) & (cooperation != "none"),  # noqa: E711 - numpy elementwise
            cooperation == "none",
            "people cooperating with police",
            "people not cooperating",
            "Does cooperating with police change the outcome?",
            min_cell,
        ),
        stats.compare_groups(
            frame,
            renewal & (criminal == "concluded"),
            renewal & np.isin(criminal, ["investigation", "prosecution"]),
            "renewals after the criminal case ended",
            "renewals while it was ongoing",
            "Are renewals refused once a criminal case ends?",
            min_cell,
        ),
        stats.compare_groups(
            frame,
            np.isin(sector, stats.LABOUR),
            np.isin(sector, ["sex_trade", "sexual"]),
            "labour exploitation cases",
            "sex-trade cases",
            "Do labour cases fare differently from sex-trade cases?",
            min_cell,
        ),
    ]
    report["comparisons"] = comparisons
    findings.extend(_comparison_finding(c) for c in comparisons)
    report["renewal_risk"] = models.renewal_refusal_risk(frame, min_cell)
    findings.append(plain.renewal_risk(report["renewal_risk"]))
    report["labour_indicators"] = models.labour_indicators(frame, min_cell)
    findings.append(plain.labour_indicators(report["labour_indicators"]))
    regression = logistic.logistic_regression(frame)
    report["regression"] = regression
    findings.append(_regression_finding(regression))
    processing = survival.processing_times(frame, min_cell)
    if not include_charts_data and processing.get("ok"):
        for curve in processing["groups"].values():
            for key in ("times", "survival", "lower", "upper", "incidence"):
                curve.pop(key, None)
    report["processing"] = processing
    findings.append(plain.waiting_time(processing))
    indicators = stats.indicators_by_sector(frame, min_cell)
    report["indicators"] = indicators
    indicators["labour_vs_sex_trade"] = models.indicators_labour_vs_sex_trade(frame, min_cell)
    findings.append(plain.indicator_counts(indicators["labour_vs_sex_trade"]))
    report["refusal_reasons"] = stats.refusal_reasons(frame, min_cell)
    report["variation"] = {}
    report["office_adjusted"] = models.office_adjusted(frame, min_cell)
    findings.append(plain.office_adjusted(report["office_adjusted"]))
    for dimension in ("ircc_office", "officer_label"):
        if frame.present(dimension):
            result = stats.variation(frame, dimension, min_cell)
            report["variation"][dimension] = result
            if result.get("ok"):
                label = result["label"]
                if result["p_heterogeneity"] < ALPHA:
                    top, bottom = result["units"][0], result["units"][-1]
                    findings.append(
                        {
                            "topic": f"{label} variation",
                            "strength": "clear",
                            "text": f"Grant rates differ between {label}s more than chance would explain "
                            f"({_p(result['p_heterogeneity'])}). After shrinking each toward the overall "
                            f"{_pct(result['overall_rate'])}, estimates run from {_pct(bottom['shrunk'])} "
                            f"to {_pct(top['shrunk'])}.",
                        }
                    )
                else:
                    findings.append(
                        {
                            "topic": f"{label} variation",
                            "strength": "unclear",
                            "text": f"No evidence that {label}s differ beyond chance ({_p(result['p_heterogeneity'])}, "
                            f"{len(result['units'])} {label}s with at least {min_cell} decisions).",
                        }
                    )
    report["findings"] = findings
    report["limitations"] = limitations
    return report


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
            lines.append(
                f"  {cell['value'][:34]:<34} {cell['rate_display']:>7}  95% CI {cell.get('ci_display') or _ci(cell['ci']):<9} n = {cell['n']}"
            )
        if table["suppressed_groups"]:
            lines.append(f"  ({table['suppressed_groups']} small group(s) not shown)")
        if table["note"]:
            lines.append(f"  {table['note']}")
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
    ax.set_yticks(range(len(cells)), [c["value"][:30] for c in reversed(cells)])
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
        ax.step(times, [1.0] + curve["survival"], where="post", label=name)
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
            cells[0].text, cells[1].text = row["value"], str(row["n"])
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
    doc.add_heading("Limits of this analysis", level=1)
    for text in report["limitations"]:
        doc.add_paragraph(text, style="List Bullet")
    path = Path(path)
    doc.save(str(path))
    return path
