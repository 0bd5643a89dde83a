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

from trpkit.coalition import disclosure, stats, summaries
from trpkit.coalition import findings as plain
from trpkit.coalition.record import OUTCOMES, SCHEMA_VERSION, Record
from trpkit.coalition.report_comparisons import group_tests, guarded_regression, planned_comparisons
from trpkit.coalition.report_docx import chart_km, chart_rates, disclosure_section, table_grid
from trpkit.coalition.report_models import (
    guarded_indicators,
    guarded_labour_indicators,
    guarded_office,
    guarded_renewal_risk,
)
from trpkit.coalition.report_processing import guarded_processing
from trpkit.coalition.report_reasons import guarded_reasons
from trpkit.coalition.report_words import (
    comparison_finding,
    disclosure_lines,
    interval,
    p_words,
    percent,
    regression_finding,
    variation_findings,
)
from trpkit.coalition.sharing_policy import NEVER_BELOW
from trpkit.coalition.words import group_words


def _default_hierarchies() -> dict[str, Any]:
    from trpkit.coalition.sharing_policy import load_policy

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
            f"(95% CI {overall.get('ci_display') or interval(overall['ci'])}).",
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
    report["tests"] = group_tests(frame, rates, findings)
    report["comparisons"] = planned_comparisons(frame, raw, protection, min_cell)
    report["regression"] = guarded_regression(frame, raw, protection, min_cell)
    report["labour_indicators"] = guarded_labour_indicators(raw, protection, min_cell)
    processing = guarded_processing(frame, protection, min_cell)
    report["processing"] = processing
    report["indicators"] = guarded_indicators(frame, raw, protection, min_cell)
    report["refusal_reasons"] = guarded_reasons(frame, protection, min_cell)
    report["office_adjusted"] = guarded_office(frame, protection, min_cell)
    report["variation"] = {}
    for dimension in ("ircc_office", "officer_label"):
        unit_plan = protection.plans.get(dimension)
        if frame.present(dimension) and unit_plan is not None and not unit_plan.withheld:
            # Units are the published groups of the plan: a pooled unit never appears here on its own.
            report["variation"][dimension] = summaries.variation(frame, dimension, min_cell)
    # Everything is computed: check it all together, withdraw what must go, and only then write findings.
    protection.ledger.audit()
    report["renewal_risk"] = guarded_renewal_risk(raw, report["comparisons"], min_cell)
    if not include_charts_data and processing.get("ok"):
        for curve in processing["groups"].values():
            for key in ("times", "survival", "lower", "upper", "incidence"):
                curve.pop(key, None)
    findings.extend(comparison_finding(c) for c in report["comparisons"])
    findings.append(regression_finding(report["regression"]))
    findings.append(plain.renewal_risk(report["renewal_risk"]))
    findings.append(plain.labour_indicators(report["labour_indicators"]))
    findings.append(plain.waiting_time(processing))
    findings.append(
        plain.indicator_counts(report["indicators"].get("labour_vs_sex_trade", {"ok": False, "reason": "-"}))
    )
    findings.append(plain.office_adjusted(report["office_adjusted"]))
    for result in report["variation"].values():
        findings.extend(variation_findings(result, min_cell))
    report["disclosure"] = protection.summary()
    report["findings"] = findings
    report["limitations"] = limitations
    return report


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
                f"  {value[:34]:<34} {cell['rate_display']:>7}  95% CI {cell.get('ci_display') or interval(cell['ci']):<9} n = {cell['n']}"
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
            cells[2].text, cells[3].text = row["rate_display"], row.get("ci_display") or interval(row["ci"])
        doc.add_picture(io.BytesIO(chart_rates(table)), width=Inches(6))
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
            cells[2].text, cells[3].text = f"{term['ci'][0]:.2f}–{term['ci'][1]:.2f}", p_words(term["p"])
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
        doc.add_picture(io.BytesIO(chart_km(processing)), width=Inches(6))
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

        table_grid(
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
            f"each rate toward the overall {percent(result['overall_rate'])}, more so for those with few "
            f"decisions; test of any difference beyond chance: {p_words(result['p_heterogeneity'])}."
        )
        table_grid(
            doc,
            (result["label"], "decisions", "granted", "95% interval", "shrunk"),
            [
                (u["value"], str(u["n"]), u["rate_display"], interval(u["ci"]), percent(u["shrunk"]))
                for u in result["units"]
            ],
        )
    plain.docx_tables(doc, report, table_grid)
    reasons = report.get("refusal_reasons", {})
    if reasons.get("ok"):
        doc.add_heading("Refusal reasons", level=1)
        table_grid(
            doc,
            ("reason", "refusals citing it", "share"),
            [(r["code"], r["display"], percent(r["share"])) for r in reasons["all"]["reasons"]],
        )
        for dimension, block in reasons["by"].items():
            for value, table in block["groups"].items():
                doc.add_paragraph(
                    f"{stats.DIMENSION_LABELS.get(dimension, dimension)} {value} "
                    f"({table['refusals']} refusals): "
                    + "; ".join(f"{r['code']} {r['display']}" for r in table["reasons"])
                )
    disclosure_section(doc, report.get("disclosure", {}))
    doc.add_heading("Limits of this analysis", level=1)
    for text in report["limitations"]:
        doc.add_paragraph(text, style="List Bullet")
    path = Path(path)
    doc.save(str(path))
    return path
